"""The write pipeline: records in, segments out, the same way on one core or several.

`open_writer(ix)` returns the writer for a fresh index. Its `feed(records, summary, ...)` judges
each record (skips with a reason, duplicates), groups the kept ones in chunks of CHUNK, and
writes each chunk with `write_chunk`: prepare (extract, tag, to_document) and add. A bad
record costs itself only, as a skip with its reason. Segments are committed at the end as they
are, without merging (as Whoosh's `MpWriter(multisegment=True)`, which measured twice as fast).

With one core the chunks are written in this process. With more, forked workers write them:
extraction and tagging are pure Python and cost milliseconds per article, so one process
cannot use more than one core. Only raw records cross the process boundary (small); articles,
tokens and postings never do. The tagger, aliases and stemmer are loaded before the fork, so
the workers share those pages until they write to them. A worker dies with its parent
(PR_SET_PDEATHSIG): a killed rebuild leaves no orphans. `Workers` is that machinery alone;
update-index (indexer.update) judges and tags its records on it too, adding the documents
itself in their order.
"""

from __future__ import annotations

import ctypes
import errno
import gc
import multiprocessing
import os
import queue
import signal
import traceback
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import Any

from whoosh.reading import SegmentReader
from whoosh.writing import SegmentWriter

from index_format import segment_parts
from index_format.codec import PackedCodec
from index_format.pool import build_writer
from index_format.stories import StoryRows, permutations
from indexer.date_evidence import ArchiveDates
from indexer.models import RawRecord, Skipped
from indexer.prepare import prepare_article, prepare_documents
from indexer.syndication import Signed, add_signed, sign

# Records per chunk: tagged together (a third cheaper than one at a time), and one job for a
# worker (big enough to amortise the queue, small enough to balance the load).
CHUNK = 32
_POLL_SECONDS = 0.5
_PR_SET_PDEATHSIG = 1


class WriteFailed(Exception):
    """Writing stopped for a reason no single record caused (a full disk, a dead worker)."""


def worker_count() -> int:
    """One worker per core; on one core the serial writer is faster (no fork, no queue)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def write_chunk(
    writer: Any,
    records: list[RawRecord],
    today: date | None,
    dates: ArchiveDates | None = None,
    tally: Counter[str] | None = None,
    signed: list[Signed] | None = None,
) -> list[Skipped]:
    """Prepare and add `records`; returns the ones skipped, each with its reason. `tally`
    counts how each added article got its date (indexer.prepare.date_outcome); `signed` gets
    each added article's syndication signature (indexer.syndication)."""
    prepared, skipped = prepare_documents(records, today, dates)
    for record, doc, outcome in prepared:
        try:
            writer.add_document(**doc)
        except Exception as e:  # the writer added nothing of it (index_format.pool)
            skipped.append(Skipped(record.source, record.line, f"cannot be indexed: {e}"))
            continue
        if tally is not None:
            tally[outcome] += 1
        if signed is not None:
            signed.append(sign(doc))
    return skipped


def failure_reason(e: BaseException) -> str:
    """One line for a failure no record caused."""
    if isinstance(e, OSError) and e.errno == errno.ENOSPC:
        return f"disk full ({e.filename or 'writing the index'})"
    if isinstance(e, MemoryError):
        return "out of memory"
    return f"{type(e).__name__}: {e}"


def finalize_segment(writer: Any) -> Any:
    """Finish `writer`'s segment and write its share of the derived files beside it
    (index_format.segment_parts), which publishing the generation would otherwise derive in
    the parent, on one core, once every worker is done; returns the segment."""
    segment = writer._finalize_segment()
    reader = SegmentReader(writer.storage, writer.schema, segment)
    try:
        parts = segment_parts.derive(reader)
    finally:
        reader.close()
    segment_parts.write(segment_parts.path_of(writer.storage.folder, segment.segment_id()), parts)
    return segment


class _Segments:
    """A process's build writer, starting a new segment when its postings in memory pass
    `limitmb`; `finish()` returns the segments written."""

    def __init__(self, ix: Any, limitmb: int) -> None:
        self.ix = ix
        self.limit = limitmb * 1024 * 1024
        self.writer = build_writer(ix, _lk=False)  # the feeding writer holds the lock
        self.done: list[Any] = []

    def write(
        self, records: list[RawRecord], today: date | None, dates: ArchiveDates | None
    ) -> tuple[int, list[Skipped], Counter[str], list[Signed]]:
        if self.writer.docnum and self.writer.pool.size > self.limit:
            self.done.append(finalize_segment(self.writer))
            self.writer = build_writer(self.ix, _lk=False)
        before = self.writer.docnum
        tally: Counter[str] = Counter()
        signed: list[Signed] = []
        skipped = write_chunk(self.writer, records, today, dates, tally, signed)
        return self.writer.docnum - before, skipped, tally, signed

    def finish(self) -> list[Any]:
        if self.writer.docnum:
            self.done.append(finalize_segment(self.writer))
        else:  # not cancel(): that deletes the temporary folder other writers still use
            self.writer._close_segment()
        return self.done

    def close(self) -> None:
        """Close the segment being written, whatever state it is in (after a failure)."""
        try:
            self.writer._close_segment()
        except Exception:  # already closed, or half-written: its directory is removed anyway
            return


class PipelineWriter(SegmentWriter):
    """Holds the index's lock, feeds the chunks to the segment writers (in this process or
    in workers), and commits their segments at once."""

    def __init__(self, ix: Any, *, procs: int, limitmb: int) -> None:
        super().__init__(ix, codec=PackedCodec())
        self.ix = ix
        self.procs = procs
        self.segment_mb = limitmb
        self._segments: list[Any] = []
        self._tasks: list[Any] = []
        self._here: _Segments | None = None  # the in-process writer, when there are no workers
        self.stories = StoryRows()  # every written article's signature, grouped at commit

    def feed(
        self,
        records: Iterable[RawRecord | Skipped],
        summary: Any,
        *,
        keep: Callable[[RawRecord], str | None] = lambda r: None,
        today: date | None = None,
        dates: ArchiveDates | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> None:
        """Write every kept record; skipped ones go to `summary.skipped` with their reason,
        how each article got its date to `summary.dates`, and `progress(n)` counts each
        record once it is judged or written. `dates` travels with each chunk, as `today`."""
        sink = _Workers(self, summary, progress) if self.procs > 1 else None
        here = self._here = _Segments(self.ix, self.segment_mb) if sink is None else None

        def send(chunk: list[RawRecord]) -> None:
            hint = dates.for_records(chunk) if dates is not None else None
            if sink is not None:
                sink.put((today, hint, chunk))
                return
            assert here is not None
            indexed, skipped, tally, signed = here.write(chunk, today, hint)
            add_signed(self.stories, signed)
            summary.indexed += indexed
            summary.skipped.extend(skipped)
            summary.dates.update(tally)
            if progress:
                progress(len(chunk))

        chunk: list[RawRecord] = []
        for item in records:
            if isinstance(item, Skipped):
                summary.skipped.append(item)
                continue
            if reason := keep(item):
                summary.skipped.append(Skipped(item.source, item.line, reason))
                if progress:
                    progress(1)
                continue
            summary.repaired += [Skipped(item.source, item.line, r) for r in item.repairs]
            chunk.append(item)
            if len(chunk) >= CHUNK:
                send(chunk)
                chunk = []
        if chunk:
            send(chunk)
        self._segments += here.finish() if here is not None else sink.finish()  # type: ignore[union-attr]

    def cancel(self) -> None:
        try:
            if self._here is not None:
                self._here.close()
            for task in self._tasks:
                if task.is_alive():
                    task.terminate()
                task.join()
        finally:
            super().cancel()

    def commit(self, mergetype: Any = None, optimize: bool = False, merge: bool = True) -> None:
        """Add the written segments to the index as they are (no merge), with their stories
        (index_format.stories), then unlock."""
        self.stories.save(Path(self.storage.folder))  # grouped, written and released
        finalsegments = self._merge_segments(mergetype, optimize, merge)
        finalsegments += self._segments
        if self._added:
            finalsegments.append(self._finalize_segment())
        else:
            self._close_segment()
        self._commit_toc(finalsegments)
        self._finish()


def open_writer(ix: Any, *, procs: int | None = None, limitmb: int = 256) -> PipelineWriter:
    """The writer for a fresh index `ix`; each process starts a new segment past `limitmb`
    of postings in memory. `procs` defaults to one per core."""
    return PipelineWriter(ix, procs=worker_count() if procs is None else procs, limitmb=limitmb)


# -- workers ---------------------------------------------------------------------------------


def _die_with_parent(parent: int) -> None:
    """Be killed when the parent dies (Linux), so a killed rebuild leaves no workers behind."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the parent's queue going away ends us
        return
    if os.getppid() != parent:  # it died before prctl took effect
        os._exit(1)


def _warm_up() -> None:
    """Load the tagger, aliases, stemmer and MinHash once in the parent, before forking."""
    permutations()
    probe = RawRecord(
        doc_id="warm-up",
        source="<warm-up>",
        line=None,
        fields={"title": "Presiden Joko Widodo di Jakarta", "body": "Presiden berkunjung."},
    )
    try:
        prepare_article(probe)
    except Exception:  # a broken extractor shows up per article in the workers, with its reason
        return


def _work(storage: Any, indexname: str, mb: int, jobs: Any, results: Any) -> None:
    """A build worker: write each job's records, report each chunk, hand back its segments."""
    segments = _Segments(storage.open_index(indexname), mb)
    while (job := jobs.get()) is not None:
        today, dates, records = job
        indexed, skipped, tally, signed = segments.write(records, today, dates)
        results.put(("chunk", len(records), indexed, skipped, tally, signed))
    results.put(("done", segments.finish()))


def _serve(parent: int, target: Callable[..., None], args: tuple[Any, ...], *queues: Any) -> None:
    """A forked worker's life: die with the parent, then `target(*args, jobs, results)`,
    which answers each job on `results` and ends with ("done", what it hands back); a
    failure is reported as ("error", reason, traceback)."""
    _die_with_parent(parent)
    # A worker allocates millions of small objects that live until its segment is written;
    # at the default threshold (700) the cyclic collector keeps re-scanning them (~6% of a
    # worker's CPU, measured on 11,000 articles). What it inherits (models, tables) is frozen:
    # never scanned, so those pages stay shared with the parent.
    gc.freeze()
    gc.set_threshold(50_000, 50, 100)
    try:
        target(*args, *queues)
    except BaseException as e:
        queues[1].put(("error", failure_reason(e), traceback.format_exc()))


class Workers:
    """`procs` forked workers each running `target(*args, jobs, results)` (after `_warm_up`,
    so they share the loaded models): jobs out with `put`, each answer but ("done", x) and
    ("error", ...) handed to `handle` in this process; `finish()` ends the jobs and returns
    the workers' x, in the order they finished. The build's (`_work`) and the update's
    (indexer.update) workers."""

    def __init__(
        self,
        procs: int,
        target: Callable[..., None],
        args: tuple[Any, ...],
        handle: Callable[[tuple[Any, ...]], None],
    ) -> None:
        _warm_up()
        ctx = multiprocessing.get_context("fork")  # workers inherit the loaded models
        self.jobs = ctx.Queue(procs * 3)
        self.results = ctx.Queue()
        self.handle = handle
        self.done: list[Any] = []
        self.tasks = [
            ctx.Process(
                target=_serve,
                args=(os.getpid(), target, args, self.jobs, self.results),
                daemon=True,
            )
            for _ in range(procs)
        ]
        for task in self.tasks:
            task.start()

    def _handle(self, message: tuple[Any, ...]) -> None:
        kind = message[0]
        if kind == "done":
            self.done.append(message[1])
        elif kind == "error":
            raise WriteFailed(message[1])
        else:
            self.handle(message)

    def _drain(self) -> None:
        while True:
            try:
                self._handle(self.results.get_nowait())
            except queue.Empty:
                return

    def _check_alive(self) -> None:
        dead = [t for t in self.tasks if not t.is_alive() and t.exitcode not in (0, None)]
        if dead:
            self._drain()  # its last word, if it managed one
            raise WriteFailed(f"an indexing worker died (exit code {dead[0].exitcode})")

    def put(self, job: Any) -> None:
        while True:
            try:
                self.jobs.put(job, timeout=_POLL_SECONDS)
                break
            except queue.Full:
                self._drain()
                self._check_alive()
        self._drain()

    def finish(self) -> list[Any]:
        for _ in self.tasks:
            self.put(None)
        while len(self.done) < len(self.tasks):
            try:
                message = self.results.get(timeout=_POLL_SECONDS)
            except queue.Empty:
                self._check_alive()
                continue
            self._handle(message)
        for task in self.tasks:
            task.join()
        return self.done

    def stop(self) -> None:
        """End the workers without waiting for their jobs (after a failure)."""
        for task in self.tasks:
            if task.is_alive():
                task.terminate()
            task.join()


class _Workers:
    """The build's forked workers of one feed: chunks out, chunk reports and segments back."""

    def __init__(self, owner: PipelineWriter, summary: Any, progress: Any) -> None:
        self.summary = summary
        self.stories = owner.stories
        self.progress = progress
        args = (owner.storage, owner.indexname, owner.segment_mb)
        self.pool = Workers(owner.procs, _work, args, self._chunk)
        owner._tasks = self.pool.tasks

    def _chunk(self, message: tuple[Any, ...]) -> None:
        _, done, indexed, skipped, tally, signed = message
        add_signed(self.stories, signed)
        self.summary.indexed += indexed
        self.summary.skipped.extend(skipped)
        self.summary.dates.update(tally)
        if self.progress:
            self.progress(done)

    def put(self, job: Any) -> None:
        self.pool.put(job)

    def finish(self) -> list[Any]:
        return [segment for segments in self.pool.finish() for segment in segments]
