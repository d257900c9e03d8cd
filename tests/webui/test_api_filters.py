"""Filters an API client can use: values matched case- and accent-blind, values that match
nothing named in `warnings`, exclusions, a choice of facet lists, the match modes, a JSON body,
CORS for configured origins, and an OpenAPI document that says all of it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask.testing import FlaskClient

from tests.conftest import article
from webui import create_app


def _ids(body: dict[str, Any]) -> list[str]:
    return sorted(h["id"] for h in body["hits"])


def test_values_match_case_and_accent_blind(client: FlaskClient) -> None:
    exact = client.get("/api/search?q=banjir&outlet=Kabar+Nusantara").get_json()
    for written in ("kabar+nusantara", "KABAR  NUSANTARA", "Kabar+Nusántara"):
        blind = client.get(f"/api/search?q=banjir&outlet={written}").get_json()
        assert _ids(blind) == _ids(exact) == ["a1"]
        assert blind["warnings"] == []
        assert [v["value"] for v in blind["facets"]["outlet"] if v["selected"]] == [
            "Kabar Nusantara"
        ]


def test_a_value_that_matches_nothing_is_named(client: FlaskClient) -> None:
    body = client.get("/api/search?q=banjir&outlet=kompas&person_not=Nobody").get_json()
    assert body["total"] == 0  # no article is in an outlet that does not exist
    assert body["warnings"] == [
        {"facet": "outlet", "value": "kompas"},
        {"facet": "person_not", "value": "Nobody"},
    ]


def test_exclusions(client: FlaskClient) -> None:
    every = _ids(client.get("/api/search?q=banjir").get_json())
    without = client.get("/api/search?q=banjir&place_not=Bekasi&outlet_not=Suara+Pesisir")
    body = without.get_json()
    assert _ids(body) == sorted(set(every) - {"a1", "a2", "a6"})
    assert body["total"] == len(body["hits"])


def test_only_the_facet_lists_asked_for(client: FlaskClient) -> None:
    body = client.get("/api/search?q=banjir&facets=outlet,person").get_json()
    assert set(body["facets"]) == {"outlet", "person"}
    bad = client.get("/api/search?q=banjir&facets=outlet,colour")
    assert bad.status_code == 400 and "facets" in bad.get_json()["errors"]


def test_match_modes_and_the_partial_count(client: FlaskClient) -> None:
    strict = client.get("/api/search?q=banjir+bekasi+warga").get_json()
    assert strict["match"] == "all" and _ids(strict) == ["a1"]
    # Two of the words find one more (a2): too few, so most words means one of them here.
    assert strict["partial"] == {"match": "most", "total": 3, "words": 1}  # a2, a6, a7
    most = client.get("/api/search?q=banjir+bekasi+warga&match=most").get_json()
    assert most["total"] == strict["total"] + strict["partial"]["total"]
    assert most["words"] == 1 and strict["words"] == 3
    assert most["hits"][0]["id"] == "a1" and most["partial"] is None
    export = client.get("/api/export.jsonl?q=banjir+bekasi+warga&match=most")
    assert len(export.get_data(as_text=True).splitlines()) == most["total"]


def test_the_search_takes_a_json_body(client: FlaskClient) -> None:
    got = client.get("/api/search?q=banjir&outlet=Warta+Timur&sort=newest").get_json()
    posted = client.post(
        "/api/search", json={"q": "banjir", "outlet": ["Warta Timur"], "sort": "newest"}
    ).get_json()
    assert posted["hits"] == got["hits"] and posted["total"] == got["total"]
    assert client.post("/api/search", json={"per_page": 0}).status_code == 400


def test_cors_only_for_configured_origins(small_index: Path, monkeypatch: Any) -> None:
    monkeypatch.setenv("TELUSUR_CORS_ORIGINS", "https://newsroom.example, https://b.example/")
    client = create_app({"INDEX_DIR": small_index, "TESTING": True}).test_client()
    allowed = client.get("/api/search?q=banjir", headers={"Origin": "https://b.example"})
    assert allowed.headers["Access-Control-Allow-Origin"] == "https://b.example"
    other = client.get("/api/search?q=banjir", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in other.headers
    page = client.get("/?q=banjir", headers={"Origin": "https://b.example"})
    assert "Access-Control-Allow-Origin" not in page.headers  # the API only
    monkeypatch.delenv("TELUSUR_CORS_ORIGINS")
    default = create_app({"INDEX_DIR": small_index, "TESTING": True}).test_client()
    r = default.get("/api/search?q=banjir", headers={"Origin": "https://b.example"})
    assert "Access-Control-Allow-Origin" not in r.headers


def test_openapi_documents_the_filters_and_the_error_shape(client: FlaskClient) -> None:
    doc = client.get("/api/openapi.json").get_json()
    get = doc["paths"]["/api/search"]["get"]
    names = {p["name"] for p in get["parameters"]}
    assert {"match", "facets", "outlet_not", "person_not", "place_not"} <= names
    assert "post" in doc["paths"]["/api/search"]
    error = doc["components"]["schemas"]["ApiError"]["properties"]
    assert (error["status"]["type"], error["code"]["type"]) == ("integer", "string")
    default = doc["components"]["responses"]["DEFAULT_ERROR"]["content"]["application/json"]
    assert default["schema"]["$ref"].endswith("/ApiError")
    response = doc["components"]["schemas"]["SearchResponse"]["properties"]
    assert {"match", "partial", "warnings"} <= set(response)


def test_entity_lists_show_who_appears_with_a_ticked_person(
    make_index: Any,
) -> None:
    articles = [
        article(
            f"k{i}",
            "Kerusuhan di Almaty",
            "Kerusuhan pecah di Almaty.",
            person=("Kassym-Jomart Tokayev", "Vladimir Putin") if i < 3 else ("Tokayev Lain",),
        )
        for i in range(5)
    ] + [article("p1", "Putin di Moskow", "Putin berpidato.", person=("Vladimir Putin",))]
    client = create_app({"INDEX_DIR": make_index(articles), "TESTING": True}).test_client()
    body = client.get("/api/search?person=Kassym-Jomart+Tokayev").get_json()
    people = {v["value"]: v["count"] for v in body["facets"]["person"]}
    assert body["total"] == 3
    assert people == {"Kassym-Jomart Tokayev": 3, "Vladimir Putin": 3}  # within the results
    assert body["facets"]["person"][0]["value"] == "Kassym-Jomart Tokayev"  # pinned
    both = client.get("/api/search?person=Kassym-Jomart+Tokayev&person=Vladimir+Putin")
    assert both.get_json()["total"] == 3  # AND: articles naming both
