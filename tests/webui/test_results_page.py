"""The results page that keeps up with an analyst (issue 22), as HTML without JavaScript:
compression, the CSV's BOM and name, back to the exact results, empty states that explain
themselves, presets from dates that hold articles, the zooming timeline, chips."""

from __future__ import annotations

import gzip
import re
from datetime import date

import pytest
from bs4 import BeautifulSoup
from flask.testing import FlaskClient

from tests.conftest import article
from tests.webui.pages import qs, soup_of
from webui import create_app
from webui.filenames import download_name, slug
from webui.timeline_labels import short_label, span_label

# Articles on days of September–October 2019, then two in January 2022: a gap of two years.
DAYS = [
    "2019-09-02", "2019-09-03", "2019-09-09", "2019-09-10", "2019-09-11", "2019-09-14",
    "2019-09-16", "2019-09-20", "2019-09-30", "2019-10-05", "2022-01-10", "2022-01-12",
]  # fmt: skip


@pytest.fixture(scope="module")
def years_client(tmp_path_factory: pytest.TempPathFactory) -> FlaskClient:
    from tests.conftest import write_index

    docs = [
        article(
            f"b{i}",
            f"Banjir hari ke-{i}",
            f"Banjir melanda kota pada hari ke-{i}. Warga mengungsi.",
            outlet="Kabar Nusantara" if i % 2 else "Warta Timur",
            published=day,
            place=("Jakarta",) if i % 3 else ("Bekasi",),
        )
        for i, day in enumerate(DAYS)
    ]
    index_dir = tmp_path_factory.mktemp("years") / "index"
    write_index(index_dir, docs)
    return create_app({"INDEX_DIR": index_dir, "TESTING": True}).test_client()


# -- compression ----------------------------------------------------------------------------


def test_results_page_is_compressed_when_the_client_accepts_it(client: FlaskClient) -> None:
    plain = client.get("/?q=banjir")
    assert "Content-Encoding" not in plain.headers
    packed = client.get("/?q=banjir", headers={"Accept-Encoding": "gzip"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    took = re.compile(rb'<span id="took">[^<]*</span>')  # the one part that differs per request
    assert took.sub(b"", gzip.decompress(packed.get_data())) == took.sub(b"", plain.get_data())
    assert len(packed.get_data()) < len(plain.get_data()) / 3
    api = client.get("/api/search?q=banjir", headers={"Accept-Encoding": "br"})
    assert api.headers["Content-Encoding"] == "br"


# -- the CSV ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("q", "name"),
    [
        ("banjir", "telusur-banjir-2026-12-05.csv"),
        ('"Banjir Bandang" -Jakarta', "telusur-banjir-bandang-jakarta-2026-12-05.csv"),
        ("Pemilu 2019 – Ma’ruf", "telusur-pemilu-2019-maruf-2026-12-05.csv"),
        ("../../etc/passwd", "telusur-etc-passwd-2026-12-05.csv"),
        ("", "telusur-2026-12-05.csv"),
        ("“”", "telusur-2026-12-05.csv"),
    ],
)
def test_download_names_say_the_query_and_date_in_safe_characters(q: str, name: str) -> None:
    assert download_name(q, date(2026, 12, 5), "csv") == name


def test_slug_is_capped() -> None:
    assert len(slug("kata " * 50)) <= 40 and not slug("kata " * 50).endswith("-")


def test_csv_export_has_a_bom_and_a_named_file(client: FlaskClient) -> None:
    resp = client.get("/api/export.csv?q=banjir&outlet=Warta+Timur")
    assert resp.get_data().startswith("\ufeffid,title,".encode())
    today = date.today().isoformat()
    assert f'filename="telusur-banjir-{today}.csv"' in resp.headers["Content-Disposition"]
    jsonl = client.get("/api/export.jsonl?q=banjir")
    assert not jsonl.get_data().startswith(b"\xef\xbb\xbf")  # JSON Lines: no BOM
    assert f'filename="telusur-banjir-{today}.jsonl"' in jsonl.headers["Content-Disposition"]


# -- back to results ----------------------------------------------------------------------------


def test_back_to_results_restores_page_three(years_client: FlaskClient) -> None:
    soup = soup_of(years_client, "/?q=banjir&per_page=2&sort=oldest&page=3")
    link = soup.select_one(".hit h3 a")["href"]
    assert qs(link)["page"] == ["3"]
    back = soup_of(years_client, link).select_one(".back a")["href"]
    assert qs(back) == {"q": ["banjir"], "per_page": ["2"], "sort": ["oldest"], "page": ["3"]}
    again = soup_of(years_client, back)
    assert again.select_one(".pager .current").get_text() == "3"


# -- empty states ---------------------------------------------------------------------------


def test_stopwords_only_says_why(client: FlaskClient) -> None:
    soup = soup_of(client, "/?q=yang&lang=en")
    (why,) = soup.select("#empty-state .why")
    assert why["data-why"] == "empty_stopwords" and "too common" in why.get_text()


def test_no_article_in_range_says_how_many_are_outside(client: FlaskClient) -> None:
    soup = soup_of(client, "/?q=banjir&from=2001-01-01&to=2001-02-01")
    (why,) = soup.select("#empty-state .why")
    assert why["data-why"] == "empty_range"
    # The articles with a date outside the range (one banjir article has no date at all).
    dated = client.get("/api/search?q=banjir&facets=published").get_json()["facets"]["published"]
    assert f"ada {sum(b['count'] for b in dated)}." in why.get_text()
    assert qs(why.select_one("a")["href"]) == {"q": ["banjir"]}


def test_filter_value_that_matches_nothing_is_named(client: FlaskClient) -> None:
    soup = soup_of(client, "/?q=banjir&outlet=Tidak+Ada&lang=en")
    (why,) = soup.select("#empty-state .why")
    assert why["data-why"] == "empty_value" and "“Tidak Ada”" in why.get_text()
    assert qs(why.select_one("a")["href"]) == {"q": ["banjir"]}


def test_zero_result_page_shows_no_empty_facet_headings(client: FlaskClient) -> None:
    soup = soup_of(client, "/?q=gempabumizzz&as_typed=1")
    assert soup.select_one("#total")["data-total"] == "0"
    assert not soup.select(".facet h2")  # no group and no time section with nothing in it
    # Nothing to filter: no drawer, no Filter button, the results take the whole width.
    assert not soup.select("#facets, #filter-toggle")
    assert "no-facets" in soup.select_one(".layout")["class"]
    assert len(soup.select("h1")) == 1
    # A filter value that matched nothing keeps its group: its box unticks it.
    soup = soup_of(client, "/?q=banjir&outlet=Tidak+Ada")
    assert [h.get_text() for h in soup.select(".facet h2")] == ["Media"]


# -- presets ------------------------------------------------------------------------------------


def test_presets_count_days_that_hold_articles_back_from_the_newest(
    years_client: FlaskClient,
) -> None:
    soup = soup_of(years_client, "/?q=banjir&lang=en")
    presets = {a.get_text(): qs(a["href"]) for a in soup.select(".presets a")}
    # The last 7 days with articles: 2 in 2022, then 5 back into 2019 (not 7 days of January).
    assert presets["Last 7 days with articles"] == {
        "q": ["banjir"],
        "from": ["2019-09-14"],
        "to": ["2022-01-12"],
    }
    assert "Last 30 days with articles" not in presets  # that would be the whole archive
    # The years that hold articles, not the years between.
    assert [k for k in presets if k.isdigit()] == ["2019", "2022"]
    hits = soup_of(years_client, "/?q=banjir&from=2019-09-14&to=2022-01-12")
    assert hits.select_one("#total")["data-total"] == "7"


# -- the zooming timeline --------------------------------------------------------------------


def bars_of(soup: BeautifulSoup) -> list[tuple[str, str, str]]:
    return [
        (a["data-from"], a["data-to"], a["aria-label"]) for a in soup.select("#histogram a.slot")
    ]


def test_timeline_zooms_year_month_week_day_and_back(years_client: FlaskClient) -> None:
    soup = soup_of(years_client, "/?q=banjir&lang=en")
    # Unzoomed, 28 months from Sep 2019 to Jan 2022: whole calendar months, gaps drawn empty.
    slots = soup.select("#histogram .slot")
    assert (slots[0]["data-from"], slots[0]["data-to"]) == ("2019-09-01", "2019-09-30")
    assert (slots[-1]["data-from"], slots[-1]["data-to"]) == ("2022-01-01", "2022-01-31")
    assert len(slots) == 29 and len(bars_of(soup)) == 3
    assert not soup.select("#zoom-out")

    # The year 2019 (a preset, or a year bar) is drawn by month.
    year = next(a["href"] for a in soup.select(".presets a") if a.get_text() == "2019")
    soup = soup_of(years_client, year + "&lang=en")
    assert "month" in soup.select_one(".timeline figcaption").get_text()
    months = bars_of(soup)
    assert [m[:2] for m in months] == [("2019-09-01", "2019-09-30"), ("2019-10-01", "2019-10-31")]
    assert months[0][2] == "1–30 Sep 2019: 9 articles"
    # The year as far as the archive goes: Sep–Dec 2019.
    assert [t.get_text() for t in soup.select(".timeline .tick")] == ["Sep 2019", "Dec 2019"]
    assert qs(soup.select_one("#zoom-out")["href"]) == {"q": ["banjir"]}

    # September by week...
    soup = soup_of(years_client, soup.select_one("#histogram a.slot")["href"] + "&lang=en")
    weeks = bars_of(soup)
    assert weeks[0][:2] == ("2019-09-02", "2019-09-08")
    assert weeks[1][2] == "9–15 Sep 2019: 4 articles"
    zoom_out = soup.select_one("#zoom-out")
    assert "2019" in zoom_out.get_text()
    assert qs(zoom_out["href"])["from"] == ["2019-01-01"]

    # ...and a week by day, the quiet days too; one click back out to its month.
    week = soup.select("#histogram a.slot")[1]["href"]
    soup = soup_of(years_client, week + "&lang=en")
    days = bars_of(soup)
    assert [d[0] for d in days] == ["2019-09-09", "2019-09-10", "2019-09-11", "2019-09-14"]
    assert len(soup.select("#histogram .slot")) == 7
    assert days[0][2] == "9 Sep 2019: 1 article"
    assert qs(soup.select_one("#zoom-out")["href"])["from"] == ["2019-09-01"]
    assert "Sep 2019" in soup.select_one("#zoom-out").get_text()


def test_timeline_labels_in_the_page_language() -> None:
    d = date
    assert short_label(d(2019, 9, 1), d(2019, 9, 30), "month", "en") == "Sep 2019"
    assert short_label(d(2019, 8, 1), d(2019, 8, 31), "month", "id") == "Agu 2019"
    assert short_label(d(2019, 9, 9), d(2019, 9, 15), "week", "en") == "9–15 Sep"
    assert span_label(d(2019, 9, 30), d(2019, 10, 6), "id") == "30 Sep – 6 Okt 2019"
    assert span_label(d(2019, 12, 30), d(2020, 1, 5), "en") == "30 Dec 2019 – 5 Jan 2020"


@pytest.mark.parametrize("interval", ["day", "week", "month", "year"])
def test_interval_parameter_sets_the_buckets(years_client: FlaskClient, interval: str) -> None:
    body = years_client.get(f"/api/search?q=banjir&interval={interval}").get_json()
    assert body["date_interval"] == interval
    assert sum(b["count"] for b in body["facets"]["published"]) == len(DAYS)


def test_bad_interval_is_a_clear_error(years_client: FlaskClient) -> None:
    resp = years_client.get("/api/search?q=banjir&interval=hour")
    assert resp.status_code == 400
    body = resp.get_json()
    assert body["code"] == "invalid_parameters" and "day, week, month, year" in body["message"]
    assert list(body["errors"]) == ["interval"]


# -- chips ---------------------------------------------------------------------------------


def test_chips_remove_one_filter_each_and_clear_all(years_client: FlaskClient) -> None:
    url = "/?q=banjir&outlet=Warta+Timur&place_not=Bekasi&from=2019-09-01&to=2019-09-30"
    soup = soup_of(years_client, url + "&lang=en")
    for a in soup.select("#chips a.chip:not(.clear-all)"):  # a screen reader hears the verb
        assert a.select_one(".visually-hidden").get_text() == "Remove filter "
    for hidden in soup.select("#chips .visually-hidden"):
        hidden.decompose()
    chips = {a.get_text(" ", strip=True): qs(a["href"]) for a in soup.select("#chips a.chip")}
    base = {"q": ["banjir"]}
    assert chips == {
        "Outlet: Warta Timur ×": {**base, "place_not": ["Bekasi"], "from": ["2019-09-01"], "to": ["2019-09-30"]},
        "Places: not Bekasi ×": {**base, "outlet": ["Warta Timur"], "from": ["2019-09-01"], "to": ["2019-09-30"]},
        "Time: 1 Sep 2019 – 30 Sep 2019 ×": {**base, "outlet": ["Warta Timur"], "place_not": ["Bekasi"]},
        "Clear all filters": base,
    }  # fmt: skip
    assert not soup_of(years_client, "/?q=banjir").select("#chips")


def test_one_h1_and_a_skip_link_to_the_results(years_client: FlaskClient) -> None:
    for url in ("/", "/?q=banjir", "/?q=zzzqqq&as_typed=1", '/?q="', "/articles/b1"):
        soup = BeautifulSoup(years_client.get(url).get_data(as_text=True), "html.parser")
        assert len(soup.select("h1")) == 1, url
        skip = soup.select_one("a.skip")
        assert soup.select_one(skip["href"]) is not None, url
    soup = soup_of(years_client, "/?q=banjir")
    assert soup.select_one("a.skip")["href"] == "#results"
    # Result headings sit under the results' own h2, not under the last facet's.
    headings = [h.name for h in soup.select("h1, h2, h3")]
    assert headings.index("h3") > max(i for i, h in enumerate(headings) if h == "h2") - 1
    assert soup.select_one("#hits-title").find_next("h3") is not None


def test_facet_groups_collapse(client: FlaskClient) -> None:
    soup = soup_of(client, "/?q=banjir")
    for section in soup.select(".facet:not(.facet-time)"):
        group = section.select_one("details.group")
        assert group.has_attr("open") and group.select_one("summary h2")


def test_since_is_a_chip_too(years_client: FlaskClient) -> None:
    soup = soup_of(
        years_client, "/?q=banjir&since=2020-01-01T00:00:00%2B00:00&place=Bekasi&lang=en"
    )
    chip = soup.select_one("#chips a.chip[data-facet=since]")
    assert "Added after: 2020-01-01 00:00 UTC" in chip.get_text(" ", strip=True)
    assert qs(chip["href"]) == {"q": ["banjir"], "place": ["Bekasi"]}
    assert qs(soup.select_one("#clear-all")["href"]) == {"q": ["banjir"]}
