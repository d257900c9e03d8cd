"""The facet registry (index_format.facets): adding a facet is one entry plus its extractor.

The toy facet `section` (the first part of an article's URL path) is registered in a fresh
interpreter before anything else imports the registry, as editing index_format/facets.py
would; an index is built as rebuild-index builds it, and the API, the page and the export
must show the new facet without any other change.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from index_format import facets
from index_format.errors import RebuildNeeded
from index_format.schema import build_schema, check_facets_column

REPO = Path(__file__).resolve().parents[1]

TOY = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    from urllib.parse import urlparse

    from index_format import facets

    def section(article):
        path = urlparse(article.url or "").path.strip("/")
        return [path.split("/")[0]] if path else []

    facets.FACETS.append(facets.Facet("section", section))

    from tests.conftest import SMALL_CORPUS, article
    from tests.indexes import build_index
    from webui import create_app

    corpus = [
        article(a.id, a.title, a.body, outlet=a.outlet,
                published=a.published.isoformat() if a.published else None,
                url=f"https://example.test/{'banjir' if 'anjir' in a.title else 'lain'}/{a.id}")
        for a in SMALL_CORPUS
    ]
    index_dir = Path(sys.argv[1])
    build_index(index_dir, corpus, sys.argv[2])
    client = create_app({"INDEX_DIR": index_dir, "TESTING": True}).test_client()
    out = {}
    api = client.get("/api/search?q=banjir").get_json()
    out["api_facet"] = api["facets"]["section"]
    out["api_hit"] = api["hits"][0]["facets"]["section"]
    filtered = client.get("/api/search?q=banjir&section=lain").get_json()
    out["filtered"] = sorted(h["id"] for h in filtered["hits"])
    out["openapi"] = "section" in json.dumps(client.get("/api/openapi.json").get_json())
    page = client.get("/?q=banjir&lang=en").get_data(as_text=True)
    out["page_heading"] = 'id="facet-section-title">Section</h2>' in page
    out["page_value"] = 'name="section" value="banjir"' in page
    csv_text = client.get("/api/export.csv?q=banjir").get_data().decode("utf-8-sig")
    out["csv_header"] = csv_text.splitlines()[0]
    article_page = client.get("/articles/a1").get_data(as_text=True)
    out["article_link"] = 'data-facet="section" href="/?section=banjir"' in article_page
    print(json.dumps(out))
    """
)


@pytest.mark.parametrize("history", ["fresh", "updated"])
def test_a_toy_facet_shows_in_the_api_the_page_and_the_export(tmp_path: Path, history: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", TOY, str(tmp_path / "ix"), history],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    # a1, a2, a6 are floods titled "Banjir"; a7 (no title word) is "lain".
    assert {v["value"]: v["count"] for v in out["api_facet"]} == {"banjir": 3, "lain": 1}
    assert out["api_hit"] in (["banjir"], ["lain"])
    assert out["filtered"] == ["a7"]
    assert out["openapi"]
    assert out["page_heading"] and out["page_value"]
    assert out["csv_header"].split(",") == [
        "id",
        "title",
        "outlet",
        "published",
        "url",
        "person",
        "organisation",
        "place",
        "section",
        "body",
    ]
    assert out["article_link"]


def test_an_index_with_other_facets_needs_a_rebuild(
    monkeypatch: pytest.MonkeyPatch, client: FlaskClient
) -> None:
    """The facets column says which facets it holds: an index written for other facets (or an
    older encoding) is refused with a clear message rather than misread."""
    schema = build_schema()
    check_facets_column(schema)  # this version's own schema passes
    extra = [*facets.FACETS, facets.Facet("section", lambda a: [])]
    monkeypatch.setattr(facets, "FACETS", extra)
    with pytest.raises(RebuildNeeded, match="section"):
        check_facets_column(schema)
    got = client.get("/api/search?q=banjir")
    assert got.status_code == 503
    assert got.get_json()["code"] == "rebuild_needed"
