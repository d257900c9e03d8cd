"""RSS and Atom feeds (feedparser) → records: an entry with its full text becomes an article; an
entry with only a link becomes one when its page is fetched (`telusur follow --fetch`).

An entry's id is its link (the address a WARC or a saved page of the same article has), else
its guid. Its date is the feed's own, read in the feed's time zone: feedparser's parsed dates
are in UTC, which puts an article published at 06:00 WIB on the day before.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import feedparser
import lxml.html

from indexer.dates import parse_date
from indexer.models import RawRecord, Skipped
from indexer.sources.common import Unreadable
from indexer.sources.records import check_fields, record_of

# Elements after which the text of an entry's content starts a new paragraph.
_BLOCKS = ("p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "br")
# What feedparser notes but reads correctly: a charset the HTTP header and the XML disagree on.
_BENIGN = (feedparser.CharacterEncodingOverride,)
_TITLE_TAIL = re.compile(r"\s+[-–—|:]\s+.*$")


@dataclass
class Feed:
    """What one feed holds: its articles, its entries that have only a link (and the url to
    fetch for each), and what could not be read."""

    source: str
    title: str | None = None
    records: list[RawRecord] = field(default_factory=list)
    links: list[tuple[RawRecord, str]] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def entry_date(entry: Any) -> date | None:
    """The entry's publication date in the feed's own time zone (RFC 822 or RFC 3339)."""
    written = entry.get("published")
    if not isinstance(written, str) or not written.strip():
        return None
    try:
        return parsedate_to_datetime(written).date()
    except (TypeError, ValueError, IndexError):
        pass
    try:
        return datetime.fromisoformat(written.strip()).date()
    except ValueError:
        return parse_date(written)


def text_of(fragment: str) -> str:
    """An entry's HTML content as text, one paragraph a line."""
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except Exception:  # lxml refuses some fragments (only a comment, control characters)
        return " ".join(fragment.split())
    for elem in root.iter("script", "style"):
        elem.drop_tree()
    for elem in root.iter(*_BLOCKS):
        elem.tail = "\n" + (elem.tail or "")
        if elem.tag != "br":
            elem.text = "\n" + (elem.text or "")
    lines = (" ".join(line.split()) for line in root.text_content().split("\n"))
    return "\n".join(line for line in lines if line)


def site_name(feed_title: str | None) -> str | None:
    """ "Kabar Nusantara - Berita Terkini" → "Kabar Nusantara": the outlet a feed's title names."""
    if not feed_title or not feed_title.strip():
        return None
    return _TITLE_TAIL.sub("", " ".join(feed_title.split())) or None


def _content(entry: Any) -> str:
    """The entry's full text (RSS content:encoded, Atom content), or "" when it has only a
    summary."""
    parts = [c.get("value") or "" for c in entry.get("content") or []]
    return text_of("\n".join(parts)) if any(p.strip() for p in parts) else ""


def _entry(feed: Feed, n: int, entry: Any) -> None:
    link = (entry.get("link") or "").strip() or None
    published = entry_date(entry)
    fields: dict[str, str | None] = {
        "id": link or (entry.get("id") or "").strip() or None,
        "url": link,
        "title": " ".join((entry.get("title") or "").split()) or None,
        "published": published.isoformat() if published else None,
        "site_name": site_name(feed.title),
    }
    body = _content(entry)
    if not fields["id"]:
        feed.skipped.append(Skipped(feed.source, n, "feed entry without a link or an id"))
        return
    if not body:
        record = record_of(feed.source, n, fields, {}, str(fields["id"]))
        if link:
            feed.links.append((record, link))
        else:
            feed.skipped.append(Skipped(feed.source, n, "feed entry without text or a link"))
        return
    fields["body"] = body
    if reason := check_fields(fields):
        feed.skipped.append(Skipped(feed.source, n, reason))
        return
    feed.records.append(record_of(feed.source, n, fields, {}, str(fields["id"])))


def read_feed(data: bytes, source: str, content_type: str = "") -> Feed:
    """The entries of the feed in `data` (from `source`, a URL or a file); raises Unreadable
    when it is no feed."""
    headers = {"content-location": source} if "://" in source else {}
    if content_type:
        headers["content-type"] = content_type
    parsed = feedparser.parse(io.BytesIO(data), response_headers=headers)
    if not parsed.entries:
        if not parsed.get("version"):
            raise Unreadable("not an RSS or Atom feed")
        if (problem := parsed.get("bozo_exception")) is not None:
            raise Unreadable(f"malformed feed: {problem}")
    feed = Feed(source, parsed.feed.get("title"))
    if parsed.get("bozo") and not isinstance(parsed.get("bozo_exception"), _BENIGN):
        why = f"malformed feed: {parsed.get('bozo_exception')} (its entries read as far as it goes)"
        feed.skipped.append(Skipped(source, None, why))
    for n, entry in enumerate(parsed.entries, start=1):
        try:
            _entry(feed, n, entry)
        except Exception as e:  # a bug here must cost this entry only
            feed.skipped.append(Skipped(source, n, f"unexpected error: {e!r}"))
    return feed


def page_record(record: RawRecord, html: str, url: str) -> RawRecord:
    """A link-only entry's record with its fetched page (decoded), which the build reads
    (indexer.html); the entry's title and date fill what the page leaves out."""
    fields = {**record.fields, "html": html, "url": url}
    return RawRecord(record.doc_id, record.source, record.line, fields, {}, record.repairs)


def entries(feed: Feed) -> Iterator[RawRecord | Skipped]:
    yield from feed.skipped
    yield from feed.records
