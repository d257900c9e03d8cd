"""Hostile queries: every one gets a 4xx JSON error on the API and a friendly page, never a 500."""

from __future__ import annotations

from html import unescape
from urllib.parse import quote

import pytest
from flask.testing import FlaskClient

from search.query import MAX_QUERY_LENGTH
from webui.schemas import MAX_PAGE, MAX_PER_PAGE, MAX_VALUES_PER_FILTER


def q(text: str) -> str:
    return "q=" + quote(text, safe="")


HOSTILE = {
    "too long": q("banjir " * (MAX_QUERY_LENGTH // 7 + 1)),
    "unbalanced quote": q('"banjir bekasi'),
    "unbalanced open paren": q("(banjir OR rob"),
    "unbalanced close paren": q("banjir) bekasi"),
    "lone star": q("*"),
    "star all": q("*:*"),
    "wildcard": q("banj*"),
    "10,000 nested parentheses": q("(" * 10_000 + "banjir" + ")" * 10_000),
    "nested beyond the depth cap": q("(" * 50 + "banjir" + ")" * 50),
    "too many clauses": q(" OR ".join(f"kata{i}" for i in range(70))),
    "invalid UTF-8": "q=%ff",
    "invalid UTF-8 sequence": "q=%C3%28",
    "overlong UTF-8": "q=%C0%AF",
    "invalid percent-encoding": "q=%zz",
    "truncated percent-encoding": "q=banjir%2",
    "page 10**9": "page=1000000000",
    "page 0": "page=0",
    "page not a number": "page=satu",
    "page beyond the cap": f"page={MAX_PAGE + 1}",
    "per_page over the cap": f"per_page={MAX_PER_PAGE + 1}",
    "per_page negative": "per_page=-5",
    "invalid date": "from=2025-02-30",
    "date in words": "to=kemarin",
    "from after to": "from=2025-05-01&to=2025-04-01",
    "unknown parameter": "secret=1",
    "unknown parameter with a query": q("banjir") + "&debug=true",
    "unknown sort": "sort=random()",
    "q twice": "q=banjir&q=bekasi",
    "page twice": "page=1&page=2",
    "outlet 1000 times": "&".join(["outlet=Warta+Timur"] * 1000),
    "outlet beyond the cap": "&".join(f"outlet=o{i}" for i in range(MAX_VALUES_PER_FILTER + 1)),
    "very long facet value": "outlet=" + "x" * 500,
}


@pytest.mark.parametrize("query", HOSTILE.values(), ids=HOSTILE.keys())
def test_api_answers_with_a_4xx_json_error(client: FlaskClient, query: str) -> None:
    r = client.get(f"/api/search?{query}")
    assert 400 <= r.status_code < 500, r.data[:300]
    assert r.is_json
    body = r.get_json()
    assert set(body) == {"status", "code", "message", "errors"}
    assert body["status"] == r.status_code
    assert body["code"] and body["message"]
    assert "Traceback" not in body["message"]


@pytest.mark.parametrize("query", HOSTILE.values(), ids=HOSTILE.keys())
def test_page_answers_with_a_friendly_message(client: FlaskClient, query: str) -> None:
    api = client.get(f"/api/search?{query}").get_json()
    r = client.get(f"/?{query}")
    assert 400 <= r.status_code < 500
    assert r.mimetype == "text/html"
    html = r.get_data(as_text=True)
    assert 'role="alert"' in html
    assert "Traceback" not in html
    # The page says what the API says (the first part of it, in case the page shortens it).
    assert api["message"][:25] in unescape(html)


@pytest.mark.parametrize(
    "query",
    [HOSTILE[k] for k in ("unbalanced quote", "wildcard", "lone star", "q twice")],
)
def test_article_page_with_a_hostile_highlight_query(client: FlaskClient, query: str) -> None:
    """The article page either says what is wrong or shows the article without highlights."""
    r = client.get(f"/articles/a1?{query}")
    html = r.get_data(as_text=True)
    assert r.status_code < 500
    assert 'role="alert"' in html if r.status_code >= 400 else "Banjir melanda Bekasi" in html
    api = client.get(f"/api/articles/a1?{query}")
    assert api.status_code < 500 and api.is_json


@pytest.mark.parametrize(
    "path",
    ["/api/articles/%ff", "/api/articles/" + "x" * 5000, "/api/articles/..%2F..%2Fetc%2Fpasswd"],
)
def test_hostile_article_ids_are_404(client: FlaskClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 404
    assert r.get_json()["code"] in ("not_found", "article_not_found")


@pytest.mark.parametrize(
    "query",
    [q("banjir"), q('"banjir besar"'), q("(banjir OR rob) -bekasi"), q("judul:banjir"), ""],
)
def test_ordinary_queries_still_work(client: FlaskClient, query: str) -> None:
    assert client.get(f"/api/search?{query}").status_code == 200
    assert client.get(f"/?{query}").status_code == 200
