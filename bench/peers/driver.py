"""One engine's side in a process of its own: build, or open and run the two workloads.

    python -m bench.peers.driver build ENGINE TOKENS.jsonl WORKDIR OUT.json
    python -m bench.peers.driver search ENGINE QUERIES.json WORKDIR OUT.json [--passes 2] [--cpu]

Standard library only (the Xapian side runs it under the system python). An engine module
(engine_<name>.py) provides `Builder(workdir)` (`add(doc)` for each article's tokens, then
`finish()`) and `open(workdir) -> Engine`, whose
`top(item)` answers workload A as (total, top-10 keys) and `page(item)` workload B as a dict
(total, top, outlets, months, snippets). An item is one query: its text `q` (what Telusur
parses) and `tree` (the parsed tree the peers translate, trees.py).
"""

from __future__ import annotations

import argparse
import importlib
import itertools
import json
import os
import statistics
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

BATCH = 2000  # articles' tokens read at a time


def _status_mb(key: str) -> float:
    """A memory figure of this process from /proc/self/status (Linux), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def peak_rss_mb() -> float:
    """This process's peak RSS: VmHWM, not getrusage, whose peak a child inherits from the
    parent that forked it (the runner, holding the tokens)."""
    return _status_mb("VmHWM")


def rss_mb() -> float:
    return _status_mb("VmRSS")


def dir_mb(path: Path) -> float:
    total = sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    return round(total / 1e6, 1)


def batches(path: Path, size: int = BATCH) -> Iterator[list[dict[str, Any]]]:
    """The tokens file's articles, `size` at a time (a 220k archive's would not fit at once)."""
    with path.open(encoding="utf-8") as f:
        while batch := [json.loads(line) for line in itertools.islice(f, size)]:
            yield batch


def engine_module(name: str) -> Any:
    return importlib.import_module(f"bench.peers.engine_{name}")


def build(name: str, tokens: Path, workdir: Path) -> dict[str, Any]:
    """Build the engine's index from precomputed tokens: only the engine's work is timed (adding
    each batch, then committing), not reading the tokens file."""
    workdir.mkdir(parents=True, exist_ok=True)
    seconds = 0.0
    docs = 0
    started = time.perf_counter()
    builder = engine_module(name).Builder(workdir)
    seconds += time.perf_counter() - started
    for batch in batches(tokens):
        started = time.perf_counter()
        for doc in batch:
            builder.add(doc)
        seconds += time.perf_counter() - started
        docs += len(batch)
    started = time.perf_counter()
    builder.finish()
    seconds += time.perf_counter() - started
    return {
        "docs": docs,
        "build_s": round(seconds, 2),
        "build_docs_per_s": round(docs / seconds, 1),
        "index_mb": dir_mb(workdir),
        "build_peak_rss_mb": peak_rss_mb(),
    }


def timed(
    fn: Callable[[Any], Any],
    items: list[Any],
    passes: int,
    clock: Callable[[], float] = time.perf_counter,
) -> tuple[list[Any], list[list[float]]]:
    """A warm-up pass (whose answers are returned), then `passes` timed passes: ms per query
    (`clock`: wall time, or the process's CPU time on a busy machine)."""
    answers = [fn(item) for item in items]
    times: list[list[float]] = [[] for _ in items]
    for _ in range(passes):
        for i, item in enumerate(items):
            t = clock()
            fn(item)
            times[i].append((clock() - t) * 1000)
    return answers, times


def search(
    name: str, queries: Path, workdir: Path, passes: int, cpu: bool = False
) -> dict[str, Any]:
    """Open the index (timed up to the first answer of workload A), then workloads A and B."""
    items = json.loads(queries.read_text(encoding="utf-8"))
    module = engine_module(name)  # imported before the clock starts: open time is the index's
    started = time.perf_counter()
    engine = module.open(workdir)
    engine.top(items[0])
    open_ms = (time.perf_counter() - started) * 1000
    clock = time.process_time if cpu else time.perf_counter
    a_answers, a_times = timed(engine.top, items, passes, clock)
    version = module.version()
    b_answers, b_times = timed(engine.page, items, passes, clock)
    return {
        "version": version,
        "open_ms": round(open_ms, 2),
        "a_ms": a_times,
        "b_ms": b_times,
        "a": [{"total": total, "top": top} for total, top in a_answers],
        "b": b_answers,
        "search_peak_rss_mb": peak_rss_mb(),
        "pid": os.getpid(),
    }


def median_per_query(runs: list[list[list[float]]]) -> list[float]:
    """Each query's median over every pass of every round."""
    return [statistics.median(t for run in runs for t in run[i]) for i in range(len(runs[0]))]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["build", "search"])
    ap.add_argument("engine")
    ap.add_argument("input", type=Path)
    ap.add_argument("workdir", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--passes", type=int, default=2)
    ap.add_argument("--cpu", action="store_true", help="time by the process's CPU time")
    args = ap.parse_args()
    if args.mode == "build":
        result = build(args.engine, args.input, args.workdir)
    else:
        result = search(args.engine, args.input, args.workdir, args.passes, args.cpu)
    args.out.write_text(json.dumps(result), encoding="utf-8")


if __name__ == "__main__":
    main()
