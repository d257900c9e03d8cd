"""The bench's correctness guard on the small corpus: the fast path (numpy masks and facet
arrays) gives exactly the hit sets and facet counts of Whoosh's own groupedby counting."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bench.common import load_mix, to_request
from bench.guard import compare
from search.models import SearchRequest

REQUESTS = [
    SearchRequest(q="banjir"),
    SearchRequest(q="banjir bekasi"),
    SearchRequest(q='"barang bekas"'),
    SearchRequest(q="banjir OR kapal"),
    SearchRequest(q="banjir -jakarta"),
    SearchRequest(q="judul:banjir"),
    SearchRequest(q="pelabuhan kapal nelayan"),  # few hits: the service relaxes to most words
    SearchRequest(q="banjir", filters={"outlet": ("Warta Timur",)}),
    SearchRequest(q="banjir", filters={"outlet": ("Warta Timur", "Suara Pesisir")}),
    SearchRequest(q="banjir", filters={"person": ("Rahmat Hidayat",), "place": ("Bekasi",)}),
    SearchRequest(q="banjir", sort="newest", filters={"organisation": ("BPBD",)}),
    SearchRequest(q="", filters={"place": ("Jakarta",)}),
    SearchRequest(q="", date_from=date(2025, 8, 1), date_to=date(2025, 9, 30)),
    SearchRequest(q="banjir", date_from=date(2025, 8, 5), filters={"outlet": ("Kabar Nusantara",)}),
    SearchRequest(q="", sort="oldest", page=2, per_page=3),
    SearchRequest(q="tidakada"),
]


@pytest.mark.parametrize("req", REQUESTS, ids=lambda r: f"{r.q or '-'}|{r.filters}")
def test_fast_path_equals_groupedby(small_index: Path, req: SearchRequest) -> None:
    assert compare(small_index, [req]) == []


def test_whole_bench_mix_on_the_small_corpus(small_index: Path) -> None:
    mix = [to_request(item) for item in load_mix()]
    assert len(mix) >= 60
    assert compare(small_index, mix) == []
