"""Read an archive: files or folders of .txt, .jsonl, .jsonl.gz, .json and .csv articles.

`read_archive` yields a RawRecord for each article it can read and a Skipped (file, line,
reason) for each it cannot; it never raises for bad input, so one bad file or record loses
nothing else. Analysts scrape their archives themselves, so every read is bounded: only
regular files are opened, lines, rows and files have size limits, JSON has a nesting limit,
and symlinks out of the archive are refused unless `follow_links` is given. What is repaired
rather than skipped (unencodable characters, ids that cannot be opened by URL) is listed in
`RawRecord.repairs`.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import hashlib
import io
import json
import os
import re
import stat
import zlib
from collections.abc import Iterable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from indexer.models import RawRecord, Skipped

FIELDS = ("id", "url", "title", "outlet", "published", "body")
MANIFEST = "manifest.csv"

# -- limits ---------------------------------------------------------------------------------
# One article larger than this is almost certainly a mis-scrape (a whole site in one file).
MAX_ARTICLE_BYTES = 5_000_000
# A .jsonl line or a CSV row (with its metadata and JSON escapes): twice the largest article.
# Longer lines are skipped to their end without being held in memory.
MAX_LINE_BYTES = 2 * MAX_ARTICLE_BYTES
# Bytes read from one .jsonl/.jsonl.gz/.csv file after decompression: ~4 million articles of
# CLICK-ID's ~2 KB, more than any one scraped file holds, and a gzip bomb stops after ~5 s of
# inflating instead of running for minutes.
MAX_FILE_BYTES = 8 * 1024**3
# A .txt file is one article: up to 4 bytes a character in UTF-8 (2 in UTF-16).
MAX_TEXT_FILE_BYTES = 4 * MAX_ARTICLE_BYTES
# A .json file is parsed whole, and Python's objects take ~3x the file: larger archives
# belong in .jsonl, which is streamed.
MAX_JSON_FILE_BYTES = 100_000_000
# Article records nest 2-5 deep; Python's JSON parser and repr() fail near 1,000.
MAX_JSON_DEPTH = 100
# An id is part of the article's URL (/articles/<id>): 512 UTF-8 bytes are at most 1,536
# characters percent-encoded, well inside gunicorn's 4,094-byte request line with the search
# carried in the query string.
MAX_ID_BYTES = 512
# NAME.json sidecars hold one article's metadata.
MAX_SIDECAR_BYTES = 1_000_000
# Piece size for reading lines; also what an over-long line costs in memory while skipped.
_READ_CHUNK = 1024 * 1024

# The csv module refuses fields over its (process-wide) limit; rows are already capped at
# MAX_LINE_BYTES before they reach it, so it only needs to be at least that.
csv.field_size_limit(max(csv.field_size_limit(), MAX_LINE_BYTES))

SUPPORTED = (".txt", ".jsonl", ".jsonl.gz", ".json", ".csv")
# Prefix of the ids that replace ids which cannot serve as one.
DERIVED_ID_PREFIX = "id-sha1-"


class _Unreadable(Exception):
    """Why a file (or one record in it) cannot be read: reported, and reading goes on.

    Reasons read "kind: detail"; the build summary counts them by the part before the colon.
    """


def _suffix(path: Path) -> str:
    name = path.name.lower()
    if name.endswith(".jsonl.gz"):
        return ".jsonl.gz"
    return path.suffix.lower()


def display(path: str | os.PathLike[str]) -> str:
    """A path as reports show it: bytes that are not UTF-8 in a file name become \\xNN."""
    name = os.fsdecode(path)
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


# -- which files ----------------------------------------------------------------------------


def _roots(paths: Iterable[Path]) -> tuple[str, ...]:
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


def _link_out(path: Path, roots: tuple[str, ...], follow_links: bool) -> str | None:
    """The target of `path` when it is a symlink out of the archive that must not be followed."""
    if follow_links or not os.path.islink(path):
        return None
    real = os.path.realpath(path)
    return None if _inside(real, roots) else real


def _refused_link(path: Path, target: str, what: str) -> Skipped:
    return Skipped(
        display(path),
        None,
        f"symlink to a {what} outside the archive: {display(target)} "
        "(read only with --follow-links)",
    )


def iter_files(
    paths: Iterable[Path], *, follow_links: bool = False
) -> Iterator[tuple[Path, Path] | Skipped]:
    """Each archive file as (file, root), in a stable order; folders are read recursively.

    Symlinked folders are followed once: a link loop is reported, not walked forever. A
    symlinked folder outside the archive is reported and not walked, unless `follow_links`.
    Folders that cannot be read are reported.
    """
    paths = [Path(p) for p in paths]
    roots = _roots(paths)
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
            if target := _link_out(Path(dirpath) / name, roots, follow_links):
                yield _refused_link(Path(dirpath) / name, target, "folder")
            else:
                kept.append(name)
        dirnames[:] = kept
        for name in sorted(filenames):  # links to files: read_archive judges them
            yield Path(dirpath) / name, root
    yield from reported()


def _special(path: str) -> bool:
    """Whether `path` exists and is neither a regular file nor a folder."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def _is_sidecar(path: Path) -> bool:
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


def _open(path: Path) -> io.BufferedReader:
    """`path` opened for reading, if it is a regular file; raises _Unreadable otherwise.

    The type is checked before opening (opening a FIFO waits for a writer; a device may never
    end), and again on the open file in case it was swapped in between.
    """
    try:
        st = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            raise _Unreadable("broken symlink") from None
        raise
    if not stat.S_ISREG(st.st_mode):
        raise _Unreadable(_not_regular(st.st_mode))
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    fd = os.open(path, flags)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise _Unreadable(_not_regular(mode))
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _read_capped(fh: io.BufferedIOBase, limit: int) -> bytes:
    """The whole file, or _Unreadable when it is larger than `limit` (nothing held beyond it)."""
    size = os.fstat(fh.fileno()).st_size
    data = fh.read(limit + 1) if size <= limit else b""
    if size > limit or len(data) > limit:
        raise _Unreadable(f"file too large: {max(size, len(data)):,} bytes (limit {limit:,})")
    return data


# -- lines and rows, bounded ------------------------------------------------------------------


def _too_large(source: str, line: int, size: int, what: str) -> Skipped:
    return Skipped(source, line, f"{what} too large: {size:,} bytes (limit {MAX_LINE_BYTES:,})")


def _stopped(source: str, line: int) -> Skipped:
    return Skipped(
        source,
        line,
        f"file too large: stopped at line {line:,} after {MAX_FILE_BYTES:,} bytes "
        "(the records before it were read)",
    )


def _units(
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
    while piece := fh.readline(_READ_CHUNK):
        total += len(piece)
        if total > MAX_FILE_BYTES:
            yield start, _stopped(source, start)
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
        yield start, b"".join(parts) if parts is not None else _too_large(source, start, size, what)
        start, parts, size, quotes = line + 1, [], 0, 0
    if size:
        yield start, b"".join(parts) if parts is not None else _too_large(source, start, size, what)


_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")


def _too_deep(data: bytes) -> bool:
    """Whether JSON `data` nests deeper than MAX_JSON_DEPTH (checked before parsing it)."""
    if data.count(b"[") + data.count(b"{") <= MAX_JSON_DEPTH:  # the common case, at C speed
        return False
    brackets = np.frombuffer(_JSON_STRING.sub(b"", data).translate(None, _NOT_BRACKETS), np.uint8)
    # "[" and "{" have bit 1 set, "]" and "}" do not: +1 and -1 steps, summed piecewise.
    depth = 0
    for at in range(0, len(brackets), _READ_CHUNK):
        steps = ((brackets[at : at + _READ_CHUNK] >> 1) & 1).astype(np.int8) * 2 - 1
        levels = np.cumsum(steps, dtype=np.int32) + depth
        if int(levels.max()) > MAX_JSON_DEPTH:
            return True
        depth = int(levels[-1])
    return False


def _load_json(data: bytes) -> Any:
    """The JSON value in UTF-8 `data`; raises _Unreadable saying why there is none."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise _Unreadable(f"invalid UTF-8: at byte {e.start}") from None
    deep = f"JSON nested deeper than {MAX_JSON_DEPTH}"
    if _too_deep(data):
        raise _Unreadable(deep)
    try:
        return json.loads(text)
    except RecursionError:  # not reached below MAX_JSON_DEPTH; kept so it can never escape
        raise _Unreadable(deep) from None
    except ValueError as e:
        raise _Unreadable(f"invalid JSON: {e}") from None


def _decode_text(data: bytes) -> str:
    """A .txt file's text: UTF-16 with a BOM, else UTF-8 (with or without BOM)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:  # lone surrogates are kept here and replaced, counted, with the other fields'
            text = data.decode("utf-16", "surrogatepass")
        except UnicodeDecodeError as e:
            raise _Unreadable(f"invalid UTF-16: at byte {e.start}") from None
        if "\x00" in text[:8192]:  # UTF-32 also starts with the UTF-16 LE BOM
            raise _Unreadable("binary file, not text")
        return text
    if b"\x00" in data[:8192]:
        raise _Unreadable("binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise _Unreadable(f"invalid UTF-8: at byte {e.start}") from None


# -- records --------------------------------------------------------------------------------


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
        return f"article too large: {size:,} characters (limit {MAX_ARTICLE_BYTES:,})"
    return None


def _id_problem(doc_id: str) -> str | None:
    """Why `doc_id` cannot be an article's id (stored, shown, and opened at /articles/<id>)."""
    try:
        size = len(doc_id.encode("utf-8"))
    except UnicodeEncodeError:
        return "not valid Unicode"
    if size > MAX_ID_BYTES:
        return f"too long ({size:,} bytes; limit {MAX_ID_BYTES})"
    if not doc_id.isprintable():
        return "not printable"
    # A leading "/" makes "//" that the app redirects away; browsers resolve "." and ".."
    # segments before sending the URL.
    if doc_id.startswith("/") or any(seg in (".", "..") for seg in doc_id.split("/")):
        return "not openable by URL"
    return None


def derived_id(doc_id: str) -> str:
    """The stable id that replaces `doc_id` when it cannot be one: equal ids stay equal, so
    a later duplicate still wins and an update still replaces the record."""
    digest = hashlib.sha1(doc_id.encode("utf-8", "surrogatepass")).hexdigest()
    return DERIVED_ID_PREFIX + digest[:16]


def _preview(text: str, limit: int = 60) -> str:
    return repr(text[:limit]) + ("…" if len(text) > limit else "")


def _checked_id(doc_id: str) -> tuple[str, str | None]:
    """The id to use, and the repair note when `doc_id` had to be replaced."""
    problem = _id_problem(doc_id)
    if problem is None:
        return doc_id, None
    new = derived_id(doc_id)
    return new, f"id replaced: {problem} ({_preview(doc_id)}) → {new!r}"


_SURROGATE = re.compile("[\ud800-\udfff]")


def _repaired(values: dict[str, str | None]) -> tuple[dict[str, str | None], int, list[str]]:
    """`values` with lone surrogates (the only characters UTF-8 cannot encode) as U+FFFD, the
    number replaced, and the names of the fields that held them."""
    out: dict[str, str | None] = {}
    count = 0
    names: list[str] = []
    for key, value in values.items():
        if value and not value.isascii():
            value, n = _SURROGATE.subn("\ufffd", value)
            if n:
                count += n
                names.append(key)
        out[key] = value
    return out, count, names


def _record(
    source: str,
    line: int | None,
    fields: dict[str, str | None],
    sidecar: dict[str, str | None],
    fallback_id: str,
) -> RawRecord:
    doc_id, id_note = _checked_id(_doc_id({**fields, **sidecar}, fallback_id))
    repairs = [id_note] if id_note else []
    fields, n_fields, in_fields = _repaired(fields)
    sidecar, n_side, in_side = _repaired(sidecar)
    if n := n_fields + n_side:
        where = ", ".join(dict.fromkeys(in_fields + [f"sidecar {k}" for k in in_side]))
        plural = "s" if n != 1 else ""
        repairs.append(f"{n} unencodable character{plural} replaced ({where})")
    return RawRecord(doc_id, source, line, fields, sidecar, tuple(repairs))


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.name


# -- metadata beside .txt files -------------------------------------------------------------


@dataclass
class _Context:
    """What every reader of one read_archive call shares."""

    roots: tuple[str, ...]
    follow_links: bool
    manifests: dict[Path, dict[str, dict[str, str | None]]] = field(default_factory=dict)

    def link_out(self, path: Path) -> str | None:
        return _link_out(path, self.roots, self.follow_links)


def _manifest(folder: Path, ctx: _Context) -> Iterator[Skipped]:
    """Load folder/manifest.csv's rows into ctx once; report what could not be read."""
    if folder in ctx.manifests:
        return
    rows: dict[str, dict[str, str | None]] = {}
    ctx.manifests[folder] = rows
    path = folder / MANIFEST
    if not os.path.lexists(path):
        return
    source = display(path)
    if target := ctx.link_out(path):
        yield _refused_link(path, target, "file")
        return
    try:
        with _open(path) as fh:
            _header, table = _csv_table(fh, source)
            for _line, row in table:
                if isinstance(row, Skipped):
                    yield row
                elif name := (row.get("file") or "").strip():
                    rows[name] = {k: (v or None) for k, v in row.items() if k != "file"}
    except _Unreadable as e:
        yield Skipped(source, None, f"manifest ignored: {e}")
    except OSError as e:
        yield Skipped(source, None, f"manifest ignored: cannot read: {e.strerror or e}")


def _sidecar_object(side: Path, ctx: _Context) -> dict[str, Any]:
    """The object in NAME.json; raises _Unreadable saying why it cannot be used."""
    if target := ctx.link_out(side):
        raise _Unreadable(f"symlink outside the archive ({display(target)})")
    try:
        with _open(side) as fh:
            data = _read_capped(fh, MAX_SIDECAR_BYTES)
    except OSError as e:
        raise _Unreadable(f"cannot read: {e.strerror or e}") from None
    obj = _load_json(data)
    if not isinstance(obj, dict):
        raise _Unreadable(f"expected a JSON object, got {type(obj).__name__}")
    return obj


def _sidecar(txt: Path, ctx: _Context) -> tuple[dict[str, str | None], list[Skipped]]:
    """The metadata of `txt` from manifest.csv and NAME.json, and what could not be read."""
    problems = list(_manifest(txt.parent, ctx))
    meta = dict(ctx.manifests[txt.parent].get(txt.name, {}))
    side = txt.with_suffix(".json")
    if os.path.lexists(side):
        try:
            obj = _sidecar_object(side, ctx)
            meta.update({k: (None if v is None else str(v)) for k, v in obj.items()})
        except _Unreadable as e:
            problems.append(Skipped(display(side), None, f"sidecar ignored: {e}"))
    return {k: v for k, v in meta.items() if k in FIELDS and v}, problems


# -- one reader per format ------------------------------------------------------------------


def _read_txt(path: Path, root: Path, ctx: _Context) -> Iterator[RawRecord | Skipped]:
    source = display(path)
    with _open(path) as fh:
        data = _read_capped(fh, MAX_TEXT_FILE_BYTES)
    if not data.strip():
        raise _Unreadable("empty file")
    text = _decode_text(data)
    if not text.strip():
        raise _Unreadable("empty file")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    first = next(i for i, line in enumerate(lines) if line.strip())
    fields: dict[str, str | None] = {
        "title": lines[first].strip(),
        "body": "\n".join(lines[first + 1 :]).strip("\n"),
    }
    if reason := _check(fields):
        raise _Unreadable(reason)
    sidecar, problems = _sidecar(path, ctx)
    yield from problems
    yield _record(source, None, fields, sidecar, _relative(path, root))


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
            fields = _clean_fields(obj)
            if reason := _check(fields):
                yield Skipped(source, line, reason)
                continue
            record = _record(source, line, fields, {}, f"{rel}#{line}")
        except Exception as e:  # a bug here must cost this record only
            yield Skipped(source, line, f"unexpected error: {e!r}")
            continue
        yield record


def _json_line(source: str, line: int, raw: bytes) -> Any:
    """The object on one .jsonl line, or a Skipped saying why there is none."""
    try:
        return _load_json(raw)
    except _Unreadable as e:
        return Skipped(source, line, str(e))
    except Exception as e:  # a bug here must cost this line only
        return Skipped(source, line, f"unexpected error: {e!r}")


def _jsonl_objects(source: str, fh: io.BufferedIOBase) -> Iterator[tuple[int, Any]]:
    line = 0
    try:
        for line, raw in _units(fh, source):
            if isinstance(raw, Skipped):
                yield line, raw
            elif raw.strip():
                yield line, _json_line(source, line, raw)
    except (EOFError, zlib.error, gzip.BadGzipFile, OSError) as e:
        # A truncated or corrupt .gz: keep every record before the damage.
        yield line + 1, Skipped(source, line + 1, f"file damaged after line {line}: {e}")


def _read_jsonl(path: Path, root: Path, ctx: _Context) -> Iterator[RawRecord | Skipped]:
    source = display(path)
    gz = _suffix(path) == ".jsonl.gz"
    with _open(path) as raw, gzip.GzipFile(fileobj=raw) if gz else nullcontext(raw) as fh:
        empty = True
        objects = _jsonl_objects(source, fh)
        for item in _records_from_objects(source, _relative(path, root), objects):
            empty = False
            yield item
    if empty:
        raise _Unreadable("empty file")


def _read_json(path: Path, root: Path, ctx: _Context) -> Iterator[RawRecord | Skipped]:
    source = display(path)
    with _open(path) as fh:
        data = _read_capped(fh, MAX_JSON_FILE_BYTES)
    if not data.strip():
        raise _Unreadable("empty file")
    obj = _load_json(data)
    items = obj if isinstance(obj, list) else [obj]
    yield from _records_from_objects(source, _relative(path, root), enumerate(items, start=1))


def _csv_rows(unit: bytes, encoding: str = "utf-8") -> list[list[str]]:
    """The rows in one unit from _units (one, unless the file ends its lines with bare CR);
    raises _Unreadable saying why they cannot be read."""
    try:
        text = unit.decode(encoding)
        return [row for row in csv.reader(io.StringIO(text, newline="")) if row]
    except UnicodeDecodeError as e:
        raise _Unreadable(f"invalid UTF-8: at byte {e.start}") from None
    except csv.Error as e:
        raise _Unreadable(f"invalid CSV: {e}") from None


def _csv_table(
    fh: io.BufferedIOBase, source: str
) -> tuple[list[str], Iterator[tuple[int, dict[str, str] | Skipped]]]:
    """A CSV file's header (lower-cased), and each row after it as {column: value} with its
    first line's number, streamed row by row. Raises _Unreadable when there is no header."""
    units = _units(fh, source, csv_rows=True)
    for line, unit in units:
        if isinstance(unit, Skipped):
            raise _Unreadable(f"CSV header {unit.reason}")
        rows = _csv_rows(unit, "utf-8-sig")
        if rows:
            header = [h.strip().lower() for h in rows[0]]
            return header, _csv_body(header, [(line, row) for row in rows[1:]], units, source)
    raise _Unreadable("empty file")


def _csv_body(
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
            rows = _csv_rows(unit)
        except _Unreadable as e:
            yield line, Skipped(source, line, str(e))
            continue
        for row in rows:
            yield line, dict(zip(header, row, strict=False))


def _read_csv(path: Path, root: Path, ctx: _Context) -> Iterator[RawRecord | Skipped]:
    source = display(path)
    with _open(path) as fh:
        header, rows = _csv_table(fh, source)
        if "body" not in header and "title" not in header:
            yield Skipped(source, 1, "CSV header has neither a title nor a body column")
            return
        yield from _records_from_objects(source, _relative(path, root), rows)


_READERS = {
    ".txt": _read_txt,
    ".jsonl": _read_jsonl,
    ".jsonl.gz": _read_jsonl,
    ".json": _read_json,
    ".csv": _read_csv,
}


def _guarded(source: str, items: Iterator[RawRecord | Skipped]) -> Iterator[RawRecord | Skipped]:
    """`items`, and when reading the file fails, why (the records before it are kept)."""
    last: int | None = None
    try:
        for item in items:
            last = item.line if item.line is not None else last
            yield item
    except _Unreadable as e:
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
    paths: Iterable[Path], *, follow_links: bool = False
) -> Iterator[RawRecord | Skipped]:
    """Every article in `paths`, or why it was skipped.

    Symlinks found in a folder that lead outside the archive (the folders and files in
    `paths`) are refused unless `follow_links`.
    """
    paths = [Path(p) for p in paths]
    ctx = _Context(_roots(paths), follow_links)
    named = set(paths)
    for item in iter_files(paths, follow_links=follow_links):
        if isinstance(item, Skipped):
            yield item
            continue
        path, root = item
        kind = _suffix(path)
        if kind not in SUPPORTED:
            yield Skipped(display(path), None, f"unsupported file type {kind or '(none)'}")
            continue
        if _is_sidecar(path):
            continue
        # A file named in `paths` is read wherever it leads; a link to a device or FIFO is
        # reported as such by the reader, never opened.
        target = None if path in named else ctx.link_out(path)
        if target and not _special(target):
            yield _refused_link(path, target, "file")
            continue
        yield from _guarded(display(path), _READERS[kind](path, root, ctx))
