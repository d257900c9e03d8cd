"""End to end on the user's own sample (../shared/seeds): skipped when it is not there."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from indexer.build import rebuild_index
from tests.conftest import SEEDS
from webui import create_app

pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not present")

SEED_IDS = {p.name for p in SEEDS.glob("*.txt")} if SEEDS.is_dir() else set()


@pytest.fixture(scope="module")
def seeds_client(tmp_path_factory: pytest.TempPathFactory) -> FlaskClient:
    index_dir = tmp_path_factory.mktemp("seeds") / "ix"
    summary = rebuild_index([SEEDS], index_dir)
    assert summary.indexed == 5
    return create_app({"INDEX_DIR": index_dir, "TESTING": True}).test_client()


def test_tokayev_finds_all_five_seeds(seeds_client: FlaskClient) -> None:
    body = seeds_client.get("/api/search?q=Tokayev").get_json()
    assert body["total"] == 5
    assert {h["id"] for h in body["hits"]} == SEED_IDS


def test_kerusuhan_kazakhstan_on_the_page(seeds_client: FlaskClient) -> None:
    html = seeds_client.get("/?q=kerusuhan+kazakhstan").get_data(as_text=True)
    assert html.count('class="hit"') == 5
    assert "<mark" in html


def test_kontan_and_wowkeren_keep_their_dates(seeds_client: FlaskClient) -> None:
    """Both write only "Senin (10/1)": the weekday and the years the other seeds state give
    2022 (Monday 10 January fell in 2011 and 2005 too)."""
    for seed in ("000_", "003_"):
        [doc_id] = [i for i in SEED_IDS if i.startswith(seed)]
        body = seeds_client.get(f"/api/articles/{doc_id}").get_json()
        assert (body["published"], body["date_source"]) == ("2022-01-10", "weekday-inferred")
