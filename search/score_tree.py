"""The order in which Whoosh adds a query's term scores in one segment, worked out without
building its matchers, and the sums it gives.

Whoosh's collector scores a document by walking the matcher tree its query builds in each
segment: an And or an Or of several parts is a Huffman-like tree of binary matchers weighted
by each part's estimated size in that segment (`whoosh.util.make_weighted_tree`), a small
segment's Or an array matcher adding its parts in order. Floating-point sums depend on that
order, so TopK re-adds the evaluated leaves' scores in it (search.topk.TopK.tree_scores).
Building the matchers to read the tree costs a term lookup, a scorer and, for an array
matcher, the scoring of every document of the segment, for each term of the query in every
segment: ~14 ms for a 6-term query at 220k articles in 19 segments. The shape alone needs
each term's document frequency there.

`shape` mirrors the matcher construction of the query classes the numpy scorer evaluates
(Term, Phrase with slop 1, And, Or, AndNot, AndMaybe, NullQuery); anything else raises
ScoreUnsupported and the caller builds Whoosh's matchers. tests/search/test_score_tree.py
holds the sums equal to Whoosh's scores on random queries, with the binary and the array
matchers, in every index history.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Any

import numpy as np
from whoosh import query as wq

# A node of the tree: ("leaf", key) | ("null",) | (kind, a, b) for kind in "and", "or",
# "andnot", "andmaybe" | ("array", [nodes]). A leaf's key is its Scored's in the leaves.
Node = tuple[Any, ...]
_NULL: Node = ("null",)
# Whoosh's Or: a binary tree of unions for two parts, big segments or many clauses; else an
# array matcher (whoosh.query.compound.Or._matcher with a default SearchContext).
_ARRAY_BELOW_DOCS = 5000
_TOO_MANY_CLAUSES = 1024


class ShapeUnsupported(Exception):
    """The query holds something whose matcher this does not mirror."""


def shape(q: Any, reader: Any, doc_count_all: int) -> Node:
    """The matcher tree Whoosh builds for q in the segment of `reader`."""
    return _Segment(reader, doc_count_all).shape(q)


class _Segment:
    """One segment's terms as the shape of a query asks for them: each term's document
    frequency looked up once (a term is in the segment when it has one: Whoosh's `in`
    test), however often the nested And and Or weigh it."""

    def __init__(self, reader: Any, doc_count_all: int) -> None:
        self.reader = reader
        self.doc_count_all = doc_count_all
        self._df: dict[tuple[str, Any], int] = {}
        self._live: int | None = None

    def df(self, fieldname: str, text: Any) -> int:
        key = (fieldname, text)
        got = self._df.get(key)
        if got is None:
            reader = self.reader
            got = 0
            if fieldname in reader.schema:
                try:
                    btext = reader.schema[fieldname].to_bytes(text)
                except ValueError:
                    btext = None
                if btext is not None:
                    got = int(reader.doc_frequency(fieldname, btext))
            self._df[key] = got
        return got

    def shape(self, q: Any) -> Node:
        kind = type(q)
        if q is wq.NullQuery or isinstance(q, type(wq.NullQuery)):
            return _NULL
        if getattr(q, "boost", 1.0) != 1.0:
            raise ShapeUnsupported("boost")
        if kind is wq.Term:
            return ("leaf", ("t", q.fieldname, q.text)) if self.df(q.fieldname, q.text) else _NULL
        if kind is wq.Phrase:
            if q.slop != 1:
                raise ShapeUnsupported("phrase slop")
            if not all(self.df(q.fieldname, w) for w in q.words):
                return _NULL  # (Whoosh's shortcut when a word is not in the segment)
            return ("leaf", ("p", q.fieldname, tuple(q.words)))
        if kind in (wq.And, wq.Or):
            subs = q.subqueries
            if not subs:
                return _NULL
            if len(subs) == 1:
                return self.shape(subs[0])
            nodes = [self.shape(sub) for sub in subs]
            if kind is wq.And:
                return _weighted("and", [-self.size(sub) for sub in subs], nodes)
            if q.matcher_type != wq.Or.AUTO_MATCHER or q.scale:
                raise ShapeUnsupported("Or matcher type")
            many = len(subs) == 2 or self.doc_count_all > _ARRAY_BELOW_DOCS
            if len(subs) < _TOO_MANY_CLAUSES and many:
                return _weighted("or", [self.size(sub) for sub in subs], nodes)
            return ("array", nodes)
        if kind in (wq.AndNot, wq.AndMaybe):
            a, b = self.shape(q.a), self.shape(q.b)
            return ("andnot" if kind is wq.AndNot else "andmaybe", a, b)
        raise ShapeUnsupported(kind.__name__)

    def size(self, q: Any) -> int:
        """q.estimate_size(reader)."""
        kind = type(q)
        if kind is wq.Term:
            return self.df(q.fieldname, q.text)
        if kind is wq.Phrase:  # its And of terms
            return min(self.df(q.fieldname, w) for w in q.words)
        if kind is wq.And:
            return min(self.size(sub) for sub in q.subqueries)
        if kind in (wq.Or, wq.AndNot, wq.AndMaybe):  # CompoundQuery's: the sum, at most the live
            if self._live is None:
                self._live = int(self.reader.doc_count())
            return min(sum(self.size(sub) for sub in q.subqueries), self._live)
        if q is wq.NullQuery or isinstance(q, type(wq.NullQuery)):
            return 0
        raise ShapeUnsupported(kind.__name__)


def _weighted(kind: str, weights: list[int], nodes: list[Node]) -> Node:
    """whoosh.util.make_weighted_tree: sort (weight, matcher) pairs, then join the first two
    and insert the join after the pairs of the same weight, until one is left. Matchers
    compare as never less than one another (their __lt__ is true only between two of one
    class, whose __eq__ is true too, so the tuples tie), so ties keep their order: the sort
    is a stable sort by weight and the insertion a bisect_right."""
    pairs = sorted(zip(weights, nodes, strict=True), key=lambda p: p[0])
    ws = [w for w, _ in pairs]
    ns = [n for _, n in pairs]
    while len(ns) > 1:
        w = ws.pop(0) + ws.pop(0)
        joined = (kind, ns.pop(0), ns.pop(0))
        at = bisect_right(ws, w)
        ws.insert(at, w)
        ns.insert(at, joined)
    return ns[0]


def sums(
    node: Node, docs: np.ndarray, leaves: dict[tuple[Any, ...], Any]
) -> tuple[np.ndarray, np.ndarray]:
    """(matches, score) of each of `docs` (global numbers) under the tree, the leaves' exact
    scores added as each Whoosh matcher's score() adds them."""
    kind = node[0]
    if kind == "leaf":
        got = leaves.get(node[1])
        if got is None:
            raise ShapeUnsupported("a leaf the evaluation did not score")
        return got.mask[docs], got.at(docs)
    if kind == "null":
        return np.zeros(docs.size, dtype=bool), np.zeros(docs.size)
    if kind == "array":
        present = np.zeros(docs.size, dtype=bool)
        total = np.zeros(docs.size, dtype=np.float64)
        for sub in node[1]:  # ArrayUnionMatcher: a[i] += score, one part after another
            p, sc = sums(sub, docs, leaves)
            present |= p
            total[p] += sc[p]
        return present, total
    pa, sa = sums(node[1], docs, leaves)
    pb, sb = sums(node[2], docs, leaves)
    if kind == "and":
        return pa & pb, sa + sb
    if kind == "or":
        return pa | pb, np.where(pa & pb, sa + sb, np.where(pa, sa, sb))
    if kind == "andmaybe":
        return pa, np.where(pb, sa + sb, sa)
    return pa & ~pb, sa  # andnot
