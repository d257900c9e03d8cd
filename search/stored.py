"""A document's stored fields without Whoosh's per-field re-check, for the hits of a page.

Whoosh's `SegmentReader.stored_fields` rebuilds the unpickled dict through a generator that
asks the schema about every field (`item[0] in schema`, ~13 fields an article), to drop fields
the schema no longer has: about a quarter of a hit's stored-field read at 22k articles, for a
check that a set inclusion settles at once when, as always in an index Telusur wrote, every
stored field is in the schema. The dict is the same: the per-document reader unpickles a new
one on each call, keys in the order they were stored.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from typing import Any


class StoredFields:
    """`searcher.stored_fields(docnum)` for one open searcher, read from its segments' readers
    directly."""

    def __init__(self, searcher: Any) -> None:
        self.searcher = searcher
        leaves = list(searcher.leaf_searchers())
        self.offsets = [offset for _, offset in leaves]
        self.readers = [leaf.reader() for leaf, _ in leaves]
        self.fields = frozenset(searcher.schema.names())
        # Whoosh's own path where a segment reader is not the kind this reads (never, today).
        self.direct = all(hasattr(r, "_perdoc") for r in self.readers)
        # Each segment's stored-field column where its per-document reader hands it out
        # (index_format.codec.storedcol): a document is then that column's item, read without
        # the three calls in between. None: the per-document reader's stored_fields.
        self.columns: list[Any] = [None] * len(self.readers)

    def __call__(self, docnum: int) -> dict[str, Any]:
        if not self.direct:
            fields: dict[str, Any] = self.searcher.stored_fields(docnum)
            return fields
        segment = max(0, bisect_right(self.offsets, docnum) - 1)
        reader = self.readers[segment]
        local = docnum - self.offsets[segment]
        if reader.is_closed or local < 0:  # Whoosh's own errors
            fields = reader.stored_fields(local)
            return fields
        column = self.columns[segment]
        if column is None:
            perdoc = reader._perdoc
            column = self.columns[segment] = getattr(perdoc, "stored_column", lambda: None)()
            if column is None:  # (W3's per-document reader: asked each time)
                fields = perdoc.stored_fields(local)
                return self._known(fields)
        fields = column[local]
        if fields is None:
            return {}
        return self._known(fields)

    def _known(self, fields: dict[str, Any]) -> dict[str, Any]:
        if fields.keys() <= self.fields:
            return fields
        return {name: value for name, value in fields.items() if name in self.fields}

    def many(self, docnums: Sequence[int]) -> list[dict[str, Any]]:
        """The stored fields of each of `docnums` (a page's hits), read one after another
        before anything else uses them: interleaved with the hits' snippets, each read found
        the decompressor's dictionary out of the CPU's caches again."""
        return [self(d) for d in docnums]
