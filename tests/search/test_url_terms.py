"""A pasted URL finds its article whether the index holds its URL as the hashed term written
since issue 23 (index_format.schema.url_term) or as the plain key written before, and in an
index of both (one written before, updated since)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from index_format.generations import current_path, open_index
from index_format.schema import url_key, url_term
from indexer.build import rebuild_index
from indexer.update import delete_articles, update_index
from search.models import SearchRequest
from search.service import SearchService

OLD = [
    {
        "id": f"o{i}",
        "url": f"https://www.warta.example/read/2025/03/0{i}/banjir-bekasi-{i}",
        "title": f"Banjir di Bekasi {i}",
        "body": "Banjir besar melanda kota Bekasi pagi ini.",
        "published": "2025-03-01",
    }
    for i in range(4)
]
NEW = [
    {
        "id": "n1",
        "url": "https://kabar.example/berita/kereta-cepat?utm_source=wa",
        "title": "Kereta cepat",
        "body": "Kereta cepat berangkat dari Halim.",
        "published": "2025-03-02",
    }
]


def _jsonl(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def found(index_dir: Path, pasted: str) -> list[str]:
    svc = SearchService(index_dir)
    try:
        return [h.id for h in svc.search(SearchRequest(q=pasted)).hits]
    finally:
        svc.close()


def url_terms_held(index_dir: Path) -> set[str]:
    ix = open_index(current_path(index_dir))
    try:
        with ix.reader() as r:
            return {t.decode() if isinstance(t, bytes) else t for t in r.field_terms("url")}
    finally:
        ix.close()


@pytest.mark.parametrize("written_before", [False, True])
def test_a_pasted_url_finds_its_article_in_every_state(
    written_before: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from indexer import document

    index_dir = tmp_path / "ix"
    with monkeypatch.context() as mp:
        if written_before:  # the url field's terms as the plain keys
            mp.setattr(document, "url_term", url_key)
        rebuild_index([_jsonl(tmp_path / "old.jsonl", OLD)], index_dir)
    plain = {url_key(r["url"]) for r in OLD}
    hashed = {url_term(r["url"]) for r in OLD}
    assert url_terms_held(index_dir) == (plain if written_before else hashed)
    for r in OLD:
        assert found(index_dir, r["url"]) == [r["id"]]
        assert found(index_dir, r["url"].replace("https://www.", "http://") + "/") == [r["id"]]
    assert found(index_dir, NEW[0]["url"]) == []

    update_index([_jsonl(tmp_path / "new.jsonl", NEW)], index_dir)  # written today: hashed
    assert url_terms_held(index_dir) >= {url_term(NEW[0]["url"])}
    assert found(index_dir, "https://kabar.example/berita/kereta-cepat/") == ["n1"]
    assert found(index_dir, OLD[2]["url"]) == ["o2"]
    assert delete_articles(["o2"], index_dir).deleted == 1
    assert found(index_dir, OLD[2]["url"]) == []
    assert found(index_dir, OLD[3]["url"]) == ["o3"]


def test_url_terms_are_short_and_tell_urls_apart() -> None:
    urls = [f"https://warta.example/read/{i}/judul-{i}" for i in range(5000)]
    terms = {url_term(u) for u in urls}
    assert len(terms) == len(urls) and {len(t) for t in terms} == {12}
    assert url_term("https://www.Warta.example/read/1/judul-1/?utm_source=x") == url_term(urls[1])
