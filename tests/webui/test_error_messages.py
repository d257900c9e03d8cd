"""Every error in the reader's language: each error code, and each validation message a
parameter can get, read in Indonesian by default and in English on the English page
(`?lang=en`) and through the API with `Accept-Language: en`."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient

from index_format.errors import RebuildNeeded
from search.service import SearchService
from webui import create_app
from webui.messages import ERRORS, FIELD_MESSAGES, error_message

REPO = Path(__file__).resolve().parents[2]
EN = {"Accept-Language": "en-GB,en;q=0.9"}
ID = {"Accept-Language": "id"}

# Each code → a request that gets it: (path, how the app is broken for it, or None).
Breakage = Callable[[pytest.MonkeyPatch], None] | None


def _raise(exc: BaseException) -> Callable[..., Any]:
    def fail(*_: Any, **__: Any) -> Any:
        raise exc

    return fail


def _no_index(mp: pytest.MonkeyPatch) -> None:
    mp.setattr(SearchService, "_current", _raise(_unavailable()))


def _unavailable() -> Exception:
    from search.errors import IndexUnavailable

    return IndexUnavailable("no index")


def _unreadable(mp: pytest.MonkeyPatch) -> None:
    from search.errors import IndexUnavailable

    error = IndexUnavailable("x", code="index_unreadable", params={"reason": "disk"})
    mp.setattr(SearchService, "_current", _raise(error))


def _old_format(mp: pytest.MonkeyPatch) -> None:
    mp.setattr(SearchService, "_current", _raise(RebuildNeeded("old")))


def _bug(mp: pytest.MonkeyPatch) -> None:
    mp.setattr(SearchService, "search", _raise(RuntimeError("a bug")))


CASES: dict[str, tuple[str, Breakage]] = {
    "invalid_query.unbalanced_quote": ('/api/search?q="banjir', None),
    "invalid_query.wildcard": ("/api/search?q=banj*", None),
    "invalid_query.match_all": ("/api/search?q=*", None),
    "invalid_query.unbalanced_open": ("/api/search?q=(banjir", None),
    "invalid_query.unbalanced_close": ("/api/search?q=banjir)", None),
    "invalid_query.too_many_clauses": (
        "/api/search?q=" + "+".join(f"k{i}" for i in range(70)),
        None,
    ),
    "invalid_query.too_deep": ("/api/search?q=" + "(" * 12 + "banjir" + ")" * 12, None),
    "invalid_parameters": ("/api/search?per_page=0", None),
    "invalid_encoding.percent": ("/api/search?q=%zz", None),
    "invalid_encoding.utf8": ("/api/search?q=%ff", None),
    "article_not_found": ("/api/articles/tidak-ada", None),
    "entity_not_found": ("/api/entities/person/tidak-ada", None),
    "entity_not_found.type": ("/api/entities/tidak-ada/Jakarta", None),
    "story_not_found": ("/api/stories/tidak-ada", None),
    "index_unavailable": ("/api/search?q=banjir", _no_index),
    "index_unreadable": ("/api/search?q=banjir", _unreadable),
    "rebuild_needed": ("/api/search?q=banjir", _old_format),
    "not_found": ("/api/tidak-ada", None),
    "method_not_allowed": ("/api/search", None),  # PUT below
    "internal_error": ("/api/search?q=banjir", _bug),
}
# Codes no request can produce on their own; worded here all the same.
# (The parser's own length cap is the schema's: the schema answers first.)
# (The lexer's pattern matches any text; the parser caps depth before recursion does.)
# Reached through the corrections form (tested below), not the API.
FORM_CODES = {
    "invalid_correction.op",
    "invalid_correction.name",
    "invalid_correction.target",
    "invalid_correction.facet",
    "forbidden",
}
UNREACHABLE = {
    "invalid_query.unreadable",
    "invalid_query.too_complex",
    "invalid_query.too_long",
    "bad_request",
}


def _get(client: FlaskClient, code: str, path: str, headers: dict[str, str]) -> Any:
    if code == "method_not_allowed":
        return client.put(path, headers=headers)
    return client.get(path, headers=headers)


def test_every_code_has_words_in_both_languages_and_a_case() -> None:
    assert set(ERRORS) == set(CASES) | UNREACHABLE | FORM_CODES
    for code, (indonesian, english) in ERRORS.items():
        assert indonesian and english and indonesian != english, code


def test_every_code_raised_in_the_code_is_worded() -> None:
    """Codes are written as `code = "…"`, `code="…"` or QuerySyntaxError("…") in the source."""
    raised = set()
    pattern = re.compile(r'(?:\bcode\s*=\s*|QuerySyntaxError\()"([a-z_.0-9]+)"')
    for package in ("index_format", "search", "webui"):
        for path in (REPO / package).rglob("*.py"):
            raised |= set(pattern.findall(path.read_text(encoding="utf-8")))
    # Class defaults, always given a more precise code where raised.
    raised -= {"invalid_query", "invalid_encoding", "invalid_correction"}
    assert raised and raised <= set(ERRORS), sorted(raised - set(ERRORS))


@pytest.mark.parametrize("code", sorted(CASES))
def test_each_error_reads_in_the_readers_language(
    code: str, small_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, breakage = CASES[code]
    app: Flask = create_app({"INDEX_DIR": small_index, "TESTING": True})
    app.config["PROPAGATE_EXCEPTIONS"] = False
    if breakage is not None:
        breakage(monkeypatch)
    client = app.test_client()
    bodies = {lang: _get(client, code, path, h).get_json() for lang, h in (("id", ID), ("en", EN))}
    assert bodies["id"]["code"] == bodies["en"]["code"] == code
    for lang, i in (("id", 0), ("en", 1)):
        message = bodies[lang]["message"]
        template = ERRORS[code][i]
        prefix = template.split("{")[0]
        assert message.startswith(prefix), (lang, message)
    assert bodies["id"]["message"] != bodies["en"]["message"]
    if code == "method_not_allowed" or path.startswith("/api/articles") or "tidak-ada" in path:
        return
    # The page, in English: the same code worded in English.
    page = _get(client, code, path.replace("/api/search", "/", 1) + "&lang=en", {})
    if page.status_code >= 400 and page.mimetype == "text/html":
        text = BeautifulSoup(page.get_data(as_text=True), "html.parser").get_text(" ")
        assert ERRORS[code][1].split("{")[0].strip() in text, text[:300]


@pytest.mark.parametrize(
    "query",
    [
        "per_page=0",
        "page=satu",
        "page=%D9%A3",
        "from=kemarin",
        "sort=acak",
        "as_typed=mungkin",
        "from=2025-02-01&to=2025-01-01",
        "outlet=" + "x" * 201,
        "page=1&page=2",
        "rahasia=1",
        "&".join(["outlet=a"] * 21),
    ],
)
def test_validation_messages_read_in_both_languages(client: FlaskClient, query: str) -> None:
    english = client.get(f"/api/search?{query}", headers=EN).get_json()
    indonesian = client.get(f"/api/search?{query}", headers=ID).get_json()
    assert english["code"] == indonesian["code"] == "invalid_parameters"
    en_templates = [t[1] for t in FIELD_MESSAGES.values()]
    id_templates = [t[0] for t in FIELD_MESSAGES.values()]
    for body, templates in ((english, en_templates), (indonesian, id_templates)):
        assert body["errors"], body
        for messages in body["errors"].values():
            for m in messages:
                assert any(_fits(m, t) for t in templates), (m, body)
    assert english["message"].startswith("Invalid parameters")
    assert indonesian["message"].startswith("Parameter tidak valid")


def _fits(message: str, template: str) -> bool:
    pattern = re.escape(template)
    pattern = re.sub(r"\\\{[a-z]+\\\}", ".+", pattern)
    return re.fullmatch(pattern, message) is not None


def test_english_page_shows_english_query_errors(client: FlaskClient) -> None:
    for lang, i in (("en", 1), ("id", 0)):
        page = client.get(f'/?q="banjir&lang={lang}').get_data(as_text=True)
        alert = BeautifulSoup(page, "html.parser").select_one(".message.error").get_text()
        assert alert == ERRORS["invalid_query.unbalanced_quote"][i]


def test_a_message_missing_a_parameter_still_reads() -> None:
    assert error_message("invalid_query.too_long", {}, "en").startswith("The query is too long")
    assert error_message("no_such_code", {}, "en") == ERRORS["internal_error"][1]


@pytest.mark.parametrize(
    ("form", "code"),
    [
        ({"op": "melt", "name": "Ahok"}, "invalid_correction.op"),
        ({"op": "exclude", "name": ""}, "invalid_correction.name"),
        ({"op": "merge", "name": "Ahok"}, "invalid_correction.target"),
        ({"op": "retype", "name": "Ahok", "target": "colour"}, "invalid_correction.facet"),
    ],
)
def test_correction_errors_read_in_the_readers_language(
    small_index: Path, tmp_path: Path, form: dict[str, str], code: str
) -> None:
    app = create_app({"INDEX_DIR": small_index, "TESTING": True, "TELUSUR_ALLOW_CORRECTIONS": True})
    app.config["TELUSUR_SETTINGS"] = dataclasses.replace(
        app.config["TELUSUR_SETTINGS"], corrections_file=tmp_path / "c.jsonl"
    )
    client = app.test_client()
    origin = {"Origin": "http://localhost"}
    for lang, i in (("id", 0), ("en", 1)):
        resp = client.post(f"/corrections?lang={lang}", data=form, headers=origin)
        assert resp.status_code == 400
        text = BeautifulSoup(resp.get_data(as_text=True), "html.parser").get_text(" ")
        assert ERRORS[code][i].split("{")[0].strip() in text, (lang, text[:200])
    refused = client.post("/corrections?lang=en", data=form)  # no origin: another site's form
    assert refused.status_code == 403
    shown = BeautifulSoup(refused.get_data(as_text=True), "html.parser").get_text(" ")
    assert ERRORS["forbidden"][1] in shown
