"""Build the index: rebuild into a new directory, then swap it in atomically.

Layout of an index directory (TELUSUR_INDEX_DIR, default index_data/):
    current -> gen-20261121T101500-1a2b   (symlink the app reads through)
    gen-...                               (complete, fsynced indexes)
    .building-...                         (a build in progress; never served)
"""

from __future__ import annotations

import os
import secrets
import shutil
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from whoosh import index

from indexer.entities import entity_facets, extract_entities
from indexer.extract import extract_article
from indexer.models import Article, RawRecord, Skipped
from indexer.schema import build_schema, to_document
from indexer.sources import read_archive

CURRENT = "current"
# Old generations stay this long after a swap, so searchers still reading them finish.
GRACE_SECONDS = 600


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


def current_path(index_dir: Path) -> Path:
    return Path(index_dir) / CURRENT


def prepare_article(record: RawRecord, today: date | None = None) -> Article:
    """Extract the article and tag its entities: everything but writing it."""
    article = extract_article(record, today=today)
    facets = entity_facets(extract_entities(f"{article.title}\n\n{article.body}"))
    article.person = facets["person"]
    article.organisation = facets["organisation"]
    article.place = facets["place"]
    return article


def _last_occurrences(paths: list[Path]) -> tuple[int, dict[str, tuple[str, int | None]]]:
    """Count the records and find where each id last occurs: a later duplicate wins."""
    last: dict[str, tuple[str, int | None]] = {}
    count = 0
    for item in read_archive(paths):
        if isinstance(item, RawRecord):
            count += 1
            last[item.doc_id] = (item.source, item.line)
    return count, last


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
    """Point index_dir/current at target atomically (readers see the old or the new, never none)."""
    tmp = index_dir / f".current-{secrets.token_hex(4)}"
    os.symlink(target.name, tmp)
    os.replace(tmp, index_dir / CURRENT)
    fd = os.open(index_dir, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def remove_old_generations(index_dir: Path, grace_seconds: float = GRACE_SECONDS) -> list[Path]:
    """Delete generations and abandoned builds that are not current and older than the grace."""
    link = index_dir / CURRENT
    keep = os.path.realpath(link) if link.exists() else None
    removed = []
    now = time.time()
    for child in index_dir.iterdir():
        if not (child.name.startswith("gen-") or child.name.startswith(".building-")):
            continue
        if os.path.realpath(child) == keep or child.is_symlink():
            continue
        if now - child.stat().st_mtime < grace_seconds:
            continue
        shutil.rmtree(child, ignore_errors=True)
        removed.append(child)
    return removed


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
    for item in records:
        if isinstance(item, Skipped):
            summary.skipped.append(item)
            continue
        if progress:
            progress(1)
        reason = keep(item)
        if reason:
            summary.skipped.append(Skipped(item.source, item.line, reason))
            continue
        try:
            article = prepare_article(item, today)
        except Exception as e:  # an extraction bug must cost one article, not the build
            summary.skipped.append(Skipped(item.source, item.line, f"extraction failed: {e!r}"))
            continue
        writer.add_document(**to_document(article))
        summary.indexed += 1


def rebuild_index(
    paths: Iterable[Path],
    index_dir: Path,
    *,
    today: date | None = None,
    on_total: Callable[[int], None] | None = None,
    progress: Callable[[int], None] | None = None,
) -> BuildSummary:
    """Index every article in `paths` into a fresh generation and make it current.

    Raises BuildError when nothing could be indexed or writing failed; the previous
    generation keeps serving in that case.
    """
    started = time.perf_counter()
    paths = [Path(p) for p in paths]
    index_dir = Path(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    summary = BuildSummary()

    total, last = _last_occurrences(paths)
    if on_total:
        on_total(total)

    def keep(record: RawRecord) -> str | None:
        source, line = last[record.doc_id]
        if (source, line) != (record.source, record.line):
            where = f"{source}:{line}" if line else source
            return f"duplicate id {record.doc_id!r}: a later record wins ({where})"
        return None

    stamp = datetime.now().strftime("%Y%m%dT%H%M%S")
    name = f"gen-{stamp}-{secrets.token_hex(3)}"
    building = index_dir / f".building-{name}"
    building.mkdir()
    try:
        ix = index.create_in(building, build_schema())
        writer = ix.writer(limitmb=256)
        try:
            write_articles(
                writer, read_archive(paths), summary, keep=keep, today=today, progress=progress
            )
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
        os.rename(building, final)
        swap_current(index_dir, final)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    remove_old_generations(index_dir)
    summary.index_path = final
    summary.seconds = time.perf_counter() - started
    return summary
