"""The proximity re-rank's numpy path (search/proximity.py) against Whoosh's Phrase matchers:
the same documents, the same scores to the last bit, so the same order, on indexes in every
history and over many random queries."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from whoosh import query as wq

from indexer.models import Article
from search.models import SearchRequest
from search.proximity import Proximity
from search.ranking import RERANK_DEPTH, rerank_by_proximity
from search.service import SearchService
from search.topk import scores_of
from tests.conftest import article
from tests.indexes import HISTORIES, build_index

# Few words, so that pairs stand near each other often, far apart often, and in both orders;
# "kali" repeated ("kali kali") and a word in titles only.
VOCABULARY = "korupsi kepala daerah kabut asap riau gempa bumi kali banjir jalan warga"
WORDS = VOCABULARY.split(" ")


def _corpus(n: int, seed: int) -> list[Article]:
    rng = random.Random(seed)
    return [
        article(
            f"p{seed}-{i}",
            " ".join(rng.choice([*WORDS, "pilkada"]) for _ in range(rng.randint(1, 6))),
            " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 60))) + ".",
            published=f"2025-0{1 + i % 9}-1{i % 10}",
        )
        for i in range(n)
    ]


@pytest.fixture(scope="module", params=HISTORIES)
def near_index(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    index_dir = tmp_path_factory.mktemp(f"near-{request.param}") / "index"
    build_index(index_dir, _corpus(100, 7) + _corpus(100, 8), request.param)
    return index_dir


@pytest.fixture
def svc(near_index: Path) -> Iterator[SearchService]:
    s = SearchService(near_index)
    yield s
    s.close()


def test_phrase_scores_are_whooshs(svc: SearchService) -> None:
    gen = svc._current()
    searcher, topk = gen.searcher, gen.ranking.topk
    live = np.flatnonzero(topk.live).tolist()
    rng = random.Random(5)
    compared = matched = 0
    for _ in range(150):
        docs = sorted(rng.sample(live, rng.choice((1, 5, 30, len(live)))))
        slop = rng.choice((1, 2, 3, 4))
        proximity = Proximity(topk, docs, slop)
        for _ in range(4):
            a, b = rng.sample([*WORDS, "pilkada", "absen"], 2)
            for field in ("title", "body"):
                expected = scores_of(searcher, wq.Phrase(field, [a, b], slop=slop), docs)
                assert proximity.scores(field, a, b) == expected, (field, a, b, slop)
                compared += 1
                matched += len(expected)
    assert compared == 1200 and matched > 1000  # most pairs stand near somewhere


def test_rerank_orders_as_with_whooshs_matchers(svc: SearchService) -> None:
    gen = svc._current()
    rng = random.Random(9)
    reranked = 0
    for _ in range(200):
        q = " ".join(rng.sample(WORDS, rng.randint(2, 4)))
        parsed = svc.parse(q)
        final = gen.matcher.match(parsed, SearchRequest(q=q)).final
        results = gen.searcher.search(parsed.query, filter=set(np.flatnonzero(final)), limit=None)
        ranked: list[tuple[int, float | None]] = [(h.docnum, h.score) for h in results]
        rng.shuffle(ranked)  # any order: the re-rank sorts its head by score and bonus
        whoosh = rerank_by_proximity(gen.searcher, parsed, ranked)
        fast = rerank_by_proximity(gen.searcher, parsed, ranked, topk=gen.ranking.topk)
        assert fast == whoosh, q
        reranked += len(ranked) >= 2 and bool(parsed.near)
    assert reranked > 150


def test_the_service_pages_match_whooshs_rerank(svc: SearchService) -> None:
    """Through the service: each page as Whoosh's collector and matchers would rank it."""
    gen = svc._current()
    for q in ("kabut asap riau", "korupsi kepala daerah", "gempa bumi", "riau asap", "kali kali"):
        for page in (1, 2):
            req = SearchRequest(q=q, page=page, per_page=10)
            parsed = svc.parse(q)
            final = gen.matcher.match(parsed, req).final
            allow = set(np.flatnonzero(final).tolist())
            results = gen.searcher.search(parsed.query, filter=allow, limit=None)
            ranked: list[tuple[int, float | None]] = [(h.docnum, h.score) for h in results]
            start = (page - 1) * 10
            expected = rerank_by_proximity(gen.searcher, parsed, ranked)[start : start + 10]
            got = svc.search(req).hits
            assert [(h.id, h.score) for h in got] == [
                (gen.searcher.stored_fields(d)["id"], s) for d, s in expected
            ], q
    assert RERANK_DEPTH >= 10
