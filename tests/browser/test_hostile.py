"""Hostile article text in a real browser: it is shown literally and nothing of it runs.

Title, body, outlet, URL and entity names carry script tags, event-handler attributes,
`javascript:` URLs and quotes that would break out of attributes. Each payload would set
`window.__pwned` or open a dialog if it ever ran.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import LiveServer
from tests.conftest import article, write_index

pytestmark = pytest.mark.browser

SCRIPT = "<script>window.__pwned=1;alert('xss')</script>"
IMG = "<img src=x onerror=\"window.__pwned=2;alert('img')\">"
QUOTES = "\"'><svg onload=window.__pwned=3>"
JS_URL = "javascript:window.__pwned=4;alert('url')"

HOSTILE = [
    article(
        "evil-1",
        f"Banjir {SCRIPT} {IMG}",
        f"Banjir di kota. {SCRIPT} Warga {IMG} mengungsi {QUOTES} lihat {JS_URL} banjir.",
        outlet=f"Media {IMG}",
        published="2025-08-04",
        person=(f"Tokoh {SCRIPT}", f"Nama {QUOTES}"),
        organisation=(f"Org {IMG}",),
        place=(f"Kota {QUOTES}",),
        url=JS_URL,
    ),
    article(
        "evil-2",
        f"Banjir kedua {QUOTES}",
        f"Banjir lagi {IMG} {SCRIPT}.",
        outlet=f"Media {IMG}",
        published="2025-08-05",
        person=(f"Tokoh {SCRIPT}",),
        url=f"https://example.org/{QUOTES}",
    ),
]


@pytest.fixture(scope="module")
def evil_site(
    tmp_path_factory: pytest.TempPathFactory, serve: Callable[[Path], LiveServer]
) -> LiveServer:
    index_dir = tmp_path_factory.mktemp("hostile") / "index"
    write_index(index_dir, HOSTILE)
    return serve(index_dir)


def assert_inert(page: Any) -> None:
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.dialogs == []
    # The only scripts are our own files; no element carries an event handler.
    srcs = page.locator("script").evaluate_all("els => els.map(e => e.getAttribute('src'))")
    assert srcs == ["/static/app.js", "/static/page.js"]
    handlers = page.evaluate(
        """() => [...document.querySelectorAll('*')].flatMap(el =>
               [...el.attributes].filter(a => a.name.startsWith('on')).map(a => a.name))"""
    )
    assert handlers == []
    hrefs = page.locator("a[href]").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert not [h for h in hrefs if h.strip().lower().startswith("javascript:")]


def test_results_page_shows_hostile_text_literally(page: Any, evil_site: LiveServer) -> None:
    page.goto(evil_site.url + "/?q=banjir&sort=oldest")
    page.wait_for_timeout(200)  # let any onerror/onload fire, if one existed
    assert_inert(page)
    assert SCRIPT in page.locator(".hit h3 a").first.inner_text()
    assert "<img src=x onerror=" in page.locator(".hit").first.inner_text()
    assert f"Media {IMG}" in page.locator("#facet-outlet").inner_text()
    assert f"Tokoh {SCRIPT}" in page.locator("#facet-person").inner_text()
    # Ticking the hostile values works like any other value.
    box = page.locator("#facet-person input[type=checkbox]").first
    with page.expect_navigation():
        box.check()
    assert_inert(page)
    assert page.locator("#facet-person input[type=checkbox]").first.is_checked()
    assert page.locator(".hit").count() >= 1


def test_article_page_shows_hostile_text_literally(page: Any, evil_site: LiveServer) -> None:
    page.goto(evil_site.url + "/articles/evil-1?q=banjir")
    page.wait_for_timeout(200)
    assert_inert(page)
    assert page.locator("h1").inner_text() == f"Banjir {SCRIPT} {IMG}"
    body = page.locator(".body").inner_text()
    assert SCRIPT in body and IMG in body and QUOTES in body
    assert page.locator(".body mark").count() >= 1
    # The javascript: source URL is shown as text, never as a link.
    assert page.locator("a.source").count() == 0
    assert JS_URL in page.locator(".meta-list").inner_text()
    # Entity links carry the names URL-encoded and lead to a filtered search.
    entity = page.locator("a.entity[data-facet=person]").first
    with page.expect_navigation():
        entity.click()
    assert_inert(page)
    assert page.locator(".hit").count() >= 1
    page.goto(evil_site.url + "/articles/evil-2")
    assert_inert(page)
    assert page.locator("a.source").get_attribute("href").startswith("https://example.org/")
