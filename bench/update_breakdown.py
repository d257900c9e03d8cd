"""Where the time of one `update-index` goes: runs it in this process on INDEX with the
articles of BATCH and prints each phase's seconds and the peak RSS after it.

    python -m bench.update_breakdown INDEX_DIR BATCH.jsonl.gz

It changes the index (an update is published): run it on a copy. Each phase's CPU seconds
(this process only: the stories' child apart) are steadier than its seconds on a shared
machine. The phases are timed by
wrapping the functions that do them, so they nest (the global merges are part of
the derived files; the merge of small segments after publishing has its own commit and
derived files, counted in both); `bench.scale --part update` measures the command as a user runs it.

With `--timeline SECONDS` it also samples, every SECONDS, the CPU of this process and of its
children (the stories' process, a writer the derived files fork) from /proc and prints, per
interval, who worked and in which top-level phase: where the wall goes, and when a core of
the two sat idle (the parallelism column: CPU seconds per wall second, 2.0 is both cores).
"""

from __future__ import annotations

import argparse
import functools
import multiprocessing.process
import os
import resource
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import whoosh.writing

import index_format.carry
import index_format.derived
import index_format.facet_arrays
import index_format.generations
import index_format.initial_changes
import index_format.namesake_changes
import index_format.namesakes
import index_format.segment_parts
import index_format.spelling_arrays
import index_format.value_major
import index_format.worker_maps
import index_format.written_changes
import indexer.optimize
import indexer.update

try:  # (a tree before it, measured side by side with this one, has none)
    from index_format import side_work
except ImportError:  # pragma: no cover
    side_work = None  # type: ignore[assignment]

SECONDS: dict[str, float] = {}
CPU: dict[str, float] = {}  # this process's CPU seconds (steadier on a shared machine)
PEAK_MB: dict[str, float] = {}
# (wall offset, label, "start" | "end") of each timed call: the timeline's phases
EVENTS: list[tuple[float, str, str]] = []
T0 = time.perf_counter()


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(owner: Any, name: str, label: str) -> None:
    """Add the time of every call of owner.name to SECONDS[label]."""
    fn: Callable[..., Any] = getattr(owner, name)

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started, cpu = time.perf_counter(), time.process_time()
        EVENTS.append((started - T0, label, "start"))
        try:
            return fn(*args, **kwargs)
        finally:
            EVENTS.append((time.perf_counter() - T0, label, "end"))
            SECONDS[label] = SECONDS.get(label, 0.0) + time.perf_counter() - started
            CPU[label] = CPU.get(label, 0.0) + time.process_time() - cpu
            PEAK_MB[label] = _peak_mb()

    setattr(owner, name, wrapper)


_TICK = os.sysconf("SC_CLK_TCK")


def _cpu_of(pid: int) -> float:
    """User + system CPU seconds of process `pid` (its threads included), 0 when gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / _TICK


def _pss_mb(pid: int) -> float:
    """Proportional set size of process `pid` in MB (a page shared by n processes counts
    1/n in each: the sum over processes is the memory they hold; a forked child's RSS counts
    every page it still shares with its parent). 0 when gone."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as f:
                found += [int(c) for c in f.read().split()]
    except OSError:
        pass
    return found


class Sampler(threading.Thread):
    """Every `every` seconds: (wall offset, this process's CPU, each child's CPU by pid)."""

    def __init__(self, every: float) -> None:
        super().__init__(daemon=True)
        self.every = every
        self.samples: list[tuple[float, float, dict[int, float]]] = []
        self.seen: dict[int, float] = {}  # a child's last CPU (it is gone once reaped)
        self.stopped = threading.Event()
        self.pss_mb = 0.0  # the highest sum of this process's and its children's PSS

    def run(self) -> None:
        me = os.getpid()
        while not self.stopped.wait(self.every):
            pss = _pss_mb(me)
            for child in _children(me):
                self.seen[child] = max(self.seen.get(child, 0.0), _cpu_of(child))
                pss += _pss_mb(child)
            self.pss_mb = max(self.pss_mb, pss)
            self.samples.append((time.perf_counter() - T0, _cpu_of(me), dict(self.seen)))


def _phase_at(at: float) -> str:
    """The innermost timed phase running at wall offset `at`."""
    open_: list[str] = []
    for when, label, kind in EVENTS:
        if when > at:
            break
        if kind == "start":
            open_.append(label)
        elif label in open_:
            open_.reverse()
            open_.remove(label)
            open_.reverse()
    return open_[-1].strip() if open_ else "-"


def print_timeline(sampler: Sampler) -> None:
    print("timeline (wall s, CPU s in the interval: this process, its children; phase)")
    last_t, last_me, last_kids = 0.0, 0.0, 0.0
    busy = {"both": 0.0, "one": 0.0}
    for t, me, kids in sampler.samples:
        kid = sum(kids.values())
        wall = t - last_t
        d_me, d_kid = me - last_me, kid - last_kids
        par = (d_me + d_kid) / wall if wall > 0 else 0.0
        busy["both" if par > 1.5 else "one"] += wall
        print(
            f"  {t:7.1f}  me {d_me:5.2f}  children {d_kid:5.2f}  ({par:4.2f} cores)  "
            f"{_phase_at(t - wall / 2)}"
        )
        last_t, last_me, last_kids = t, me, kid
    print(f"  highest PSS of this process and its children together: {sampler.pss_mb:.0f} MB")
    print(
        f"  intervals with both cores at work: {busy['both']:.1f} s; one or none: {busy['one']:.1f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("index_dir", type=Path)
    parser.add_argument("batch", type=Path)
    parser.add_argument("--timeline", type=float, default=0.0, metavar="SECONDS")
    args = parser.parse_args()
    timed(indexer.update._Upserts, "run", "extract, tag and add each article")
    timed(whoosh.writing.SegmentWriter, "commit", "Whoosh commit")
    # The stories are grouped in a child process while the derived files are written.
    timed(multiprocessing.process.BaseProcess, "join", "waiting for the stories process")
    timed(index_format.derived, "write", "derived files")
    timed(index_format.segment_parts, "collect", "  segment parts read (or derived)")
    # What the last generation's files give (read whole: they grow with the archive).
    timed(index_format.derived, "_before", "  last generation's rows, lengths, runs read")
    timed(index_format.derived, "_join_prior", "  last generation's joins state read")
    timed(index_format.facet_arrays, "combine", "  rows combined (value ids joined)")
    timed(index_format.facet_arrays._Merger, "build", "  archive-wide merges and joins")
    timed(index_format.facet_arrays, "_joined_rows", "    value ids joined over segments")
    timed(index_format.facet_arrays, "may_merge", "    may_merge")
    timed(index_format.facet_arrays, "archive_merges", "    archive_merges")
    timed(index_format.facet_arrays, "case_merges", "    case_merges")
    timed(index_format.facet_arrays, "company_merges", "    company_merges")
    timed(index_format.facet_arrays, "organisation_form_merges", "    organisation_form_merges")
    timed(index_format.facet_arrays, "place_kind_merges", "    place_kind_merges")
    # initial_merges is its initials' fits (index_format.initial_changes), then its
    # written-out merges (index_format.written_changes), each from the last generation's state.
    timed(index_format.facet_arrays._Merger, "_written_out_merges", "    initial_merges")
    timed(index_format.initial_changes, "_visit", "      of which names with initials visited")
    timed(index_format.written_changes, "_visit", "      of which written-out names visited")
    timed(index_format.facet_arrays._Merger, "_spelling_merges", "    spelling_merges")
    timed(index_format.facet_arrays._Merger, "_join_short_names", "    short names joined")
    timed(index_format.namesakes, "find", "      of which namesakes.find (joins decided)")
    timed(
        index_format.namesake_changes, "_incremental", "      of which the update's changes found"
    )
    timed(index_format.namesakes, "candidates", "        of which candidates (every name)")
    timed(index_format.namesakes, "pair_stats", "        of which companies counted again")
    # (Since upd10: the not-clean candidates' pairs from the last generation's counts, the
    # full names whose old articles changed read again, `pair_counts`.)
    timed(index_format.namesake_changes, "_dirty_pairs", "        of which companies' pairs")
    timed(index_format.namesakes, "pair_counts", "          of which articles read again")
    timed(index_format.namesake_changes, "_reached", "        of which rows a company reaches")
    timed(index_format.namesake_changes, "_crossed", "        of which values past a threshold")
    timed(index_format.spelling_arrays, "merge", "  spelling words merged")
    timed(index_format.segment_parts, "runs", "  name runs")
    timed(index_format.derived, "_write_facets", "  facet files written")
    timed(index_format.value_major, "write", "  rows by value written")
    timed(index_format.worker_maps, "write", "  worker maps written")
    timed(index_format.carry, "write", "  carried rows written")
    # (work in a forked child, index_format.side_work, is not timed above: the waits are;
    # the merges' rows above are the person facet's and what the children did not take)
    if side_work is not None:
        timed(side_work.Side, "wait", "  waiting for the side writes")
        timed(side_work.Pending, "result", "    waiting for a facet decided beside")
    timed(index_format.generations, "fsync_tree", "fsync")
    timed(indexer.optimize, "optimize_index", "merge of small segments, after publishing")
    sampler = Sampler(args.timeline) if args.timeline > 0 else None
    if sampler is not None:
        sampler.start()
    started, cpu = time.perf_counter(), time.process_time()
    summary = indexer.update.update_index([args.batch], args.index_dir, grace_seconds=10**6)
    total, cpu = time.perf_counter() - started, time.process_time() - cpu
    if sampler is not None:
        sampler.stopped.set()
        sampler.join()
    print(f"added {summary.added}, replaced {summary.replaced}: {total:.2f} s, CPU {cpu:.2f} s")
    for label, seconds in SECONDS.items():
        print(
            f"  {label}: {seconds:.2f} s, CPU {CPU[label]:.2f} s "
            f"(peak RSS so far {PEAK_MB[label]:.0f} MB)"
        )
    print(f"peak RSS {_peak_mb():.0f} MB")
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(
        f"children: CPU {children.ru_utime + children.ru_stime:.2f} s, "
        f"largest peak RSS {children.ru_maxrss / 1024:.0f} MB"
    )
    if sampler is not None:
        print_timeline(sampler)


if __name__ == "__main__":
    main()
