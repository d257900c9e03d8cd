"""A saved web page → the fields of an article: main text and title (trafilatura), the
publication date from the page's metadata (JSON-LD, meta tags, <time>; htmldate for the rest),
the site's name and the page's canonical URL. Each field says where it was found.

This is the costly part of reading a page (6-8 ms a page), so it runs in the build workers
(indexer.extract), not in the archive reader: the reader only carries the decoded page.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml.html import HtmlElement

from indexer.dates import parse_date, safe_date

# trafilatura and htmldate are imported where a page is read (0.1 s of CPU that a rebuild of
# JSON Lines or text never needs). They log every page they find too short or undated; the
# build report says what matters, once per article.
for _name in ("trafilatura", "htmldate", "courlan"):
    logging.getLogger(_name).setLevel(logging.CRITICAL)

# Dates before the web are mis-parsed numbers, not publication dates.
MIN_DATE = date(1995, 1, 1)
# Main text needs one sentence of this many words: a list of links is no article.
MIN_SENTENCE_WORDS = 8
_SENTENCE_END = re.compile(r"[.!?][\"”’)]?(?:\s|,|$)")
# JSON-LD blocks larger than this are data dumps, not an article's description.
MAX_JSON_LD = 1_000_000

# Meta tags that name the publication time, in the order they are trusted; lowercased names
# (property=, name= or itemprop=): Open Graph's, schema.org's, detik's, Parse.ly's,
# Sailthru's, Dublin Core's. htmldate knows more (page_date).
_PUBLISHED_META = (
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "article:published",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "dtk:publishdate",
    "content_publisheddate",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "date",
)
_NUMERIC_DAY = re.compile(r"((?:19|20)\d\d)[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")
_ARTICLE_TYPES = re.compile(r"(?i)article|posting|report|blog|webpage")
_SEPARATORS = " -–—|:•»"


class NotAnArticle(Exception):
    """A page that holds no article (no main text): it is skipped with this reason."""


@dataclass
class Page:
    """What a page says about its article; `found` says where each field came from."""

    title: str | None = None
    body: str = ""
    url: str | None = None
    site_name: str | None = None
    published: date | None = None
    found: dict[str, str] = field(default_factory=dict)


def _meta(tree: HtmlElement) -> dict[str, str]:
    """The page's meta tags, {lowercased property, name or itemprop: content}; first wins."""
    out: dict[str, str] = {}
    for elem in tree.iterfind(".//meta"):
        content = elem.get("content")
        if content is None or not content.strip():
            continue
        for attr in ("property", "name", "itemprop"):
            key = (elem.get(attr) or "").strip().lower()
            if key:
                out.setdefault(key, content.strip())
    return out


def _json_ld(tree: HtmlElement) -> Iterator[dict[str, Any]]:
    """The objects of the page's JSON-LD blocks, @graph and lists flattened; broken blocks
    are passed over."""
    for script in tree.iterfind(".//script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        text = script.text or ""
        if len(text) > MAX_JSON_LD:
            continue
        try:
            data = json.loads(text)
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                stack.extend(v for k, v in item.items() if k == "@graph")
                yield item


def _is_article(obj: dict[str, Any]) -> bool:
    kinds = obj.get("@type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    return any(isinstance(k, str) and _ARTICLE_TYPES.search(k) for k in kinds)


def _text(value: Any) -> str | None:
    """A JSON-LD value as one line of text ({"name": …} objects give their name)."""
    if isinstance(value, dict):
        value = value.get("name")
    if isinstance(value, list) and value:
        return _text(value[0])
    if isinstance(value, str) and value.strip():
        return " ".join(value.split())
    return None


def _element_text(tree: HtmlElement, path: str) -> str | None:
    elem = tree.find(path)
    if elem is None:
        return None
    text = " ".join(elem.text_content().split())
    return text or None


def _absolute(href: str | None, base: str | None) -> str | None:
    """`href` as an absolute http(s) URL, resolved against `base`; None if it is not one."""
    if not href or not href.strip():
        return None
    url = urljoin(base or "", href.strip())
    return url if urlsplit(url).scheme in ("http", "https") and urlsplit(url).netloc else None


def _canonical(
    tree: HtmlElement, meta: dict[str, str], known: str | None
) -> tuple[str | None, str]:
    for link in tree.iterfind(".//link"):
        rels = (link.get("rel") or "").lower().split()
        if "canonical" in rels and (url := _absolute(link.get("href"), known)):
            return url, "canonical link"
    if url := _absolute(meta.get("og:url"), known):
        return url, "og:url"
    return None, ""


def _published_candidates(
    tree: HtmlElement, meta: dict[str, str], ld: list[dict[str, Any]]
) -> Iterator[tuple[str, str | None]]:
    """Where the page names its publication date, most trusted first: (where, as written)."""
    for obj in ld:
        if _is_article(obj) and isinstance(obj.get("datePublished"), str):
            yield "JSON-LD datePublished", obj["datePublished"]
    for name in _PUBLISHED_META:
        if name in meta:
            yield f"<meta {name}>", meta[name]
    for elem in tree.iterfind(".//time"):
        marked = (
            elem.get("pubdate") is not None
            or (elem.get("itemprop") or "").lower() == "datepublished"
            or re.search(r"(?i)publish|entry-date", elem.get("class") or "")
        )
        if marked:
            yield "<time>", elem.get("datetime") or elem.text_content()
    # A byline's <time> comes before the text; those of related articles come after it.
    for elem in tree.iter("time", "p"):
        if elem.tag == "p" and len(elem.text_content().split()) >= MIN_SENTENCE_WORDS:
            break
        if elem.tag == "time" and elem.get("datetime"):
            yield "<time> before the text", elem.get("datetime")
            break


def _day_of(value: str | None) -> date | None:
    """The day a metadata value names: ISO, `2025/10/02`, or as indexer.dates reads it."""
    if m := _NUMERIC_DAY.match((value or "").strip()):
        return safe_date(int(m[1]), int(m[2]), int(m[3]))
    return parse_date(value)


def _meta_dates(tree: HtmlElement) -> Iterator[tuple[str, date]]:
    """Every date written in a meta tag's content: what may back htmldate's answer (not a
    <time> of the page: those of related articles are dates too)."""
    for elem in tree.iterfind(".//meta"):
        name = elem.get("property") or elem.get("name") or elem.get("itemprop") or ""
        if "copyright" in name.lower():  # a copyright year is no publication day
            continue
        if (day := _day_of(elem.get("content"))) is not None:
            yield f"<meta {name.lower()}>", day


def page_date(
    tree: HtmlElement, meta: dict[str, str], ld: list[dict[str, Any]], today: date
) -> tuple[date, str] | None:
    """The publication date the page's metadata gives, and where, or None.

    The named places first (JSON-LD datePublished, article:published_time and its kin, a
    <time> marked as the publication's, else one before the text); then htmldate, which
    knows many more meta tags, but only for a date a meta tag carries: past them htmldate
    reads the page's other <time>s, its text and a copyright year, and dating from the text
    is Telusur's own job (indexer.date_choice).
    """
    for where, written in _published_candidates(tree, meta, ld):
        day = _day_of(written)
        if day is not None and MIN_DATE <= day <= today:
            return day, where
    import htmldate

    found = htmldate.find_date(
        tree,
        extensive_search=False,
        original_date=True,
        url="",  # a date in the URL is read by date_choice, and said to come from there
        min_date=MIN_DATE.isoformat(),
        max_date=today.isoformat(),
    )
    if not found:
        return None
    day = date.fromisoformat(found)
    backed = next((w for w, d in _meta_dates(tree) if d == day), None)
    return (day, f"htmldate: {backed}") if backed else None


def _strip_site(title: str, site: str | None) -> str:
    """ "Judul - Kabar Nusantara" → "Judul" when the site's name ends the title."""
    if site and title.lower().endswith(site.lower()):
        cut = title[: -len(site)].rstrip()
        if cut and cut[-1] in _SEPARATORS and cut.rstrip(_SEPARATORS).strip():
            return cut.rstrip(_SEPARATORS).strip()
    return title


def _title(
    tree: HtmlElement, meta: dict[str, str], article: dict[str, Any] | None
) -> tuple[str | None, str]:
    candidates = (
        ("og:title", meta.get("og:title")),
        ("JSON-LD headline", _text(article.get("headline")) if article else None),
        ("<h1>", _element_text(tree, ".//h1")),
        ("<title>", _element_text(tree, ".//title")),
    )
    for where, value in candidates:
        if value:
            return " ".join(value.split()), where
    return None, ""


def main_text(tree: HtmlElement, url: str | None) -> str:
    """The page's main text, one paragraph a line (trafilatura); "" when it finds none."""
    import trafilatura

    text = trafilatura.extract(
        tree,
        url=url,
        output_format="txt",
        include_comments=False,
        include_images=False,
        include_links=False,
        include_tables=True,
        with_metadata=False,
        deduplicate=False,
    )
    return text or ""


def read_page(html: str, url: str | None, today: date) -> Page:
    """The article on the page `html` (fetched from `url`, when known).

    Raises NotAnArticle when it is not a page, or trafilatura finds no main text on it.
    """
    import trafilatura

    tree = trafilatura.load_html(html)
    if tree is None:
        raise NotAnArticle("not an HTML page")
    meta = _meta(tree)
    ld = list(_json_ld(tree))
    article = next((obj for obj in ld if _is_article(obj)), None)
    page = Page()
    # The address it was fetched from (a WARC's target URI, a feed's link) is its URL; a
    # saved page names its own.
    page.url, how = (url, "address") if url else _canonical(tree, meta, None)
    if page.url:
        page.found["url"] = how
    publisher = article.get("publisher") if article else None
    names = (("og:site_name", meta.get("og:site_name")), ("JSON-LD publisher", _text(publisher)))
    for where, name in names:
        if name:
            page.site_name, page.found["site_name"] = " ".join(name.split()), where
            break
    title, where = _title(tree, meta, article)
    if title:
        page.title, page.found["title"] = _strip_site(title, page.site_name), where
    if (dated := page_date(tree, meta, ld, today)) is not None:
        page.published, page.found["published"] = dated
    lines = main_text(tree, page.url).split("\n")
    if page.title and lines and " ".join(lines[0].split()) == page.title:
        lines = lines[1:]  # trafilatura keeps the headline as the text's first line
    page.body = "\n".join(lines).strip()
    if not any(len(x.split()) >= MIN_SENTENCE_WORDS and _SENTENCE_END.search(x) for x in lines):
        raise NotAnArticle("no main text: not one sentence found on the page")
    page.found["body"] = "trafilatura"
    return page
