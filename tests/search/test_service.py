"""SearchService on the hand-built small corpus (tests/conftest.py): every count is known."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from search.errors import ArticleNotFound, IndexUnavailable, InvalidQuery
from search.models import SearchRequest, SearchResult
from search.service import SearchService
from tests.conftest import article, write_index


def facet(result: SearchResult, name: str) -> dict[str, int]:
    return {fv.value: fv.count for fv in result.facets[name]}


def ids(result: SearchResult) -> list[str]:
    return [h.id for h in result.hits]


def test_query_counts_and_facets(service: SearchService) -> None:
    r = service.search(SearchRequest(q="banjir"))
    assert r.total == 4
    assert set(ids(r)) == {"a1", "a2", "a6", "a7"}
    assert facet(r, "outlet") == {"Kabar Nusantara": 1, "Warta Timur": 1, "Suara Pesisir": 1}
    assert facet(r, "organisation") == {"BPBD": 3}
    assert facet(r, "place") == {"Bekasi": 2, "Jakarta": 2}
    assert facet(r, "person") == {"Rahmat Hidayat": 2, "Sari Wulandari": 1}
    assert r.date_interval == "week"  # about 15 weeks: weekly buckets labelled with their Monday
    assert [(fv.value, fv.count) for fv in r.facets["published"]] == [
        ("2025-08-04", 2),
        ("2025-11-17", 1),
    ]


def test_values_within_a_facet_are_or_and_facets_are_and(service: SearchService) -> None:
    r = service.search(
        SearchRequest(q="banjir", filters={"outlet": ("Warta Timur", "Suara Pesisir")})
    )
    assert set(ids(r)) == {"a2", "a6"}
    r = service.search(
        SearchRequest(
            q="banjir", filters={"outlet": ("Warta Timur", "Suara Pesisir"), "place": ("Bekasi",)}
        )
    )
    assert ids(r) == ["a2"]


def test_outlets_count_apart_from_their_filter_entities_within_the_results(
    service: SearchService,
) -> None:
    r = service.search(
        SearchRequest(
            q="banjir", filters={"outlet": ("Warta Timur", "Suara Pesisir"), "place": ("Bekasi",)}
        )
    )
    assert [h.id for h in r.hits] == ["a2"]  # Warta Timur or Suara Pesisir, and in Bekasi
    # Outlet counts ignore the outlet filter but apply the place filter (a1, a2 are in Bekasi).
    assert facet(r, "outlet") == {"Kabar Nusantara": 1, "Warta Timur": 1, "Suara Pesisir": 0}
    selected = [fv.value for fv in r.facets["outlet"] if fv.selected]
    assert selected == ["Warta Timur", "Suara Pesisir"]  # pinned first, in the order asked
    assert [fv.value for fv in r.facets["outlet"][:2]] == selected
    # Place counts are within the results (a2), the place filter included: who appears with.
    assert facet(r, "place") == {"Bekasi": 1, "Jakarta": 1}
    assert r.facets["place"][0].value == "Bekasi" and r.facets["place"][0].selected


def test_entity_values_are_and_ed(service: SearchService) -> None:
    """Ticking two people finds the articles that name both (a2), not either."""
    both = service.search(
        SearchRequest(q="", filters={"person": ("Rahmat Hidayat", "Sari Wulandari")})
    )
    assert [h.id for h in both.hits] == ["a2"]
    people = facet(both, "person")
    assert people == {"Rahmat Hidayat": 1, "Sari Wulandari": 1}
    assert all(count <= both.total for count in people.values())


def test_a_selected_value_stays_listed_at_zero(service: SearchService) -> None:
    r = service.search(SearchRequest(q="banjir", filters={"place": ("Makassar",)}))
    assert r.total == 0
    assert r.hits == []
    [makassar] = [fv for fv in r.facets["place"] if fv.value == "Makassar"]
    assert (makassar.count, makassar.selected) == (0, True)


def test_date_range_is_inclusive_and_drops_undated(service: SearchService) -> None:
    r = service.search(
        SearchRequest(q="banjir", date_from=date(2025, 8, 5), date_to=date(2025, 11, 20))
    )
    assert set(ids(r)) == {"a2", "a6"}
    # The date facet itself ignores the date filter, so the timeline still shows the context.
    assert sum(fv.count for fv in r.facets["published"]) == 3


@pytest.mark.parametrize(
    ("sort", "expected"),
    [("newest", ["a6", "a2", "a1", "a7"]), ("oldest", ["a1", "a2", "a6", "a7"])],
)
def test_date_sorts_put_undated_last(
    service: SearchService, sort: str, expected: list[str]
) -> None:
    assert ids(service.search(SearchRequest(q="banjir", sort=sort))) == expected


def test_pagination(service: SearchService) -> None:
    pages = [
        ids(service.search(SearchRequest(q="banjir", sort="newest", page=p, per_page=2)))
        for p in (1, 2, 3)
    ]
    assert pages == [["a6", "a2"], ["a1", "a7"], []]
    relevance = [ids(service.search(SearchRequest(q="banjir", page=p, per_page=3))) for p in (1, 2)]
    assert len(relevance[0]) == 3 and len(relevance[1]) == 1
    assert set(relevance[0] + relevance[1]) == {"a1", "a2", "a6", "a7"}


def test_title_matches_rank_first(service: SearchService) -> None:
    r = service.search(SearchRequest(q="kapal"))
    assert ids(r)[0] == "a4"
    r = service.search(SearchRequest(q="banjir bekasi"))
    assert set(ids(r)[:2]) == {"a1", "a2"}


def test_empty_query_lists_everything_newest_first(service: SearchService) -> None:
    r = service.search(SearchRequest())
    assert r.total == 7
    assert ids(r)[0] == "a6" and ids(r)[-1] == "a7"


def test_snippet_is_escaped_with_marks(make_index: Callable[..., Path]) -> None:
    index_dir = make_index(
        [article("x", "Judul", "Warga <b>kota</b> & desa dilanda banjir besar.", outlet="A")]
    )
    hit = SearchService(index_dir).search(SearchRequest(q="banjir")).hits[0]
    assert "&lt;b&gt;kota&lt;/b&gt; &amp; desa" in hit.snippet
    assert '<mark class="hl t0">banjir</mark>' in hit.snippet


def test_hit_carries_metadata_and_entities(service: SearchService) -> None:
    [hit] = service.search(SearchRequest(q="KPK")).hits
    assert (hit.id, hit.outlet, hit.published) == ("a3", "Kabar Nusantara", date(2025, 9, 10))
    assert hit.entities == {
        "person": ["Sari Wulandari"],
        "organisation": ["KPK"],
        "place": ["Makassar"],
    }


@pytest.mark.parametrize(
    ("dates", "interval", "buckets"),
    [
        (["2025-08-04", "2025-08-05", "2025-08-05"], "day", [("2025-08-04", 1), ("2025-08-05", 2)]),
        (
            ["2025-08-04", "2025-08-13", "2025-11-20"],
            "week",
            [("2025-08-04", 1), ("2025-08-11", 1), ("2025-11-17", 1)],
        ),
        (["2024-01-31", "2025-06-01"], "month", [("2024-01", 1), ("2025-06", 1)]),
        (["2019-09-10", "2025-06-01", "2025-07-01"], "year", [("2019", 1), ("2025", 2)]),
    ],
)
def test_date_buckets_follow_the_span(
    make_index: Callable[..., Path], dates: list[str], interval: str, buckets: list[tuple[str, int]]
) -> None:
    index_dir = make_index(
        [article(f"d{i}", "Berita", "banjir", published=d) for i, d in enumerate(dates)]
    )
    r = SearchService(index_dir).search(SearchRequest(q="banjir"))
    assert r.date_interval == interval
    assert [(fv.value, fv.count) for fv in r.facets["published"]] == buckets


def test_article_with_highlighted_body(service: SearchService) -> None:
    view, html = service.article("a4", q="terbakar")
    assert view.title == "Kapal nelayan terbakar di Maluku"
    assert '<mark class="hl t0">terbakar</mark>' in html
    with pytest.raises(ArticleNotFound):
        service.article("tidak-ada")


def test_invalid_query_is_a_domain_error(service: SearchService) -> None:
    with pytest.raises(InvalidQuery):
        service.search(SearchRequest(q='"kutip tanpa pasangan'))


def test_missing_index_is_reported(tmp_path: Path) -> None:
    with pytest.raises(IndexUnavailable):
        SearchService(tmp_path / "kosong").search(SearchRequest(q="banjir"))


def test_an_invalid_query_says_so_before_a_missing_index(tmp_path: Path) -> None:
    with pytest.raises(InvalidQuery):
        SearchService(tmp_path / "kosong").search(SearchRequest(q='"kutip tanpa pasangan'))


def test_a_new_generation_is_picked_up_without_restart(tmp_path: Path) -> None:
    index_dir = tmp_path / "ix"
    write_index(index_dir, [article("old", "Lama", "banjir")])
    svc = SearchService(index_dir)
    assert ids(svc.search(SearchRequest(q="banjir"))) == ["old"]
    write_index(index_dir, [article("new", "Baru", "banjir")])
    assert ids(svc.search(SearchRequest(q="banjir"))) == ["new"]
