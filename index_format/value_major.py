"""Each entity facet's rows by value, values ordered by how many articles hold them.

The facet arrays (index_format.facet_arrays) are document-major: a document's values are
together, which suits counting the values of a few matching documents. A broad query matches
hundreds of thousands of articles at 2.2M and then gathers millions of rows to list the top 20
values. Value-major, the most frequent values come first with their documents together, so a
facet list can count the frequent values first and stop once no remaining value could reach
its list (search.top_values): an article count no value can exceed is its archive-wide one.

  order[rank]                 value ids, most articles first (ties by id; values without
                              articles left out)
  docs[offsets[r]:offsets[r + 1]]  the documents of value order[r], ascending

Written at publish beside the facet arrays (index_format.derived, FORMAT 13) and mapped by
workers; built in memory from rows the user's corrections changed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

PREFIX = "by-value"


@dataclass(frozen=True)
class ValueMajor:
    order: np.ndarray  # int32 value ids by rank
    offsets: np.ndarray  # int32 (int64 past 2**31 rows), len(order) + 1
    docs: np.ndarray  # int32 document numbers, value by value

    def sizes(self) -> np.ndarray:
        """Each ranked value's archive-wide article count (non-increasing)."""
        return np.diff(self.offsets)


def build(doc: np.ndarray, val: np.ndarray, values: int) -> ValueMajor:
    """The value-major layout of rows (doc, val): one row per (document, value), in document
    order; `values`: how many value ids there are."""
    sizes = np.bincount(val, minlength=values)
    order = np.argsort(-sizes, kind="stable")
    order = order[: int(np.count_nonzero(sizes))]
    rank = np.empty(values, dtype=np.int64)
    rank[order] = np.arange(order.size)
    # A stable sort by rank keeps each value's documents in document order.
    rows = np.argsort(rank[val], kind="stable")
    offsets = np.zeros(order.size + 1, dtype=np.int64)
    np.cumsum(sizes[order], out=offsets[1:])
    if offsets[-1] <= np.iinfo(np.int32).max:  # (half the bytes; slices read the same)
        offsets = offsets.astype(np.int32)
    return ValueMajor(order.astype(np.int32), offsets, np.asarray(doc)[rows].astype(np.int32))


def write(where: Path, facets: Iterable[tuple[str, np.ndarray, np.ndarray, int]]) -> None:
    """Write the layout of each (facet, doc, val, value count) into the directory `where`."""
    for fname, doc, val, values in facets:
        vm = build(doc, val, values)
        for part in ("order", "offsets", "docs"):
            np.save(where / f"{PREFIX}-{fname}-{part}.npy", getattr(vm, part), allow_pickle=False)


def read(where: Path, fname: str) -> ValueMajor | None:
    """The layout of facet `fname` in `where`, mapped read-only (None when not written)."""
    paths = [where / f"{PREFIX}-{fname}-{part}.npy" for part in ("order", "offsets", "docs")]
    if not all(p.exists() for p in paths):
        return None
    order, offsets, docs = (
        np.load(p, mmap_mode="r", allow_pickle=False).view(np.ndarray) for p in paths
    )
    if offsets.size != order.size + 1 or int(offsets[-1]) != docs.size:
        return None
    return ValueMajor(order, offsets, docs)
