"""`telusur optimize`: merge an index's segments into one, in a generation of its own.

Why: every update and delete commits a segment (Whoosh's policy folds only the smallest into
others), a search visits every segment, and a replaced or deleted article stays in its segment
(and in the collection statistics BM25 scores with) until that segment is merged. Merging is
the one write that touches every posting, so it runs as an update does (indexer.update): on a
hard-linked copy of the serving generation, under the writer lock, swapped in when done.
Searches go on against the serving generation meanwhile and move to the merged one on their
next request; updates wait for the lock as they wait for each other. Articles keep their ids,
so the stories (stories.npz, by id) and the journal need nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from whoosh import index

from index_format import derived, stories
from index_format.codec.merge import commit_merge
from index_format.generations import (
    GRACE_SECONDS,
    LOCK_WAIT_SECONDS,
    lock_current,
    new_generation,
    open_index,
    remove_old_generations,
)
from indexer.tiers import merge_tiers, tier_merge
from indexer.update import UpdateError, copy_generation


@dataclass
class OptimizeSummary:
    segments_before: int = 0
    deleted_before: int = 0  # documents deleted or replaced, still held in their segments
    segments_after: int = 0
    seconds: float = 0.0
    index_path: Path | None = None  # the generation serving afterwards
    # Only the derived files were written again: the serving generation's were an older
    # Telusur's (after an upgrade), which every worker would otherwise derive at open.
    rederived: bool = False

    @property
    def changed(self) -> bool:
        return (
            self.segments_after != self.segments_before or self.deleted_before > 0 or self.rederived
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "segments_before": self.segments_before,
            "deleted_before": self.deleted_before,
            "segments_after": self.segments_after,
            "rederived": self.rederived,
            "seconds": round(self.seconds, 3),
            "index": str(self.index_path) if self.index_path else None,
        }


def optimize_index(
    index_dir: Path,
    *,
    lock_wait: float = LOCK_WAIT_SECONDS,
    on_wait: Callable[[], None] | None = None,
    grace_seconds: float = GRACE_SECONDS,
    small_only: bool = False,
    upgrade_only: bool = False,
) -> OptimizeSummary:
    """Merge the serving generation's segments into one and swap it in; nothing to merge (one
    segment without deletions) swaps nothing. `small_only`: merge by tiers only
    (indexer.tiers.tier_merge: small segments once ten of a size gather), as update-index does
    after it published its articles. `upgrade_only`: merge nothing, only write the derived
    files again when an older Telusur wrote them (`make run` does this at every start).
    Raises UpdateError, IndexBusy, RebuildNeeded."""
    started = time.perf_counter()
    summary = OptimizeSummary()
    index_dir = Path(index_dir)
    with lock_current(index_dir, wait=lock_wait, on_wait=on_wait) as source:
        if source is None or not index.exists_in(source):
            raise UpdateError(f"no index in {index_dir}: run `telusur rebuild-index` first")
        ix = open_index(source)  # another format: RebuildNeeded, before any work
        try:
            segments = ix._segments()
            stale = not derived.current(source, ix) or not stories.is_current(source)
        finally:
            ix.close()
        summary.segments_before = len(segments)
        summary.deleted_before = sum(s.deleted_count() for s in segments)
        if upgrade_only:
            needed = False
        elif small_only:
            needed = bool(tier_merge(segments))
        else:
            needed = len(segments) > 1 or summary.deleted_before > 0
        summary.rederived = stale and not needed
        if not needed and not stale:  # decided on the serving generation: nothing to do
            summary.segments_after = len(segments)
            summary.index_path = source
        else:
            with new_generation(index_dir, locked=source) as gen:
                copy_generation(source, gen.building)  # (publishing writes the derived files)
                stories.upgrade(gen.building)
                ix = open_index(gen.building)  # plain reads: a map copies into private memory
                try:
                    if needed and small_only:
                        merge_tiers(ix)
                    elif needed:
                        commit_merge(ix, list)  # every segment
                    summary.segments_after = len(ix._segments())
                finally:
                    ix.close()
            summary.index_path = gen.final
    remove_old_generations(index_dir, grace_seconds)
    summary.seconds = time.perf_counter() - started
    return summary
