"""Read an archive: files or folders of .txt, .jsonl, .jsonl.gz, .json and .csv articles.

`read_archive` yields a RawRecord for each article it can read and a Skipped (file, line,
reason) for each it cannot; it never raises for bad input, so one bad file loses nothing else.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from indexer.models import RawRecord, Skipped

FIELDS = ("id", "url", "title", "outlet", "published", "body")
MANIFEST = "manifest.csv"
# One article larger than this is almost certainly a mis-scrape (a whole site in one file).
MAX_ARTICLE_BYTES = 5_000_000

csv.field_size_limit(MAX_ARTICLE_BYTES * 4)


def _suffix(path: Path) -> str:
    name = path.name.lower()
    if name.endswith(".jsonl.gz"):
        return ".jsonl.gz"
    return path.suffix.lower()


SUPPORTED = (".txt", ".jsonl", ".jsonl.gz", ".json", ".csv")


def iter_files(paths: Iterable[Path]) -> Iterator[tuple[Path, Path] | Skipped]:
    """Each archive file as (file, root), in a stable order; folders are read recursively.

    Symlinked folders are followed once: a link loop is reported, not walked forever.
    """
    for root in paths:
        root = Path(root)
        if root.is_file():
            yield root, root.parent
            continue
        if not root.is_dir():
            yield Skipped(str(root), None, "no such file or folder")
            continue
        seen: set[str] = set()
        for dirpath, dirnames, filenames in os.walk(root, followlinks=True):
            real = os.path.realpath(dirpath)
            if real in seen:
                dirnames[:] = []
                yield Skipped(dirpath, None, "symlink loop: folder already read")
                continue
            seen.add(real)
            dirnames.sort()
            for name in sorted(filenames):
                yield Path(dirpath) / name, root


def _is_sidecar(path: Path) -> bool:
    """NAME.json beside NAME.txt, and manifest.csv, describe other files: they are not articles."""
    if path.name.lower() == MANIFEST:
        return True
    return path.suffix.lower() == ".json" and path.with_suffix(".txt").exists()


def _clean_fields(obj: dict[str, Any]) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for key in FIELDS:
        value = obj.get(key)
        out[key] = None if value is None else str(value)
    return out


def _doc_id(fields: dict[str, str | None], fallback: str) -> str:
    for key in ("id", "url"):
        value = (fields.get(key) or "").strip()
        if value:
            return value
    return fallback


def _check(fields: dict[str, str | None]) -> str | None:
    """Why a record cannot be indexed, or None."""
    if not (fields.get("title") or "").strip() and not (fields.get("body") or "").strip():
        return "no title and no body"
    size = sum(len(v) for v in fields.values() if v)
    if size > MAX_ARTICLE_BYTES:
        return f"article too large ({size:,} characters; limit {MAX_ARTICLE_BYTES:,})"
    return None


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.name


def _read_bytes(path: Path) -> bytes:
    with open(path, "rb") as fh:
        data = fh.read(MAX_ARTICLE_BYTES * 40 + 1)
    return data


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM); raises UnicodeDecodeError with the offending byte offset."""
    return data.decode("utf-8-sig")


def _looks_binary(data: bytes) -> bool:
    return b"\x00" in data[:8192]


class _Manifests:
    """manifest.csv rows per folder, read once each."""

    def __init__(self) -> None:
        self._by_dir: dict[Path, dict[str, dict[str, str | None]]] = {}

    def lookup(self, txt: Path) -> dict[str, str | None]:
        folder = txt.parent
        if folder not in self._by_dir:
            rows: dict[str, dict[str, str | None]] = {}
            manifest = folder / MANIFEST
            if manifest.is_file():
                try:
                    with open(manifest, encoding="utf-8-sig", newline="") as fh:
                        for row in csv.DictReader(fh):
                            name = (row.get("file") or "").strip()
                            if name:
                                rows[name] = {k: (v or None) for k, v in row.items() if k != "file"}
                except (OSError, UnicodeDecodeError, csv.Error):
                    rows = {}
            self._by_dir[folder] = rows
        return self._by_dir[folder].get(txt.name, {})


def _sidecar(txt: Path, manifests: _Manifests) -> dict[str, str | None]:
    meta = dict(manifests.lookup(txt))
    side = txt.with_suffix(".json")
    if side.is_file():
        try:
            obj = json.loads(side.read_text(encoding="utf-8-sig"))
            if isinstance(obj, dict):
                meta.update({k: (None if v is None else str(v)) for k, v in obj.items()})
        except (OSError, ValueError):
            pass
    return {k: v for k, v in meta.items() if k in FIELDS and v}


def _read_txt(path: Path, root: Path, manifests: _Manifests) -> Iterator[RawRecord | Skipped]:
    data = _read_bytes(path)
    if not data.strip():
        yield Skipped(str(path), None, "empty file")
        return
    if _looks_binary(data):
        yield Skipped(str(path), None, "binary file, not text")
        return
    try:
        text = _decode(data)
    except UnicodeDecodeError as e:
        yield Skipped(str(path), None, f"invalid UTF-8 at byte {e.start}")
        return
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    first = next(i for i, line in enumerate(lines) if line.strip())
    fields: dict[str, str | None] = {
        "title": lines[first].strip(),
        "body": "\n".join(lines[first + 1 :]).strip("\n"),
    }
    if reason := _check(fields):
        yield Skipped(str(path), None, reason)
        return
    sidecar = _sidecar(path, manifests)
    doc_id = _doc_id(sidecar, _relative(path, root))
    yield RawRecord(doc_id, str(path), None, fields, sidecar)


def _records_from_objects(
    path: Path, root: Path, objects: Iterable[tuple[int, Any]]
) -> Iterator[RawRecord | Skipped]:
    rel = _relative(path, root)
    for line, obj in objects:
        if isinstance(obj, Skipped):
            yield obj
            continue
        if not isinstance(obj, dict):
            yield Skipped(str(path), line, f"expected a JSON object, got {type(obj).__name__}")
            continue
        fields = _clean_fields(obj)
        if reason := _check(fields):
            yield Skipped(str(path), line, reason)
            continue
        yield RawRecord(_doc_id(fields, f"{rel}#{line}"), str(path), line, fields)


def _jsonl_objects(path: Path, fh: io.BufferedIOBase) -> Iterator[tuple[int, Any]]:
    line_no = 0
    try:
        for raw in fh:
            line_no += 1
            if not raw.strip():
                continue
            if len(raw) > MAX_ARTICLE_BYTES:
                yield line_no, Skipped(str(path), line_no, f"line too large ({len(raw):,} bytes)")
                continue
            try:
                yield line_no, json.loads(raw.decode("utf-8-sig"))
            except UnicodeDecodeError as e:
                yield line_no, Skipped(str(path), line_no, f"invalid UTF-8 at byte {e.start}")
            except ValueError as e:
                yield line_no, Skipped(str(path), line_no, f"invalid JSON: {e}")
    except (EOFError, zlib.error, gzip.BadGzipFile, OSError) as e:
        # A truncated or corrupt .gz: keep every record before the damage.
        yield (
            line_no + 1,
            Skipped(str(path), line_no + 1, f"file damaged after line {line_no}: {e}"),
        )


def _read_jsonl(path: Path, root: Path) -> Iterator[RawRecord | Skipped]:
    opener = gzip.open if _suffix(path) == ".jsonl.gz" else open
    with opener(path, "rb") as fh:  # type: ignore[operator]
        empty = True
        for item in _records_from_objects(path, root, _jsonl_objects(path, fh)):
            empty = False
            yield item
    if empty:
        yield Skipped(str(path), None, "empty file")


def _read_json(path: Path, root: Path) -> Iterator[RawRecord | Skipped]:
    data = _read_bytes(path)
    if not data.strip():
        yield Skipped(str(path), None, "empty file")
        return
    try:
        obj = json.loads(_decode(data))
    except UnicodeDecodeError as e:
        yield Skipped(str(path), None, f"invalid UTF-8 at byte {e.start}")
        return
    except ValueError as e:
        yield Skipped(str(path), None, f"invalid JSON: {e}")
        return
    items = obj if isinstance(obj, list) else [obj]
    yield from _records_from_objects(path, root, enumerate(items, start=1))


def _read_csv(path: Path, root: Path) -> Iterator[RawRecord | Skipped]:
    data = _read_bytes(path)
    try:
        text = _decode(data)
    except UnicodeDecodeError as e:
        yield Skipped(str(path), None, f"invalid UTF-8 at byte {e.start}")
        return
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        yield Skipped(str(path), None, "empty file")
        return
    if "body" not in header and "title" not in header:
        yield Skipped(str(path), 1, "CSV header has neither a title nor a body column")
        return

    def rows() -> Iterator[tuple[int, Any]]:
        start = reader.line_num + 1
        try:
            for row in reader:
                if row:
                    yield start, dict(zip(header, row, strict=False))
                start = reader.line_num + 1
        except csv.Error as e:
            yield start, Skipped(str(path), start, f"invalid CSV: {e}")

    yield from _records_from_objects(path, root, rows())


def read_archive(paths: Iterable[Path]) -> Iterator[RawRecord | Skipped]:
    """Every article in `paths`, or why it was skipped."""
    manifests = _Manifests()
    for item in iter_files(paths):
        if isinstance(item, Skipped):
            yield item
            continue
        path, root = item
        kind = _suffix(path)
        if kind not in SUPPORTED:
            yield Skipped(str(path), None, f"unsupported file type {kind or '(none)'}")
            continue
        if _is_sidecar(path):
            continue
        try:
            if kind == ".txt":
                yield from _read_txt(path, root, manifests)
            elif kind in (".jsonl", ".jsonl.gz"):
                yield from _read_jsonl(path, root)
            elif kind == ".json":
                yield from _read_json(path, root)
            else:
                yield from _read_csv(path, root)
        except FileNotFoundError:
            yield Skipped(str(path), None, "file disappeared while reading")
        except OSError as e:
            yield Skipped(str(path), None, f"cannot read: {e.strerror or e}")
