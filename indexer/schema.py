"""The Whoosh schema, in one place, and how an Article becomes a Whoosh document."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from typing import Any

from whoosh.fields import COLUMN, DATETIME, ID, KEYWORD, STORED, TEXT, Schema

from indexer.analysis import exact_analyzer, mark_names, stemmed_analyzer
from indexer.models import Article
from indexer.postings import IndonesianPositions

FACET_FIELDS = ("outlet", "person", "organisation", "place")
ENTITY_FIELDS = ("person", "organisation", "place")
# Separators inside the `facets` column: groups, then values within a group, then the parts
# of one name variant (facet, name as written, canonical name). facet_value() turns all three
# into spaces inside names (str.split() counts them as whitespace).
GROUP_SEP = "\x1f"
VALUE_SEP = "\x1e"
PART_SEP = "\x1d"


def _text(stemmed: bool, *, stored: bool = False, field_boost: float = 1.0) -> TEXT:
    """A text field whose postings come from the fast analysis pass (indexer.postings) that
    matches its analyzer; queries use the analyzer."""
    analyzer = stemmed_analyzer() if stemmed else exact_analyzer()
    field = TEXT(analyzer=analyzer, stored=stored, field_boost=field_boost, phrase=True)
    field.format = IndonesianPositions(stemmed, field_boost=field_boost)
    return field


def build_schema() -> Schema:
    return Schema(
        id=ID(unique=True, stored=True),
        url=STORED(),
        title=_text(True, stored=True, field_boost=2.0),
        body=_text(True, stored=True),
        # Title and body unstemmed: "quoted phrases" match the exact words.
        exact=_text(False),
        outlet=ID(stored=True),
        published=DATETIME(stored=True),
        date_source=STORED(),
        outlet_source=STORED(),
        person=KEYWORD(stored=True, commas=True, lowercase=False, scorable=False),
        organisation=KEYWORD(stored=True, commas=True, lowercase=False, scorable=False),
        place=KEYWORD(stored=True, commas=True, lowercase=False, scorable=False),
        # Day, outlet and entities of each document in one column: facets are counted
        # from it with numpy, without touching stored fields or postings.
        facets=COLUMN(),
        content_hash=STORED(),
    )


def facet_value(value: str) -> str:
    """A facet value as both the keyword field and the facets column hold it: commas separate
    keywords, so a name must not contain one ("Dian, Hesti" → "Dian Hesti")."""
    return " ".join(value.replace(",", " ").split())


def _facet_values(values: list[str]) -> list[str]:
    return [fv for fv in (facet_value(v) for v in values) if fv]


def _keywords(values: list[str]) -> str:
    return ",".join(_facet_values(values))


def encode_facets(article: Article) -> bytes:
    """Day, outlet, the three entity facets and, last, the article's name variants."""
    variants = (
        (facet, facet_value(written), facet_value(canonical))
        for facet, written, canonical in article.variants
    )
    groups = [
        article.published.isoformat() if article.published else "",
        article.outlet or "",
        *(VALUE_SEP.join(_facet_values(getattr(article, f))) for f in ENTITY_FIELDS),
        VALUE_SEP.join(PART_SEP.join(parts) for parts in variants if all(parts)),
    ]
    return GROUP_SEP.join(g.replace(GROUP_SEP, " ") for g in groups).encode("utf-8")


def content_hash(article: Article) -> str:
    h = hashlib.sha256()
    for part in (article.title, article.body, article.url or "", article.outlet or ""):
        h.update(part.encode("utf-8", "replace"))
        h.update(b"\0")
    h.update((article.published.isoformat() if article.published else "").encode())
    return h.hexdigest()[:20]


def to_document(article: Article) -> dict[str, Any]:
    # Words of the tagged entities stay unstemmed in title and body (indexer.analysis): the
    # marked text is indexed, the original stored.
    names = [n for f in ENTITY_FIELDS for n in getattr(article, f)]
    doc: dict[str, Any] = {
        "id": article.id,
        "url": article.url,
        "title": mark_names(article.title, names),
        "_stored_title": article.title,
        "body": mark_names(article.body, names),
        "_stored_body": article.body,
        "exact": f"{article.title}\n{article.body}",
        "date_source": article.date_source,
        "outlet_source": article.outlet_source,
        "facets": encode_facets(article),
        "content_hash": content_hash(article),
    }
    if article.outlet:
        doc["outlet"] = article.outlet
    if article.published:
        doc["published"] = datetime.combine(article.published, datetime.min.time())
    for f in ENTITY_FIELDS:
        values = _keywords(getattr(article, f))
        if values:
            doc[f] = values
    return doc


def split_keywords(stored: str | None) -> list[str]:
    return [v for v in (stored or "").split(",") if v]


def stored_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None
