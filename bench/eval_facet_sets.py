"""Facet precision of every labelled query set on one index, in one pass (issue #20).

    python -m bench.eval_facet_sets --index-dir IDX [--pool fresh,fresh2,...] [--out FILE.json]

Runs bench.eval_facets' scoring (the same labels, the same dup judgement) for the main set
(bench/facet_queries.json), the held-out set and every bench/facet_queries_fresh*.json, each
alone, and the sets named by --pool as one (default fresh..fresh8: the fresh sets older than
fresh9). Prints p@10 / p@30 per facet and set, the wrong kinds in the top 30s, the duplicate
variants in a top 10 and the unlabelled values; writes the whole report as JSON with --out.
The index is read, never built: build it with `python -m bench.eval_facets --index-dir IDX`.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from bench.eval_facets import HERE, LABELS, QUERIES, dup_targets, read_index, read_labels, score

POOL = ("fresh", *(f"fresh{i}" for i in range(2, 9)))


def query_sets() -> dict[str, list[str]]:
    sets = {"main": json.loads(QUERIES.read_text(encoding="utf-8"))}
    for path in sorted(HERE.glob("facet_queries_*.json"), key=lambda p: (len(p.stem), p.stem)):
        sets[path.stem.removeprefix("facet_queries_")] = json.loads(
            path.read_text(encoding="utf-8")
        )
    return sets


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--index-dir", type=Path, required=True)
    ap.add_argument("--pool", default=",".join(POOL))
    ap.add_argument("--labels", type=Path, default=LABELS)
    ap.add_argument("--top", type=int, default=30)
    ap.add_argument("--out", type=Path)
    args = ap.parse_args(argv)
    sets = query_sets()
    labels = read_labels(args.labels)
    every = list(dict.fromkeys(q for qs in sets.values() for q in qs))
    tops, shown = read_index(args.index_dir, every, dup_targets(labels))
    pool = [s for s in args.pool.split(",") if s in sets]
    groups = {
        **{name: qs for name, qs in sets.items()},
        "pooled": [q for s in pool for q in sets[s]],
    }
    report: dict[str, Any] = {"index": str(args.index_dir), "pooled": pool, "sets": {}}
    print(
        f"{'set':<10}"
        + "".join(f"{f:>22}" for f in ("person", "organisation", "place"))
        + "  dups@10"
    )
    for name, qs in groups.items():
        r = score({q: tops[q] for q in qs}, labels, args.top, shown)
        report["sets"][name] = r
        cells = "".join(
            f"{r['facets'][f]['p@10']:>14.3f} /{r['facets'][f][f'p@{args.top}']:.3f}"
            for f in ("person", "organisation", "place")
        )
        print(f"{name:<10}{cells}  {len(r['dups_in_top10']):>7}")
    for name, r in report["sets"].items():
        for f, fr in r["facets"].items():
            print(f"  {name} {f}: {fr[f'kinds@{args.top}']}")
        for q, facet, value in r["unlabelled"]:
            print(f"  unlabelled\t{name}\t{q}\t{facet}\t{value}")
    if args.out:
        args.out.write_text(
            json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
