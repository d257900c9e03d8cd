"""Side-by-side `update-index`: the working tree against a git revision, each on its own copy
of one index, batch after batch.

    python -m bench.ab_update INDEX_DIR BATCH.jsonl.gz ... [--base main] [--workdir DIR]

The base side runs the code of `git archive REV`. Both copies get the same batches in the
same order, which side first alternating; each update is timed as bench.scale's update part
times it: from the command's start until a SearchService that had the index open finds the
batch's last article, with the command's peak RSS (bench.measure). The first batch primes
both copies (files an index written by older code lacks are written by its first update) and
is reported apart; the medians and the ratio are over the others. Compare the two columns of
one run, not runs: the machine is shared.
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
import statistics
import subprocess
import sys
import tarfile
from io import BytesIO
from pathlib import Path
from typing import Any

from bench.scale import timed_update

REPO = Path(__file__).resolve().parent.parent
CLI = "import sys; sys.path.insert(0, sys.argv.pop(1)); from indexer.cli import main; main()"


def last_id(batch: Path) -> str:
    with gzip.open(batch, "rt", encoding="utf-8") as f:
        *_, last = (line for line in f if line.strip())
    return str(json.loads(last)["id"])


def run_update(src: Path, index: Path, batch: Path, out: Path, svc: Any) -> dict[str, Any]:
    """One update-index with the code in `src`: seconds until `svc` finds the batch's last
    article, the command's seconds, CPU seconds (its children's included) and peak RSS."""
    last = last_id(batch)
    cmd = [sys.executable, "-c", CLI, str(src), "update-index", "--index-dir", str(index)]
    searchable, res = timed_update([*cmd, str(batch)], out, svc, last)
    if searchable is None:
        raise SystemExit(f"update-index failed:\n{res['stdout']}\n{res['stderr']}")
    return {
        "searchable_s": round(searchable, 2),
        "command_s": res["seconds"],
        "cpu_s": res["cpu_seconds"],  # steadier than wall time on a shared machine
        "peak_rss_mb": res["peak_rss_mb"],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("index_dir", type=Path)
    ap.add_argument("batches", type=Path, nargs="+")
    ap.add_argument("--base", default="main")
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/ab-update"))
    args = ap.parse_args()
    from search.service import SearchService

    work = args.workdir
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    base_src = work / "base-src"
    base_src.mkdir()
    tar = subprocess.run(["git", "archive", args.base], cwd=REPO, capture_output=True, check=True)
    with tarfile.open(fileobj=BytesIO(tar.stdout)) as t:
        t.extractall(base_src, filter="data")
    sides = {"base": base_src, "new": REPO}
    services = {}
    for side in sides:
        shutil.copytree(args.index_dir, work / side, symlinks=True)
        services[side] = SearchService(work / side)
        services[side].warm()
    rows: list[dict[str, Any]] = []
    for i, batch in enumerate(args.batches):
        order = list(sides) if i % 2 == 0 else list(sides)[::-1]
        row: dict[str, Any] = {"batch": batch.name}
        for side in order:
            out = work / f"m-{side}-{i}.json"
            row[side] = run_update(sides[side], work / side, batch, out, services[side])
        rows.append(row)
        print(json.dumps(row), flush=True)
    measured = rows[1:] or rows
    for key in ("searchable_s", "command_s", "cpu_s", "peak_rss_mb"):
        med = {side: statistics.median(r[side][key] for r in measured) for side in sides}
        print(
            f"{key}: base {med['base']} new {med['new']} "
            f"(base/new {med['base'] / med['new']:.2f}; {len(measured)} updates after the first)"
        )


if __name__ == "__main__":
    main()
