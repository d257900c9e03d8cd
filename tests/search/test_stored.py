"""A hit's stored fields read from the segments directly are Whoosh's, in every index history
(one segment, several, after updates and deletions)."""

from __future__ import annotations

from pathlib import Path

import pytest
from whoosh import index
from whoosh.reading import ReaderClosed

from index_format.generations import current_path, open_index
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


def test_the_served_index_reads_every_document_as_whoosh_mapped_reads_it(
    small_index: Path,
) -> None:
    """The service opens indexes without mmap, and then reads a document's frame with one
    pread at its place in the segment file: the same dicts as Whoosh's own reads of the
    mapped files, in every history."""
    mapped = index.open_dir(str(current_path(small_index)))
    served = open_index(current_path(small_index))
    with mapped.searcher() as whooshs, served.searcher() as searcher:
        stored = StoredFields(searcher)
        docnums = list(range(searcher.doc_count_all()))
        got = stored.many(docnums[::-1])[::-1]
        by_whoosh = [searcher.stored_fields(d) for d in docnums]
        want = [whooshs.stored_fields(d) for d in docnums]
        assert all(column is not None and column._file is not None for column in stored.columns)
    assert got == by_whoosh == want
    assert [list(g) for g in got] == [list(w) for w in want]


def test_the_served_index_is_not_read_once_closed(small_index: Path) -> None:
    served = open_index(current_path(small_index))
    searcher = served.searcher()
    stored = StoredFields(searcher)
    assert stored(0)["id"]
    searcher.close()
    with pytest.raises(ReaderClosed):
        stored(0)
