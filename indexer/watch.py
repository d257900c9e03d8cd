"""`telusur watch DIR`: files that appear in a folder, or change, go into the index through the
update path (indexer.update), with the ids a rebuild of the folder gives them.

The folder is polled (no platform's file events: the same on every system and on network
drives). A file is read once its size and modification time have stayed the same for
`settle` seconds, so one still being written is not read half-way; names that writers use
while writing (`.part`, `.tmp`, `.crdownload`, `~…`, `.…`) are never read. Changes that
arrive together are read in one update (debounced). A changed NAME.json or manifest.csv
re-reads the .txt articles it describes. Deleted files stay in the index: `telusur delete`
removes articles.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from indexer.sources import SUPPORTED
from indexer.sources.common import MANIFEST, suffix

SETTLE_SECONDS = 2.0
POLL_SECONDS = 1.0
_WRITING = (".part", ".partial", ".tmp", ".temp", ".crdownload", ".download", ".swp", "~")

Signature = tuple[int, int]  # size, modification time (ns)


def _watched(name: str) -> bool:
    lower = name.lower()
    if lower.startswith((".", "~")) or lower.endswith(_WRITING):
        return False
    return suffix(Path(lower)) in SUPPORTED or lower == MANIFEST


def scan(folder: Path) -> dict[Path, Signature]:
    """Every file of a supported format under `folder` with its signature (symlinks and
    unreadable folders passed over: the update reports what it cannot read)."""
    found: dict[Path, Signature] = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            if not _watched(name):
                continue
            path = Path(dirpath) / name
            try:
                st = path.stat(follow_symlinks=False)
            except OSError:
                continue
            found[path] = (st.st_size, st.st_mtime_ns)
    return found


def _articles_of(path: Path) -> list[Path]:
    """The article files a changed file stands for: a sidecar's .txt, a manifest's folder."""
    if path.name.lower() == MANIFEST:
        return sorted(p for p in path.parent.glob("*.txt") if _watched(p.name))
    if path.suffix.lower() == ".json" and path.with_suffix(".txt").exists():
        return [path.with_suffix(".txt")]
    return [path]


@dataclass
class Watcher:
    """What a watch has read and what it waits on; `poll()` returns the files ready now."""

    folder: Path
    settle: float = SETTLE_SECONDS
    clock: Callable[[], float] = time.monotonic
    done: dict[Path, Signature] = field(default_factory=dict)
    # Files seen changed: their signature, and since when it has not moved.
    waiting: dict[Path, tuple[Signature, float]] = field(default_factory=dict)

    def skip_present(self) -> None:
        """Take the files present now as read (`--new-only`)."""
        self.done = scan(self.folder)

    def poll(self) -> list[Path]:
        now = self.clock()
        current = scan(self.folder)
        ready: list[Path] = []
        for path, sig in current.items():
            if self.done.get(path) == sig:
                self.waiting.pop(path, None)
                continue
            seen = self.waiting.get(path)
            if seen is None or seen[0] != sig:  # new, or still growing: wait for it to settle
                self.waiting[path] = (sig, now)
            elif now - seen[1] >= self.settle:
                ready.append(path)
        for path in set(self.waiting) - set(current):  # gone before it settled
            del self.waiting[path]
        for path in ready:
            self.done[path] = self.waiting.pop(path)[0]
        return sorted({a for p in ready for a in _articles_of(p)})


def watch(
    folder: Path,
    update: Callable[[list[Path]], None],
    *,
    settle: float = SETTLE_SECONDS,
    poll: float = POLL_SECONDS,
    new_only: bool = False,
    sleep: Callable[[float], None] = time.sleep,
    stop: Callable[[], bool] = lambda: False,
    on_ready: Callable[[], None] = lambda: None,
) -> Iterator[list[Path]]:
    """Poll `folder` every `poll` seconds until `stop()`; hand each batch of settled files to
    `update` and yield it. The files present at the start are read first, unless
    `new_only`. `on_ready` is called once the files present have been taken stock of: a file
    dropped after it is new."""
    watcher = Watcher(Path(folder), settle)
    if new_only:
        watcher.skip_present()
    on_ready()
    while not stop():
        if batch := watcher.poll():
            update(batch)
            yield batch
        sleep(poll)
