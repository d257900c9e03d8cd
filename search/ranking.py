"""How a page of results is ordered: every ranking strategy, its constants, in one place.

The rule that holds every strategy together: **the numpy scores are Whoosh's scores.** TopK
(search.topk) computes BM25F for every matching document with the same operations in the same
order as `whoosh.scoring`, and re-scores with Whoosh's own matchers whatever could differ in the
last bit; so a page ranked here is the page Whoosh's collector would give scoring every match.
tests/search/test_search_topk.py and tests/test_index_histories.py hold it so, in every index state.

Known names typed as consecutive words (`ParsedQuery.names`: `joko widodo`, `sri mulyani`)
come first in every relevance strategy: the documents holding more of them written together
(or spelled otherwise: Jokowi), then the others; each tier in score order. Before, `joko
widodo` ranked "Joko Anwar 'Perang' dengan Rachel Maryam" (both words, apart) first.

The strategies, chosen by `Ranking.page`:
  relevance          numpy top-k (by name tier), then the proximity re-rank of its head;
  most / any words   (search.matching's match modes) the all-words documents first, then
                     the others, each part ranked by its own query;
  Whoosh's collector what numpy does not model (ScoreUnsupported), scored over every match;
  newest / oldest    by day, undated last, ties in index order; also relevance without a query.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from whoosh import query as wq

from search.proximity import Proximity
from search.query import ParsedQuery
from search.topk import Leaves, Scored, ScoreUnsupported, TopK, kth_largest, scores_of

# Phrase proximity: the best RERANK_DEPTH results are re-ranked by adding PROXIMITY_WEIGHT times
# the score of each pair of consecutive query words found within PROXIMITY_SLOP positions
# (`rerank_by_proximity`). Not as an optional clause of the query itself: in Whoosh 2.7.5 an Or
# or AndMaybe holding Phrase queries drops and mis-scores documents (measured on FacQA: the best
# passage, 126 points with limit=None, was missing from limit=5). FacQA MRR@10: +0.009.
PROXIMITY_SLOP = 3
PROXIMITY_WEIGHT = 0.5
RERANK_DEPTH = 30
# A query of names ranks by tier first (Ranking.tiers). Its tiers are first looked for among
# the best-scored of its documents only, at least this many and NAMED_PER_HIT for each
# document the page needs (Ranking._named_top); the whole index's tiers only when those do
# not settle the page.
NAMED_CANDIDATES = 1024
NAMED_PER_HIT = 16
# How far (a share of the scores) the page's last score must stand above the best score left
# out of the candidates: far more than the last-bit differences between the numpy scores and
# Whoosh's (search.topk.BAND).
NAMED_MARGIN = 1e-6

Ranked = list[tuple[int, float | None]]  # (document number, score), best first


def name_tiers(searcher: Any, parsed: ParsedQuery, docs: list[int]) -> dict[int, int]:
    """How many of the query's names (`ParsedQuery.names`) each of `docs` holds written
    together."""
    tiers = dict.fromkeys(docs, 0)
    for name in parsed.names:
        for docnum in scores_of(searcher, name, docs):
            tiers[docnum] += 1
    return tiers


def rerank_by_proximity(
    searcher: Any,
    parsed: ParsedQuery,
    ranked: Ranked,
    tiers: np.ndarray | None = None,
    topk: TopK | None = None,
) -> Ranked:
    """`ranked` with the documents holding more of the query's names written together first
    (a stable partition: within a tier, `ranked`'s order), then its first RERANK_DEPTH
    re-ordered within their tiers by the proximity of consecutive query words (title or body)
    added to their scores. `tiers`: each document's tier when known (Ranking.tiers), else
    found here by Whoosh's matchers. `topk`: the generation's numpy scoring, which finds the
    words' proximity from their postings (search.proximity); without it, Whoosh's Phrase
    matchers do (the same scores: tests/search/test_ranking_proximity.py)."""
    tier: dict[int, int] = {}
    if parsed.names and ranked:
        if tiers is not None:
            tier = {d: int(tiers[d]) for d, _ in ranked}
        else:
            tier = name_tiers(searcher, parsed, [d for d, _ in ranked])
        ranked = sorted(ranked, key=lambda ds: -tier[ds[0]])  # stable
    head, tail = ranked[:RERANK_DEPTH], ranked[RERANK_DEPTH:]
    if not parsed.near or len(head) < 2:
        return ranked
    bonus = dict.fromkeys((d for d, _ in head), 0.0)
    candidates = list(bonus)
    words = [w for pair in parsed.near for w in pair]
    proximity = None if topk is None else Proximity(topk, candidates, PROXIMITY_SLOP, words)
    for a, b in parsed.near:
        for f in ("title", "body"):
            for docnum, score in _near(searcher, proximity, f, a, b, candidates).items():
                bonus[docnum] += PROXIMITY_WEIGHT * score
    # Stable: ties keep their order.
    head.sort(key=lambda ds: (-tier.get(ds[0], 0), -((ds[1] or 0.0) + bonus[ds[0]])))
    return [(d, (s or 0.0) + bonus[d]) for d, s in head] + tail


def _near(
    searcher: Any,
    proximity: Proximity | None,
    fieldname: str,
    a: str,
    b: str,
    candidates: list[int],
) -> dict[int, float]:
    """Whoosh's score for Phrase(fieldname, [a, b], slop=PROXIMITY_SLOP) of each candidate it
    matches."""
    if proximity is not None:
        try:
            return proximity.scores(fieldname, a, b)
        except ScoreUnsupported:
            pass  # Whoosh's matchers below
    near = wq.Phrase(fieldname, [a, b], slop=PROXIMITY_SLOP)
    # Only the candidates: a search would step through every document with both words.
    return scores_of(searcher, near, candidates)


class Ranking:
    """The ranking of one open index generation."""

    def __init__(self, searcher: Any, topk: TopK, day: np.ndarray) -> None:
        self.searcher = searcher
        self.topk = topk
        self.day = day  # each document's day (facets), -1 when undated

    def page(
        self,
        parsed: ParsedQuery,
        sort: str,
        final: np.ndarray,
        start: int,
        end: int,
        strict: np.ndarray | None = None,
        scored: Scored | None = None,
        docs: np.ndarray | None = None,
    ) -> Ranked:
        """Results start..end of the `final` documents in `sort` order. `strict` (match modes
        most and any) marks the documents with all words; `scored` is the query's numpy evaluation
        (None: not modelled, or not asked for); `docs`: np.flatnonzero(final), when the caller
        has it (the facets counted them)."""
        if start >= end:
            return []
        if parsed.query is None and sort == "relevance":
            sort = "newest"  # nothing to rank by: show the latest first
        if sort != "relevance":
            return self._by_date(final, start, end, sort, docs)
        known = scored.leaves if scored is not None else None
        if parsed.names and strict is None and scored is not None:
            try:
                named = self._named_top(parsed, scored, final, max(end, RERANK_DEPTH), docs)
            except ScoreUnsupported:
                named = None  # the whole index's tiers below say what to do
            if named is not None:
                top, held = named
                return rerank_by_proximity(self.searcher, parsed, top, held, self.topk)[start:end]
        tiers = self.tiers(parsed, known)
        if strict is not None:
            return self._relaxed(parsed, final, strict, end, scored, tiers)[start:end]
        if scored is not None:
            try:
                k = max(end, RERANK_DEPTH)
                top = self._top(parsed.query, scored, final, k, tiers, docs)
            except ScoreUnsupported:
                pass  # Whoosh's collector below
            else:
                return rerank_by_proximity(self.searcher, parsed, top, tiers, self.topk)[start:end]
        k = max(end, RERANK_DEPTH)
        return self._whoosh(parsed, parsed.query, final, k, tiers)[start:end]

    def _relaxed(
        self,
        parsed: ParsedQuery,
        final: np.ndarray,
        strict: np.ndarray,
        end: int,
        scored: Scored | None,
        tiers: np.ndarray | None,
    ) -> Ranked:
        """The documents with all words first, then the others, each part ranked by its own
        query (the second by the most-words query)."""
        ranked: Ranked | None = None
        if scored is not None:
            try:
                first: Ranked = list(
                    self.topk.top(parsed.query, scored, strict, int(np.count_nonzero(strict)))
                )
                ranked = rerank_by_proximity(self.searcher, parsed, first, tiers, self.topk)
            except ScoreUnsupported:
                pass  # Whoosh's collector below
        if ranked is None:
            ranked = self._whoosh(
                parsed, parsed.query, strict, int(np.count_nonzero(strict)), tiers
            )
        if len(ranked) < end:
            limit = max(end, RERANK_DEPTH) - len(ranked)
            known = scored.leaves if scored is not None else None
            ranked += self.best_of_most(parsed, final & ~strict, limit, tiers, known)
        return ranked

    def best_of_most(
        self,
        parsed: ParsedQuery,
        allow: np.ndarray,
        limit: int,
        tiers: np.ndarray | None,
        known: Leaves | None = None,
    ) -> Ranked:
        """The best `limit` of the `allow`ed documents by the most-words query. `known`: the
        terms the request evaluated already (TopK.evaluate)."""
        relaxed = parsed.relaxed()
        try:
            best = self._top(relaxed, self.topk.evaluate(relaxed, known), allow, limit, tiers)
        except ScoreUnsupported:
            return self._whoosh(parsed, relaxed, allow, limit, tiers)
        return rerank_by_proximity(self.searcher, parsed, best, tiers, self.topk)

    def _whoosh(
        self,
        parsed: ParsedQuery,
        q: Any,
        allow: np.ndarray,
        limit: int,
        tiers: np.ndarray | None,
    ) -> Ranked:
        """q's best `limit` `allow`ed documents ranked by Whoosh's collector, re-ranked by
        proximity (as TopK.top and the re-rank rank them). Always filtered by the exact mask
        (Whoosh's AndNot let excluded documents through on a multi-segment index), and
        unlimited: with a limit, Whoosh's block-quality skipping dropped a document of an Or
        holding a phrase (score 12.4, ranked 3rd; tests/test_index_histories.py). An empty
        filter set means no filter to Whoosh, so none allowed finds nothing here."""
        if not allow.any():
            return []
        allowed = set(np.flatnonzero(allow).tolist())
        results = self.searcher.search(q, filter=allowed, limit=None)
        ranked: Ranked = [(h.docnum, h.score) for h in results]
        if tiers is not None:  # as rerank_by_proximity orders them, before the cut
            ranked.sort(key=lambda ds: -int(tiers[ds[0]]))
        return rerank_by_proximity(self.searcher, parsed, ranked[:limit], tiers, self.topk)

    def _top(
        self,
        q: Any,
        scored: Scored,
        allow: np.ndarray | None,
        k: int,
        tiers: np.ndarray | None,
        docs: np.ndarray | None = None,
    ) -> Ranked:
        """The best k `allow`ed documents of q by numpy, those holding more of the query's names
        first: the first k that rerank_by_proximity's partition of the whole ranking holds.
        `docs`: np.flatnonzero(allow), when known."""
        if tiers is None:
            return list(self.topk.top(q, scored, allow, k, docs))
        if docs is None:
            assert allow is not None
            docs = np.flatnonzero(allow)
        # Each allowed document's tier, and the tiers they reach, highest first (a count of
        # the few tiers, not a sort of the documents' tiers).
        held = tiers[docs]
        out: Ranked = []
        for t in np.flatnonzero(np.bincount(held))[::-1].tolist():
            if len(out) >= k:
                break
            out += self.topk.top(q, scored, None, k - len(out), docs[held == t])
        return out

    def _named_top(
        self,
        parsed: ParsedQuery,
        scored: Scored,
        final: np.ndarray,
        k: int,
        docs: np.ndarray | None = None,
    ) -> tuple[Ranked, np.ndarray] | None:
        """What `_top` gives with the whole index's tiers, from the tiers of a few candidates:
        the `final` documents scoring best (None when they do not settle it).

        Every name adds at most one to a tier. So when k candidates reach every name, and
        the k-th best of them scores clearly above every document left out, no document left
        out can enter the page: a higher tier does not exist, and in theirs it scores less.
        Returns the k best (as `_top`) and tiers that hold the candidates' (0 elsewhere)."""
        docs = np.flatnonzero(final) if docs is None else docs
        if docs.size == 0:
            return None
        approx = scored.at(docs)
        if np.isnan(approx).any():
            return None
        want = max(NAMED_CANDIDATES, NAMED_PER_HIT * k)
        outside = None  # the best score left out of the candidates
        cand, scores = docs, approx
        if docs.size > want:
            near = approx >= kth_largest(approx, want)
            if not near.all():
                cand, scores = docs[near], approx[near]
                outside = float(approx[~near].max())
        names = parsed.names
        held: np.ndarray = np.zeros(cand.size, dtype=np.int8 if len(names) < 127 else np.int32)
        for name in names:
            held += self.topk.holds(name, cand)
        if outside is not None:
            best = scores[held == len(names)]
            if best.size < k:
                return None
            last = kth_largest(best, k)
            if not last - outside > NAMED_MARGIN * max(abs(last), abs(outside), 1.0):
                return None
        tiers = np.zeros(self.topk.size, dtype=held.dtype)
        tiers[cand] = held
        return self._top(parsed.query, scored, None, k, tiers, cand), tiers

    def tiers(self, parsed: ParsedQuery, known: Leaves | None = None) -> np.ndarray | None:
        """Per document, how many of the query's name tiers it reaches (None: no names).
        `known`: the terms and phrases the request evaluated already (TopK.evaluate)."""
        if not parsed.names:
            return None
        # (int8 for the few names a query holds: a quarter of the bytes to clear and add to)
        tiers: np.ndarray = np.zeros(
            self.topk.size, dtype=np.int8 if len(parsed.names) < 127 else np.int32
        )
        for name in parsed.names:
            try:
                tiers += self.topk.evaluate(name, known).mask
            except ScoreUnsupported:  # (another weighting): Whoosh finds them
                tiers[list(self.searcher.docs_for_query(name))] += 1
        return tiers

    def _by_date(
        self, final: np.ndarray, start: int, end: int, sort: str, docs: np.ndarray | None = None
    ) -> Ranked:
        """Newest or oldest first; undated articles last in both orders; ties in index order."""
        docs = np.flatnonzero(final) if docs is None else docs
        days = self.day[docs]
        key = np.where(days < 0, np.iinfo(np.int32).max, days if sort == "oldest" else -days)
        # One int64 per document (day, then document number), and only the first `end` sorted.
        combined = key.astype(np.int64) * final.size + docs
        if end < combined.size:
            first = np.argpartition(combined, end - 1)[:end]
            order = first[np.argsort(combined[first])]
        else:
            order = np.argsort(combined)
        return [(int(d), None) for d in docs[order[start:end]]]
