"""The results page that keeps up with an analyst (issue 22), in Debian's Chromium.

Over an archive of four years with a gap (2019, 2022, 2023): zooming the timeline from years to
days and back, chips removing filters, the phone's filter drawer keeping its place, focus kept
on the checkbox used, back to results on page 3, the CSV's BOM and name.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser.conftest import LiveServer
from tests.conftest import article, write_index

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
OUTLETS = ("Kabar Nusantara", "Warta Timur", "Suara Pesisir")
PLACES = ("Jakarta", "Bekasi", "Bandung", "Semarang", "Medan", "Makassar", "Palu", "Ambon")
# Most articles in September 2019, a few in October; then January 2022 and June 2023.
DAYS = [f"2019-09-{d:02d}" for d in (2, 3, 4, 9, 10, 11, 12, 14, 16, 17, 18, 20, 23, 24, 27)]
DAYS += ["2019-10-01", "2019-10-05", "2019-10-21", "2022-01-10", "2022-01-12", "2023-06-01"]
DAYS += [f"2019-09-{d:02d}" for d in (5, 6, 13)]


def corpus() -> list[Any]:
    return [
        article(
            f"b{i:02d}",
            f"Banjir ke-{i} melanda {PLACES[i % len(PLACES)]}",
            f"Banjir melanda {PLACES[i % len(PLACES)]} pada hari ke-{i}. Warga mengungsi "
            "ke tempat yang lebih tinggi sementara petugas memompa air dari permukiman.",
            outlet=OUTLETS[i % len(OUTLETS)],
            published=day,
            place=(PLACES[i % len(PLACES)],),
            person=("Dodi Kurniawan",) if i % 4 == 0 else (),
        )
        for i, day in enumerate(DAYS)
    ]


@pytest.fixture(scope="module")
def years_site(
    tmp_path_factory: pytest.TempPathFactory, serve: Callable[[Path], LiveServer]
) -> LiveServer:
    index_dir = tmp_path_factory.mktemp("years") / "index"
    write_index(index_dir, corpus())
    return serve(index_dir)


FOCUSED_BOX = "() => !!document.activeElement && document.activeElement.type === 'checkbox'"


def params(page: Any) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def total(page: Any) -> int:
    return int(page.locator("#total").get_attribute("data-total"))


def interval(page: Any) -> str:
    return page.locator("#histogram a.slot").first.get_attribute("data-interval")


def click(page: Any, locator: Any) -> None:
    with page.expect_navigation():
        locator.click()
    page.wait_for_load_state("domcontentloaded")


def test_timeline_zooms_from_years_to_days_and_back(page: Any, years_site: LiveServer) -> None:
    page.goto(years_site.url + "/?q=banjir&lang=en")
    assert interval(page) == "year"
    assert page.locator("#histogram a.slot").count() == 3  # 2019, 2022, 2023 (2020–21 empty)
    year_2019 = page.locator("#histogram a.slot").first
    assert year_2019.get_attribute("aria-label") == "1 Jan – 31 Dec 2019: 21 articles"
    click(page, year_2019)
    assert params(page)["from"] == ["2019-01-01"] and params(page)["to"] == ["2019-12-31"]
    assert interval(page) == "month"
    # The keyboard stays in the chart: on the new chart's first bar.
    page.wait_for_function("() => !!document.activeElement.closest('#histogram')")
    september = page.locator("#histogram a.slot").first
    assert september.get_attribute("aria-label") == "1–30 Sep 2019: 18 articles"
    click(page, september)
    assert interval(page) == "week"
    week = page.locator("#histogram a.slot[data-from='2019-09-09']")
    assert week.get_attribute("aria-label") == "9–15 Sep 2019: 6 articles"
    click(page, week)
    assert interval(page) == "day"
    assert total(page) == 6
    days = page.locator("#histogram a.slot")
    assert [days.nth(i).get_attribute("data-from") for i in range(days.count())] == [
        "2019-09-09",
        "2019-09-10",
        "2019-09-11",
        "2019-09-12",
        "2019-09-13",
        "2019-09-14",
    ]
    assert page.locator(".timeline .tick").first.text_content() == "9 Sep"
    # Focusing a bar says its range and count (keyboard users get what hovering shows).
    days.first.focus()
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == (
        "9 Sep 2019: 1 article"
    )
    # Zoom out, one click a level: the month, the year, the whole archive.
    click(page, page.locator("#zoom-out"))
    assert params(page)["from"] == ["2019-09-01"] and interval(page) == "week"
    page.wait_for_function("() => document.activeElement.id === 'zoom-out'")  # Enter again
    click(page, page.locator("#zoom-out"))
    assert params(page)["from"] == ["2019-01-01"] and interval(page) == "month"
    click(page, page.locator("#zoom-out"))
    assert "from" not in params(page) and interval(page) == "year"
    assert total(page) == len(DAYS)
    assert not page.errors, page.errors


def test_chips_remove_filters(page: Any, years_site: LiveServer) -> None:
    page.goto(years_site.url + "/?q=banjir&lang=en")
    assert page.locator("#chips").count() == 0
    click(page, page.locator("#facet-outlet input[value='Warta Timur']"))
    click(page, page.locator("#facet-place input[value='Bekasi']"))
    chips = page.locator("#chips a.chip").evaluate_all(
        "els => els.map(e => e.innerText.replace(/\\s+/g, ' ').trim())"
    )
    assert chips == [
        "Remove filter Outlet: Warta Timur ×",  # the verb is for screen readers only
        "Remove filter Places: Bekasi ×",
        "Clear all filters",
    ]
    narrowed = total(page)
    click(page, page.locator("#chips a.chip", has_text="Warta Timur"))
    assert params(page) == {"q": ["banjir"], "place": ["Bekasi"]}
    assert total(page) >= narrowed
    # The chip removed is gone: the focus is on the chips left.
    page.wait_for_function("() => document.activeElement.classList.contains('chip')")
    assert "Bekasi" in page.evaluate("document.activeElement.innerText")
    assert not page.locator("#facet-outlet input[value='Warta Timur']").is_checked()
    click(page, page.locator("#facet-outlet input[value='Kabar Nusantara']"))
    click(page, page.locator("#clear-all"))
    assert params(page) == {"q": ["banjir"]}
    page.wait_for_function("() => document.activeElement.id === 'results'")
    assert total(page) == len(DAYS)
    assert not page.errors, page.errors


def test_phone_drawer_keeps_the_place_and_the_focus(page: Any, years_site: LiveServer) -> None:
    page.set_viewport_size(PHONE)
    page.goto(years_site.url + "/?q=banjir")
    facets = page.locator("#facets")
    toggle = page.locator("#filter-toggle")
    assert toggle.is_visible() and not facets.is_visible()
    # The first result is on the first screen, not under the filters.
    assert page.locator(".hit").first.bounding_box()["y"] < PHONE["height"]
    page.mouse.wheel(0, 600)
    page.wait_for_function("() => window.scrollY > 500")
    scrolled = page.evaluate("window.scrollY")
    assert 0 <= toggle.bounding_box()["y"] < 100  # still at hand, down the results
    toggle.click()
    assert page.evaluate("window.scrollY") == scrolled
    assert facets.is_visible() and toggle.get_attribute("aria-expanded") == "true"
    box = page.locator("#facet-outlet input[value='Kabar Nusantara']")
    assert box.is_visible()
    size = box.bounding_box()
    assert size["width"] >= 20 and size["height"] >= 20
    click(page, box)
    assert params(page)["outlet"] == ["Kabar Nusantara"]
    # Same drawer, same place, same control.
    page.wait_for_function(FOCUSED_BOX)
    assert facets.is_visible()
    assert page.evaluate("[document.activeElement.name, document.activeElement.value]") == [
        "outlet",
        "Kabar Nusantara",
    ]
    assert abs(page.evaluate("window.scrollY") - scrolled) <= 2
    # Tab stays in the open drawer: from the last stop back to its Close button.
    page.locator("#facets summary").last.focus()
    for _ in range(40):
        page.keyboard.press("Tab")
        assert page.evaluate("!!document.activeElement.closest('#facets')")
    page.keyboard.press("Escape")
    assert not facets.is_visible()
    assert page.evaluate("document.activeElement.id") == "filter-toggle"
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1
    page.set_viewport_size(DESKTOP)
    assert not page.errors, page.errors


def test_focus_stays_on_the_checkbox_used(page: Any, years_site: LiveServer) -> None:
    page.goto(years_site.url + "/?q=banjir")
    box = page.locator("#facet-place input[value='Jakarta']")
    box.focus()
    with page.expect_navigation():
        page.keyboard.press("Space")
    page.wait_for_function(FOCUSED_BOX)
    assert params(page)["place"] == ["Jakarta"]
    assert page.evaluate("[document.activeElement.name, document.activeElement.value]") == [
        "place",
        "Jakarta",
    ]
    assert page.evaluate("document.activeElement.checked")
    # The sort too keeps the focus.
    page.locator("#sort").select_option("newest")
    page.wait_for_url("**sort=newest**")
    page.wait_for_function("() => document.activeElement.id === 'sort'")
    box = page.locator("#facet-place input[value='Jakarta']")
    box.focus()
    # Space again unticks it, and the focus is still there.
    with page.expect_navigation():
        page.keyboard.press("Space")
    page.wait_for_function(FOCUSED_BOX)
    assert "place" not in params(page)
    assert page.evaluate("document.activeElement.value") == "Jakarta"
    # A group's "Clear" link leaves the focus on that group's heading.
    click(page, page.locator("#facet-place input[value='Bandung']"))
    page.locator("#facet-place a.clear").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "place" not in params(page)
    page.wait_for_function("() => !!document.activeElement.closest('#facet-place summary')")
    assert not page.errors, page.errors


def test_skip_link_reaches_the_results(page: Any, years_site: LiveServer) -> None:
    page.goto(years_site.url + "/?q=banjir")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    assert page.locator("a.skip").is_visible()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    # The next stop after the skip is inside the results, not the header or the facets.
    assert page.evaluate("!!document.activeElement.closest('#results')")


def test_facet_groups_collapse(page: Any, years_site: LiveServer) -> None:
    page.goto(years_site.url + "/?q=banjir")
    box = page.locator("#facet-place input[value='Jakarta']")
    assert box.is_visible()
    page.locator("#facet-place summary").click()
    assert not box.is_visible()
    page.locator("#facet-place summary").click()
    assert box.is_visible()


def test_back_to_results_on_page_three(page: Any, years_site: LiveServer) -> None:
    page.goto(years_site.url + "/?q=banjir&sort=oldest")
    click(page, page.locator(".pager a", has_text="3").first)
    assert params(page)["page"] == ["3"]
    first = page.locator(".hit h3 a").first.inner_text()
    click(page, page.locator(".hit h3 a").first)
    click(page, page.locator(".back a"))
    assert params(page) == {"q": ["banjir"], "sort": ["oldest"], "page": ["3"]}
    assert page.locator(".pager .current").inner_text() == "3"
    assert page.locator(".hit h3 a").first.inner_text() == first


def test_csv_download_has_a_bom_and_a_name(
    page: Any, years_site: LiveServer, tmp_path: Path
) -> None:
    page.goto(years_site.url + "/?q=banjir&outlet=Warta+Timur")
    with page.expect_download() as info:
        page.locator("#export-csv").click()
    download = info.value
    assert download.suggested_filename == f"telusur-banjir-{date.today().isoformat()}.csv"
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("id,title,outlet,published")
    assert len(lines) - 1 == total(page)
