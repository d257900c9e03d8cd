"""Side-by-side proximity re-rank time: numpy (search.proximity) against Whoosh's Phrase
matchers, on the multi-word queries of bench/queries.json and a few more.

    python -m bench.ab_rerank INDEX_DIR [--passes 21] [--cpu]

For each query, the head the service re-ranks (its numpy top RERANK_DEPTH, by name tier) is
re-ranked both ways in one process, alternating which goes first, after a warm-up; the median
over the passes is printed per query (ms), with the ratio (`--cpu`: by the process's CPU time, steadier on a busy machine). The two rankings are
compared too.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from bench.common import load_mix, to_request
from search.ranking import RERANK_DEPTH, rerank_by_proximity
from search.service import SearchService

EXTRA = ["korupsi kepala daerah", "kabut asap riau pekanbaru", "harga minyak dunia turun"]


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("index_dir", type=Path)
    ap.add_argument(
        "--cpu", action="store_true", help="time by the process's CPU time (a busy machine)"
    )
    ap.add_argument("--passes", type=int, default=21)
    args = ap.parse_args(argv)

    clock = time.process_time if args.cpu else time.perf_counter
    svc = SearchService(args.index_dir)
    gen = svc._current()
    mix = [item["q"] for item in load_mix() if len(item.get("q", "").split()) >= 2]
    differ = []
    print(f"{'query':34} {'whoosh ms':>10} {'numpy ms':>9} {'ratio':>6}")
    for q in dict.fromkeys(mix + EXTRA):
        parsed = svc.parse(q)
        matched = gen.matcher.match(parsed, to_request({"q": q}))
        if matched.scored is None or not parsed.near:
            continue
        tiers = gen.ranking.tiers(parsed)
        top = gen.ranking._top(parsed.query, matched.scored, matched.final, RERANK_DEPTH, tiers)
        sides = {"whoosh": None, "numpy": gen.ranking.topk}
        times: dict[str, list[float]] = {name: [] for name in sides}
        results = {}
        for p in range(args.passes + 1):
            for name in sides if p % 2 else list(sides)[::-1]:
                started = clock()
                results[name] = rerank_by_proximity(gen.searcher, parsed, top, tiers, sides[name])
                if p:
                    times[name].append((clock() - started) * 1000)
        if results["whoosh"] != results["numpy"]:
            differ.append(q)
        old, new = (statistics.median(times[n]) for n in sides)
        print(f"{q:34} {old:10.2f} {new:9.2f} {old / new:5.1f}x  ({len(parsed.near)} pairs)")
    print(f"rankings differing: {len(differ)} {differ}")
    svc.close()
    if differ:
        sys.exit(1)


if __name__ == "__main__":
    main()
