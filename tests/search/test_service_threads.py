"""One SearchService used by many threads at once (gunicorn's threaded workers) answers as it
does one search at a time."""

from __future__ import annotations

import random
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from indexer.models import Article
from search.models import SearchRequest
from search.service import SearchService
from tests.conftest import article

VOCABULARY = (
    "banjir bekasi warga mengungsi hujan deras kapal nelayan terbakar pasar barang ramai "
    "korupsi pejabat pelabuhan pemeriksaan komisi gempa bumi jalan rusak sekolah guru "
    "murid harga beras naik petani panen kemarau sungai meluap jembatan putus listrik "
    "padam"
)
WORDS = VOCABULARY.split()
OUTLETS = ("Kabar Nusantara", "Warta Timur", "Suara Pesisir")
PLACES = ("Bekasi", "Jakarta", "Makassar", "Ambon")


def _corpus(n: int) -> list[Article]:
    rnd = random.Random(16)
    return [
        article(
            f"t{i:03d}",
            " ".join(rnd.choices(WORDS, k=5)).capitalize(),
            ". ".join(" ".join(rnd.choices(WORDS, k=12)).capitalize() for _ in range(8)) + ".",
            outlet=OUTLETS[i % 3],
            published=f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}",
            place=(PLACES[i % 4],),
        )
        for i in range(n)
    ]


QUERIES = [
    SearchRequest(q="banjir"),
    SearchRequest(q="banjir bekasi", per_page=20),
    SearchRequest(q='"kapal nelayan"'),
    SearchRequest(q="korupsi OR gempa", sort="newest"),
    SearchRequest(q="harga -beras", filters={"outlet": ("Warta Timur",)}),
    SearchRequest(q="judul:sungai"),
    SearchRequest(q="", filters={"place": ("Jakarta",)}, sort="oldest", per_page=50),
    SearchRequest(q="listrik padam jembatan", page=2),
    SearchRequest(q="banjr"),  # a spelling suggestion
]


def _answer(svc: SearchService, req: SearchRequest) -> Any:
    r = svc.search(req)
    facets = {name: [(v.value, v.count) for v in vs] for name, vs in r.facets.items()}
    hits = [(h.id, h.score, h.title, h.snippet, h.entities) for h in r.hits]
    return r.total, hits, facets, r.suggestion


def test_concurrent_searches_answer_as_serial_ones(
    make_index: Callable[[list[Article]], Path],
) -> None:
    svc = SearchService(make_index(_corpus(300)))
    try:
        serial = [_answer(svc, q) for q in QUERIES]
        article_serial = svc.article("t007", "banjir")
        work = [i % len(QUERIES) for i in range(40 * len(QUERIES))]
        with ThreadPoolExecutor(max_workers=16) as pool:
            got = list(pool.map(lambda i: _answer(svc, QUERIES[i]), work))
            articles = list(pool.map(lambda _: svc.article("t007", "banjir"), range(50)))
        wrong = [QUERIES[i].q for i, g in zip(work, got, strict=True) if g != serial[i]]
        assert wrong == []
        assert all(a == article_serial for a in articles)
    finally:
        svc.close()
