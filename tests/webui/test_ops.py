"""Operations: /healthz, request ids, JSON access logs, security headers, a read-only app."""

from __future__ import annotations

import json
import logging
import re
import time
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

import webui.errors
import webui.export
from indexer.update import delete_articles
from tests.conftest import SMALL_CORPUS
from webui import SECURITY_HEADERS, create_app
from webui.ops import StreamCut, relative_location

# One URL of each kind of endpoint: page, article page, API, API error, page error, docs, static.
ENDPOINTS = [
    "/",
    "/?q=banjir",
    "/?q=%22unbalanced",
    "/articles/a1",
    "/articles/nope",
    "/api/search?q=banjir",
    "/api/search?page=0",
    "/api/articles/a1",
    "/api/articles/nope",
    "/api/openapi.json",
    "/healthz",
    "/static/style.css",
    "/no-such-page",
]


def test_healthz_reports_generation_count_and_age(client: FlaskClient) -> None:
    r = client.get("/healthz")
    assert r.status_code == 200
    body = r.get_json()
    assert body["status"] == "ok"
    assert body["articles"] == len(SMALL_CORPUS)
    assert isinstance(body["generation"], int) and body["generation"] >= 1
    assert body["index"].startswith("gen-")
    assert 0 <= body["age_seconds"] < 3600
    assert r.headers["Cache-Control"] == "no-store"


def test_healthz_follows_updates(make_index, tmp_path: Path) -> None:
    index_dir = make_index(SMALL_CORPUS)
    client = create_app({"INDEX_DIR": index_dir, "TESTING": True}).test_client()
    before = client.get("/healthz").get_json()
    delete_articles(["a1"], index_dir)
    after = client.get("/healthz").get_json()
    assert after["articles"] == before["articles"] - 1
    assert after["generation"] > before["generation"]
    assert after["index"] != before["index"]


def test_healthz_without_an_index_is_503_json(tmp_path: Path) -> None:
    client = create_app({"INDEX_DIR": tmp_path / "none", "TESTING": True}).test_client()
    r = client.get("/healthz")
    assert r.status_code == 503
    assert r.get_json()["status"] == "unavailable"


@pytest.mark.parametrize("url", ENDPOINTS)
def test_every_response_has_security_headers_and_a_request_id(
    client: FlaskClient, url: str
) -> None:
    r = client.get(url)
    r.close()
    assert r.status_code < 500
    for name, value in SECURITY_HEADERS.items():
        assert r.headers.get(name) == value, (url, name)
    csp = r.headers["Content-Security-Policy"]
    script_src = next(p for p in csp.split(";") if p.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert len(r.headers["X-Request-Id"]) >= 16


def test_request_id_is_kept_when_sane_and_replaced_when_not(client: FlaskClient) -> None:
    assert client.get("/healthz", headers={"X-Request-Id": "abc-123"}).headers["X-Request-Id"] == (
        "abc-123"
    )
    for bad in ("<script>", "a b", "z" * 300, "é"):
        assert client.get("/healthz", headers={"X-Request-Id": bad}).headers["X-Request-Id"] != bad
    a = client.get("/healthz").headers["X-Request-Id"]
    b = client.get("/healthz").headers["X-Request-Id"]
    assert a != b


def test_access_log_is_one_json_line_with_request_id_and_timing(
    client: FlaskClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="telusur.access"):
        r = client.get("/api/search?q=banjir", headers={"X-Request-Id": "req-42"})
        client.get("/api/search?page=0")
    records = [rec for rec in caplog.records if rec.name == "telusur.access"]
    assert len(records) == 2
    from webui.ops import _JsonLines

    first = json.loads(_JsonLines().format(records[0]))
    assert first["request_id"] == "req-42" == r.headers["X-Request-Id"]
    assert first["method"] == "GET" and first["path"] == "/api/search"
    assert first["status"] == 200
    assert isinstance(first["ms"], float) and first["ms"] >= 0
    assert json.loads(_JsonLines().format(records[1]))["status"] == 400


def test_no_route_changes_anything(app: Flask) -> None:
    """The app is read-only: every route answers GET (and HEAD/OPTIONS) only, but the search,
    which also takes its parameters as a JSON body (POST), and changes nothing either."""
    for rule in app.url_map.iter_rules():
        allowed = {"GET", "HEAD", "OPTIONS"} | ({"POST"} if rule.rule == "/api/search" else set())
        assert set(rule.methods or ()) <= allowed, rule


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
@pytest.mark.parametrize("url", ["/api/search", "/api/articles/a1", "/", "/articles/a1"])
def test_writes_are_refused_with_405(client: FlaskClient, method: str, url: str) -> None:
    if (method, url) == ("POST", "/api/search"):  # the search with a JSON body
        r = client.open(url, method=method, data="x")  # not JSON: refused, not read as empty
        assert r.status_code == 400 and r.get_json()["code"] == "invalid_parameters"
        assert client.get("/api/articles/a1").status_code == 200
        return
    r = client.open(url, method=method, data="x")
    assert r.status_code == 405
    if url.startswith("/api/"):
        assert r.get_json()["code"] == "method_not_allowed"
    assert client.get("/api/articles/a1").status_code == 200


def test_healthz_age_grows(client: FlaskClient) -> None:
    first = client.get("/healthz").get_json()["age_seconds"]
    time.sleep(0.2)
    assert client.get("/healthz").get_json()["age_seconds"] >= first


def _has_app_headers(r: Any) -> None:
    for name, value in SECURITY_HEADERS.items():
        assert r.headers.get(name) == value, name
    assert r.headers["X-Request-Id"]


@pytest.mark.parametrize("method", ["POST", "HEAD", "OPTIONS"])
def test_other_methods_get_request_id_and_headers(client: FlaskClient, method: str) -> None:
    for url in ("/api/search?q=banjir", "/", "/api/export.jsonl"):
        r = client.open(url, method=method)
        r.close()
        # (A POSTed search without a JSON body: 400.)
        assert r.status_code in (200, 400, 405), (method, url)
        _has_app_headers(r)


@pytest.mark.parametrize("url", ["/api/search?q=banjir", "/?q=banjir", "/api/export.csv"])
def test_a_failing_view_is_a_500_with_request_id_and_headers(
    app: Flask, monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("index read failed")

    svc = app.extensions["telusur.search"]
    monkeypatch.setattr(svc, "search", broken)
    monkeypatch.setattr(svc, "iter_all", broken)
    r = app.test_client().get(url)
    assert r.status_code == 500
    _has_app_headers(r)


@pytest.mark.parametrize(
    ("url", "mimetype"), [("/api/search?q=banjir", "application/json"), ("/?q=banjir", "text/html")]
)
def test_a_failing_error_handler_still_answers_500_with_request_id_and_headers(
    app: Flask,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    url: str,
    mimetype: str,
) -> None:
    """Even when the error page itself fails, the answer is the app's, not the server's raw 500."""

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("index read failed")

    monkeypatch.setattr(app.extensions["telusur.search"], "search", broken)
    monkeypatch.setattr(webui.errors, "_respond", broken)
    with caplog.at_level(logging.INFO):
        r = app.test_client().get(url, headers={"X-Request-Id": "fail-2"})
    assert r.status_code == 500
    assert r.mimetype == mimetype
    _has_app_headers(r)
    assert r.headers["X-Request-Id"] == "fail-2"
    if mimetype == "application/json":
        assert r.get_json()["code"] == "internal_error"
    assert any("request fail-2" in rec.getMessage() for rec in caplog.records)
    logged = [rec.fields for rec in caplog.records if rec.name == "telusur.access"]  # type: ignore[attr-defined]
    assert [(f["request_id"], f["status"]) for f in logged] == [("fail-2", 500)]


def test_export_failing_midway_keeps_its_headers_and_is_logged_cut_off(
    app: Flask, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    svc = app.extensions["telusur.search"]
    iter_all = svc.iter_all

    def failing(req: Any) -> Any:
        articles = iter_all(req)
        yield next(articles)
        raise OSError("disk gone")

    monkeypatch.setattr(svc, "iter_all", failing)
    monkeypatch.setattr(webui.export, "CHUNK_CHARS", 1)  # the first article is sent at once
    with caplog.at_level(logging.INFO, logger="telusur.access"):
        r = app.test_client().get("/api/export.jsonl?q=banjir", headers={"X-Request-Id": "cut-2"})
        assert r.status_code == 200
        _has_app_headers(r)
        with pytest.raises(StreamCut, match="request cut-2"):
            r.get_data()
        r.close()
    (record,) = [rec for rec in caplog.records if rec.name == "telusur.access"]
    fields = record.fields  # type: ignore[attr-defined]
    assert fields["request_id"] == "cut-2" and fields["complete"] is False
    assert "disk gone" in fields["error"] and fields["bytes"] > 0


@pytest.mark.parametrize(
    ("path", "target"),
    [
        ("/api//search", "/api/search"),
        ("//api//search", "/api/search"),
        ("/articles//a1", "/articles/a1"),
    ],
)
def test_redirects_are_relative(client: FlaskClient, path: str, target: str) -> None:
    """Werkzeug's own redirects named the Host header's host: `//x` must never lead elsewhere."""
    r = client.get("/", environ_overrides={"PATH_INFO": path}, headers={"Host": "evil.example"})
    assert r.status_code == 308
    assert r.headers["Location"] == target
    _has_app_headers(r)


@pytest.mark.parametrize(
    ("location", "relative"),
    [
        ("http://evil.example/x?q=1", "/x?q=1"),
        ("//evil.example/x", "/x"),
        ("/\\evil.example/x", "/evil.example/x"),
        ("https://evil.example", "/"),
        ("/?q=banjir", "/?q=banjir"),
    ],
)
def test_relative_location(location: str, relative: str) -> None:
    assert relative_location(location) == relative


def test_the_nginx_sample_sends_the_apps_security_headers() -> None:
    """docs/nginx.conf hides the app's copies and adds its own on every response: the same."""
    conf = (Path(__file__).resolve().parents[2] / "docs" / "nginx.conf").read_text()
    added = dict(re.findall(r'^\s*add_header ([\w-]+) "([^"]*)" always;', conf, re.M))
    hidden = set(re.findall(r"^\s*proxy_hide_header ([\w-]+);", conf, re.M))
    assert added == SECURITY_HEADERS
    assert hidden == {*SECURITY_HEADERS, "X-Request-Id"}
    assert re.search(r"^\s*add_header X-Request-Id \$\w+ always;", conf, re.M)
