"""Which articles a request counts: its query under a match mode, and its filters.

One set of articles per request (`Matched.final`) is what the total, the facets, the timeline,
the sort, the pages and the exports all count: a number an analyst quotes means one thing.

Match modes (`SearchRequest.match`):
  all   every required word or phrase (the default: the query as written);
  most  as many of them as it takes to find RELAX_BELOW articles: all but one, or fewer down
        to the query's minimum (either, for two words); the result says how many (`words`);
  any   at least one.
Under `most` and `any` the all-words articles rank first. Under `all`, when fewer than
RELAX_BELOW articles have every word, the articles that `most` would add are offered apart
(`partial`), never counted in.

Filters: an outlet filter ORs its values (this outlet or that one) and its list counts as if it
were not set, so ticking a second outlet shows what it adds. An entity filter (person,
organisation, place) ANDs its values (articles that name both) and its list counts within the
filtered results: ticking a person lists who appears with them. `<facet>_not` excludes values.
Values match case- and accent-blind; a value that matches nothing is reported, not dropped.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from whoosh import query as wq

from index_format import facets as registry
from search.added import epoch
from search.facets import FacetData, query_mask
from search.models import SearchRequest
from search.query import ParsedQuery
from search.topk import Leaves, Scored, ScoreUnsupported, TopK

MATCHES = ("all", "most", "any")
# Below this many all-words articles, the articles most words find are offered apart.
RELAX_BELOW = 10


@dataclass
class Matched:
    final: np.ndarray  # the articles the request counts
    counted_under: dict[str, np.ndarray]  # per facet list ("published" too): what it counts
    strict: np.ndarray | None = None  # most/any: the all-words articles (ranked first)
    scored: Scored | None = None  # the all-words query's numpy evaluation, when relevance
    warnings: list[dict[str, str]] = field(default_factory=list)
    words: int = 0  # the fewest required words (or phrases) a counted article holds
    # Per facet list, what decides `counted_under`'s articles on this generation: the query
    # text, the match mode and the filters it applies (search.facets.FacetData.lists).
    counted_keys: dict[str, Hashable] = field(default_factory=dict)


class Matcher:
    """Matching on one open index generation."""

    def __init__(self, searcher: Any, topk: TopK, facets: FacetData) -> None:
        self.searcher = searcher
        self.topk = topk
        self.facets = facets

    def mask(self, q: wq.Query | None, known: Leaves | None = None) -> np.ndarray:
        """The documents matching q (unscored: counting needs no scores). `known`: the terms
        the request evaluated already (TopK.evaluate)."""
        if q is None:
            return self.facets.live.copy()
        # Block-wise postings into numpy: broad terms cost microseconds per block, not per
        # hit (the scorer's reading: ids decoded with numpy, phrases from positions).
        try:
            return self.topk.evaluate(q, known).mask
        except ScoreUnsupported:
            return query_mask(self.searcher, q, self.facets.live)

    def scored(self, parsed: ParsedQuery, sort: str) -> Scored | None:
        """For a relevance-sorted query: its matching mask and numpy scores in one pass over
        the postings (None when numpy does not model the query: Whoosh ranks it)."""
        if parsed.query is None or sort != "relevance":
            return None
        try:
            return self.topk.evaluate(parsed.query)
        except ScoreUnsupported:
            return None

    def words(
        self, parsed: ParsedQuery, match: str, known: Leaves | None = None
    ) -> tuple[np.ndarray, int]:
        """The documents with enough of the required words for `match`, excluded words left
        out, and how many words that is. any: one. most: as many as it takes to find
        RELAX_BELOW articles, from all but one down to `parsed.min_match`."""
        counts = np.zeros(self.facets.size, dtype=np.int32)
        for clause in parsed.required:
            counts += self.mask(clause, known)
        if parsed.excluded is not None:
            counts[self.mask(parsed.excluded, known)] = 0
        counts[~self.facets.live] = 0
        if match == "any":
            return counts >= 1, 1
        need = max(1, len(parsed.required) - 1)
        while need > parsed.min_match and np.count_nonzero(counts >= need) < RELAX_BELOW:
            need -= 1
        return counts >= need, need

    def match(self, parsed: ParsedQuery, req: SearchRequest) -> Matched:
        scored = self.scored(parsed, req.sort)
        # (read-only where the generation keeps it: nothing below changes a mask in place)
        every = scored.mask if scored is not None else self.mask(parsed.query)
        strict = None
        base = every
        words = len(parsed.required)
        if req.match != "all" and parsed.relaxable:
            found, words = self.words(parsed, req.match, _leaves(scored))
            base = found | every
            strict = every
        specs = filter_specs(req)
        filters, warnings = self.filters(req, specs)
        final = base & _all(filters, self.facets.size) if filters else base
        counted = {}
        keys: dict[str, Hashable] = {}
        for name in (*registry.names(), "published"):
            own = {k for k in filters if k in (name, f"{name}_not")}
            if name != "published" and registry.facet(name).entity:
                own = set()  # within the results, its own filter included: who appears with
            counted[name] = final if not own else base & _all(filters, self.facets.size, own)
            # (the sort is not in it: every sort counts the same articles)
            keys[name] = (req.q, req.match, tuple((k, v) for k, v in specs.items() if k not in own))
        return Matched(
            final,
            counted,
            strict & final if strict is not None else None,
            scored,
            warnings,
            words,
            keys,
        )

    def partial(
        self, parsed: ParsedQuery, req: SearchRequest, matched: Matched
    ) -> tuple[np.ndarray | None, int]:
        """Under `all`, when fewer than RELAX_BELOW articles have every word: the articles
        that `most` adds (filters applied) and how many words they hold at least; else None
        (no mask of the index's size made to say so)."""
        if req.match != "all" or not parsed.relaxable:
            return None, 0
        if np.count_nonzero(matched.final) >= RELAX_BELOW:
            return None, 0
        filters, _ = self.filters(req)
        found, words = self.words(parsed, "most", _leaves(matched.scored))
        return found & _all(filters, self.facets.size) & ~matched.final, words

    def filters(
        self, req: SearchRequest, specs: dict[str, Any] | None = None
    ) -> tuple[dict[str, np.ndarray], list[dict[str, str]]]:
        """Each filter's documents ("<facet>", "<facet>_not", "published", "since"), and the
        values that match nothing. `specs`: filter_specs(req), when the caller has them."""
        fd = self.facets
        masks: dict[str, np.ndarray] = {}
        warnings: list[dict[str, str]] = []
        for name, spec in (filter_specs(req) if specs is None else specs).items():
            if name == "published":
                masks[name] = fd.date_mask(*spec)
            elif name == "since":  # added to the index after it (search.added)
                masks[name] = fd.added > epoch(spec)
            elif name.endswith("_not"):
                mask, unknown = fd.value_mask(name[: -len("_not")], spec, every=False)
                masks[name] = ~mask
                warnings += [{"facet": name, "value": v} for v in unknown]
            else:
                entity = registry.facet(name).entity
                mask, unknown = fd.value_mask(name, spec, every=entity)
                masks[name] = mask
                warnings += [{"facet": name, "value": v} for v in unknown]
        return masks, warnings


def filter_specs(req: SearchRequest) -> dict[str, Any]:
    """What each of the request's filters asks, by the filter's name as Matcher.filters names
    its mask: the values of "<facet>" and "<facet>_not", the dates of "published", the time
    of "since". Matcher.filters builds the masks from these alone, so they are also what a
    facet list's counted articles depend on (Matched.counted_keys)."""
    specs: dict[str, Any] = dict(req.filters)
    specs.update({f"{name}_not": values for name, values in req.exclude.items()})
    if req.date_from or req.date_to:
        specs["published"] = (req.date_from, req.date_to)
    if req.since is not None:
        specs["since"] = req.since
    return specs


def _leaves(scored: Scored | None) -> Leaves | None:
    """What the request's evaluation of its query read (None: nothing yet)."""
    return None if scored is None else scored.leaves


def _all(masks: dict[str, np.ndarray], size: int, leave_out: set[str] | None = None) -> np.ndarray:
    """The documents every filter keeps (but those left out)."""
    kept = np.ones(size, dtype=bool)
    for name, mask in masks.items():
        if not leave_out or name not in leave_out:
            kept &= mask
    return kept
