"""Relevance ranking through numpy (search/topk.py): the same documents, scores and order as
Whoosh's scorer finds when it scores every match, on indexes in every history."""

from __future__ import annotations

import gc
import random
import weakref
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from whoosh import query as wq

from index_format.codec.positions import IndonesianPositions
from indexer.models import Article
from search.models import SearchRequest
from search.ranking import RERANK_DEPTH, rerank_by_proximity
from search.service import SearchService
from search.topk import KTH_BLOCKS, ScoreUnsupported, _positions, kth_largest
from tests.conftest import article
from tests.indexes import HISTORIES, build_index

VOCABULARY = "banjir rob kapal nelayan pasar gempa bumi hujan deras warga pompa listrik jalan"
WORDS = VOCABULARY.split(" ")
OUTLETS = ("Kabar Nusantara", "Warta Timur", "Suara Pesisir")


def _corpus(n: int, seed: int) -> list[Article]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        body = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 40))) + "."
        title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 4)))
        out.append(
            article(
                f"d{seed}-{i}",
                title,
                body,
                outlet=OUTLETS[i % 3],
                published=f"2025-0{1 + i % 9}-1{i % 10}",
            )
        )
    return out


@pytest.fixture(scope="module", params=HISTORIES)
def ranked_index(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """180 articles in each history: one segment, several (each segment's matchers built
    separately but scored with the whole index's statistics), and after updates and deletes
    (Whoosh wraps each term's matcher to drop deleted documents)."""
    index_dir = tmp_path_factory.mktemp(f"topk-{request.param}") / "index"
    build_index(index_dir, _corpus(90, 1) + _corpus(90, 2), request.param)
    return index_dir


@pytest.fixture
def svc(ranked_index: Path) -> Iterator[SearchService]:
    s = SearchService(ranked_index)
    yield s
    s.close()


def _reference(svc: SearchService, req: SearchRequest) -> list[tuple[str, float | None]]:
    """What the service shows, ranked by Whoosh scoring every match (no top-k shortcut)."""
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
    SearchRequest(q="banjir"),
    SearchRequest(q="banjir rob"),
    SearchRequest(q="banjir OR gempa OR kapal"),
    SearchRequest(q="(banjir OR gempa) warga"),
    SearchRequest(q="hujan deras pompa listrik"),  # four words: Whoosh adds in its own order
    SearchRequest(q="banjir -rob"),
    SearchRequest(q='"hujan deras"'),
    SearchRequest(q='"hujan deras" warga'),
    SearchRequest(q="judul:kapal"),
    SearchRequest(q="banjir", filters={"outlet": ("Warta Timur",)}),
    SearchRequest(q="warga", date_from=date(2025, 3, 1), date_to=date(2025, 6, 30)),
    SearchRequest(q="banjir", page=3),
    SearchRequest(q="jalan", per_page=50),
]


@pytest.mark.parametrize("req", REQUESTS, ids=lambda r: f"{r.q}|{r.filters}|p{r.page}")
def test_ranking_equals_whoosh_scoring_every_match(svc: SearchService, req: SearchRequest) -> None:
    got = [(h.id, h.score) for h in svc.search(req).hits]
    assert got, "the corpus should match every request"
    assert got == _reference(svc, req)


def test_top_k_breaks_ties_by_document_number(svc: SearchService) -> None:
    gen = svc._current()
    q = wq.Term("body", "banjir")
    scored = gen.topk.evaluate(q)
    top = gen.topk.top(q, scored, scored.mask, RERANK_DEPTH)
    full = [(h.docnum, h.score) for h in gen.searcher.search(q, limit=None)][:RERANK_DEPTH]
    assert top == full
    scores = [s for _, s in top]
    assert len(set(scores)) < len(scores), "the corpus should produce tied scores"


def test_sums_of_many_terms_are_rescored_exactly(svc: SearchService) -> None:
    gen = svc._current()
    q = svc.parse("hujan deras pompa listrik").query
    scored = gen.topk.evaluate(q)
    assert not scored.exact  # four parts: Whoosh may round the sum differently
    ranked = gen.topk.top(q, scored, scored.mask, 10)
    assert ranked == [(h.docnum, h.score) for h in gen.searcher.search(q, limit=None)][:10]


@pytest.mark.parametrize(
    "text",
    ["hujan deras pompa listrik", '(banjir OR gempa OR kapal) "hujan deras" -rob', "jalan"],
)
def test_matcher_tree_sums_equal_whoosh_scores(svc: SearchService, text: str) -> None:
    gen = svc._current()
    q = svc.parse(text).query
    scored = gen.topk.evaluate(q)
    docs = np.flatnonzero(scored.mask)
    assert docs.size
    tree = gen.topk.tree_scores(q, docs, scored.leaves)
    assert tree == gen.topk.exact_scores(q, docs)


def test_what_numpy_does_not_model_is_ranked_by_whoosh(svc: SearchService) -> None:
    gen = svc._current()
    boosted = wq.Term("body", "banjir", boost=2.0)
    with pytest.raises(ScoreUnsupported):
        gen.topk.evaluate(boosted)
    with pytest.raises(ScoreUnsupported):
        gen.topk.evaluate(wq.Every())


@pytest.mark.parametrize(
    ("fieldname", "words"),
    [
        ("exact", ["hujan", "deras"]),
        ("exact", ["banjir", "rob", "banjir"]),  # a word twice
        ("exact", ["pompa", "listrik", "jalan"]),
        ("exact", ["jalan", "jalan"]),
        ("title", ["kapal", "nelayan"]),
        ("exact", ["hujan", "tidakada"]),  # a word the index lacks: nothing
    ],
)
def test_phrases_match_and_score_as_whoosh(
    svc: SearchService, fieldname: str, words: list[str]
) -> None:
    gen = svc._current()
    q = wq.Phrase(fieldname, words)
    scored = gen.topk.evaluate(q)
    whoosh = {h.docnum: h.score for h in gen.searcher.search(q, limit=None)}
    assert set(np.flatnonzero(scored.mask).tolist()) == set(whoosh)
    assert {d: float(scored.score[d]) for d in whoosh} == whoosh
    assert scored.exact


def test_random_phrases_match_and_score_as_whoosh(svc: SearchService) -> None:
    """Runs of 2-4 words cut from the articles (so most are found), some with a word twice:
    the numpy phrase search narrows by its rarest word first and must find every place."""
    gen = svc._current()
    rng = random.Random(25)
    found = 0
    for _ in range(60):
        words = rng.choice(_corpus(90, 1) + _corpus(90, 2)).body.rstrip(".").split(" ")
        k = min(len(words), rng.randint(2, 4))
        start = rng.randrange(len(words) - k + 1)
        q = wq.Phrase("exact", words[start : start + k])
        scored = gen.topk.evaluate(q)
        whoosh = {h.docnum: h.score for h in gen.searcher.search(q, limit=None)}
        assert set(np.flatnonzero(scored.mask).tolist()) == set(whoosh), q
        assert {d: float(scored.score[d]) for d in whoosh} == whoosh, q
        found += bool(whoosh)
    assert found > 30  # the phrases were mostly found: the comparison compared something


def test_terms_a_request_evaluated_already_give_the_same_scores(svc: SearchService) -> None:
    """A request evaluates its query, then its words one by one, its names and its relaxed
    query, taking the terms and phrases read so far (TopK.evaluate's `known`): each must
    match and score as evaluated afresh."""
    gen = svc._current()
    parsed = svc.parse("hujan deras pompa listrik")
    known = gen.topk.evaluate(parsed.query).leaves
    later = [*parsed.required, parsed.relaxed(), wq.Phrase("exact", ["hujan", "deras"])]
    later += [wq.Phrase("exact", ["hujan", "deras"]), wq.Or([wq.Term("body", "hujan")])]
    for q in later:
        fresh = gen.topk.evaluate(q)
        reused = gen.topk.evaluate(q, known)
        assert np.array_equal(reused.mask, fresh.mask), q
        assert np.array_equal(reused.score, fresh.score), q
        assert reused.mask.any(), q
    assert ("p", "exact", ("hujan", "deras")) in known  # kept for the request's next queries


def test_scores_at_some_documents_are_the_scores_there(svc: SearchService) -> None:
    """A query's scores looked up at some of the documents (a term's at few of its postings
    by a search, at most of them or all through marks over the index's documents) are its
    scores there, one lookup after another, documents without the query's words included."""
    gen = svc._current()
    rng = random.Random(7)
    texts = ["pompa", "hujan deras", "banjir OR rob", "gempa -bumi", "kapal nelayan pasar"]
    # Phrases (scored at some documents without an array of the index's size), alone, with
    # a word, a word twice; one nothing matches, and a word the index lacks.
    texts += ['"hujan deras"', '"hujan deras" warga', '"jalan jalan"', '"pompa tidakada"']
    texts += ["tidakada", "tidakada OR pompa"]
    queries = [svc.parse(t).query for t in texts]
    for _ in range(3):
        for q in queries:
            every = gen.topk.evaluate(q).score  # one array of the index's size
            held = np.flatnonzero(gen.topk.evaluate(q).mask)
            for size in (1, 3, held.size // 2, held.size):
                docs = np.array(sorted(rng.sample(held.tolist(), min(size, held.size))))
                docs = docs.astype(np.int64)
                at = gen.topk.evaluate(q).at(docs)
                assert at.tolist() == every[docs].tolist(), (q, size)
            anywhere = np.arange(gen.topk.size)  # documents without the query's words too
            assert gen.topk.evaluate(q).at(anywhere).tolist() == every.tolist(), q
            some = np.flatnonzero(np.random.default_rng(1).random(gen.topk.size) < 0.6)
            assert gen.topk.evaluate(q).at(some).tolist() == every[some].tolist(), q


@pytest.mark.parametrize("text", ["pompa", '"hujan deras"', "hujan deras"])
def test_an_evaluated_query_is_freed_without_the_cyclic_gc(svc: SearchService, text: str) -> None:
    """A query's evaluation (its archive-sized mask and scores) is freed when the request
    drops it, not when Python's cyclic GC happens to run: at 2.2M articles a term's or a
    phrase's evaluation held in a reference cycle kept ~450 MB in a worker."""
    gen = svc._current()
    q = svc.parse(text).query
    was = gc.isenabled()
    gc.disable()
    try:
        scored = gen.topk.evaluate(q)
        assert scored.score.shape == scored.mask.shape  # (the scores worked out)
        gone = [weakref.ref(scored), *(weakref.ref(leaf) for leaf in scored.leaves.values())]
        del scored
        assert [ref() for ref in gone] == [None] * len(gone)
    finally:
        if was:
            gc.enable()


@pytest.mark.parametrize("match", ["most", "any"])
def test_most_and_any_words_rank_as_the_whoosh_path(
    svc: SearchService, monkeypatch: pytest.MonkeyPatch, match: str
) -> None:
    req = SearchRequest(q="judul:pompa judul:listrik judul:kapal", per_page=20, match=match)
    fast = svc.search(req)
    strict = svc.search(replace(req, match="all"))
    assert fast.total > strict.total, "all three title words should find fewer"
    gen = svc._current()
    monkeypatch.setattr(gen.matcher, "scored", lambda *_: None)  # Whoosh's collectors rank
    slow = svc.search(req)
    assert [(h.id, h.score) for h in fast.hits] == [(h.id, h.score) for h in slow.hits]
    assert fast.total == slow.total


def test_positions_decoded_in_bulk_as_the_format_decodes_them() -> None:
    fmt = IndonesianPositions(stemmed=False)
    lists = [[0], [3, 4, 9], [127], [1, 2, 3, 4, 5]]
    values = [fmt.encode(p) for p in lists]
    counts, flat = _positions(fmt, values)  # one byte per gap: the bulk path
    assert counts.tolist() == [len(p) for p in lists]
    assert flat.tolist() == [x for p in lists for x in p]
    lists.append([5, 300, 301])  # a gap of 295: two bytes
    counts, flat = _positions(fmt, [fmt.encode(p) for p in lists])
    assert counts.tolist() == [len(p) for p in lists]
    assert flat.tolist() == [x for p in lists for x in p]


@pytest.mark.parametrize("sort", ["newest", "oldest"])
def test_date_order_pages_through_ties_by_document_number(svc: SearchService, sort: str) -> None:
    gen = svc._current()
    day = gen.facets.day
    docs = np.flatnonzero(gen.matcher.mask(svc.parse("banjir").query))
    undated = np.iinfo(np.int32).max

    def key(d: int) -> tuple[int, int]:
        k = undated if day[d] < 0 else (int(day[d]) if sort == "oldest" else -int(day[d]))
        return (k, d)

    want = [gen.searcher.stored_fields(d)["id"] for d in sorted(docs.tolist(), key=key)]
    got: list[str] = []
    for page in range(1, 8):
        got += [h.id for h in svc.search(SearchRequest(q="banjir", sort=sort, page=page)).hits]
    assert got == want[: len(got)] and len(got) == min(70, len(want))


@pytest.mark.parametrize("seed", range(40))
def test_the_kth_score_is_numpys_partition(seed: int) -> None:
    """The k-th best score that bounds the re-scored band (TopK.top): np.partition's, on
    scores with many ties, few distinct values, blocks of equal maxima, and NaN, at sizes
    below and above the block bound's (2 k blocks)."""
    rng = np.random.default_rng(seed)
    for _ in range(25):
        n = int(
            rng.choice([1, 5, 63, 64, 2 * 30 * KTH_BLOCKS[-1] - 1, 2 * 30 * KTH_BLOCKS[0], 5_000])
        )
        n = max(1, n + int(rng.integers(-3, 4)))
        k = int(rng.integers(1, min(n, 40) + 1))
        shape = seed % 4
        if shape == 0:
            values = rng.gamma(2.0, 2.0, n)
        elif shape == 1:
            values = rng.gamma(2.0, 2.0, n).round(1)  # many ties
        elif shape == 2:
            values = rng.integers(0, 3, n).astype(np.float64)  # few distinct values
        else:
            values = np.sort(rng.gamma(2.0, 2.0, n))  # the best in the last blocks
            if n > 10:
                values[int(rng.integers(0, n))] = np.nan
        want = np.partition(values, n - k)[n - k]
        got = kth_largest(values, k)
        assert got == want or (np.isnan(got) and np.isnan(want))
