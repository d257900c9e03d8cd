"""GET and POST /api/search answer with the same bytes as before the HTTP layer was made lean:
for each search, the body equals what marshmallow's own dump of the same result, encoded by
Flask's standard-library provider, gives (the compiled dump and orjson change nothing a client
sees). Over the small corpus in every index history, and over a slice of CLICK-ID news (skipped
without ../shared)."""

from __future__ import annotations

import gzip
import itertools
import json
import random
import re
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest
from flask import Flask
from flask.json.provider import DefaultJSONProvider
from flask.testing import FlaskClient
from marshmallow import Schema

from indexer.build import rebuild_index
from search.models import SearchResult
from search.service import SearchService
from tests.conftest import NEWS, SMALL_CORPUS
from webui import create_app
from webui.schemas import LIST_ARGS, SearchResponseSchema

Params = list[tuple[str, str]]


def old_body(app: Flask, result: SearchResult) -> bytes:
    """The body as main built it: marshmallow's dump, Flask's standard-library provider."""
    provider = DefaultJSONProvider(app)
    provider.sort_keys = app.json.sort_keys  # type: ignore[attr-defined]
    provider.ensure_ascii = app.json.ensure_ascii  # type: ignore[attr-defined]
    dumped = Schema.dump(SearchResponseSchema(), result)  # marshmallow's own, not compiled
    data: bytes = provider.response(dumped).get_data()  # type: ignore[attr-defined]
    return data


@pytest.fixture
def results(monkeypatch: pytest.MonkeyPatch) -> list[SearchResult]:
    """Every SearchResult the service returns during the test, in the order they end."""
    seen: list[SearchResult] = []
    real = SearchService.search

    def recording(self: SearchService, *args: object, **kwargs: object) -> SearchResult:
        result = real(self, *args, **kwargs)  # type: ignore[arg-type]
        seen.append(result)
        return result

    monkeypatch.setattr(SearchService, "search", recording)
    return seen


def assert_same_bodies(
    client: FlaskClient, results: list[SearchResult], searches: list[Params]
) -> int:
    """Each search through GET and POST: its body is the old one; returns how many hit."""
    app = client.application
    found = 0
    for params in searches:
        for method in ("GET", "POST"):
            results.clear()
            if method == "GET":
                resp = client.get("/api/search?" + urlencode(params))
            else:
                body: dict[str, list[str] | str] = {}
                for key, value in params:
                    if key in LIST_ARGS:  # repeatable: a list in JSON
                        body.setdefault(key, []).append(value)  # type: ignore[union-attr]
                    else:
                        body[key] = value
                resp = client.post("/api/search", json=body)
            assert resp.status_code == 200, (params, resp.get_json())
            outer = results[-1]  # the answer (a corrected query searched again inside it)
            assert resp.get_data() == old_body(app, outer), params
            found += outer.total > 0
    return found


VARIANTS: list[Params] = [
    [],
    [("sort", "newest")],
    [("match", "any")],
    [("match", "most")],
    [("per_page", "2"), ("page", "2")],
    [("facets", "outlet,published"), ("facet_size", "1")],
    [("collapse", "story")],
    [("interval", "day")],
    [("as_typed", "true")],
    [("outlet", "Kabar Nusantara"), ("outlet", "Warta Timur")],
    [("person", "Rahmat Hidayat"), ("place_not", "Jakarta")],
    [("outlet", "Tidak Ada")],  # a value that names nothing: warnings
    [("from", "2025-08-01"), ("to", "2025-09-30")],
]


def small_queries() -> list[str]:
    words = sorted(
        {w.lower() for a in SMALL_CORPUS for w in re.findall(r"\w+", f"{a.title} {a.body}")}
    )
    pairs = [f"{a} {b}" for a, b in itertools.pairwise(words)]
    return [*words, *pairs[::3], '"banjir melanda"', "banjr", "banjir -bekasi", "judul:kapal"]


def test_small_corpus_bodies_are_unchanged(
    client: FlaskClient, results: list[SearchResult]
) -> None:
    queries = small_queries()
    searches = [[("q", q)] for q in queries]
    searches += [[("q", q), *variant] for q, variant in zip(itertools.cycle(queries), VARIANTS)]
    searches += [variant for variant in VARIANTS if variant]  # filters alone, no words
    found = assert_same_bodies(client, results, searches)
    assert found > len(searches)  # most searches found articles: the hits were compared


# -- real news ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def news_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """An index of every 12th CLICK-ID article (~1,800): all outlets, real names and text."""
    if not NEWS.exists():
        pytest.skip("needs ../shared")
    tmp = tmp_path_factory.mktemp("news-json")
    subset = tmp / "clickid-slice.jsonl"
    with gzip.open(NEWS, "rt", encoding="utf-8") as news, subset.open("w") as out:
        out.writelines(line for i, line in enumerate(news) if i % 12 == 0)
    rebuild_index([subset], tmp / "ix")
    app = create_app({"INDEX_DIR": tmp / "ix", "TESTING": True})
    yield app
    app.extensions["telusur.search"].close()


def news_searches(app: Flask, n: int) -> list[Params]:
    """Words and word pairs drawn from the slice's own titles, and facet values it lists."""
    client = app.test_client()
    first = client.get("/api/search?q=indonesia&facet_size=50").get_json()
    rng = random.Random(25)
    titles = [h["title"] for h in first["hits"]]
    for q in ("jakarta", "presiden", "banjir", "korupsi", "gempa", "pemilu"):
        titles += [h["title"] for h in client.get(f"/api/search?q={q}").get_json()["hits"]]
    words = sorted({w.lower() for t in titles for w in re.findall(r"[^\W\d_]{4,}", t)})

    def facets(name: str) -> list[str]:
        return [v["value"] for v in first["facets"][name]]

    searches: list[Params] = []
    for _ in range(n):
        q = " ".join(rng.sample(words, rng.choice((1, 1, 2, 3))))
        params: Params = [("q", q)]
        roll = rng.random()
        if roll < 0.2:
            params.append(("outlet", rng.choice(facets("outlet"))))
        elif roll < 0.35:
            params.append(("person", rng.choice(facets("person"))))
        elif roll < 0.45:
            params += [("collapse", "story")]
        elif roll < 0.55:
            params += [("match", "most")]
        elif roll < 0.6:
            params += [("per_page", "50")]
        searches.append(params)
    return searches


@pytest.mark.slow
def test_news_bodies_are_unchanged(news_app: Flask, results: list[SearchResult]) -> None:
    searches = news_searches(news_app, 300)
    found = assert_same_bodies(news_app.test_client(), results, searches)
    assert found > len(searches)  # most of the 2×300 searches found articles


def test_json_provider_writes_what_flask_wrote(app: Flask) -> None:
    """Every other JSON answer (health, errors, analysis endpoints) goes through the same
    provider: values orjson writes otherwise, or refuses, are written as Flask wrote them."""
    import dataclasses
    import datetime as dt
    import decimal
    import uuid

    @dataclasses.dataclass
    class Point:
        when: dt.date
        n: int

    same_bytes: list[object] = [
        {"b": 1, "a": [1, 2.5, None, True, "é ü 漢字 \u2028", ("t", 1)], "f": 0.1 + 0.2},
        {"date": dt.date(2025, 8, 4), "time": dt.datetime(2025, 8, 4, 7, 30)},
        {"point": Point(dt.date(2025, 1, 2), 3), "id": uuid.UUID(int=7)},
        {"price": decimal.Decimal("1.50")},
        {1: "int key", None: "null key"},
        {"big": 2**70, "neg": -(2**65)},
        {"lone": "a\udc80b"},
        [[[[["deep"]]]]],
    ]
    # Floats in exponent form: the same numbers, spelled 1e-5 rather than 1e-05.
    same_json: list[object] = [{"small": 1e-05, "large": 1e16, "tiny": 5e-324}]
    old = DefaultJSONProvider(app)
    old.sort_keys = app.json.sort_keys  # type: ignore[attr-defined]
    old.ensure_ascii = app.json.ensure_ascii  # type: ignore[attr-defined]
    for value in [*same_bytes, *same_json]:
        new_body = app.json.response(value).get_data()  # type: ignore[attr-defined]
        old_body = old.response(value).get_data()  # type: ignore[attr-defined]
        assert json.loads(new_body) == json.loads(old_body), value
        assert new_body == old_body or value in same_json, value


def test_text_that_cannot_be_encoded_still_answers(app: Flask) -> None:
    """A lone surrogate orjson refuses: the standard library writes it, the response class
    shows U+FFFD, as before."""
    body = app.json.response({"title": "Banjir \udc80 judul"}).get_data()  # type: ignore[attr-defined]
    assert json.loads(body) == {"title": "Banjir \ufffd judul"}


@pytest.mark.parametrize("path", ["/healthz", "/api/search?page=x", "/api/articles/nothing"])
def test_other_json_answers_end_with_a_newline(client: FlaskClient, path: str) -> None:
    resp = client.get(path)
    assert resp.mimetype == "application/json"
    assert resp.get_data().endswith(b"}\n")
    assert json.loads(resp.get_data())
