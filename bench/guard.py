"""The correctness guard: on the whole query mix, Telusur's fast path returns exactly the hit
sets and facet counts that Whoosh's own `groupedby` counting gives for the same parsed query.

    python -m bench.guard INDEX_DIR OUT.json

`compare()` is also what tests/test_bench_guard.py runs on the small corpus.
"""

from __future__ import annotations

import argparse
import json
from itertools import combinations
from pathlib import Path

import numpy as np
from whoosh import query as wq

from bench.baseline import BaselineSearch
from bench.common import load_mix, to_request
from index_format import facets
from search.models import SearchRequest
from search.service import SearchService

FACET_FIELDS = facets.names()


def check(svc: SearchService, ref: BaselineSearch, req: SearchRequest) -> list[str]:
    """Differences between the service and groupedby for one request (empty: identical)."""
    problems: list[str] = []
    parsed = svc.parse(req.q)
    result = svc.search(req)
    gen = svc._current()
    matched = gen.matcher.match(parsed, req)
    final = matched.final
    ours_ids = {gen.searcher.stored_fields(int(d))["id"] for d in np.flatnonzero(final)}
    q = parsed.query
    if req.match != "all" and parsed.relaxable:  # at least `need` of the required clauses
        n = len(parsed.required)
        need = 1 if req.match == "any" else max(1, n - 1)
        q = wq.Or([wq.And(list(c)) for c in combinations(parsed.required, need)])
        if parsed.excluded is not None:
            q = wq.AndNot(q, parsed.excluded)
    want = ref.counts(q, req, merged=gen.facets.merged, per_doc=gen.facets.per_doc)
    if ours_ids != want["hits"]:
        problems.append(
            f"hits: {len(ours_ids - want['hits'])} extra, {len(want['hits'] - ours_ids)} missing"
        )
    if result.total != len(want["hits"]):
        problems.append(f"total {result.total} != {len(want['hits'])}")
    for fname in FACET_FIELDS:
        ref_counts: dict[str, int] = want[fname]
        listed = result.facets[fname]
        for fv in listed:
            if ref_counts.get(fv.value, 0) != fv.count:
                problems.append(
                    f"{fname}={fv.value!r}: {fv.count} != {ref_counts.get(fv.value, 0)}"
                )
        unselected = [fv.count for fv in listed if not fv.selected or fv.count]
        top = sorted(ref_counts.values(), reverse=True)[: len(unselected)]
        if sorted(unselected, reverse=True)[: len(top)] != top[: len(unselected)]:
            problems.append(f"{fname}: top counts differ")
    # The date histogram: the same arrays and code, bucketed by month like DateRangeFacet;
    # and the buckets the service chose must hold the same documents in all.
    date_mask = matched.counted_under["published"]
    _, by_month = gen.facets.histogram(date_mask, interval="month")
    months = {fv.value: fv.count for fv in by_month}
    if months != want["published"]:
        problems.append(f"published: {months} != {want['published']}")
    shown = sum(fv.count for fv in result.facets["published"])
    if shown != sum(want["published"].values()):
        problems.append(f"published ({result.date_interval}): {shown} dated hits")
    return problems


def compare(index_dir: Path, requests: list[SearchRequest]) -> list[str]:
    svc = SearchService(index_dir)
    ref = BaselineSearch(Path(index_dir) / "current")
    try:
        out = []
        for req in requests:
            for p in check(svc, ref, req):
                out.append(f"{req.q!r} {req.filters} {req.date_from}..{req.date_to}: {p}")
        return out
    finally:
        svc.close()
        ref.close()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("index_dir", type=Path)
    ap.add_argument("out", type=Path)
    args = ap.parse_args()
    reqs = [to_request(item) for item in load_mix()]
    mismatches = compare(args.index_dir, reqs)
    args.out.write_text(json.dumps({"queries": len(reqs), "mismatches": mismatches}, indent=1))


if __name__ == "__main__":
    main()
