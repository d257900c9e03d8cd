"""The search page in a real browser (Debian's Chromium via playwright), over the sample archive.

One person's session, step by step: type a query, tick facets, pick a range on the timeline,
sort, page, read an article, follow an entity, export, switch to English.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser.conftest import LiveServer
from tests.conftest import REPO

pytestmark = pytest.mark.browser

SCREENSHOT = REPO / "docs" / "screenshot.png"


def params(page: Any) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def shown_total(page: Any) -> int:
    return int(page.locator("#total").get_attribute("data-total"))


def api_total(page: Any, site: LiveServer) -> int:
    """What /api/search says for the page's own query string: the URL is the whole state."""
    query = urlsplit(page.url).query
    body = page.request.get(f"{site.url}/api/search?{query}").json()
    return int(body["total"])


def tick(page: Any, facet: str, value: str) -> None:
    box = page.locator(f"#facet-{facet} input[type=checkbox][value='{value}']")
    with page.expect_navigation():
        box.check()
    page.wait_for_load_state("domcontentloaded")


def test_query_facets_timeline_sort(page: Any, site: LiveServer) -> None:
    page.goto(site.url + "/")
    page.keyboard.press("/")  # the shortcut focuses the search box
    assert page.evaluate("document.activeElement.id") == "q"
    page.keyboard.type("banjir")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert params(page) == {"q": ["banjir"]}  # no empty from=/to=, no default sort
    total = shown_total(page)
    assert total > 10
    assert page.locator(".hit").count() == 10
    assert page.locator(".hit .snippet mark").count() > 0
    assert "ms" in page.locator("#took").inner_text()

    # Two outlets (OR-ed), then a person: each tick applies at once.
    tick(page, "outlet", "Kabar Nusantara")
    tick(page, "outlet", "Media Khatulistiwa")
    assert params(page)["outlet"] == ["Kabar Nusantara", "Media Khatulistiwa"]
    two_outlets = shown_total(page)
    assert 0 < two_outlets < total
    assert two_outlets == api_total(page, site)
    tick(page, "person", "Dodi Kurniawan")
    assert params(page)["person"] == ["Dodi Kurniawan"]
    assert page.locator("#facet-person li.selected input").is_checked()
    with_person = shown_total(page)
    assert 0 < with_person <= two_outlets
    assert with_person == api_total(page, site)
    assert page.locator(".hit").count() == with_person

    # Unticking keeps the others; "Hapus" clears a whole facet.
    page.locator("#facet-person a.clear").click()
    page.wait_for_load_state("domcontentloaded")
    assert "person" not in params(page)
    assert params(page)["outlet"] == ["Kabar Nusantara", "Media Khatulistiwa"]

    # Click a bar of the timeline: its bucket becomes the range.
    bar = page.locator("#histogram a.slot").first
    bar_from, bar_to = bar.get_attribute("data-from"), bar.get_attribute("data-to")
    with page.expect_navigation():
        bar.click()
    assert params(page)["from"] == [bar_from] and params(page)["to"] == [bar_to]
    assert page.locator("#date-from").input_value() == bar_from
    ranged = shown_total(page)
    assert 0 < ranged == api_total(page, site)
    assert page.locator("#facet-published a.clear").count() == 1
    page.locator("#facet-published a.clear").click()
    page.wait_for_load_state("domcontentloaded")
    assert "from" not in params(page)

    # Drag across the timeline: from the first bucket to the last.
    slots = page.locator("#histogram .slot")
    first, last = slots.first.bounding_box(), slots.last.bounding_box()
    want_from = slots.first.get_attribute("data-from")
    want_to = slots.last.get_attribute("data-to")
    page.mouse.move(first["x"] + first["width"] / 2, first["y"] + 20)
    page.mouse.down()
    page.mouse.move(last["x"] + last["width"] / 2, last["y"] + 20, steps=8)
    with page.expect_navigation():
        page.mouse.up()
    assert params(page)["from"] == [want_from] and params(page)["to"] == [want_to]
    assert shown_total(page) == two_outlets  # the whole span: nothing lost

    # Sort by newest, then oldest: the dates follow.
    with page.expect_navigation():
        page.locator("#sort").select_option("newest")
    assert params(page)["sort"] == ["newest"]
    dates = page.locator(".hit time").evaluate_all("els => els.map(e => e.dateTime)")
    assert dates == sorted(dates, reverse=True) and dates
    with page.expect_navigation():
        page.locator("#sort").select_option("oldest")
    dates = page.locator(".hit time").evaluate_all("els => els.map(e => e.dateTime)")
    assert dates == sorted(dates)
    assert params(page)["outlet"] == ["Kabar Nusantara", "Media Khatulistiwa"]
    assert not page.errors, page.errors


def test_pages_keep_filters_and_keyboard(page: Any, site: LiveServer) -> None:
    page.goto(site.url + "/?q=banjir&sort=oldest")
    first_page = page.locator(".hit h3 a").all_inner_texts()
    page.locator(".pager a[rel=next]").click()
    page.wait_for_load_state("domcontentloaded")
    assert params(page) == {"q": ["banjir"], "sort": ["oldest"], "page": ["2"]}
    assert page.locator("ol.hits").get_attribute("start") == "11"
    second_page = page.locator(".hit h3 a").all_inner_texts()
    assert second_page and not set(second_page) & set(first_page)
    assert page.locator(".pager [aria-current=page]").inner_text() == "2"
    # j / k move between results.
    page.keyboard.press("j")
    assert page.evaluate("document.activeElement.closest('.hit') !== null")
    # Past the last page: a message, not an error.
    page.goto(site.url + "/?q=banjir&page=999")
    assert page.locator(".hit").count() == 0
    assert page.locator(".message").count() == 1


def test_article_page_and_entity_link(page: Any, site: LiveServer) -> None:
    page.goto(site.url + "/?q=banjir+bekasi")
    link = page.locator(".hit h3 a").first
    title = link.inner_text()
    with page.expect_navigation():
        link.click()
    assert page.locator("h1").inner_text() == title
    assert page.locator(".body mark").count() > 0
    assert page.locator(".related li").count() > 0
    assert page.locator(".back a").get_attribute("href").startswith("/?q=banjir")
    entity = page.locator("a.entity[data-facet=person]").first
    name = entity.inner_text()
    with page.expect_navigation():
        entity.click()
    assert params(page) == {"person": [name]}
    assert page.locator(f"#facet-person input[value='{name}']").is_checked()
    assert shown_total(page) >= 1
    assert not page.errors, page.errors


def test_export_csv_has_every_result(page: Any, site: LiveServer, tmp_path: Path) -> None:
    page.goto(site.url + "/?q=banjir&outlet=Kabar+Nusantara&outlet=Media+Khatulistiwa")
    total = shown_total(page)
    with page.expect_download() as info:
        page.locator("#export-csv").click()
    target = tmp_path / "export.csv"
    info.value.save_as(target)
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")  # the BOM Excel needs
    rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    assert rows[0][:4] == ["id", "title", "outlet", "published"]
    assert len(rows) - 1 == total
    assert {r[2] for r in rows[1:]} == {"Kabar Nusantara", "Media Khatulistiwa"}
    jsonl = page.request.get(site.url + page.locator("#export-jsonl").get_attribute("href"))
    lines = [json.loads(line) for line in jsonl.text().splitlines()]
    assert [x["id"] for x in lines] == [r[0] for r in rows[1:]]


def test_english_toggle(page: Any, site: LiveServer) -> None:
    page.goto(site.url + "/?q=banjir")
    assert page.locator("html").get_attribute("lang") == "id"
    assert page.locator("#facet-outlet h2").inner_text().lower() == "media"
    assert "berita" in page.locator("#total").inner_text()
    with page.expect_navigation():
        page.locator("a.lang").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("#facet-outlet h2").inner_text().lower() == "outlet"
    assert "articles" in page.locator("#total").inner_text()
    assert page.locator("label.sort").inner_text().startswith("Sort")
    assert page.locator("button[type=submit]").first.inner_text() == "Search"
    # Remembered: the next page is English too, and the API ignores the cookie.
    page.goto(site.url + "/?q=bekasi")
    assert page.locator("html").get_attribute("lang") == "en"
    with page.expect_navigation():
        page.locator("a.lang").click()
    assert page.locator("html").get_attribute("lang") == "id"


def test_did_you_mean(page: Any, site: LiveServer) -> None:
    page.goto(site.url + "/?q=banjr")  # finds nothing: the correction's results at once
    assert page.locator("#corrected a").first.inner_text() == "banjir"
    assert shown_total(page) > 0
    with page.expect_navigation():
        page.locator("#as-typed").click()
    assert params(page) == {"q": ["banjr"], "as_typed": ["1"]}
    assert shown_total(page) == 0
    suggestion = page.locator("#suggestion a")
    assert suggestion.inner_text() == "banjir"
    with page.expect_navigation():
        suggestion.click()
    assert params(page) == {"q": ["banjir"]}
    assert shown_total(page) > 0


def test_phone_layout_and_screenshot(page: Any, site: LiveServer) -> None:
    page.goto(site.url + "/?q=banjir&outlet=Kabar+Nusantara&outlet=Media+Khatulistiwa")
    if not SCREENSHOT.exists() or os.environ.get("TELUSUR_SCREENSHOT"):
        SCREENSHOT.parent.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOT), full_page=False)
    page.set_viewport_size({"width": 375, "height": 740})
    page.reload()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"the page scrolls sideways on a phone by {overflow}px"
    assert page.locator(".hit").first.is_visible()
    assert re.search(r"\d", page.locator("#total").inner_text())
