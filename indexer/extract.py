"""Raw record → Article: title, outlet, publication date and a clean body.

Metadata (the record's own fields, and over them the sidecar's) wins; what it leaves out is
read from the text:
- outlet: record metadata, then the URL's domain, then the dateline ("KONTAN.CO.ID - NUR-SULTAN.",
  "MATA INDONESIA, ALMATY –"), then a self-reference ("Follow Berita WowKeren.com di Google News").
  A quoted source ("seperti dikutip Reuters") is never the publisher: agencies are not matched,
  and outlet names count only in those positions.
- published: the metadata's, else indexer.date_choice.choose_date (text, URL, file name, and
  the archive's years passed in as `dates`).
- body: boilerplate paragraphs out (indexer.boilerplate), the outlet's dateline cut from the start.
`extract_article` never drops an article: what cannot be read stays None/"none". A web page
(`html` in the record's fields) is first read by indexer.html: its metadata date comes before
any inference, its site name (og:site_name) before the URL when the registry knows it; a page
without main text raises NotAnArticle, the one thing that is not an article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache

from indexer.boilerplate import clean_paragraphs, normalise, split_paragraphs
from indexer.date_choice import choose_date
from indexer.date_evidence import ArchiveDates
from indexer.dates import parse_date
from indexer.html import NotAnArticle, Page, read_page
from indexer.models import Article, DateSource, RawRecord
from indexer.outlets import Outlet, OutletRegistry, load_registry
from indexer.sources.common import MAX_ARTICLE_BYTES

__all__ = [
    "Dateline",
    "NotAnArticle",
    "extract_article",
    "find_dateline",
    "strip_title_suffix",
]

# How far into the body a dateline may appear: after a photo credit, a section label, a
# caption or a lead paragraph, but not in the middle of the article.
DATELINE_SEARCH_UNITS = 6
TITLE_MAX = 300

_SELF_REFERENCE_RE = re.compile(
    r"(?:follow|ikuti)\b.{0,100}\bgoogle\s+news\b.{0,20}"
    r"|(?:simak|dapatkan)\s+(?:update\s+|info\s+)?(?:berita|artikel|informasi)\b.{0,200}"
    r"|(?:download|unduh)\s+aplikasi\b.{0,150}"
    r"|(?:copyright\b|hak\s+cipta\b|©).{0,150}",
    re.IGNORECASE,
)
_HALAMAN_SUFFIX_RE = re.compile(r"\s*[-–—|]?\s*halaman\s+(?:all|semua|\d+)\s*$", re.IGNORECASE)
_TITLE_SUFFIX_RE = re.compile(r"\s+[-–—|:•]\s+(?P<outlet>[^-–—|:•]{2,60})$")


@dataclass(frozen=True)
class Dateline:
    outlet: Outlet
    text: str  # the dateline as written, e.g. "KONTAN.CO.ID - NUR-SULTAN."
    rest: str  # the paragraph after it


@lru_cache(maxsize=8)
def _dateline_re(registry: OutletRegistry) -> re.Pattern[str]:
    pub = registry.publisher_pattern
    city = r"[A-Z][\w.'’ -]{0,30}?"
    return re.compile(
        rf"""
        (?:(?P<city1>{city})\s*,\s*)?                          # JAKARTA, KOMPAS.com -
        (?:{city}\s*\(\s*(?P<a2>{pub})\s*\)                     # Jakarta (Kontan) -
          |\(?(?P<a1>{pub})\)?)                                 # KONTAN.CO.ID -
        (?:\s*,\s*{city})?                                      # MATA INDONESIA, ALMATY –
        (?:\s*[-–—]{{1,2}}\s+|\s+[-–—]{{1,2}}\s*|\s*[-–—]{{1,2}}(?=[A-Z"“])|\s*[:|]\s+)
        (?:[A-Z][A-Z'’ -]*[A-Z]\.\s+)?                          # - NUR-SULTAN. Presiden
        """,
        re.VERBOSE,
    )


# Every separator _dateline_re ends a dateline with holds one of these: a paragraph without
# any has no dateline (most paragraphs, and a tenth of the cost of a match attempt).
DATELINE_SEPARATORS = "-–—:|"


def find_dateline(paragraph: str, registry: OutletRegistry) -> Dateline | None:
    """The outlet's dateline at the start of `paragraph`, if there is one and text follows it."""
    if not any(c in paragraph for c in DATELINE_SEPARATORS):
        return None
    m = _dateline_re(registry).match(paragraph)
    if m is None:
        return None
    outlet = registry.lookup(m.group("a1") or m.group("a2") or "")
    rest = paragraph[m.end() :].strip()
    if outlet is None or outlet.is_agency or not rest:
        return None
    return Dateline(outlet, paragraph[: m.end()].strip(), rest)


def strip_title_suffix(title: str, registry: OutletRegistry) -> str:
    """ "Judul - Kompas.com" → "Judul"; "Judul | Tempo.co" → "Judul"; "… - Halaman all" too."""
    title = _HALAMAN_SUFFIX_RE.sub("", title)
    m = _TITLE_SUFFIX_RE.search(title)
    if m and registry.lookup(m.group("outlet").strip()) is not None:
        title = title[: m.start()]
    return title.strip()


def _one_line(text: str) -> str:
    return " ".join(normalise(text).split())


def _fallback_title(paragraphs: list[str]) -> str:
    if not paragraphs:
        return ""
    first = paragraphs[0]
    if len(first) <= 120:
        return first
    cut = first[:120].rsplit(" ", 1)[0]
    return cut + "…"


def _self_reference(units: list[str], registry: OutletRegistry) -> Outlet | None:
    for unit in units:
        if len(unit) > 300:
            continue
        m = _SELF_REFERENCE_RE.fullmatch(unit)
        if m is None:
            continue
        found = registry.find_publisher(unit)
        if found is not None:
            return found[0]
    return None


def _field(fields: dict[str, str | None], name: str) -> str | None:
    value = fields.get(name)
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def extract_article(
    record: RawRecord,
    *,
    today: date | None = None,
    registry: OutletRegistry | None = None,
    dates: ArchiveDates | None = None,
) -> Article:
    """Build an Article from a raw record; fields in `record.sidecar` win over inference.

    `today` is the ingestion date (default: today): no publication date after it is accepted.
    `dates` is what the archive and the user say about its dates (the years its articles
    state, --dates-between), which partial dates need for their year. `registry` defaults to
    the packaged one. A record that cannot be interpreted still becomes an Article; only a
    web page without an article raises NotAnArticle (the reason to report).
    """
    today = today or date.today()
    # A page captured by a crawler (a WARC's WARC-Date) was published by then: no later date.
    if (captured := parse_date(record.fields.get("captured"))) is not None:
        today = min(today, captured)
    page = None
    if record.fields.get("html") is not None:
        page, record = _read_page(record, today)
    try:
        return _extract(record, today, registry or load_registry(), dates, page)
    except Exception:
        fields = {**record.fields, **{k: v for k, v in record.sidecar.items() if v}}
        return Article(
            id=record.doc_id,
            title=_one_line(str(fields.get("title") or ""))[:TITLE_MAX],
            body=normalise(str(fields.get("body") or "")).strip(),
        )


def _read_page(record: RawRecord, today: date) -> tuple[Page, RawRecord]:
    """The page in `record` read (indexer.html), and the record with the fields it gave; the
    record's own fields (a feed's title and date) fill what the page leaves out."""
    try:
        page = read_page(str(record.fields["html"]), _field(record.fields, "url"), today)
    except NotAnArticle:
        raise
    except Exception as e:  # a bug in a parser costs this page, with its reason
        raise NotAnArticle(f"page cannot be read: {e!r}") from e
    if (size := len(page.body) + len(page.title or "")) > MAX_ARTICLE_BYTES:
        raise NotAnArticle(f"article too large: {size:,} characters (limit {MAX_ARTICLE_BYTES:,})")
    fields = {k: v for k, v in record.fields.items() if k != "html"}
    own = {"title": page.title, "body": page.body, "url": page.url}
    own["published"] = page.published.isoformat() if page.published else None
    fields.update({k: v for k, v in own.items() if v})
    return page, replace(record, fields=fields)


def _outlet(
    fields: dict[str, str | None],
    registry: OutletRegistry,
    url: str | None,
    dateline: Dateline | None,
    units: list[str],
    page: Page | None,
) -> tuple[str | None, str]:
    """The outlet and how it was found, in order of trust: the record's metadata, a page's
    (or a feed's) site name the registry knows, the URL, the dateline, a self-reference, and
    last that site name as it is written."""
    site, how = _field(fields, "site_name"), "feed title"  # the feed's, for its entries
    if page is not None and page.site_name:
        site, how = page.site_name, page.found.get("site_name", "")
    known = registry.lookup(site)
    if meta_outlet := registry.canonical(_field(fields, "outlet")):
        return meta_outlet, "metadata"
    if known is not None and not known.is_agency:
        return known.name, how
    if (by_url := registry.from_url(url)) is not None:
        return by_url.name, "url"
    if dateline is not None:
        return dateline.outlet.name, "dateline"
    if (by_ref := _self_reference(units, registry)) is not None:
        return by_ref.name, "self-reference"
    if site:
        return site, how
    return None, "none"


def _extract(
    record: RawRecord,
    today: date,
    registry: OutletRegistry,
    dates: ArchiveDates | None,
    page: Page | None = None,
) -> Article:
    fields = {**record.fields, **{k: v for k, v in record.sidecar.items() if v and v.strip()}}
    url = _field(fields, "url")
    title = _one_line(fields.get("title") or "")
    units = split_paragraphs(fields.get("body") or "")
    removed: list[str] = []

    # The dateline: on the title line itself (a .txt whose first line is "Intisari-Online.com
    # - Beberapa waktu lalu …": that line is the article's first sentence, so it also goes
    # back into the body), else in one of the first paragraphs.
    dateline = find_dateline(title, registry) if title else None
    dateline_unit: str | None = None
    if dateline is not None:
        title = dateline.rest
        if not units or units[0] != dateline.rest:
            units.insert(0, dateline.rest)
        dateline_unit = dateline.rest
        removed.append(dateline.text)
    else:
        for i, unit in enumerate(units[:DATELINE_SEARCH_UNITS]):
            dateline = find_dateline(unit, registry)
            if dateline is not None:
                units[i] = dateline_unit = dateline.rest
                removed.append(dateline.text)
                break

    cleaned = clean_paragraphs(
        units, is_dateline=lambda p: dateline_unit is not None and p is dateline_unit
    )
    removed.extend(cleaned.removed)

    outlet, outlet_source = _outlet(fields, registry, url, dateline, units, page)

    # Publication date: the metadata's (a page's own before the record's), else inferred.
    published = parse_date(_field(fields, "published"))
    date_source: DateSource = "metadata" if published else "none"
    if page is not None and published is not None and published == page.published:
        date_source = "html-metadata"
    dating = None
    if published is None:
        units = [title, *cleaned.kept]
        lead = next((i for i, u in enumerate(units) if u is dateline_unit), None)
        dating = choose_date(
            units,
            record=record,
            url=url,
            today=today,
            date_lines=cleaned.date_lines,
            lead=lead,
            hint=dates,
        )
        published, date_source = dating.published, dating.source

    title = strip_title_suffix(title, registry) or _fallback_title(cleaned.kept)
    return Article(
        id=record.doc_id,
        title=title[:TITLE_MAX],
        body="\n".join(cleaned.kept),
        url=url,
        outlet=outlet,
        outlet_source=outlet_source,
        published=published,
        date_source=date_source,
        removed=removed,
        dating=dating,
        found=dict(page.found) if page is not None else {},
    )
