"""Facet lists kept between requests (search.facets.FacetData.lists): a request whose articles
an earlier one counted gets the same lists a service that never saw it counts."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from search.facets import FacetData
from search.models import SearchRequest, SearchResult
from search.service import SearchService

QUERIES = ("", "banjir", "jakarta", "banjir bekasi", "banjir OR kapal", "banjir -bekasi", "pasar")
# Every request option that changes what a list counts or shows, and some that do not.
OPTIONS: tuple[dict[str, Any], ...] = (
    {},
    {"sort": "newest"},
    {"sort": "oldest", "page": 2, "per_page": 2},
    {"match": "any"},
    {"match": "most"},
    {"filters": {"outlet": ("Warta Timur",)}},
    {"filters": {"outlet": ("Warta Timur", "Kabar Nusantara")}},
    {"filters": {"place": ("Jakarta",)}},
    {"filters": {"place": ("Jakarta",), "outlet": ("Suara Pesisir",)}},
    {"filters": {"person": ("Rahmat Hidayat",)}, "sort": "newest"},
    {"exclude": {"place": ("Bekasi",)}},
    {"exclude": {"outlet": ("Warta Timur",)}},
    {"date_from": date(2025, 8, 1), "date_to": date(2025, 9, 30)},
    {"date_from": date(2025, 10, 1)},
    {"since": datetime(2000, 1, 1, tzinfo=UTC)},
    {"since": datetime(2100, 1, 1, tzinfo=UTC)},
    {"facet_size": 1},
    {"interval": "day"},
    {"interval": "year", "filters": {"outlet": ("Kabar Nusantara",)}},
    {"facets": ("outlet", "published")},
)


def lists(result: SearchResult) -> tuple[Any, ...]:
    return result.date_interval, {
        name: [(v.value, v.count, v.selected) for v in values]
        for name, values in result.facets.items()
    }


def test_kept_lists_equal_a_fresh_count(small_index: Path) -> None:
    requests = [SearchRequest(q=q, **options) for q in QUERIES for options in OPTIONS]
    random.Random(7).shuffle(requests)
    seen = SearchService(small_index)
    answered = [lists(seen.search(req)) for req in requests]
    assert len(seen._current().facets.lists) > 0
    for req, got in zip(requests, answered, strict=True):
        fresh = SearchService(small_index)
        assert got == lists(fresh.search(req)), req
        fresh.close()
    seen.close()


def test_a_page_or_sort_change_counts_nothing_again(
    small_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    svc = SearchService(small_index)
    first = svc.search(SearchRequest(q="banjir", filters={"outlet": ("Warta Timur",)}))
    counted: list[str] = []
    real_count, real_histogram = FacetData.count, FacetData.histogram

    def count(self: FacetData, fname: str, *args: Any, **kwargs: Any) -> Any:
        counted.append(fname)
        return real_count(self, fname, *args, **kwargs)

    def histogram(self: FacetData, *args: Any, **kwargs: Any) -> Any:
        counted.append("published")
        return real_histogram(self, *args, **kwargs)

    monkeypatch.setattr(FacetData, "count", count)
    monkeypatch.setattr(FacetData, "histogram", histogram)
    again = svc.search(
        SearchRequest(q="banjir", filters={"outlet": ("Warta Timur",)}, sort="newest", page=2)
    )
    assert counted == []
    assert lists(again) == lists(first)
    # A date range set: the timeline counts as before (its own filter left out), the lists
    # count the articles within the range.
    svc.search(
        SearchRequest(q="banjir", filters={"outlet": ("Warta Timur",)}, date_from=date(2025, 8, 5))
    )
    assert "published" not in counted and {"outlet", "person"} <= set(counted)
    # A returned list is the request's own: changing it changes no later answer.
    again.facets["person"][0].count = -1
    assert lists(svc.search(SearchRequest(q="banjir", filters={"outlet": ("Warta Timur",)}))) == (
        lists(first)
    )
    svc.close()
