"""The spelling index behind did-you-mean (search/suggest.py): the same candidates as Whoosh's
edit distance over the whole vocabulary, found group by group with numpy."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from whoosh import index
from whoosh.support.levenshtein import damerau_levenshtein

from index_format.generations import current_path
from indexer.models import Article
from search.models import SearchRequest
from search.service import SearchService
from search.suggest import SPELL_FIELD, SpellIndex, correct_word, edit_distances
from tests.conftest import SMALL_CORPUS, article


@pytest.mark.parametrize(
    ("word", "other", "distance"),
    [
        ("tokayev", "tokayev", 0),
        ("tokayef", "tokayev", 1),  # substitution
        ("kerusuhn", "kerusuhan", 1),  # insertion
        ("kerusuhaan", "kerusuhan", 1),  # deletion
        ("tokyaev", "tokayev", 1),  # adjacent transposition
        ("jakarat", "jakarta", 1),
        ("banjri", "banjir", 1),
        ("bajnri", "banjir", 2),
        ("prabowo", "jokowi", 3),  # capped at MAX + 1
    ],
)
def test_edit_distance_table(word: str, other: str, distance: int) -> None:
    codes = np.frombuffer(other.encode("utf-32-le"), dtype=np.uint32).reshape(1, len(other))
    assert int(edit_distances(word, codes, 2)[0]) == min(distance, 3)


def test_edit_distances_agree_with_whoosh() -> None:
    rng = random.Random(5)
    alphabet = "aeiknrst"
    for _ in range(300):
        a = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 7)))
        length = rng.randint(1, 7)
        others = ["".join(rng.choice(alphabet) for _ in range(length)) for _ in range(5)]
        codes = np.frombuffer("".join(others).encode("utf-32-le"), dtype=np.uint32)
        got = edit_distances(a, codes.reshape(5, length), 2).tolist()
        assert got == [min(damerau_levenshtein(o, a), 3) for o in others], (a, others)


def test_near_finds_what_a_scan_of_the_vocabulary_finds(
    make_index: Callable[[list[Article]], Path],
) -> None:
    ix = index.open_dir(current_path(make_index(SMALL_CORPUS)))
    with ix.searcher() as searcher:
        reader = searcher.reader()
        spell = SpellIndex(reader)
        vocabulary = [w for w in reader.field_terms(SPELL_FIELD) if w.isalpha()]
        for word in ("banjr", "bekasu", "jakrata", "maluk", "pelabuhn", "kapla", "zzzz"):
            got = sorted(spell.near(word, 2))
            scan = sorted(
                (w, damerau_levenshtein(w, word))
                for w in vocabulary
                if w[0] == word[0] and damerau_levenshtein(w, word) <= 2
            )
            assert got == scan, word


def test_a_swapped_pair_of_letters_is_one_edit(
    make_index: Callable[[list[Article]], Path],
) -> None:
    ix = index.open_dir(current_path(make_index(SMALL_CORPUS)))
    with ix.searcher() as searcher:
        assert correct_word(searcher.reader(), "pelabuhna") == "pelabuhan"
        assert correct_word(searcher.reader(), "nelayan") is None  # known: nothing to correct


def test_warm_builds_what_first_searches_would_wait_for(
    make_index: Callable[[list[Article]], Path],
) -> None:
    svc = SearchService(make_index(SMALL_CORPUS))
    svc.warm()
    gen = svc._current()
    assert gen.spell is not None
    assert set(gen.topk._lengths) >= {"title", "body"}
    assert svc.search(SearchRequest(q="pelabuhna", as_typed=True)).suggestion == "pelabuhan"
    assert svc._current().spell is gen.spell  # built once per generation
    svc.close()


def test_spelling_index_waits_for_a_word_to_correct(
    make_index: Callable[[list[Article]], Path],
) -> None:
    floods = [article(f"f{i}", "Banjir lagi", "Banjir merendam kota.") for i in range(12)]
    svc = SearchService(make_index(SMALL_CORPUS + floods))  # not warmed: as after a new generation
    assert svc.search(SearchRequest(q="banjir")).suggestion is None
    assert svc._current().spell is None  # a word that finds many: nothing to build
    assert svc.search(SearchRequest(q="pelabuhna", as_typed=True)).suggestion == "pelabuhan"
    assert svc._current().spell is not None
    svc.close()
