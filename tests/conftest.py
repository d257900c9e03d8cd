"""Shared fixtures: indexes built as production builds them (every count known, in each
history: tests/indexes.py), the app, its client and the CLI."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient

from indexer import document
from indexer.models import Article
from search.service import SearchService
from tests.indexes import HISTORIES, build_index
from webui import create_app

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "seeds"
NEWS = SHARED / "data" / "news-clickid.jsonl.gz"
DATA = Path(__file__).resolve().parent / "data"
ADDED_AT = 1_767_225_600  # 2026-01-01T00:00:00Z: when every test article enters its index


def article(
    id: str,
    title: str,
    body: str,
    *,
    outlet: str | None = None,
    published: str | None = None,
    person: tuple[str, ...] = (),
    organisation: tuple[str, ...] = (),
    place: tuple[str, ...] = (),
    url: str | None = None,
) -> Article:
    """An Article as the indexer would produce it, with entities given rather than tagged."""
    return Article(
        id=id,
        title=title,
        body=body,
        url=url,
        outlet=outlet,
        outlet_source="metadata" if outlet else "none",
        published=date.fromisoformat(published) if published else None,
        date_source="metadata" if published else "none",
        person=list(person),
        organisation=list(organisation),
        place=list(place),
    )


def write_index(index_dir: Path, articles: list[Article], history: str = "fresh") -> Path:
    """Index `articles` into `index_dir` as `telusur rebuild-index` does (entities given rather
    than tagged), with the given history (tests/indexes.py); returns `current`."""
    return build_index(index_dir, articles, history)


# The small corpus of the service, API and page tests: every facet count below is known.
SMALL_CORPUS = [
    article(
        "a1",
        "Banjir melanda Bekasi",
        "Banjir besar melanda Kota Bekasi pada Senin pagi. Warga mengungsi.",
        outlet="Kabar Nusantara",
        published="2025-08-04",
        person=("Rahmat Hidayat",),
        organisation=("BPBD",),
        place=("Bekasi",),
    ),
    article(
        "a2",
        "Banjir susulan di Bekasi",
        "Hujan deras kembali menyebabkan banjir di Bekasi. BPBD siaga.",
        outlet="Warta Timur",
        published="2025-08-05",
        person=("Rahmat Hidayat", "Sari Wulandari"),
        organisation=("BPBD",),
        place=("Bekasi", "Jakarta"),
    ),
    article(
        "a3",
        "KPK periksa pejabat pelabuhan",
        "Komisi Pemberantasan Korupsi memeriksa pejabat pelabuhan Makassar.",
        outlet="Kabar Nusantara",
        published="2025-09-10",
        person=("Sari Wulandari",),
        organisation=("KPK",),
        place=("Makassar",),
    ),
    article(
        "a4",
        "Kapal nelayan terbakar di Maluku",
        "Sebuah kapal nelayan terbakar di perairan Maluku. Tidak ada korban.",
        outlet="Suara Pesisir",
        published="2025-10-01",
        place=("Maluku", "Ambon"),
    ),
    article(
        "a5",
        "Pasar barang bekas ramai",
        "Pasar barang bekas di Jakarta ramai pengunjung menjelang akhir pekan.",
        outlet="Warta Timur",
        published="2025-10-15",
        place=("Jakarta",),
    ),
    article(
        "a6",
        "Banjir rob di Jakarta utara",
        "Banjir rob merendam permukiman di Jakarta Utara. BPBD mengerahkan pompa.",
        outlet="Suara Pesisir",
        published="2025-11-20",
        organisation=("BPBD",),
        place=("Jakarta",),
    ),
    article(
        "a7",
        "Catatan tanpa tanggal",
        "Artikel arsip tanpa media dan tanpa tanggal tentang banjir lama.",
    ),
]


@pytest.fixture(autouse=True)
def _close_services(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Close every SearchService a test opened (the apps it created hold one each): left to
    the garbage collector, their segment files were finalised in a later test and warned."""
    opened: list[SearchService] = []
    real_init = SearchService.__init__

    def tracking_init(self: SearchService, *args: Any, **kwargs: Any) -> None:
        real_init(self, *args, **kwargs)
        opened.append(self)

    monkeypatch.setattr(SearchService, "__init__", tracking_init)
    yield
    for svc in opened:
        svc.close()


@pytest.fixture(autouse=True)
def _one_added_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every article written in a test is added at one time (index_format.schema's `added`):
    two builds of one archive then store the same fields. Tests of `added` set their own."""
    monkeypatch.setattr(document, "now", lambda: ADDED_AT)


@pytest.fixture
def make_index(tmp_path: Path) -> Callable[..., Path]:
    """Factory: a new index directory holding the given articles (history: fresh unless
    given)."""

    def make(articles: list[Article], history: str = "fresh") -> Path:
        index_dir = tmp_path / f"index-{len(list(tmp_path.glob('index-*')))}"
        write_index(index_dir, articles, history)
        return index_dir

    return make


@pytest.fixture(scope="session", params=HISTORIES)
def small_index(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """SMALL_CORPUS in each history an index can have: fresh, several segments, updated."""
    index_dir = tmp_path_factory.mktemp(f"small-{request.param}") / "index"
    write_index(index_dir, SMALL_CORPUS, request.param)
    return index_dir


@pytest.fixture
def service(small_index: Path) -> Iterator[SearchService]:
    svc = SearchService(small_index)
    yield svc
    svc.close()


@pytest.fixture
def app(small_index: Path) -> Flask:
    return create_app({"INDEX_DIR": small_index, "TESTING": True})


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()
