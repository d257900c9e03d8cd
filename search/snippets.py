"""Highlighted, HTML-escaped snippets: escaped text with <mark> around matched words."""

from __future__ import annotations

from dataclasses import dataclass
from heapq import nlargest
from html import escape

from whoosh import highlight

from index_format.analysis import stemmed_analyzer
from search.snippet_words import Match, Words, current_vocabulary

SNIPPET_CHARS = 240
# Highlighting runs the full analyzer (the costly part of a search page): it sees at most
# ANALYSED_CHARS, starting shortly before the first place a term occurs as a plain substring
# (a stem usually is one of its word: "bakar" in "kebakaran"). Substrings are searched in the
# first WINDOW_CHARS only; without one, the opening is analysed.
WINDOW_CHARS = 20_000
ANALYSED_CHARS = 3_000
LEAD_CHARS = 200

_analyzer = stemmed_analyzer()


@dataclass(slots=True)
class _Fragment:
    start: int  # character offsets in the window
    end: int
    matches: list[Match]
    score: float


def _context_fragments(
    words: Words,
    matched: list[Match],
    term_of: dict[str, str],
    maxchars: int,
    surround: int,
) -> list[_Fragment]:
    """The fragments Whoosh's ContextFragmenter(maxchars, surround) cuts, word by word, from the
    window, with the score its BasicFragmentScorer gives them (matches x distinct terms x 100).
    `matched`: the words that match, in order; `term_of`: the term each stands for.

    The fragmenter's walk, worked out from the matched words alone. Between fragments it only
    remembers the unmatched words within `surround` characters (start to the latest word's end),
    so a fragment opened by word j starts at the first word since the last fragment starting no
    earlier than end(j-1) - surround (or at j, with twice the countdown, when there is none).
    Inside, a countdown set to `surround` at each match loses each word's length; the fragment
    closes on the word that brings it to 0 or below, or on the word that makes the fragment's
    words longer than `maxchars` together: both found from the running total of the words'
    lengths (`Words.total`)."""
    fragments: list[_Fragment] = []
    is_match = {m.at for m in matched}
    low = (0, 0)  # the first word after the last fragment (or before it)
    i = 0  # in `matched`
    while i < len(matched):
        opening = matched[i]
        i += 1
        j = opening.at
        if j < low:
            continue
        length = opening.end - opening.start
        if length > maxchars:  # too long for any fragment: Whoosh closes an empty one
            low = words.after(j)
            continue
        countdown = surround
        previous = words.previous(j)
        k = j
        if previous is not None and previous >= low:
            k = words.first_starting(words.span(previous)[1] - surround, low, j)
        if k < j:
            first = words.span(k)[0]
        else:
            first = opening.start
            countdown += surround
        limit = opening.total - length + maxchars  # the total the fragment's words may reach
        last = opening  # the latest match
        matches = [opening]
        countdown -= length
        while countdown > 0:
            following = matched[i] if i < len(matched) else None
            if (
                following is not None
                and following.total <= limit  # within maxchars
                # reached before the countdown runs out: the words between are shorter
                and following.total - (following.end - following.start) - last.total < countdown
            ):
                i += 1
                matches.append(following)
                last = following
                countdown = surround - (following.end - following.start)
                continue
            after = words.after(last.at)
            by_countdown = words.first_total(last.total + countdown, after)
            by_length = words.first_total_over(limit, after)
            if by_length <= by_countdown:
                close, countdown = by_length, -1
            else:
                close = by_countdown
                if close != words.end:
                    countdown -= words.total(close) - last.total
            break
        else:
            close = last.at
        if close == words.end:  # the window ends the fragment, at its last word
            end = words.span(words.previous(close) or close)[1]
            low = close
        else:
            end = words.span(close)[1]
            low = words.after(close)
        score = float(len(matches) * len({term_of[m.text] for m in matches}) * 100)
        fragments.append(_Fragment(first, end, matches, score))
        if countdown == 0 and low != words.end and low not in is_match:
            # Whoosh's quirk: a countdown ending at exactly 0 still counts as inside a fragment
            # for the next word, which, unmatched, closes an empty one and is not looked back at.
            low = words.after(low)
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


def _format(window: str, fragments: list[_Fragment], words: Words) -> str:
    """Whoosh's HtmlFormatter(tagname="mark", between=" … ", classname="hl", termclass="t"):
    escaped text, each matched word in a <mark> whose class t0..t4 follows the order in which
    the words (as written) first appear."""
    classes: dict[str, int] = {}
    out: list[str] = []
    for f in fragments:
        pieces: list[str] = []
        at = f.start
        for m in f.matches:
            start, end = m.start, m.end
            word = escape(window[start:end], quote=False)
            cls = classes.setdefault(word, len(classes) % 5)
            pieces.append(escape(window[at:start], quote=False))
            pieces.append(f'<mark class="hl t{cls}">{word}</mark>')
            at = end
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
    chunks = _window(text, terms).split()
    vocabulary = current_vocabulary()
    words = Words(chunks, vocabulary)
    found, holding = vocabulary.matching(terms)
    matched = words.matching(found, holding)
    if not matched:
        return _plain(text, max_chars)
    term_of = {w: vocabulary.term_of(w, terms) for w in found}
    fragments = _context_fragments(words, matched, term_of, max_chars // 2 + 40, max_chars // 4)
    best = nlargest(2, (f for f in fragments if f.score >= 1), key=lambda f: (f.score, f.start))
    best.sort(key=lambda f: f.start)
    return _format(" ".join(chunks), best, words) or _plain(text, max_chars)


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
