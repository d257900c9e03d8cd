"""Highlighted, HTML-escaped snippets: escaped text with <mark> around matched words."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import escape
from typing import Any

from whoosh import highlight
from whoosh.analysis import Token

from indexer.analysis import TOKEN_PATTERN, stem, stemmed_analyzer

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


def _snippet_tokens(text: str, terms: frozenset[str]) -> Any:
    """A light stand-in for the analyzer, for snippets only: each word matches a term as
    written (names are indexed unstemmed) or by its cached stem. About five times cheaper than
    the full analyzer, whose name detection decides nothing here: a term is marked either way."""

    def tokens(value: str, **_: Any) -> Iterator[Token]:
        t = Token(positions=False, chars=True, removestops=False, mode="query")
        for pos, m in enumerate(_WORD.finditer(value)):
            low = m.group().lower()
            t.text = low if low in terms else stem(low)
            t.startchar, t.endchar, t.pos = m.start(), m.end(), pos
            t.stopped = False
            yield t

    return tokens


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
    fragmenter = highlight.ContextFragmenter(maxchars=max_chars // 2 + 40, surround=max_chars // 4)
    window = " ".join(_window(text, terms).split())
    out = highlight.highlight(
        window,
        terms,
        _snippet_tokens(window, terms),
        fragmenter,
        formatter,
        top=2,
        scorer=highlight.BasicFragmentScorer(),
    )
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
