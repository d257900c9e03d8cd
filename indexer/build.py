"""Build the index: rebuild into a new directory, then swap it in atomically.

Layout of an index directory (TELUSUR_INDEX_DIR, default index_data/):
    current -> gen-20261121T101500-1a2b   (symlink the app reads through)
    gen-...                               (complete, fsynced indexes)
    .building-...                         (a build in progress; never served)
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from whoosh import index
from whoosh.filedb.filestore import FileStorage

from indexer.analysis import configure_stem_exceptions
from indexer.entities import (
    AliasTable,
    entity_facets,
    entity_variants,
    extract_entities_many,
    load_aliases,
)
from indexer.extract import extract_article
from indexer.models import Article, RawRecord, Skipped
from indexer.outlets import OutletRegistry, load_registry
from indexer.schema import build_schema, to_document
from indexer.settings import Settings
from indexer.sources import read_archive

CURRENT = "current"
# Old generations stay this long after a swap, so searchers still reading them finish.
GRACE_SECONDS = 600
# How long a rebuild or an update waits for another one to finish before giving up.
LOCK_WAIT_SECONDS = 600.0
REPORT_NAME = "last-build-report.json"
# Each build worker holds up to this many MB of postings before starting a new segment
# (~11,000 articles of CLICK-ID take ~270 MB: 22k articles stay two segments).
SEGMENT_MB = 384
WRITELOCK = "MAIN_WRITELOCK"  # the file Whoosh's ix.lock("WRITELOCK") uses


class IndexBusy(Exception):
    """Another rebuild or update held the writer lock for longer than we could wait."""


class BuildError(Exception):
    """The build failed; the index that was serving still serves."""


@dataclass
class BuildSummary:
    indexed: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    seconds: float = 0.0
    index_path: Path | None = None

    def skipped_by_reason(self) -> Counter[str]:
        # Group "invalid JSON: Expecting value: line 1 column 2" under "invalid JSON".
        return Counter(s.reason.split(":")[0] for s in self.skipped)

    def to_dict(self) -> dict[str, Any]:
        return {
            "indexed": self.indexed,
            "skipped_count": len(self.skipped),
            "skipped_by_reason": dict(self.skipped_by_reason().most_common()),
            "skipped": [asdict(s) for s in self.skipped],
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


def current_path(index_dir: Path) -> Path:
    return Path(index_dir) / CURRENT


@dataclass(frozen=True)
class _Resources:
    """The user's data files the settings name, loaded once per process (before any fork)."""

    registry: OutletRegistry | None = None  # None: the packaged outlet registry
    aliases: AliasTable | None = None  # None: the packaged alias file


_resources = _Resources()


def configure(settings: Settings) -> None:
    """Load the outlet registry, entity aliases and stem exceptions that `settings` name.

    Call once at start-up; forked build workers inherit what is loaded here.
    """
    global _resources
    configure_stem_exceptions(settings.stem_exceptions_file)
    _resources = _Resources(
        registry=load_registry(settings.outlets_file) if settings.outlets_file else None,
        aliases=load_aliases(settings.aliases_file) if settings.aliases_file else None,
    )


def extract(record: RawRecord, today: date | None = None) -> Article:
    """The article of `record`, with the configured outlet registry; entities not yet tagged."""
    return extract_article(record, today=today, registry=_resources.registry)


# Articles whose tagging is put off to the end of a `tagging_batch` block, when one is open.
_queued: list[Article] | None = None


def tag_entities(article: Article) -> Article:
    """Fill the article's person, organisation and place lists (canonical names).

    Inside a `tagging_batch` block the lists are filled when the block ends.
    """
    if _queued is not None:
        _queued.append(article)
        return article
    return tag_entities_many([article])[0]


def tag_entities_many(articles: list[Article]) -> list[Article]:
    """`tag_entities` of each article, all tagged together (cheaper per article)."""
    texts = [f"{a.title}\n\n{a.body}" for a in articles]
    for article, entities in zip(
        articles, extract_entities_many(texts, aliases=_resources.aliases), strict=True
    ):
        facets = entity_facets(entities)
        article.person = facets["person"]
        article.organisation = facets["organisation"]
        article.place = facets["place"]
        article.variants = entity_variants(entities)
    return articles


@contextmanager
def tagging_batch() -> Iterator[dict[int, Exception]]:
    """Tag the articles that `tag_entities` (so `prepare_article`) sees in this block all at
    once when the block ends: the tagger's Viterbi then runs once over the sentences of all
    of them, which for a rebuild worker's chunk of a few dozen costs a third less.

    Until the block ends those articles have empty entity lists. If tagging one of them
    raises, it stays untagged and the yielded dict maps `id(article)` to the exception; the
    others are tagged. Nothing is tagged when the block itself raises.
    """
    global _queued
    outer = _queued
    queued: list[Article] = []
    errors: dict[int, Exception] = {}
    _queued = queued
    try:
        yield errors
    finally:
        _queued = outer
    try:
        tag_entities_many(queued)
    except Exception:  # find the article at fault; tag the others
        for article in queued:
            try:
                tag_entities_many([article])
            except Exception as e:
                errors[id(article)] = e


def prepare_article(record: RawRecord, today: date | None = None) -> Article:
    """Extract the article and tag its entities: everything but writing it."""
    return tag_entities(extract(record, today))


def prepare_documents(
    records: list[RawRecord], today: date | None = None
) -> tuple[list[dict[str, Any]], list[Skipped]]:
    """The index documents of `records`, tagged together (a third cheaper than one at a
    time), and the records skipped with their reason: an extraction or tagging bug costs one
    article, not the build. What rebuild workers and `write_articles` index per chunk."""
    skipped: list[Skipped] = []
    prepared: list[tuple[RawRecord, Article]] = []
    with tagging_batch() as failed:
        for record in records:
            try:
                prepared.append((record, prepare_article(record, today)))
            except Exception as e:
                skipped.append(_failed(record, e))
    docs: list[dict[str, Any]] = []
    for record, article in prepared:
        try:
            if id(article) in failed:
                raise failed[id(article)]
            docs.append(to_document(article))
        except Exception as e:
            skipped.append(_failed(record, e))
    return docs, skipped


def _failed(record: RawRecord, e: Exception) -> Skipped:
    return Skipped(record.source, record.line, f"extraction failed: {e!r}")


def _last_occurrences(
    paths: list[Path], *, follow_links: bool = False
) -> tuple[int, dict[str, tuple[str, int | None]]]:
    """Count the records and find where each id last occurs: a later duplicate wins."""
    last: dict[str, tuple[str, int | None]] = {}
    count = 0
    for item in read_archive(paths, follow_links=follow_links):
        if isinstance(item, RawRecord):
            count += 1
            last[item.doc_id] = (item.source, item.line)
    return count, last


def superseded(record: RawRecord, last: dict[str, tuple[str, int | None]]) -> str | None:
    """Why `record` is not indexed when a later record has its id (from _last_occurrences)."""
    # A file that appeared or changed between the two reads: its records count as the last.
    source, line = last.get(record.doc_id, (record.source, record.line))
    if (source, line) == (record.source, record.line):
        return None
    where = f"{source}:{line}" if line else source
    return f"duplicate id {record.doc_id!r}: a later record wins ({where})"


def _fsync_tree(path: Path) -> None:
    for dirpath, _dirs, files in os.walk(path):
        for name in files:
            fd = os.open(os.path.join(dirpath, name), os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        fd = os.open(dirpath, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def swap_current(index_dir: Path, target: Path) -> None:
    """Point index_dir/current at target atomically (readers see the old or the new, never none).

    The generation it replaces gets its mtime set to now: the grace period counts from the
    moment it stopped being current, not from when it was built.
    """
    index_dir = Path(index_dir)
    link = index_dir / CURRENT
    retired = os.path.realpath(link) if link.is_symlink() else None
    tmp = index_dir / f".current-{secrets.token_hex(4)}"
    os.symlink(target.name, tmp)
    os.replace(tmp, link)
    fd = os.open(index_dir, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    if retired and retired != os.path.realpath(target) and os.path.isdir(retired):
        os.utime(retired)


def _try_lock(path: Path) -> Any | None:
    """Whoosh's writer lock of the index in `path`, acquired without waiting, or None."""
    lock = FileStorage(str(path)).lock(WRITELOCK)
    try:
        return lock if lock.acquire(blocking=False) else None
    except OSError:  # the directory vanished or is read-only
        return None


@contextmanager
def lock_current(
    index_dir: Path,
    *,
    wait: float = LOCK_WAIT_SECONDS,
    on_wait: Callable[[], None] | None = None,
    poll: float = 0.1,
) -> Iterator[Path | None]:
    """Hold the writer lock of the current generation; yields its real path (None: no index).

    Every process that swaps `current` holds this lock, so while it is held `current` does
    not move. `on_wait` is called once when another process holds the lock; IndexBusy is
    raised after `wait` seconds.
    """
    link = current_path(index_dir)
    deadline = time.monotonic() + wait
    waited = False
    while True:
        if not link.is_symlink():
            yield None
            return
        real = Path(os.path.realpath(link))
        lock = _try_lock(real)
        if lock is not None:
            if os.path.realpath(link) == str(real):
                break
            lock.release()  # it was swapped while we locked: lock the new one
            continue
        if not waited and on_wait:
            on_wait()
        waited = True
        if time.monotonic() >= deadline:
            raise IndexBusy(f"another update or rebuild is still running after {wait:g} s")
        time.sleep(poll)
    try:
        yield real
    finally:
        lock.release()


def remove_old_generations(index_dir: Path, grace_seconds: float = GRACE_SECONDS) -> list[Path]:
    """Delete generations and abandoned builds that are not current and older than the grace."""
    link = index_dir / CURRENT
    keep = os.path.realpath(link) if link.exists() else None
    removed = []
    now = time.time()
    for child in index_dir.iterdir():
        if child.name.startswith(".current-") and child.is_symlink():
            # A swap killed between symlink() and replace(); a live swap takes microseconds.
            if now - child.lstat().st_mtime > 60:
                child.unlink(missing_ok=True)
            continue
        if not (child.name.startswith("gen-") or child.name.startswith(".building-")):
            continue
        if os.path.realpath(child) == keep or child.is_symlink():
            continue
        try:
            if now - child.stat().st_mtime < grace_seconds:
                continue
        except FileNotFoundError:
            continue
        lock = _try_lock(child)
        if lock is None:  # a build still writing there (or a reader of an old one)
            continue
        lock.release()
        shutil.rmtree(child, ignore_errors=True)
        removed.append(child)
    return removed


TAG_CHUNK = 32  # articles tagged together by write_articles (as a build worker's chunk)


def _chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def write_articles(
    writer: Any,
    records: Iterable[RawRecord | Skipped],
    summary: BuildSummary,
    *,
    keep: Callable[[RawRecord], str | None] = lambda r: None,
    today: date | None = None,
    progress: Callable[[int], None] | None = None,
) -> None:
    """Add each record to the writer; `keep` returns a reason to skip a record, or None."""
    for chunk in _chunks(records, TAG_CHUNK):
        todo: list[RawRecord] = []
        for item in chunk:
            if isinstance(item, Skipped):
                summary.skipped.append(item)
                continue
            if progress:
                progress(1)
            reason = keep(item)
            if reason:
                summary.skipped.append(Skipped(item.source, item.line, reason))
                continue
            todo.append(item)
        docs, skipped = prepare_documents(todo, today)
        summary.skipped += skipped
        for doc in docs:
            writer.add_document(**doc)
        summary.indexed += len(docs)


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
) -> BuildSummary:
    """Index every article in `paths` into a fresh generation and make it current.

    Raises BuildError when nothing could be indexed or writing failed, and IndexBusy when an
    update held the writer lock longer than `lock_wait`; the previous generation keeps
    serving in both cases. Symlinks that lead out of the archive are read only with
    `follow_links`.
    """
    started = time.perf_counter()
    paths = [Path(p) for p in paths]
    index_dir = Path(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    summary = BuildSummary()

    total, last = _last_occurrences(paths, follow_links=follow_links)
    if on_total:
        on_total(total)
    archive = read_archive(paths, follow_links=follow_links)  # read again, while writing

    def keep(record: RawRecord) -> str | None:
        return superseded(record, last)

    stamp = datetime.now().strftime("%Y%m%dT%H%M%S")
    name = f"gen-{stamp}-{secrets.token_hex(3)}"
    building = index_dir / f".building-{name}"
    building.mkdir()
    try:
        ix = index.create_in(building, build_schema())
        # Worker processes extract, tag and write segments when there are cores to use.
        from indexer.parallel import open_writer, write_records

        writer = open_writer(ix, limitmb=SEGMENT_MB)
        try:
            write_records(writer, archive, summary, keep=keep, today=today, progress=progress)
        except BaseException:
            writer.cancel()
            raise
        if summary.indexed == 0:
            writer.cancel()
            raise BuildError("no article could be indexed")
        writer.commit()
        ix.close()
        _fsync_tree(building)
        final = index_dir / name
        # Swap while holding the current generation's writer lock: an update running now
        # finishes first (and is replaced by this rebuild) instead of swapping over it.
        with lock_current(index_dir, wait=lock_wait, on_wait=on_wait):
            os.rename(building, final)
            swap_current(index_dir, final)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    remove_old_generations(index_dir, grace_seconds)
    summary.index_path = final
    summary.seconds = time.perf_counter() - started
    return summary
