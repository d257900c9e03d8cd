"""Did-you-mean from the index's own vocabulary (search/suggest.py through the service and API)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from indexer.models import Article
from search.models import SearchRequest
from search.service import SearchService
from tests.conftest import article
from webui import create_app

CORPUS = [
    article(
        f"k{i}",
        "Kerusuhan di Almaty",
        "Kerusuhan pecah di Almaty. Presiden Kassym-Jomart Tokayev meminta bantuan. "
        "Warga berlindung dari kerusuhan.",
        outlet="Kabar Nusantara",
        published=f"2022-01-{i + 1:02d}",
    )
    for i in range(4)
] + [
    article("p1", "Pemilu damai", "Pemilu berjalan damai di Bandung.", published="2022-02-01"),
    article("p2", "Kerusuhn", "Salah ketik sekali: kerusuhn.", published="2022-02-02"),
]


@pytest.fixture
def svc(make_index: Callable[[list[Article]], Path]) -> Iterator[SearchService]:
    s = SearchService(make_index(CORPUS))
    yield s
    s.close()


@pytest.mark.parametrize(
    ("q", "suggestion"),
    [
        ("kerusuhn", "kerusuhan"),  # a typo found once in the archive, the word four times
        ("tokayef", "tokayev"),  # a name: from the unstemmed vocabulary
        ("Tokayef", "tokayev"),
        ("kerusuhn almaty", "kerusuhan almaty"),  # known words kept as typed
        ("judul:kerusuhn -rusia", "judul:kerusuhan -rusia"),  # operators kept
        ("kerusuhan", None),  # known
        ("almaty", None),
        ("pemilu", None),
        ("xq", None),  # too short to guess
        ('"kerusuhn almaty"', None),  # a quoted phrase is taken as typed
        ("", None),
    ],
)
def test_suggestions(svc: SearchService, q: str, suggestion: str | None) -> None:
    assert svc.search(SearchRequest(q=q)).suggestion == suggestion


def test_no_suggestion_far_from_every_word(svc: SearchService) -> None:
    assert svc.search(SearchRequest(q="zzzzzzzz")).suggestion is None


def test_api_carries_suggestion(make_index: Callable[[list[Article]], Path]) -> None:
    app = create_app({"INDEX_DIR": make_index(CORPUS), "TESTING": True})
    client: FlaskClient = app.test_client()
    assert client.get("/api/search?q=tokayef").get_json()["suggestion"] == "tokayev"
    assert client.get("/api/search?q=tokayev").get_json()["suggestion"] is None
