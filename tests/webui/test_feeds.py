"""Feeds and `since=` (issue #21): the index records when each article was added (by
rebuild-index, update-index, and kept across both), a search filters on it, and any search
reads as a valid Atom feed, most recently added first, with ids that never change."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import feedparser
import pytest
from bs4 import BeautifulSoup
from flask.testing import FlaskClient

from index_format.generations import current_path
from indexer import document, prepare
from indexer.build import rebuild_index
from indexer.models import Article
from indexer.update import update_index
from tests.conftest import SMALL_CORPUS, article
from tests.indexes import HISTORIES, build_index, given_entities, write_jsonl
from webui import create_app

BUILT = 1_780_000_000  # the rebuild's time
UPDATED = BUILT + 3600  # the update's, an hour later
NEW = article(
    "b1",
    "Banjir kiriman di Bogor",
    "Banjir kiriman dari hulu merendam Bogor. BPBD menyiapkan perahu.",
    outlet="Warta Timur",
    published="2025-08-01",  # an old date: new to the index all the same
    organisation=("BPBD",),
    place=("Bogor",),
)


def iso(seconds: int) -> str:
    return datetime.fromtimestamp(seconds, UTC).isoformat()


def _at(monkeypatch: pytest.MonkeyPatch, seconds: int) -> None:
    monkeypatch.setattr(document, "now", lambda: seconds)


def _update(index_dir: Path, articles: list[Article]) -> None:
    archive = index_dir.parent / f"update-{len(articles)}-{articles[0].id}.jsonl"
    write_jsonl(archive, articles)
    with given_entities([*SMALL_CORPUS, *articles]):
        update_index([archive], index_dir, grace_seconds=0)


def _client(index_dir: Path) -> FlaskClient:
    return create_app({"INDEX_DIR": index_dir, "TESTING": True}).test_client()


@pytest.fixture(params=HISTORIES)
def updated(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> FlaskClient:
    """SMALL_CORPUS rebuilt at BUILT (in each history), then NEW added and a1 changed by
    update-index at UPDATED."""
    index_dir = tmp_path / "index"
    _at(monkeypatch, BUILT)
    build_index(index_dir, SMALL_CORPUS, request.param)
    _at(monkeypatch, UPDATED)
    changed = Article(**{**SMALL_CORPUS[0].__dict__, "body": SMALL_CORPUS[0].body + " Ralat."})
    _update(index_dir, [NEW, changed])
    return _client(index_dir)


def _feed(client: FlaskClient, query: str) -> Any:
    resp = client.get(f"/feeds/search.atom?{query}")
    assert resp.status_code == 200 and resp.content_type.startswith("application/atom+xml")
    feed = feedparser.parse(resp.data)
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


def test_the_feed_is_valid_atom_and_lists_what_update_index_added_first(
    updated: FlaskClient,
) -> None:
    feed = _feed(updated, "q=banjir")
    total = updated.get("/api/search?q=banjir").json["total"]
    assert len(feed.entries) == total == 5  # a1, a2, a6, a7 and the new b1
    first = feed.entries[0]
    assert first.id == "tag:localhost,2026:article:b1"
    assert first.title == "Banjir kiriman di Bogor"
    assert first.link == "http://localhost/articles/b1"
    assert first.updated == "2026-05-28T21:26:40Z" == iso(UPDATED).replace("+00:00", "Z")
    assert first.summary.startswith("Banjir kiriman") and "mark" not in first.summary  # HTML
    # The replaced a1 keeps when it first came in: it is not new.
    a1 = next(e for e in feed.entries if e.id.endswith(":a1"))
    assert a1.updated == iso(BUILT).replace("+00:00", "Z")
    assert feed.feed.title == "Telusur: banjir"
    assert feed.feed.id == "tag:localhost,2026:search?q=banjir"
    again = _feed(updated, "q=banjir")  # polled again: the same ids, the same order
    assert [e.id for e in again.entries] == [e.id for e in feed.entries]
    assert len({e.id for e in feed.entries}) == len(feed.entries)


def test_the_feed_takes_the_search_parameters(updated: FlaskClient) -> None:
    feed = _feed(updated, "q=banjir&outlet=Warta+Timur&per_page=1")
    assert [e.id.rsplit(":", 1)[1] for e in feed.entries] == ["b1"]
    feed = _feed(updated, "place=Jakarta")
    assert {e.id.rsplit(":", 1)[1] for e in feed.entries} == {"a2", "a5", "a6"}
    assert updated.get("/feeds/search.atom?sort=best").status_code == 400


def test_since_finds_what_was_added_after_it(updated: FlaskClient) -> None:
    body = updated.get("/api/search", query_string={"q": "banjir", "since": iso(BUILT)}).json
    assert body["total"] == 1 and [h["id"] for h in body["hits"]] == ["b1"]
    assert body["hits"][0]["added"] == iso(UPDATED)
    assert body["facets"]["outlet"] == [{"value": "Warta Timur", "count": 1, "selected": False}]
    every = updated.get("/api/search", query_string={"since": iso(BUILT - 1)}).json
    assert every["total"] == len(SMALL_CORPUS) + 1
    naive = updated.get("/api/search?q=banjir&since=2026-05-28T21:00:00").json  # read as UTC
    assert naive["total"] == 1
    bad = updated.get("/api/search?q=banjir&since=yesterday", headers={"Accept-Language": "en"})
    assert bad.status_code == 400 and "since" in bad.json["errors"]


def test_the_results_page_marks_what_is_new_since(updated: FlaskClient) -> None:
    url = "/?" + "&".join(["q=banjir", "since=" + iso(BUILT).replace("+", "%2B")])
    page = BeautifulSoup(updated.get(url).text, "html.parser")
    marked = [
        li.select_one("h3 a").get_text() for li in page.select("li.hit") if li.select(".new-since")
    ]
    assert marked == ["Banjir kiriman di Bogor"]
    plain = BeautifulSoup(updated.get("/?q=banjir").text, "html.parser")
    assert not plain.select(".new-since")
    assert plain.select_one("#feed-link")["href"] == "/feeds/search.atom?q=banjir"
    found = plain.select_one("head link[rel=alternate][type='application/atom+xml']")
    assert found["href"] == "/feeds/search.atom?q=banjir"  # readers discover it themselves


@pytest.mark.parametrize("history", HISTORIES)
def test_a_rebuild_keeps_when_each_article_was_added(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, history: str
) -> None:
    index_dir = tmp_path / "index"
    _at(monkeypatch, BUILT)
    build_index(index_dir, SMALL_CORPUS, history)  # segments, deletions: each id found once
    _at(monkeypatch, UPDATED)
    build_index(index_dir, [*SMALL_CORPUS, NEW])  # the archive with one more article
    hits = _client(index_dir).get("/api/search?per_page=50").json["hits"]
    added = {h["id"]: h["added"] for h in hits}
    assert added.pop("b1") == iso(UPDATED)
    assert set(added.values()) == {iso(BUILT)}


def test_an_index_written_before_the_field_still_serves_and_updates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index_dir = tmp_path / "index"
    real_schema: Callable[[], Any] = rebuild_index.__globals__["build_schema"]

    def old_schema() -> Any:
        schema = real_schema()
        schema.remove("added")
        return schema

    def old_document(a: Article) -> dict[str, Any]:
        doc = document.to_document(a)
        del doc["added"]
        return doc

    with monkeypatch.context() as m:  # the rebuild of an older version
        m.setitem(rebuild_index.__globals__, "build_schema", old_schema)
        m.setattr(prepare, "to_document", old_document)
        build_index(index_dir, SMALL_CORPUS)
    client = _client(index_dir)
    assert "added" not in _schema_fields(index_dir)
    body = client.get("/api/search?q=banjir").json
    assert body["total"] == 4 and all(h["added"] is None for h in body["hits"])
    since = {"q": "banjir", "since": iso(BUILT)}
    assert client.get("/api/search", query_string=since).json["total"] == 0
    assert len(_feed(client, "q=banjir").entries) == 4
    _update(index_dir, [NEW])  # update-index writes it as the index's schema has it
    assert client.get("/api/search?q=banjir").json["total"] == 5
    assert len(_feed(client, "q=banjir").entries) == 5


def _schema_fields(index_dir: Path) -> set[str]:
    from whoosh import index

    ix = index.open_dir(str(current_path(index_dir)))
    try:
        return set(ix.schema.names())
    finally:
        ix.close()
