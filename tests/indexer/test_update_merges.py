"""update-index merges only small segments: its commit never rewrites the archive's large
segments (Whoosh's default policy merged every segment of a 220k index inside one update once
there were 24 of them); `telusur optimize` is what merges those."""

from __future__ import annotations

from pathlib import Path

import pytest

from index_format.generations import current_path, open_index
from indexer import tiers
from indexer.update import update_index
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


def test_updates_merge_by_tiers_and_leave_the_large_segments(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each update adds a segment of one article; once TIER_WIDTH of one tier gather they
    become one, and the build's larger segments (a tier above) are never rewritten."""
    index_dir = tmp_path / "index"
    corpus = _corpus()
    build_index(index_dir, corpus, "segments")
    large = _segments(index_dir)
    monkeypatch.setattr(tiers, "TIER_BASE", 1)  # tier 0: 1-9 articles, tier 1: 10-99
    monkeypatch.setattr(tiers, "TIER_WIDTH", 4)
    assert {tiers.tier(n) for n in large.values()} == {1} and len(large) == 3
    new = [
        article(f"n{i}", f"Banjir rob {i}", "Banjir rob merendam pesisir utara.") for i in range(8)
    ]
    counts = []
    for i, a in enumerate(new):
        with given_entities([*corpus, *new]):
            update_index([write_jsonl(tmp_path / f"u{i}.jsonl", [a])], index_dir, grace_seconds=0)
        now = _segments(index_dir)
        assert large.items() <= now.items(), "a large segment was rewritten"
        small = [n for n in now.values() if tiers.tier(n) == 0]
        assert len(small) < 4
        counts.append(len(now))
    # The 4th update's segment and the 3 before became one, and the 7th's with it.
    assert counts == [4, 5, 6, 4, 5, 6, 4, 5], counts
    (tmp_path / "w").mkdir()
    assert_as_whole(index_dir, tmp_path / "w")  # the merged generation's derived files
    svc = SearchService(index_dir)
    assert svc.search(SearchRequest(q="")).total == len(corpus) + len(new)
    assert {h.id for h in svc.search(SearchRequest(q="rob", per_page=50)).hits} >= {
        a.id for a in new
    }
    svc.close()
