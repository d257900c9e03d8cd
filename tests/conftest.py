"""Shared fixtures: hand-built indexes (every count known), the app, its client and the CLI."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from whoosh import index

from indexer.build import current_path, swap_current
from indexer.models import Article
from indexer.schema import build_schema, to_document
from search.service import SearchService
from webui import create_app

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "seeds"
NEWS = SHARED / "data" / "news-clickid.jsonl.gz"
DATA = Path(__file__).resolve().parent / "data"


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


def write_index(index_dir: Path, articles: list[Article]) -> Path:
    """Write `articles` as the current generation of `index_dir`, bypassing extraction/tagging."""
    index_dir.mkdir(parents=True, exist_ok=True)
    gen = index_dir / f"gen-test-{len(list(index_dir.glob('gen-*')))}"
    gen.mkdir()
    ix = index.create_in(gen, build_schema())
    with ix.writer() as w:
        for a in articles:
            w.add_document(**to_document(a))
    swap_current(index_dir, gen)
    return current_path(index_dir)


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


@pytest.fixture
def make_index(tmp_path: Path) -> Callable[[list[Article]], Path]:
    """Factory: a fresh index directory holding the given articles."""

    def make(articles: list[Article]) -> Path:
        index_dir = tmp_path / f"index-{len(list(tmp_path.glob('index-*')))}"
        write_index(index_dir, articles)
        return index_dir

    return make


@pytest.fixture(scope="session")
def small_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    index_dir = tmp_path_factory.mktemp("small") / "index"
    write_index(index_dir, SMALL_CORPUS)
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
