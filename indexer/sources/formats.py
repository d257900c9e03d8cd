"""One reader per format: .txt, .jsonl / .jsonl.gz, .json, .csv."""

from __future__ import annotations

import gzip
import io
import zlib
from collections.abc import Iterable, Iterator
from contextlib import nullcontext
from pathlib import Path
from typing import Any

from indexer.models import RawRecord, Skipped
from indexer.sources.bounded import csv_table, decode_text, load_json, read_units
from indexer.sources.common import (
    MAX_JSON_FILE_BYTES,
    MAX_TEXT_FILE_BYTES,
    Unreadable,
    display,
    suffix,
)
from indexer.sources.files import open_regular, read_capped
from indexer.sources.records import check_fields, clean_fields, record_of, relative_id
from indexer.sources.sidecars import ReadContext, sidecar_of

# -- one reader per format ------------------------------------------------------------------


def read_txt(path: Path, root: Path, ctx: ReadContext) -> Iterator[RawRecord | Skipped]:
    source = display(path)
    with open_regular(path) as fh:
        data = read_capped(fh, MAX_TEXT_FILE_BYTES)
    if not data.strip():
        raise Unreadable("empty file")
    text = decode_text(data)
    if not text.strip():
        raise Unreadable("empty file")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    first = next(i for i, line in enumerate(lines) if line.strip())
    fields: dict[str, str | None] = {
        "title": lines[first].strip(),
        "body": "\n".join(lines[first + 1 :]).strip("\n"),
    }
    if reason := check_fields(fields):
        raise Unreadable(reason)
    sidecar, problems = sidecar_of(path, ctx)
    yield from problems
    yield record_of(source, None, fields, sidecar, relative_id(path, root))


def _records_from_objects(
    source: str, rel: str, objects: Iterable[tuple[int, Any]]
) -> Iterator[RawRecord | Skipped]:
    for line, obj in objects:
        if isinstance(obj, Skipped):
            yield obj
            continue
        try:
            if not isinstance(obj, dict):
                yield Skipped(source, line, f"expected a JSON object, got {type(obj).__name__}")
                continue
            fields = clean_fields(obj)
            if reason := check_fields(fields):
                yield Skipped(source, line, reason)
                continue
            record = record_of(source, line, fields, {}, f"{rel}#{line}")
        except Exception as e:  # a bug here must cost this record only
            yield Skipped(source, line, f"unexpected error: {e!r}")
            continue
        yield record


def _json_line(source: str, line: int, raw: bytes) -> Any:
    """The object on one .jsonl line, or a Skipped saying why there is none."""
    try:
        return load_json(raw)
    except Unreadable as e:
        return Skipped(source, line, str(e))
    except Exception as e:  # a bug here must cost this line only
        return Skipped(source, line, f"unexpected error: {e!r}")


def _jsonl_objects(source: str, fh: io.BufferedIOBase) -> Iterator[tuple[int, Any]]:
    line = 0
    try:
        for line, raw in read_units(fh, source):
            if isinstance(raw, Skipped):
                yield line, raw
            elif raw.strip():
                yield line, _json_line(source, line, raw)
    except (EOFError, zlib.error, gzip.BadGzipFile, OSError) as e:
        # A truncated or corrupt .gz: keep every record before the damage.
        yield line + 1, Skipped(source, line + 1, f"file damaged after line {line}: {e}")


def read_jsonl(path: Path, root: Path, ctx: ReadContext) -> Iterator[RawRecord | Skipped]:
    source = display(path)
    gz = suffix(path) == ".jsonl.gz"
    with open_regular(path) as raw, gzip.GzipFile(fileobj=raw) if gz else nullcontext(raw) as fh:
        empty = True
        objects = _jsonl_objects(source, fh)
        for item in _records_from_objects(source, relative_id(path, root), objects):
            empty = False
            yield item
    if empty:
        raise Unreadable("empty file")


def read_json(path: Path, root: Path, ctx: ReadContext) -> Iterator[RawRecord | Skipped]:
    source = display(path)
    with open_regular(path) as fh:
        data = read_capped(fh, MAX_JSON_FILE_BYTES)
    if not data.strip():
        raise Unreadable("empty file")
    obj = load_json(data)
    items = obj if isinstance(obj, list) else [obj]
    yield from _records_from_objects(source, relative_id(path, root), enumerate(items, start=1))


def read_csv(path: Path, root: Path, ctx: ReadContext) -> Iterator[RawRecord | Skipped]:
    source = display(path)
    with open_regular(path) as fh:
        header, rows = csv_table(fh, source)
        if "body" not in header and "title" not in header:
            yield Skipped(source, 1, "CSV header has neither a title nor a body column")
            return
        yield from _records_from_objects(source, relative_id(path, root), rows)
