"""The alias table: known variants of a name mapped to one canonical name, optionally per label.

A line may say where the pair comes from (a fourth column) and, for a short name that others
share ("Sri Mulyani", "Ani"), the words one of which the article must hold for the pair to apply
(a fifth column, `|`-separated): without them the article keeps its own name (a namesake).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from index_format.names import name_key

LABELS = frozenset({"PER", "ORG", "LOC"})


class AliasFileError(ValueError):
    """A line of an alias file is malformed; the message names the file and line."""


@dataclass
class AliasTable:
    """variant → canonical, per label; a label of None matches any label."""

    _by_label: dict[tuple[str, str | None], str] = field(default_factory=dict)
    _keys: dict[str, frozenset[str]] = field(default_factory=dict, repr=False)
    # (variant key, label) → a regex of the words one of which must be in the article
    _cues: dict[tuple[str, str | None], re.Pattern[str]] = field(default_factory=dict)
    _labels: dict[str, set[str | None]] = field(default_factory=dict, repr=False)
    # What rules derive from the table (patterns, key sets), dropped at the next `add`.
    derived: dict[Any, Any] = field(default_factory=dict, repr=False)

    def add(
        self, variant: str, canonical: str, label: str | None = None, cues: tuple[str, ...] = ()
    ) -> None:
        key = name_key(variant)
        self._by_label[(key, label)] = canonical
        self._labels.setdefault(key, set()).add(label)
        if cues:
            words = sorted({c.strip() for c in cues if c.strip()}, key=len, reverse=True)
            alts = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in [canonical, *words])
            self._cues[key, label] = re.compile(rf"(?<!\w)(?:{alts})(?!\w)", re.IGNORECASE)
        else:
            self._cues.pop((key, label), None)
        self._keys.clear()
        self.derived.clear()

    def lookup(self, name: str, label: str, text: str | None = None) -> str | None:
        """The canonical name of `name` tagged `label`; with `text` (the article), a line with
        context words applies only when one of them, or the canonical name, is in it."""
        key = name_key(name)
        for lbl in (label, None):
            canonical = self._by_label.get((key, lbl))
            if canonical is not None:
                cues = self._cues.get((key, lbl)) if text is not None else None
                if cues is not None and text is not None and not cues.search(text):
                    return None  # a namesake: the article does not speak of this one
                return canonical
        return None

    def agrees(self, name: str, label: str, text: str) -> bool:
        """Does `text` hold the context the line for `name` asks for (true without any)?"""
        if not self._cues:
            return True
        key = name_key(name)
        lbl = label if (key, label) in self._by_label else None
        cues = self._cues.get((key, lbl))
        return cues is None or cues.search(text) is not None

    def cued_keys(self) -> frozenset[str]:
        """The name keys of the lines that ask for context words."""
        cached = self.derived.get("cued_keys")
        if cached is None:
            cached = self.derived["cued_keys"] = frozenset(k for k, _ in self._cues)
        return cached

    def only_label(self, name: str) -> str | None:
        """The one label the table lists `name` with (None: unlisted, any label, or several):
        "Tass" is an organisation whatever the tagger said."""
        labels = self._labels.get(name_key(name))
        if labels is None or len(labels) != 1:
            return None
        return next(iter(labels))

    def keys_with_label(self, label: str) -> frozenset[str]:
        """The name keys of the variants listed with `label` (kept until the next `add`)."""
        cached = self._keys.get(label)
        if cached is None:
            cached = self._keys[label] = frozenset(k for k, lbl in self._by_label if lbl == label)
        return cached

    def names_with_label(self, label: str) -> list[str]:
        """The canonical names of the lines with `label`, and their variants as keys."""
        cached = self.derived.get(("names", label))
        if cached is None:
            cached = self.derived["names", label] = sorted(
                {c for (_, lbl), c in self._by_label.items() if lbl == label}
                | {v for (v, lbl) in self._by_label if lbl == label}
            )
        return cached

    def body_keys(self) -> frozenset[str]:
        """name_key of every organisation the table names, variant or canonical."""
        cached = self.derived.get("body_keys")
        if cached is None:
            cached = self.derived["body_keys"] = frozenset(
                name_key(n) for n in self.names_with_label("ORG")
            )
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
                    f"{source}:{lineno}: expected "
                    "'variant<TAB>canonical[<TAB>label[<TAB>source[<TAB>context|words]]]'"
                )
            label = cols[2] if len(cols) > 2 and cols[2] else None
            if label is not None and label not in LABELS:
                raise AliasFileError(
                    f"{source}:{lineno}: label must be PER, ORG or LOC, not {label!r}"
                )
            cues = tuple(cols[4].split("|")) if len(cols) > 4 and cols[4] else ()
            self.add(cols[0], cols[1], label, cues)


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
