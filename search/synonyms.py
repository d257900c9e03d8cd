"""Abbreviations and synonyms, expanded at query time: DPR ↔ Dewan Perwakilan Rakyat.

The table (search/data/synonyms.tsv, extendable with settings.synonyms_file) holds one concept a
line, its spellings separated by tabs. Spellings are compared case-insensitively, word by word
(punctuation between words is ignored), so "dewan perwakilan rakyat" and "Dewan  Perwakilan
Rakyat" are the same spelling, and `kpk` is `KPK`: matching is case-blind everywhere. (Short
abbreviations used to expand only when typed in capitals, so `uu kpk` found 5 fewer articles
than `UU KPK` at 22k; the price of case-blindness is that `bin salman` also finds BIN, the
Badan Intelijen Negara, next to Salman.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from index_format.analysis import TOKEN_PATTERN

BUILTIN_SYNONYMS = Path(__file__).resolve().parent / "data" / "synonyms.tsv"
# Longest spelling (in words) that a run of typed words is compared against.
MAX_WORDS = 8


def spelling_key(text: str) -> tuple[str, ...]:
    """A spelling as its lowercase words: the key the table is looked up by."""
    return tuple(w.lower() for w in re.findall(TOKEN_PATTERN, text))


@dataclass
class SynonymTable:
    groups: dict[tuple[str, ...], tuple[tuple[str, ...], ...]] = field(default_factory=dict)
    """Each spelling → every spelling of its concept (itself included)."""
    longest: int = field(default=0, init=False)
    """The most words of a spelling (kept by add_group: the parser asks on every query)."""

    def __post_init__(self) -> None:
        self.longest = max((len(k) for k in self.groups), default=0)

    def add_group(self, spellings: list[str]) -> None:
        keys = [k for k in dict.fromkeys(spelling_key(s) for s in spellings) if k]
        if len(keys) < 2:
            return
        # A spelling in two lines joins their concepts.
        merged = list(dict.fromkeys(m for k in keys for m in self.groups.get(k, (k,))))
        merged += [k for k in keys if k not in merged]
        group = tuple(merged)
        for k in group:
            self.groups[k] = group
        self.longest = max(self.longest, *(len(k) for k in group))

    def expansions(self, typed: str) -> list[tuple[str, ...]]:
        """The other spellings of the `typed` words, or [] when the table does not know them."""
        words = spelling_key(typed)
        return [g for g in self.groups.get(words, ()) if g != words]

    def __len__(self) -> int:
        return len({id(g) for g in self.groups.values()})

    @property
    def max_words(self) -> int:
        return min(MAX_WORDS, self.longest or 1)


def read_synonyms(path: Path, table: SynonymTable | None = None) -> SynonymTable:
    """Add the groups of a TSV file to `table` (a new one by default) and return it."""
    table = table if table is not None else SynonymTable()
    for raw in Path(path).read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line and not line.startswith("#"):
            table.add_group(line.split("\t"))
    return table


def load_synonyms(extra_file: Path | None = None) -> SynonymTable:
    """The built-in table, plus `extra_file` (settings.synonyms_file) when given."""
    table = read_synonyms(BUILTIN_SYNONYMS)
    if extra_file is not None:
        read_synonyms(extra_file, table)
    return table


@lru_cache(maxsize=1)
def default_synonyms() -> SynonymTable:
    return load_synonyms(None)
