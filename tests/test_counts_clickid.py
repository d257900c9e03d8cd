"""Counts an analyst can cite, on real news (CLICK-ID and the seeds, ../shared): the numbers
the report quoted. The index holds the CLICK-ID articles that mention Kazakhstan or riots (any
form) and the five seeds: every article the query can count or offer, so the numbers are those
of the whole archive. Skips without ../shared."""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Iterator

import pytest
from flask.testing import FlaskClient

from indexer.build import rebuild_index
from tests.conftest import NEWS, SEEDS
from webui import create_app

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not NEWS.exists() or not SEEDS.exists(), reason="needs ../shared"),
]


@pytest.fixture(scope="module")
def kazakhstan(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FlaskClient]:
    tmp = tmp_path_factory.mktemp("kazakhstan")
    subset = tmp / "clickid-kazakhstan-riots.jsonl"
    with gzip.open(NEWS, "rt", encoding="utf-8") as news, subset.open("w") as out:
        out.writelines(line for line in news if "kazakh" in line.lower() or "rusuh" in line.lower())
    rebuild_index([subset, SEEDS], tmp / "ix")
    app = create_app({"INDEX_DIR": tmp / "ix", "TESTING": True})
    yield app.test_client()
    app.extensions["telusur.search"].close()


def test_kerusuhan_kazakhstan_counts_the_six_articles_with_both_words(
    kazakhstan: FlaskClient,
) -> None:
    body = kazakhstan.get("/api/search?q=kerusuhan+kazakhstan&per_page=50").get_json()
    assert body["total"] == 6 == len(body["hits"])
    assert body["partial"]["match"] == "most" and body["partial"]["total"] > 300  # offered apart
    assert sum(v["count"] for v in body["facets"]["outlet"]) == 6
    assert sum(v["count"] for v in body["facets"]["published"]) == 6  # the timeline
    people = {v["value"]: v["count"] for v in body["facets"]["person"]}
    assert people["Kassym-Jomart Tokayev"] == max(people.values()) <= 6
    export = kazakhstan.get("/api/export.csv?q=kerusuhan+kazakhstan").get_data().decode("utf-8-sig")
    assert len(list(csv.reader(io.StringIO(export)))) == 1 + 6
    page = kazakhstan.get("/?q=kerusuhan+kazakhstan").get_data(as_text=True)
    assert 'data-total="6"' in page and 'id="partial"' in page


def test_ticking_tokayev_lists_who_appears_with_him(kazakhstan: FlaskClient) -> None:
    body = kazakhstan.get(
        "/api/search?q=kerusuhan+kazakhstan&person=Kassym-Jomart+Tokayev"
    ).get_json()
    people = {v["value"]: v["count"] for v in body["facets"]["person"]}
    assert body["facets"]["person"][0] == {
        "value": "Kassym-Jomart Tokayev",
        "count": body["total"],
        "selected": True,
    }
    assert 0 < people["Vladimir Putin"] <= body["total"]
