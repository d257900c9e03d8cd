"""Did-you-mean from the index's own vocabulary: `kerusuhn` → `kerusuhan`, `tokayef` → `tokayev`.

Only words the index does not know (or barely knows) are corrected, and only to words it knows
much better. Candidates come from the unstemmed `exact` field (title and body as written), so a
suggestion is always a real word or name from the archive, never a Sastrawi stem.
"""

from __future__ import annotations

import re
from typing import Any

from indexer.analysis import exact_analyzer, stem

SPELL_FIELD = "exact"
# A word found in at most this many documents is "rare" and may be corrected...
RARE_DF = 1
# ...to a word found in at least this many times as many documents (and MIN_CANDIDATE_DF).
BETTER_BY = 3
MIN_CANDIDATE_DF = 2
MIN_WORD_LENGTH = 4  # short words have too many neighbours to guess well
MAX_DISTANCE = 2

_exact = exact_analyzer()


def _doc_frequency(reader: Any, fieldname: str, text: str) -> int:
    try:
        return int(reader.doc_frequency(fieldname, text))
    except KeyError:  # pragma: no cover - a field missing from an old index
        return 0


def _known(reader: Any, word: str) -> int:
    """How many documents hold the word as written, or its stem in the title or body."""
    df = _doc_frequency(reader, SPELL_FIELD, word)
    stemmed = stem(word)
    return max(
        df, _doc_frequency(reader, "body", stemmed), _doc_frequency(reader, "title", stemmed)
    )


def correct_word(reader: Any, word: str) -> str | None:
    """A better-known word of the index within two edits of `word` (lowercase), or None."""
    if len(word) < MIN_WORD_LENGTH or not word.isalpha():
        return None
    df = _known(reader, word)
    if df > RARE_DF:
        return None
    floor = max(MIN_CANDIDATE_DF if df else 1, df * BETTER_BY)
    for distance in range(1, MAX_DISTANCE + 1):
        # The first letter is rarely the typo, and the prefix makes this much faster.
        candidates = [
            (_doc_frequency(reader, SPELL_FIELD, c), c)
            for c in reader.terms_within(SPELL_FIELD, word, distance, prefix=1)
            if c != word and c.isalpha()
        ]
        good = [(f, c) for f, c in candidates if f >= floor]
        if good:
            return min(good, key=lambda fc: (-fc[0], fc[1]))[1]  # most documents, then a-z
    return None


def suggest(reader: Any, text: str, words: list[str]) -> str | None:
    """The query text with its misspelled words corrected, or None when nothing needs it.

    `words` are the plain (unquoted, not excluded) words of the parsed query; the rest of the
    text (operators, quotes, other words) is kept as typed.
    """
    corrected = text
    changed = False
    for word in dict.fromkeys(words):
        tokens = [t.text for t in _exact(word)]
        if len(tokens) != 1:
            continue
        better = correct_word(reader, tokens[0])
        if better is None:
            continue
        pattern = re.compile(rf"(?<![\w-]){re.escape(word)}(?![\w-])", re.IGNORECASE)
        corrected, n = pattern.subn(better, corrected)
        changed = changed or n > 0
    return corrected if changed else None
