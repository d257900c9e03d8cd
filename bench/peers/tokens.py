"""The tokens Telusur indexes, per article and field, read back from a Telusur index.

Each article of the index (its stored title, body, outlet, date and tagged entities) goes
through the indexer's own steps: `mark_names` with the article's entity names (what
indexer.document.to_document does), then `index_terms` (what index_format.pool indexes).
So the peers get exactly the token streams of Telusur's `title`, `body` and `exact` fields,
in position order, for the same articles, without tagging them again.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from index_format import facets
from index_format.analysis import index_terms, mark_names
from index_format.generations import current_path, open_index
from index_format.schema import split_keywords, stored_date


def in_order(terms: dict[str, list[int]]) -> list[str]:
    """The token stream behind index_terms' term → positions (one term per position)."""
    return [term for _, term in sorted((p, t) for t, ps in terms.items() for p in ps)]


def analysed(fields: dict[str, Any]) -> dict[str, Any]:
    """One stored article as the peers index it."""
    title, body = fields.get("title") or "", fields.get("body") or ""
    names = [n for f in facets.entity_names() for n in split_keywords(fields.get(f))]
    published = stored_date(fields.get("published"))
    return {
        "key": fields["id"],
        "title": in_order(index_terms(mark_names(title, names), stemmed=True)),
        "body": in_order(index_terms(mark_names(body, names), stemmed=True)),
        "exact": in_order(index_terms(f"{title}\n{body}", stemmed=False)),
        "outlet": fields.get("outlet") or "",
        "month": published.strftime("%Y-%m") if published else "",
    }


def stored_articles(index_dir: Path) -> Iterator[dict[str, Any]]:
    """The stored fields of every live article of the index's current generation."""
    ix = open_index(str(current_path(index_dir)))
    with ix.searcher() as searcher:
        yield from searcher.reader().all_stored_fields()


def write_tokens(index_dir: Path, out: Path) -> int:
    """Write one JSON line per article of the index to `out`; returns the count."""
    n = 0
    with out.open("w", encoding="utf-8") as f:
        for fields in stored_articles(index_dir):
            f.write(json.dumps(analysed(fields), ensure_ascii=False) + "\n")
            n += 1
    return n
