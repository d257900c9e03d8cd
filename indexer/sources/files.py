"""Which files an archive holds: folders walked, symlinks out of the archive refused (unless
`follow_links`), only regular files opened, and never more of a file than its limit."""

from __future__ import annotations

import io
import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

from indexer.models import Skipped
from indexer.sources.common import MANIFEST, Unreadable, display

# -- which files ----------------------------------------------------------------------------


def archive_roots(paths: Iterable[Path]) -> tuple[str, ...]:
    """The real folders the archive consists of: each folder named, and each named file's."""
    roots: set[str] = set()
    for p in paths:
        real = os.path.realpath(p)
        if os.path.isdir(real):
            roots.add(real)
        else:
            roots.update({os.path.dirname(real), os.path.realpath(Path(p).parent)})
    return tuple(roots)


def _inside(real: str, roots: tuple[str, ...]) -> bool:
    return any(real == r or real.startswith(r.rstrip(os.sep) + os.sep) for r in roots)


def link_out(path: Path, roots: tuple[str, ...], follow_links: bool) -> str | None:
    """The target of `path` when it is a symlink out of the archive that must not be followed."""
    if follow_links or not os.path.islink(path):
        return None
    real = os.path.realpath(path)
    return None if _inside(real, roots) else real


def refused_link(path: Path, target: str, what: str) -> Skipped:
    return Skipped(
        display(path),
        None,
        f"symlink to a {what} outside the archive: {display(target)} "
        "(read only with --follow-links)",
    )


def iter_files(
    paths: Iterable[Path], *, follow_links: bool = False, base: Path | None = None
) -> Iterator[tuple[Path, Path] | Skipped]:
    """Each archive file as (file, root), in a stable order; folders are read recursively.

    Symlinked folders are followed once: a link loop is reported, not walked forever. A
    symlinked folder outside the archive is reported and not walked, unless `follow_links`.
    Folders that cannot be read are reported. A file named in `paths` has its own folder as
    root, or `base` when it lies inside it (a watched folder's file keeps the id a rebuild
    of the folder gives it).
    """
    paths = [Path(p) for p in paths]
    roots = archive_roots([*paths, base] if base is not None else paths)
    for root in paths:
        try:
            is_dir = stat.S_ISDIR(os.stat(root).st_mode)
        except FileNotFoundError:
            yield Skipped(display(root), None, "no such file or folder")
            continue
        except OSError as e:
            yield Skipped(display(root), None, f"cannot read: {e.strerror or e}")
            continue
        if is_dir:
            yield from _walk(root, roots, follow_links)
        elif base is not None and root.is_relative_to(base):
            yield root, base
        else:  # a file the user named is read wherever it is (read_archive checks its type)
            yield root, root.parent


def _walk(
    root: Path, roots: tuple[str, ...], follow_links: bool
) -> Iterator[tuple[Path, Path] | Skipped]:
    errors: list[OSError] = []

    def reported() -> Iterator[Skipped]:
        while errors:
            e = errors.pop(0)
            yield Skipped(
                display(e.filename or root), None, f"cannot read folder: {e.strerror or e}"
            )

    seen: set[str] = set()
    for dirpath, dirnames, filenames in os.walk(root, onerror=errors.append, followlinks=True):
        yield from reported()
        real = os.path.realpath(dirpath)
        if real in seen:
            dirnames[:] = []
            yield Skipped(display(dirpath), None, "symlink loop: folder already read")
            continue
        seen.add(real)
        kept = []
        for name in sorted(dirnames):
            if target := link_out(Path(dirpath) / name, roots, follow_links):
                yield refused_link(Path(dirpath) / name, target, "folder")
            else:
                kept.append(name)
        dirnames[:] = kept
        for name in sorted(filenames):  # links to files: read_archive judges them
            yield Path(dirpath) / name, root
    yield from reported()


def is_special(path: str) -> bool:
    """Whether `path` exists and is neither a regular file nor a folder."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def is_sidecar(path: Path) -> bool:
    """NAME.json beside NAME.txt, and manifest.csv, describe other files: they are not articles."""
    if path.name.lower() == MANIFEST:
        return True
    return path.suffix.lower() == ".json" and path.with_suffix(".txt").exists()


_KINDS = {
    stat.S_IFDIR: "a folder",
    stat.S_IFIFO: "a FIFO",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
}


def _not_regular(mode: int) -> str:
    return f"not a regular file: {_KINDS.get(stat.S_IFMT(mode), 'special file')}"


def open_regular(path: Path) -> io.BufferedReader:
    """`path` opened for reading, if it is a regular file; raises Unreadable otherwise.

    The type is checked before opening (opening a FIFO waits for a writer; a device may never
    end), and again on the open file in case it was swapped in between.
    """
    try:
        st = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            raise Unreadable("broken symlink") from None
        raise
    if not stat.S_ISREG(st.st_mode):
        raise Unreadable(_not_regular(st.st_mode))
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    fd = os.open(path, flags)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise Unreadable(_not_regular(mode))
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_capped(fh: io.BufferedIOBase, limit: int) -> bytes:
    """The whole file, or Unreadable when it is larger than `limit` (nothing held beyond it)."""
    size = os.fstat(fh.fileno()).st_size
    data = fh.read(limit + 1) if size <= limit else b""
    if size > limit or len(data) > limit:
        raise Unreadable(f"file too large: {max(size, len(data)):,} bytes (limit {limit:,})")
    return data
