"""Entity pages and the co-occurrence map (issue #21) through the API and the pages, on the
small corpus in every index history (tests/indexes.py): every count below is known."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import networkx as nx
import pytest
from bs4 import BeautifulSoup
from flask.testing import FlaskClient

from indexer.build import rebuild_index
from webui import create_app


def test_entity_page_counts_its_articles_outlets_timeline_and_company(
    client: FlaskClient,
) -> None:
    body = client.get("/api/entities/person/Rahmat%20Hidayat?min_count=1&limit=50").json
    assert body["type"] == "person" and body["name"] == "Rahmat Hidayat"
    assert body["count"] == 2  # a1, a2
    assert sum(b["count"] for b in body["timeline"]) == 2
    assert {o["value"]: o["count"] for o in body["outlets"]} == {
        "Kabar Nusantara": 1,
        "Warta Timur": 1,
    }
    assert [h["id"] for h in body["latest"]] == ["a2", "a1"]  # newest first
    co = {(c["type"], c["name"]): c for c in body["cooccurring"]}
    assert ("person", "Rahmat Hidayat") not in co  # not with itself
    # BPBD: 2 of its 3 articles name Rahmat Hidayat, in an archive of 7: lift 2*7/(2*3).
    assert co["organisation", "BPBD"]["count"] == 2 and co["organisation", "BPBD"]["total"] == 3
    assert co["organisation", "BPBD"]["lift"] == pytest.approx(7 / 3, abs=1e-3)
    # Jakarta (3 articles, 1 with him) is less specific than Bekasi (2 articles, both his).
    assert co["place", "Bekasi"]["lift"] > co["place", "Jakarta"]["lift"]
    assert co["place", "Bekasi"]["score"] > co["place", "Jakarta"]["score"]
    assert {(c["type"], c["name"]) for c in body["cooccurring"]} == {
        ("organisation", "BPBD"),
        ("place", "Bekasi"),
        ("place", "Jakarta"),
        ("person", "Sari Wulandari"),
    }


def test_co_occurring_entities_need_the_minimum_count(client: FlaskClient) -> None:
    body = client.get("/api/entities/person/Rahmat%20Hidayat").json  # default min_count 2
    assert {c["name"]: c["count"] for c in body["cooccurring"]} == {"BPBD": 2, "Bekasi": 2}


def test_entity_names_resolve_case_blind_to_the_canonical_name(client: FlaskClient) -> None:
    body = client.get("/api/entities/place/jakarta").json
    assert body["name"] == "Jakarta" and body["count"] == 3


@pytest.mark.parametrize(
    ("path", "lang", "code", "words"),
    [
        ("/api/entities/person/Nobody", "en", "entity_not_found", "No person 'Nobody'"),
        ("/api/entities/person/Nobody", "id", "entity_not_found", "tidak ditemukan"),
        ("/api/entities/people/Nobody", "en", "entity_not_found.type", "Unknown entity type"),
        ("/api/entities/people/Nobody", "id", "entity_not_found.type", "tidak dikenal"),
    ],
)
def test_an_unknown_entity_is_a_404_in_both_languages(
    client: FlaskClient, path: str, lang: str, code: str, words: str
) -> None:
    resp = client.get(path, headers={"Accept-Language": lang})
    assert resp.status_code == 404
    assert resp.json["code"] == code and words in resp.json["message"]
    page = client.get(path.replace("/api/entities", "/entitas") + f"?lang={lang}")
    assert page.status_code == 404 and words in page.get_data(as_text=True).replace("&#39;", "'")


def test_bad_entity_parameters_are_refused(client: FlaskClient) -> None:
    resp = client.get("/api/entities/person/Rahmat%20Hidayat?sort=alphabet")
    assert resp.status_code == 400 and resp.json["code"] == "invalid_parameters"


def test_the_entity_page_shows_what_the_api_counts(client: FlaskClient) -> None:
    resp = client.get("/entitas/person/Rahmat%20Hidayat?min_count=1&lang=en")
    assert resp.status_code == 200
    soup = BeautifulSoup(resp.get_data(as_text=True), "html.parser")
    assert soup.select_one("#entity")["data-count"] == "2"
    links = {a.get_text(): a["href"] for a in soup.select("#cooccurring a.entity-link")}
    assert links["BPBD"] == "/entitas/organisation/BPBD"
    for link in ("#entity-search", "#entity-map", "#entity-series"):  # each opens
        href = soup.select_one(link)["href"]
        assert "person=Rahmat+Hidayat" in href and client.get(href).status_code == 200, href
    assert [a.get_text() for a in soup.select("#latest h3 a")] == [
        "Banjir susulan di Bekasi",
        "Banjir melanda Bekasi",
    ]


def test_entity_values_link_to_their_pages(client: FlaskClient) -> None:
    page = BeautifulSoup(client.get("/?q=banjir").get_data(as_text=True), "html.parser")
    hrefs = {a["href"] for a in page.select("#facet-person a.entity-page-link")}
    assert "/entitas/person/Rahmat%20Hidayat" in hrefs
    assert not page.select("#facet-outlet a.entity-page-link")  # an outlet is no entity
    article = BeautifulSoup(client.get("/articles/a2").get_data(as_text=True), "html.parser")
    hrefs = {a["href"] for a in article.select("a.entity-page-link")}
    assert "/entitas/person/Sari%20Wulandari" in hrefs and "/entitas/place/Jakarta" in hrefs
    for href in hrefs:  # each link opens a page
        assert client.get(href).status_code == 200, href


def test_the_map_counts_what_the_search_counts(client: FlaskClient) -> None:
    graph = client.get("/api/cooccurrence?q=banjir").json
    search = client.get("/api/search?q=banjir&facet_size=50").json
    assert graph["total"] == search["total"] == 4  # a1, a2, a6, a7
    nodes = {n["id"]: n["count"] for n in graph["nodes"]}
    for etype in ("person", "organisation", "place"):
        for fv in search["facets"][etype]:
            assert nodes[f"{etype}:{fv['value']}"] == fv["count"]
    edges = {(e["source"], e["target"]): e["weight"] for e in graph["edges"]}
    pair = tuple(sorted(["person:Rahmat Hidayat", "place:Bekasi"]))
    assert {tuple(sorted(k)): w for k, w in edges.items()}[pair] == 2  # a1, a2
    assert all(w >= 1 for w in edges.values())


def test_the_map_follows_the_filters(client: FlaskClient) -> None:
    graph = client.get("/api/cooccurrence?q=banjir&outlet=Suara+Pesisir").json
    assert graph["total"] == 1  # a6
    assert {n["id"] for n in graph["nodes"]} == {"organisation:BPBD", "place:Jakarta"}
    assert graph["edges"] == [
        {"source": "organisation:BPBD", "target": "place:Jakarta", "weight": 1, "lift": 1.0}
    ]


def test_the_map_exports_as_graphml_and_csv(client: FlaskClient, tmp_path: Path) -> None:
    graph = client.get("/api/cooccurrence?q=banjir").json
    resp = client.get("/api/cooccurrence?q=banjir&format=graphml")
    assert resp.status_code == 200 and "graphml" in resp.content_type
    path = tmp_path / "map.graphml"
    path.write_bytes(resp.data)
    g = nx.read_graphml(path)
    assert set(g.nodes) == {n["id"] for n in graph["nodes"]}
    assert g.number_of_edges() == len(graph["edges"])
    assert g.nodes["place:Bekasi"]["count"] == 2
    assert g.edges["person:Rahmat Hidayat", "place:Bekasi"]["weight"] == 2
    rows = list(
        csv.DictReader(io.StringIO(client.get("/api/cooccurrence?q=banjir&format=csv").text))
    )
    assert len(rows) == len(graph["edges"])
    weights = {frozenset((r["Source"], r["Target"])): int(r["Weight"]) for r in rows}
    assert weights[frozenset(("Bekasi", "Rahmat Hidayat"))] == 2


def test_the_map_page_draws_each_node_as_a_filter(client: FlaskClient) -> None:
    resp = client.get("/peta?q=banjir&lang=en")
    assert resp.status_code == 200
    soup = BeautifulSoup(resp.get_data(as_text=True), "html.parser")
    nodes = soup.select("#cograph a.node")
    assert len(nodes) == len(client.get("/api/cooccurrence?q=banjir").json["nodes"])
    link = next(a for a in nodes if a["data-key"] == "place:Bekasi")
    assert link["href"] == "/?q=banjir&place=Bekasi"
    assert "node-place" in link["class"]
    assert len(soup.select("#cograph line")) == int(soup.select_one("#map")["data-edges"])
    assert soup.select_one("#export-graphml")["href"].endswith("format=graphml")


def test_bad_map_parameters_are_refused(client: FlaskClient) -> None:
    for query in ("format=pdf", "nodes=1", "nodes=x", "min_weight=0"):
        resp = client.get(f"/api/cooccurrence?q=banjir&{query}")
        assert resp.status_code == 400 and resp.json["code"] == "invalid_parameters", query
    assert client.get("/peta?nodes=0").status_code == 400


KEMENKEU = [
    {"id": "k1", "title": "Penerimaan pajak", "body": "Kemenkeu mencatat penerimaan pajak naik."},
    {"id": "k2", "title": "Anggaran", "body": "Kementerian Keuangan menyiapkan anggaran 2020."},
    {"id": "k3", "title": "Utang", "body": "Kemenkeu dan Bank Indonesia membahas utang."},
    {"id": "k4", "title": "Cukai", "body": "Kementerian Keuangan menaikkan cukai rokok."},
]


@pytest.fixture
def kemenkeu(tmp_path: Path) -> Iterator[FlaskClient]:
    archive = tmp_path / "a.jsonl"
    archive.write_text("".join(json.dumps(r) + "\n" for r in KEMENKEU), encoding="utf-8")
    rebuild_index([archive], tmp_path / "index", grace_seconds=0)  # tagged as production tags
    app = create_app({"INDEX_DIR": tmp_path / "index", "TESTING": True})
    yield app.test_client()
    app.extensions["telusur.search"].close()


def test_a_merged_variant_opens_the_canonical_entity_and_is_listed(kemenkeu: FlaskClient) -> None:
    for name in ("Kemenkeu", "Kementerian Keuangan"):
        body = kemenkeu.get(f"/api/entities/organisation/{quote(name)}").json
        assert body["name"] == "Kementerian Keuangan" and body["count"] == 4, name
        assert "Kemenkeu" in body["variants"]


def test_the_results_page_links_to_its_map_and_its_outlets_over_time(client: FlaskClient) -> None:
    page = BeautifulSoup(client.get("/?q=banjir&outlet=Warta+Timur").text, "html.parser")
    map_url = page.select_one("#map-link")["href"]
    assert map_url == "/peta?q=banjir&outlet=Warta+Timur"
    drawn = BeautifulSoup(client.get(map_url).text, "html.parser")
    assert drawn.select_one("#map")["data-total"] == "1"  # a2: the search's own articles
    series = client.get(page.select_one("#series-link")["href"])
    assert series.status_code == 200 and "series-chart" in series.text
