"""Search latency over the query mix, in a process of its own (its peak RSS is a worker's).

    python -m bench.latency {ours|baseline} INDEX_DIR OUT.json [--passes 3]

`ours` goes through SearchService (all facets, 10 snippets); `baseline` through
bench.baseline.BaselineSearch. One warm-up pass (opening the index, facet arrays, caches), then
`passes` measured passes; each query's time is its median over the passes.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path
from typing import Any

from bench.common import load_mix, peak_rss_mb, percentiles, rss_split_mb, to_request
from search.query import parse_query


def run(kind: str, index_dir: Path, passes: int) -> dict[str, Any]:
    mix = load_mix()
    reqs = [to_request(item) for item in mix]
    t0 = time.perf_counter()
    if kind == "ours":
        from search.service import SearchService

        svc = SearchService(index_dir)
        svc.warm()  # open the generation: facet arrays, field lengths, spelling index

        def one(req: Any) -> int:
            return svc.search(req).total
    else:
        from bench.baseline import BaselineSearch

        base = BaselineSearch(
            index_dir / "current" if (index_dir / "current").exists() else index_dir
        )

        def one(req: Any) -> int:
            return int(base.search(parse_query(req.q), req)["total"])

    open_ms = (time.perf_counter() - t0) * 1000
    times: list[list[float]] = [[] for _ in reqs]
    totals = []
    for p in range(passes + 1):
        for i, req in enumerate(reqs):
            t = time.perf_counter()
            total = one(req)
            ms = (time.perf_counter() - t) * 1000
            if p == 0:
                totals.append(total)
            else:
                times[i].append(ms)
    per_query = [statistics.median(t) for t in times]
    return {
        "kind": kind,
        "open_ms": round(open_ms, 1),
        "passes": passes,
        **percentiles(per_query),
        "per_query_ms": [round(t, 2) for t in per_query],
        "totals": totals,
        "peak_rss_mb": peak_rss_mb(),
        "rss_anon_mb": rss_split_mb().get("RssAnon"),
        "rss_file_mb": rss_split_mb().get("RssFile"),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("kind", choices=["ours", "baseline"])
    ap.add_argument("index_dir", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--passes", type=int, default=3)
    args = ap.parse_args()
    args.out.write_text(json.dumps(run(args.kind, args.index_dir, args.passes)))


if __name__ == "__main__":
    main()
