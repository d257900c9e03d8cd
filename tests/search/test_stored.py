"""A hit's stored fields read from the segments directly are Whoosh's, in every index history
(one segment, several, after updates and deletions)."""

from __future__ import annotations

from pathlib import Path

import pytest
from whoosh import index
from whoosh.reading import ReaderClosed

from index_format.generations import current_path
from search.stored import StoredFields


def test_every_document_reads_as_whoosh_reads_it(small_index: Path) -> None:
    ix = index.open_dir(str(current_path(small_index)))
    with ix.searcher() as searcher:
        stored = StoredFields(searcher)
        assert stored.direct
        docnums = range(searcher.doc_count_all())
        got = [stored(d) for d in docnums]
        page = stored.many(list(reversed(docnums)))
        want = [searcher.stored_fields(d) for d in docnums]
    ix.close()
    assert got == want
    assert page == want[::-1]
    assert [list(g) for g in got] == [list(w) for w in want]  # fields in the same order
    assert all(g["id"] and g["title"] for g in got)


def test_a_closed_searcher_is_not_read(small_index: Path) -> None:
    ix = index.open_dir(str(current_path(small_index)))
    searcher = ix.searcher()
    stored = StoredFields(searcher)
    assert stored(0)["id"]
    searcher.close()
    ix.close()
    with pytest.raises(ReaderClosed):
        stored(0)
