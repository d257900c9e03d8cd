"""What the facet-merge tests share: a small archive of one-sentence articles, indexed the way
`telusur rebuild-index` indexes it and served through the app's test client, and a facet's
values with the ids of the hits of an /api/search."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from flask.testing import FlaskClient

from indexer.build import rebuild_index
from webui import create_app


def news(doc_id: str, body: str) -> dict[str, str]:
    """One article of the archive: `body` is all it says."""
    return {"id": doc_id, "title": f"Berita {doc_id}", "body": body, "outlet": "Kompas.com"}


def serve_archive(tmp: Path, records: list[dict[str, str]]) -> Iterator[FlaskClient]:
    """Rebuild an index of `records` in `tmp` and yield a client of the app serving it (for a
    fixture: the search service is closed after)."""
    archive = tmp / "a.jsonl"
    archive.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    rebuild_index([archive], tmp / "index", grace_seconds=0)
    app = create_app({"INDEX_DIR": tmp / "index", "TESTING": True})
    yield app.test_client()
    app.extensions["telusur.search"].close()


def facet_and_hits(
    client: FlaskClient, facet: str, **params: str
) -> tuple[dict[str, int], set[str]]:
    """`facet`'s values with their counts, and the ids of the hits, of an empty query's first
    50 results filtered by `params`."""
    body = client.get("/api/search", query_string={"q": "", "per_page": "50", **params}).json
    assert body is not None
    values = {v["value"]: v["count"] for v in body["facets"][facet]}
    return values, {h["id"] for h in body["hits"]}
