"""Issue #20, round 17: error kinds the seven fresh facet sets share (bench/facet_labels.tsv,
"fresh".."fresh7"), each rule a test that fails without it. The texts are CLICK-ID's own
sentences, cut to what matters."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from flask.testing import FlaskClient

from indexer.build import rebuild_index
from webui import create_app


def _article(doc_id: str, body: str) -> dict[str, str]:
    return {"id": doc_id, "title": f"Berita {doc_id}", "body": body, "outlet": "Kompas.com"}


# An acronym stands for one body: UI, which articles spell out as Universitas Indonesia, is no
# acronym of "PT Unilever Indonesia Tbk", though that company's initials spell it too.
ARCHIVE = [
    *(
        _article(f"ui{i}", "Mahasiswa Universitas Indonesia (UI) berunjuk rasa di depan DPR.")
        for i in range(4)
    ),
    *(
        _article(f"u{i}", "Rektor UI meminta mahasiswa menjaga ketertiban kampus.")
        for i in range(6)
    ),
    *(
        _article(
            f"pt{i}",
            "Sampo itu merek perawatan rambut dari PT Unilever Indonesia Tbk. yang dipercaya.",
        )
        for i in range(2)
    ),
]
COMPANY = {"pt0", "pt1"}


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FlaskClient]:
    tmp = tmp_path_factory.mktemp("round17")
    archive = tmp / "a.jsonl"
    archive.write_text("".join(json.dumps(r) + "\n" for r in ARCHIVE), encoding="utf-8")
    rebuild_index([archive], tmp / "index", grace_seconds=0)
    app = create_app({"INDEX_DIR": tmp / "index", "TESTING": True})
    yield app.test_client()
    app.extensions["telusur.search"].close()


def _search(client: FlaskClient, **params: str) -> tuple[dict[str, int], set[str]]:
    body = client.get("/api/search", query_string={"q": "", "per_page": "50", **params}).json
    assert body is not None
    facet = {v["value"]: v["count"] for v in body["facets"]["organisation"]}
    return facet, {h["id"] for h in body["hits"]}


def test_an_acronym_spelled_out_as_a_university_takes_no_company(client: FlaskClient) -> None:
    values, _ = _search(client)
    assert values.get("UI") == 10, values
    company = [v for v in values if "Unilever" in v]
    assert len(company) == 1 and values[company[0]] == 2, values
    _, hits = _search(client, organisation=company[0])
    assert hits == COMPANY
    _, hits = _search(client, organisation="UI")
    assert not hits & COMPANY
