"""Index generations: how a directory of complete indexes is published, locked and cleaned.

Layout of an index directory (settings.index_dir, default index_data/):
    current -> gen-20261121T101500-1a2b   (symlink the app reads through)
    gen-...                               (complete, fsynced indexes)
    .building-...                         (a build in progress; never served)

Writers (rebuild, update, delete) build a new generation and swap `current` to it
atomically while holding the current generation's writer lock; readers open `current`.
"""

from __future__ import annotations

import os
import pickle
import secrets
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from whoosh.filedb.filestore import FileStorage
from whoosh.index import exists_in

from index_format.errors import RebuildNeeded

CURRENT = "current"
# Old generations stay this long after a swap, so searchers still reading them finish.
GRACE_SECONDS = 600
# How long a rebuild or an update waits for another one to finish before giving up.
LOCK_WAIT_SECONDS = 600.0
WRITELOCK = "MAIN_WRITELOCK"  # the file Whoosh's ix.lock("WRITELOCK") uses


class IndexBusy(Exception):
    """Another rebuild or update held the writer lock for longer than we could wait."""


def current_path(index_dir: Path) -> Path:
    """The link searches open the serving generation through."""
    return Path(index_dir) / CURRENT


def fsync_tree(path: Path) -> None:
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


def open_index(path: str | Path) -> Any:
    """The Whoosh index in `path`, opened for reading (plain reads, no mmap: Whoosh copies
    every mapped part of a compound segment into a private buffer, so a worker's RSS grew with
    the whole index; plain reads keep it ~60 MB for ~13% more CPU per search).

    Raises RebuildNeeded when another version of the format wrote it (its schema or codec
    names classes this version does not have, or a segment is not in the packed format), and
    whoosh.index.EmptyIndexError or OSError when there is no index.
    """
    from index_format.codec import PackedCodec
    from index_format.schema import check_facets_column

    try:
        ix = FileStorage(str(path), supports_mmap=False).open_index()
        segments = ix._segments()
    except (ImportError, AttributeError, pickle.UnpicklingError) as e:
        raise RebuildNeeded(
            f"the index in {path} was written by another version of Telusur ({e})",
            params={"path": str(path)},
        ) from e
    try:
        check_facets_column(ix.schema)
    except RebuildNeeded:
        ix.close()
        raise
    if not all(isinstance(seg.codec(), PackedCodec) for seg in segments):
        ix.close()
        raise RebuildNeeded(
            f"the index in {path} holds segments of an older format", params={"path": str(path)}
        )
    return ix


@dataclass
class NewGeneration:
    """A generation being written: `building` until published, then `final`."""

    building: Path
    final: Path
    abandoned: bool = False
    derived: bool = False  # its derived files are written (else publishing writes them)

    def abandon(self) -> None:
        """Publish nothing: the directory is removed when the block ends."""
        self.abandoned = True


@contextmanager
def new_generation(
    index_dir: Path,
    *,
    locked: Path | None = None,
    lock_wait: float = LOCK_WAIT_SECONDS,
    on_wait: Callable[[], None] | None = None,
    before_swap: Callable[[Path, Path | None], None] | None = None,
) -> Iterator[NewGeneration]:
    """A new generation directory to write in; when the block ends without error, its files
    are fsynced, it is renamed `gen-…` and `current` is swapped to it. When the block raises
    (or abandons it), the directory is removed and `current` does not move.

    Publishing holds the current generation's writer lock, so no other writer swaps in
    between: `locked` is that generation when the caller already holds its lock (an update
    writing a copy of it), else the lock is taken for the swap (a rebuild), waiting up to
    `lock_wait` seconds (IndexBusy). `before_swap(building, current)` runs under the lock,
    before the files are fsynced: the last chance to write what happened meanwhile.
    """
    index_dir = Path(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    name = f"gen-{datetime.now().strftime('%Y%m%dT%H%M%S')}-{secrets.token_hex(3)}"
    gen = NewGeneration(index_dir / f".building-{name}", index_dir / name)
    gen.building.mkdir()
    try:
        yield gen
        if gen.abandoned:
            shutil.rmtree(gen.building, ignore_errors=True)
            return

        def publish(current: Path | None) -> None:
            if before_swap is not None:
                before_swap(gen.building, current)
            if not gen.derived and exists_in(str(gen.building)):  # what workers compute at open
                from index_format import derived

                derived.write(gen.building)
            fsync_tree(gen.building)
            os.rename(gen.building, gen.final)
            swap_current(index_dir, gen.final)

        if locked is not None:
            publish(locked)
        else:
            with lock_current(index_dir, wait=lock_wait, on_wait=on_wait) as current:
                publish(current)
    except BaseException:
        shutil.rmtree(gen.building, ignore_errors=True)
        raise
