"""The words of a snippet window, found without a regular expression or a stem look-up per word.

search.snippet_scan finds the words of most windows; this is the way for the rest (a term too
short to look for as a needle, or a window whose lowercase is longer than it).

A window (whitespace collapsed) is cut by `str.split` into chunks; a word (TOKEN_PATTERN) never
spans a space, so a chunk's words are found once per process and kept (`Vocabulary`), with each
word's lowercase form and stem. A window then costs a handful of C-level passes over its chunks
(split, dict look-ups, one running sum), and a word's offsets, text and running length total are
worked out on demand (`Words`) for the few words the fragmenter looks at.

The vocabulary is bounded (VOCABULARY_CHUNKS), so a worker serving varied searches keeps
meeting chunks it does not hold (`bench.ab_snippets --distinct`): learning one is kept cheap
(most chunks are one word between punctuation, learnt as their sizes and keys without the
regular expression; a chunk's `Chunk` is made when a window's fragments first ask for it), and
once the vocabulary is full a window's other chunks are worked out for it alone.
"""

from __future__ import annotations

import re
import string
import threading
from bisect import bisect_left
from itertools import accumulate, compress, count, repeat
from operator import is_
from typing import Any, NamedTuple

from index_format.analysis import TOKEN_PATTERN, stem, stem_exceptions

_WORD = re.compile(TOKEN_PATTERN)
VOCABULARY_CHUNKS = 50_000  # chunks a process's vocabulary holds (~25 MB)
# Two running sums in one int per chunk, so one `accumulate` gives both: the chunk's characters
# with the space after it, and its words' characters on top (bisected without a key).
# 13 bits: windows up to 8,190 characters (ANALYSED_CHARS is 3,000), and both sums in one
# 30-bit digit, which Python adds fastest.
_BITS = 13
MAX_WINDOW = (1 << _BITS) - 2
_MASK = (1 << _BITS) - 1
_NONE: tuple[str, ...] = ()


def _chars(packed: int) -> int:
    return packed & _MASK


def _word_chars(packed: int) -> int:
    return packed >> _BITS


_TUPLES: dict[tuple[int, ...], tuple[int, ...]] = {}


def _shared(offsets: tuple[int, ...]) -> tuple[int, ...]:
    """One tuple for all equal offsets (most chunks are one word: (0,), (n,), (n,))."""
    return _TUPLES.setdefault(offsets, offsets) if len(offsets) < 3 else offsets


# Characters that are no word character (\w) and so never start or end a word: a chunk that
# is one run of word characters between some of these holds that one word (TOKEN_PATTERN
# finds no other), found without the regular expression.
_EDGES = "".join(c for c in string.punctuation if c != "_") + "“”‘’«»–—…•·"
assert not re.search(r"\w", _EDGES)


class Chunk(NamedTuple):
    """The words of a chunk of text between spaces, with offsets relative to the chunk."""

    words: tuple[str, ...]
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    totals: tuple[int, ...]  # running total of the words' lengths, this word included

    @classmethod
    def of(cls, chunk: str) -> Chunk:
        core = chunk.strip(_EDGES)
        if core.isalnum():  # all word characters (\w: what isalnum says, and "_")
            start = len(chunk) - len(chunk.lstrip(_EDGES))
            length = len(core)
            offsets = (_shared((start,)), _shared((start + length,)), _shared((length,)))
            return tuple.__new__(cls, ((core,), *offsets))
        spans = [m.span() for m in _WORD.finditer(chunk)]
        return tuple.__new__(
            cls,
            (
                tuple(chunk[s:e] for s, e in spans),
                _shared(tuple(s for s, _ in spans)),
                _shared(tuple(e for _, e in spans)),
                _shared(tuple(accumulate(e - s for s, e in spans))),
            ),
        )

    def packed(self, chunk: str) -> int:
        chars = self.totals[-1] if self.totals else 0
        return (len(chunk) + 1) | chars << _BITS


def _file(index: dict[str, tuple[str, ...]], key: str, value: str) -> None:
    index[key] = (*index.get(key, _NONE), value)


def _sizes_and_words(text: str) -> tuple[int, tuple[str, ...], Chunk | None]:
    """A chunk's sizes (packed, see _BITS) and words, and its Chunk when one was worked out."""
    core = text.strip(_EDGES)
    if core.isalnum():  # one word (see Chunk.of): no Chunk needed
        return (len(text) + 1) | len(core) << _BITS, (core,), None
    chunk = Chunk.of(text)
    return chunk.packed(text), chunk.words, chunk


class _Chunks(dict[str, Chunk]):
    """Chunks by their text, each worked out when first asked for; kept for the chunks of the
    vocabulary (`known`) only."""

    def __init__(self, known: dict[str, int]) -> None:
        super().__init__()
        self.known = known

    def __missing__(self, text: str) -> Chunk:
        chunk = Chunk.of(text)
        if text in self.known:
            self[text] = chunk
        return chunk


# A window's chunks that a full vocabulary does not hold: their sizes and words.
Unknown = dict[str, tuple[int, tuple[str, ...]]]
_NO_UNKNOWN: Unknown = {}


class Vocabulary:
    """The chunks and words (as written) met in snippet windows by this process, up to
    VOCABULARY_CHUNKS chunks. A word is filed under the two keys by which it matches a term:
    its lowercase form (names are indexed unstemmed) and its stem; a chunk under the keys of
    its words.

    Once full, the vocabulary keeps what it holds (the chunks a worker meets first are mostly
    the frequent ones) and a window's other chunks are worked out for that window alone
    (`Unknown`): ~2 µs a chunk, where filing one costs ~6 µs, and starting afresh had a worker
    serving varied searches file ~36 chunks a window, ~29 unknown now (22k articles)."""

    def __init__(self) -> None:
        self.exceptions = dict(stem_exceptions())  # the table the stems were made with
        self.packed: dict[str, int] = {}  # chunk -> its sizes (packed, see _BITS)
        self.chunks = _Chunks(self.packed)  # (a chunk's words worked out when first asked for)
        self.keys: dict[str, tuple[str, str]] = {}  # word -> (lowercase, stem of lowercase)
        # lowercase form or stem -> words, chunks. Tuples, not lists: most keys have one, and
        # the garbage collector stops visiting a tuple of strings (a worker's collections went
        # through ~100,000 lists, a quarter of the time of windows with chunks to learn).
        self.words_of: dict[str, tuple[str, ...]] = {}
        self.chunks_of: dict[str, tuple[str, ...]] = {}
        self._learning = threading.Lock()

    def running_sizes(self, chunks: list[str]) -> tuple[list[int], Unknown]:
        """The running sums of the chunks' sizes (packed, see _BITS) before each chunk and
        after the last, learning the chunks not met yet while there is room; and the chunks
        there was no room for."""
        get = self.packed.get
        try:  # one pass when every chunk is known (a None fails the first sum after it)
            return list(accumulate(map(get, chunks), initial=0)), _NO_UNKNOWN  # type: ignore[arg-type]
        except TypeError:
            pass
        with self._learning:  # (filing a chunk under its keys is no single operation)
            new = set(chunks).difference(self.packed)
            while new and len(self.packed) < VOCABULARY_CHUNKS:
                self._learn(new.pop())
        unknown: Unknown = {}
        for text in new:  # no room for them
            packed, words, _ = _sizes_and_words(text)
            unknown[text] = (packed, words)
        sizes: list[Any] = list(map(get, chunks))
        for i in compress(count(), map(is_, sizes, repeat(None))):
            sizes[i] = unknown[chunks[i]][0]
        return list(accumulate(sizes, initial=0)), unknown

    def _learn(self, text: str) -> None:
        """File `text` under its words' keys, then (last: a chunk in `packed` is known to
        other threads, which do not wait for the lock) its sizes."""
        packed, words, chunk = _sizes_and_words(text)
        if chunk is not None:
            self.chunks[text] = chunk
        words_of, chunks_of = self.words_of, self.chunks_of
        for word in words:
            keys = self.keys.get(word)
            if keys is None:
                low = word.lower()
                keys = self.keys[word] = (low, stem(low))
                _file(words_of, low, word)
                if keys[1] != low:
                    _file(words_of, keys[1], word)
            low, stemmed = keys
            _file(chunks_of, low, text)
            if stemmed != low:
                _file(chunks_of, stemmed, text)
        self.packed[text] = packed

    def matching(
        self, terms: frozenset[str], unknown: Unknown = _NO_UNKNOWN
    ) -> tuple[set[str], set[str]]:
        """The words and the chunks met so far, or `unknown`, that match one of `terms`."""
        words: set[str] = set()
        chunks: set[str] = set()
        for term in terms:
            words.update(self.words_of.get(term, _NONE))
            chunks.update(self.chunks_of.get(term, _NONE))
        for text, (_, held) in unknown.items():
            for word in held:
                low, stemmed = self._keys(word)
                if low in terms or stemmed in terms:
                    words.add(word)
                    chunks.add(text)
        return words, chunks

    def _keys(self, word: str) -> tuple[str, str]:
        keys = self.keys.get(word)
        if keys is None:
            low = word.lower()
            keys = (low, stem(low))
        return keys

    def term_of(self, word: str, terms: frozenset[str]) -> str:
        """The term a matching word stands for: as written when that is a term, else its stem."""
        low, stemmed = self._keys(word)
        return low if low in terms else stemmed


_vocabulary: Vocabulary | None = None  # made on first use, after the app set the exceptions


def current_vocabulary() -> Vocabulary:
    """This process's vocabulary; a new one when the stem exceptions changed
    (configure_stem_exceptions). Replaced, never cleared: a thread holding the old one goes on."""
    global _vocabulary
    vocabulary = _vocabulary
    if vocabulary is None or vocabulary.exceptions != stem_exceptions():
        vocabulary = _vocabulary = Vocabulary()
    return vocabulary


Position = tuple[int, int]  # a word's chunk, and its number in the chunk


# A matched word: where it is (a Position; the start again in search.snippet_scan's windows),
# its start and end in the window, the length of the words up to it together (`Words.total`),
# its text, and the length of the word before it (0 for the first word; -1: not worked out).
# A plain tuple, unpacked where it is read: made for each match of each hit, a NamedTuple
# cost ~0.1 µs more to make and each of its fields more to read.
Match = tuple[Any, int, int, int, str, int]


class Words:
    """The words of `" ".join(chunks)`, as TOKEN_PATTERN finds them, each at a Position; END
    after the last."""

    def __init__(self, chunks: list[str], vocabulary: Vocabulary) -> None:
        self.chunks = chunks
        self.info = vocabulary.chunks
        # before[c]: chunk c's start, and its words' characters before it.
        self.before, self.unknown = vocabulary.running_sizes(chunks)
        self.end = (len(chunks), 0)

    def matching(self, words: set[str], chunks: set[str]) -> list[Match]:
        """The words in `words` (which only `chunks` hold), in order."""
        out: list[Match] = []
        before, info, texts = self.before, self.info, self.chunks
        for c in compress(count(), map(chunks.__contains__, texts)):
            packed = before[c]
            at, chars = packed & _MASK, packed >> _BITS
            chunk = info[texts[c]]
            for q, word in enumerate(chunk.words):
                if word in words:
                    if q:
                        length = chunk.ends[q - 1] - chunk.starts[q - 1]
                    else:
                        length = self._last_length_before(c)
                    start, end = at + chunk.starts[q], at + chunk.ends[q]
                    out.append(((c, q), start, end, chars + chunk.totals[q], word, length))
        return out

    def _last_length_before(self, chunk: int) -> int:
        """The length of the last word before `chunk` (0: none)."""
        if chunk and (before := self.info[self.chunks[chunk - 1]]).words:
            return before.ends[-1] - before.starts[-1]
        for c in range(chunk - 2, -1, -1):
            before = self.info[self.chunks[c]]
            if before.words:
                return before.ends[-1] - before.starts[-1]
        return 0

    def span(self, at: Position) -> tuple[int, int]:
        """The start and end of the word at `at`."""
        c, q = at
        chunk = self.info[self.chunks[c]]
        offset = _chars(self.before[c])
        return offset + chunk.starts[q], offset + chunk.ends[q]

    def total(self, at: Position) -> int:
        """The length of the words up to `at` (included) together."""
        c, q = at
        return _word_chars(self.before[c]) + self.info[self.chunks[c]].totals[q]

    def after(self, at: Position) -> Position:
        """The word after `at`, or END."""
        c, q = at
        if q + 1 < len(self.info[self.chunks[c]].words):
            return c, q + 1
        return self._first_from(c + 1)

    def previous(self, at: Position) -> Position | None:
        """The word before `at` (which may be END), or None."""
        c, q = at
        if q > 0:
            return c, q - 1
        for b in range(c - 1, -1, -1):
            words = len(self.info[self.chunks[b]].words)
            if words:
                return b, words - 1
        return None

    def _first_from(self, chunk: int) -> Position:
        """The first word of `chunk` or a later one, or END."""
        for c in range(chunk, len(self.chunks)):
            if self.info[self.chunks[c]].words:
                return c, 0
        return self.end

    def first_total(self, at_least: int, lo: Position) -> Position:
        """The first word from lo on whose total (`total`) is at least `at_least`, or END."""
        c = bisect_left(self.before, at_least << _BITS) - 1
        if c < 0:
            return lo
        if c == len(self.chunks):
            return self.end
        chunk = self.info[self.chunks[c]]
        q = bisect_left(chunk.totals, at_least - _word_chars(self.before[c]))
        return max(lo, (c, q))

    def first_total_over(self, limit: int, lo: Position) -> Position:
        """The first word from lo on whose total exceeds `limit`, or END."""
        return self.first_total(limit + 1, lo)

    def first_starting(self, at: int, lo: Position, hi: Position) -> Position:
        """The first word from lo to before hi starting at or after character `at`; hi when
        none."""
        c = bisect_left(self.before, at, key=_chars)  # the first chunk starting at or after it
        first = self._first_from(c)
        if c > 0:  # or a word of the chunk before, past its start
            chunk = self.info[self.chunks[c - 1]]
            q = bisect_left(chunk.starts, at - _chars(self.before[c - 1]))
            if q < len(chunk.starts):
                first = (c - 1, q)
        return min(max(lo, first), hi)
