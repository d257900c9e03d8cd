"""Did-you-mean from the index's own vocabulary: `kerusuhn` → `kerusuhan`, `tokayef` → `tokayev`.

Only words that find few articles are corrected (`habibi`: 7 at 22k, not only those that find
none), and only to a word that finds far more (`habibie`: 817), within one edit for a word of
up to five letters and two for longer ones: `covid` (five letters, none in a 2019 archive) is
two edits from `cover`, which is another word, not a correction. Candidates come from the
unstemmed `exact` field (title and body as written), so a suggestion is always a real word or
name from the archive, never a Sastrawi stem.

Candidates within two edits are found with `SpellIndex`, built once per index generation: the
field's alphabetic words grouped by first letter and length, each group a numpy array of code
points, so one edit-distance computation runs over a whole group at once. Whoosh's
`terms_within` compared the word with every term of the same first letter in Python (~300 ms per
unknown word at 22k articles).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy as np

from index_format import spelling_arrays
from index_format.analysis import exact_analyzer, stem
from index_format.spelling_arrays import SPELL_FIELD, word_at

# A word found in at most this many documents (or this share of the archive, if more) finds
# few and may be corrected...
RARE_DF = 10
RARE_SHARE = 0.0005
# ...to a word found in at least this many times as many documents (and MIN_CANDIDATE_DF).
BETTER_BY = 5
MIN_CANDIDATE_DF = 2
MIN_WORD_LENGTH = 4  # short words have too many neighbours to guess well
MAX_DISTANCE = 2
SHORT_WORD = 5  # up to this many letters, one edit at most
MAX_CORRECTIONS = 10_000  # corrections kept per generation

_exact = exact_analyzer()


def edit_distances(word: str, codes: np.ndarray, cap: int) -> np.ndarray:
    """The optimal-string-alignment distance (Levenshtein plus adjacent transpositions, as
    Whoosh's `damerau_levenshtein`) from `word` to each row of `codes`, capped at cap + 1."""
    n, length = codes.shape
    w = np.frombuffer(word.encode("utf-32-le"), dtype=np.uint32)
    # Rows of the dynamic programme over `word`, one column per candidate position, vectorised
    # over the candidates.
    prev2: np.ndarray | None = None
    prev = np.broadcast_to(np.arange(length + 1, dtype=np.int16), (n, length + 1)).copy()
    for i in range(1, w.size + 1):
        row = np.empty_like(prev)
        row[:, 0] = i
        same = codes == w[i - 1]  # (n, length)
        for j in range(1, length + 1):
            best = np.minimum(prev[:, j] + 1, row[:, j - 1] + 1)
            np.minimum(best, prev[:, j - 1] + (~same[:, j - 1]), out=best)
            if prev2 is not None and j > 1:
                swap = (codes[:, j - 1] == w[i - 2]) & (codes[:, j - 2] == w[i - 1])
                swap &= ~same[:, j - 1]
                np.minimum(best, np.where(swap, prev2[:, j - 2] + 1, best), out=best)
            row[:, j] = best
        prev2, prev = prev, row
        if int(prev.min()) > cap:  # every candidate is already too far
            return np.full(n, cap + 1, dtype=np.int16)
    return np.minimum(prev[:, length], cap + 1)


class SpellIndex:
    """The alphabetic words of SPELL_FIELD by (first letter, length), for one index generation
    (`groups`: as the generation's build wrote them, index_format.derived; else derived here)."""

    def __init__(self, reader: Any, groups: spelling_arrays.Groups | None = None) -> None:
        self.groups = groups if groups is not None else spelling_arrays.derive(reader)
        # Each rare word's correction, once worked out (the generation's counts do not change):
        # a query is repeated as its pages and filters are clicked.
        self.corrections: dict[str, str | None] = {}

    def near(self, word: str, distance: int) -> list[tuple[str, int]]:
        """(candidate, edits) for the words sharing the first letter of `word` within `distance`
        edits of it (`word` itself too, if the index holds it)."""
        out: list[tuple[str, int]] = []
        for length in range(max(1, len(word) - distance), len(word) + distance + 1):
            group = self.groups.get((word[0], length))
            if group is None:
                continue
            dist = edit_distances(word, group, distance)
            out.extend(
                (word_at(group, i), int(dist[i])) for i in np.flatnonzero(dist <= distance).tolist()
            )
        return out


# How many live documents hold a term (field, text): TopK.count, or the reader's document
# frequency (which counts deleted documents until a merge).
Counter = Callable[[str, str], int]


def _frequency(reader: Any) -> Counter:
    def count(fieldname: str, text: str) -> int:
        try:
            return int(reader.doc_frequency(fieldname, text))
        except KeyError:  # pragma: no cover - a field missing from an old index
            return 0

    return count


def _known(count: Counter, word: str, enough: int) -> int:
    """How many documents hold the word as written, or its stem in the title or body: the
    most of the three counts, or the first found above `enough` (a word that common is not
    corrected, whatever the others say). The body's stem first: most words typed are common
    there, and the request's own evaluation has often counted it (SearchService)."""
    stemmed = stem(word)
    most = 0
    for fieldname, text in (("body", stemmed), ("title", stemmed), (SPELL_FIELD, word)):
        most = max(most, count(fieldname, text))
        if most > enough:
            break
    return most


Spelling = SpellIndex | Callable[[], SpellIndex] | None


def correct_word(
    reader: Any, word: str, spell: Spelling = None, count: Counter | None = None
) -> str | None:
    """A word of the index that finds far more articles within one or two edits of `word`
    (lowercase), when `word` finds few; or None.

    `spell`: the generation's SpellIndex, or a function that gives it (asked only when a word
    is rare enough to correct), or None to build one here. `count`: see Counter."""
    if len(word) < MIN_WORD_LENGTH or not word.isalpha():
        return None
    count = count or _frequency(reader)
    rare = max(RARE_DF, RARE_SHARE * reader.doc_count())
    df = _known(count, word, int(rare))
    if df > rare:
        return None
    floor = max(MIN_CANDIDATE_DF if df else 1, df * BETTER_BY)
    if spell is None:
        spell = SpellIndex(reader)
    elif not isinstance(spell, SpellIndex):
        spell = spell()
    if word not in spell.corrections:
        if len(spell.corrections) >= MAX_CORRECTIONS:
            spell.corrections.clear()
        spell.corrections[word] = _best(spell, word, floor, count)
    return spell.corrections[word]


def _best(spell: SpellIndex, word: str, floor: int, count: Counter) -> str | None:
    """The candidate found in the most documents (at least `floor`) at the fewest edits."""
    most = 1 if len(word) <= SHORT_WORD else MAX_DISTANCE
    near = spell.near(word, most)
    for distance in range(1, most + 1):
        # The first letter is rarely the typo (and sharing it keeps the candidates few).
        candidates = [(count(SPELL_FIELD, c), c) for c, d in near if d <= distance and c != word]
        good = [(f, c) for f, c in candidates if f >= floor]
        if good:
            return min(good, key=lambda fc: (-fc[0], fc[1]))[1]  # most documents, then a-z
    return None


def suggest(
    reader: Any,
    text: str,
    words: list[str],
    spell: Spelling = None,
    count: Counter | None = None,
) -> str | None:
    """The query text with its misspelled words corrected, or None when nothing needs it.

    `words` are the plain (unquoted, not excluded) words of the parsed query; the rest of the
    text (operators, quotes, other words) is kept as typed. `spell`, `count`: as for
    `correct_word`.
    """
    corrected = text
    changed = False
    for word in dict.fromkeys(words):
        tokens = [t.text for t in _exact(word)]
        if len(tokens) != 1:
            continue
        better = correct_word(reader, tokens[0], spell, count)
        if better is None:
            continue
        pattern = re.compile(rf"(?<![\w-]){re.escape(word)}(?![\w-])", re.IGNORECASE)
        corrected, n = pattern.subn(better, corrected)
        changed = changed or n > 0
    return corrected if changed else None
