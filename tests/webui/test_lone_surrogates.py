"""Lone surrogates in stored text (an index written by an older reader can hold
"Banjir \\udc80 judul" in a title or body; outlets and entities are stored as UTF-8 and cannot):
every page, API answer and export shows U+FFFD instead of failing."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from flask.testing import FlaskClient

import tests.indexes
from indexer import prepare
from indexer.models import Article
from tests.conftest import article
from webui import create_app

LONE = "\udc80"
PLACEHOLDER = "LONESURROGATE"  # what the test archive holds instead (a file cannot hold one)

ARTICLES = [
    article(
        "s1",
        f"Banjir {LONE} judul",
        f"Banjir melanda kota {LONE} pagi ini. Warga mengungsi karena banjir.\nParagraf {LONE} dua.",
        outlet="Warta Timur",
        published="2025-06-01",
        person=("Budi",),
        place=("Bekasi",),
    ),
    article(
        "s2",
        "Banjir biasa di Bekasi",
        "Banjir biasa melanda Bekasi tanpa huruf aneh. Banjir surut sore harinya.",
        outlet="Kabar Nusantara",
        published="2025-06-02",
        place=("Bekasi",),
    ),
]
SHOWN = "\ufffd"


@pytest.fixture
def surrogate_client(
    make_index: Callable[[list[Article]], Path], monkeypatch: pytest.MonkeyPatch
) -> FlaskClient:
    """An index whose stored title and body hold a lone surrogate, as an
    older version could write it: the reader is bypassed (it may replace them on ingestion)."""
    record = tests.indexes._record
    extract = prepare.extract

    def to_file(a: Article) -> dict[str, str | None]:
        return {k: v.replace(LONE, PLACEHOLDER) if v else v for k, v in record(a).items()}

    def from_file(*args: object, **kwargs: object) -> Article:
        got = extract(*args, **kwargs)  # type: ignore[arg-type]
        got.title, got.body = (s.replace(PLACEHOLDER, LONE) for s in (got.title, got.body))
        return got

    monkeypatch.setattr(tests.indexes, "_record", to_file)
    monkeypatch.setattr(prepare, "extract", from_file)
    index_dir = make_index(ARTICLES)
    monkeypatch.undo()
    return create_app({"INDEX_DIR": index_dir, "TESTING": True}).test_client()


def _text(client: FlaskClient, url: str) -> str:
    r = client.get(url)
    assert r.status_code == 200, (url, r.status_code)
    data = r.get_data()
    text = data.decode("utf-8")  # strict: valid UTF-8 throughout
    assert "\\udc80" not in text.lower(), url  # no escaped lone surrogate in JSON either
    return text


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("/?q=banjir", [f"Banjir {SHOWN} judul", f"kota {SHOWN} pagi"]),
        ("/?q=banjir&place=Bekasi&sort=newest", [f"Banjir {SHOWN} judul"]),
        ("/articles/s1", [f"Banjir {SHOWN} judul", f"Paragraf {SHOWN} dua"]),
        ("/articles/s1?q=banjir", [f"Banjir {SHOWN} judul", f"kota {SHOWN} pagi"]),
        ("/articles/s2", [f"Banjir {SHOWN} judul"]),  # s1 among the related articles
    ],
)
def test_pages_show_replacement_character(
    surrogate_client: FlaskClient, url: str, shown: list[str]
) -> None:
    text = _text(surrogate_client, url)
    for s in shown:
        assert s in text, (url, s)


def test_api_returns_replacement_character(surrogate_client: FlaskClient) -> None:
    body = json.loads(_text(surrogate_client, "/api/search?q=banjir"))
    hit = next(h for h in body["hits"] if h["id"] == "s1")
    assert hit["title"] == f"Banjir {SHOWN} judul"
    assert f"kota {SHOWN} pagi" in hit["snippet"]
    one = json.loads(_text(surrogate_client, "/api/articles/s1"))
    assert one["title"] == f"Banjir {SHOWN} judul"
    assert one["body"].startswith(f"Banjir melanda kota {SHOWN} pagi")


def test_exports_return_replacement_character(surrogate_client: FlaskClient) -> None:
    exported = _text(surrogate_client, "/api/export.csv?q=banjir")
    assert exported.startswith("\ufeff")  # the BOM spreadsheets need
    rows = list(csv.DictReader(io.StringIO(exported.removeprefix("\ufeff"))))
    assert {r["id"] for r in rows} == {"s1", "s2"}
    s1 = next(r for r in rows if r["id"] == "s1")
    assert s1["title"] == f"Banjir {SHOWN} judul"
    assert f"Paragraf {SHOWN} dua" in s1["body"]
    lines = _text(surrogate_client, "/api/export.jsonl?q=banjir").splitlines()
    records = {r["id"]: r for r in map(json.loads, lines)}
    assert records["s1"]["title"] == f"Banjir {SHOWN} judul"
    assert f"Paragraf {SHOWN} dua" in records["s1"]["body"]
    assert records["s2"]["title"] == "Banjir biasa di Bekasi"
