"""Raw record → Article: title, outlet, publication date and a clean body.

Minimal version: metadata only. Inference from raw text is its own issue.
"""

from __future__ import annotations

from datetime import date

from indexer.models import Article, RawRecord


def _parse_iso(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def extract_article(record: RawRecord, *, today: date | None = None) -> Article:
    """Build an Article from a raw record; fields in `record.sidecar` win over the record's own."""
    f = {**record.fields, **{k: v for k, v in record.sidecar.items() if v}}
    published = _parse_iso(f.get("published"))
    outlet = (f.get("outlet") or "").strip() or None
    return Article(
        id=record.doc_id,
        title=(f.get("title") or "").strip(),
        body=(f.get("body") or "").strip(),
        url=(f.get("url") or "").strip() or None,
        outlet=outlet,
        outlet_source="metadata" if outlet else "none",
        published=published,
        date_source="metadata" if published else "none",
    )
