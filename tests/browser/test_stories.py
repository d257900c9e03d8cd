"""Results collapsed to stories and the story page, in a real browser (Debian's Chromium),
over an index with syndicated copies built as rebuild-index builds it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser.conftest import LiveServer
from tests.stories.corpus import ORIGINAL, SYNDICATED

pytestmark = pytest.mark.browser


def test_collapse_toggle_and_story_page(
    page: Any, serve: Callable[[Path], LiveServer], make_index: Callable[..., Path]
) -> None:
    site = serve(make_index(SYNDICATED))
    page.goto(site.url + "/?q=banjir&lang=en")
    assert page.locator(".hit").count() == 5
    assert page.locator("#collapse").get_attribute("aria-checked") == "false"
    with page.expect_navigation():
        page.locator("#collapse").click()
    assert parse_qs(urlsplit(page.url).query)["collapse"] == ["story"]
    assert page.locator(".hit").count() == 3
    assert page.locator("#total").get_attribute("data-total") == "5"
    assert page.locator("#stories").get_attribute("data-stories") == "3"
    row = page.locator(".story-row")
    assert row.count() == 1
    assert "other outlets carried this story" in row.inner_text()
    assert "first: Antara" in row.inner_text()
    # A new query from the box keeps the toggle on.
    page.fill("#q", "banjir bekasi")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert parse_qs(urlsplit(page.url).query)["collapse"] == ["story"]
    # The row expands to its other copies, and links the story page.
    row.locator("summary").click()
    assert row.locator(".story-others li").count() == 2
    with page.expect_navigation():
        row.locator(".story-page").click()
    assert urlsplit(page.url).path == f"/cerita/{ORIGINAL.id}"
    copies = page.locator(".copy")
    assert copies.count() == 3
    assert copies.first.get_attribute("data-id") == ORIGINAL.id
    assert page.locator(".copy ins").count() >= 2
    assert page.errors == []
