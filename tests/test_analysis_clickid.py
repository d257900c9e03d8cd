"""Entity pages and the co-occurrence map on real news (issue #21): the CLICK-ID articles that
mention Kazakhstan or riots and the five seeds, indexed as `rebuild-index` indexes them (as
tests/test_counts_clickid.py builds them). Skips without ../shared."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest
from bs4 import BeautifulSoup
from flask.testing import FlaskClient

from tests.conftest import NEWS, SEEDS
from tests.test_counts_clickid import kazakhstan  # noqa: F401 (the fixture)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not NEWS.exists() or not SEEDS.exists(), reason="needs ../shared"),
]


def test_tokayev_appears_with_putin_and_the_csto(kazakhstan: FlaskClient) -> None:  # noqa: F811
    body = kazakhstan.get("/api/entities/person/Kassym-Jomart%20Tokayev").json
    assert body["name"] == "Kassym-Jomart Tokayev" and body["count"] >= 5
    co = {(c["type"], c["name"]): c for c in body["cooccurring"]}
    assert ("person", "Vladimir Putin") in co and ("organisation", "CSTO") in co
    for c in body["cooccurring"]:
        assert 2 <= c["count"] <= min(body["count"], c["total"])
        assert c["lift"] > 1  # named together more often than chance
    # Kazakhstan is in most of these articles: it co-occurs, but less specifically than CSTO.
    assert co["organisation", "CSTO"]["lift"] > co["place", "Kazakhstan"]["lift"]
    search = kazakhstan.get("/api/search?person=Kassym-Jomart+Tokayev&facet_size=100").json
    assert search["total"] == body["count"]
    people = {v["value"]: v["count"] for v in search["facets"]["person"]}
    assert co["person", "Vladimir Putin"]["count"] == people["Vladimir Putin"]
    page = BeautifulSoup(
        kazakhstan.get("/entitas/person/Kassym-Jomart%20Tokayev").get_data(as_text=True),
        "html.parser",
    )
    names = [a.get_text() for a in page.select("#cooccurring a.entity-link")]
    assert "Vladimir Putin" in names and "CSTO" in names


def test_the_map_of_kerusuhan_kazakhstan_draws_and_opens_in_networkx(
    kazakhstan: FlaskClient,  # noqa: F811
    tmp_path: Path,
) -> None:
    page = kazakhstan.get("/peta?q=kerusuhan+kazakhstan")
    assert page.status_code == 200
    soup = BeautifulSoup(page.get_data(as_text=True), "html.parser")
    keys = {a["data-key"] for a in soup.select("#cograph a.node")}
    assert {"person:Kassym-Jomart Tokayev", "organisation:CSTO", "place:Kazakhstan"} <= keys
    assert soup.select("#cograph line")
    path = tmp_path / "kazakhstan.graphml"
    path.write_bytes(kazakhstan.get("/api/cooccurrence?q=kerusuhan+kazakhstan&format=graphml").data)
    g = nx.read_graphml(path)
    assert set(g.nodes) == keys
    assert g.graph["total"] == 6  # the six articles with both words
    assert g.edges["person:Kassym-Jomart Tokayev", "organisation:CSTO"]["weight"] == 5
    assert max(w for _, _, w in g.edges(data="weight")) <= 6


def test_two_queries_compared_over_time_sum_to_their_totals(
    kazakhstan: FlaskClient,  # noqa: F811
) -> None:
    body = kazakhstan.get("/api/series?compare=kerusuhan+kazakhstan&compare=demo+mahasiswa").json
    assert len(body["series"]) == 2
    for s in body["series"]:
        search = kazakhstan.get("/api/search", query_string={"q": s["label"]}).json
        assert s["total"] == search["total"] > 0
        assert sum(s["counts"]) + s["undated"] == s["total"]
        assert all(c <= a for c, a in zip(s["counts"], body["all"], strict=True))
    # The same search as one series: the timeline the results page draws, bucket for bucket.
    search = kazakhstan.get("/api/search?q=kerusuhan+kazakhstan").json
    interval = search["date_interval"]
    one = kazakhstan.get(f"/api/series?compare=kerusuhan+kazakhstan&interval={interval}").json
    drawn = dict(zip(one["buckets"], one["series"][0]["counts"], strict=True))
    timeline = {v["value"]: v["count"] for v in search["facets"]["published"]}
    assert timeline == {b: c for b, c in drawn.items() if c}
