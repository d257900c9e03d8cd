"""update-index merges only small segments: its commit never rewrites the archive's large
segments (Whoosh's default policy merged every segment of a 220k index inside one update once
there were 24 of them); `telusur optimize` is what merges those."""

from __future__ import annotations

from pathlib import Path

import pytest

from index_format.generations import current_path, open_index
from indexer import update
from indexer.update import MAX_SMALL, update_index
from search.models import SearchRequest
from search.service import SearchService
from tests.conftest import article
from tests.indexes import build_index, given_entities, write_jsonl
from tests.test_derived_open import _corpus
from tests.test_derived_segments import assert_as_whole


def _segments(index_dir: Path) -> dict[str, int]:
    ix = open_index(current_path(index_dir))
    try:
        return {s.segment_id(): s.doc_count_all() for s in ix._segments()}
    finally:
        ix.close()


def test_updates_merge_their_small_segments_and_leave_the_large_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index_dir = tmp_path / "index"
    corpus = _corpus()
    build_index(index_dir, corpus, "segments")
    large = _segments(index_dir)
    small_docs = min(large.values()) - 1
    assert len(large) >= 2 and small_docs >= 2
    monkeypatch.setattr(update, "SMALL_DOCS", small_docs)
    new = [
        article(f"n{i}", f"Banjir rob {i}", "Banjir rob merendam pesisir utara.") for i in range(8)
    ]
    for i, a in enumerate(new):
        with given_entities([*corpus, *new]):
            update_index([write_jsonl(tmp_path / f"u{i}.jsonl", [a])], index_dir, grace_seconds=0)
        now = _segments(index_dir)
        assert large.items() <= now.items(), "a large segment was rewritten"
        small = [n for n in now.values() if n <= small_docs]
        assert len(small) <= MAX_SMALL + 1
    # The small ones were merged (into one no longer small), not left to pile up.
    assert len(_segments(index_dir)) < len(large) + len(new)
    (tmp_path / "w").mkdir()
    assert_as_whole(index_dir, tmp_path / "w")  # the merged generation's derived files
    svc = SearchService(index_dir)
    assert svc.search(SearchRequest(q="")).total == len(corpus) + len(new)
    assert {h.id for h in svc.search(SearchRequest(q="rob", per_page=50)).hits} >= {
        a.id for a in new
    }
    svc.close()
