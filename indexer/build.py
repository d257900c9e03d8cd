"""`telusur rebuild-index`: index an archive into a new generation, then swap it in
atomically (index_format.generations), through the write pipeline (indexer.pipeline)."""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import secrets
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from whoosh import index

from index_format.generations import (
    GRACE_SECONDS,
    LOCK_WAIT_SECONDS,
    new_generation,
    remove_old_generations,
)
from index_format.schema import build_schema
from indexer.added import previous_added, with_added
from indexer.date_evidence import ArchiveDates, ArchiveYears, DateSpan
from indexer.id_notes import IdNotes
from indexer.journal import changed_since, replay
from indexer.models import RawRecord, Skipped
from indexer.pipeline import PipelineWriter, WriteFailed, failure_reason, open_writer
from indexer.sources import read_archive
from indexer.syndication import update_stories
from indexer.tiers import merge_tiers

REPORT_NAME = "last-build-report.json"
# Each build worker holds up to this many MB of postings before starting a new segment
# (~11,000 articles of CLICK-ID take ~270 MB: 22k articles stay two segments).
SEGMENT_MB = 384


class BuildError(Exception):
    """The build failed; the index that was serving still serves."""


@dataclass
class BuildSummary:
    indexed: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    seconds: float = 0.0
    index_path: Path | None = None
    # Articles changed by updates and deletes while the rebuild ran: (copied, removed).
    replayed: tuple[int, int] = (0, 0)
    # What the reader changed so a record could be indexed (RawRecord.repairs), one each.
    repaired: list[Skipped] = field(default_factory=list)
    # How the indexed articles got their dates: date_source, or "none:<why>" (date_report).
    dates: Counter[str] = field(default_factory=Counter)

    def skipped_by_reason(self) -> Counter[str]:
        # Group "invalid JSON: Expecting value: line 1 column 2" under "invalid JSON".
        return Counter(s.reason.split(":")[0] for s in self.skipped)

    def to_dict(self) -> dict[str, Any]:
        return {
            "indexed": self.indexed,
            "skipped_count": len(self.skipped),
            "skipped_by_reason": dict(self.skipped_by_reason().most_common()),
            "skipped": [asdict(s) for s in self.skipped],
            "repaired_count": len(self.repaired),
            "repaired": [asdict(r) for r in self.repaired],
            "replayed": {"updated": self.replayed[0], "deleted": self.replayed[1]},
            "dates": date_report(self.dates),
            "seconds": round(self.seconds, 3),
            "index": str(self.index_path) if self.index_path else None,
        }


def write_report(path: Path, report: dict[str, Any]) -> None:
    """Write a JSON report atomically (a reader sees the old report or the new one)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    tmp.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, path)


def date_report(outcomes: Counter[str]) -> dict[str, dict[str, int]]:
    """The report's "dates": articles by date_source, and those without a date by why."""
    by_source: Counter[str] = Counter()
    why: Counter[str] = Counter()
    for outcome, n in outcomes.items():
        source, _, reason = outcome.partition(":")
        by_source[source] += n
        if reason:
            why[reason] += n
    return {"by_source": dict(by_source.most_common()), "no_date_because": dict(why.most_common())}


class LastOccurrences:
    """Where each id last occurs: (source, line). A rebuild's parent holds one entry per
    article for its whole feed, so entries are kept in arrays, not a dict of str
    (indexer.id_notes), the place as one int (the source's position in `sources`, the line
    + 1, 0 for none): ~50 bytes an id, where a dict took ~130."""

    _LINES = 1 << 40

    def __init__(self) -> None:
        self.sources: list[str] = []
        self._source_at: dict[str, int] = {}
        self._notes = IdNotes()

    def __len__(self) -> int:
        return len(self._notes)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._notes

    def note(self, doc_id: str, source: str, line: int | None) -> None:
        at = self._source_at.get(source)
        if at is None:
            at = self._source_at[source] = len(self.sources)
            self.sources.append(source)
        self._notes.note(doc_id, at * self._LINES + (0 if line is None else line + 1))

    def get(self, doc_id: str, default: tuple[str, int | None]) -> tuple[str, int | None]:
        where = self._notes.value(doc_id)
        if where is None:
            return default
        at, line = divmod(where, self._LINES)
        return self.sources[at], (None if line == 0 else line - 1)


def release_free_memory() -> None:
    """Give back to the system what glibc's malloc keeps of the memory freed so far
    (malloc_trim): the blocks freed below the heap's top stay the process's otherwise, and the
    next phase's peak would stand on them. Nothing where the C library is not glibc."""
    try:  # (the process's own symbols: find_library would run ldconfig in a subprocess)
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        trim = None
    if trim is not None:
        trim.argtypes = (ctypes.c_size_t,)
        trim(0)


def _last_occurrences(
    paths: list[Path], *, follow_links: bool = False, years: ArchiveYears | None = None
) -> tuple[int, LastOccurrences]:
    """Count the records and find where each id last occurs: a later duplicate wins.

    The same read gathers the years the archive's articles state into `years`."""
    return last_occurrences(read_archive(paths, follow_links=follow_links), years)


def last_occurrences(
    items: Iterable[RawRecord | Skipped], years: ArchiveYears | None = None
) -> tuple[int, LastOccurrences]:
    """_last_occurrences of records read by any reader (a feed's entries)."""
    last = LastOccurrences()
    count = 0
    for item in items:
        if isinstance(item, RawRecord):
            count += 1
            last.note(item.doc_id, item.source, item.line)
            if years is not None:
                years.observe(item)
    return count, last


def superseded(record: RawRecord, last: LastOccurrences) -> str | None:
    """Why `record` is not indexed when a later record has its id (from _last_occurrences)."""
    # A file that appeared or changed between the two reads: its records count as the last.
    source, line = last.get(record.doc_id, (record.source, record.line))
    if (source, line) == (record.source, record.line):
        return None
    where = f"{source}:{line}" if line else source
    return f"duplicate id {record.doc_id!r}: a later record wins ({where})"


def _feed(
    writer: PipelineWriter,
    paths: list[Path],
    index_dir: Path,
    summary: BuildSummary,
    last: LastOccurrences,
    follow_links: bool,
    today: date | None,
    dates: ArchiveDates | None,
    progress: Callable[[int], None] | None,
) -> None:
    """Feed the archive's records to `writer`, each with its first time in the index it
    replaces (read from that index for the feed only: its lookup holds an entry per article).

    The index is read at the first record, once the feed has forked its workers: a worker's
    RSS counts the parent's pages it inherits, and the workers never look an id up."""
    with contextlib.ExitStack() as stack:
        lookup: Callable[[str], int | None] | None = None

        def first_added(doc_id: str) -> int | None:
            nonlocal lookup
            if lookup is None:
                lookup = stack.enter_context(previous_added(index_dir))
            return lookup(doc_id)

        writer.feed(
            with_added(read_archive(paths, follow_links=follow_links), first_added),
            summary,
            keep=lambda record: superseded(record, last),
            today=today,
            dates=dates,
            progress=progress,
        )


def rebuild_index(
    paths: Iterable[Path],
    index_dir: Path,
    *,
    today: date | None = None,
    on_total: Callable[[int], None] | None = None,
    progress: Callable[[int], None] | None = None,
    grace_seconds: float = GRACE_SECONDS,
    lock_wait: float = LOCK_WAIT_SECONDS,
    on_wait: Callable[[], None] | None = None,
    follow_links: bool = False,
    dates_between: DateSpan | None = None,
    trust_mtime: bool = False,
) -> BuildSummary:
    """Index every article in `paths` into a fresh generation and make it current.

    Updates and deletes acknowledged while it ran are replayed before the swap (see
    indexer.journal), so none of them is undone. Raises BuildError when nothing could be
    indexed or writing failed, and IndexBusy when an update held the writer lock longer than
    `lock_wait`; the previous generation keeps serving in both cases. Symlinks that lead out
    of the archive are read only with `follow_links`. Partial dates take their year from the
    years the archive states, `dates_between` (the user's span) and, with `trust_mtime`, the
    files' modification times (indexer.date_evidence).
    """
    started = time.perf_counter()
    started_ns = time.time_ns()
    paths = [Path(p) for p in paths]
    index_dir = Path(index_dir)
    summary = BuildSummary()
    years = ArchiveYears(today)
    total, last = _last_occurrences(paths, follow_links=follow_links, years=years)
    dates = years.hint(between=dates_between, trust_mtime=trust_mtime)
    if on_total:
        on_total(total)

    def catch_up(building: Path, current: Path | None) -> None:
        ids = changed_since(index_dir, started_ns) if current is not None else []
        if ids:
            assert current is not None
            summary.replayed = replay(building, current, ids)
            update_stories(building, ids)

    try:
        with new_generation(
            index_dir, lock_wait=lock_wait, on_wait=on_wait, before_swap=catch_up
        ) as gen:
            ix = index.create_in(gen.building, build_schema())
            writer = open_writer(ix, limitmb=SEGMENT_MB)
            try:
                _feed(writer, paths, index_dir, summary, last, follow_links, today, dates, progress)
                # What only the feed reads, an entry per article, goes with it: the tier merges
                # and the derived files (publishing) would be computed beside it.
                del last
            except BaseException:
                writer.cancel()
                raise
            if summary.indexed == 0:
                writer.cancel()
                raise BuildError("no article could be indexed")
            writer.commit()
            release_free_memory()  # the feed's tables, before the merges beside them
            merge_tiers(ix)  # a build's many segments end as one (see TIER_WIDTH)
            ix.close()
            release_free_memory()  # the merges', before the derived files (publishing)
    except (WriteFailed, OSError, MemoryError) as e:
        raise BuildError(failure_reason(e)) from e
    remove_old_generations(index_dir, grace_seconds)
    summary.index_path = gen.final
    summary.seconds = time.perf_counter() - started
    return summary
