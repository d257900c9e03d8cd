"""The search and article pages as HTML (no JavaScript): the form, facets, timeline, paging,
did-you-mean, the relaxed label, language, and the article page's links."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from bs4 import BeautifulSoup
from flask.testing import FlaskClient

from search.models import FacetValue
from tests.webui.pages import qs, soup_of
from webui.timeline import bars, bucket_range


def boxes(soup: BeautifulSoup, facet: str) -> dict[str, tuple[bool, str]]:
    """value → (checked, count) of a facet's checkboxes."""
    out = {}
    for li in soup.select(f"#facet-{facet} li"):
        box = li.select_one("input[type=checkbox]")
        out[box["value"]] = (box.has_attr("checked"), li.select_one(".count").get_text())
    return out


def test_facets_are_checkboxes_of_one_get_form(client: FlaskClient) -> None:
    soup = soup_of(client, "/?q=banjir")
    form = soup.select_one("form#searchform")
    assert form["method"] == "get" and form["action"] == "/"
    assert boxes(soup, "outlet") == {
        "Kabar Nusantara": (False, "1"),
        "Suara Pesisir": (False, "1"),
        "Warta Timur": (False, "1"),
    }
    for box in soup.select(".facets input[type=checkbox], #sort, #date-from, #date-to"):
        assert box["form"] == "searchform"
    # Without JavaScript an Apply button submits the ticks.
    assert soup.select_one(".nojs button[type=submit][form=searchform]")


def test_several_values_and_counts_under_the_other_filters(client: FlaskClient) -> None:
    soup = soup_of(client, "/?q=banjir&outlet=Warta+Timur&outlet=Suara+Pesisir")
    assert len(soup.select(".hit")) == 2
    outlets = boxes(soup, "outlet")
    assert outlets["Warta Timur"] == (True, "1") and outlets["Suara Pesisir"] == (True, "1")
    assert outlets["Kabar Nusantara"] == (False, "1")  # still offered: OR within a facet


def test_selected_value_stays_at_zero(client: FlaskClient) -> None:
    soup = soup_of(client, "/?q=kapal&outlet=Warta+Timur")
    assert boxes(soup, "outlet")["Warta Timur"] == (True, "0")
    assert "Tidak ada berita yang cocok" in soup.get_text()


def test_clear_removes_one_facet_only(client: FlaskClient) -> None:
    soup = soup_of(client, "/?q=banjir&outlet=Warta+Timur&place=Bekasi")
    clear = soup.select_one("#facet-outlet a.clear")
    assert clear.get_text() == "Hapus"
    assert qs(clear["href"]) == {"q": ["banjir"], "place": ["Bekasi"]}
    assert soup.select_one("#facet-person a.clear") is None


def test_form_submission_redirects_to_the_short_url(client: FlaskClient) -> None:
    resp = client.get("/?q=banjir&outlet=Warta+Timur&from=&to=&sort=relevance&page=1")
    assert resp.status_code == 303
    assert qs(resp.headers["Location"]) == {"q": ["banjir"], "outlet": ["Warta Timur"]}
    resp = client.get("/?q=&sort=relevance")
    assert resp.status_code == 303 and resp.headers["Location"] == "/"


def test_long_lists_show_more_and_filter_box(client: FlaskClient, monkeypatch: Any) -> None:
    from webui import views

    monkeypatch.setattr(views, "SHOWN_VALUES", 1)
    soup = soup_of(client, "/?q=banjir")
    place = soup.select_one("#facet-place")
    assert [
        li.select_one(".v").get_text()
        for li in place.select(":scope > details.group > ul.values li")
    ] == ["Bekasi"]
    assert [li.select_one(".v").get_text() for li in place.select("details.more li")] == ["Jakarta"]
    assert "Tampilkan 1 lainnya" in place.select_one("details.more summary").get_text()
    assert place.select_one("input.facet-filter[hidden]")  # JavaScript reveals it


def test_full_list_link_raises_facet_size(client: FlaskClient) -> None:
    soup = soup_of(client, "/?q=banjir&facet_size=1")
    link = soup.select_one("#facet-place a.full")
    assert qs(link["href"])["facet_size"] == ["200"]
    assert soup.select_one("input[type=hidden][name=facet_size]")["value"] == "1"
    soup_of(client, "/?q=banjir&facet_size=0", status=400)
    soup_of(client, "/?q=banjir&facet_size=201", status=400)


def test_timeline_bars_link_to_their_ranges(client: FlaskClient) -> None:
    soup = soup_of(client, "/?q=banjir")
    svg = soup.select_one("svg#histogram")
    assert "minggu" in soup.select_one(".timeline figcaption").get_text()  # weekly buckets
    links = svg.select("a.slot")
    assert [qs(a["href"])["from"][0] for a in links] == ["2025-08-04", "2025-11-17"]
    assert qs(links[0]["href"]) == {"q": ["banjir"], "from": ["2025-08-04"], "to": ["2025-08-10"]}
    assert "2 berita" in links[0].select_one("title").get_text()
    # The empty weeks between are drawn too (as gaps you can drag across).
    assert len(svg.select("g.slot.empty")) == 14


def test_selected_range_is_marked_and_cleared(client: FlaskClient) -> None:
    soup = soup_of(client, "/?q=banjir&from=2025-08-04&to=2025-08-10")
    assert soup.select_one("#date-from")["value"] == "2025-08-04"
    assert len(soup.select(".hit")) == 2
    assert qs(soup.select_one("#facet-published a.clear")["href"]) == {"q": ["banjir"]}
    assert soup.select("svg a.slot.selected")


def test_presets_follow_the_archive_dates(client: FlaskClient) -> None:
    soup = soup_of(client, "/?q=banjir&outlet=Warta+Timur")
    presets = {a.get_text(): qs(a["href"]) for a in soup.select(".presets a")}
    assert presets["Seluruh arsip"] == {"q": ["banjir"], "outlet": ["Warta Timur"]}
    # The small archive has articles on 6 days of one year: "the last 7 days that have
    # articles" would be the whole archive, and there is no year to choose between.
    assert list(presets) == ["Seluruh arsip"]
    assert soup.select_one("#date-from")["min"] == "2025-08-04"


def test_sort_count_time_and_pages_keep_filters(client: FlaskClient) -> None:
    soup = soup_of(client, "/?q=banjir&per_page=1&sort=oldest&place=Jakarta&page=2")
    assert soup.select_one("#total")["data-total"] == "2"
    assert "ms" in soup.select_one("#took").get_text()
    assert soup.select_one("#sort option[selected]")["value"] == "oldest"
    assert soup.select_one("ol.hits")["start"] == "2"
    prev = soup.select_one(".pager a[rel=prev]")
    assert qs(prev["href"]) == {
        "q": ["banjir"],
        "place": ["Jakarta"],
        "sort": ["oldest"],
        "per_page": ["1"],
    }
    hidden = {i["name"]: i["value"] for i in soup.select("#searchform input[type=hidden]")}
    assert hidden == {"per_page": "1"}


def test_deep_page_past_the_end(client: FlaskClient) -> None:
    soup = soup_of(client, "/?q=banjir&page=5000")
    assert "hasil hanya sampai halaman 1" in soup.get_text()
    last = soup.select_one(".pager a.first")
    assert last is None or "page" not in qs(last["href"])


def test_suggestion(client: FlaskClient) -> None:
    soup = soup_of(client, "/?q=banjr&outlet=Warta+Timur&as_typed=1")
    link = soup.select_one("#suggestion a")
    assert link.get_text() == "banjir"
    assert qs(link["href"]) == {"q": ["banjir"], "outlet": ["Warta Timur"]}


def test_few_all_words_matches_show_most_words_apart(client: FlaskClient) -> None:
    """`banjir bekasi warga` has one article with all three words (a1); the articles with two
    of them are listed apart, labelled, and not in the count, the facets or the export."""
    soup = soup_of(client, "/?q=banjir+bekasi+warga&lang=en")
    assert soup.select_one("#total")["data-total"] == "1"
    assert [a["href"].split("?")[0] for a in soup.select("#hits h3 a")] == ["/articles/a1"]
    partial = soup.select_one("#partial")
    assert "more articles have most of the words" in partial.select_one("h2").get_text()
    apart = [a["href"].split("?")[0] for a in partial.select("h3 a")]
    assert apart and "/articles/a1" not in apart and "/articles/a2" in apart
    assert "not counted" in partial.get_text()
    assert qs(partial.select_one("#partial-all")["href"])["match"] == ["most"]
    outlets = sum(int(li.select_one(".count").get_text()) for li in soup.select("#facet-outlet li"))
    assert outlets == 1
    export = client.get("/api/export.jsonl?q=banjir+bekasi+warga").get_data(as_text=True)
    assert len(export.splitlines()) == 1
    most = soup_of(client, "/?q=banjir+bekasi+warga&match=most&lang=en")
    assert int(most.select_one("#total")["data-total"]) == 1 + len(apart)
    assert most.select_one("#match-mode") is not None and most.select_one("#partial") is None


def test_english_by_parameter_then_cookie(client: FlaskClient) -> None:
    resp = client.get("/?q=banjir&lang=en")
    assert resp.status_code == 200
    assert "lang=en" in resp.headers["Set-Cookie"]
    soup = BeautifulSoup(resp.get_data(as_text=True), "html.parser")
    assert soup.html["lang"] == "en"
    assert soup.select_one("#facet-outlet h2").get_text() == "Outlet"
    assert soup.select_one("a.lang").get_text() == "Bahasa Indonesia"
    assert qs(soup.select_one("a.lang")["href"]) == {"q": ["banjir"], "lang": ["id"]}
    # The cookie keeps English; the API stays language-neutral and rejects `lang`.
    assert soup_of(client, "/?q=banjir").html["lang"] == "en"
    assert client.get("/api/search?q=banjir&lang=en").status_code == 400
    client.get("/?lang=id")
    assert soup_of(client, "/").html["lang"] == "id"


def test_english_error_page_chrome(client: FlaskClient) -> None:
    soup = soup_of(client, "/articles/nope?lang=en", status=404)
    assert soup.html["lang"] == "en"
    assert soup.select_one(".message a").get_text() == "Back to search"


def test_article_page_metadata_entities_related_and_back(client: FlaskClient) -> None:
    soup = soup_of(client, "/articles/a2?q=banjir&outlet=Warta+Timur&page=1")
    assert [m.get_text() for m in soup.select(".body mark")] == ["banjir"]
    assert "Warta Timur" in soup.select_one(".meta-list").get_text()
    assert soup.select_one(".meta-list time")["datetime"] == "2025-08-05"
    back = soup.select_one(".back a")["href"]
    assert qs(back) == {"q": ["banjir"], "outlet": ["Warta Timur"]}
    places = {a.get_text(): qs(a["href"]) for a in soup.select("a.entity[data-facet=place]")}
    assert places == {"Bekasi": {"place": ["Bekasi"]}, "Jakarta": {"place": ["Jakarta"]}}
    related = [a["href"].split("?")[0] for a in soup.select(".related a")]
    # The other floods (Bekasi's first): Whoosh's term statistics count deleted documents
    # until a merge, so after an update their order may differ from a fresh index's.
    assert "/articles/a1" in related[:2]
    assert set(related) <= {"/articles/a1", "/articles/a6", "/articles/a7"}
    assert "/articles/a2" not in related


def test_article_page_survives_a_bad_state(client: FlaskClient) -> None:
    soup = soup_of(client, "/articles/a1?q=%22broken&sort=best")
    assert soup.select_one("h1").get_text() == "Banjir melanda Bekasi"
    assert soup.select_one(".back a")["href"] == "/"


@pytest.mark.parametrize(
    ("value", "interval", "start", "end"),
    [
        ("2025-08-04", "day", date(2025, 8, 4), date(2025, 8, 4)),
        ("2025-08-04", "week", date(2025, 8, 4), date(2025, 8, 10)),
        ("2024-02", "month", date(2024, 2, 1), date(2024, 2, 29)),
        ("2025", "year", date(2025, 1, 1), date(2025, 12, 31)),
    ],
)
def test_bucket_range(value: str, interval: str, start: date, end: date) -> None:
    assert bucket_range(value, interval) == (start, end)


def test_bars_fill_gaps_and_scale() -> None:
    out = bars([FacetValue("2025-01", 4), FacetValue("2025-03", 1)], "month")
    assert [(b.label, b.count) for b in out] == [("2025-01", 4), ("2025-02", 0), ("2025-03", 1)]
    assert out[0].height > out[2].height >= 2 and out[1].height == 0
    assert out[1].x == pytest.approx(200)
    assert bars([], "day") == []
