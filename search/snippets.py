"""Highlighted, HTML-escaped snippets: escaped text with <mark> around matched words."""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator
from html import escape

from whoosh import highlight
from whoosh.analysis import Token

from index_format.analysis import TOKEN_PATTERN, stem, stemmed_analyzer

SNIPPET_CHARS = 240
# Highlighting runs the full analyzer (the costly part of a search page): it sees at most
# ANALYSED_CHARS, starting shortly before the first place a term occurs as a plain substring
# (a stem usually is one of its word: "bakar" in "kebakaran"). Substrings are searched in the
# first WINDOW_CHARS only; without one, the opening is analysed.
WINDOW_CHARS = 20_000
ANALYSED_CHARS = 3_000
LEAD_CHARS = 200

_analyzer = stemmed_analyzer()
_WORD = re.compile(TOKEN_PATTERN)


def _context_fragments(
    text: str, terms: frozenset[str], maxchars: int, surround: int
) -> Iterator[highlight.Fragment]:
    """Whoosh's ContextFragmenter, step for step, without a Token object per word: only matched
    words become Tokens (the fragments hold nothing else); same fragments, several times cheaper.

    A light stand-in for the analyzer: each word matches a term as written (names are indexed
    unstemmed) or by its cached stem. The full analyzer's name detection decides nothing here:
    a term is marked either way."""
    charlimit = highlight.DEFAULT_CHARLIMIT
    first: int | None = None
    firsts: deque[int] = deque()
    countdown = -1
    tks: list[Token] = []
    endchar = 0
    currentlen = 0
    for pos, m in enumerate(_WORD.finditer(text)):
        startchar, endchar = m.span()
        tlength = endchar - startchar
        if endchar > charlimit:
            break
        low = m.group().lower()
        word = low if low in terms else stem(low)
        matched = word in terms
        if countdown < 0 and not matched:
            firsts.append(startchar)
            while firsts and endchar - firsts[0] > surround:
                firsts.popleft()
        elif currentlen + tlength > maxchars:
            countdown = 0
        elif matched:
            countdown = surround
            if first is None:
                if firsts:
                    first = firsts[0]
                else:
                    first = startchar
                    countdown += surround
            t = Token(positions=False, chars=True, removestops=False, mode="query")
            t.text, t.startchar, t.endchar, t.pos = word, startchar, endchar, pos
            t.stopped, t.matched = False, True
            tks.append(t)
        if countdown >= 0:
            currentlen += tlength
            countdown -= tlength
            if countdown <= 0:
                yield highlight.mkfrag(text, tks, startchar=first, endchar=endchar)
                tks = []
                firsts = deque()
                first = None
                currentlen = 0
    if tks:
        yield highlight.mkfrag(text, tks, startchar=first, endchar=endchar)


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


def make_snippet(text: str, terms: frozenset[str], max_chars: int = SNIPPET_CHARS) -> str:
    """Up to two fragments of `text` around the matched stems, or its opening when none match.

    Only Whoosh's HtmlFormatter escapes the text around a highlight; a new one per call, since
    it keeps state between fragments.
    """
    if not terms:
        return _plain(text, max_chars)
    formatter = highlight.HtmlFormatter(
        tagname="mark", between=" … ", classname="hl", termclass="t"
    )
    window = " ".join(_window(text, terms).split())
    # highlight.highlight() with a ContextFragmenter(maxchars, surround), top=2, basic scorer.
    fragments = _context_fragments(window, terms, max_chars // 2 + 40, max_chars // 4)
    best = highlight.top_fragments(
        fragments, 2, highlight.BasicFragmentScorer(), highlight.FIRST, minscore=1
    )
    out = formatter(window, best)
    return out or _plain(text, max_chars)


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
