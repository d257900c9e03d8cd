"""The words of a snippet window found by C-level string operations, not word by word.

A word (TOKEN_PATTERN) is a run of word characters, with a `-`, `.`, `'` or `’` inside it
between two of them. `Marks` translates the window into one byte per character (any other than
ASCII by an ASCII stand-in of its kind), b"w" for a character of a word and b" " for any other,
so that every question the fragmenter asks is a `find`, `rfind` or `count` over those bytes:
where the word holding a character starts and ends, the word before, and the length of the
words up to a place together (the running total the fragmenter counts in, a Match's total).

A window's matched words are found from their surface forms: a word matches a term when its
lowercase form is the term, or its stem is. The exception table aside, Sastrawi's stem of a
word is the word, or a root word of its dictionary found by stripping affixes and recoding the
root's first letter (the root less its first letter is part of the word), or the first part of
a plural (part of the word): held for all 106,600 distinct words of the CLICK-ID archive
(tests). So `needles(terms)` are the parts every matching word holds, looked for in the
lowercase window, and only the words holding one are looked up (`Keys`).
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable

from index_format.analysis import _stemmer, stem, stem_exceptions
from search.snippet_words import Match

# A needle shorter than this is in too many words to be worth looking for: such terms go the
# general way (search.snippet_words).
MIN_NEEDLE = 2
WORD, OTHER = b"w", b" "
_SEPARATOR = b"s"  # a separator, before Marks knows whether it is inside a word
_SEPARATORS = b"-.'"  # inside a word between two word characters (TOKEN_PATTERN; ’ is not ASCII)
_CLASSES = bytes.maketrans(
    bytes(range(128)),
    b"".join(
        WORD if re.fullmatch(r"\w", chr(c)) else _SEPARATOR if c in _SEPARATORS else OTHER
        for c in range(128)
    ),
)
_STAND_INS = "telusur-snippet-stand-ins"


def _stand_ins(error: UnicodeError) -> tuple[str, int]:
    """An ASCII character of the same kind for each other character: a word character (\\w:
    what isalnum says), the one separator (’), or neither."""
    assert isinstance(error, UnicodeEncodeError)
    chars = error.object[error.start : error.end]
    return "".join("a" if c.isalnum() else "'" if c == "’" else "#" for c in chars), error.end


codecs.register_error(_STAND_INS, _stand_ins)
_RUN = re.compile(rb"w+")
# A separator between two word characters (the lookbehind and lookahead see the marks as they
# were: in "wswsw" both). Led by the separator, which is rare, so that the search for it is a
# fast scan: a lookbehind first, or a search for b"wsw", looks at nearly every character (a
# window's marks took ~2.5x the time so).
_INSIDE = re.compile(rb"s(?<=ws)(?=w)")


class Keys:
    """Each word's lowercase form and the stem of it, worked out once per process (up to
    MAX_WORDS words, then afresh), and the exception table's words by their stems."""

    MAX_WORDS = 100_000

    def __init__(self) -> None:
        self.exceptions = dict(stem_exceptions())
        self.by_stem: dict[str, list[str]] = {}
        for word, stemmed in self.exceptions.items():
            self.by_stem.setdefault(stemmed, []).append(word)
        self.keys: dict[str, tuple[str, str]] = {}

    def of(self, word: str) -> tuple[str, str]:
        keys = self.keys.get(word)
        if keys is None:
            if len(self.keys) >= self.MAX_WORDS:
                self.keys = {}
            low = word.lower()
            keys = self.keys[word] = (low, stem(low))
        return keys

    def needles(self, terms: Iterable[str]) -> set[str] | None:
        """What every word matching one of `terms` holds, lowercase; None when that is too
        short to look for."""
        out: set[str] = set()
        roots = root_words()
        for term in terms:
            needle = term[1:] if term in roots else term
            if len(needle) < MIN_NEEDLE:
                return None
            out.add(needle)
            out.update(self.by_stem.get(term, ()))
        return out


def root_words() -> frozenset[str]:
    """Sastrawi's root words: the stems it gives that are not part of the word as written.
    The stemmer's own set (its list holds no blank word): a second copy cost a worker ~3.8 MB."""
    words: frozenset[str] = _stemmer().words
    return words


_keys: Keys | None = None


def current_keys() -> Keys:
    """This process's Keys; new ones when the stem exceptions changed."""
    global _keys
    keys = _keys
    if keys is None or keys.exceptions != stem_exceptions():
        keys = _keys = Keys()
    return keys


class Marks:
    """The words of a window (see the module's docstring): a byte per character, the ASCII
    ones by their kind, the others by that of an ASCII stand-in."""

    def __init__(self, window: str) -> None:
        marks = window.encode("ascii", _STAND_INS).translate(_CLASSES)
        marks = _INSIDE.sub(WORD, marks)  # a separator between two word characters
        self.end = len(marks)
        # Ending with an other character: a word's end is always found.
        self.marks = marks.replace(_SEPARATOR, OTHER) + OTHER  # (replace: 1/3 of a translate)

    def word_after(self, at: int) -> tuple[int, int] | None:
        """The first word starting at or after `at`, which is no word's inside."""
        found = _RUN.search(self.marks, at)
        return found.span() if found else None

    def reaching(self, total: int, start: int, before: int) -> tuple[int, int, int] | None:
        """From `start` (no word's inside), with `before` characters of words before it: the
        first word whose running total reaches `total`, as (start, end, its total); None when
        the window ends first."""
        count = self.marks.count
        wanted = total - before  # the wanted word holds the wanted-th word character from start
        at, seen = start, 0
        while seen < wanted:  # each step reads at least as far as the characters still wanted
            if at >= self.end:
                return None
            step = wanted - seen
            seen += count(WORD, at, at + step)
            at += step
        # The wanted one is at - 1: its word goes on to the next other character, every one
        # up to it a word's.
        marks = self.marks
        word_end = marks.find(OTHER, at)
        if word_end < 0:
            word_end = self.end
        return marks.rfind(OTHER, 0, at - 1) + 1, word_end, before + seen + word_end - at

    def last_end(self) -> int:
        """Where the window's last word ends (0: no word)."""
        return self.marks.rfind(WORD) + 1


def matching(
    window: str,
    low: str,
    marks: Marks,
    needles: set[str],
    terms: frozenset[str],
    keys: Keys,
    seen: dict[str, str] | None = None,
) -> tuple[list[Match], dict[str, str]]:
    """The window's words that match `terms`, in order, as search.snippets groups them (each
    Match's `previous` -1: search.snippets works it out for those that need it),
    and the term each word met stands for (as written when that is a term, else its stem; "":
    none): `seen`, updated, kept across a page's windows. `low` is the window in lowercase,
    as long as the window."""
    find, rfind, count = marks.marks.find, marks.marks.rfind, marks.marks.count
    known = keys.keys
    if seen is None:
        seen = {}
    out: list[Match] = []
    total, counted = 0, 0  # the words' characters before `counted`
    words: list[tuple[int, int]]  # (start, end) of each word holding a needle, in order
    if len(needles) == 1:  # its words found in order: nothing to sort
        (needle,) = needles
        size, search = len(needle), low.find
        words = []
        at = search(needle)
        while at >= 0:
            end = find(OTHER, at)  # (found: the marks end with one)
            if end < at + size:  # not inside one word
                at = search(needle, at + 1)
                continue
            words.append((rfind(OTHER, 0, at) + 1, end))
            at = search(needle, end)  # (a word is looked in once, from its end on)
    else:
        spans: dict[int, int] = {}  # the words holding a needle: start -> end
        for needle in needles:
            size = len(needle)
            at = low.find(needle)
            while at >= 0:
                end = find(OTHER, at)  # (found: the marks end with one)
                if end >= at + size:  # inside one word
                    spans[rfind(OTHER, 0, at) + 1] = end
                    at = low.find(needle, end)
                else:
                    at = low.find(needle, at + 1)
        words = sorted(spans.items())
    for start, end in words:
        word = window[start:end]
        term = seen.get(word)
        if term is None:
            low_word, stemmed = known.get(word) or keys.of(word)
            term = low_word if low_word in terms else stemmed if stemmed in terms else ""
            seen[word] = term
        if not term:
            continue
        total += count(WORD, counted, end)
        counted = end
        # (previous: -1, worked out by search.snippets for the fragments' openings)
        out.append((start, start, end, total, word, -1))
    return out, seen
