"""Issue #20 through /api/search on indexes that `rebuild-index` tags itself: one value per
entity in the facets, a filter on any of its names finds all its articles, namesakes apart."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from index_format.entity_merge import case_merges, company_merges, place_kind_merges
from index_format.namesakes import joins
from indexer.build import rebuild_index
from tests.conftest import article, write_index
from tests.namesake_rows import rows
from webui import create_app


def _client(tmp_path: Path, records: list[dict[str, str]]) -> Iterator[FlaskClient]:
    archive = tmp_path / "a.jsonl"
    archive.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    index_dir = tmp_path / "index"
    rebuild_index([archive], index_dir, grace_seconds=0)
    app = create_app({"INDEX_DIR": index_dir, "TESTING": True})
    yield app.test_client()
    app.extensions["telusur.search"].close()


def facet(client: FlaskClient, name: str, **params: str) -> tuple[dict[str, int], set[str]]:
    body = client.get("/api/search", query_string={"q": "", "per_page": "50", **params}).json
    assert body is not None
    return {v["value"]: v["count"] for v in body["facets"][name]}, {h["id"] for h in body["hits"]}


KEMENKEU = [
    {"id": "k1", "title": "Penerimaan pajak", "body": "Kemenkeu mencatat penerimaan pajak naik."},
    {"id": "k2", "title": "Anggaran", "body": "Kementerian Keuangan menyiapkan anggaran 2020."},
    {"id": "k3", "title": "Utang", "body": "Kemenkeu dan Bank Indonesia membahas utang."},
    {"id": "k4", "title": "Cukai", "body": "Kementerian Keuangan menaikkan cukai rokok."},
    {"id": "k5", "title": "Banjir", "body": "Banjir melanda Bekasi, kata warga."},
]


@pytest.fixture
def kemenkeu(tmp_path: Path) -> Iterator[FlaskClient]:
    yield from _client(tmp_path, KEMENKEU)


def test_kemenkeu_and_kementerian_keuangan_are_one_value(kemenkeu: FlaskClient) -> None:
    orgs, hits = facet(kemenkeu, "organisation", q="")
    assert orgs.get("Kementerian Keuangan") == 4 and "Kemenkeu" not in orgs, orgs
    for name in ("Kemenkeu", "Kementerian Keuangan"):
        orgs, hits = facet(kemenkeu, "organisation", organisation=name)
        assert hits == {"k1", "k2", "k3", "k4"}, name


SRI_MULYANI = [
    *(
        {
            "id": f"m{i}",
            "title": f"APBN 2020 ({i})",
            "body": "Menteri Keuangan Sri Mulyani mengatakan defisit APBN 2020 terjaga. "
            "Sri Mulyani juga bertemu Bank Dunia.",
        }
        for i in range(3)
    ),
    {
        "id": "klaten",
        "title": "Sri Mulyani Siap , Bupati Lewat PDIP",
        "body": "– Sri Mulyani menyatakan siap mendaftarkan diri sebagai bakal calon bupati "
        "melalui Partai Demokrasi Indonesia Perjuangan (PDIP) dalam Pilkada Klaten 2020.",
    },
]


def test_the_klaten_regent_is_not_the_finance_minister(tmp_path: Path) -> None:
    for client in _client(tmp_path, SRI_MULYANI):
        people, _ = facet(client, "person")
        assert people.get("Sri Mulyani Indrawati") == 3, people
        assert people.get("Sri Mulyani") == 1, people
        _, hits = facet(client, "person", person="Sri Mulyani Indrawati")
        assert hits == {"m0", "m1", "m2"}
        _, hits = facet(client, "person", person="Sri Mulyani")
        assert hits == {"klaten"}
        body = client.get("/api/articles/klaten").json
        assert body is not None and body["entities"]["person"] == ["Sri Mulyani"]


def test_case_spacing_and_place_kind_variants_are_one_value() -> None:
    counts = {"WhatsApp": 9, "Whatsapp": 2, "Parepare": 5, "Pare Pare": 1, "Abepura": 4}
    merged = case_merges(counts, {})
    assert merged == {"Whatsapp": "WhatsApp", "Pare Pare": "Parepare"}
    kinds = place_kind_merges({**counts, "Distrik Abepura": 2, "Pulau Komodo": 3}, merged)
    assert kinds["Distrik Abepura"] == "Abepura" and "Pulau Komodo" not in kinds
    companies = {"PT IHM": 3, "IHM": 5, "PT PBB": 1, "PBB": 90}
    assert company_merges(companies, {}) == {"IHM": "PT IHM"}


def test_a_short_name_joins_the_full_name_whose_company_it_keeps() -> None:
    # Lukas Enembe comes with Papua and Jayapura; another Lukas plays football in Madrid.
    # (Other articles name Bandung: a place beside Lukas Enembe is rare elsewhere.)
    people = rows([["Lukas Enembe"], ["Lukas Enembe"], ["Lukas"], ["Lukas"], ["Lukas"], [],
                    ["Lukas Enembe"], *[[]] * 14])  # fmt: skip
    places = rows([["Papua", "Jayapura"], ["Papua", "Jayapura"], ["Papua"], ["Madrid"], [],
                    ["Madrid"], ["Jayapura"], *[["Bandung"]] * 14])  # fmt: skip
    orgs = rows([[], [], [], ["Real Madrid"], [], ["Real Madrid"], [], *[[]] * 14])
    joined = joins([people, orgs, places], 21)
    by_doc = Counter(int(people.doc[row]) for row, _ in joined)
    assert set(by_doc) == {2}, joined  # the Madrid article and the one without context keep it
    assert {people.names[full] for _, full in joined} == {"Lukas Enembe"}


def test_the_article_page_lists_what_the_facets_count(tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    write_index(
        index_dir,
        [
            article("a", "Lukas", "Lukas Enembe di Jayapura.", person=("Lukas Enembe",),
                    place=("Papua", "Jayapura")),
            article("b", "Lukas", "Lukas Enembe di Jayapura.", person=("Lukas Enembe",),
                    place=("Papua", "Jayapura")),
            article("c", "Lukas", "Lukas di Jayapura.", person=("Lukas",),
                    place=("Papua", "Jayapura")),
            *(article(f"x{i}", "Bandung", "Hujan di Bandung.", place=("Bandung",))
              for i in range(10)),
        ],
    )  # fmt: skip
    client = create_app({"INDEX_DIR": index_dir, "TESTING": True}).test_client()
    people, _ = facet(client, "person")
    assert people == {"Lukas Enembe": 3}
    body = client.get("/api/articles/c").json
    assert body is not None and body["entities"]["person"] == ["Lukas Enembe"]
