"""The query-language cases of #18 on the archive where users found them: CLICK-ID (21,938
articles) and the five seeds, through the API and the page. Slow (a ~1 minute rebuild); skipped
without ../shared."""

from __future__ import annotations

import gzip
import json
import re
from typing import Any

import pytest
from flask.testing import FlaskClient

from indexer.build import rebuild_index
from tests.conftest import NEWS, SEEDS
from webui import create_app

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (NEWS.exists() and SEEDS.is_dir()), reason="../shared is absent"),
]


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> FlaskClient:
    index_dir = tmp_path_factory.mktemp("clickid") / "index"
    rebuild_index([NEWS, SEEDS], index_dir)
    return create_app({"INDEX_DIR": index_dir, "TESTING": True}).test_client()


def api(client: FlaskClient, q: str, **params: Any) -> dict[str, Any]:
    resp = client.get("/api/search", query_string={"q": q, **params})
    assert resp.status_code == 200, resp.get_json()
    body: dict[str, Any] = resp.get_json()
    return body


def text_of(client: FlaskClient, doc_id: str) -> str:
    art = client.get(f"/api/articles/{doc_id}").get_json()
    return " ".join(re.findall(r"\w+", f"{art['title']} {art['body']}".lower()))


def test_operators_and_fields_as_typed(client: FlaskClient) -> None:
    excluded = api(client, "kudeta NOT rusia", per_page=100)
    assert excluded["partial"] is None and excluded["total"] > 0
    assert all("rusia" not in text_of(client, h["id"]) for h in excluded["hits"])
    assert api(client, "sri AND mulyani")["total"] == api(client, "sri mulyani")["total"]
    english = client.get("/?q=title:kudeta&lang=en")
    assert english.status_code == 200 and 'data-total="0"' not in english.get_data(as_text=True)
    grouped = api(client, "judul:(kpk OR dpr)", per_page=100)
    for hit in grouped["hits"]:
        assert re.search(r"\b(kpk|dpr)\b", hit["title"].lower()), hit["title"]


def test_a_pasted_url_finds_its_article(client: FlaskClient) -> None:
    with gzip.open(NEWS, "rt", encoding="utf-8") as f:
        record = json.loads(next(f))
    assert [h["id"] for h in api(client, record["url"])["hits"]] == [record["id"]]
    assert client.get("/", query_string={"q": record["url"]}).status_code == 200


def test_case_does_not_change_totals(client: FlaskClient) -> None:
    assert api(client, "UU KPK")["total"] == api(client, "uu kpk")["total"]


def test_joko_widodo_top_five_name_him(client: FlaskClient) -> None:
    for hit in api(client, "joko widodo", per_page=5)["hits"]:
        assert re.search(r"joko widodo|jokowi", text_of(client, hit["id"])), hit["title"]


@pytest.mark.parametrize(
    ("q", "suggestion"),
    [("habibi", "habibie"), ("kazakstan", "kazakhstan"), ("covid", None)],
)
def test_did_you_mean(client: FlaskClient, q: str, suggestion: str | None) -> None:
    body = api(client, q, as_typed="true")
    assert body["suggestion"] == suggestion
    if suggestion is not None:
        assert api(client, suggestion)["total"] >= 5 * body["total"]


def test_covid_is_never_cover(client: FlaskClient) -> None:
    body = api(client, "covid")
    assert body["suggestion"] != "cover" and body["corrected"] != "cover"
