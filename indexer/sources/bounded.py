"""Lines, rows and JSON read within bounds: a line or row over the limit is read past without
being kept, JSON deeper than MAX_JSON_DEPTH is refused before parsing, text is decoded from
UTF-8 or UTF-16 with a BOM."""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
from collections.abc import Iterator
from typing import Any

import numpy as np

from indexer.models import Skipped
from indexer.sources.common import (
    MAX_FILE_BYTES,
    MAX_JSON_DEPTH,
    MAX_LINE_BYTES,
    READ_CHUNK,
    Unreadable,
)

# -- lines and rows, bounded ------------------------------------------------------------------


def too_large(source: str, line: int, size: int, what: str) -> Skipped:
    return Skipped(source, line, f"{what} too large: {size:,} bytes (limit {MAX_LINE_BYTES:,})")


def stopped(source: str, line: int) -> Skipped:
    return Skipped(
        source,
        line,
        f"file too large: stopped at line {line:,} after {MAX_FILE_BYTES:,} bytes "
        "(the records before it were read)",
    )


def read_units(
    fh: io.BufferedIOBase, source: str, *, csv_rows: bool = False
) -> Iterator[tuple[int, bytes | Skipped]]:
    """Each line (or, with `csv_rows`, each CSV row: newlines inside quotes do not end it) with
    the number of its first line. A unit over MAX_LINE_BYTES is read past in pieces, never
    held whole, and reported; reading stops, reported, after MAX_FILE_BYTES."""
    what = "row" if csv_rows else "line"
    line = 0  # lines finished so far
    start = 1  # the first line of the unit being read
    parts: list[bytes] | None = []  # None while reading past an over-long unit
    size = quotes = total = 0
    while piece := fh.readline(READ_CHUNK):
        total += len(piece)
        if total > MAX_FILE_BYTES:
            yield start, stopped(source, start)
            return
        size += len(piece)
        if parts is not None and size > MAX_LINE_BYTES:
            parts = None
        elif parts is not None:
            parts.append(piece)
        if csv_rows:  # a row ends at a newline after an even number of quote characters
            quotes += piece.count(b'"')
        if not piece.endswith(b"\n"):
            continue
        line += 1
        if quotes % 2:
            continue
        yield start, b"".join(parts) if parts is not None else too_large(source, start, size, what)
        start, parts, size, quotes = line + 1, [], 0, 0
    if size:
        yield start, b"".join(parts) if parts is not None else too_large(source, start, size, what)


_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")


def _too_deep(data: bytes) -> bool:
    """Whether JSON `data` nests deeper than MAX_JSON_DEPTH (checked before parsing it)."""
    if data.count(b"[") + data.count(b"{") <= MAX_JSON_DEPTH:  # the common case, at C speed
        return False
    brackets = np.frombuffer(_JSON_STRING.sub(b"", data).translate(None, _NOT_BRACKETS), np.uint8)
    # "[" and "{" have bit 1 set, "]" and "}" do not: +1 and -1 steps, summed piecewise.
    depth = 0
    for at in range(0, len(brackets), READ_CHUNK):
        steps = ((brackets[at : at + READ_CHUNK] >> 1) & 1).astype(np.int8) * 2 - 1
        levels = np.cumsum(steps, dtype=np.int32) + depth
        if int(levels.max()) > MAX_JSON_DEPTH:
            return True
        depth = int(levels[-1])
    return False


def load_json(data: bytes) -> Any:
    """The JSON value in UTF-8 `data`; raises Unreadable saying why there is none."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise Unreadable(f"invalid UTF-8: at byte {e.start}") from None
    deep = f"JSON nested deeper than {MAX_JSON_DEPTH}"
    if _too_deep(data):
        raise Unreadable(deep)
    try:
        return json.loads(text)
    except RecursionError:  # not reached below MAX_JSON_DEPTH; kept so it can never escape
        raise Unreadable(deep) from None
    except ValueError as e:
        raise Unreadable(f"invalid JSON: {e}") from None


def decode_text(data: bytes) -> str:
    """A .txt file's text: UTF-16 with a BOM, else UTF-8 (with or without BOM)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:  # lone surrogates are kept here and replaced, counted, with the other fields'
            text = data.decode("utf-16", "surrogatepass")
        except UnicodeDecodeError as e:
            raise Unreadable(f"invalid UTF-16: at byte {e.start}") from None
        if "\x00" in text[:8192]:  # UTF-32 also starts with the UTF-16 LE BOM
            raise Unreadable("binary file, not text")
        return text
    if b"\x00" in data[:8192]:
        raise Unreadable("binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise Unreadable(f"invalid UTF-8: at byte {e.start}") from None


def csv_rows(unit: bytes, encoding: str = "utf-8") -> list[list[str]]:
    """The rows in one unit from units (one, unless the file ends its lines with bare CR);
    raises Unreadable saying why they cannot be read."""
    try:
        text = unit.decode(encoding)
        return [row for row in csv.reader(io.StringIO(text, newline="")) if row]
    except UnicodeDecodeError as e:
        raise Unreadable(f"invalid UTF-8: at byte {e.start}") from None
    except csv.Error as e:
        raise Unreadable(f"invalid CSV: {e}") from None


def csv_table(
    fh: io.BufferedIOBase, source: str
) -> tuple[list[str], Iterator[tuple[int, dict[str, str] | Skipped]]]:
    """A CSV file's header (lower-cased), and each row after it as {column: value} with its
    first line's number, streamed row by row. Raises Unreadable when there is no header."""
    units = read_units(fh, source, csv_rows=True)
    for line, unit in units:
        if isinstance(unit, Skipped):
            raise Unreadable(f"CSV header {unit.reason}")
        rows = csv_rows(unit, "utf-8-sig")
        if rows:
            header = [h.strip().lower() for h in rows[0]]
            return header, csv_body(header, [(line, row) for row in rows[1:]], units, source)
    raise Unreadable("empty file")


def csv_body(
    header: list[str],
    pending: list[tuple[int, list[str]]],
    units: Iterator[tuple[int, bytes | Skipped]],
    source: str,
) -> Iterator[tuple[int, dict[str, str] | Skipped]]:
    for line, row in pending:
        yield line, dict(zip(header, row, strict=False))
    for line, unit in units:
        if isinstance(unit, Skipped):
            yield line, unit
            continue
        try:
            rows = csv_rows(unit)
        except Unreadable as e:
            yield line, Skipped(source, line, str(e))
            continue
        for row in rows:
            yield line, dict(zip(header, row, strict=False))
