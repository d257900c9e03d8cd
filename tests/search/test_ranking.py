"""Ranking end to end: names are not words, phrases are exact, too few results relax."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from indexer.build import rebuild_index
from indexer.models import Article
from search.models import SearchRequest
from search.service import RELAX_BELOW, SearchService
from tests.conftest import DATA, SEEDS, article

RANKING = DATA / "ranking"


def ids(service: SearchService, q: str, per_page: int = 50) -> list[str]:
    return [h.id for h in service.search(SearchRequest(q=q, per_page=per_page)).hits]


@pytest.fixture(scope="module")
def bekasi(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SearchService]:
    """Bekasi city articles and "barang bekas" articles, through the real indexer."""
    index_dir = tmp_path_factory.mktemp("bekasi")
    rebuild_index([RANKING / "bekasi.jsonl"], index_dir)
    service = SearchService(index_dir)
    yield service
    service.close()


@pytest.mark.parametrize("q", ["Bekasi", "bekasi", "Kota Bekasi"])
def test_bekasi_finds_the_city_and_no_barang_bekas(bekasi: SearchService, q: str) -> None:
    found = ids(bekasi, q)
    assert {f for f in found if f.startswith("bks-")} >= {"bks-1", "bks-2", "bks-3", "bks-4"}
    assert not [f for f in found if f.startswith("bekas-")]


@pytest.mark.parametrize("q", ["bekas", "barang bekas", "bekasnya"])
def test_bekas_finds_the_word_and_not_the_city(bekasi: SearchService, q: str) -> None:
    found = ids(bekasi, q)
    assert found and all(f.startswith("bekas-") for f in found)


def _normalised(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is absent")
def test_quoted_phrase_on_the_seeds_returns_only_articles_with_that_phrase(
    tmp_path: Path,
) -> None:
    rebuild_index([SEEDS], tmp_path)
    expected = sum(
        "upaya kudeta" in _normalised(p.read_text(encoding="utf-8")) for p in SEEDS.glob("*.txt")
    )
    service = SearchService(tmp_path)
    try:
        result = service.search(SearchRequest(q='"upaya kudeta"', per_page=50))
        assert result.total == expected > 0
        for hit in result.hits:
            view, _ = service.article(hit.id)
            assert "upaya kudeta" in _normalised(f"{view.title} {view.body}")
        # Unquoted, the words match by stem and need not be adjacent: at least as many.
        assert service.search(SearchRequest(q="upaya kudeta")).total >= expected
        assert not service.search(SearchRequest(q='"kudeta upaya"')).total
    finally:
        service.close()


def _filler(n: int) -> list[Article]:
    return [
        article(f"f{i}", f"Catatan {i}", "Pasar ikan ramai pembeli pada pagi hari.")
        for i in range(n)
    ]


@pytest.fixture
def relax_index(make_index: Callable[[list[Article]], Path]) -> Iterator[SearchService]:
    articles = [
        article("all", "Gempa di Lombok", "Gempa mengguncang Lombok, relawan membantu pengungsi."),
        article("two", "Gempa di Sumbawa", "Gempa mengguncang Sumbawa, pengungsi bertambah."),
        article("one", "Relawan di Lombok", "Relawan tiba di Lombok kemarin."),
        *_filler(12),
    ]
    service = SearchService(make_index(articles))
    yield service
    service.close()


def test_too_few_results_relax_to_most_words_with_all_words_first(
    relax_index: SearchService,
) -> None:
    result = relax_index.search(SearchRequest(q="gempa lombok pengungsi relawan"))
    assert result.relaxed is True
    assert result.hits[0].id == "all"
    assert {"two", "one"} <= {h.id for h in result.hits}
    assert result.total == len(result.hits)


def test_enough_results_do_not_relax(relax_index: SearchService) -> None:
    result = relax_index.search(SearchRequest(q="pasar ikan"))
    assert result.total >= RELAX_BELOW
    assert result.relaxed is False


def test_excluded_words_stay_excluded_when_relaxed(relax_index: SearchService) -> None:
    result = relax_index.search(SearchRequest(q="gempa lombok pengungsi -sumbawa"))
    assert result.relaxed is True
    assert "two" not in {h.id for h in result.hits}


def test_questions_do_not_require_question_words(service: SearchService) -> None:
    assert ids(service, "Siapa yang memeriksa pejabat pelabuhan?")[0] == "a3"
    assert ids(service, "Apakah ada banjir di Maluku?")  # relaxed: something, not nothing


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("Komisi Pemberantasan Korupsi", "a3"),
        ("KPK", "a3"),
        ("Badan Penanggulangan Bencana Daerah", "a2"),  # the article says BPBD
    ],
)
def test_synonyms_find_the_other_spelling(service: SearchService, q: str, expected: str) -> None:
    assert expected in ids(service, q)


def test_tagged_entity_names_stay_whole_even_in_headlines(
    make_index: Callable[[list[Article]], Path],
) -> None:
    articles = [
        article(
            "ph",
            "Pakatan Harapan Menang Pemilu Malaysia",
            "Harapan baru bagi oposisi. Anwar Ibrahim memimpin koalisi itu.",
            organisation=("Pakatan Harapan",),
        ),
        article("hope", "Harapan warga", "Warga punya harapan besar pada pemerintah baru."),
    ]
    service = SearchService(make_index(articles))
    try:
        # The title's "Harapan" is indexed whole: the coalition is found as a name.
        both = service.search(SearchRequest(q="Pakatan Harapan"))
        assert both.hits[0].id == "ph"
        assert both.relaxed or both.total == 1  # "hope" holds only "harapan"
        assert ids(service, "harapan warga")[0] == "hope"
    finally:
        service.close()


def test_consecutive_words_close_together_rank_first(
    make_index: Callable[[list[Article]], Path],
) -> None:
    far = "Harga beras naik. Di pasar lain, warga mengeluhkan cabai yang mahal dan stok menipis."
    near = "Warga mengeluhkan harga cabai yang terus naik di pasar tradisional sejak pekan lalu."
    articles = [
        article("far", "Laporan pasar", far + " " + far),
        article("near", "Laporan pasar", near),
    ]
    service = SearchService(make_index(articles))
    try:
        # Without proximity, "far" (both words twice) scores higher.
        assert ids(service, "harga cabai") == ["near", "far"]
    finally:
        service.close()


def test_quoted_title_phrase_matches_the_exact_words_in_the_title(
    make_index: Callable[[list[Article]], Path],
) -> None:
    index_dir = make_index(
        [
            article("exact", title="Pemda memindahkan patung kota", body="Warga menonton."),
            article("variant", title="Pemda pindahkan patung kota", body="Warga menonton."),
            article("in-body", title="Warga menonton", body="Pemda memindahkan patung kota."),
        ]
    )
    service = SearchService(index_dir)
    try:
        assert ids(service, 'judul:"memindahkan patung"') == ["exact"]
        assert sorted(ids(service, '"memindahkan patung"')) == ["exact", "in-body"]
        assert sorted(ids(service, "judul:pindah")) == ["exact", "variant"]
    finally:
        service.close()
