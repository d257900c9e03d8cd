"""search.facets.query_mask: the same documents as Whoosh's docs_for_query, as a numpy mask."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from whoosh import index
from whoosh import query as wq

from indexer.update import delete_articles
from search.facets import FacetData, query_mask
from search.query import parse_query
from tests.conftest import SMALL_CORPUS

QUERIES = [
    "banjir",
    "banjir bekasi",
    "banjir OR kapal",
    '"barang bekas"',
    "judul:banjir",
    "pasar -jakarta",
    "(banjir OR pasar) jakarta",
    "tidakada",
    "di",
]


def _docs(searcher: object, q: wq.Query, size: int) -> np.ndarray:
    mask = np.zeros(size, dtype=bool)
    mask[list(searcher.docs_for_query(q))] = True  # type: ignore[attr-defined]
    return mask


@pytest.mark.parametrize("text", QUERIES)
def test_mask_equals_docs_for_query(small_index: Path, text: str) -> None:
    q = parse_query(text).query
    assert q is not None
    with index.open_dir(str(small_index / "current")).searcher() as s:
        fd = FacetData(s.reader())
        assert (query_mask(s, q, fd.live) == _docs(s, q, fd.size)).all()


def test_deleted_documents_never_match(make_index: Callable[..., Path]) -> None:
    index_dir = make_index(SMALL_CORPUS, "segments")
    assert delete_articles(["a1"], index_dir, grace_seconds=0).deleted == 1
    ix = index.open_dir(str(index_dir / "current"))
    with ix.searcher() as s:
        assert s.reader().has_deletions()
        fd = FacetData(s.reader())
        q = parse_query("banjir").query
        mask = query_mask(s, q, fd.live)
        assert mask.sum() == len(list(s.docs_for_query(q))) == 3  # a2, a6, a7
        assert (mask == _docs(s, q, fd.size)).all()


def test_every_and_nothing(small_index: Path) -> None:
    with index.open_dir(str(small_index / "current")).searcher() as s:
        fd = FacetData(s.reader())
        assert query_mask(s, wq.Every(), fd.live).sum() == len(SMALL_CORPUS)
        assert query_mask(s, wq.NullQuery, fd.live).sum() == 0
