"""Rebuild ours and the baseline alternately on the same sample: A/B/A/B on a shared machine.

    python -m bench.ab_rebuild [--sample 2000] [--rounds 2] [--workdir /tmp/telusur-ab]

Prints the medians of wall-clock articles/s and CPU ms per article of each side, and writes
them to bench/results/<date>-ab-rebuild.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
from datetime import datetime
from pathlib import Path
from typing import Any

from bench.run import NEWS, RESULTS, _head, log, rebuild_baseline, rebuild_ours


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sample", type=int, default=2000)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/telusur-ab"))
    args = ap.parse_args()
    work = args.workdir
    work.mkdir(parents=True, exist_ok=True)
    sample = work / "sample.jsonl.gz"
    _head(NEWS, sample, args.sample)
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
