"""GET /api/export.csv and /api/export.jsonl: the whole result set, streamed, same parameters."""

from __future__ import annotations

import csv
import io
import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from werkzeug.test import EnvironBuilder

import search.service
import webui.export
from indexer.models import Article
from search.models import ArticleView
from tests.conftest import article
from webui import create_app
from webui.export import COLUMNS


def csv_rows(client: FlaskClient, query: str) -> list[list[str]]:
    resp = client.get("/api/export.csv?" + query)
    assert resp.status_code == 200, resp.get_data(as_text=True)
    assert resp.mimetype == "text/csv"
    assert "attachment" in resp.headers["Content-Disposition"]
    assert resp.get_data().startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    return list(csv.reader(io.StringIO(resp.get_data().decode("utf-8-sig"))))


def jsonl(client: FlaskClient, query: str) -> list[dict]:
    resp = client.get("/api/export.jsonl?" + query)
    assert resp.status_code == 200
    assert resp.mimetype == "application/x-ndjson"
    return [json.loads(line) for line in resp.get_data(as_text=True).splitlines()]


@pytest.mark.parametrize(
    "query",
    [
        "q=banjir",
        "q=banjir&sort=oldest",
        "q=banjir&sort=newest",
        "outlet=Warta+Timur&outlet=Suara+Pesisir",
        "q=banjir&place=Jakarta&from=2025-08-01&to=2025-10-31",
        "",  # everything
        "q=zzzzqqq",  # nothing: the header only
    ],
)
def test_export_equals_search_in_count_and_order(client: FlaskClient, query: str) -> None:
    total = client.get("/api/search?per_page=100&" + query).get_json()
    ids = [h["id"] for h in total["hits"]]
    rows = csv_rows(client, query)
    assert rows[0] == list(COLUMNS)
    assert len(rows) - 1 == total["total"]
    assert [r[0] for r in rows[1:]] == ids
    assert [x["id"] for x in jsonl(client, query)] == ids


def test_export_ignores_page_and_per_page(client: FlaskClient) -> None:
    rows = csv_rows(client, "q=banjir&page=3&per_page=1")
    assert len(rows) - 1 == client.get("/api/search?q=banjir").get_json()["total"] == 4


def test_export_is_streamed_and_has_full_records(client: FlaskClient) -> None:
    resp = client.get("/api/export.jsonl?q=susulan")
    assert resp.is_streamed
    (record,) = [json.loads(line) for line in resp.get_data(as_text=True).splitlines()]
    assert record == {
        "id": "a2",
        "title": "Banjir susulan di Bekasi",
        "outlet": "Warta Timur",
        "published": "2025-08-05",
        "url": None,
        "person": ["Rahmat Hidayat", "Sari Wulandari"],
        "organisation": ["BPBD"],
        "place": ["Bekasi", "Jakarta"],
        "body": "Hujan deras kembali menyebabkan banjir di Bekasi. BPBD siaga.",
    }
    (header, row) = csv_rows(client, "q=susulan")
    assert dict(zip(header, row, strict=True))["person"] == "Rahmat Hidayat; Sari Wulandari"


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("sort=best", "sort"),
        ("from=2025-13-01", "from"),
        ("from=2025-09-01&to=2025-08-01", "from"),
        ("lang=en", "lang"),  # a page-only parameter: the API knows no language
        ("page=0", "page"),
        ("facet_size=0", "facet_size"),
    ],
)
def test_export_validates_like_search(
    client: FlaskClient, fmt: str, query: str, field: str
) -> None:
    resp = client.get(f"/api/export.{fmt}?{query}")
    assert resp.status_code == 400
    body = resp.get_json()
    assert body["code"] == "invalid_parameters"
    assert field in body["errors"]
    assert client.get(f"/api/search?{query}").status_code == 400


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_export_bad_query_is_400_before_streaming(client: FlaskClient, fmt: str) -> None:
    resp = client.get(f"/api/export.{fmt}?q=%22unbalanced")
    assert resp.status_code == 400
    assert resp.get_json()["code"] == "invalid_query.unbalanced_quote"


def test_csv_cells_cannot_become_formulas(make_index: Callable[[list[Article]], Path]) -> None:
    index_dir = make_index(
        [
            article(
                "f1",
                '=HYPERLINK("http://evil","klik")',
                '+62 21 555; @SUM(A1); biasa, dengan koma dan "kutip"\nbaris dua',
                outlet="-Media",
            )
        ]
    )
    client = create_app({"INDEX_DIR": index_dir, "TESTING": True}).test_client()
    header, row = csv_rows(client, "")
    cells = dict(zip(header, row, strict=True))
    assert cells["title"] == '\'=HYPERLINK("http://evil","klik")'
    assert cells["outlet"] == "'-Media"
    assert cells["body"].startswith("'+62") and cells["body"].endswith("baris dua")
    # JSON Lines keeps the text exactly.
    (record,) = jsonl(client, "")
    assert record["title"].startswith("=HYPERLINK")


def test_export_is_in_the_openapi_document(client: FlaskClient) -> None:
    paths = client.get("/api/openapi.json").get_json()["paths"]
    for path in ("/api/export.csv", "/api/export.jsonl"):
        params = {p["name"] for p in paths[path]["get"]["parameters"]}
        assert {"q", "outlet", "from", "to", "sort"} <= params


MANY = [
    article(f"m{i:02d}", f"Banjir nomor {i}", " ".join([f"Banjir ke-{i} melanda kota."] * 20))
    for i in range(40)
]


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_export_streams_from_the_first_row(
    make_index: Callable[[list[Article]], Path],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    fmt: str,
) -> None:
    """The first bytes leave before the rest of the articles are read, with no Content-Length
    (nothing buffers the whole export), and the access log counts the bytes actually sent."""
    app = create_app({"INDEX_DIR": make_index(MANY), "TESTING": True})
    monkeypatch.setattr(webui.export, "CHUNK_CHARS", 1)  # a chunk per row: 40 chunks
    read = []
    view = search.service._view

    def counted(*args: Any) -> ArticleView:
        read.append(1)
        return view(*args)

    monkeypatch.setattr(search.service, "_view", counted)
    started: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
        started.update(status=status, headers=dict(headers))

    environ = EnvironBuilder(
        path=f"/api/export.{fmt}", query_string="q=banjir", headers={"X-Request-Id": "exp-1"}
    ).get_environ()
    with caplog.at_level(logging.INFO, logger="telusur.access"):
        body = app(environ, start_response)
        chunks = iter(body)
        first = next(chunks)
        assert started["status"].startswith("200")
        assert "Content-Length" not in started["headers"]
        assert started["headers"]["X-Request-Id"] == "exp-1"
        assert 1 <= len(read) <= 2, "articles read before the first byte left"
        data = first + b"".join(chunks)
        body.close()  # type: ignore[attr-defined]
    assert len(read) == len(MANY)
    lines = data.decode("utf-8-sig").splitlines()
    assert len(lines) == len(MANY) + (fmt == "csv")
    (record,) = [r for r in caplog.records if r.name == "telusur.access"]
    fields = record.fields  # type: ignore[attr-defined]
    assert (fields["request_id"], fields["bytes"], fields["complete"]) == ("exp-1", len(data), True)
