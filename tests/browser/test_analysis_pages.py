"""The entity page and the co-occurrence map in a real browser (Debian's Chromium via
playwright), over the sample archive: from a search to an entity's page, to who appears with
it, to the map, and back to a search filtered by a node."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser.conftest import LiveServer

pytestmark = pytest.mark.browser


def test_from_a_search_to_an_entity_page_and_its_company(page: Any, site: LiveServer) -> None:
    page.goto(site.url + "/?q=banjir")
    link = page.locator("#facet-place a.entity-page-link").first
    href = link.get_attribute("href")
    with page.expect_navigation():
        link.click()
    assert urlsplit(page.url).path == href
    name = page.locator("h1").inner_text().split("\n")[0].strip()
    api = page.request.get(f"{site.url}/api{href.replace('/entitas', '/entities', 1)}").json()
    assert api["name"] in name
    assert page.locator("#entity").get_attribute("data-count") == str(api["count"])
    assert page.locator("#latest li").count() == min(10, api["count"])
    assert page.locator(".histogram rect.bar").count() >= 1
    co = page.locator("#cooccurring a.entity-link")
    assert co.count() == len(api["cooccurring"])
    if co.count():
        other = co.first.inner_text()
        with page.expect_navigation():
            co.first.click()
        assert other in page.locator("h1").inner_text()
    assert not page.errors, page.errors


def test_the_map_draws_and_a_node_filters_the_search(page: Any, site: LiveServer) -> None:
    page.goto(site.url + "/?q=banjir")
    with page.expect_navigation():
        page.locator("#map-link").click()
    nodes = page.locator("#cograph a.node")
    assert nodes.count() >= 2
    box = page.locator("#cograph").bounding_box()
    assert box["width"] > 300 and box["height"] > 200  # drawn, not collapsed
    for i in range(nodes.count()):
        circle = nodes.nth(i).locator("circle").bounding_box()
        assert circle and circle["width"] > 0
    key = nodes.first.get_attribute("data-key")
    etype, name = key.split(":", 1)
    with page.expect_navigation():
        nodes.first.click()
    assert parse_qs(urlsplit(page.url).query) == {"q": ["banjir"], etype: [name]}
    shown = int(page.locator("#total").get_attribute("data-total"))
    query = urlsplit(page.url).query
    assert shown == page.request.get(f"{site.url}/api/search?{query}").json()["total"] >= 1
    assert not page.errors, page.errors
