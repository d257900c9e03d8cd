"""Where the query mix's time and memory go, by stage, in one SearchService process.

    python -m bench.profile_stages INDEX_DIR [--passes 1] [--top 40] [--out prof.pstats] [--cold]

One warm-up pass (opening the generation, first reads), then `--passes` passes under cProfile:
the stages' cumulative CPU (match: the query's postings and mask; facets: each list's counts;
ranking: top-k, name tiers, proximity; hits: stored fields and snippets), the slowest queries,
and the process's private memory (RssAnon) after the warm-up and after the passes, with what
glibc's malloc_trim(0) gives back after a full collection (memory freed but kept by malloc).
Profiling slows pure-Python code more than numpy: read the shares, not the milliseconds.
`--cold`: every per-generation memo off (search/memo.py), each query as if new to the worker,
as bench.ab_search --cold.
"""

from __future__ import annotations

import argparse
import cProfile
import ctypes
import gc
import pstats
import time
from pathlib import Path
from typing import Any

from bench.common import load_mix, rss_split_mb, to_request

# The stages, as the functions whose cumulative time is theirs (qualified by file and name).
STAGES = {
    "search (all)": ("search/service.py", "search"),
    "match: query mask and scores": ("search/matching.py", "match"),
    "  terms' postings": ("search/topk.py", "_term_postings"),
    "  phrases": ("search/topk.py", "_phrase_hits"),
    "  filters": ("search/matching.py", "filters"),
    "facets: entity/outlet lists": ("search/facets.py", "count"),
    "  by value, most frequent first": ("search/top_values.py", "top_values"),
    "  the matching documents' rows": ("search/facets.py", "counts"),
    "facets: timeline": ("search/facets.py", "histogram"),
    "ranking: page": ("search/ranking.py", "page"),
    "  top-k": ("search/topk.py", "top"),
    "  name tiers": ("search/ranking.py", "tiers"),
    "  proximity re-rank": ("search/ranking.py", "rerank_by_proximity"),
    "hits: stored fields and snippets": ("search/service.py", "_hits"),
}


def _cumulative(stats: pstats.Stats, where: str, name: str) -> float:
    """The cumulative seconds of the function `name` in a file ending with `where`."""
    table: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    return sum(
        row[3] for (path, _, func), row in table.items() if func == name and path.endswith(where)
    )


def _trimmed_rss() -> float | None:
    """RssAnon after a full collection and malloc_trim(0) (None without glibc)."""
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        return None
    return rss_split_mb().get("RssAnon")


def main() -> None:
    from search.service import SearchService

    ap = argparse.ArgumentParser()
    ap.add_argument("index_dir", type=Path)
    ap.add_argument("--passes", type=int, default=1)
    ap.add_argument("--top", type=int, default=40, help="functions listed by own time")
    ap.add_argument("--out", type=Path, help="also write the profile here (pstats)")
    ap.add_argument("--cold", action="store_true", help="every memo off: each query new")
    args = ap.parse_args()
    if args.cold:
        from search import memo

        memo.Memo.get = lambda self, key: None  # type: ignore[method-assign]
        memo.Memo.__contains__ = lambda self, key: False  # type: ignore[method-assign]
    mix = load_mix()
    reqs = [to_request(item) for item in mix]
    svc = SearchService(args.index_dir)
    svc.warm()
    print("after warm():", rss_split_mb())
    for req in reqs:
        svc.search(req)
    print("after the warm-up pass:", rss_split_mb())
    times = [0.0] * len(reqs)
    prof = cProfile.Profile()
    prof.enable()
    for _ in range(args.passes):
        for i, req in enumerate(reqs):
            t = time.perf_counter()
            svc.search(req)
            times[i] += (time.perf_counter() - t) * 1000 / args.passes
    prof.disable()
    print("after the profiled passes:", rss_split_mb(), "| collected + trimmed:", _trimmed_rss())
    stats = pstats.Stats(prof)
    total = _cumulative(stats, *STAGES["search (all)"]) or 1.0
    print(f"\nstages (cumulative s over {args.passes} pass(es) of {len(reqs)} queries):")
    for label, (where, name) in STAGES.items():
        secs = _cumulative(stats, where, name)
        print(f"  {label:<36} {secs:8.3f} s  {100 * secs / total:5.1f}%")
    print("\nslowest queries (ms, profiled):")
    for ms, item in sorted(zip(times, mix, strict=True), key=lambda p: -p[0])[:10]:
        print(f"  {ms:8.1f}  {item}")
    print()
    stats.sort_stats("tottime").print_stats(args.top)
    if args.out:
        stats.dump_stats(str(args.out))


if __name__ == "__main__":
    main()
