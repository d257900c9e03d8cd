"""Highlighted, HTML-escaped snippets: escaped text with <mark> around matched words."""

from __future__ import annotations

from bisect import bisect_left
from html import escape
from operator import itemgetter
from typing import NamedTuple

from whoosh import highlight

from index_format.analysis import stemmed_analyzer
from search.snippet_scan import OTHER, WORD, Keys, Marks, current_keys
from search.snippet_scan import matching as scan_matching
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


class _Fragment(NamedTuple):
    """A fragment as Whoosh's ContextFragmenter cuts it, known by its matches; where it starts
    and ends is worked out for the fragments shown only (`_place`). (A tuple: made for each
    fragment of each hit, as a dataclass it cost ~0.5 µs.)"""

    matches: list[Match]
    score: float  # BasicFragmentScorer's: matches x distinct terms x 100
    looks_back: bool  # starts before its first match
    close: int  # it ends on the first word whose running total (Words.total) reaches this
    zero: bool  # ... where the countdown may end at exactly 0 (see _group)
    after: tuple[int, bool]  # (close, zero) of what closed before it ((-1, False): nothing)


def _group(
    matched: list[Match],
    term_of: dict[str, str],
    maxchars: int,
    surround: int,
    marks: bytes = b"",
    one_term: bool = False,
) -> list[_Fragment]:
    """The fragments Whoosh's ContextFragmenter(maxchars, surround) cuts, word by word, from the
    window, worked out from the matched words alone: from their lengths, the running total of
    the words' lengths at each (Words.total) and the length of the word before each.

    The fragmenter, between fragments, remembers the unmatched words within `surround`
    characters (start to the latest word's end): a fragment opened by a match starts before it
    when the word before it is unmatched, after the last fragment, and at most `surround` long;
    else the countdown starts at twice `surround`. Inside, a countdown set to `surround` at each
    match loses each word's length; the fragment closes on the word that brings it to 0 or
    below, or on the word that makes its words longer than `maxchars` together (that word is not
    marked, nor looked back at, even when it matches). A countdown ending at exactly 0 still
    counts as inside a fragment for the next word, which, unmatched, closes an empty one and is
    not looked back at either.

    `marks`: the window's Marks.marks, where the length of the word before a match is found
    for the matches whose `previous` is -1 (not worked out: only a fragment's opening needs
    it). `one_term`: the query has one term, so every fragment holds one distinct term."""
    fragments: list[_Fragment] = []
    new = tuple.__new__  # (a NamedTuple's own __new__ parses arguments)
    close, zero = -1, False  # how the last fragment ended (-1: none yet)
    rfind = marks.rfind
    i, n = 0, len(matched)
    while i < n:
        opening = matched[i]
        i += 1
        _, start, end, total, _, previous = opening
        length = end - start
        before = total - length  # the total before it
        if close >= 0:
            if before < close <= total:  # it closed the last fragment
                close, zero = total, False
                continue
            if previous < 0:  # (the word before ends at last + 1)
                last = rfind(WORD, 0, start)
                previous = last - rfind(OTHER, 0, last) if last >= 0 else 0
            # The last fragment closed on the word before it, or on the one before that with
            # the countdown at exactly 0: nothing to look back at.
            fresh = before - previous < close <= before or (zero and before - previous == close)
        else:
            fresh = before == 0  # the first word
            if not fresh and previous < 0:
                last = rfind(WORD, 0, start)
                previous = last - rfind(OTHER, 0, last) if last >= 0 else 0
        if length > maxchars:  # too long for any fragment: Whoosh closes an empty one
            close, zero = total, False
            continue
        after = (close, zero)
        looks_back = not fresh and previous <= surround
        countdown = (surround if looks_back else 2 * surround) - length
        limit = before + maxchars  # the total the fragment's words may reach
        last = total  # the last match's total
        matches = [opening]
        while countdown > 0 and i < n:
            following = matched[i]
            _, start, end, total, _, _ = following
            length = end - start
            # Within maxchars, and reached before the countdown runs out.
            if total > limit or total - length - last >= countdown:
                break
            i += 1
            matches.append(following)
            last = total
            countdown = surround - length
        if countdown <= 0:  # closes on its last match
            close, zero = last, countdown == 0
        else:  # on the word where the countdown runs out, or past maxchars, or the window ends
            countdown_ends = last + countdown
            close = limit + 1 if countdown_ends > limit else countdown_ends
            zero = countdown_ends <= limit  # (the countdown's, when that word's total is close)
        if len(matches) == 1 or one_term:
            score = float(len(matches) * 100)
        else:  # (the matches' texts, then their terms, by C-level maps)
            distinct = len(set(map(term_of.__getitem__, map(_TEXT, matches))))
            score = float(len(matches) * distinct * 100)
        fragments.append(new(_Fragment, (matches, score, looks_back, close, zero, after)))
    return fragments


_TEXT = itemgetter(4)  # a Match's text


def _place(words: Words, fragment: _Fragment, surround: int) -> tuple[int, int]:
    """Where `fragment` starts and ends in the window."""
    opening, start = fragment.matches[0][:2]
    if fragment.looks_back:
        low = (0, 0)  # the first word after what closed before
        close, zero = fragment.after
        if close >= 0:
            closing = words.first_total(close, (0, 0))
            low = words.after(closing)
            if zero and words.total(closing) == close and low != words.end:
                low = words.after(low)  # the word that closed an empty fragment
        previous = words.previous(opening)
        assert previous is not None  # looks_back says there is an unmatched word before
        start = words.span(words.first_starting(words.span(previous)[1] - surround, low, opening))[
            0
        ]
    closing = words.first_total(fragment.close, (0, 0))
    if closing == words.end:  # the window ends the fragment, at its last word
        closing = words.previous(closing) or closing
    return start, words.span(closing)[1]


def _plain(text: str, limit: int = SNIPPET_CHARS) -> str:
    """The opening of `text`, its whitespace collapsed, cut at a space before `limit`
    characters. Only its first `limit` + 1 words are collapsed: with their spaces they are
    longer than `limit` already (a long article's whole text was, for ~240 characters)."""
    words = text.split(None, limit + 1)
    if len(words) > limit + 1:
        words.pop()  # the rest of the text, unsplit: past the cut
    text = " ".join(words)
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


def _format(
    window: str, fragments: list[tuple[int, int, list[Match]]], collapse: bool = False
) -> str:
    """Whoosh's HtmlFormatter(tagname="mark", between=" … ", classname="hl", termclass="t"):
    escaped text, each matched word in a <mark> whose class t0..t4 follows the order in which
    the words (as written) first appear. `collapse`: each run of spaces in the fragments
    becomes one space (a fragment starts and ends with a word; a tag holds single spaces)."""
    classes: dict[str, int] = {}
    out: list[str] = []
    for start, end, matches in fragments:
        text = window[start:end]
        plain = "&" not in text and "<" not in text and ">" not in text  # nothing to escape
        pieces: list[str] = []
        at = start
        for _, word_start, word_end, _, word, _ in matches:  # (a word holds no & < >)
            between = window[at:word_start]
            opening = _OPENING[classes.setdefault(word, len(classes) % 5)]
            pieces += (between if plain else escape(between, quote=False), opening, word, "</mark>")
            at = word_end
        between = window[at:end]
        pieces.append(between if plain else escape(between, quote=False))
        fragment = "".join(pieces)
        if collapse and (not fragment.isprintable() or "  " in fragment):  # (" " is printable)
            fragment = " ".join(fragment.split())
        out.append(fragment)
    return " … ".join(out)


_OPENING = tuple(f'<mark class="hl t{i}">' for i in range(5))


def make_snippet(text: str, terms: frozenset[str], max_chars: int = SNIPPET_CHARS) -> str:
    """Up to two fragments of `text` around the matched stems, or its opening when none match.

    The bytes of Whoosh's highlight() with a ContextFragmenter(max_chars // 2 + 40,
    max_chars // 4), top=2, BasicFragmentScorer and HtmlFormatter, fed a token per word (the
    word as written when it is a term, else its stem); tests/search/test_snippets_same.py holds
    it so against that algorithm. A window's words are found by search.snippet_scan,
    a few others' by search.snippet_words.
    """
    return make_snippets([text], terms, max_chars)[0]


def make_snippets(
    texts: list[str], terms: frozenset[str], max_chars: int = SNIPPET_CHARS
) -> list[str]:
    """make_snippet of each of `texts` (a page's hits) for one query's `terms`: what depends on
    the terms alone is worked out once."""
    if not terms:
        return [_plain(text, max_chars) for text in texts]
    keys = current_keys()
    needles = keys.needles(terms)
    seen: dict[str, str] = {}  # the term of each word met in the page ("": none)
    return [_snippet(text, terms, keys, needles, seen, max_chars) for text in texts]


def _snippet(
    text: str,
    terms: frozenset[str],
    keys: Keys,
    needles: set[str] | None,
    seen: dict[str, str],
    max_chars: int,
) -> str:
    window = _window(text, terms)
    if needles is not None:
        low = window.lower()
        # Each word lowercases alone as it does in the window: no character lowercases to two
        # (İ), and no capital sigma (it lowercases by what follows it, beyond the word).
        if len(low) == len(window) and (window.isascii() or "Σ" not in window):
            return _scanned(text, window, low, terms, needles, keys, seen, max_chars)
    chunks = window.split()
    vocabulary = current_vocabulary()
    words = Words(chunks, vocabulary)
    found, holding = vocabulary.matching(terms, words.unknown)
    matched = words.matching(found, holding)
    if not matched:
        return _plain(text, max_chars)
    term_of = {m[4]: vocabulary.term_of(m[4], terms) for m in matched}
    maxchars, surround = max_chars // 2 + 40, max_chars // 4
    shown = []
    for fragment in _best(_group(matched, term_of, maxchars, surround, one_term=len(terms) == 1)):
        start, end = _place(words, fragment, surround)
        shown.append((start, end, fragment.matches))
    return _format(" ".join(chunks), shown) or _plain(text, max_chars)


def _best(fragments: list[_Fragment]) -> list[_Fragment]:
    """highlight.top_fragments: the best two with a score of at least 1, ties to the later
    one, in their order."""
    if len(fragments) <= 2:
        return [f for f in fragments if f.score >= 1]
    first = second = -1  # the best two's places
    top = runner_up = 1.0  # their scores (at least 1)
    for i, fragment in enumerate(fragments):
        score = fragment.score
        if score >= top:
            first, second, top, runner_up = i, first, score, top
        elif score >= runner_up:
            second, runner_up = i, score
    return [fragments[i] for i in sorted((first, second)) if i >= 0]


def _scanned(
    text: str,
    window: str,
    low: str,
    terms: frozenset[str],
    needles: set[str],
    keys: Keys,
    seen: dict[str, str],
    max_chars: int,
) -> str:
    """make_snippet by search.snippet_scan, on the window as it is (`low`: lowercase): the
    fragmenter counts in words' lengths, which runs of spaces do not change, but for how far
    it looks back (`_looking_back`); the fragments shown are collapsed."""
    if not any(map(low.__contains__, needles)):  # no word can match: the opening
        return _plain(text, max_chars)
    marks = Marks(window)
    matched, term_of = scan_matching(window, low, marks, needles, terms, keys, seen)
    if not matched:
        return _plain(text, max_chars)
    maxchars, surround = max_chars // 2 + 40, max_chars // 4
    totals = [m[3] for m in matched]
    shown = []
    fragments = _group(matched, term_of, maxchars, surround, marks.marks, len(terms) == 1)
    for fragment in _best(fragments):
        start, end = _place_marked(window, marks, matched, totals, fragment, surround)
        shown.append((start, end, fragment.matches))
    return _format(window, shown, collapse=True) or _plain(text, max_chars)


def _reaching(
    marks: Marks, matched: list[Match], totals: list[int], total: int
) -> tuple[int, int, int] | None:
    """The first word whose running total reaches `total` (start, end, its total), counted on
    from the last matched word before it; None when the window ends first."""
    i = bisect_left(totals, total)
    if i < len(totals) and totals[i] == total:  # a matched word (totals only grow)
        return matched[i][1], matched[i][2], total
    i -= 1
    if i < 0:
        return marks.reaching(total, 0, 0)
    return marks.reaching(total, matched[i][2], totals[i])


def _looking_back(
    window: str, marks: Marks, low: int, end: int, opening: int, surround: int
) -> int:
    """Where the first word from `low` on starts that starts at most `surround` characters
    before `end` in the window with its whitespace collapsed (`opening` when none is before
    `opening`): the first word at most `surround` characters before in the window as it is, or
    one before it when runs of spaces make up the difference. (The marks' bytes asked here,
    not through Marks' methods: a fragment shown asks this once or twice.)"""
    m = marks.marks
    # The first word starting at or after `surround` before `end` (and `low`)...
    at = max(end - surround, low)
    if at <= 0 or m[at - 1] == _OTHER:
        at = m.find(WORD, at)
    else:  # (there inside a word, or at its end: the next word)
        at = m.find(b" w", at)
        at = at + 1 if at >= 0 else -1
    if at < 0 or at > opening:  # ... or the opening, when that is before it
        at = opening
    rfind = m.rfind
    while (last := rfind(WORD, 0, at)) >= 0:  # the word before it
        before = rfind(OTHER, 0, last) + 1
        if before < low or len(" ".join(window[before:end].split())) > surround:
            break
        at = before
    return at


_OTHER = OTHER[0]


def _place_marked(
    window: str,
    marks: Marks,
    matched: list[Match],
    totals: list[int],
    fragment: _Fragment,
    surround: int,
) -> tuple[int, int]:
    """_place, by character offsets into the window."""
    _, start, end, total, _, _ = fragment.matches[0]
    if fragment.looks_back:
        m = marks.marks
        # The end of the word before the opening (looks_back says there is one).
        previous = m.rfind(WORD, 0, start) + 1
        # Looked back from the window's start first: the same start as from the first word
        # after what closed before (`low`, below) when that word is not after it, which holds
        # when the words before it (their characters: `held`) reach the total the last
        # fragment closed on, or pass it when its countdown ended at exactly 0 (the word
        # after the closing one then closed an empty fragment, and `low` is the next).
        back = _looking_back(window, marks, 0, previous, start, surround)
        close, zero = fragment.after
        held = total - (end - start) - m.count(WORD, back, previous)
        if close >= 0 and not (held > close or (held == close and not zero)):
            closing = _reaching(marks, matched, totals, close)
            following = marks.word_after(closing[1]) if closing else None
            low = following[0] if following else marks.end  # the first word after it
            if closing and following and zero and closing[2] == close:
                following = marks.word_after(following[1])  # it closed an empty fragment
                low = following[0] if following else marks.end
            back = _looking_back(window, marks, low, previous, start, surround)
        start = back
    closing = _reaching(marks, matched, totals, fragment.close)
    return start, closing[1] if closing else marks.last_end()


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
