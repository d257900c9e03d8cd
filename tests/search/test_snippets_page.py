"""A results page's snippets, made together for the page's query (make_snippets, as the
service makes them), are each hit's own snippet: the oracle's bytes, whichever way each hit's
window goes (scanned, by the vocabulary, the opening when nothing matches)."""

from __future__ import annotations

import random

import pytest

from search.snippets import make_snippet, make_snippets
from tests.search.test_snippets_same import TERMS, _generated, _terms, old_snippet

_ODD_HITS = [
    "",
    "İstanbul dan kebakaran hutan di Riau",  # lowercases longer: the vocabulary's way
    "Tidak ada kata yang dicari di sini.",  # nothing matches: the opening
    "Warga <b>Bekasi</b> & Maluku, kebakaran hutan.",  # escaped
]


@pytest.mark.parametrize("seed", range(5))
def test_a_page_of_snippets_made_together_is_each_hits_own(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(40):
        terms = _terms(rng, TERMS)
        page = [_generated(rng) for _ in range(rng.randint(1, 10))] + _ODD_HITS
        rng.shuffle(page)
        got = make_snippets(page, terms)
        assert got == [old_snippet(text, terms) for text in page]
        assert got == [make_snippet(text, terms) for text in page]


def test_a_page_without_terms_shows_each_hits_opening() -> None:
    page = ["Kebakaran hutan di Riau. " * 20, "", "Banjir <Bekasi>"]
    got = make_snippets(page, frozenset())
    assert got == [old_snippet(text, frozenset()) for text in page]
    assert got[2] == "Banjir &lt;Bekasi&gt;"


@pytest.mark.parametrize(
    "text",
    [
        "kata " * 50_000,  # a long article: its opening only
        "a " * 240 + "b" * 300,  # the word past the first 240 is long
        "a " * 239 + "\n\n\n" + "b c",
        " \n ".join(["x"] * 241),
        "x" * 500,  # no space to cut at
        "Banjir & <Bekasi>\t\t" * 40,
    ],
)
def test_an_opening_without_terms_is_the_oracles(text: str) -> None:
    assert make_snippets([text], frozenset()) == [old_snippet(text, frozenset())]
