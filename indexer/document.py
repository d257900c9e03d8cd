"""How an Article becomes the document the index stores (index_format.schema's fields)."""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

from index_format import facets
from index_format.analysis import mark_words, name_words
from index_format.schema import encode_facets, facet_value, facet_values, url_term
from indexer.models import Article


def same_content(stored: dict[str, Any], article: Article) -> bool:
    """Whether a document's stored fields show `article` unchanged: its title, body, URL,
    outlet and day, compared as `to_document` stores them. (Documents written before size6,
    issue 23, also store a hash of these: ~18 bytes a document, 39 MB of 2.2M articles'
    stored fields, to say what the fields say.)"""
    if not stored:
        return False
    return (
        (stored.get("title") or "") == article.title
        and (stored.get("body") or "") == article.body
        and stored.get("url") == (article.url or None)
        and stored.get("outlet") == (",".join(facet_values_of(article)["outlet"]) or None)
        and stored.get("published") == _published(article)
    )


def _published(article: Article) -> datetime | None:
    """The `published` field as stored: the day at midnight."""
    return datetime.combine(article.published, datetime.min.time()) if article.published else None


def facet_values_of(article: Article) -> dict[str, list[str]]:
    """Each registry facet's values of `article`, as the index holds them."""
    out = {}
    for f in facets.FACETS:
        values = facet_values(f.values(article))
        out[f.name] = values[:1] if f.single else values
    return out


def now() -> int:
    """The time an article is added at (UTC epoch seconds)."""
    return int(time.time())


def to_document(article: Article) -> dict[str, Any]:
    values = facet_values_of(article)
    # Words of the tagged entities stay unstemmed in title and body (index_format.analysis):
    # the marked text is indexed, the original stored.
    words = name_words(n for f in facets.entity_names() for n in values[f])
    variants = [
        (facet, facet_value(written), facet_value(canonical))
        for facet, written, canonical in article.variants
    ]
    doc: dict[str, Any] = {
        "id": article.id,
        "url": url_term(article.url) if article.url else None,  # indexed; stored as written
        "_stored_url": article.url,
        "title": mark_words(article.title, words),
        "_stored_title": article.title,
        "body": mark_words(article.body, words),
        "_stored_body": article.body,
        "exact": f"{article.title}\n{article.body}",
        "date_source": article.date_source,
        "outlet_source": article.outlet_source,
        # (An empty canonical name marks a namesake the article kept apart.)
        "facets": encode_facets(article.published, values, [v for v in variants if v[0] and v[1]]),
        "added": article.added or now(),
    }
    if article.published:
        doc["published"] = _published(article)
    for name, found in values.items():
        if found:
            doc[name] = ",".join(found)
    return doc
