"""How an Article becomes the document the index stores (index_format.schema's fields)."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from index_format.analysis import mark_names
from index_format.schema import (
    ENTITY_FIELDS,
    GROUP_SEP,
    MAX_FACET_CHARS,
    PART_SEP,
    VALUE_SEP,
    facet_value,
    facet_values,
)
from indexer.models import Article


def _keywords(values: list[str]) -> str:
    return ",".join(facet_values(values))


def _outlet(article: Article) -> str:
    # Clipped as facet values are (index_format.schema.MAX_FACET_CHARS); commas are no
    # separator in the outlet's field, so they stay.
    return (article.outlet or "")[:MAX_FACET_CHARS].strip()


def encode_facets(article: Article) -> bytes:
    """Day, outlet, the three entity facets and, last, the article's name variants."""
    variants = (
        (facet, facet_value(written), facet_value(canonical))
        for facet, written, canonical in article.variants
    )
    groups = [
        article.published.isoformat() if article.published else "",
        _outlet(article),
        *(VALUE_SEP.join(facet_values(getattr(article, f))) for f in ENTITY_FIELDS),
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
    if outlet := _outlet(article):
        doc["outlet"] = outlet
    if article.published:
        doc["published"] = datetime.combine(article.published, datetime.min.time())
    for f in ENTITY_FIELDS:
        values = _keywords(getattr(article, f))
        if values:
            doc[f] = values
    return doc
