"""When each article first entered the index (index_format.schema.AddedColumn), kept across
a rebuild: the rebuild looks each record's id up in the generation it replaces, so that a
rebuild does not make every article "new" to the feeds and `since=`."""

from __future__ import annotations

import contextlib
import dataclasses
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from whoosh import index

from index_format.codec.termdict import uncached
from index_format.generations import current_path, open_index
from indexer.id_notes import IdNotes
from indexer.models import RawRecord, Skipped

Lookup = Callable[[str], int | None]


@contextlib.contextmanager
def previous_added(index_dir: Path) -> Iterator[Lookup]:
    """A lookup id → when it first entered the current generation (None: not in it, or the
    generation predates the field, or there is none)."""
    link = current_path(Path(index_dir))
    real = os.path.realpath(link)
    if not os.path.exists(link) or not index.exists_in(real):
        yield lambda _: None
        return
    try:
        ix = open_index(real)  # plain reads: Whoosh's maps copy the segments into memory
        searcher = ix.searcher()
    except Exception:  # an unreadable or foreign index: it has nothing to keep
        yield lambda _: None
        return
    try:
        reader = searcher.reader()
        if "added" not in searcher.schema or not reader.has_column("added"):
            yield lambda _: None
            return
        yield kept_times(reader).value
    finally:
        searcher.close()
        ix.close()


def kept_times(reader: Any) -> IdNotes:
    """Each live article's id → its `added` time (IdNotes.value), read in one pass over each
    segment's `id` terms (a term's first and last document say where it is: ~4 times cheaper
    than a lookup per id). Every id is read once: nothing it reads is kept in the codec's
    caches (at 220k articles their one-posting entries were ~200 MB of the rebuild's parent).
    Held for the whole feed of a rebuild, so in arrays (indexer.id_notes), not a dict of str
    (~130 bytes an article, ~300 MB at 2.2M)."""
    out = IdNotes()
    leaves = reader.leaf_readers() if not reader.is_atomic() else [(reader, 0)]
    with uncached():
        for leaf, _ in leaves:
            _kept_in(leaf, out)
    return out


def _kept_in(leaf: Any, out: IdNotes) -> None:
    """kept_times() of one segment, into `out` (a later note of an id stands)."""
    if not leaf.has_column("added"):
        return
    column = leaf.column_reader("added")
    for text, info in leaf.iter_field("id"):
        first, last = info.min_id(), info.max_id()
        docs = [first] if first == last else leaf.postings("id", text).all_ids()
        for docnum in docs:
            if not leaf.is_deleted(docnum) and column[docnum]:
                key = text.decode("utf-8") if isinstance(text, bytes) else text
                out.note(key, column[docnum])


def with_added(
    items: Iterable[RawRecord | Skipped], lookup: Lookup
) -> Iterator[RawRecord | Skipped]:
    """`items` with each record that the lookup knows carrying its first time in."""
    for item in items:
        if isinstance(item, RawRecord):
            added = lookup(item.doc_id)
            if added is not None:
                item = dataclasses.replace(item, added=added)
        yield item
