"""Hostile content: markup in titles, bodies, outlets and entity names is shown as text everywhere.

Server-side checks: no element, attribute, handler or javascript: link of the article's making
reaches the HTML, and the API returns the text as data (JSON, nosniff), with snippets escaped.
(The browser test that no script runs belongs to the page's own suite.)
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

import pytest
from flask.testing import FlaskClient

from tests.conftest import article
from webui import create_app

SCRIPT = '<script>alert("t")</script>'
IMG = "<img src=x onerror=alert(1)>"
SVG = '"><svg onload=alert(2)>'
JS_URL = "javascript:alert(3)"
QUOTES = "Kata \"kutip\" dan 'kutip' & <b>tebal</b>"

HOSTILE = [
    article(
        "x1",
        f"Banjir {SCRIPT} {IMG}",
        f"Banjir melanda {IMG} kota. {SCRIPT} Lihat {JS_URL} dan {SVG}. {QUOTES}. Banjir lagi.",
        outlet=f"Warta {SCRIPT}",
        published="2025-06-01",
        person=(f"Budi {IMG}",),
        organisation=(f"Org {SVG}",),
        place=(JS_URL,),
        url=JS_URL,
    ),
    article(
        'x2"><img src=x onerror=alert(9)>',
        f"Banjir judul {QUOTES}",
        f"Banjir dan {QUOTES}",
        outlet=f"<img src=x onerror=alert(4)>{QUOTES}",
        published="2025-06-02",
    ),
]
STRINGS = [SCRIPT, IMG, SVG, JS_URL, QUOTES]


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.scripts: list[str] = []
        self._in_script = False
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts.append(data)
        self.text.append(data)


def assert_inert(html: str) -> str:
    """No script, handler, svg/img/iframe or javascript: URL came from content; returns the text."""
    p = _Collect()
    p.feed(html)
    for tag, attrs in p.tags:
        # The page's own markup has an SVG histogram but never these; content brought all.
        assert tag not in ("iframe", "object", "embed", "b"), (tag, attrs)
        assert not (tag == "img" and dict(attrs).get("src") == "x"), attrs
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name, value)
            if name in ("href", "src", "action", "formaction"):
                assert not (value or "").strip().lower().startswith("javascript:"), (tag, value)
        if tag == "script":  # only our own file, never inline
            assert (dict(attrs).get("src") or "").startswith("/static/"), attrs
    assert not any(s.strip() for s in p.scripts), p.scripts
    return "".join(p.text)


@pytest.fixture
def hostile_client(make_index) -> FlaskClient:
    index_dir: Path = make_index(HOSTILE)
    return create_app({"INDEX_DIR": index_dir, "TESTING": True}).test_client()


def test_search_page_shows_titles_snippets_and_facets_as_text(hostile_client: FlaskClient) -> None:
    r = hostile_client.get("/?q=banjir")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    text = assert_inert(html)
    # The markup is visible to the reader as text: titles, snippet words, facet values.
    assert SCRIPT in text  # title of x1 and outlet facet "Warta <script>…"
    assert "onerror=alert(1)" in text
    assert "onerror=alert(4)" in text  # the outlet facet of x2
    assert "&lt;script&gt;" in html


@pytest.mark.parametrize(
    "filters",
    [
        "outlet=" + quote(f"Warta {SCRIPT}"),
        "person=" + quote(f"Budi {IMG}"),
        "place=" + quote(JS_URL),
        "organisation=" + quote(f"Org {SVG}"),
    ],
)
def test_selected_hostile_facet_values_stay_text(hostile_client: FlaskClient, filters: str) -> None:
    r = hostile_client.get(f"/?q=banjir&{filters}")
    assert r.status_code == 200
    assert_inert(r.get_data(as_text=True))


@pytest.mark.parametrize("doc_id", [h.id for h in HOSTILE])
def test_article_page_shows_everything_as_text(hostile_client: FlaskClient, doc_id: str) -> None:
    r = hostile_client.get(f"/articles/{quote(doc_id, safe='')}?q=banjir")
    assert r.status_code == 200
    text = assert_inert(r.get_data(as_text=True))
    assert QUOTES in text


def test_article_page_with_hostile_query_text(hostile_client: FlaskClient) -> None:
    r = hostile_client.get("/articles/x1?q=" + quote('banjir "><script>alert(5)</script>'))
    assert r.status_code < 500
    assert_inert(r.get_data(as_text=True))
    r = hostile_client.get("/?q=" + quote('banjir "><script>alert(5)</script>'))
    assert r.status_code < 500
    assert_inert(r.get_data(as_text=True))


def test_api_returns_text_as_data_and_escaped_snippets(hostile_client: FlaskClient) -> None:
    r = hostile_client.get("/api/search?q=banjir&per_page=10")
    assert r.status_code == 200
    assert r.mimetype == "application/json"
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    body = r.get_json()
    hits = {h["id"]: h for h in body["hits"]}
    assert hits["x1"]["title"] == HOSTILE[0].title  # data, exactly as written
    assert hits["x1"]["outlet"] == f"Warta {SCRIPT}"
    for hit in hits.values():
        # The snippet is HTML: only <mark> elements, everything else escaped.
        p = _Collect()
        p.feed(hit["snippet"])
        assert {tag for tag, _ in p.tags} <= {"mark"}, hit["snippet"]
        assert "<script" not in hit["snippet"] and "<img" not in hit["snippet"]
    outlets = {fv["value"] for fv in body["facets"]["outlet"]}
    assert f"Warta {SCRIPT}" in outlets


def test_api_article_is_data(hostile_client: FlaskClient) -> None:
    r = hostile_client.get("/api/articles/x1")
    assert r.status_code == 200 and r.mimetype == "application/json"
    body = r.get_json()
    assert body["title"] == HOSTILE[0].title
    assert body["url"] == JS_URL
    assert body["entities"]["place"] == [JS_URL]


@pytest.mark.parametrize("url", ["/?q=banjir", "/articles/x1", "/api/search?q=banjir"])
def test_csp_forbids_inline_script(hostile_client: FlaskClient, url: str) -> None:
    r = hostile_client.get(url)
    csp = dict(
        part.strip().split(" ", 1)
        for part in r.headers["Content-Security-Policy"].split(";")
        if part.strip()
    )
    assert "'unsafe-inline'" not in csp["script-src"]
    assert csp["object-src"] == "'none'"
    assert r.headers["Referrer-Policy"]
