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
`extract_article` never raises and never drops an article: what cannot be read stays None/"none".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from indexer.boilerplate import clean_paragraphs, normalise, split_paragraphs
from indexer.date_choice import choose_date
from indexer.date_evidence import ArchiveDates
from indexer.dates import parse_date
from indexer.models import Article, DateSource, RawRecord
from indexer.outlets import Outlet, OutletRegistry, load_registry

__all__ = ["Dateline", "extract_article", "find_dateline", "strip_title_suffix"]

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


def find_dateline(paragraph: str, registry: OutletRegistry) -> Dateline | None:
    """The outlet's dateline at the start of `paragraph`, if there is one and text follows it."""
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
    the packaged one. Never raises: a record that cannot be interpreted still becomes an
    Article.
    """
    try:
        return _extract(record, today or date.today(), registry or load_registry(), dates)
    except Exception:
        fields = {**record.fields, **{k: v for k, v in record.sidecar.items() if v}}
        return Article(
            id=record.doc_id,
            title=_one_line(str(fields.get("title") or ""))[:TITLE_MAX],
            body=normalise(str(fields.get("body") or "")).strip(),
        )


def _extract(
    record: RawRecord, today: date, registry: OutletRegistry, dates: ArchiveDates | None
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

    # Outlet, in order of trust.
    outlet: str | None = None
    outlet_source = "none"
    meta_outlet = registry.canonical(_field(fields, "outlet"))
    if meta_outlet:
        outlet, outlet_source = meta_outlet, "metadata"
    elif (by_url := registry.from_url(url)) is not None:
        outlet, outlet_source = by_url.name, "url"
    elif dateline is not None:
        outlet, outlet_source = dateline.outlet.name, "dateline"
    elif (by_ref := _self_reference(units, registry)) is not None:
        outlet, outlet_source = by_ref.name, "self-reference"

    # Publication date.
    published = parse_date(_field(fields, "published"))
    date_source: DateSource = "metadata" if published else "none"
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
    )
