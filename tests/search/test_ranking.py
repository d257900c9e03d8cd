"""Ranking end to end: names are not words, phrases are exact, too few results relax."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from indexer.build import rebuild_index
from indexer.models import Article
from search.matching import RELAX_BELOW
from search.models import SearchRequest
from search.service import SearchService
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


@pytest.mark.parametrize(
    ("q", "match"), [("Bekasi", "all"), ("bekasi", "all"), ("Kota Bekasi", "any")]
)
def test_bekasi_finds_the_city_and_no_barang_bekas(
    bekasi: SearchService, q: str, match: str
) -> None:
    found = [h.id for h in bekasi.search(SearchRequest(q=q, match=match, per_page=50)).hits]
    assert {f for f in found if f.startswith("bks-")} >= {"bks-1", "bks-2", "bks-3", "bks-4"}
    assert not [f for f in found if f.startswith("bekas-")]


def test_kota_bekasi_counts_the_articles_with_both_words(bekasi: SearchService) -> None:
    found = ids(bekasi, "Kota Bekasi")
    assert found and all(f.startswith("bks-") for f in found)
    for doc_id in found:
        view, _ = bekasi.article(doc_id)
        assert "kota" in _normalised(f"{view.title} {view.body}")


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


def test_counts_are_strict_and_most_words_are_offered_apart(relax_index: SearchService) -> None:
    """Under match=all (the default) only articles with every word count; when they are few,
    those with most of them are offered apart, never counted in: as many words as it takes to
    find 10 articles (here two of three find one more, so one word: two more)."""
    result = relax_index.search(SearchRequest(q="gempa lombok pengungsi"))
    assert (result.total, [h.id for h in result.hits]) == (1, ["all"])
    assert result.partial is not None
    assert (result.partial.match, result.partial.total, result.partial.words) == ("most", 2, 1)
    assert result.partial.hits[0].id == "two"  # two of the three words first
    assert {h.id for h in result.partial.hits} == {"two", "one"}


def test_match_most_counts_them_all_words_first(relax_index: SearchService) -> None:
    result = relax_index.search(SearchRequest(q="gempa lombok pengungsi", match="most"))
    assert [h.id for h in result.hits][:2] == ["all", "two"]
    assert result.total == 3 and result.words == 1 and result.partial is None


def test_match_any_counts_every_article_with_a_word(relax_index: SearchService) -> None:
    result = relax_index.search(SearchRequest(q="gempa lombok pengungsi", match="any"))
    assert result.hits[0].id == "all"
    assert {h.id for h in result.hits} == {"all", "two", "one"}
    assert result.total == 3


def test_enough_results_offer_nothing_apart(relax_index: SearchService) -> None:
    result = relax_index.search(SearchRequest(q="pasar ikan"))
    assert result.total >= RELAX_BELOW
    assert result.partial is None


def test_excluded_words_stay_excluded_in_every_mode(relax_index: SearchService) -> None:
    for match in ("all", "most", "any"):
        result = relax_index.search(SearchRequest(q="gempa lombok pengungsi -sumbawa", match=match))
        shown = [h.id for h in result.hits] + [
            h.id for h in (result.partial.hits if result.partial else [])
        ]
        assert "two" not in shown, match


def test_questions_do_not_require_question_words(service: SearchService) -> None:
    assert ids(service, "Siapa yang memeriksa pejabat pelabuhan?")[0] == "a3"
    # No article says there was a flood in Maluku: none counts, the near ones are offered.
    asked = service.search(SearchRequest(q="Apakah ada banjir di Maluku?"))
    assert asked.total == 0 and asked.partial is not None and asked.partial.hits


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
        assert both.total == 1  # "hope" holds only "harapan": never counted
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
