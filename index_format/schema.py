"""The Whoosh schema, in one place, and how an Article becomes a Whoosh document."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from whoosh.fields import COLUMN, DATETIME, ID, KEYWORD, STORED, TEXT, Schema

from index_format.analysis import exact_analyzer, stemmed_analyzer
from index_format.codec.positions import IndonesianPositions

FACET_FIELDS = ("outlet", "person", "organisation", "place")
ENTITY_FIELDS = ("person", "organisation", "place")
# Separators inside the `facets` column: groups, then values within a group, then the parts
# of one name variant (facet, name as written, canonical name). facet_value() turns all three
# into spaces inside names (str.split() counts them as whitespace).
GROUP_SEP = "\x1f"
VALUE_SEP = "\x1e"
PART_SEP = "\x1d"


MAX_FACET_CHARS = 200


def _text(stemmed: bool, *, stored: bool = False, field_boost: float = 1.0) -> TEXT:
    """A text field whose postings come from the fast analysis pass (index_format.pool) that
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
    keywords, so a name must not contain one ("Dian, Hesti" → "Dian Hesti"); at most
    MAX_FACET_CHARS characters (a metadata outlet of 70,000 letters is no outlet name, and the
    codec keeps a term's length in 2 bytes)."""
    return " ".join(value.replace(",", " ").split())[:MAX_FACET_CHARS].strip()


def facet_values(values: list[str]) -> list[str]:
    """The non-empty facet values of `values`, each as facet_value gives it."""
    return [fv for fv in (facet_value(v) for v in values) if fv]


def split_keywords(stored: str | None) -> list[str]:
    return [v for v in (stored or "").split(",") if v]


def stored_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None
