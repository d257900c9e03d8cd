"""Reading the added times a rebuild keeps (indexer.added) from the index it replaces: every
live article's time, none of a deleted one, and nothing left in the codec's caches."""

from __future__ import annotations

import os
from pathlib import Path

from index_format.codec import termdict
from index_format.generations import current_path, open_index
from indexer.added import previous_added
from tests.conftest import SMALL_CORPUS
from tests.indexes import EXTRA_PREFIX


def _live_times(index_dir: Path) -> dict[str, int]:
    """Each live document's id and added time, read document by document."""
    ix = open_index(os.path.realpath(current_path(index_dir)))
    with ix.searcher() as s:
        reader = s.reader()
        column = reader.column_reader("added")
        got = {s.stored_fields(d)["id"]: column[d] for d in reader.all_doc_ids()}
    ix.close()
    return got


def test_the_old_index_times_are_read_without_filling_the_caches(small_index: Path) -> None:
    """Fresh, in several segments, and after updates (an id in a deleted and a live document)
    and deletions: each live article's time is found, a deleted one's is not, and the walk
    over every id leaves the process's caches as they were (at 220k articles its one-posting
    entries held ~200 MB of the rebuild's parent)."""
    index_dir = small_index
    want = _live_times(index_dir)
    assert sorted(want) == sorted(a.id for a in SMALL_CORPUS) and all(want.values())
    caches = (termdict._POSTINGS, termdict._BLOCKS, termdict._LOCATED)
    before = [(len(c), c.weight) for c in caches]
    with previous_added(index_dir) as lookup:
        assert {a.id: lookup(a.id) for a in SMALL_CORPUS} == want
        assert lookup(f"{EXTRA_PREFIX}{SMALL_CORPUS[1].id}") is None
        assert lookup("no-such-article") is None
    assert [(len(c), c.weight) for c in caches] == before
