"""`telusur follow`: the feeds a user follows, read into the index through the update path
(indexer.update.update_records), once or every so often.

A feed is a URL (fetched politely, indexer.fetch) or a file. Its entries with their full text
are articles at once; an entry with only a link is an article when its page is fetched, which
only `--fetch` does, and only for links the index does not hold yet (a page is not fetched
again every run). New entries are added, changed ones replaced, unchanged ones left alone.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import secrets
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from index_format.generations import current_path, open_index
from indexer.feeds import entries, page_record, read_feed
from indexer.fetch import FetchError, PoliteFetcher
from indexer.models import RawRecord, Skipped
from indexer.sources.common import MAX_PAGE_BYTES, Unreadable, display
from indexer.sources.files import open_regular, read_capped
from indexer.sources.web import declared_charset, decode_page
from indexer.update import UpdateSummary, update_records

_HTML = ("text/html", "application/xhtml+xml")
_EVERY_RE = re.compile(r"(?i)\s*(\d+(?:\.\d+)?)\s*(s|m|h)?\s*")


@dataclass
class Gathered:
    """What the feeds gave in one run: records to update with, and what was left out."""

    items: list[RawRecord | Skipped] = field(default_factory=list)
    feeds: int = 0
    fetched: int = 0
    already: int = 0  # link-only entries the index holds: not fetched again


def parse_every(text: str) -> float:
    """Seconds in `15m`, `1h`, `90s` or `90`; raises ValueError."""
    m = _EVERY_RE.fullmatch(text)
    if m is None or float(m.group(1)) <= 0:
        raise ValueError(f"{text!r} is not a duration such as 15m, 1h or 90s")
    return float(m.group(1)) * {"s": 1, "m": 60, "h": 3600}[(m.group(2) or "s").lower()]


def held_ids(index_dir: Path, ids: Iterable[str]) -> set[str]:
    """Which of `ids` the index serving now holds (none when there is no index yet)."""
    wanted = list(ids)
    if not wanted:
        return set()
    try:
        ix = open_index(os.path.realpath(current_path(index_dir)))
    except Exception:  # no index yet: the update says so
        return set()
    try:
        with ix.searcher() as searcher:
            return {i for i in wanted if searcher.document_number(id=i) is not None}
    finally:
        ix.close()


def _load(source: str, fetcher: PoliteFetcher) -> tuple[bytes, str]:
    """A feed's bytes and content type, from its URL or its file."""
    if "://" in source:
        answer = fetcher.fetch(source)
        return answer.body, answer.content_type
    with open_regular(Path(source)) as fh:
        return read_capped(fh, MAX_PAGE_BYTES), ""


def _fetch_page(record: RawRecord, link: str, fetcher: PoliteFetcher) -> RawRecord | Skipped:
    try:
        answer = fetcher.fetch(link)
        mime = answer.content_type.split(";")[0].strip().lower()
        if mime not in _HTML:
            raise FetchError(f"not an HTML page: {mime or 'no content type'} {link}")
        html, note = decode_page(answer.body, declared_charset(answer.body, answer.content_type))
    except (FetchError, Unreadable) as e:
        return Skipped(record.source, record.line, str(e))
    page = page_record(record, html, answer.url)
    return RawRecord(page.doc_id, page.source, page.line, page.fields, {}, (note,) if note else ())


def gather(
    sources: Iterable[str],
    *,
    fetch_pages: bool,
    fetcher: PoliteFetcher,
    held: Callable[[list[str]], set[str]] = lambda _ids: set(),
) -> Gathered:
    """Every feed's entries as records (link-only ones fetched with `fetch_pages`, unless
    `held` says the index holds them already), and why the others are not."""
    out = Gathered()
    links: list[tuple[RawRecord, str]] = []
    for source in sources:
        name = source if "://" in source else display(source)
        try:
            data, content_type = _load(source, fetcher)
            feed = read_feed(data, name, content_type)
        except (FetchError, Unreadable, OSError) as e:
            out.items.append(Skipped(name, None, str(getattr(e, "strerror", None) or e)))
            continue
        out.feeds += 1
        out.items.extend(entries(feed))
        links += feed.links
    indexed = held([record.doc_id for record, _ in links]) if fetch_pages else set()
    for record, link in links:
        if not fetch_pages:
            why = f"link only: its page is read with --fetch ({link})"
            out.items.append(Skipped(record.source, record.line, why))
        elif record.doc_id in indexed:
            out.already += 1
        else:
            out.items.append(_fetch_page(record, link, fetcher))
            out.fetched += isinstance(out.items[-1], RawRecord)
    return out


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _page_warc(url: str, html: str) -> bytes:
    """One fetched page as a WARC response record: read back with the same url and id."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    body = html.encode("utf-8")
    http = StatusAndHeaders(
        "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
    )
    writer.write_record(
        writer.create_warc_record(
            url, "response", payload=io.BytesIO(body), length=len(body), http_headers=http
        )
    )
    return out.getvalue()


def save(records: Iterable[RawRecord], folder: Path) -> list[Path]:
    """Keep each record in `folder` as a file a rebuild reads back with the same id: an
    entry's text as HOST/NAME.json, a fetched page as HOST/NAME.warc.gz (NAME from the id,
    so a changed entry replaces its file)."""
    written = []
    for record in records:
        fields = record.fields
        host = urlsplit(str(fields.get("url") or "")).hostname or "feed"
        name = hashlib.sha1(record.doc_id.encode("utf-8", "replace")).hexdigest()[:16]
        if fields.get("html") is not None:
            path = folder / host / f"{name}.warc.gz"
            _write_atomically(path, _page_warc(record.doc_id, str(fields["html"])))
        else:
            keep = {k: fields.get(k) for k in ("url", "title", "published", "body")}
            keep.update(id=record.doc_id, outlet=fields.get("site_name"))
            path = folder / host / f"{name}.json"
            _write_atomically(path, json.dumps(keep, ensure_ascii=False, indent=1).encode())
        written.append(path)
    return written


def follow_once(
    sources: Iterable[str],
    index_dir: Path,
    *,
    fetch_pages: bool = False,
    fetcher: PoliteFetcher | None = None,
    save_to: Path | None = None,
    **update_options: Any,
) -> tuple[Gathered, UpdateSummary]:
    """Read the feeds once and update the index with their new and changed entries; with
    `save_to`, keep those entries there too. Raises as update_records does (no index,
    another update holding the lock too long)."""
    gathered = gather(
        list(sources),
        fetch_pages=fetch_pages,
        fetcher=fetcher or PoliteFetcher(),
        held=lambda ids: held_ids(index_dir, ids),
    )
    summary = update_records(
        lambda: iter(gathered.items), index_dir, command="follow", **update_options
    )
    if save_to is not None:
        changed = set(summary.changed_ids)
        save(
            (r for r in gathered.items if isinstance(r, RawRecord) and r.doc_id in changed), save_to
        )
    return gathered, summary


def every(
    seconds: float,
    run: Callable[[], None],
    *,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
    runs: int | None = None,
) -> None:
    """`run()` now and then every `seconds` (from the start of one run to the next), in the
    foreground, until interrupted (or `runs` times)."""
    done = 0
    while runs is None or done < runs:
        started = clock()
        run()
        done += 1
        if runs is None or done < runs:
            sleep(max(0.0, started + seconds - clock()))
