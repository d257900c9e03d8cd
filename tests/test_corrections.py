"""Corrections without a rebuild: `telusur entities merge|rename|exclude|retype|report`, the
page's "report or correct" form, and what search makes of them, end to end."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from index_format.corrections import Correction, append_correction, read_corrections
from indexer.cli import main
from search.models import SearchRequest, SearchResult
from search.service import SearchService
from tests.conftest import article, write_index
from webui import create_app

CORPUS = [
    article("b1", "Ahok di Balai Kota", "Ahok hadir.", person=("Ahok",), organisation=("ASN",)),
    article("b2", "Ahok lagi", "Ahok bicara.", person=("Ahok", "Joko Widodo")),
    *(
        article(f"b{i}", "Basuki", "Basuki Tjahaja Purnama hadir.",
                person=("Basuki Tjahaja Purnama",))
        for i in (3, 4, 5)
    ),
    article("p1", "Internet di Papua", "Boven Digoel gelap.", person=("Boven Digoel",),
            place=("Papua",)),
    article("p2", "Boven Digoel", "Warga Boven Digoel.", place=("Boven Digoel",)),
]  # fmt: skip


@pytest.fixture
def index_dir(tmp_path: Path) -> Path:
    index_dir = tmp_path / "index"
    write_index(index_dir, CORPUS)
    return index_dir


@pytest.fixture
def svc(index_dir: Path) -> Iterator[SearchService]:
    service = SearchService(index_dir)
    yield service
    service.close()


def values(r: SearchResult, facet: str) -> dict[str, int]:
    return {fv.value: fv.count for fv in r.facets[facet]}


def ids(r: SearchResult) -> set[str]:
    return {h.id for h in r.hits}


def telusur(index_dir: Path, *args: str) -> str:
    result = CliRunner().invoke(main, ["--index-dir", str(index_dir), "entities", *args])
    assert result.exit_code == 0, result.output
    return result.output


def snapshot(index_dir: Path) -> dict[str, float]:
    """Every file of the index but the corrections, with its modification time."""
    return {
        str(p): p.stat().st_mtime
        for p in index_dir.rglob("*")
        if p.is_file() and p.name != "corrections.jsonl"
    }


def test_merge_makes_one_value_that_either_name_filters(
    index_dir: Path, svc: SearchService
) -> None:
    before = svc.search(SearchRequest(q="", per_page=20))
    assert values(before, "person")["Ahok"] == 2
    files, generation = snapshot(index_dir), svc.stats()["generation"]

    out = telusur(index_dir, "merge", "Ahok", "Basuki Tjahaja Purnama", "--by", "ana")
    assert "no rebuild" in out

    # The same service, with no new generation: applied at the next request.
    r = svc.search(SearchRequest(q="", per_page=20))
    assert values(r, "person")["Basuki Tjahaja Purnama"] == 5
    assert "Ahok" not in values(r, "person")
    for name in ("Ahok", "Basuki Tjahaja Purnama"):
        hit = svc.search(SearchRequest(q="", filters={"person": (name,)}, per_page=20))
        assert ids(hit) == {"b1", "b2", "b3", "b4", "b5"}, name
        assert [(fv.value, fv.count) for fv in hit.facets["person"] if fv.selected] == [
            ("Basuki Tjahaja Purnama", 5)
        ]
    hit = svc.search(SearchRequest(q="", filters={"person": ("Ahok",)}, per_page=20))
    assert all(h.entities["person"][0] == "Basuki Tjahaja Purnama" for h in hit.hits)
    assert svc.stats()["generation"] == generation and snapshot(index_dir) == files


def test_exclude_and_retype(index_dir: Path, svc: SearchService) -> None:
    telusur(index_dir, "exclude", "ASN", "--facet", "organisation")
    telusur(index_dir, "retype", "Boven Digoel", "place")
    r = svc.search(SearchRequest(q="", per_page=20))
    assert "ASN" not in values(r, "organisation")
    assert "Boven Digoel" not in values(r, "person")
    assert values(r, "place")["Boven Digoel"] == 2  # p1's moved value joins p2's
    assert ids(svc.search(SearchRequest(q="", filters={"organisation": ("ASN",)}))) == set()
    found = svc.search(SearchRequest(q="", filters={"place": ("Boven Digoel",)}))
    assert ids(found) == {"p1", "p2"}
    view, _ = svc.article("p1")
    assert view.entities["person"] == [] and "Boven Digoel" in view.entities["place"]
    view, _ = svc.article("b1")
    assert view.entities["organisation"] == []


def test_rename_then_report_and_the_log(index_dir: Path, svc: SearchService) -> None:
    telusur(index_dir, "rename", "Joko Widodo", "Jokowi", "--by", "budi", "--note", "short")
    telusur(index_dir, "report", "Basuki Tjahaja Purnama", "--note", "check spelling")
    r = svc.search(SearchRequest(q="", per_page=20))
    assert values(r, "person")["Jokowi"] == 1 and "Joko Widodo" not in values(r, "person")
    assert values(r, "person")["Basuki Tjahaja Purnama"] == 3  # a report changes nothing
    lines = (index_dir / "corrections.jsonl").read_text(encoding="utf-8").splitlines()
    log = [json.loads(line) for line in lines]
    first = log[0]
    assert (first["op"], first["name"], first["target"], first["by"]) == (
        "rename",
        "Joko Widodo",
        "Jokowi",
        "budi",
    )
    assert all(c["at"] and c["by"] for c in log) and log[1]["note"] == "check spelling"


def test_a_bad_correction_is_refused_and_a_bad_line_is_skipped(index_dir: Path) -> None:
    result = CliRunner().invoke(
        main, ["--index-dir", str(index_dir), "entities", "retype", "Ahok", "planet"]
    )
    assert result.exit_code != 0
    path = index_dir / "corrections.jsonl"
    path.write_text('not json\n{"op": "explode", "name": "x"}\n', encoding="utf-8")
    append_correction(path, Correction("exclude", "Ahok", by="t"))
    assert [c.op for c in read_corrections(path)] == ["exclude"]


def test_tagging_a_file_still_works(tmp_path: Path) -> None:
    text = tmp_path / "t.txt"
    text.write_text("Presiden Joko Widodo tiba di Jakarta.", encoding="utf-8")
    out = CliRunner().invoke(main, ["entities", str(text)])
    assert out.exit_code == 0 and '"canonical": "Joko Widodo"' in out.output


def test_the_page_form_writes_the_same_file_only_when_allowed(index_dir: Path) -> None:
    read_only = create_app({"INDEX_DIR": index_dir, "TESTING": True}).test_client()
    page = read_only.get("/?q=ahok").get_data(as_text=True)
    assert "/corrections" not in page
    form = {"facet": "person", "name": "Ahok", "op": "exclude", "back": "/?q=ahok"}
    assert (
        read_only.post(
            "/corrections", data=form, headers={"Origin": "http://localhost"}
        ).status_code
        == 404
    )
    assert not (index_dir / "corrections.jsonl").exists()

    app = create_app({"INDEX_DIR": index_dir, "TESTING": True, "TELUSUR_ALLOW_CORRECTIONS": True})
    client = app.test_client()
    writes = {
        r.rule
        for r in app.url_map.iter_rules()
        if (r.methods or set()) - {"GET", "HEAD", "OPTIONS"}
    }
    # and nothing else writes (a POSTed /api/search is a search with a JSON body)
    assert writes - {"/api/search"} == {"/corrections"}
    assert 'action="/corrections"' in client.get("/?q=ahok").get_data(as_text=True)
    assert client.post("/corrections", data=form).status_code == 403  # no origin: refused
    resp = client.post(
        "/corrections", data={**form, "by": "rina"}, headers={"Origin": "http://localhost"}
    )
    assert resp.status_code == 303 and resp.headers["Location"] == "/?q=ahok"
    (logged,) = read_corrections(index_dir / "corrections.jsonl")
    assert (logged.op, logged.name, logged.facet) == ("exclude", "Ahok", "person")
    assert logged.by.startswith("rina (") and logged.at
    body = client.get("/api/search?q=ahok").get_json()
    assert "Ahok" not in {v["value"] for v in body["facets"]["person"]}


def test_settings_allow_corrections_from_the_environment() -> None:
    from index_format.settings import Settings

    assert Settings.from_env({}).allow_corrections is False
    on = Settings.from_env({"TELUSUR_ALLOW_CORRECTIONS": "1", "TELUSUR_INDEX_DIR": "/x"})
    assert on.allow_corrections is True and on.corrections_path == Path("/x/corrections.jsonl")
    assert (
        os.fspath(Settings.from_env({"TELUSUR_CORRECTIONS_FILE": "/c.jsonl"}).corrections_path)
        == "/c.jsonl"
    )
