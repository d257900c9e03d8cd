"""Undo headline capitals before tagging, so the tagger sees names, not Title Case.

"Tokayev Paparkan Situasi pada Pertemuan CSTO" is tagged as "Tokayev paparkan situasi pada
pertemuan CSTO"; "ALMATY" as "Almaty". Only the words given to the tagger change, never offsets.
"""

from __future__ import annotations

from indexer.ner.features import cap_rate_bucket

_LOWER_BUCKETS = frozenset({"0", "lo"})


def _is_title_case(words: list[str]) -> bool:
    initials = [w[0] for w in words if len(w) > 3 and w[0].isalpha()]
    return len(initials) >= 3 and sum(map(str.isupper, initials)) >= 0.75 * len(initials)


def truecase(words: list[str]) -> list[str]:
    """Words as they would be written in running text, where the corpus knows better."""
    headline = _is_title_case(words)
    if not headline and not any(map(str.isupper, words)):
        return list(words)  # most sentences: nothing shouted, no headline
    out: list[str] = []
    for i, w in enumerate(words):
        if w.isupper() and len(w) >= 5 and w.replace("-", "").isalpha():
            low = w.lower()
            bucket = cap_rate_bucket(low)
            # Shouting, not an acronym: the corpus writes this word in lower or Title case.
            if bucket in _LOWER_BUCKETS:
                w = low
            elif bucket != "?":
                w = "-".join(p.capitalize() for p in low.split("-"))
        elif (
            headline and i > 0 and w[:1].isupper() and cap_rate_bucket(w.lower()) in _LOWER_BUCKETS
        ):
            w = w.lower()
        out.append(w)
    return out
