"""How long a search worker takes to open an index and answer its first request, and the private
memory (RssAnon) it then holds: this tree's code side by side with another commit's (main by
default), on the same index, each run in a fresh process, alternating; medians reported.

    .venv/bin/python -m bench.open_time --index /tmp/opentime/ours-22k [--runs 7] [--ref main]

The other commit's code is exported with `git archive` into a temporary directory and put first
on the child's PYTHONPATH (the editable install's finder comes after it). Both open the same
index: an older version ignores the files this one maps (index_format.derived). Page cache warm
(a worker starting beside others that already read the index).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
# The first queries of a worker: a word, a name of two words, a misspelled word.
FIRST = ("banjir", "joko widodo", "kerusuhn")


def child(index_dir: Path) -> dict[str, Any]:
    """One worker's start, measured in this (fresh) process."""
    t0 = time.perf_counter()
    import search.service as service
    from search.models import SearchRequest

    t1 = time.perf_counter()
    svc = service.SearchService(index_dir)
    svc.warm()  # as gunicorn.conf.py does in each worker
    t2 = time.perf_counter()
    first = []
    for q in FIRST:
        t = time.perf_counter()
        svc.search(SearchRequest(q=q))
        first.append((time.perf_counter() - t) * 1000)
    rss = 0.0
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("RssAnon:"):
            rss = int(line.split()[1]) / 1024
    # Then the bench's query mix (all facets, 10 snippets): searches must not pay for it.
    from bench.common import load_mix, to_request

    reqs = [to_request(item) for item in load_mix()]
    times: list[list[float]] = [[] for _ in reqs]
    for _ in range(3):
        for i, req in enumerate(reqs):
            t = time.perf_counter()
            svc.search(req)
            times[i].append((time.perf_counter() - t) * 1000)
    per_query = sorted(statistics.median(t) for t in times)
    return {
        "code": str(Path(service.__file__).resolve().parents[1]),
        "import_ms": (t1 - t0) * 1000,
        "open_ms": (t2 - t1) * 1000,
        "first_ms": first[0],
        "first_three_ms": sum(first),
        "rss_anon_mb": rss,
        "mix_p50_ms": statistics.median(per_query),
        "mix_p95_ms": per_query[int(0.95 * (len(per_query) - 1))],
    }


def export(ref: str, dest: Path) -> Path:
    archive = dest / "code.tar"
    with archive.open("wb") as out:
        subprocess.run(["git", "-C", str(REPO), "archive", ref], stdout=out, check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(dest / "code", filter="data")
    return dest / "code"


def run_child(index_dir: Path, code: Path) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(code)}
    out = subprocess.run(
        [sys.executable, __file__, "--child", "--index", str(index_dir)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        cwd=str(code),
    )
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    if Path(result["code"]) != code.resolve():
        raise RuntimeError(f"ran {result['code']}, not {code}")
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--index", type=Path, required=True, help="an index directory (with current)")
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--ref", default="main", help="the commit to compare with")
    ap.add_argument(
        "--ref-index",
        type=Path,
        help="the index the --ref side opens (default: --index): the same archive written by "
        "--ref, when the two write different derived files",
    )
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(args.index)))
        return
    with tempfile.TemporaryDirectory(prefix="open-time-") as tmp:
        codes = {args.ref: export(args.ref, Path(tmp)), "this tree": REPO}
        runs: dict[str, list[dict[str, Any]]] = {name: [] for name in codes}
        indexes = {args.ref: args.ref_index or args.index, "this tree": args.index}
        for name in codes:  # the page cache holds the indexes for every run
            run_child(indexes[name], codes[name])
        for _ in range(args.runs):
            for name, code in codes.items():
                runs[name].append(run_child(indexes[name], code))
    keys = (
        "open_ms",
        "first_ms",
        "first_three_ms",
        "rss_anon_mb",
        "import_ms",
        "mix_p50_ms",
        "mix_p95_ms",
    )
    print(
        f"index {args.index} (--ref: {args.ref_index or args.index}), {args.runs} runs each, medians"
    )
    print(f"| code | {' | '.join(keys)} |")
    print(f"|---|{'---:|' * len(keys)}")
    for name, got in runs.items():
        cells = [f"{statistics.median(r[k] for r in got):.1f}" for k in keys]
        print(f"| {name} | {' | '.join(cells)} |")


if __name__ == "__main__":
    main()
