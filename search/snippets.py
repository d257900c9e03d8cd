"""Highlighted, HTML-escaped snippets: escaped text with <mark> around matched words."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from heapq import nlargest
from html import escape
from itertools import accumulate, compress, count

from whoosh import highlight

from index_format.analysis import TOKEN_PATTERN, stem, stem_exceptions, stemmed_analyzer

SNIPPET_CHARS = 240
# Highlighting runs the full analyzer (the costly part of a search page): it sees at most
# ANALYSED_CHARS, starting shortly before the first place a term occurs as a plain substring
# (a stem usually is one of its word: "bakar" in "kebakaran"). Substrings are searched in the
# first WINDOW_CHARS only; without one, the opening is analysed.
WINDOW_CHARS = 20_000
ANALYSED_CHARS = 3_000
LEAD_CHARS = 200

_analyzer = stemmed_analyzer()
# The window cut into [gap, word, gap, word, ..., gap]: words as the analyzer's tokenizer finds
# them, every offset from the parts' lengths, without a Match object per word.
_WORDS_AND_GAPS = re.compile(f"({TOKEN_PATTERN})")
VOCABULARY_WORDS = 100_000  # a process's vocabulary starts afresh past this many surface words


class _Vocabulary:
    """The surface words (as written) met in snippet windows, each filed under the two keys by
    which it matches a term: its lowercase form (names are indexed unstemmed) and its stem. The
    words of a window that match a query are then found by set operations, without a stem
    look-up per word; only words never met before are stemmed."""

    def __init__(self) -> None:
        self.exceptions = dict(stem_exceptions())  # the table the stems were made with
        self.keys: dict[str, tuple[str, str]] = {}  # word -> (lowercase, stem of lowercase)
        self.words_of: dict[str, set[str]] = {}  # lowercase form or stem -> words

    def learn(self, words: set[str]) -> None:
        for word in words.difference(self.keys):
            low = word.lower()
            stemmed = stem(low)
            self.keys[word] = (low, stemmed)
            self.words_of.setdefault(low, set()).add(word)
            if stemmed != low:
                self.words_of.setdefault(stemmed, set()).add(word)

    def matching(self, words: set[str], terms: frozenset[str]) -> set[str]:
        """Those of `words` (all learnt) that match one of `terms`."""
        found: set[str] = set()
        for term in terms:
            found |= self.words_of.get(term, _NONE)
        return found & words

    def term_of(self, word: str, terms: frozenset[str]) -> str:
        """The term a matching word stands for: as written when that is a term, else its stem."""
        low, stemmed = self.keys[word]
        return low if low in terms else stemmed


_NONE: frozenset[str] = frozenset()
_vocabulary: _Vocabulary | None = None  # made on first use, after the app set the exceptions


def _current_vocabulary() -> _Vocabulary:
    """This process's vocabulary; a new one when it grew too big or the stem exceptions changed
    (configure_stem_exceptions). Replaced, never cleared: a thread holding the old one goes on."""
    global _vocabulary
    vocabulary = _vocabulary
    if (
        vocabulary is None
        or len(vocabulary.keys) > VOCABULARY_WORDS
        or vocabulary.exceptions != stem_exceptions()
    ):
        vocabulary = _vocabulary = _Vocabulary()
    return vocabulary


@dataclass(slots=True)
class _Fragment:
    start: int  # character offsets in the window
    end: int
    matches: list[int]  # the matched words' numbers
    score: float


def _context_fragments(
    words: list[str],
    starts: list[int],
    ends: list[int],
    matched: set[str],
    term_of: dict[str, str],
    maxchars: int,
    surround: int,
) -> list[_Fragment]:
    """The fragments Whoosh's ContextFragmenter(maxchars, surround) cuts from the window's
    words, scored by its BasicFragmentScorer (matches x distinct terms x 100). `term_of`: the
    term each `matched` word stands for.

    The fragmenter walks every word; between fragments it only remembers the unmatched words
    within `surround` characters (by their ends) of the latest one, so a fragment opened by word
    j starts at the first unmatched word since the last fragment starting no earlier than
    ends[j-1] - surround. Here only the words inside fragments are walked: the next fragment
    opens at the next matched word, found by a scan of the matched words' numbers."""
    fragments: list[_Fragment] = []
    n = len(words)
    opening = list(compress(count(), map(matched.__contains__, words)))
    low = 0  # the first word after the last fragment
    for j in opening:
        if j < low:
            continue  # inside a fragment already cut
        length = ends[j] - starts[j]
        if length > maxchars:  # too long for any fragment: Whoosh cuts one without matches
            low = j + 1
            continue
        countdown = surround
        k = bisect_left(starts, ends[j - 1] - surround, low, j) if j > low else j
        if k < j:
            first = starts[k]
        else:
            first = starts[j]
            countdown += surround
        matches = [j]
        currentlen = length
        countdown -= length
        p = j
        while countdown > 0:
            p += 1
            if p == n:  # the window ends inside the fragment
                p = n - 1
                break
            length = ends[p] - starts[p]
            if currentlen + length > maxchars:
                countdown = 0
            elif words[p] in matched:
                countdown = surround
                matches.append(p)
            currentlen += length
            countdown -= length
        distinct = len({term_of[words[m]] for m in matches})
        fragments.append(_Fragment(first, ends[p], matches, float(len(matches) * distinct * 100)))
        low = p + 1
        if countdown == 0 and low < n and words[low] not in matched:
            # Whoosh's quirk: a countdown ending at exactly 0 still counts as inside a fragment
            # for the next word, which, unmatched, closes an empty one and is not looked back at.
            low += 1
    return fragments


def _plain(text: str, limit: int = SNIPPET_CHARS) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return escape(text)
    cut = text.rfind(" ", 0, limit)
    return escape(text[: cut if cut > 0 else limit]) + " …"


def _window(text: str, terms: frozenset[str]) -> str:
    """The bounded part of `text` worth analysing for `terms`."""
    if len(text) <= ANALYSED_CHARS:
        return text
    low = text[:WINDOW_CHARS].lower()
    hits = [i for i in (low.find(t) for t in terms) if i >= 0]
    first = min(hits) if hits else 0
    start = 0
    if first > LEAD_CHARS:
        start = low.rfind(" ", 0, first - LEAD_CHARS) + 1  # at a word boundary
    return text[start : start + ANALYSED_CHARS]


def _format(window: str, fragments: list[_Fragment], starts: list[int], ends: list[int]) -> str:
    """Whoosh's HtmlFormatter(tagname="mark", between=" … ", classname="hl", termclass="t"):
    escaped text, each matched word in a <mark> whose class t0..t4 follows the order in which
    the words (as written) first appear."""
    classes: dict[str, int] = {}
    out: list[str] = []
    for f in fragments:
        pieces: list[str] = []
        at = f.start
        for m in f.matches:
            word = escape(window[starts[m] : ends[m]], quote=False)
            cls = classes.setdefault(word, len(classes) % 5)
            pieces.append(escape(window[at : starts[m]], quote=False))
            pieces.append(f'<mark class="hl t{cls}">{word}</mark>')
            at = ends[m]
        pieces.append(escape(window[at : f.end], quote=False))
        out.append("".join(pieces))
    return " … ".join(out)


def make_snippet(text: str, terms: frozenset[str], max_chars: int = SNIPPET_CHARS) -> str:
    """Up to two fragments of `text` around the matched stems, or its opening when none match.

    The bytes of Whoosh's highlight() with a ContextFragmenter(max_chars // 2 + 40,
    max_chars // 4), top=2, BasicFragmentScorer and HtmlFormatter, fed a token per word (the
    word as written when it is a term, else its stem); tests/search/test_snippets_same.py holds
    it so against that algorithm.
    """
    if not terms:
        return _plain(text, max_chars)
    window = " ".join(_window(text, terms).split())
    parts = _WORDS_AND_GAPS.split(window)
    words = parts[1::2]
    unique = set(words)
    vocabulary = _current_vocabulary()
    vocabulary.learn(unique)
    matched = vocabulary.matching(unique, terms)
    if not matched:
        return _plain(text, max_chars)
    offsets = list(accumulate(map(len, parts)))
    starts, ends = offsets[0:-1:2], offsets[1::2]
    term_of = {w: vocabulary.term_of(w, terms) for w in matched}
    fragments = _context_fragments(
        words, starts, ends, matched, term_of, max_chars // 2 + 40, max_chars // 4
    )
    best = nlargest(2, (f for f in fragments if f.score >= 1), key=lambda f: (f.score, f.start))
    best.sort(key=lambda f: f.start)
    return _format(window, best, starts, ends) or _plain(text, max_chars)


def highlight_full(text: str, terms: frozenset[str]) -> str:
    """The whole text, escaped, with every matched word marked (for the article page)."""
    if not terms:
        return escape(text)
    formatter = highlight.HtmlFormatter(tagname="mark", classname="hl", termclass="t")
    tokens = [
        t.copy()
        for t in _analyzer(text, chars=True, positions=True, mode="index", removestops=False)
        if t.text in terms
    ]
    for t in tokens:
        t.matched = True
    if not tokens:
        return escape(text)
    fragment = highlight.Fragment(text, tokens, startchar=0, endchar=len(text))
    return formatter.format_fragment(fragment)
