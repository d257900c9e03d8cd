"""Where a rebuild's memory peaks: each process, and each phase of the parent.

    python -m bench.build_peaks ARCHIVE... --index-dir DIR [--json OUT] [--segment-mb MB]
                                [--tracemalloc] [--parent-trace]
    python -m bench.build_peaks --merge GENERATION   (a copy: its segments are merged)
    python -m bench.build_peaks --derived GENERATION [--json OUT]   (a copy: derived/ rewritten)

Runs `rebuild-index` (indexer.build.rebuild_index, as the CLI does) in this process with its
phases wrapped. The parent's peak RSS is measured per phase (Linux: VmHWM, reset between
phases through /proc/self/clear_refs): the first read of the archive, the feed, the commit
(stories), the tier merges, the derived files. Each build worker reports its own peak, the peak
while it was feeding and while it wrote each segment (finalize_segment), with the segment's
size. `--tracemalloc` traces the workers' Python allocations and prints, after each segment,
what grew since the previous one (what a worker keeps across segments). `--segment-mb` makes
segments smaller, so that a small sample shows several a worker. `--parent-trace` traces
the parent's Python allocations and prints, at the end of each phase, what it holds by line
(what the parent keeps per article).

`--derived GENERATION` derives a generation's files as a rebuild's publish does
(index_format.derived.write with no previous generation: every segment's parts read, no
carry), alone, and reports the peak RSS (exact: VmHWM reset at each step's bounds), RssAnon
(sampled) and CPU of each step: reading the parts, combining them, each entity facet's
merges, the short-name joins, the spelling words, and each group of files written.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

_STATUS_KEYS = ("VmHWM", "VmRSS", "RssAnon")


def status_mb(pid: int | str = "self") -> dict[str, float]:
    """VmHWM, VmRSS and RssAnon of a process in MB (0 for a process gone)."""
    out = dict.fromkeys(_STATUS_KEYS, 0.0)
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                key, _, rest = line.partition(":")
                if key in out:
                    out[key] = round(int(rest.split()[0]) / 1024, 1)
    except (FileNotFoundError, ProcessLookupError):
        pass
    return out


def reset_peak() -> None:
    """Start this process's VmHWM again from its current RSS (Linux clear_refs 5)."""
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


class Phases:
    """The parent's phases: RSS and RssAnon at start and end, peak within, CPU seconds; with
    `trace`, the parent's traced Python memory at each phase's end and its largest holders."""

    def __init__(self, trace: bool = False) -> None:
        self.rows: list[dict[str, Any]] = []
        self.trace = trace
        if trace:
            tracemalloc.start(4)

    def wrap(self, name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            before = status_mb()
            reset_peak()
            cpu, wall = _cpu(), time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                after = status_mb()
                self.rows.append(
                    {
                        "phase": name,
                        "rss_start_mb": before["VmRSS"],
                        "rss_end_mb": after["VmRSS"],
                        "anon_end_mb": after["RssAnon"],
                        "peak_mb": after["VmHWM"],
                        "cpu_s": round(_cpu() - cpu, 2),
                        "wall_s": round(time.perf_counter() - wall, 2),
                    }
                )
                if self.trace:
                    self.rows[-1]["traced"] = _traced_holders()
                print(f"[peaks] parent {self.rows[-1]}", file=sys.stderr, flush=True)

        return wrapped


class PeakWhere:
    """A thread that samples this process's RSS every `every` seconds and keeps the main
    thread's stack at the highest RSS seen: where a phase's peak falls, to a few lines."""

    def __init__(self, every: float = 0.05) -> None:
        import threading

        self.every = every
        self.peak_mb = 0.0
        self.stack: list[str] = []
        self._main = threading.main_thread().ident
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        import traceback

        while not self._stop.wait(self.every):
            rss = status_mb()["VmRSS"]
            if rss > self.peak_mb + 1:
                frame = sys._current_frames().get(self._main or 0)
                if frame is not None:
                    self.peak_mb = rss
                    self.stack = [
                        f"{Path(fs.filename).name}:{fs.lineno} {fs.name}"
                        for fs in traceback.extract_stack(frame)[-12:]
                    ]

    def stop(self) -> dict[str, Any]:
        self._stop.set()
        self._thread.join()
        return {"rss_mb": self.peak_mb, "stack": self.stack}


def _instrument_workers(report: Path, trace: bool) -> None:
    """Each worker appends one JSON line to `report`: its peak while feeding, and per
    segment the docs, the pool's estimate, RSS before and the peak while writing it."""
    from indexer import pipeline

    original_work = pipeline._work
    original_finalize = pipeline.finalize_segment
    state: dict[str, Any] = {"segments": [], "feed_peak_mb": 0.0, "snapshot": None}

    def finalize(writer: Any) -> Any:
        before = status_mb()
        state["feed_peak_mb"] = max(state["feed_peak_mb"], before["VmHWM"])
        docs, pool_mb = writer.docnum, round(writer.pool.size / 2**20, 1)
        reset_peak()
        segment = original_finalize(writer)
        after = status_mb()
        state["segments"].append(
            {
                "docs": docs,
                "pool_estimate_mb": pool_mb,
                "rss_before_mb": before["VmRSS"],
                "peak_mb": after["VmHWM"],
                "rss_after_mb": after["VmRSS"],
            }
        )
        reset_peak()
        if trace:
            _print_growth(state)
        return segment

    def work(*args: Any, **kwargs: Any) -> None:
        tracemalloc.stop()  # a parent's --parent-trace is not the workers' (forked with it)
        if trace:
            tracemalloc.start(8)
        reset_peak()
        try:
            original_work(*args, **kwargs)
        finally:
            end = status_mb()
            state["feed_peak_mb"] = max(state["feed_peak_mb"], end["VmHWM"])
            peak = max([state["feed_peak_mb"], *(s["peak_mb"] for s in state["segments"])])
            line = {
                "pid": os.getpid(),
                "peak_mb": peak,
                **state,
                "snapshot": None,
                "caches": cache_sizes(),
            }
            with open(report, "a") as f:
                f.write(json.dumps(line) + "\n")

    pipeline._work = work
    pipeline.finalize_segment = finalize


def cache_sizes() -> dict[str, float]:
    """What a worker's per-word tables hold at its end: the tagger's scored word types (rows
    and MB of its score table) and the analysis' word tables (entries)."""
    from index_format import analysis
    from indexer.ner.tagger import packaged_tagger

    tagger = packaged_tagger()
    return {
        "tagger_types": tagger._n_types,
        "tagger_table_mb": round(tagger._typemat.nbytes / 2**20, 1),
        "word_infos": len(analysis._word_infos),
        "stems": analysis.stem.cache_info().currsize,
    }


def _print_growth(state: dict[str, Any]) -> None:
    """What this worker's traced memory grew by since its previous segment was written."""
    import gc

    gc.collect()
    snap = tracemalloc.take_snapshot().filter_traces(
        [tracemalloc.Filter(False, tracemalloc.__file__)]
    )
    prev = state["snapshot"]
    state["snapshot"] = snap
    current, _ = tracemalloc.get_traced_memory()
    lines = [f"[peaks] worker {os.getpid()} traced {current / 2**20:.1f} MB after a segment"]
    if prev is not None:
        for stat in snap.compare_to(prev, "traceback")[:8]:
            if stat.size_diff < 256 * 1024:
                break
            where = " <- ".join(f"{Path(fr.filename).name}:{fr.lineno}" for fr in stat.traceback)
            lines.append(f"  +{stat.size_diff / 2**20:.1f} MB ({stat.count_diff:+}) {where}")
    print("\n".join(lines), file=sys.stderr, flush=True)


def _traced_holders(top: int = 10) -> dict[str, Any]:
    """The traced memory now (MB) and its largest holders by line (MB, blocks)."""
    import gc

    gc.collect()
    snap = tracemalloc.take_snapshot().filter_traces(
        [tracemalloc.Filter(False, tracemalloc.__file__)]
    )
    current, _ = tracemalloc.get_traced_memory()
    holders = [
        {
            "mb": round(stat.size / 2**20, 1),
            "blocks": stat.count,
            "where": " <- ".join(
                f"{Path(fr.filename).name}:{fr.lineno}" for fr in stat.traceback[:3]
            ),
        }
        for stat in snap.statistics("traceback")[:top]
    ]
    return {"mb": round(current / 2**20, 1), "holders": holders}


def merge_peak(generation: Path) -> dict[str, Any]:
    """Merge every segment of `generation` in one commit_merge (as a build's last tier merge
    does, in an index opened with maps): the merge's peak RSS and RssAnon, sampled."""
    import threading

    from whoosh.filedb.filestore import FileStorage

    from index_format.codec.merge import commit_merge

    ix = FileStorage(str(generation)).open_index()
    segments = ix._segments()
    before = status_mb()
    reset_peak()
    peak_anon = [before["RssAnon"]]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.1):
            peak_anon[0] = max(peak_anon[0], status_mb()["RssAnon"])

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    cpu = _cpu()
    try:
        commit_merge(ix, list)
    finally:
        done.set()
        sampler.join()
        ix.close()
    after = status_mb()
    return {
        "segments": len(segments),
        "documents": sum(s.doc_count_all() for s in segments),
        "cpu_s": round(_cpu() - cpu, 1),
        "rss_before_mb": before["VmRSS"],
        "peak_mb": after["VmHWM"],
        "rss_anon_before_mb": before["RssAnon"],
        "peak_rss_anon_mb": max(peak_anon[0], after["RssAnon"]),
    }


class Steps:
    """Nested steps of one process: each step's peak RSS exactly (VmHWM read and reset at
    every step's start and end, the peak of the time between given to every step open then),
    its peak RssAnon (sampled every `every` s, there is no high-water mark for it) and its
    CPU seconds (inclusive of the steps within). Rows in order of each step's start."""

    def __init__(self, every: float = 0.02) -> None:
        import threading

        self.rows: list[dict[str, Any]] = []
        self._open: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._pid = os.getpid()  # (a forked writer's calls are not this process's steps)
        reset_peak()
        self._thread = threading.Thread(target=self._sample, args=(every,), daemon=True)
        self._thread.start()

    def _sample(self, every: float) -> None:
        while not self._stop.wait(every):
            anon = status_mb()["RssAnon"]
            with self._lock:
                for row in self._open:
                    row["peak_anon_mb"] = max(row["peak_anon_mb"], anon)

    def _account(self) -> dict[str, float]:
        now = status_mb()
        with self._lock:
            for row in self._open:
                row["peak_mb"] = max(row["peak_mb"], now["VmHWM"])
                row["peak_anon_mb"] = max(row["peak_anon_mb"], now["RssAnon"])
        reset_peak()
        return now

    def wrap(self, name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if os.getpid() != self._pid:  # (in a child index_format.side_work forked)
                return fn(*args, **kwargs)
            now = self._account()
            row = {
                "step": "  " * len(self._open) + name,
                "rss_start_mb": now["VmRSS"],
                "anon_start_mb": now["RssAnon"],
                "peak_mb": now["VmRSS"],
                "peak_anon_mb": now["RssAnon"],
            }
            with self._lock:
                self.rows.append(row)
                self._open.append(row)
            cpu = _cpu()
            try:
                return fn(*args, **kwargs)
            finally:
                end = self._account()
                with self._lock:
                    self._open.remove(row)
                row["anon_end_mb"] = end["RssAnon"]
                row["cpu_s"] = round(_cpu() - cpu, 2)

        return wrapped

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def derived_peak(generation: Path) -> dict[str, Any]:
    """Write `generation`'s derived files as a rebuild's publish does (no previous generation:
    every segment's parts), with each step measured (Steps)."""
    import gc

    from index_format import (
        carry,
        derived,
        facet_arrays,
        name_table,
        segment_parts,
        side_work,
        spelling_arrays,
        value_major,
        worker_maps,
    )

    steps = Steps()
    wrapped = [
        (derived, "from_segments", "compute"),
        (segment_parts, "collect", "read the segments' parts"),
        (segment_parts, "lengths", "lengths"),
        (segment_parts, "runs", "name runs"),
        (facet_arrays, "combine", "combine"),
        (facet_arrays, "from_combined", "merges and joins"),
        (facet_arrays._Merger, "_merge", "entity merges"),
        # (the person's decisions: the other facets' are made by forked children meanwhile)
        (facet_arrays._Merger, "_decide", "entity merge decisions"),
        (facet_arrays._Merger, "_join_short_names", "short-name joins"),
        (spelling_arrays, "merge", "spelling words"),
        (derived, "_write_facets", "write facets"),
        (name_table, "write", "name table"),
        (derived, "dump_json", "JSON"),
        (value_major, "write", "write rows by value"),
        (worker_maps, "write", "write worker maps"),
        (carry, "write", "write carry"),
        (spelling_arrays, "flatten", "write spelling, names, lengths"),
        # (the carry and the rows by value are written in forked children: their peak and
        # CPU are the side_* figures, what the parent waits for them this step)
        (side_work.Side, "wait", "wait for the side writes"),
    ]
    saved = [(owner, attr, getattr(owner, attr)) for owner, attr, _ in wrapped]
    for owner, attr, label in wrapped:
        setattr(owner, attr, steps.wrap(label, getattr(owner, attr)))
    gc.collect()
    start = status_mb()
    cpu, wall = _cpu(), time.perf_counter()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    side_before = before.ru_utime + before.ru_stime
    try:
        steps.wrap("derived.write", derived.write)(generation)
    finally:
        steps.stop()
        for owner, attr, fn in saved:
            setattr(owner, attr, fn)
    end = resource.getrusage(resource.RUSAGE_SELF)
    side = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "generation": str(generation),
        "cpu_s": round(_cpu() - cpu, 1),
        # The forked writers (index_format.side_work): their CPU, the largest one's peak RSS.
        "side_cpu_s": round(side.ru_utime + side.ru_stime - side_before, 1),
        "side_peak_mb": round(side.ru_maxrss / 1024, 1),
        "user_s": round(end.ru_utime - usage.ru_utime, 1),
        "sys_s": round(end.ru_stime - usage.ru_stime, 1),
        "minor_faults": end.ru_minflt - usage.ru_minflt,
        "wall_s": round(time.perf_counter() - wall, 1),
        "rss_before_mb": start["VmRSS"],
        "anon_before_mb": start["RssAnon"],
        "peak_mb": max(row["peak_mb"] for row in steps.rows),
        "peak_anon_mb": max(row["peak_anon_mb"] for row in steps.rows),
        "steps": _folded(steps.rows),
    }


def _folded(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Steps called many times in a row under one parent (a name table per facet, a JSON per
    file) as one row: the highest peaks, the CPU summed, a count."""
    out: list[dict[str, Any]] = []
    for row in rows:
        last = out[-1] if out else None
        if last is not None and last["step"] == row["step"]:
            last["calls"] = last.get("calls", 1) + 1
            last["peak_mb"] = max(last["peak_mb"], row["peak_mb"])
            last["peak_anon_mb"] = max(last["peak_anon_mb"], row["peak_anon_mb"])
            last["anon_end_mb"] = row["anon_end_mb"]
            last["cpu_s"] = round(last["cpu_s"] + row["cpu_s"], 2)
        else:
            out.append(dict(row))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("archive", type=Path, nargs="*")
    ap.add_argument("--index-dir", type=Path)
    ap.add_argument(
        "--merge",
        type=Path,
        metavar="GENERATION",
        help="only merge every segment of this index generation (a copy: it is rewritten), "
        "opened with maps as a build's is: the merge's peak, RssAnon and CPU",
    )
    ap.add_argument(
        "--derived",
        type=Path,
        metavar="GENERATION",
        help="only write this index generation's derived files (a copy: derived/ is "
        "rewritten) as a rebuild's publish does: each step's peak, RssAnon and CPU",
    )
    ap.add_argument("--json", type=Path)
    ap.add_argument("--segment-mb", type=int)
    ap.add_argument("--tracemalloc", action="store_true")
    ap.add_argument(
        "--parent-trace",
        action="store_true",
        help="trace the parent's Python allocations: its largest holders after each phase",
    )
    ap.add_argument(
        "--where", action="store_true", help="the parent's stack at its highest RSS (sampled)"
    )
    args = ap.parse_args()
    if args.merge:
        print(json.dumps(merge_peak(args.merge), indent=1))
        return
    if args.derived:
        text = json.dumps(derived_peak(args.derived), indent=1)
        if args.json:
            args.json.write_text(text)
        print(text)
        return
    if not args.archive or args.index_dir is None:
        ap.error("ARCHIVE and --index-dir are needed (or --merge GENERATION)")

    from index_format import derived
    from index_format.settings import Settings
    from indexer import build
    from indexer.pipeline import PipelineWriter
    from indexer.prepare import configure

    configure(Settings.from_env(index_dir=args.index_dir))
    phases = Phases(trace=args.parent_trace)
    build._last_occurrences = phases.wrap("first read (ids)", build._last_occurrences)
    PipelineWriter.feed = phases.wrap("feed", PipelineWriter.feed)  # type: ignore[method-assign]
    PipelineWriter.commit = phases.wrap("commit (stories)", PipelineWriter.commit)  # type: ignore[method-assign]
    build.merge_tiers = phases.wrap("tier merges", build.merge_tiers)
    if hasattr(build, "release_free_memory"):  # (a tree without it has no such phase)
        build.release_free_memory = phases.wrap("malloc_trim", build.release_free_memory)
    derived.write = phases.wrap("derived files", derived.write)
    if args.segment_mb:
        build.SEGMENT_MB = args.segment_mb
    report = Path(f"/tmp/build-peaks-{os.getpid()}.jsonl")
    report.unlink(missing_ok=True)
    _instrument_workers(report, args.tracemalloc)

    cpu, wall = _cpu(), time.perf_counter()
    where = PeakWhere() if args.where else None
    summary = build.rebuild_index(args.archive, args.index_dir)
    workers = [json.loads(line) for line in report.read_text().splitlines()]
    report.unlink()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = {
        "articles": summary.indexed,
        "wall_s": round(time.perf_counter() - wall, 1),
        "parent_cpu_s": round(_cpu() - cpu, 1),
        "workers_cpu_s": round(children.ru_utime + children.ru_stime, 1),
        "parent_phases": phases.rows,
        "workers": workers,
    }
    if where is not None:
        out["parent_peak_where"] = where.stop()
    text = json.dumps(out, indent=1)
    if args.json:
        args.json.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
