"""Incremental changes to the index: add or replace articles, delete them.

Each change is written into a *copy* of the current generation and swapped in, exactly like
a rebuild, never into the generation that is serving:

1. take the writer lock of the current generation (a second update waits here, and says so);
2. hard-link its files into ``.building-gen-…`` (cheap: Whoosh never rewrites a file, a
   commit writes new segment files and a new table of contents, then unlinks old ones);
3. open a normal writer there, add / replace / delete, commit, fsync every file;
4. rename to ``gen-…`` and swap ``current`` with ``os.replace``; release the lock.

Killed at any point, the serving generation is untouched (its files are only ever linked,
never written) and the half-built copy is never served; the next run removes it after the
grace period. Workers notice the new generation through the link's realpath on their next
request. Nothing changed (every article already indexed with the same content hash, or no
id found to delete) means no new generation at all.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from whoosh import index

from index_format import derived
from index_format.codec import PackedCodec
from index_format.generations import (
    GRACE_SECONDS,
    LOCK_WAIT_SECONDS,
    lock_current,
    new_generation,
    open_index,
    remove_old_generations,
)
from indexer import journal
from indexer.build import date_report, last_occurrences, superseded
from indexer.date_evidence import ArchiveDates, ArchiveYears, DateSpan
from indexer.document import same_content, to_document
from indexer.models import Article, RawRecord, Skipped
from indexer.pipeline import CHUNK, Workers, worker_count
from indexer.prepare import date_outcome, extract, skipped_for, tag_entities, tagging_batch
from indexer.sources import read_archive
from indexer.syndication import update_stories

UPDATE_REPORT_NAME = "last-update-report.json"


class UpdateError(Exception):
    """The update could not run (no index yet, or writing failed); the index is unchanged."""


@dataclass
class UpdateSummary:
    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    deleted: int = 0
    not_found: list[str] = field(default_factory=list)
    changed_ids: list[str] = field(default_factory=list)  # added, replaced or deleted
    repaired: list[Skipped] = field(default_factory=list)  # as BuildSummary.repaired
    skipped: list[Skipped] = field(default_factory=list)
    dates: Counter[str] = field(default_factory=Counter)  # added and replaced, as BuildSummary's
    seconds: float = 0.0
    index_path: Path | None = None  # the generation serving afterwards

    @property
    def changed(self) -> int:
        return self.added + self.replaced + self.deleted

    def to_dict(self) -> dict[str, Any]:
        return {
            "added": self.added,
            "replaced": self.replaced,
            "unchanged": self.unchanged,
            "deleted": self.deleted,
            "not_found": self.not_found,
            "skipped_count": len(self.skipped),
            "skipped": [asdict(s) for s in self.skipped],
            "repaired_count": len(self.repaired),
            "repaired": [asdict(r) for r in self.repaired],
            "dates": date_report(self.dates),
            "seconds": round(self.seconds, 3),
            "index": str(self.index_path) if self.index_path else None,
        }


def copy_generation(source: Path, target: Path) -> None:
    """Hard-link (or copy, where links are impossible) an index's files; never its locks."""
    for entry in os.scandir(source):
        if not entry.is_file(follow_symlinks=False) or entry.name.endswith("LOCK"):
            continue
        try:
            os.link(entry.path, target / entry.name)
        except OSError:
            shutil.copy2(entry.path, target / entry.name)


@contextmanager
def _meanwhile(fn: Callable[..., None], *args: Any) -> Iterator[None]:
    """Run fn(*args) in a child process while the block runs (the stories and the derived
    files of a generation are independent work: two cores do both in the time of the
    longer); UpdateError when it fails, after the block. When the block fails (Ctrl-C
    included) the child is stopped, not waited for: the generation it writes into is dropped."""
    child = multiprocessing.get_context("fork").Process(target=fn, args=args, daemon=True)
    child.start()
    try:
        yield
    except BaseException:
        child.terminate()
        child.join()
        raise
    child.join()
    if child.exitcode != 0:
        raise UpdateError(f"{fn.__name__} failed in its process (exit status {child.exitcode})")


Change = Callable[[Any, Any], None]  # (writer, searcher of the generation being changed)


def apply_change(
    index_dir: Path,
    change: Change,
    summary: UpdateSummary,
    *,
    command: str,
    lock_wait: float = LOCK_WAIT_SECONDS,
    on_wait: Callable[[], None] | None = None,
    grace_seconds: float = GRACE_SECONDS,
) -> None:
    """Run `change` against a copy of the current generation and swap the copy in if it
    changed anything (`summary.changed`); the ids it changed go to the journal, for a rebuild
    running meanwhile to replay. Raises UpdateError or IndexBusy."""
    index_dir = Path(index_dir)
    with lock_current(index_dir, wait=lock_wait, on_wait=on_wait) as source:
        if source is None or not index.exists_in(source):
            raise UpdateError(f"no index in {index_dir}: run `telusur rebuild-index` first")
        open_index(source).close()  # another format: RebuildNeeded, before any work
        before = summary.changed
        with new_generation(index_dir, locked=source) as gen:
            copy_generation(source, gen.building)
            ix = open_index(gen.building)  # plain reads: a map is copied into private memory
            writer = ix.writer(codec=PackedCodec())  # merged segments come out packed too
            try:
                with ix.searcher() as searcher:
                    change(writer, searcher)
            except BaseException:
                writer.cancel()
                raise
            if summary.changed == before:  # nothing to swap in: keep serving the source
                writer.cancel()
                gen.abandon()
            else:
                writer.commit(merge=False)
            ix.close()
            if not gen.abandoned:  # new copies join their stories; changed ones may leave
                with _meanwhile(update_stories, gen.building, summary.changed_ids):
                    derived.write(gen.building, previous=source)  # on the other core
                gen.derived = True
        summary.index_path = source if gen.abandoned else gen.final
        if summary.changed_ids:
            journal.record(index_dir, command, summary.changed_ids)
    # Also after a no-op run: it clears what a killed run left behind.
    remove_old_generations(index_dir, grace_seconds)


# Reads the records of an update, from the start, each time it is called: an update reads
# them twice (first for their ids and years, then to write them), as a rebuild does.
Records = Callable[[], Iterator[RawRecord | Skipped]]


def update_index(
    paths: Iterable[Path],
    index_dir: Path,
    *,
    follow_links: bool = False,
    base: Path | None = None,
    **options: Any,
) -> UpdateSummary:
    """Add the articles in `paths` that are new, replace those whose content hash changed.

    Symlinks in the archive that lead outside it are read only with `follow_links`; files
    inside `base` get the ids a read of `base` gives them. The other `options` are
    update_records'."""
    paths = [Path(p) for p in paths]

    def read() -> Iterator[RawRecord | Skipped]:
        return read_archive(paths, follow_links=follow_links, base=base)

    return update_records(read, index_dir, **options)


def update_records(
    read: Records,
    index_dir: Path,
    *,
    today: date | None = None,
    progress: Callable[[int], None] | None = None,
    on_total: Callable[[int], None] | None = None,
    lock_wait: float = LOCK_WAIT_SECONDS,
    on_wait: Callable[[], None] | None = None,
    grace_seconds: float = GRACE_SECONDS,
    dates_between: DateSpan | None = None,
    trust_mtime: bool = False,
    command: str = "update-index",
) -> UpdateSummary:
    """Add the records `read()` yields that are new, replace those whose content changed: the
    one upsert path of update-index, follow and watch.

    Within them a later record with the same id wins (the earlier one is reported). Dates
    are inferred as by rebuild_index, from the years the records state.
    """
    started = time.perf_counter()
    summary = UpdateSummary()
    years = ArchiveYears(today)
    total, last = last_occurrences(read(), years)
    dates = years.hint(between=dates_between, trust_mtime=trust_mtime)
    if on_total:
        on_total(total)

    def change(writer: Any, searcher: Any) -> None:
        # An update often brings too few articles to say which years the archive spans: the
        # years of the index's own dates stand in for them.
        archive = dates.or_whole(lambda: index_years(searcher), "the years of the index's dates")

        def judged() -> Iterator[RawRecord | Skipped]:
            for item in read():
                if isinstance(item, Skipped):
                    yield item
                    continue
                if progress:
                    progress(1)
                if reason := superseded(item, last):
                    yield Skipped(item.source, item.line, reason)
                    continue
                summary.repaired += [Skipped(item.source, item.line, r) for r in item.repairs]
                yield item

        _Upserts(writer, searcher, summary, today, archive, total).run(judged())

    apply_change(
        index_dir,
        change,
        summary,
        command=command,
        lock_wait=lock_wait,
        on_wait=on_wait,
        grace_seconds=grace_seconds,
    )
    if summary.added or summary.replaced:  # (imported here: optimize builds on this module)
        from indexer.optimize import optimize_index

        optimize_index(
            index_dir,
            lock_wait=lock_wait,
            on_wait=on_wait,
            grace_seconds=grace_seconds,
            small_only=True,
        )
    summary.seconds = time.perf_counter() - started
    return summary


def index_years(searcher: Any) -> Counter[int]:
    """How many of the index's articles fall in each year (from the published field's terms:
    a few thousand distinct days, not the documents)."""
    field = searcher.schema["published"]
    reader = searcher.reader()
    years: Counter[int] = Counter()
    for term in field.sortable_terms(reader, "published"):
        years[field.from_bytes(term).year] += reader.doc_frequency("published", term)
    return years


# An upsert's outcome for one record: unchanged (None), skipped with its reason, or its
# document with how its date was decided (indexer.prepare.date_outcome).
Outcome = None | Skipped | tuple[dict[str, Any], str]


def _prepared(
    items: list[tuple[RawRecord, dict[str, Any]]],
    today: date | None,
    dates: ArchiveDates | None,
) -> list[Outcome]:
    """Each record's outcome against what the index stores for its id (`stored`, {} when
    new): extracted, compared, and only when it changed tagged (all of a chunk together, as a
    rebuild's chunk: a third cheaper than one at a time) and made a document. An extraction
    or tagging bug costs one article, not the update."""
    out: list[Outcome] = [None] * len(items)
    changed: list[tuple[int, Article]] = []
    with tagging_batch() as failed:
        for i, (record, stored) in enumerate(items):
            try:
                # The comparison needs only the extracted text: tag only what changed.
                article = extract(record, today, dates)
                if same_content(stored, article):
                    continue
                tag_entities(article)  # (when the block ends)
            except Exception as e:
                out[i] = skipped_for(record, e)
                continue
            article.added = stored.get("added")  # a replaced article keeps when it first came in
            changed.append((i, article))
    for i, article in changed:
        if id(article) in failed:
            out[i] = skipped_for(items[i][0], failed[id(article)])
        else:
            out[i] = (to_document(article), date_outcome(article))
    return out


def _tag_work(today: date | None, dates: ArchiveDates | None, jobs: Any, results: Any) -> None:
    """An update's forked worker (indexer.pipeline.Workers): each chunk's outcomes back."""
    while (job := jobs.get()) is not None:
        seq, items = job
        results.put(("chunk", seq, _prepared(items, today, dates)))
    results.put(("done", None))


class _Upserts:
    """The records of an update, judged against the index in chunks of pipeline.CHUNK: on
    forked workers (the build's, indexer.pipeline.Workers) when there are several cores and
    more than a chunk of records, else here. The parent looks up what the index stores and
    adds the documents, in the order of the records (the same documents and numbers as one
    record at a time); the report's skipped records keep the order they were read in."""

    def __init__(
        self,
        writer: Any,
        searcher: Any,
        summary: UpdateSummary,
        today: date | None,
        dates: ArchiveDates | None,
        total: int,
    ) -> None:
        self.writer, self.searcher, self.summary = writer, searcher, summary
        self.today, self.dates = today, dates
        procs = worker_count()
        self.pool = (
            Workers(procs, _tag_work, (today, dates), self._answered)
            if procs > 1 and total > CHUNK
            else None
        )
        # Per chunk sent (by number): its entries in reading order (a record with whether it
        # is in the index, or a skip), and its outcomes once back.
        self.sent: dict[int, list[tuple[RawRecord, bool] | Skipped]] = {}
        self.back: dict[int, list[Outcome]] = {}
        self.entries: list[tuple[RawRecord, bool] | Skipped] = []
        self.items: list[tuple[RawRecord, dict[str, Any]]] = []
        self.next_seq = self.applied = 0

    def run(self, items: Iterable[RawRecord | Skipped]) -> None:
        """Upsert each record of `items`, a skip reported in its place."""
        try:
            for item in items:
                if isinstance(item, Skipped):
                    self.entries.append(item)
                else:
                    self.add(item)
            if self.entries:
                self._send()
            if self.pool is not None:
                self.pool.finish()
            self._apply()
        finally:
            if self.pool is not None:
                self.pool.stop()  # (after a failure: the workers end without their jobs)

    def add(self, record: RawRecord) -> None:
        docnum = self.searcher.document_number(id=record.doc_id)
        stored = self.searcher.stored_fields(docnum) if docnum is not None else {}
        self.entries.append((record, docnum is not None))
        self.items.append((record, stored))
        if len(self.items) >= CHUNK:
            self._send()

    def _send(self) -> None:
        seq, items = self.next_seq, self.items
        self.sent[seq], self.next_seq = self.entries, seq + 1
        self.entries, self.items = [], []
        if self.pool is None or not items:
            self.back[seq] = _prepared(items, self.today, self.dates) if items else []
        else:
            self.pool.put((seq, items))
        self._apply()

    def _answered(self, message: tuple[Any, ...]) -> None:
        _, seq, outcomes = message
        self.back[seq] = outcomes

    def _apply(self) -> None:
        """Add the chunks whose outcomes are back, in order."""
        while self.applied in self.back:
            outcomes = iter(self.back.pop(self.applied))
            for entry in self.sent.pop(self.applied):
                if isinstance(entry, Skipped):
                    self.summary.skipped.append(entry)
                else:
                    self._write(*entry, next(outcomes))
            self.applied += 1

    def _write(self, record: RawRecord, indexed: bool, outcome: Outcome) -> None:
        summary = self.summary
        if outcome is None:
            summary.unchanged += 1
            return
        if isinstance(outcome, Skipped):
            summary.skipped.append(outcome)
            return
        doc, how = outcome
        if "added" not in self.writer.schema:  # an index written before the field: as it was
            del doc["added"]
        self.writer.update_document(**doc)
        summary.dates[how] += 1
        summary.changed_ids.append(record.doc_id)
        if indexed:
            summary.replaced += 1
        else:
            summary.added += 1


def delete_articles(
    ids: Iterable[str],
    index_dir: Path,
    *,
    lock_wait: float = LOCK_WAIT_SECONDS,
    on_wait: Callable[[], None] | None = None,
    grace_seconds: float = GRACE_SECONDS,
) -> UpdateSummary:
    """Delete the articles with these ids; ids not in the index are listed in `not_found`."""
    started = time.perf_counter()
    summary = UpdateSummary()
    wanted = list(dict.fromkeys(ids))

    def change(writer: Any, searcher: Any) -> None:
        for doc_id in wanted:
            if searcher.document_number(id=doc_id) is None:
                summary.not_found.append(doc_id)
                continue
            writer.delete_by_term("id", doc_id)
            summary.deleted += 1
            summary.changed_ids.append(doc_id)

    apply_change(
        index_dir,
        change,
        summary,
        command="delete",
        lock_wait=lock_wait,
        on_wait=on_wait,
        grace_seconds=grace_seconds,
    )
    summary.seconds = time.perf_counter() - started
    return summary
