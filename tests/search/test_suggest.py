"""Did-you-mean from the index's own vocabulary (search/suggest.py through the service and API):
offered when a word finds few articles and a correction finds far more; at zero hits, the
correction's results are shown at once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from flask.testing import FlaskClient

from search.models import SearchRequest
from search.service import SearchService
from tests.conftest import article
from tests.indexes import build_index
from webui import create_app

CORPUS = [
    # "habibie": 20 articles; "habibi", a typo, in three of their own (as at 22k: 817 and 7).
    *(
        article(
            f"h{i}",
            "Mengenang BJ Habibie",
            f"Presiden ketiga BJ Habibie dikenang warga ke-{i}. Habibie dimakamkan di Kalibata.",
            person=("BJ Habibie",),
        )
        for i in range(20)
    ),
    *(
        article(f"typo{i}", "Selamat jalan Eyang", f"Warga ke-{i} melayat Pak Habibi di Kalibata.")
        for i in range(3)
    ),
    # "kazakhstan": 12 articles; "kazakstan" in two football stories (at 22k: 26 and 3).
    *(
        article(
            f"k{i}",
            "Kerusuhan di Kazakhstan",
            f"Kerusuhan pecah di Almaty, Kazakhstan, hari ke-{i}. Presiden Tokayev meminta bantuan.",
            place=("Kazakhstan", "Almaty"),
        )
        for i in range(12)
    ),
    article("bola", "Astana menang", "Klub juara Kazakstan itu menang di Liga Europa."),
    article("bola2", "Astana kalah", "Juara Kazakstan itu kalah di Liga Europa."),
    # "cover": a word two letters away from "covid", which the archive never holds.
    *(article(f"c{i}", "Lagu cover", f"Penyanyi itu merilis lagu cover ke-{i}.") for i in range(8)),
]


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("suggest") / "index"
    build_index(path, CORPUS)
    return path


@pytest.fixture
def svc(index_dir: Path) -> Iterator[SearchService]:
    s = SearchService(index_dir)
    yield s
    s.close()


@pytest.fixture
def client(index_dir: Path) -> FlaskClient:
    return create_app({"INDEX_DIR": index_dir, "TESTING": True}).test_client()


@pytest.mark.parametrize(
    ("q", "suggestion"),
    [
        ("habibi", "habibie"),  # 3 articles; the correction 20
        ("Habibi", "habibie"),
        ("kazakstan", "kazakhstan"),  # 2 football stories; the correction 12
        ("kerusuhan kazakstan", "kerusuhan kazakhstan"),  # known words kept as typed
        ("judul:kazakstan OR habibi -rusia", "judul:kazakhstan OR habibie -rusia"),
        ("habibie", None),  # finds many
        ("kalibata", None),  # finds 23: nothing within reach finds far more
        ("covid", None),  # "cover" is two edits from a five-letter word: another word
        ("xq", None),  # too short to guess
        ('"pak habibi"', None),  # a quoted phrase is taken as typed
        ("", None),
    ],
)
def test_suggestions(svc: SearchService, q: str, suggestion: str | None) -> None:
    assert svc.search(SearchRequest(q=q, as_typed=True)).suggestion == suggestion


def test_a_word_is_never_corrected_to_a_rarer_one(svc: SearchService) -> None:
    # "habibie" (20 articles) is one edit from "habibi" (3): no suggestion that way.
    assert svc.search(SearchRequest(q="habibie")).suggestion is None
    assert svc.search(SearchRequest(q="habibie")).corrected is None


def test_few_hits_keep_their_results_and_offer_the_correction(svc: SearchService) -> None:
    result = svc.search(SearchRequest(q="kazakstan"))
    assert {h.id for h in result.hits} == {"bola", "bola2"}  # as typed
    assert (result.suggestion, result.corrected) == ("kazakhstan", None)


def test_no_hits_show_the_correction_at_once(svc: SearchService) -> None:
    result = svc.search(SearchRequest(q="habibbie"))
    assert result.corrected == "habibie"
    assert result.suggestion is None
    assert result.total == 20 and {h.id for h in result.hits} <= {f"h{i}" for i in range(20)}
    as_typed = svc.search(SearchRequest(q="habibbie", as_typed=True))
    assert (as_typed.total, as_typed.corrected) == (0, None)
    assert as_typed.suggestion == "habibie"
    # The export holds what the page shows.
    exported = {v.id for v in svc.iter_all(SearchRequest(q="habibbie"))}
    assert exported == {f"h{i}" for i in range(20)}
    assert not list(svc.iter_all(SearchRequest(q="habibbie", as_typed=True)))


def test_no_hits_and_no_correction_stay_empty(svc: SearchService) -> None:
    result = svc.search(SearchRequest(q="covid"))
    assert (result.total, result.suggestion, result.corrected) == (0, None, None)


def test_api_carries_suggestion_and_correction(client: FlaskClient) -> None:
    assert client.get("/api/search?q=habibi").get_json()["suggestion"] == "habibie"
    assert client.get("/api/search?q=kazakstan").get_json()["suggestion"] == "kazakhstan"
    assert client.get("/api/search?q=covid").get_json()["suggestion"] is None
    assert client.get("/api/search?q=habibie").get_json()["suggestion"] is None
    corrected = client.get("/api/search?q=habibbie").get_json()
    assert (corrected["corrected"], corrected["total"]) == ("habibie", 20)
    typed = client.get("/api/search?q=habibbie&as_typed=true").get_json()
    assert (typed["corrected"], typed["total"], typed["suggestion"]) == (None, 0, "habibie")
    lines = client.get("/api/export.jsonl?q=habibbie").get_data(as_text=True).splitlines()
    assert len(lines) == 20


def test_the_page_says_whose_results_it_shows_and_links_back(client: FlaskClient) -> None:
    def page(url: str) -> BeautifulSoup:
        resp = client.get(url)
        assert resp.status_code == 200
        return BeautifulSoup(resp.get_data(as_text=True), "html.parser")

    soup = page("/?q=habibbie")
    note = soup.select_one("#corrected")
    assert "Menampilkan hasil untuk habibie" in " ".join(note.get_text().split())
    assert soup.select_one("#total")["data-total"] == "20"
    back = soup.select_one("#as-typed")
    assert back.get_text() == "habibbie"
    assert parse_qs(urlsplit(back["href"]).query) == {"q": ["habibbie"], "as_typed": ["1"]}
    typed = page(back["href"])
    assert typed.select_one("#corrected") is None
    assert typed.select_one("#total")["data-total"] == "0"
    assert typed.select_one("#suggestion a").get_text() == "habibie"
    english = page("/?q=habibbie&lang=en").select_one("#corrected").get_text()
    assert "Showing results for habibie" in " ".join(english.split())
    assert "Search instead for" in english
