"""Helpers for tests that read the HTML pages."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from bs4 import BeautifulSoup
from flask.testing import FlaskClient


def soup_of(client: FlaskClient, url: str, status: int = 200) -> BeautifulSoup:
    """The page at `url`, parsed, after checking its status."""
    resp = client.get(url)
    assert resp.status_code == status, resp.get_data(as_text=True)[:500]
    return BeautifulSoup(resp.get_data(as_text=True), "html.parser")


def qs(url: str) -> dict[str, list[str]]:
    """A link's query parameters."""
    return parse_qs(urlsplit(url).query)
