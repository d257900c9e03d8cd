"""Rebuild ours and the baseline alternately on the same sample: A/B/A/B on a shared machine.

    python -m bench.ab_rebuild [--sample 2000] [--rounds 2] [--workdir /tmp/telusur-ab]
    python -m bench.ab_rebuild --trees OLD_TREE NEW_TREE [--sample 3000] [--rounds 3]
        [--archive ARCHIVE]  # another archive than CLICK-ID (e.g. the realistic one)

Prints the medians of wall-clock articles/s and CPU ms per article of each side, and writes
them to bench/results/<date>-ab-rebuild.json. With --trees the sides are two checkouts of
this repository (e.g. `git archive <commit> | tar -x -C OLD_TREE`), each rebuilding with its
own code: an A/B of a change to the indexer, index size included.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from bench.run import (
    NEWS,
    RESULTS,
    _head,
    log,
    raw_text_bytes,
    rebuild_baseline,
    rebuild_figures,
    rebuild_ours,
)


def rebuild_tree(tree: Path, archive: Path, index_dir: Path, work: Path) -> dict[str, Any]:
    """`rebuild-index` with the code of `tree` (run from it, so its packages are imported)."""
    shutil.rmtree(index_dir, ignore_errors=True)
    out = work / "m-tree.json"
    cli = "from indexer.cli import main; main()"
    cmd = [sys.executable, "-c", cli, "rebuild-index", "--index-dir", str(index_dir), str(archive)]
    env = {**os.environ, "PYTHONPATH": str(tree)}
    subprocess.run(
        [sys.executable, "-m", "bench.measure", str(out), "--", *cmd], check=True, cwd=tree, env=env
    )
    res = json.loads(out.read_text())
    if res["rc"] != 0:
        raise SystemExit(f"rebuild failed in {tree}:\n{res['stdout']}\n{res['stderr']}")
    return rebuild_figures(res, index_dir)


def ab_trees(trees: list[Path], sample: Path, work: Path, rounds: int) -> dict[str, Any]:
    raw = raw_text_bytes(sample)
    runs: dict[str, list[dict[str, Any]]] = {str(t): [] for t in trees}
    for r in range(rounds):
        for tree in trees if r % 2 == 0 else trees[::-1]:
            log(f"round {r + 1}: {tree}")
            res = rebuild_tree(tree, sample, work / "ix", work)
            res["index_vs_raw"] = round(res["index_bytes"] / raw, 3)
            log(f"  {res['articles_per_s']}/s, {res['cpu_ms_per_article']} CPU ms/article")
            runs[str(tree)].append(res)
    out: dict[str, Any] = {"raw_text_bytes": raw, "rounds": rounds, "runs": runs}
    for name, rs in runs.items():
        out[name] = {
            k: statistics.median(x[k] for x in rs)
            for k in ("articles_per_s", "cpu_ms_per_article", "peak_rss_mb", "index_vs_raw")
        }
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sample", type=int, default=2000)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/telusur-ab"))
    ap.add_argument("--trees", type=Path, nargs=2, metavar=("OLD", "NEW"))
    ap.add_argument("--archive", type=Path, default=NEWS, help="its first --sample articles")
    args = ap.parse_args()
    work = args.workdir
    work.mkdir(parents=True, exist_ok=True)
    sample = work / "sample.jsonl.gz"
    _head(args.archive, sample, args.sample)
    if args.trees:
        res = ab_trees([t.resolve() for t in args.trees], sample, work, args.rounds)
        res["sample"] = args.sample
        RESULTS.mkdir(exist_ok=True)
        dest = RESULTS / f"{datetime.now():%Y-%m-%d}-ab-trees.json"
        dest.write_text(json.dumps(res, indent=1))
        print(json.dumps({k: v for k, v in res.items() if k != "runs"}, indent=1))
        return
    runs: dict[str, list[dict[str, Any]]] = {"ours": [], "baseline": []}
    for r in range(args.rounds):
        for side in ("ours", "baseline") if r % 2 == 0 else ("baseline", "ours"):
            log(f"round {r + 1}: {side}")
            if side == "ours":
                res = rebuild_ours(sample, work / "ours", work)
            else:
                (work / "tags.pkl").unlink(missing_ok=True)  # tag every article, every time
                res = rebuild_baseline(sample, work / "base", work, work / "tags.pkl")
            log(f"  {res['articles_per_s']} articles/s, {res['cpu_ms_per_article']} CPU ms/article")
            runs[side].append(res)
    out: dict[str, Any] = {"sample": args.sample, "rounds": args.rounds, "runs": runs}
    for side, rs in runs.items():
        out[side] = {
            k: statistics.median(x[k] for x in rs) for k in ("articles_per_s", "cpu_ms_per_article")
        }
    out["speedup_wall"] = round(
        out["ours"]["articles_per_s"] / out["baseline"]["articles_per_s"], 2
    )
    out["cpu_ratio"] = round(
        out["baseline"]["cpu_ms_per_article"] / out["ours"]["cpu_ms_per_article"], 2
    )
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{datetime.now():%Y-%m-%d}-ab-rebuild.json").write_text(json.dumps(out, indent=1))
    print(json.dumps({k: v for k, v in out.items() if k != "runs"}, indent=1))


if __name__ == "__main__":
    main()
