"""Undo headline capitals before tagging, so the tagger sees names, not Title Case.

"Tokayev Paparkan Situasi pada Pertemuan CSTO" is tagged as "Tokayev paparkan situasi pada
pertemuan CSTO"; "ALMATY" as "Almaty". Only the words given to the tagger change, never offsets.
"""

from __future__ import annotations

from itertools import compress
from operator import itemgetter

from indexer.ner.features import cap_rate_bucket

_LOWER_BUCKETS = frozenset({"0", "lo"})
_FIRST = itemgetter(0)
_LONG = (3).__lt__  # len(w) > 3


def _is_title_case(words: list[str]) -> bool:
    """Do three quarters (and at least three) of the long words start with a capital?"""
    # The initials of words longer than three letters that start with a letter; C-level
    # iteration (compress, map, filter) rather than a comprehension: one call per sentence.
    initials = list(filter(str.isalpha, map(_FIRST, compress(words, map(_LONG, map(len, words))))))
    return len(initials) >= 3 and sum(map(str.isupper, initials)) >= 0.75 * len(initials)


def truecase(words: list[str]) -> list[str]:
    """Words as they would be written in running text, where the corpus knows better."""
    if not _is_title_case(words):
        # Only shouted words may change: visit those (most sentences have none, or an acronym).
        out = list(words)
        for i in compress(range(len(words)), map(str.isupper, words)):
            if _shouted(words[i]):
                out[i] = _unshouted(words[i])
        return out
    out = []
    for i, w in enumerate(words):
        if w.isupper() and _shouted(w):
            w = _unshouted(w)
        elif i > 0 and w[:1].isupper() and cap_rate_bucket(w.lower()) in _LOWER_BUCKETS:
            w = w.lower()
        out.append(w)
    return out


def _shouted(upper: str) -> bool:
    """An upper-case word long enough to be shouting rather than an acronym."""
    return len(upper) >= 5 and upper.replace("-", "").isalpha()


def _unshouted(w: str) -> str:
    """A shouted word as the corpus writes it, if it knows (else `w` itself)."""
    low = w.lower()
    bucket = cap_rate_bucket(low)
    # Shouting, not an acronym: the corpus writes this word in lower or Title case.
    if bucket in _LOWER_BUCKETS:
        return low
    if bucket != "?":
        return "-".join(p.capitalize() for p in low.split("-"))
    return w
