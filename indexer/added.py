"""When each article first entered the index (index_format.schema.AddedColumn), kept across
a rebuild: the rebuild looks each record's id up in the generation it replaces, so that a
rebuild does not make every article "new" to the feeds and `since=`."""

from __future__ import annotations

import contextlib
import dataclasses
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from whoosh import index

from index_format.generations import current_path
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
        ix = index.open_dir(real)
        searcher = ix.searcher()
    except Exception:  # an unreadable or foreign index: it has nothing to keep
        yield lambda _: None
        return
    try:
        reader = searcher.reader()
        if "added" not in searcher.schema or not reader.has_column("added"):
            yield lambda _: None
            return
        column = reader.column_reader("added")

        def lookup(doc_id: str) -> int | None:
            docnum = searcher.document_number(id=doc_id)
            return (column[docnum] or None) if docnum is not None else None

        yield lookup
    finally:
        searcher.close()
        ix.close()


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
