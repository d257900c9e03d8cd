"""The alias table: known variants of a name mapped to one canonical name, optionally per label."""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from index_format.names import name_key

LABELS = frozenset({"PER", "ORG", "LOC"})


class AliasFileError(ValueError):
    """A line of an alias file is malformed; the message names the file and line."""


@dataclass
class AliasTable:
    """variant → canonical, per label; a label of None matches any label."""

    _by_label: dict[tuple[str, str | None], str] = field(default_factory=dict)
    _keys: dict[str, frozenset[str]] = field(default_factory=dict, repr=False)

    def add(self, variant: str, canonical: str, label: str | None = None) -> None:
        self._by_label[(name_key(variant), label)] = canonical
        self._keys.clear()

    def lookup(self, name: str, label: str) -> str | None:
        key = name_key(name)
        return self._by_label.get((key, label)) or self._by_label.get((key, None))

    def keys_with_label(self, label: str) -> frozenset[str]:
        """The name keys of the variants listed with `label` (kept until the next `add`)."""
        cached = self._keys.get(label)
        if cached is None:
            cached = self._keys[label] = frozenset(k for k, lbl in self._by_label if lbl == label)
        return cached

    def has(self, name: str, label: str) -> bool:
        """Is there a line for `name` with exactly this label?"""
        return (name_key(name), label) in self._by_label

    def read(self, text: str, source: str) -> None:
        for lineno, line in enumerate(text.splitlines(), 1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            cols = [c.strip() for c in line.split("\t")]
            if len(cols) < 2 or not cols[0] or not cols[1]:
                raise AliasFileError(
                    f"{source}:{lineno}: expected 'variant<TAB>canonical[<TAB>label]'"
                )
            label = cols[2] if len(cols) > 2 and cols[2] else None
            if label is not None and label not in LABELS:
                raise AliasFileError(
                    f"{source}:{lineno}: label must be PER, ORG or LOC, not {label!r}"
                )
            self.add(cols[0], cols[1], label)


def load_aliases(extra: Path | None = None) -> AliasTable:
    """The packaged aliases, then `extra` (a user's TSV file) over them.

    Raises AliasFileError for a malformed line and OSError if `extra` cannot be read.
    """
    table = AliasTable()
    packaged = resources.files("indexer") / "data" / "aliases.tsv"
    table.read(packaged.read_text(encoding="utf-8"), "indexer/data/aliases.tsv")
    if extra is not None:
        table.read(extra.read_text(encoding="utf-8"), str(extra))
    return table
