"""Whoosh's order of adding scores, worked out without its matchers (search/score_tree.py): on
random queries in every index history, TopK's scores of every matching document are Whoosh's,
bit for bit, with its small segments' array matchers and its big segments' binary trees."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from whoosh import query as wq
from whoosh.matching import IntersectionMatcher, ListMatcher, NullMatcher, UnionMatcher
from whoosh.matching.mcore import NullMatcherClass
from whoosh.util import make_weighted_tree

from search import score_tree
from search.service import SearchService
from search.topk import Leaves, TopK, _tree
from tests.indexes import HISTORIES, build_index
from tests.search.test_search_topk import WORDS, _corpus

FIELDS = ("title", "body", "exact")


@pytest.fixture(scope="module", params=HISTORIES)
def tree_index(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    index_dir = tmp_path_factory.mktemp(f"tree-{request.param}") / "index"
    build_index(index_dir, _corpus(90, 3) + _corpus(90, 4), request.param)
    return index_dir


@pytest.fixture
def svc(tree_index: Path) -> Iterator[SearchService]:
    s = SearchService(tree_index)
    yield s
    s.close()


def _random_query(rng: random.Random, binary: bool, depth: int = 0) -> Any:
    """Terms of three fields, phrases, words the index lacks, And and Or of two to six parts
    nested, and (`binary`) AndNot and AndMaybe."""
    pick = rng.random()
    if depth >= 2 or pick < 0.35:
        if rng.random() < 0.15:
            return wq.Phrase("exact", rng.sample(WORDS, 2))
        word = rng.choice(WORDS) if rng.random() < 0.95 else "tidakada"
        return wq.Term(rng.choice(FIELDS), word)
    if pick < 0.85 or not binary:
        parts = [_random_query(rng, binary, depth + 1) for _ in range(rng.randint(2, 6))]
        return (wq.And if rng.random() < 0.4 else wq.Or)(parts)
    kind = wq.AndNot if rng.random() < 0.5 else wq.AndMaybe
    return kind(_random_query(rng, binary, depth + 1), _random_query(rng, binary, depth + 1))


def _built_tree_scores(topk: TopK, q: Any, docs: np.ndarray, leaves: Leaves) -> list[float]:
    """The leaves' scores added in the order of the matcher trees Whoosh builds (the way
    TopK took before search.score_tree)."""
    context = topk.searcher.context()
    out: list[float] = []
    bounds = [offset for _, offset in topk.leaves[1:]] + [topk.size]
    start = 0
    for (sub, _), end in zip(topk.leaves, bounds, strict=True):
        stop = int(np.searchsorted(docs, end))
        if stop > start:
            out += _tree(q.matcher(sub, context), docs[start:stop], leaves)[1].tolist()
        start = stop
    return out


@pytest.mark.parametrize("binary", [False, True], ids=["and-or", "with-andnot"])
@pytest.mark.parametrize("big_segments", [False, True], ids=["array-or", "binary-or"])
def test_tree_sums_equal_whoosh_scores_on_random_queries(
    svc: SearchService, monkeypatch: pytest.MonkeyPatch, big_segments: bool, binary: bool
) -> None:
    """Against Whoosh's matchers moved to each document; with AndNot and AndMaybe inside an
    Or, against the sums over the trees Whoosh builds (its AndNot matcher, moved, lets an
    excluded document through there, which the mask never counts: search/ranking.py)."""
    gen = svc._current()
    if big_segments:  # Whoosh builds an Or of 3+ parts as unions past 5,000 documents
        for sub, _ in gen.searcher.leaf_searchers():
            monkeypatch.setattr(sub, "doc_count_all", lambda: 6000)
    rng = random.Random(23 + binary)
    checked = multi = 0
    for _ in range(150):
        q = _random_query(rng, binary).normalize()
        scored = gen.topk.evaluate(q)
        docs = np.flatnonzero(scored.mask)
        if not docs.size:
            continue
        for sub, _ in gen.searcher.leaf_searchers():  # the tree is worked out, not built
            score_tree.shape(q, sub.reader(), sub.doc_count_all())
        got = gen.topk.tree_scores(q, docs, scored.leaves)
        if binary:
            assert got == _built_tree_scores(gen.topk, q, docs, scored.leaves), q
        else:
            assert got == gen.topk.exact_scores(q, docs), q
        checked += 1
        multi += len(q.subqueries) > 2 if isinstance(q, (wq.And, wq.Or)) else 0
    assert checked > 100 and multi > 30  # most queries matched, many of 3+ parts


@pytest.mark.parametrize("seed", range(5))
def test_weighted_trees_join_parts_as_whoosh_does(seed: int) -> None:
    """Parts of equal size (common: a word in title and body of a small segment) keep their
    order, whatever the matchers' classes, as in Whoosh's own make_weighted_tree."""
    rng = random.Random(seed)
    n = rng.randint(2, 9)
    weights = [rng.choice([0, 3, 3, 7, -2]) for _ in range(n)]
    kinds = [ListMatcher, UnionMatcher, type(NullMatcher)]
    made = [rng.choice(kinds) for _ in range(n)]
    ms = [
        ListMatcher([i])
        if k is ListMatcher
        else UnionMatcher(ListMatcher([i]), NullMatcher())
        if k is UnionMatcher
        else NullMatcherClass()
        for i, k in enumerate(made)
    ]
    whoosh = make_weighted_tree(IntersectionMatcher, list(zip(weights, ms, strict=True)))
    number = {id(m): i for i, m in enumerate(ms)}

    def nested(m: Any) -> Any:
        if id(m) in number:
            return ("leaf", number[id(m)])
        return ("and", nested(m.a), nested(m.b))

    nodes = [("leaf", i) for i in range(n)]
    assert score_tree._weighted("and", weights, nodes) == nested(whoosh)


def test_what_is_not_mirrored_is_said(svc: SearchService) -> None:
    reader = svc._current().searcher.reader()
    with pytest.raises(score_tree.ShapeUnsupported):
        score_tree.shape(wq.Prefix("body", "ban"), reader, 10)
    with pytest.raises(score_tree.ShapeUnsupported):
        score_tree.shape(
            wq.Or([wq.Term("body", "rob"), wq.Term("body", "x")], scale=0.5), reader, 10
        )


def test_scores_at_a_few_documents_equal_the_scores_of_all(svc: SearchService) -> None:
    """Scored.at computes an And's common word only where the others are (TopK's top-k and
    tree sums read it): the same floats as scoring every posting, for random queries."""
    gen = svc._current()
    rng = random.Random(5)
    looked_up = 0
    for _ in range(120):
        q = _random_query(rng, binary=True).normalize()
        matched = np.flatnonzero(gen.topk.evaluate(q).mask)
        if not matched.size:
            continue
        docs = np.unique(
            [*rng.sample(matched.tolist(), min(matched.size, 3)), 0, gen.topk.size - 1]
        )
        fresh = gen.topk.evaluate(q)  # (nothing scored yet: the lookups are taken)
        looked_up += docs.size * 4 < matched.size
        assert fresh.at(docs).tolist() == gen.topk.evaluate(q).score[docs].tolist(), q
    assert looked_up > 20
