"""The build writer's short cuts give what Whoosh's analysis gives: the exact field from the
words its title and body passes found (articles with and without tagged names), and a list of
names from each name's remembered postings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from whoosh import index
from whoosh.fields import KEYWORD, Schema

import index_format.pool
from index_format.analysis import index_tokens
from index_format.pool import _exact_tokens, build_writer
from index_format.schema import build_schema
from indexer.document import to_document
from indexer.models import RawRecord
from indexer.prepare import prepare_article
from indexer.sources import read_archive
from tests.conftest import REPO


@pytest.fixture(scope="module")
def docs() -> list[dict[str, Any]]:
    records = [r for r in read_archive([REPO / "sample_archive"]) if isinstance(r, RawRecord)]
    return [to_document(prepare_article(r)) for r in records]


def _lows(doc: dict[str, Any]) -> dict[str, list[str]]:
    """What _BuildWriter._prepare keeps of the stemmed passes."""
    out: dict[str, list[str]] = {}
    for name in ("title", "body"):
        words: list[str] = []
        index_tokens(doc[name], True, words)
        out[doc[name].replace("\ue000", "")] = words
    return out


def test_exact_terms_from_title_and_body_words(
    docs: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert any("\ue000" in doc["body"] for doc in docs)  # some names are marked
    want = [index_tokens(doc["exact"], False) for doc in docs]

    def refuse(text: str, stemmed: bool, lows: list[str] | None = None) -> Any:
        raise AssertionError("the exact field was analysed again")

    monkeypatch.setattr(index_format.pool, "index_tokens", refuse)
    assert [_exact_tokens(doc["exact"], _lows(doc)) for doc in docs] == want


def test_other_texts_are_analysed() -> None:
    lows = {"Judul": ["judul"], "Isi berita.": ["isi", "berita"]}
    for text in ("Judul\nIsi lain.", "Judul Isi berita.", "Isi berita.\nJudul", "Judul\n"):
        assert _exact_tokens(text, lows) == index_tokens(text, False)
    assert _exact_tokens("Judul\nIsi berita.", lows) == (["judul", "isi", "berita"], 0)


LISTS = [
    "Joko Widodo",
    "Joko Widodo,Ma'ruf Amin",
    "Jakarta,Bekasi,Jakarta",  # a name twice: frequency 2
    "Jakarta, Bekasi ,,  ,Bogor",  # spaces and empty runs, as the tokenizer reads them
    ",Jakarta,",
    "Bekasi,Jakarta",  # the names met before, in another list
]


@pytest.mark.parametrize("lowercase", [False, True])
def test_name_lists_index_as_whoosh_does(tmp_path: Path, lowercase: bool) -> None:
    schema = Schema(names=KEYWORD(commas=True, lowercase=lowercase, scorable=False))
    writer = build_writer(index.create_in(tmp_path, schema))
    try:
        field = schema["names"]
        for value in LISTS * 2:  # twice: the second time from what it remembers
            assert sorted(writer._index(field, "names", value)) == sorted(field.index(value))
    finally:
        writer.cancel()


def test_the_facets_take_the_short_cut() -> None:
    """(So that the test above covers the rebuild's path.)"""
    schema = build_schema()
    assert all(index_format.pool._by_name(schema[n]) for n in ("person", "organisation", "place"))
    assert not any(index_format.pool._by_name(schema[n]) for n in ("url", "outlet", "title"))
