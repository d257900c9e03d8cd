"""Rebuild in parallel: worker processes extract, tag, stem and write their own segments.

Extraction and entity tagging are pure Python and cost several milliseconds per article, so
one writer process cannot go faster than one core. Here the parent reads the archive (cheap),
drops duplicates and sends chunks of raw records to `procs` forked workers. Each worker runs
`prepare_article` → `to_document` → its own Whoosh `SegmentWriter` (unlocked: the parent holds
the index lock; index_format's packed codec and build writer pool) and hands back each finished
segment: one at the end, and one more each time its postings fill `limitmb` of memory. The
parent commits all the segments at once without merging them, as Whoosh's
`MpWriter(multisegment=True)` does: our measurements found the multisegment commit, not
`procs` alone, to be what doubled throughput.

Only raw records cross the process boundary (small); articles, tokens and postings never do.
Each worker keeps its own stem cache and tagger; both are loaded in the parent before the fork,
so the workers share those pages until they write to them.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import queue
import traceback
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from whoosh.writing import SegmentWriter

from index_format.codec.packed import PackedCodec
from index_format.pool import build_writer
from indexer.models import RawRecord, Skipped

CHUNK = 32  # records per job: big enough to amortise the queue, small enough to balance load
_POLL_SECONDS = 0.5


def worker_count() -> int:
    """One worker per core; on one core the serial writer is faster (no fork, no queue)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def open_writer(ix: Any, *, procs: int | None = None, limitmb: int = 256) -> Any:
    """A writer for a fresh index: the parallel one when there are cores to use."""
    procs = worker_count() if procs is None else procs
    if procs < 2:
        return ix.writer(limitmb=limitmb, codec=PackedCodec())
    return ParallelWriter(ix, procs=procs, limitmb=limitmb)


def write_records(
    writer: Any,
    records: Iterable[RawRecord | Skipped],
    summary: Any,
    *,
    keep: Callable[[RawRecord], str | None] = lambda r: None,
    today: date | None = None,
    progress: Callable[[int], None] | None = None,
) -> None:
    """Index `records` through `writer`; same contract as `indexer.build.write_articles`."""
    if isinstance(writer, ParallelWriter):
        writer.feed(records, summary, keep=keep, today=today, progress=progress)
        return
    from indexer.build import write_articles

    write_articles(writer, records, summary, keep=keep, today=today, progress=progress)


def _warm_up() -> None:
    """Load the tagger, aliases and stemmer once in the parent, before forking."""
    from indexer.build import prepare_article
    from indexer.document import to_document

    probe = RawRecord(
        doc_id="warm-up",
        source="<warm-up>",
        line=None,
        fields={"title": "Presiden Joko Widodo di Jakarta", "body": "Presiden berkunjung."},
    )
    # A broken extractor shows up per article in the workers, with its reason.
    with contextlib.suppress(Exception):
        to_document(prepare_article(probe))


def _work(
    storage: Any,
    indexname: str,
    jobs: Any,
    results: Any,
    limitmb: int,
) -> None:
    """A worker: prepare and write each job's records into a segment, and hand it back when
    its postings pass `limitmb` of memory and at the end."""
    from indexer.build import prepare_documents

    # A worker allocates millions of small objects that live until its segment is written;
    # at the default threshold (700) the cyclic collector keeps re-scanning them (~6% of a
    # worker's CPU, measured on 11,000 articles). What it inherits (models, tables) is frozen:
    # never scanned, so those pages stay shared with the parent.
    gc.freeze()
    gc.set_threshold(50_000, 50, 100)
    try:
        ix = storage.open_index(indexname)
        writer = build_writer(ix, _lk=False)
        while (job := jobs.get()) is not None:
            if writer.pool.size > limitmb * 1024 * 1024:  # postings held in memory: a new segment
                results.put(("segment", writer._finalize_segment()))
                writer = build_writer(ix, _lk=False)
            today, records = job
            docs, skipped = prepare_documents(records, today)
            for doc in docs:
                writer.add_document(**doc)
            results.put(("chunk", len(records), len(docs), skipped))
        if writer.docnum:
            results.put(("done", writer._finalize_segment()))
        else:  # not cancel(): that would delete the temp folder the others still write to
            writer._close_segment()
            results.put(("done", None))
    except BaseException:
        results.put(("error", traceback.format_exc()))


class ParallelWriter(SegmentWriter):
    """The parent's writer: holds the lock, feeds the workers, commits their segments."""

    def __init__(self, ix: Any, *, procs: int, limitmb: int = 256) -> None:
        super().__init__(ix, limitmb=limitmb, codec=PackedCodec())
        self.procs = procs
        self.worker_limitmb = limitmb
        self._ctx = multiprocessing.get_context("fork")  # workers inherit the loaded models
        self._tasks: list[Any] = []
        self._segments: list[Any] = []

    def feed(
        self,
        records: Iterable[RawRecord | Skipped],
        summary: Any,
        *,
        keep: Callable[[RawRecord], str | None],
        today: date | None,
        progress: Callable[[int], None] | None,
    ) -> None:
        """Send every kept record to the workers and wait until all of them are written."""
        _warm_up()
        jobs = self._ctx.Queue(self.procs * 3)
        results = self._ctx.Queue()
        self._tasks = [
            self._ctx.Process(
                target=_work,
                args=(self.storage, self.indexname, jobs, results, self.worker_limitmb),
                daemon=True,
            )
            for _ in range(self.procs)
        ]
        for task in self._tasks:
            task.start()

        def handle(message: tuple[Any, ...]) -> None:
            kind = message[0]
            if kind == "chunk":
                _, done, indexed, skipped = message
                summary.indexed += indexed
                summary.skipped.extend(skipped)
                if progress:
                    progress(done)
            elif kind in ("segment", "done"):  # a worker's full segment, or its last one
                if message[1] is not None:
                    self._segments.append(message[1])
            else:
                raise RuntimeError(f"an indexing worker failed:\n{message[1]}")

        def drain() -> None:
            while True:
                try:
                    handle(results.get_nowait())
                except queue.Empty:
                    return

        def put(job: Any) -> None:
            while True:
                try:
                    jobs.put(job, timeout=_POLL_SECONDS)
                    return
                except queue.Full:
                    drain()
                    self._check_alive()

        chunk: list[RawRecord] = []
        for item in records:
            if isinstance(item, Skipped):
                summary.skipped.append(item)
                continue
            reason = keep(item)
            if reason:
                summary.skipped.append(Skipped(item.source, item.line, reason))
                if progress:
                    progress(1)
                continue
            chunk.append(item)
            if len(chunk) >= CHUNK:
                put((today, chunk))
                chunk = []
                drain()
        if chunk:
            put((today, chunk))
        for _ in self._tasks:
            put(None)
        finished = 0
        while finished < len(self._tasks):
            try:
                message = results.get(timeout=_POLL_SECONDS)
            except queue.Empty:
                self._check_alive()
                continue
            handle(message)
            finished += message[0] == "done"
        for task in self._tasks:
            task.join()

    def _check_alive(self) -> None:
        dead = [t for t in self._tasks if not t.is_alive() and t.exitcode not in (0, None)]
        if dead:
            raise RuntimeError(f"an indexing worker died (exit code {dead[0].exitcode})")

    def cancel(self) -> None:
        try:
            for task in self._tasks:
                if task.is_alive():
                    task.terminate()
                task.join()
        finally:
            super().cancel()

    def commit(self, mergetype: Any = None, optimize: bool = False, merge: bool = True) -> None:
        """Add the workers' segments to the index as they are (no merge), then unlock."""
        finalsegments = self._merge_segments(mergetype, optimize, merge)
        finalsegments += self._segments
        if self._added:
            finalsegments.append(self._finalize_segment())
        else:
            self._close_segment()
        self._commit_toc(finalsegments)
        self._finish()
