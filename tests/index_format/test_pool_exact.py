"""The build writer's exact field reuses the words its title and body passes found: the same
terms as analysing the joined text again, for articles with and without tagged names."""

from __future__ import annotations

from typing import Any

import pytest

import index_format.pool
from index_format.analysis import index_tokens
from index_format.pool import _exact_tokens
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
