"""A query of names ranks by its names' tiers (search.ranking): found among the best-scored
candidates first (Ranking._named_top), the page must be the one the whole index's tiers give,
which is Whoosh's ranking of every match re-ranked by tier; on indexes in every history."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from indexer.models import Article
from search import ranking, topk
from search.models import SearchRequest
from search.ranking import rerank_by_proximity
from search.service import SearchService
from tests.conftest import article
from tests.indexes import HISTORIES, build_index

FILLER = [
    "pemerintah",
    "warga",
    "kota",
    "rapat",
    "kebijakan",
    "anggaran",
    "pasar",
    "harga",
    "jalan",
    "proyek",
]
NAMES = ("Joko Widodo", "Sri Mulyani")


def _text(rng: random.Random, n: int, pieces: list[str]) -> str:
    """`n` filler words with `pieces` put in at random places."""
    words = [rng.choice(FILLER) for _ in range(n)]
    for piece in pieces:
        words.insert(rng.randint(0, len(words)), piece)
    return " ".join(words) + "."


def _corpus(n: int, seed: int) -> list[Article]:
    """Articles naming Joko Widodo and Sri Mulyani together, apart (the words far from each
    other), in the title or not, with many words or few: tiers and scores that disagree."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        pieces, title, person = [], [rng.choice(FILLER)], []
        for name in NAMES:
            first, last = name.lower().split()
            kind = rng.random()
            if kind < 0.35:
                pieces.append(f"{first} {last}")
                person.append(name)
            elif kind < 0.6:
                pieces += [first, rng.choice(FILLER), rng.choice(FILLER), last]
            elif kind < 0.75:
                pieces.append(last)
            if kind < 0.2:
                title.append(f"{first} {last}")
        body = _text(rng, rng.randint(4, 60), pieces * rng.randint(1, 3))
        out.append(
            article(
                f"n{seed}-{i}",
                " ".join(title),
                body,
                published=f"2025-0{1 + i % 9}-1{i % 10}",
                person=tuple(person),
            )
        )
    return out


@pytest.fixture(scope="module", params=HISTORIES)
def named_index(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    index_dir = tmp_path_factory.mktemp(f"named-{request.param}") / "index"
    build_index(index_dir, _corpus(150, 1) + _corpus(150, 2), request.param)
    return index_dir


@pytest.fixture
def svc(named_index: Path) -> Iterator[SearchService]:
    s = SearchService(named_index)
    yield s
    s.close()


def _reference(svc: SearchService, req: SearchRequest) -> list[tuple[str, float | None]]:
    """The page by Whoosh scoring every match, re-ranked by the names' tiers Whoosh's matchers
    find (no numpy, no candidates)."""
    parsed = svc.parse(req.q)
    gen = svc._current()
    final = gen.matcher.match(parsed, req).final
    allow = set(np.flatnonzero(final).tolist())
    results = gen.searcher.search(parsed.query, filter=allow, limit=None)
    ranked: list[tuple[int, float | None]] = [(h.docnum, h.score) for h in results]
    start = (req.page - 1) * req.per_page
    page = rerank_by_proximity(gen.searcher, parsed, ranked)[start : start + req.per_page]
    return [(gen.searcher.stored_fields(d)["id"], s) for d, s in page]


REQUESTS = [
    SearchRequest(q="joko widodo"),
    SearchRequest(q="Joko Widodo", page=2),
    SearchRequest(q="sri mulyani", per_page=25),
    SearchRequest(q="joko widodo sri mulyani"),  # two names: four tiers
    SearchRequest(q="joko widodo sri mulyani", page=3),
]


@pytest.mark.parametrize("candidates", [1, 8, 64, 1024])
@pytest.mark.parametrize("req", REQUESTS, ids=lambda r: f"{r.q}|p{r.page}|{r.per_page}")
def test_a_name_querys_page_is_whooshs_ranking_by_tier(
    svc: SearchService, req: SearchRequest, candidates: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """However few candidates are tried first (1: the page's own k; 1024: every match), the
    page is the same."""
    assert svc.parse(req.q).names, "the query should be read as names"
    monkeypatch.setattr(ranking, "NAMED_CANDIDATES", candidates)
    monkeypatch.setattr(ranking, "NAMED_PER_HIT", 1)
    got = [(h.id, h.score) for h in svc.search(req).hits]
    assert got
    assert got == _reference(svc, req)


def test_few_candidates_settle_the_page_without_the_whole_index_tiers(
    svc: SearchService, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The shortcut is taken when the best-scored candidates reach every name (else the test
    above would hold by the fallback alone), and left when they cannot settle the page."""
    gen = svc._current()
    whole = []
    monkeypatch.setattr(ranking, "NAMED_PER_HIT", 1)
    real_tiers = ranking.Ranking.tiers
    monkeypatch.setattr(
        ranking.Ranking, "tiers", lambda self, *a: whole.append(1) or real_tiers(self, *a)
    )
    req = SearchRequest(q="joko widodo", per_page=5)
    final = gen.matcher.match(svc.parse(req.q), req).final
    monkeypatch.setattr(ranking, "NAMED_CANDIDATES", 40)
    assert int(final.sum()) > 40  # (candidates fewer than the matches)
    first = svc.search(req).hits
    assert whole == []
    # Asked again (a reload): the candidates' tiers are remembered, the page the same.
    searched = []
    real_at = topk.TopK._phrase_at
    monkeypatch.setattr(
        topk.TopK, "_phrase_at", lambda self, *a: searched.append(1) or real_at(self, *a)
    )
    assert svc.search(req).hits == first
    assert searched == []
    # A page past the last article reaching every name: the whole index's tiers decide.
    parsed = svc.parse(req.q)
    top = int(np.count_nonzero(real_tiers(gen.ranking, parsed)[final] == len(parsed.names)))
    page = top // 5 + 2
    assert top < 5 * page < int(final.sum())
    svc.search(SearchRequest(q="joko widodo", page=page, per_page=5))
    assert whole
