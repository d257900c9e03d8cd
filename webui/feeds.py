"""Any search as an Atom feed: `/feeds/search.atom?<the search's parameters>`. No account is
needed: the feed's URL is the saved search. Entries are the articles most recently added to
the index first (search.added), each with an id that never changes (a tag: URI of the
article's id), so a feed reader shows each article once however often it polls."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time
from typing import Any
from urllib.parse import quote, urlencode
from xml.etree import ElementTree as ET

from flask import Blueprint, Response, g, request
from marshmallow.validate import Range

from search.models import Hit, SearchRequest
from webui import i18n
from webui.analysis_schemas import load_args
from webui.api import service
from webui.schemas import MAX_PER_PAGE, AsciiInteger, SearchArgsSchema
from webui.views import _page_args, _query_items, _url

bp = Blueprint("feeds", __name__)

ATOM = "http://www.w3.org/2005/Atom"
TAG_DATE = "2026"  # the tag: URIs' date: when Telusur minted them (never changes)
# Characters XML 1.0 cannot hold: an article's stray control character must not break a feed.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_DNS_NAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?")


class FeedArgsSchema(SearchArgsSchema):
    per_page = AsciiInteger(
        load_default=50,
        validate=Range(min=1, max=MAX_PER_PAGE),
        metadata={"description": "Entries in the feed"},
    )


def tag_uri(specific: str) -> str:
    """A tag: URI (RFC 4151) under this server's host name."""
    host = request.host.rsplit(":", 1)[0] if not request.host.startswith("[") else ""
    authority = host if _DNS_NAME.fullmatch(host) else "telusur.invalid"
    return f"tag:{authority},{TAG_DATE}:{specific}"


def _text(value: str) -> str:
    return _NOT_XML.sub("", value)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    if text is not None:
        el.text = _text(text)
    return el


def _entry(feed: ET.Element, hit: Hit, root: str, fallback: datetime) -> None:
    entry = _sub(feed, "entry")
    _sub(entry, "id", tag_uri("article:" + quote(hit.id, safe="/:@!$&'()*+,;=-._~")))
    _sub(entry, "title", hit.title or hit.id)
    _sub(entry, "link", rel="alternate", type="text/html", href=f"{root}articles/{quote(hit.id)}")
    if hit.url and hit.url.lower().startswith(("http://", "https://")):
        _sub(entry, "link", rel="related", href=_text(hit.url))
    published = datetime.combine(hit.published, time(), UTC) if hit.published else None
    _sub(entry, "updated", _stamp(hit.added or published or fallback))
    if published:
        _sub(entry, "published", _stamp(published))
    if hit.outlet:
        _sub(_sub(entry, "author"), "name", hit.outlet)
        _sub(entry, "category", term=_text(hit.outlet))
    _sub(entry, "summary", hit.snippet, type="html")


@bp.get("/feeds/search.atom")
def search_feed() -> Any:
    req: SearchRequest = load_args(FeedArgsSchema(), _page_args(request.args))
    t = i18n.translator(getattr(g, "lang", i18n.DEFAULT_LANG))  # ?lang= or its cookie
    hits = service().newest(req, req.per_page)
    stats = service().stats()
    built = datetime.fromtimestamp(stats["built_at"], UTC)
    items = [(k, v) for k, v in _query_items(req) if k not in ("per_page", "facet_size")]
    root = request.url_root
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _sub(feed, "id", tag_uri("search?" + urlencode(items)))
    _sub(feed, "title", t("feed_title", q=req.q or t("feed_all")))
    _sub(feed, "link", rel="self", type="application/atom+xml", href=request.url)
    _sub(feed, "link", rel="alternate", type="text/html", href=root.rstrip("/") + _url(items))
    newest = max((h.added for h in hits if h.added), default=None)
    _sub(feed, "updated", _stamp(newest or built))
    _sub(_sub(feed, "author"), "name", "Telusur")
    _sub(feed, "generator", "Telusur")
    for hit in hits:
        _entry(feed, hit, root, newest or built)
    body = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return Response(body, mimetype="application/atom+xml")
