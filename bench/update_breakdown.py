"""Where the time of one `update-index` goes: runs it in this process on INDEX with the
articles of BATCH and prints each phase's seconds and the peak RSS after it.

    python -m bench.update_breakdown INDEX_DIR BATCH.jsonl.gz

It changes the index (an update is published): run it on a copy. Each phase's CPU seconds
(this process only: the stories' child apart) are steadier than its seconds on a shared
machine. The phases are timed by
wrapping the functions that do them, so they nest (the global merges are part of
the derived files; the merge of small segments after publishing has its own commit and
derived files, counted in both); `bench.scale --part update` measures the command as a user runs it.
"""

from __future__ import annotations

import argparse
import functools
import multiprocessing.process
import resource
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

SECONDS: dict[str, float] = {}
CPU: dict[str, float] = {}  # this process's CPU seconds (steadier on a shared machine)
PEAK_MB: dict[str, float] = {}


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(owner: Any, name: str, label: str) -> None:
    """Add the time of every call of owner.name to SECONDS[label]."""
    fn: Callable[..., Any] = getattr(owner, name)

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started, cpu = time.perf_counter(), time.process_time()
        try:
            return fn(*args, **kwargs)
        finally:
            SECONDS[label] = SECONDS.get(label, 0.0) + time.perf_counter() - started
            CPU[label] = CPU.get(label, 0.0) + time.process_time() - cpu
            PEAK_MB[label] = _peak_mb()

    setattr(owner, name, wrapper)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("index_dir", type=Path)
    parser.add_argument("batch", type=Path)
    args = parser.parse_args()
    timed(indexer.update, "_upsert", "extract, tag and add each article")
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
    timed(index_format.generations, "fsync_tree", "fsync")
    timed(indexer.optimize, "optimize_index", "merge of small segments, after publishing")
    started, cpu = time.perf_counter(), time.process_time()
    summary = indexer.update.update_index([args.batch], args.index_dir, grace_seconds=10**6)
    total, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(f"added {summary.added}, replaced {summary.replaced}: {total:.2f} s, CPU {cpu:.2f} s")
    for label, seconds in SECONDS.items():
        print(
            f"  {label}: {seconds:.2f} s, CPU {CPU[label]:.2f} s "
            f"(peak RSS so far {PEAK_MB[label]:.0f} MB)"
        )
    print(f"peak RSS {_peak_mb():.0f} MB")


if __name__ == "__main__":
    main()
