"""The stories after a change, regrouped only where the change can reach (index_format.stories).

A story is a connected group of the graph whose edges are the joined candidate pairs: rows that
share an LSH bucket (all pairs of a bucket of at most MAX_BUCKET rows, neighbours in row order
of a bigger one) and whose signatures agree on THRESHOLD of their values. An update adds rows
at the end, replaces rows in place and removes rows (the others keep their order), so the
table before and after fit one order: the old rows by their old position, then the added ones.

Only the buckets that hold a changed row (its new band key, or the old key of a replaced or
removed row) can have other pairs than before. In each, a pair of one side only, or any pair
of a changed row (a replaced row's pair can be a candidate on both sides, with another
signature), is *lost* (before) or *gained* (after) when its signatures then agree. Then:

- an old story none of whose rows was replaced or removed or lost a pair keeps every edge it
  had, so it stays connected: it is one node below, whatever it gains;
- every edge the new graph has that the old one had not is a gained pair, so the stories now
  are the connected groups of: the region R (the rows of the old stories that may split, those
  with a replaced or removed row or a lost pair, and the added rows) joined by their candidate
  pairs among themselves (each bucket read whole, for its size and order), and the other old
  stories as nodes, joined by the gained pairs. A story's id is its first row's, so an old
  story joined to others is renamed only when another's first row comes before its own.

No case falls back to a full grouping: a bucket that grows past MAX_BUCKET, or shrinks below
it, changes its pairs, and those are lost and gained pairs like any other. The cost grows with
the changed rows and the stories they meet, plus a few vectorised passes over one band's keys.
tests/stories/test_incremental_stories.py holds the result equal to a full grouping over
random tables and random sequences of additions, replacements and deletions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from index_format.stories import Signatures

_PRIME = np.uint64(0x100000001B3)


@dataclass
class Grouped:
    """What a story table held when it was last grouped, and what changed since.

    The lists are the table's own (never copied): a removal gives the table new lists, and a
    replacement notes a row's old values in `before` before it writes over them."""

    ids: list[str]
    days: list[int]
    sigs: Signatures
    story: list[str]
    index: dict[str, int]  # may gain rows added since: only positions below n are old
    n: int
    before: dict[str, tuple[int, np.ndarray, str]] = field(
        default_factory=dict
    )  # old rows replaced
    gone: set[str] = field(default_factory=set)  # old rows removed

    def old_row(self, doc_id: str) -> int | None:
        """The old position of an old row still in the table; None for any other."""
        row = self.index.get(doc_id, self.n)
        return row if row < self.n and doc_id not in self.gone else None

    def old(self, u: int) -> tuple[int, np.ndarray, str]:
        """(day, signature, story) of old row `u` when it was grouped."""
        noted = self.before.get(self.ids[u])
        return noted if noted is not None else (self.days[u], self.sigs[u], self.story[u])


def band_column(sigs: np.ndarray, band: int, rows: int) -> np.ndarray:
    """One 64-bit key per article for one band of MinHashLSH's banding (`rows` values a band),
    computed with numpy: articles share the band's bucket where their keys are equal (hashing
    each band's bytes in Python, as MinHashLSH.insert does, took 1.3 s for 22,000 articles)."""
    key = np.zeros(sigs.shape[0], dtype=np.uint64)
    if rows == 4 and sigs.dtype == np.uint8 and sigs.flags.c_contiguous:
        # A band's four values are four neighbouring bytes: read them as one word (a column
        # of bytes is read 128 bytes apart, four times).
        word = sigs.view("<u4")[:, band].astype(np.uint64)
        values = [(word >> np.uint64(8 * j)) & np.uint64(0xFF) for j in range(4)]
    else:
        values = [sigs[:, band * rows + j].astype(np.uint64) for j in range(rows)]
    with np.errstate(over="ignore"):
        for value in values:
            key = key * _PRIME + value
    return key


def bucket_pairs(keys: np.ndarray, rows: np.ndarray, max_bucket: int) -> np.ndarray:
    """The candidate pairs (a, b), a < b, of the buckets of `rows` (ascending) by their `keys`:
    every pair of a bucket of at most `max_bucket` rows, neighbours in a bigger one. One numpy
    pass per distance between a pair's rows, not a Python loop over buckets."""
    order = np.argsort(keys, kind="stable")  # a bucket's rows stay ascending
    k, r = keys[order], rows[order]
    starts = np.flatnonzero(np.r_[True, k[1:] != k[:-1]])
    sizes = np.diff(np.r_[starts, k.size])
    size_at = np.repeat(sizes, sizes)  # each row's bucket's size
    left = np.arange(k.size) - np.repeat(starts, sizes)  # rows of its bucket after it, + 1
    left = size_at - 1 - left
    found = []
    # Neighbours: in every bucket; further apart: only in buckets of at most max_bucket.
    for distance in range(1, int(sizes.max(initial=1))):
        at = np.flatnonzero((left >= distance) & ((distance == 1) | (size_at <= max_bucket)))
        if at.size == 0:
            break
        found.append(np.stack([r[at], r[at + distance]], axis=1))
    if not found:
        return np.zeros((0, 2), dtype=np.int64)
    return np.concatenate(found).astype(np.int64)


_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


def _in(values: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """Which of `values` are in `wanted` (sorted, distinct): a bit table of their hashes first,
    then a sorted search of the few values it passes (a search of every value cost seconds)."""
    out = np.zeros(values.size, dtype=bool)
    if wanted.size == 0:
        return out
    bits = min(max(int(wanted.size).bit_length() + 4, 12), 28)
    table = np.zeros(1 << bits, dtype=bool)
    with np.errstate(over="ignore"):
        table[(wanted * _GOLDEN) >> np.uint64(64 - bits)] = True
        maybe = np.flatnonzero(table[(values * _GOLDEN) >> np.uint64(64 - bits)])
    at = np.minimum(np.searchsorted(wanted, values[maybe]), wanted.size - 1)
    out[maybe[wanted[at] == values[maybe]]] = True
    return out


def _agree(a: np.ndarray, b: np.ndarray, threshold: float) -> np.ndarray:
    if a.shape[0] == 0:
        return np.zeros(0, dtype=bool)
    return np.asarray((a == b).mean(axis=1) >= threshold)


class Change:
    """The table now (`sigs` stacked, rows in order) against `grouped`, in one order (the
    common order): row r of the first `kept` rows now is old row keep[r]; a row after them is
    added, at grouped.n + r - kept."""

    def __init__(
        self, grouped: Grouped, sigs: np.ndarray, keep: np.ndarray, replaced: np.ndarray
    ) -> None:
        self.grouped, self.sigs, self.keep = grouped, sigs, keep
        self.kept = int(keep.size)
        self.replaced = replaced  # rows now replaced since
        removed = np.setdiff1d(np.arange(grouped.n), keep, assume_unique=True)
        # The old rows whose signature differs now (replaced, removed), in the common order.
        self.old_common = np.concatenate([keep[replaced], removed]).astype(np.int64)
        by = np.argsort(self.old_common, kind="stable")
        self.old_common = self.old_common[by]
        self.old_sigs = np.stack(
            [grouped.old(int(u))[1] for u in self.old_common.tolist()]
            or [np.zeros(sigs.shape[1], dtype=sigs.dtype)]
        )[: self.old_common.size]
        self.width = np.int64(grouped.n + sigs.shape[0] - self.kept + 1)

    def common(self, rows: np.ndarray) -> np.ndarray:
        """Rows now, in the common order."""
        if self.kept == 0:
            return self.grouped.n + rows - self.kept
        old = self.keep[np.minimum(rows, self.kept - 1)]
        return np.where(rows < self.kept, old, self.grouped.n + rows - self.kept)

    def now_row(self, common: np.ndarray) -> np.ndarray:
        """Common positions of rows in the table now: their rows now."""
        old = np.searchsorted(self.keep, np.minimum(common, self.grouped.n))
        return np.where(common < self.grouped.n, old, common - self.grouped.n + self.kept)

    def now_sig(self, common: np.ndarray) -> np.ndarray:
        return self.sigs[self.now_row(common)]

    def old_sig(self, common: np.ndarray) -> np.ndarray:
        """Signatures of old rows (common positions below grouped.n) when they were grouped."""
        at = np.minimum(np.searchsorted(self.old_common, common), max(self.old_common.size - 1, 0))
        noted = (
            (self.old_common[at] == common) if self.old_common.size else np.zeros(common.size, bool)
        )
        out = np.empty((common.size, self.sigs.shape[1]), dtype=self.sigs.dtype)
        out[noted] = self.old_sigs[at[noted]]
        out[~noted] = self.sigs[self.now_row(common[~noted])]
        return out


def region(
    change: Change, bands: tuple[int, int], max_bucket: int, threshold: float
) -> tuple[np.ndarray, np.ndarray]:
    """The rows now of the stories that may split and the added rows (the region R of the
    module doc, ascending), and the gained joined pairs (a, b) (rows now)."""
    g, sigs = change.grouped, change.sigs
    n_now = sigs.shape[0]
    live = np.asarray(sigs.any(axis=1))
    added = np.arange(change.kept, n_now)
    changed_now = np.concatenate([change.replaced, added]).astype(np.int64)
    old_live = change.old_sigs.any(axis=1)
    unchanged = np.ones(n_now, dtype=bool)
    unchanged[changed_now] = False
    # The rows whose signature differs, by common position: in the table before (replaced and
    # removed) and now (replaced and added).
    changed_before = np.zeros(int(change.width), dtype=bool)
    changed_before[change.old_common] = True
    changed_after = np.zeros(int(change.width), dtype=bool)
    changed_after[change.common(changed_now)] = True
    ends: list[np.ndarray] = [change.old_common]
    links: list[np.ndarray] = [np.zeros((0, 2), dtype=np.int64)]
    old_sigs = np.ascontiguousarray(change.old_sigs)
    for band in range(bands[0]):
        col = band_column(sigs, band, bands[1])
        old_col = band_column(old_sigs, band, bands[1])
        touched = np.unique(
            np.concatenate([col[changed_now][live[changed_now]], old_col[old_live]])
        )
        if touched.size == 0:
            continue
        now = np.flatnonzero(_in(col, touched) & live)
        now_common = change.common(now)
        # Before: the unchanged rows with those keys, and the replaced and removed ones.
        same = unchanged[now]
        was = old_live & _in(old_col, touched)
        lost, gained = _changed_pairs(
            (np.concatenate([col[now[same]], old_col[was]]), col[now]),
            (np.concatenate([now_common[same], change.old_common[was]]), now_common),
            (changed_before, changed_after),
            max_bucket,
            change.width,
        )
        a, b = lost // change.width, lost % change.width
        ok = _agree(change.old_sig(a), change.old_sig(b), threshold)
        ends += [a[ok], b[ok]]
        a, b = gained // change.width, gained % change.width
        ok = _agree(change.now_sig(a), change.now_sig(b), threshold)
        links.append(np.stack([change.now_row(a[ok]), change.now_row(b[ok])], axis=1))
    reached = np.unique(np.concatenate(ends))
    stories = {g.old(u)[2] for u in reached[reached < g.n].tolist()}
    rows: list[int] = []
    if stories:
        replaced = set(change.replaced.tolist())
        for r, u in enumerate(change.keep.tolist()):
            story = g.old(u)[2] if r in replaced else g.story[u]
            if story in stories:
                rows.append(r)
    return np.concatenate([np.asarray(rows, dtype=np.int64), added]), np.concatenate(links)


def _changed_pairs(
    keys: tuple[np.ndarray, np.ndarray],
    common: tuple[np.ndarray, np.ndarray],
    changed: tuple[np.ndarray, np.ndarray],
    max_bucket: int,
    width: np.int64,
) -> tuple[np.ndarray, np.ndarray]:
    """(lost, gained): the candidate pairs (a * width + b) of the buckets before and after
    (rows at `common` with `keys`, each side) that may join otherwise now: those of one side
    only, and every pair of a changed row (`changed`, each side's mask by common position; a
    replaced row's pair may be a candidate on both sides, with another signature). In a
    bucket of at most max_bucket rows on both sides the pairs of unchanged rows are on both
    sides: only the changed rows' pairs are made there."""
    sizes = [_bucket_sizes(k) for k in keys]
    big = np.unique(np.concatenate([k[z > max_bucket] for k, z in zip(keys, sizes, strict=True)]))
    in_big = [_in(k, big) for k in keys]
    pairs = [
        _pair_keys(k[i], c[i], max_bucket, width)
        for k, c, i in zip(keys, common, in_big, strict=True)
    ]
    result = []
    for side in (0, 1):
        mine, theirs, mask = pairs[side], pairs[1 - side], changed[side]
        small = ~in_big[side]
        a, b = mine // width, mine % width
        parts = [
            np.setdiff1d(mine, theirs, assume_unique=True),
            mine[mask[a] | mask[b]],
            _star_pairs(keys[side][small], common[side][small], mask, width),
        ]
        result.append(np.unique(np.concatenate(parts)))
    return result[0], result[1]


def _bucket_sizes(keys: np.ndarray) -> np.ndarray:
    """Per row, how many rows share its key."""
    _, inverse, counts = np.unique(keys, return_inverse=True, return_counts=True)
    return np.asarray(counts[inverse])


def _star_pairs(
    keys: np.ndarray, common: np.ndarray, changed: np.ndarray, width: np.int64
) -> np.ndarray:
    """Every pair (a * width + b, a < b) of rows at `common` that share a key, one of them
    `changed` (a mask by common position)."""
    order = np.lexsort((common, keys))
    k, c = keys[order], common[order]
    starts = np.flatnonzero(np.r_[True, k[1:] != k[:-1]])
    sizes = np.diff(np.r_[starts, k.size])
    bucket = np.repeat(np.arange(starts.size), sizes)
    centres = np.flatnonzero(changed[c]) if c.size else np.zeros(0, dtype=np.int64)
    count = sizes[bucket[centres]]
    total = int(count.sum())
    first = np.cumsum(count) - count
    other = np.repeat(starts[bucket[centres]], count) + np.arange(total) - np.repeat(first, count)
    centre = np.repeat(centres, count)
    keep = other != centre
    x, y = c[centre[keep]].astype(np.int64), c[other[keep]].astype(np.int64)
    return np.unique(np.minimum(x, y) * width + np.maximum(x, y))


def _pair_keys(
    keys: np.ndarray, common: np.ndarray, max_bucket: int, width: np.int64
) -> np.ndarray:
    """The candidate pairs of the buckets of the rows at `common` (common order) with `keys`,
    each as a * width + b, sorted and distinct."""
    order = np.argsort(common, kind="stable")
    pairs = bucket_pairs(keys[order], common[order], max_bucket)
    return np.unique(pairs[:, 0] * width + pairs[:, 1])


def region_pairs(
    sigs: np.ndarray, rows: np.ndarray, bands: tuple[int, int], max_bucket: int, threshold: float
) -> np.ndarray:
    """The joined pairs (a, b) of a full grouping whose rows are both in `rows` (ascending):
    each bucket that holds one of them read whole, for its size and order."""
    live = np.asarray(sigs.any(axis=1))
    inside = np.zeros(sigs.shape[0], dtype=bool)
    inside[rows] = True
    found = [np.zeros((0, 2), dtype=np.int64)]
    for band in range(bands[0]):
        col = band_column(sigs, band, bands[1])
        keys = np.unique(col[rows[live[rows]]])
        now = np.flatnonzero(_in(col, keys) & live)
        pairs = bucket_pairs(col[now], now, max_bucket)
        found.append(pairs[inside[pairs[:, 0]] & inside[pairs[:, 1]]])
    width = np.int64(sigs.shape[0])
    keys = np.unique(np.concatenate(found) @ np.array([width, 1], dtype=np.int64))
    pairs = np.stack([keys // width, keys % width], axis=1)
    return pairs[_agree(sigs[pairs[:, 0]], sigs[pairs[:, 1]], threshold)]
