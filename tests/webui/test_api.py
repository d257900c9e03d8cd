"""GET /api/search and /api/articles: the success shape and the error shape."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient


def test_search_success_shape(client: FlaskClient) -> None:
    resp = client.get("/api/search?q=banjir&outlet=Warta+Timur&outlet=Suara+Pesisir&sort=newest")
    assert resp.status_code == 200
    body = resp.get_json()
    assert {"total", "page", "per_page", "took_ms", "hits", "facets"} <= set(body)
    assert (body["total"], body["page"], body["per_page"]) == (2, 1, 10)
    assert [h["id"] for h in body["hits"]] == ["a6", "a2"]
    hit = body["hits"][1]
    assert hit["title"] == "Banjir susulan di Bekasi"
    assert hit["outlet"] == "Warta Timur"
    assert hit["published"] == "2025-08-05"
    assert hit["url"] is None
    assert "<mark" in hit["snippet"]
    assert hit["entities"] == {
        "person": ["Rahmat Hidayat", "Sari Wulandari"],
        "organisation": ["BPBD"],
        "place": ["Bekasi", "Jakarta"],
    }
    assert set(body["facets"]) == {"outlet", "published", "person", "organisation", "place"}
    assert {"value": "Warta Timur", "count": 1, "selected": True} in body["facets"]["outlet"]
    # Aug 5 .. Nov 20 spans about 15 weeks: weekly buckets, each labelled with its Monday.
    assert body["date_interval"] == "week"
    assert body["facets"]["published"][0] == {"value": "2025-08-04", "count": 1, "selected": False}


def test_dates_and_paging_parameters(client: FlaskClient) -> None:
    body = client.get(
        "/api/search?q=banjir&from=2025-08-01&to=2025-08-31&per_page=1&page=2"
    ).get_json()
    assert body["total"] == 2
    assert len(body["hits"]) == 1


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("per_page=101", "per_page"),
        ("per_page=0", "per_page"),
        ("page=0", "page"),
        ("page=abc", "page"),
        ("from=2025-13-01", "from"),
        ("from=2025-09-01&to=2025-08-01", "from"),
        ("sort=popular", "sort"),
        ("unknown=1", "unknown"),
        ("q=" + "a" * 501, "q"),
        ('q="unbalanced', "q"),
    ],
)
def test_bad_parameters_get_400_with_the_error_shape(
    client: FlaskClient, query: str, field: str
) -> None:
    resp = client.get(f"/api/search?{query}")
    assert resp.status_code == 400
    body = resp.get_json()
    assert body["status"] == 400
    assert body["code"] == "invalid_parameters" or body["code"].startswith("invalid_query.")
    assert body["message"]
    assert field in body["errors"]


def test_article_endpoint(client: FlaskClient) -> None:
    body = client.get("/api/articles/a3").get_json()
    assert body["title"] == "KPK periksa pejabat pelabuhan"
    assert body["body"].startswith("Komisi Pemberantasan Korupsi")
    missing = client.get("/api/articles/tidak-ada")
    assert missing.status_code == 404
    assert missing.get_json()["code"] == "article_not_found"


def test_openapi_document_describes_the_search_endpoint(client: FlaskClient) -> None:
    doc = client.get("/api/openapi.json").get_json()
    params = {p["name"] for p in doc["paths"]["/api/search"]["get"]["parameters"]}
    assert {
        "q",
        "outlet",
        "person",
        "organisation",
        "place",
        "from",
        "to",
        "sort",
        "page",
        "per_page",
    } <= params
    assert "/api/articles/{doc_id}" in doc["paths"]


def test_unknown_route_gets_json_404(client: FlaskClient) -> None:
    resp = client.get("/api/nothing-here")
    assert resp.status_code == 404
    assert resp.get_json()["status"] == 404


# ٣ ARABIC-INDIC and ३ DEVANAGARI digit three, ３ FULLWIDTH three, "+3" (a space), a trailing
# space, an underscore: int() reads them all.
NOT_ASCII_INTEGERS = ["%D9%A3", "%E0%A5%A9", "%EF%BC%93", "+3", "3%20", "1_0"]


def test_integer_parameters_take_ascii_digits_only(client: FlaskClient) -> None:
    for name in ("page", "per_page", "facet_size"):
        for value in NOT_ASCII_INTEGERS:
            for url in (f"/api/search?{name}={value}", f"/api/export.csv?{name}={value}"):
                resp = client.get(url)
                assert resp.status_code == 400, url
                assert name in resp.get_json()["errors"], url
            assert client.get(f"/?q=banjir&{name}={value}").status_code == 400, (name, value)
        assert client.get(f"/api/search?q=banjir&{name}=03").status_code == 200
