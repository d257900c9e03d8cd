"""The search page without JavaScript: results, facets that toggle, messages in Indonesian."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from bs4 import BeautifulSoup
from flask.testing import FlaskClient


def page(client: FlaskClient, url: str) -> BeautifulSoup:
    resp = client.get(url)
    assert resp.status_code in (200, 400)
    return BeautifulSoup(resp.get_data(as_text=True), "html.parser")


def test_results_show_title_link_outlet_date_and_marked_snippet(client: FlaskClient) -> None:
    soup = page(client, "/?q=banjir+bekasi")
    hits = soup.select(".hit")
    assert hits
    first = hits[0]
    link = first.select_one("h3 a")
    assert link is not None and link["href"].startswith("/articles/")
    assert first.select_one(".snippet mark") is not None
    assert "Bekasi" in soup.select_one("#facet-place").get_text()


def test_facet_value_links_toggle_the_filter(client: FlaskClient) -> None:
    soup = page(client, "/?q=banjir")
    link = next(a for a in soup.select("#facet-outlet a") if "Warta Timur" in a.get_text())
    params = parse_qs(urlsplit(link["href"]).query)
    assert params == {"q": ["banjir"], "outlet": ["Warta Timur"]}
    filtered = page(client, link["href"])
    assert len(filtered.select(".hit")) == 1
    # The selected value now links back to the unfiltered search.
    back = next(a for a in filtered.select("#facet-outlet a") if "Warta Timur" in a.get_text())
    assert parse_qs(urlsplit(back["href"]).query) == {"q": ["banjir"]}


def test_messages_for_empty_query_no_results_and_errors(client: FlaskClient) -> None:
    assert "Ketik kata kunci" in page(client, "/").get_text()
    assert "Tidak ada berita yang cocok" in page(client, "/?q=zzzzqqq").get_text()
    error = page(client, "/?q=%22kutip")
    assert "tidak berpasangan" in error.get_text()
    assert error.select_one("input[name=q]")["value"] == '"kutip'


def test_page_has_no_external_resources(client: FlaskClient) -> None:
    soup = page(client, "/?q=banjir")
    for tag in soup.select("[src], link[href]"):
        url = tag.get("src") or tag.get("href")
        assert not url.startswith(("http:", "https:", "//")), url


def test_article_page(client: FlaskClient) -> None:
    soup = page(client, "/articles/a2?q=banjir")
    assert soup.select_one("h1").get_text() == "Banjir susulan di Bekasi"
    assert soup.select_one(".body mark") is not None
    entity = next(a for a in soup.select(".entities a") if a.get_text() == "Sari Wulandari")
    assert parse_qs(urlsplit(entity["href"]).query) == {"person": ["Sari Wulandari"]}
