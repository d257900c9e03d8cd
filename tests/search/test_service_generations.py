"""The service notices a new generation on the next request, whether the served directory
changed long ago (one stat of `current` answers then) or just now; and what it works out once
per generation (parsed queries, suggestions, terms and phrases) never outlives it."""

from __future__ import annotations

import os
import time
from pathlib import Path

from whoosh import index as windex

from index_format.codec import PackedCodec
from index_format.generations import current_path
from indexer.document import to_document
from search.models import SearchRequest
from search.service import SearchService
from tests.conftest import article, write_index


def _settle(index_dir: Path) -> None:
    """Date the served directory a minute back, as an index that has served for a while."""
    past = time.time() - 60
    os.utime(os.path.realpath(current_path(index_dir)), (past, past))


def _ids(svc: SearchService, q: str) -> list[str]:
    return [h.id for h in svc.search(SearchRequest(q=q)).hits]


def test_a_swap_is_seen_on_the_next_request_after_a_settled_generation(tmp_path: Path) -> None:
    index_dir = tmp_path / "ix"
    write_index(index_dir, [article("old", "Lama", "banjir")])
    _settle(index_dir)
    svc = SearchService(index_dir)
    assert _ids(svc, "banjir") == ["old"]
    assert _ids(svc, "banjir") == ["old"]  # (answered by the stat of `current`)
    write_index(index_dir, [article("new", "Baru", "banjir")])
    assert _ids(svc, "banjir") == ["new"]


def test_a_commit_into_a_settled_served_directory_is_seen_on_the_next_request(
    tmp_path: Path,
) -> None:
    index_dir = tmp_path / "ix"
    write_index(index_dir, [article("a1", "Banjir", "Banjir di kota.")])
    _settle(index_dir)
    svc = SearchService(index_dir)
    assert _ids(svc, "trenggiling") == []
    assert _ids(svc, "banjir") == ["a1"]
    ix = windex.open_dir(os.path.realpath(current_path(index_dir)))
    with ix.writer(codec=PackedCodec()) as w:  # Whoosh's own way: a new generation in place
        w.add_document(**to_document(article("t1", "Trenggiling", "Trenggiling ditemukan.")))
    assert _ids(svc, "trenggiling") == ["t1"]


def test_queries_are_worked_out_anew_for_a_new_generation(tmp_path: Path) -> None:
    index_dir = tmp_path / "ix"
    riots = [article(f"k{i}", "Kerusuhan", f"Kerusuhan pecah di kota {i}.") for i in range(3)]
    write_index(index_dir, riots)
    svc = SearchService(index_dir)
    first = svc.search(SearchRequest(q="kerusuhn"))
    assert first.corrected == "kerusuhan" and first.total == 3
    assert svc.search(SearchRequest(q="kerusuhn")).corrected == "kerusuhan"  # (remembered)
    # The next generation holds the word as typed: found, and no longer corrected.
    write_index(index_dir, [*riots, article("t1", "Kerusuhn", "Kerusuhn di kota.")])
    again = svc.search(SearchRequest(q="kerusuhn"))
    assert (again.total, again.corrected, again.suggestion) == (1, None, None)
    assert [h.id for h in again.hits] == ["t1"]
