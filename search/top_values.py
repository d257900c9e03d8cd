"""An entity facet's top values among the matching articles, counted exactly from the most
frequent values down (index_format.value_major), stopping once no value left could be listed.

No value can count more matching articles than it has in the archive, and the values come
by that count, non-increasing. So once the want-th largest count found exceeds the archive-wide
count of the next value, no later value can reach the list, not even tied (ties are broken by
name, so a tie could enter it). A broad query stops after a few hundred values; a narrow one
would need nearly every value, and is cheaper counted from its own documents' rows: past a
budget of rows the caller counts those instead. The want-th count found so far already says
how far down the values the count must go at least (to the first value held by fewer
articles): when that is past the budget, it gives up at once rather than read up to it.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from index_format import value_major
from index_format.value_major import ValueMajor, packed

# Values counted in the first tier; each later tier doubles the values counted.
FIRST_TIER = 64
# A row read value-major (a gather of the mask, a chunk at a time, and a count) costs a small
# share of a row of the matching documents (their rows' positions, a gather from all over the
# facet's rows, a bincount): value-major is tried up to this many rows per row of the matching
# documents. Measured at 2.2M articles, the mix's entity lists (CPU ms a pass, min of 3):
# ratio 4: 1420, 8: 1201-1344, 12: 1262, 16: 1133-1167, 24: 1246, 32: 1429.
ROW_COST_RATIO = 16
# A value with at least this many rows is counted on its own (np.count_nonzero: ~0.1 ns a row,
# ~1 µs a call); the smaller ones together by np.add.reduceat (~0.2 ns a row summed as bytes,
# _sums, but one call for them all; 1.4 ns as bools into int64). Measured at 2.2M articles:
# the 128 most frequent places' 5.6M rows 7.6 ms by reduceat of bools, 0.4 ms value by value;
# values of 1,024 to 16,384 rows, 300 of each size (µs a value, alone / by reduceat of bytes):
# 1,024: 0.7 / 0.18, 4,096: 1.21 / 0.9, 8,192: 1.7 / 1.68, 16,384: 1.45 / 4.52.
OWN_COUNT_ROWS = 8192
# The documents' mask is gathered this many rows at a time (masked()).
GATHER_ROWS = 1 << 16
# Values held by at least this share of the archive's documents, and by DENSE_MIN_DOCS at
# least, are counted from bitmaps (DenseHead): a popcount of N / 64 words costs what gathering
# ~N / 90 rows does, but three numpy calls a value cost more than a small gather (22k
# articles: the mix's entity lists 32 -> 38 ms with bitmaps of the values of 687 articles).
# (index_format.value_major writes the bitmaps at publish with the same thresholds.)
DENSE_SHARE = value_major.DENSE_SHARE
DENSE_MIN_DOCS = value_major.DENSE_MIN_DOCS
# A count by value is not tried when even this many times the want-th count that a match's
# share of the archive predicts (were its documents drawn at random) leaves more rows to
# gather than the budget: the match is too narrow, and the rows gathered before the first
# tier's counts said so were thrown away (at 2.2M articles ~1 ms a list, 103 of the mix's
# 210 entity lists).
LIKELY = 4
# Up to this many counts, kth_count partitions them at once.
KTH_DIRECT = 256
# Bitmaps are ANDed with a query's this many 64-bit words at a time (a few values' at 2.2M
# articles: 2 MB of temporary words).
BITMAP_WORDS = 1 << 18


def top_values(
    vm: ValueMajor,
    mask: np.ndarray,
    want: int,
    budget: float,
    dense: DenseHead | None = None,
    share: float | None = None,
) -> tuple[np.ndarray, np.ndarray] | None:
    """Value ids and their exact counts among `mask`'s documents, such that any value left
    out counts fewer than the want-th largest of them; None when that would gather more than
    `budget` rows, or, given the `share` of the archive's documents the mask holds, when even
    a want-th count LIKELY times what that share predicts would. `dense`: bitmaps of the most
    frequent values, which count those instead."""
    off, n = vm.offsets, vm.order.size
    heads = dense.values if dense is not None else 0
    want = max(1, want)
    if share is not None and n > want:
        # Were the mask's documents drawn at random, the want-th value would count about
        # `share` of its documents; a match holds its topic's values more often than that.
        likely = LIKELY * share * int(off[want] - off[want - 1])
        if int(off[first_below(off, 0, max(1, int(likely)))] - off[min(n, heads)]) > budget:
            return None
    found: list[np.ndarray] = []
    bits: np.ndarray | None = None  # the mask as bits, made when first needed
    within = dense is not None and dense.last_doc < mask.size  # (every row's document)

    def gathered(upto: int) -> int:
        """The rows gathered to count the values up to rank `upto` (not those of bitmaps)."""
        return int(off[upto] - off[min(upto, heads)])

    a, b = 0, min(n, max(FIRST_TIER, 2 * want))
    while a < n:
        if gathered(b) > budget:
            return None
        if a < heads:
            assert dense is not None
            bits = packed(mask) if bits is None else bits
            found.append(dense.counts(bits, a, min(b, heads)))
        if b > heads:
            start = max(a, heads)
            seen = masked(mask, vm.docs[off[start] : off[b]], within)
            found.append(counts_by_value(seen, off[start : b + 1] - off[start]))
        a, b = b, min(n, 2 * b)
        counted = np.concatenate(found) if len(found) > 1 else found[0]
        if a < n and counted.size >= want:
            kth = kth_count(counted, want)
            if kth > off[a + 1] - off[a]:  # the most any value left can count
                break
            # Every value down to the first held by fewer than kth articles must be counted.
            need = first_below(off, a, kth)
            if gathered(need) > budget:
                return None
            b = min(b, need)  # (past it, kth may already stop the count)
    counts = np.concatenate(found) if found else np.zeros(0, dtype=np.int64)
    return vm.order[: counts.size], counts


class DenseHead:
    """Bitmaps of the documents of a facet's most frequent values, those held by at least
    DENSE_SHARE of the archive's documents (and DENSE_MIN_DOCS). Such a value's count among a
    query's documents is then a popcount of two bitmaps' AND, ~34 µs at 2.2M articles, where
    gathering the mask at its 70k+ documents took ~100 µs (the 14 places held by 1/32 of the
    archive or more hold 2.75M of the place facet's 10.9M rows). The bitmaps the build wrote
    (index_format.value_major, mapped: shared by the workers) when they cover these values,
    else built here (~125 ms and 5.3 MB a worker for the three entity facets at 2.2M)."""

    def __init__(self, vm: ValueMajor, size: int) -> None:
        least = max(DENSE_SHARE * size, DENSE_MIN_DOCS)
        self.values = int(np.count_nonzero(vm.sizes() >= least))
        # The last document any row holds (each value's documents ascend: its last is its
        # largest): a mask this long or longer can be gathered unchecked (masked()).
        ends = np.asarray(vm.offsets[1:], dtype=np.int64) - 1
        self.last_doc = int(vm.docs[ends].max()) if ends.size else -1
        written = vm.dense
        if (
            written is not None
            and written.shape[0] >= self.values
            and written.shape[1] <= value_major.words(size)
        ):
            self.bits = written
        else:
            self.bits = value_major.bitmaps(vm, size, self.values)

    def counts(self, bits: np.ndarray, a: int, b: int) -> np.ndarray:
        """The counts among the documents of `bits` (packed()) of the values ranked a..b-1:
        the bitmaps of a few values at a time ANDed with `bits` and popcounted in one call
        each (not three calls a value)."""
        out = np.empty(b - a, dtype=np.int64)
        # (the written bitmaps may stop before the archive's last documents: none of theirs)
        bits = bits[: self.bits.shape[1]]
        step = max(1, BITMAP_WORDS // max(1, bits.size))
        for r in range(a, b, step):
            both = np.bitwise_and(self.bits[r : min(b, r + step)], bits)
            out[r - a : r - a + both.shape[0]] = np.bitwise_count(both).sum(axis=1, dtype=np.int64)
        return out


def kth_count(counts: np.ndarray, k: int) -> int:
    """The k-th largest of non-negative integer counts (1 <= k <= counts.size), as
    np.partition(counts, counts.size - k)[counts.size - k] finds it. np.partition slows down
    many times over when one value is most of the array, as facet counts are (most values
    counted once: 1.3 ms for 5,000 counts 99% ones, 0.04 ms for as many spread out): while the
    smallest count is most of them, only the counts above it are kept (k of them or more,
    else the smallest is the k-th)."""
    values = counts
    while values.size > KTH_DIRECT:
        least = values.min()
        above = values[values > least]
        if above.size < k:
            return int(least)
        dominant = 2 * above.size <= values.size
        values = above  # (k of them or more: the k-th largest is theirs)
        if not dominant:
            break
    return int(np.partition(values, values.size - k)[values.size - k])


def masked(mask: np.ndarray, docs: np.ndarray, clip: bool = False) -> np.ndarray:
    """mask[docs], gathered GATHER_ROWS at a time: numpy first turns int32 indices into intp,
    and a chunk's worth stays in the CPU's cache where millions of them went to memory and back
    (5.6M rows at 2.2M articles: 13.9 -> 6.8 ms). Without numpy's check of each index against
    the mask's size when `clip` says every one of `docs` is within it (mode="clip": 5.7M rows
    ~15% faster)."""
    mode: Literal["clip", "raise"] = "clip" if clip else "raise"
    if docs.size <= GATHER_ROWS:
        got: np.ndarray = np.take(mask, docs, mode=mode)
        return got
    out = np.empty(docs.size, dtype=bool)
    for i in range(0, docs.size, GATHER_ROWS):
        np.take(mask, docs[i : i + GATHER_ROWS], out=out[i : i + GATHER_ROWS], mode=mode)
    return out


def counts_by_value(seen: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    """How many of each value's rows are seen: value i's rows are seen[bounds[i]:bounds[i + 1]],
    values by non-increasing number of rows, none empty."""
    if bounds[1] - bounds[0] < OWN_COUNT_ROWS:  # (the largest too small: none counted alone)
        return _sums(seen, bounds[:-1])
    sizes = np.diff(bounds)
    # (sizes non-increasing: the values with OWN_COUNT_ROWS rows or more come first)
    own = int(np.searchsorted(-sizes, -OWN_COUNT_ROWS, side="right"))
    out = np.empty(sizes.size, dtype=np.int64)
    edges = bounds[: own + 1].tolist()
    for i in range(own):
        out[i] = np.count_nonzero(seen[edges[i] : edges[i + 1]])
    if own < sizes.size:
        out[own:] = _sums(seen, bounds[own:-1])
    return out


def _sums(seen: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """np.add.reduceat(seen, starts) as int64: summed as bytes into int32 (no value has 2**31
    rows), where summing bools into int64 converted each one (3M rows: 2.4 -> 0.9 ms)."""
    sums: np.ndarray = np.add.reduceat(seen.view(np.uint8), starts, dtype=np.int32)
    return sums.astype(np.int64)


def first_below(off: np.ndarray, a: int, kth: int) -> int:
    """The first rank r >= a whose value has fewer than `kth` rows (len(off) - 1 if none):
    the values' row counts are non-increasing, so by galloping from a (it is mostly near),
    then bisection."""
    n = off.size - 1
    lo, step = a, 1
    hi = min(n, a + step)
    while hi < n and int(off[hi + 1] - off[hi]) >= kth:
        lo, step = hi + 1, 2 * step
        hi = min(n, lo + step)
    while lo < hi:
        mid = (lo + hi) // 2
        if int(off[mid + 1] - off[mid]) < kth:
            hi = mid
        else:
            lo = mid + 1
    return lo
