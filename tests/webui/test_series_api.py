"""Coverage over time (issue #21): /api/series and the /tren page on the small corpus in
every index history. Each series counts what its search counts."""

from __future__ import annotations

import csv
import io

import pytest
from bs4 import BeautifulSoup
from flask.testing import FlaskClient


def total(client: FlaskClient, query: str) -> int:
    body = client.get(f"/api/search?{query}").json
    return int(body["total"])


def test_two_queries_give_two_series_whose_sums_are_their_totals(client: FlaskClient) -> None:
    body = client.get("/api/series?compare=banjir&compare=jakarta&interval=month").json
    assert body["interval"] == "month" and body["normalize"] == "count"
    assert [s["label"] for s in body["series"]] == ["banjir", "jakarta"]
    banjir, jakarta = body["series"]
    assert banjir["total"] == total(client, "q=banjir") == 4
    assert banjir["undated"] == 1  # a7 has no date: on no interval
    assert sum(banjir["counts"]) + banjir["undated"] == banjir["total"]
    assert jakarta["total"] == total(client, "q=jakarta")
    assert sum(jakarta["counts"]) + jakarta["undated"] == jakarta["total"]
    # One axis for both, every month from the first to the last, gaps included.
    assert body["buckets"] == ["2025-08", "2025-09", "2025-10", "2025-11"]
    assert banjir["counts"] == [2, 0, 0, 1]
    assert body["all"] == [2, 1, 2, 1]  # every dated article of the archive per month


def test_the_filters_apply_to_every_series(client: FlaskClient) -> None:
    body = client.get("/api/series?compare=banjir&compare=bekasi&outlet=Warta+Timur").json
    for s in body["series"]:
        assert s["total"] == total(client, f"q={s['label']}&outlet=Warta+Timur")


def test_shares_are_of_all_articles_in_each_interval(client: FlaskClient) -> None:
    body = client.get("/api/series?compare=banjir&interval=month&normalize=share").json
    s = body["series"][0]
    assert s["values"] == [
        pytest.approx(c / a) for c, a in zip(s["counts"], body["all"], strict=True)
    ]
    assert s["values"][0] == 1.0  # both August articles are about banjir


def test_one_query_split_by_outlet_stacks_up_to_its_total(client: FlaskClient) -> None:
    body = client.get("/api/series?q=banjir&split=outlet&top=2").json
    labels = [s["label"] for s in body["series"]]
    assert labels[:2] == ["Kabar Nusantara", "Suara Pesisir"]  # 1 each; then by name
    assert len(labels) == 3  # Warta Timur and the outlet-less a7 are "others"
    assert sum(s["total"] for s in body["series"]) == total(client, "q=banjir")
    stacked = [sum(c) for c in zip(*(s["counts"] for s in body["series"]), strict=True)]
    alone = client.get("/api/series?q=banjir").json
    assert stacked == alone["series"][0]["counts"]


def test_entities_compare_by_their_canonical_names(client: FlaskClient) -> None:
    body = client.get("/api/series?entity=person:rahmat+hidayat&entity=place:Jakarta").json
    assert [(s["label"], s["total"]) for s in body["series"]] == [
        ("person:Rahmat Hidayat", 2),
        ("place:Jakarta", 3),
    ]


def test_the_series_download_as_csv(client: FlaskClient) -> None:
    body = client.get("/api/series?compare=banjir&compare=jakarta&interval=month").json
    resp = client.get("/api/series?compare=banjir&compare=jakarta&interval=month&format=csv")
    assert resp.content_type.startswith("text/csv")
    rows = list(csv.reader(io.StringIO(resp.text)))
    assert rows[0] == ["bucket", "banjir", "jakarta", "all"]
    assert [r[0] for r in rows[1:]] == body["buckets"]
    assert [int(r[1]) for r in rows[1:]] == body["series"][0]["counts"]


@pytest.mark.parametrize(
    ("query", "status", "field"),
    [
        ("&".join(f"compare=w{i}" for i in range(6)), 400, "compare"),
        (
            "compare=a&entity=person:X&entity=place:Y&entity=place:Z&compare=b&compare=c",
            400,
            "compare",
        ),
        ("q=banjir&split=outlet&compare=x", 400, "split"),
        ("entity=Rahmat", 400, "entity"),
        ("entity=people:Rahmat", 400, "entity"),
        ("compare=banjir&normalize=percent", 400, "normalize"),
        ("compare=banjir&interval=decade", 400, "interval"),
        ("entity=person:Nobody", 404, None),
    ],
)
def test_bad_series_requests_are_refused(
    client: FlaskClient, query: str, status: int, field: str | None
) -> None:
    resp = client.get(f"/api/series?{query}", headers={"Accept-Language": "en"})
    assert resp.status_code == status, resp.json
    if field:
        assert resp.json["code"] == "invalid_parameters" and field in resp.json["errors"]
    else:
        assert resp.json["code"] == "entity_not_found"


def test_the_trend_page_draws_a_line_per_query(client: FlaskClient) -> None:
    page = client.get("/tren?compare=banjir&compare=jakarta&lang=en")
    assert page.status_code == 200
    soup = BeautifulSoup(page.get_data(as_text=True), "html.parser")
    assert len(soup.select("#series-chart polyline")) == 2
    legend = [li.get_text(" ", strip=True) for li in soup.select("#series-legend li")]
    assert legend[0].startswith("banjir") and "4 articles" in legend[0] and "1 undated" in legend[0]
    stacked = BeautifulSoup(client.get("/tren?q=banjir&split=outlet").text, "html.parser")
    assert len(stacked.select("#series-chart polygon")) == len(stacked.select("#series-legend li"))
    assert client.get("/tren?normalize=x").status_code == 400
