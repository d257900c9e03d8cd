"""Highlighted, HTML-escaped snippets: escaped text with <mark> around matched words."""

from __future__ import annotations

from html import escape

from whoosh import highlight

from indexer.analysis import stemmed_analyzer

SNIPPET_CHARS = 240
# Highlighting analyses the text; beyond this many characters we only look for a match window.
WINDOW_CHARS = 20_000

_analyzer = stemmed_analyzer()


def _plain(text: str, limit: int = SNIPPET_CHARS) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return escape(text)
    cut = text.rfind(" ", 0, limit)
    return escape(text[: cut if cut > 0 else limit]) + " …"


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
    window = " ".join(text[:WINDOW_CHARS].split())
    out = highlight.highlight(
        window,
        terms,
        _analyzer,
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
