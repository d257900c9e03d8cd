"""Read an archive: files or folders of .txt, .jsonl, .jsonl.gz, .json and .csv articles, saved
web pages (.html, .htm, .html.gz) and web archives (.warc, .warc.gz).

`read_archive` yields a RawRecord for each article it can read and a Skipped (file, line,
reason) for each it cannot; it never raises for bad input, so one bad file or record loses
nothing else. Analysts scrape their archives themselves, so every read is bounded: only
regular files are opened, lines, rows and files have size limits, JSON has a nesting limit,
and symlinks out of the archive are refused unless `follow_links` is given. What is repaired
rather than skipped (unencodable characters, ids that cannot be opened by URL) is listed in
`RawRecord.repairs`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from indexer.models import RawRecord, Skipped
from indexer.sources.common import (
    DERIVED_ID_PREFIX,
    MAX_ARTICLE_BYTES,
    MAX_FILE_BYTES,
    MAX_ID_BYTES,
    MAX_JSON_DEPTH,
    MAX_LINE_BYTES,
    SUPPORTED,
    Unreadable,
    display,
    suffix,
)
from indexer.sources.files import archive_roots, is_sidecar, is_special, iter_files, refused_link
from indexer.sources.formats import read_csv, read_json, read_jsonl, read_txt
from indexer.sources.records import derived_id
from indexer.sources.sidecars import ReadContext
from indexer.sources.web import read_html, read_warc

__all__ = [
    "DERIVED_ID_PREFIX",
    "MAX_ARTICLE_BYTES",
    "MAX_FILE_BYTES",
    "MAX_ID_BYTES",
    "MAX_JSON_DEPTH",
    "MAX_LINE_BYTES",
    "SUPPORTED",
    "derived_id",
    "display",
    "iter_files",
    "read_archive",
]

_READERS = {
    ".txt": read_txt,
    ".jsonl": read_jsonl,
    ".jsonl.gz": read_jsonl,
    ".json": read_json,
    ".csv": read_csv,
    ".html": read_html,
    ".htm": read_html,
    ".html.gz": read_html,
    ".htm.gz": read_html,
    ".warc": read_warc,
    ".warc.gz": read_warc,
}


def _guarded(source: str, items: Iterator[RawRecord | Skipped]) -> Iterator[RawRecord | Skipped]:
    """`items`, and when reading the file fails, why (the records before it are kept)."""
    last: int | None = None
    try:
        for item in items:
            last = item.line if item.line is not None else last
            yield item
    except Unreadable as e:
        yield Skipped(source, None, str(e))
    except FileNotFoundError:
        yield Skipped(source, None, "file disappeared while reading")
    except OSError as e:
        yield Skipped(source, None, f"cannot read: {e.strerror or e}")
    except Exception as e:  # a bug must cost this file's remaining records only, reported
        after = f" after line {last}" if last is not None else ""
        yield Skipped(
            source,
            None if last is None else last + 1,
            f"stopped reading: unexpected error{after}: {e!r}",
        )


def read_archive(
    paths: Iterable[Path], *, follow_links: bool = False, base: Path | None = None
) -> Iterator[RawRecord | Skipped]:
    """Every article in `paths`, or why it was skipped.

    Symlinks found in a folder that lead outside the archive (the folders and files in
    `paths`) are refused unless `follow_links`. Files inside `base` get the ids they have
    when `base` itself is read (paths relative to it).
    """
    paths = [Path(p) for p in paths]
    ctx = ReadContext(archive_roots([*paths, base] if base is not None else paths), follow_links)
    named = set(paths)
    for item in iter_files(paths, follow_links=follow_links, base=base):
        if isinstance(item, Skipped):
            yield item
            continue
        path, root = item
        kind = suffix(path)
        if kind not in SUPPORTED:
            yield Skipped(display(path), None, f"unsupported file type {kind or '(none)'}")
            continue
        if is_sidecar(path):
            continue
        # A file named in `paths` is read wherever it leads; a link to a device or FIFO is
        # reported as such by the reader, never opened.
        target = None if path in named else ctx.link_out(path)
        if target and not is_special(target):
            yield refused_link(path, target, "file")
            continue
        yield from _guarded(display(path), _READERS[kind](path, root, ctx))
