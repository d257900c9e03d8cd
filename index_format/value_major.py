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
  rank[value id]              its rank (-1: no article holds it): a filter's documents
  dense[r]                    the documents of value order[r] as a bitmap (64-bit words,
                              little-endian), for the values held by DENSE_SHARE of the
                              documents and DENSE_MIN_DOCS at least (search.top_values.DenseHead)

Written at publish beside the facet arrays (index_format.derived, FORMAT 13; rank and dense
added within FORMAT 14: a generation without them is served as before, its workers making
them, and index_format.derived.current calls it stale so that `telusur optimize
--upgrade-only` writes them) and mapped by workers, so that no worker builds them in its own
memory (the bitmaps cost ~125 ms and 5.3 MB a worker at 2.2M articles); built in memory from
rows the user's corrections changed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

PREFIX = "by-value"
# Values held by at least this share of the archive's documents, and by DENSE_MIN_DOCS at
# least, are counted from bitmaps (search.top_values.DenseHead says why).
DENSE_SHARE = 1 / 32
DENSE_MIN_DOCS = 1 << 15
_PARTS = ("order", "offsets", "docs")


@dataclass(frozen=True)
class ValueMajor:
    order: np.ndarray  # int32 value ids by rank
    offsets: np.ndarray  # int32 (int64 past 2**31 rows), len(order) + 1
    docs: np.ndarray  # int32 document numbers, value by value
    rank: np.ndarray  # int32 per value id: its rank in `order` (-1: no article holds it)
    # uint64 bitmaps (values, words) of the first ranked values' documents as written at
    # publish (None: not written, built by who needs them); they may cover more values than
    # dense_values() asks for, and fewer words than the archive has documents (the documents
    # past them hold none of these values).
    dense: np.ndarray | None = None

    def sizes(self) -> np.ndarray:
        """Each ranked value's archive-wide article count (non-increasing)."""
        return np.diff(self.offsets)

    def dense_values(self, size: int) -> int:
        """How many of the most frequent values an archive of `size` documents counts from
        bitmaps: those held by DENSE_SHARE of them and by DENSE_MIN_DOCS at least."""
        least = max(DENSE_SHARE * size, DENSE_MIN_DOCS)
        return int(np.count_nonzero(self.sizes() >= least))


def words(size: int) -> int:
    """The 64-bit words of a bitmap of `size` documents."""
    return (size + 63) // 64


def packed(mask: np.ndarray) -> np.ndarray:
    """A mask of documents as bits, little-endian, in 64-bit words (zero-padded)."""
    out = np.zeros(words(mask.size) * 8, dtype=np.uint8)
    out[: (mask.size + 7) // 8] = np.packbits(mask, bitorder="little")
    return out.view(np.uint64)


def bitmaps(vm: ValueMajor, size: int, values: int) -> np.ndarray:
    """The documents of the `values` most frequent values as bitmaps of `size` documents."""
    out = np.zeros((values, words(size)), dtype=np.uint64)
    mark = np.zeros(size, dtype=bool)
    off = vm.offsets
    for r in range(values):
        docs = vm.docs[off[r] : off[r + 1]]
        mark[docs] = True
        out[r] = packed(mark)
        mark[docs] = False
    return out


def build(doc: np.ndarray, val: np.ndarray, values: int) -> ValueMajor:
    """The value-major layout of rows (doc, val): one row per (document, value), in document
    order; `values`: how many value ids there are."""
    sizes = np.bincount(val, minlength=values)
    order = np.argsort(-sizes, kind="stable")
    order = order[: int(np.count_nonzero(sizes))]
    rank = np.full(values, -1, dtype=np.int64)
    rank[order] = np.arange(order.size)
    # A stable sort by rank keeps each value's documents in document order.
    rows = np.argsort(rank[val], kind="stable")
    offsets = np.zeros(order.size + 1, dtype=np.int64)
    np.cumsum(sizes[order], out=offsets[1:])
    if offsets[-1] <= np.iinfo(np.int32).max:  # (half the bytes; slices read the same)
        offsets = offsets.astype(np.int32)
    docs = np.asarray(doc)[rows].astype(np.int32)
    return ValueMajor(order.astype(np.int32), offsets, docs, rank.astype(np.int32))


def write(where: Path, facets: Iterable[tuple[str, np.ndarray, np.ndarray, int]]) -> None:
    """Write the layout of each (facet, doc, val, value count) into the directory `where`."""
    for fname, doc, val, values in facets:
        vm = build(doc, val, values)
        # (the documents past the last one with a value hold none: no bits of theirs; the
        # archive's size is at least this one's, so these bitmaps cover every value it asks for)
        size = int(doc[-1]) + 1 if doc.size else 0
        dense = bitmaps(vm, size, vm.dense_values(size))
        for part in (*_PARTS, "rank"):
            _save(where / f"{PREFIX}-{fname}-{part}.npy", getattr(vm, part))
        _save(where / f"{PREFIX}-{fname}-dense.npy", dense)


def _save(path: Path, array: np.ndarray) -> None:
    np.save(path, np.ascontiguousarray(array), allow_pickle=False)


def _load(path: Path) -> np.ndarray:
    return np.load(path, mmap_mode="r", allow_pickle=False).view(np.ndarray)


def read(where: Path, fname: str) -> ValueMajor | None:
    """The layout of facet `fname` in `where`, mapped read-only (None when not written). The
    ranks and bitmaps of an index written before them are made by whoever needs them."""
    paths = [where / f"{PREFIX}-{fname}-{part}.npy" for part in _PARTS]
    if not all(p.exists() for p in paths):
        return None
    order, offsets, docs = (_load(p) for p in paths)
    if offsets.size != order.size + 1 or int(offsets[-1]) != docs.size:
        return None
    rank_path, dense_path = (where / f"{PREFIX}-{fname}-{part}.npy" for part in ("rank", "dense"))
    if rank_path.exists() and dense_path.exists():
        rank, dense = _load(rank_path), _load(dense_path)
        if dense.ndim == 2 and dense.shape[0] <= order.size and rank.size >= order.size:
            return ValueMajor(order, offsets, docs, rank, dense)
    values = int(order.max()) + 1 if order.size else 0  # (ids past it: no article, no rank)
    rank = np.full(values, -1, dtype=np.int32)
    rank[order] = np.arange(order.size, dtype=np.int32)
    return ValueMajor(order, offsets, docs, rank)


def complete(where: Path) -> bool:
    """Whether every facet's layout in `where` has its ranks and bitmaps (an index published
    before they were written lacks them: `telusur optimize --upgrade-only` writes them)."""
    for order in where.glob(f"{PREFIX}-*-order.npy"):
        stem = order.name[: -len("order.npy")]
        if not all((where / f"{stem}{part}.npy").exists() for part in ("rank", "dense")):
            return False
    return True
