"""Web pages as people keep them: saved pages (.html, .htm, .html.gz) and web archives (.warc,
.warc.gz, streamed with warcio, one record at a time).

The reader only reads and decodes: each page becomes a record whose `html` field holds the
page's text, and whose `url` is the address it was captured from (a WARC's target URI).
Extraction (trafilatura, htmldate) runs later, in the build workers (indexer.html). Pages are
decoded here, so a page whose declared charset lies is repaired, and says so, in one place.
"""

from __future__ import annotations

import codecs
import gzip
import re
import zlib
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from indexer.models import RawRecord, Skipped
from indexer.sources.common import (
    MAX_PAGE_BYTES,
    MAX_WARC_BYTES,
    Unreadable,
    display,
    suffix,
)
from indexer.sources.files import open_regular, read_capped
from indexer.sources.records import record_of, relative_id
from indexer.sources.sidecars import ReadContext

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.I
)
_CHARSET_PARAM = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.I)
# Browsers read these labels as Windows-1252 (the WHATWG encoding standard), and so do we.
_AS_1252 = frozenset({"latin-1", "iso8859-1", "ascii", "cp1252"})


def _codec(label: str | None) -> str | None:
    """The Python codec for a declared charset label; None when unknown or none."""
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip()).name
    except LookupError:
        return None
    return "cp1252" if name in _AS_1252 else name


def declared_charset(data: bytes, header: str | None = None) -> str | None:
    """The charset the HTTP header's Content-Type names, else the page's <meta>."""
    if header and (m := _CHARSET_PARAM.search(header)):
        return m.group(1)
    if meta := _META_CHARSET.search(data[:4096]):
        return meta.group(1).decode("ascii")
    return None


def decode_page(data: bytes, declared: str | None) -> tuple[str, str | None]:
    """A page's text, and the repair note when its bytes are not what it declares.

    A page declared (or assumed) UTF-8 whose bytes are not is read as Windows-1252, the usual
    truth behind that lie; a page no charset reads strictly keeps its readable characters
    and counts the replaced ones. Raises Unreadable for binary data."""
    if data.startswith(codecs.BOM_UTF8):
        data, declared = data[3:], "utf-8"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), None
        except UnicodeDecodeError as e:
            raise Unreadable(f"invalid UTF-16: at byte {e.start}") from None
    if b"\x00" in data[:8192]:
        raise Unreadable("binary file, not text")
    codec = _codec(declared) or "utf-8"
    label = declared or "none"
    try:
        return data.decode(codec), None
    except UnicodeDecodeError:
        pass
    if codec == "utf-8":
        try:
            text = data.decode("cp1252")
            return text, f"charset: declared {label} but the bytes are Windows-1252; read as such"
        except UnicodeDecodeError:
            pass
    text = data.decode(codec, "replace")
    return (
        text,
        f"charset: {text.count(chr(0xFFFD)):,} bytes not {codec} (declared {label}) replaced",
    )


def _page_record(
    source: str,
    line: int | None,
    data: bytes,
    url: str | None,
    fallback_id: str,
    content_type: str | None = None,
    captured: str | None = None,
) -> RawRecord:
    if not data.strip():
        raise Unreadable("empty page")
    text, note = decode_page(data, declared_charset(data, content_type))
    fields = {"html": text, "url": url, "captured": captured}
    record = record_of(source, line, fields, {}, fallback_id)
    return replace(record, repairs=(*record.repairs, note)) if note else record


def _too_large(size: int | str) -> Unreadable:
    return Unreadable(f"page too large: {size} bytes (limit {MAX_PAGE_BYTES:,})")


def read_html(path: Path, root: Path, ctx: ReadContext) -> Iterator[RawRecord | Skipped]:
    """A saved page: one article, whose id is its path in the archive (like a .txt's)."""
    source = display(path)
    with open_regular(path) as fh:
        if suffix(path).endswith(".gz"):
            try:
                data = gzip.GzipFile(fileobj=fh).read(MAX_PAGE_BYTES + 1)
            except (EOFError, zlib.error, gzip.BadGzipFile) as e:
                raise Unreadable(f"damaged gzip file: {e}") from None
            if len(data) > MAX_PAGE_BYTES:
                raise _too_large(f"over {MAX_PAGE_BYTES:,} after decompression")
        else:
            try:
                data = read_capped(fh, MAX_PAGE_BYTES)
            except Unreadable as e:
                raise Unreadable(str(e).replace("file too large", "page too large")) from None
    yield _page_record(source, None, data, None, relative_id(path, root))


def _warc_item(rec: Any, source: str, n: int, rel: str) -> RawRecord | Skipped | None:
    """One WARC record as a page, a reason it is none, or None for records that hold no page
    by design (warcinfo, request, metadata)."""
    kind = rec.rec_type
    uri = rec.rec_headers.get_header("WARC-Target-URI") or ""
    if kind == "revisit":
        return Skipped(source, n, f"revisit (captured before, not indexed twice): {uri}")
    if kind != "response":
        return None
    if rec.http_headers is None:
        return Skipped(source, n, f"not an HTTP response: {uri}")
    status = rec.http_headers.get_statuscode()
    if status != "200":
        return Skipped(source, n, f"HTTP status {status}: {uri}")
    content_type = rec.http_headers.get_header("Content-Type") or ""
    mime = content_type.split(";")[0].strip().lower()
    if mime not in _HTML_TYPES:
        return Skipped(source, n, f"not an HTML page: {mime or 'no content type'} {uri}")
    data = rec.content_stream().read(MAX_PAGE_BYTES + 1)  # undoes chunking and gzip
    try:
        if len(data) > MAX_PAGE_BYTES:
            raise _too_large(f"over {MAX_PAGE_BYTES:,}")
        if (missing := getattr(rec.raw_stream, "limit", 0)) > 0:  # the file ended inside it
            raise Unreadable(f"file damaged: record cut short, {missing:,} bytes missing")
        captured = rec.rec_headers.get_header("WARC-Date")
        return _page_record(source, n, data, uri or None, f"{rel}#{n}", content_type, captured)
    except Unreadable as e:
        return Skipped(source, n, f"{e} ({uri})")


def read_warc(path: Path, root: Path, ctx: ReadContext) -> Iterator[RawRecord | Skipped]:
    """Each HTML page a web archive captured with status 200, streamed record by record: a
    WARC of any size costs one page of memory. Its line is the record's number."""
    source = display(path)
    rel = relative_id(path, root)
    n = total = 0
    with open_regular(path) as fh:
        try:
            for rec in ArchiveIterator(fh):
                n += 1
                if n == 1 and rec.format != "warc":  # warcio reads other text as old ARC
                    raise Unreadable("not a WARC file: no WARC record at its start")
                # Each record's declared length is what reading past it costs: bounded in all.
                total += int(rec.rec_headers.get_header("Content-Length") or 0)
                if total > MAX_WARC_BYTES:
                    yield Skipped(
                        source,
                        n,
                        f"file too large: stopped at record {n:,} after {MAX_WARC_BYTES:,} "
                        "bytes (the records before it were read)",
                    )
                    return
                if (item := _warc_item(rec, source, n, rel)) is not None:
                    yield item
        except (ArchiveLoadFailed, EOFError, zlib.error, gzip.BadGzipFile, ValueError) as e:
            # A truncated or damaged WARC: keep every record before the damage.
            if n == 0:
                raise Unreadable(f"not a WARC file: {e}") from None
            yield Skipped(source, n + 1, f"file damaged after record {n}: {e}")
