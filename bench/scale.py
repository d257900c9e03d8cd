"""`make bench-scale`: Telusur at 220k and 2.2M articles of the realistic archive
(bench.gen_realistic), with the 10× copy of CLICK-ID (bench.gen_corpus) and CLICK-ID itself
(22k) beside them.

    python -m bench.scale --scale 220k [--part build|search|http|update|all] [--workdir DIR]
    python -m bench.scale --report          # the table of every part measured so far

Each scale lives in WORKDIR/<scale>/ (archive.jsonl.gz, index/, one JSON per part), so a part
can run alone, days apart, on the index an earlier `build` left: a 2.2M build takes hours on
2 cores. Every run merges what it measured into bench/results/<date>-scale.json and rewrites
bench/results/latest-scale.md from all parts found in WORKDIR. Run `update` last: it changes
the index the other parts measure.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from bench import open_time
from bench.common import BENCH
from bench.gen_corpus import replicate
from bench.run import (
    BIN,
    NEWS,
    REPO,
    RESULTS,
    http,
    latency,
    log,
    measured,
    raw_text_bytes,
    rebuild_figures,
)

WORKDIR = Path("/tmp/telusur-scale")
# scale → (articles, how its archive is made)
SCALES: dict[str, tuple[int, str]] = {
    "22k": (21_938, "CLICK-ID"),
    "220k": (220_000, "realistic"),
    "2.2M": (2_200_000, "realistic"),
    "copy-220k": (219_380, "CLICK-ID ×10"),
}
PARTS = ("build", "search", "http", "update")
GEN_SEED = 1
UPDATE_ARTICLES = 1_000


def archive_of(scale: str, work: Path) -> Path:
    """The scale's archive, made if absent (CLICK-ID itself at 22k)."""
    n, kind = SCALES[scale]
    if kind == "CLICK-ID":
        return NEWS
    path = work / "archive.jsonl.gz"
    if path.exists():
        return path
    tmp = path.with_suffix(".tmp")
    if kind == "realistic":
        log(f"{scale}: generating {n:,} realistic articles")
        subprocess.run(
            [sys.executable, "-m", "bench.gen_realistic", str(tmp), "--articles", str(n)]
            + ["--seed", str(GEN_SEED), "--no-measure"],
            check=True,
            cwd=REPO,
        )
    else:
        log(f"{scale}: replicating CLICK-ID 10×")
        replicate(NEWS, tmp, 10)
    os.replace(tmp, path)
    return path


# -- parts --------------------------------------------------------------------------------


def part_build(scale: str, work: Path) -> dict[str, Any]:
    """`telusur rebuild-index` of the archive: rate, CPU, peak RSS, index size ÷ raw text."""
    archive = archive_of(scale, work)
    index = work / "index"
    res = measured(
        [str(BIN / "telusur"), "rebuild-index", "--index-dir", str(index), str(archive)],
        work / "m-build.json",
    )
    out = rebuild_figures(res, index)
    out["raw_text_bytes"] = raw_text_bytes(archive)
    out["index_vs_raw"] = round(out["index_bytes"] / out["raw_text_bytes"], 3)
    out["derived_vs_raw"] = round(out["derived_bytes"] / out["raw_text_bytes"], 3)
    return out


PART_FUNCS: dict[str, Callable[[str, Path, argparse.Namespace], dict[str, Any]]] = {
    "build": lambda scale, work, args: part_build(scale, work),
}


# -- results ------------------------------------------------------------------------------


def collect(root: Path) -> dict[str, dict[str, Any]]:
    """Every part measured so far, per scale."""
    found: dict[str, dict[str, Any]] = {}
    for scale in SCALES:
        for part in PARTS:
            path = root / scale / f"{part}.json"
            if path.exists():
                found.setdefault(scale, {})[part] = json.loads(path.read_text())
    return found


def save(root: Path) -> None:
    results = collect(root)
    RESULTS.mkdir(exist_ok=True)
    stamp = date.today().isoformat()
    (RESULTS / f"{stamp}-scale.json").write_text(
        json.dumps({"workdir": str(root), "scales": results}, indent=1) + "\n"
    )
    table = markdown(results)
    (RESULTS / "latest-scale.md").write_text(table)
    print(table)


def markdown(results: dict[str, dict[str, Any]]) -> str:
    return json.dumps(results, indent=1)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scale", choices=list(SCALES), action="append", default=[])
    ap.add_argument("--part", choices=[*PARTS, "all"], default="all")
    ap.add_argument("--workdir", type=Path, default=WORKDIR)
    ap.add_argument("--report", action="store_true", help="only write the table")
    args = ap.parse_args()
    for scale in args.scale:
        work = args.workdir / scale
        work.mkdir(parents=True, exist_ok=True)
        for part in PARTS if args.part == "all" else (args.part,):
            log(f"{scale}: {part}")
            started = datetime.now()
            res = PART_FUNCS[part](scale, work, args)
            res["started"] = started.isoformat(timespec="seconds")
            res["git"] = subprocess.run(
                ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=REPO
            ).stdout.strip()
            (work / f"{part}.json").write_text(json.dumps(res, indent=1) + "\n")
            log(f"{scale}: {part}: {json.dumps(res)[:400]}")
    save(args.workdir)


if __name__ == "__main__":
    main()
