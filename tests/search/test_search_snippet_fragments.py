"""Snippets (search/snippets.py) pick the same fragments as Whoosh's highlight() with a
ContextFragmenter fed one Token per word, which the fast fragment loop replaces."""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from typing import Any

import pytest
from whoosh import highlight
from whoosh.analysis import Token

from index_format.analysis import TOKEN_PATTERN, stem
from search.snippets import SNIPPET_CHARS, _window, make_snippet

_WORD = re.compile(TOKEN_PATTERN)


def _tokens(terms: frozenset[str]) -> Any:
    """The token stream the snippets used to hand to Whoosh: a word as written when it is a
    term, else its stem."""

    def tokens(value: str, **_: Any) -> Iterator[Token]:
        t = Token(positions=False, chars=True, removestops=False, mode="query")
        for pos, m in enumerate(_WORD.finditer(value)):
            low = m.group().lower()
            t.text = low if low in terms else stem(low)
            t.startchar, t.endchar, t.pos = m.start(), m.end(), pos
            t.stopped = False
            yield t

    return tokens


def _whoosh_snippet(text: str, terms: frozenset[str]) -> str:
    window = " ".join(_window(text, terms).split())
    formatter = highlight.HtmlFormatter(
        tagname="mark", between=" … ", classname="hl", termclass="t"
    )
    fragmenter = highlight.ContextFragmenter(
        maxchars=SNIPPET_CHARS // 2 + 40, surround=SNIPPET_CHARS // 4
    )
    return highlight.highlight(
        window,
        terms,
        _tokens(terms),
        fragmenter,
        formatter,
        top=2,
        scorer=highlight.BasicFragmentScorer(),
    )


TEXT = (
    "Kebakaran hutan di Riau meluas, asap menyelimuti Pekanbaru. Warga <b>mengungsi</b> & "
    "sekolah diliburkan; BPBD memadamkan api. Presiden Joko Widodo meninjau lokasi kebakaran "
    "bersama Gubernur. Harga minyak naik. Banjir melanda Bekasi dan Jakarta."
)
WORDS = TEXT.split(" ")


def _texts() -> Iterator[str]:
    rng = random.Random(7)
    for _ in range(150):
        yield " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 400)))


@pytest.mark.parametrize(
    "terms",
    [
        frozenset(["bakar"]),
        frozenset(["bakar", "hutan"]),
        frozenset(["joko", "widodo", "presiden"]),
        frozenset(["asap", "riau", "pekanbaru"]),
        frozenset(["banjir", "bekasi", "jakarta", "minyak"]),
        frozenset(["tidakada"]),
    ],
    ids=lambda t: "+".join(sorted(t)),
)
def test_same_fragments_as_whoosh(terms: frozenset[str]) -> None:
    for text in _texts():
        expected = _whoosh_snippet(text, terms)
        got = make_snippet(text, terms)
        if expected:
            assert got == expected, text
        else:  # no match: the opening of the text, escaped
            assert "<mark" not in got and "<b>" not in got
