"""Facet counting over per-generation numpy arrays, never with Whoosh's groupedby.

Each index generation's `facets` column gives arrays (index_format.facet_arrays, written at
build time beside the segments, or derived at open for an older index):
  day[doc]                  days since 0001-01-01 (-1: no date)
  pairs[field] = (doc, val) one row per (document, value) of outlet/person/organisation/place
Counting a facet for a set of matching documents is then one bincount. Entity values that the
archive shows to be variants of another value (index_format.entity_merge) share that value's id.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from index_format import facet_arrays, facets, value_major, worker_maps
from index_format.codec.packed import packed_postings
from index_format.corrections import file_state, read_corrections
from index_format.facet_arrays import CountedRows, FacetArrays, starts_of
from index_format.name_table import NameIds, NameTable
from index_format.names import name_key
from index_format.value_major import ValueMajor
from index_format.worker_maps import WorkerMaps
from search import corrections as user
from search import top_values
from search.memo import Memo
from search.models import FacetValue

# The published facet's bucket size follows the span of the matching dates.
DAY_SPAN_MAX = 62
WEEK_SPAN_MAX = 62 * 7
MONTH_SPAN_MAX = 3 * 366


# Below this share of documents matching, a facet gathers the values of the matching documents
# (through `start`) instead of testing every (document, value) row against the mask.
SPARSE_SHARE = 0.2
# Fewer matching rows than this share of a facet's values: their distinct values are counted
# by sorting the rows, not by a bincount as long as the facet's values and a scan of it
# (measured at 2.2M articles, 687k person values: 3k rows 0.05 ms sorted, ~0.8 ms by bincount;
# 67k rows 1.7 ms sorted, 0.9 ms by bincount).
SORT_SHARE = 0.03
# A list counted from its documents' rows takes its want-th count among this many of the
# facet's most frequent values as the least count a listed value can have (_candidates), and
# its candidates from the values held by that many articles or more when they are fewer than
# CANDIDATE_SHARE of the facet's values (else it scans every value's count).
HEAD_VALUES = 256
CANDIDATE_SHARE = 0.25
# The facet lists kept (FacetData.lists), within LISTS_BYTES as _list_bytes charges them: a
# list of 20 values holds ~1.3 kB (tracemalloc over the bench's mix), charged ~1.8 kB; the
# entity lists of a broad word cost ~5 ms of CPU each to count at 2.2M articles.
LISTS = 4096
LISTS_BYTES = 8 << 20


@dataclass
class _Values:
    # int32 document numbers, ascending; None when `start` stands for them (an entity facet's
    # derived files, index_format.facet_arrays.CountedRows): `doc` makes them when first asked.
    docs: np.ndarray | None
    val: np.ndarray  # int32 value ids
    names: Sequence[str]
    ids: Mapping[str, int]  # a merged variant has its canonical name's id
    start: np.ndarray  # the rows of document d are start[d]:start[d + 1]
    blind: dict[str, int] | None = None  # case- and accent-blind name → id, built when asked
    # At most one value per document (the outlet): each document's value id, len(names) for
    # none; built when first counted.
    single: np.ndarray | None = None
    several: bool = False  # some document has two values or more (no `single` array)
    _views: tuple[memoryview, memoryview] | None = None  # views(), made when first asked
    # An entity facet's rows by value (index_format.value_major): as the build wrote them,
    # else built when first counted (rows the user's corrections changed).
    ranked: bool = False
    by_value: ValueMajor | None = None
    # Each document's row count (narrowest type), when `docs` is None: made when first asked.
    _row_counts: np.ndarray | None = None

    @property
    def doc(self) -> np.ndarray:
        """The rows' document numbers (made from `start` when first asked)."""
        if self.docs is None:
            self.docs = facet_arrays.docs_of_counts(np.diff(self.start))
        return self.docs

    def row_counts(self) -> np.ndarray:
        if self._row_counts is None:
            counts = np.diff(self.start)
            top = int(counts.max()) if counts.size else 0
            self._row_counts = counts.astype(np.min_scalar_type(top))
        return self._row_counts

    def docs_of_rows(self, rows: np.ndarray) -> np.ndarray:
        """The document numbers of rows `rows` (ascending row numbers), without `doc` (a
        binary search a row: for the few rows of an entity facet outside search's paths)."""
        if self.docs is not None:
            return self.docs[rows]
        return (np.searchsorted(self.start, rows, side="right") - 1).astype(np.int32)

    def rows_of(self, mask: np.ndarray) -> np.ndarray:
        """mask[doc]: which rows belong to masked documents."""
        if self.docs is None:
            return np.repeat(mask, self.row_counts())
        return mask[self.docs]

    # Bitmaps of the most frequent values' documents (top_values.DenseHead), built when first
    # counted.
    _dense: top_values.DenseHead | None = None

    def views(self) -> tuple[memoryview, memoryview]:
        """`start` and `val` as memoryviews (an item or small slice of one costs a third of
        a numpy array's), made when first asked."""
        if self._views is None:
            self._views = self.start.data, self.val.data
        return self._views

    def names_for(self, ids: list[int]) -> list[str]:
        """The names of value ids `ids`, in order (a mapped NameTable in one call)."""
        names = self.names
        if isinstance(names, NameTable):
            return names.many(ids)
        return [names[i] for i in ids]

    def names_of(self, vid: int) -> set[str]:
        """Every name that answers for the value `vid` (its own and its merged variants)."""
        if isinstance(self.ids, NameIds):  # as mapped: no pass over every name
            return self.ids.names_of(vid)
        return {name for name, i in self.ids.items() if i == vid}

    def counts(self, mask: np.ndarray, docs: np.ndarray | None = None) -> np.ndarray:
        """How many of the masked documents have each value, by value id. `docs`: the masked
        documents' numbers, when the caller has them (np.flatnonzero(mask))."""
        if self.single is None and not self.several:
            per_doc = self.row_counts() if self.docs is None else np.diff(self.start)
            if bool((per_doc > 1).any()):
                self.several = True
            else:
                # (the smallest integer that holds len(names): 2 MB, not 17, at 2.2M articles)
                kind = np.min_scalar_type(len(self.names))
                single = np.full(self.start.size - 1, len(self.names), dtype=kind)
                single[np.flatnonzero(per_doc)] = self.val
                self.single = single
        if self.single is None:
            return np.bincount(self.matching(mask, docs), minlength=len(self.names))
        # One gather and one bincount, whatever the share of documents matching.
        docs = np.flatnonzero(mask) if docs is None else docs
        return np.bincount(self.single[docs], minlength=len(self.names) + 1)[:-1]

    def ranked_rows(self) -> ValueMajor:
        """The facet's rows by value (an entity facet's): the build's, else built now."""
        if self.by_value is None:
            self.by_value = value_major.build(self.doc, self.val, len(self.names))
        return self.by_value

    def docs_of(self, vid: int) -> np.ndarray:
        """The documents having the value `vid`, ascending (an entity facet's from its rows
        by value: a slice, not a pass over every row)."""
        if not self.ranked:
            return self.docs_of_rows(np.flatnonzero(self.val == vid))
        vm = self.ranked_rows()
        r = int(vm.rank[vid]) if vid < vm.rank.size else -1
        if r < 0:  # no article has it
            return np.zeros(0, dtype=np.int32)
        return vm.docs[vm.offsets[r] : vm.offsets[r + 1]]

    def top(
        self, mask: np.ndarray, docs: np.ndarray, want: int
    ) -> tuple[np.ndarray, np.ndarray, Callable[[int], int]]:
        """Value ids with their counts among the masked documents: every value counted at
        least once, or, `want` > 0, at least every value that could be among the `want` most
        counted (ties included); and a function giving any value's count."""
        if want > 0 and self.ranked:
            vm = self.ranked_rows()
            # The rows of the matching documents, as many as the average document has.
            rows = docs.size * self.val.size / max(1, self.start.size - 1)
            if self._dense is None:
                self._dense = top_values.DenseHead(vm, self.start.size - 1)
            budget = top_values.ROW_COST_RATIO * rows
            share = docs.size / max(1, self.start.size - 1)
            got = top_values.top_values(vm, mask, want, budget, self._dense, share)
            if got is not None:
                found = got[1]  # (the counts of the values ranked 0..found.size - 1)

                def count_of(vid: int) -> int:
                    r = int(vm.rank[vid]) if vid < vm.rank.size else -1
                    if 0 <= r < found.size:
                        return int(found[r])
                    return int(mask[self.docs_of(vid)].sum())

                return got[0], got[1], count_of
        if self.ranked:  # (several values a document: counted from the rows)
            vals = self.matching(mask, docs)
            if vals.size < SORT_SHARE * len(self.names):
                found, times = np.unique(vals, return_counts=True)
                return found, times, lambda vid: _count_in(found, times, vid)
            counts = np.bincount(vals, minlength=len(self.names))
            if want > 0:
                head = _candidates(self.ranked_rows(), counts, want)
                if head is not None:
                    return head, counts[head], lambda vid: int(counts[vid])
        else:
            counts = self.counts(mask, docs)
        ids = np.flatnonzero(counts)
        return ids, counts[ids], lambda vid: int(counts[vid])

    def matching(self, mask: np.ndarray, docs: np.ndarray | None = None) -> np.ndarray:
        """The value ids of the masked documents, one per (document, value) row. `docs`:
        np.flatnonzero(mask), when the caller has it."""
        docs = np.flatnonzero(mask) if docs is None else docs
        if docs.size > SPARSE_SHARE * mask.size:
            return self.val[self.rows_of(mask)]
        first, last = self.start[docs], self.start[docs + 1]
        counts = last - first
        total = int(counts.sum())
        # Row numbers of every matching document's rows, without a Python loop.
        rows = np.repeat(first - np.cumsum(counts) + counts, counts) + np.arange(total)
        # (each within the rows: taken without numpy's check of each, ~10% of the gather at
        # 2.2M articles, where a cache miss a document in the value column is the rest)
        got: np.ndarray = np.take(self.val, rows, mode="clip")
        return got


class FacetData:
    """The facet arrays of one index generation (read-only once built, but for the user's
    corrections: `check_corrections` applies the file anew when it changed)."""

    def __init__(
        self,
        reader: Any,
        corrections: Path | None = None,
        arrays: FacetArrays | None = None,
        by_value: Mapping[str, ValueMajor] | None = None,
        maps: WorkerMaps | None = None,
    ) -> None:
        # `arrays`: as the generation's build wrote them (index_format.derived); else derived
        # here from the facets column (an index written before they were). `by_value`: the
        # entity facets' rows by value the build wrote for `arrays` (else built when needed).
        # `maps`: what the build worked out for the workers from `arrays` (else worked out
        # here when first needed).
        a = arrays if arrays is not None else facet_arrays.derive(reader)
        self.size = a.size
        self.day = a.day
        self.live = a.live
        self._entity_rows = {f: a.rows[f] for f in facets.entity_names() if f in a.rows}
        by_value = by_value or {}
        self.values = {
            f: _Values(
                None if isinstance(r, CountedRows) else r.doc,
                r.val,
                r.names,
                r.ids,
                a.starts[f],
                ranked=f in self._entity_rows,
                by_value=by_value.get(f),
                single=maps.single.get(f) if maps is not None else None,
            )
            for f, r in a.rows.items()
        }
        # Per entity facet, the id each value is listed as when pinned (worker_maps).
        self._canonical_ids = maps.canonical if maps is not None else {}
        # Per facet, each value's name's place in sorted order (worker_maps).
        self._name_pos = maps.name_pos if maps is not None else {}
        self.merged = a.merged
        self._held = a.held
        self.per_doc = a.per_doc
        self.joined = a.joined
        self._variant_names = a.variant_names
        # Per entity facet: the names articles wrote → what they merged them into (entity pages).
        self.written = a.written
        self.added = a.added  # when each entered the index (since=, feeds)
        self._corrections = corrections
        self._state: tuple[int, int] | None = None
        # Facet lists and timelines as counted, by what decided them (search.service: the
        # query, match mode, filters, and the list's own options): a query comes back as its
        # pages and sorts are clicked, and ticking a value asks its list again. Emptied when
        # the corrections change what they count.
        self.lists: Memo[Any, tuple[Any, ...]] = Memo(LISTS, LISTS_BYTES, _list_bytes)
        self._written_ids: dict[str, dict[int, list[str]]] = {}  # built by written_names()
        self.check_corrections()
        # The distinct days, each with its month (year * 12 + month - 1) and year: a histogram
        # then counts days with one bincount and buckets the few distinct ones.
        self._days = a.days
        dates = [date.fromordinal(int(o)) for o in self._days]
        self._month = np.array([d.year * 12 + d.month - 1 for d in dates], dtype=np.int64)
        self._year = np.array([d.year for d in dates], dtype=np.int64)
        # Each document's day as its position in self._days (self._days.size: undated), so a
        # histogram gathers the matching documents' days once.
        if maps is not None and maps.day_pos is not None:
            self._day_pos = maps.day_pos
        else:
            self._day_pos = worker_maps.day_positions(self._days, self.day)
        # Per distinct day, its month's and year's position among the distinct ones, and
        # their labels: a month or year histogram adds the days' counts with one bincount.
        self._buckets = {
            "month": _buckets(self._month, lambda k: f"{k // 12:04d}-{k % 12 + 1:02d}"),
            "year": _buckets(self._year, lambda k: f"{k:04d}"),
        }
        self.min_date = dates[0] if dates else None
        self.max_date = dates[-1] if dates else None

    def check_corrections(self) -> None:
        """Apply the user's corrections file anew if it changed since it was last read (a stat
        per call: the service calls this before each request)."""
        state = file_state(self._corrections)
        if state == self._state:
            return
        rows = user.apply(self._entity_rows, read_corrections(self._corrections))
        self.lists = Memo(LISTS, LISTS_BYTES, _list_bytes)
        for f, r in rows.items():
            self.values[f] = _values(r.doc, r.val, r.names, r.ids, self.size)
            self.values[f].ranked = True  # (its rows by value built from these rows)
        self._written_ids = {}  # what the written names resolve to may have changed
        self._state = state

    def written_names(self, fname: str, vid: int) -> list[str]:
        """The names articles wrote and merged into what is now the value `vid` ("Kemenkeu"
        beside its expansion), from a table built once per state of the corrections."""
        by_id = self._written_ids.get(fname)
        if by_id is None:
            by_id = {}
            for written, canonical in self.written.get(fname, {}).items():
                target = self.resolve(fname, canonical)
                if target is not None:
                    by_id.setdefault(target, []).append(written)
            self._written_ids[fname] = by_id
        return by_id.get(vid, [])

    def added_names(self) -> list[str]:
        """The entity values the user's corrections added (as a merge's or rename's target)."""
        return [
            name
            for f, r in self._entity_rows.items()
            for name in self.values[f].names[len(r.names) :]
        ]

    def canonical(self, fname: str, names: list[str]) -> list[str]:
        """`names` (values of an entity facet as stored) with the archive's merges (not the
        per-article joins nor the user's corrections: `entity_values` has those)."""
        merges = self.merged.get(fname)
        if not merges:
            return names
        held = self._held.get(fname, set())
        return list(
            dict.fromkeys(name if name in held else merges.get(name, name) for name in names)
        )

    def _listed_as(self, fname: str, vid: int) -> str | None:
        """canonical(fname, [the name of value `vid`]) from the build's table, without reading
        the archive's merges (None: not in the table)."""
        ids = self._canonical_ids.get(fname)
        if ids is None or vid >= ids.size:  # (a value the user's corrections added)
            return None
        to = int(ids[vid])
        if to == worker_maps.ELSEWHERE:
            return None
        return self.values[fname].names[vid if to == worker_maps.ITSELF else to]

    def entity_values(self, docnum: int) -> dict[str, list[str]]:
        """Document `docnum`'s entity facet values exactly as the facets count them: merged,
        joined and corrected."""
        out = {}
        for f in self._entity_rows:
            v = self.values[f]
            start, val = v.views()
            out[f] = v.names_for(val[start[docnum] : start[docnum + 1]].tolist())
        return out

    def _value_name(self, fname: str, name: str) -> str:
        """The value `name` stands for: itself, or, for a name no article keeps as a value
        because every one merged it ("Kemenkeu" → Kementerian Keuangan, by the alias file),
        the name they merged it into."""
        if name in self.values[fname].ids:
            return name
        return self._variant_names.get(fname, {}).get(name_key(name), name)

    def resolve(self, fname: str, value: str) -> int | None:
        """The id of the facet value `value` names: its exact name, else the one name that
        matches it case- and accent-blind (`kompas.com` → Kompas.com); None when none does."""
        v = self.values[fname]
        name = self._value_name(fname, value)  # a variant every article merged: its value
        if name in v.ids:
            return v.ids[name]
        if v.blind is None:
            v.blind = {}
            for name, vid in v.ids.items():
                v.blind.setdefault(_blind(name), vid)
        return v.blind.get(_blind(value))

    def value_mask(
        self, fname: str, selected: tuple[str, ...], every: bool = False
    ) -> tuple[np.ndarray, list[str]]:
        """Documents having any (or, `every`, all) of the selected values, and the selected
        values that name no value of the facet."""
        v = self.values[fname]
        found = {s: self.resolve(fname, s) for s in selected}
        unknown = [s for s, vid in found.items() if vid is None]
        wanted = sorted({vid for vid in found.values() if vid is not None})
        if every:
            if unknown:  # a value nobody has: no document has them all
                return np.zeros(self.size, dtype=bool), unknown
            if len(wanted) == 1:  # (the common case: one value, its documents)
                mask = np.zeros(self.size, dtype=bool)
                mask[v.docs_of(wanted[0])] = True
                return mask, unknown
            hits = np.zeros(self.size, dtype=np.int8 if len(wanted) < 127 else np.int32)
            for vid in wanted:
                hits[v.docs_of(vid)] += 1
            return hits == len(wanted), unknown
        mask = np.zeros(self.size, dtype=bool)
        if wanted and v.ranked:
            for vid in wanted:
                mask[v.docs_of(vid)] = True
        elif wanted:
            mask[v.docs_of_rows(np.flatnonzero(_rows_of(v.val, wanted)))] = True
        return mask, unknown

    def date_mask(self, date_from: date | None, date_to: date | None) -> np.ndarray:
        mask = self.day >= 0
        if date_from:
            mask &= self.day >= date_from.toordinal()
        if date_to:
            mask &= self.day <= date_to.toordinal()
        return mask

    def count(
        self,
        fname: str,
        mask: np.ndarray,
        selected: tuple[str, ...] = (),
        limit: int = 20,
        docs: np.ndarray | None = None,
    ) -> list[FacetValue]:
        """The top values among the masked documents, the selected ones first (pinned, as the
        facet names them: a merged variant as its canonical value, `kompas.com` as
        Kompas.com). `docs`: np.flatnonzero(mask), when the caller has it."""
        v = self.values[fname]
        docs = np.flatnonzero(mask) if docs is None else docs
        # Enough values to list `limit` beside the pinned ones, which may be among the top.
        ids, counts, count_of = v.top(mask, docs, limit + len(selected) if limit > 0 else 0)
        pinned: dict[str, FacetValue] = {}
        for s in selected:
            vid = self.resolve(fname, s)
            name = self._listed_as(fname, vid) if vid is not None else None
            if name is None:
                name = self.canonical(fname, [v.names[vid] if vid is not None else s])[0]
            if name not in pinned:
                pinned[name] = FacetValue(name, count_of(vid) if vid is not None else 0, True)
        keep = counts > 0
        ids, counts = ids[keep], counts[keep]
        want = limit + len(pinned)
        if limit > 0 and ids.size > want:
            # Only values counted at least as often as the want-th largest can be listed:
            # a partition in numpy instead of sorting thousands of names in Python.
            kth = top_values.kth_count(counts, want)
            keep = counts >= kth
            ids, counts = ids[keep], counts[keep]
            pos = self._name_pos.get(fname)
            if pos is not None and ids.size > want and int(ids.max()) < pos.size:
                # Ties at the want-th count: the first `want` by count, then by the names'
                # sorted order (the build's), decode only their names.
                first = np.lexsort((pos[ids], -counts))[:want]
                ids, counts = ids[first], counts[first]
        # Highest count first, then by name for a stable order.
        names = v.names_for(ids.tolist())
        named = sorted(zip((-counts).tolist(), names, strict=True))
        rest = [FacetValue(name, -c) for c, name in named if name not in pinned]
        return [*pinned.values(), *(rest[:limit] if limit > 0 else rest)]

    def recent_from(self, n: int) -> date | None:
        """The first of the archive's last `n` days that hold articles (the archive's first day
        when fewer days hold any): "the last 30 days" of an archive with gaps."""
        if self._days.size == 0:
            return None
        return date.fromordinal(int(self._days[max(0, self._days.size - n)]))

    def years(self) -> list[int]:
        """The years that hold articles, in order."""
        return [int(y) for y in np.unique(self._year)]

    def histogram(
        self, mask: np.ndarray, interval: str | None = None, docs: np.ndarray | None = None
    ) -> tuple[str, list[FacetValue]]:
        """Matching documents per day, week, month or year, whichever suits the span (or the
        `interval` asked for). In date order. A week is labelled with its Monday (YYYY-MM-DD),
        a month YYYY-MM. `docs`: np.flatnonzero(mask), when the caller has it.
        """
        docs = np.flatnonzero(mask) if docs is None else docs
        n = self._days.size
        # Documents per distinct day of the generation (the last bin: undated ones).
        per_day = np.bincount(self._day_pos[docs], minlength=n + 1)[:n]
        present = np.flatnonzero(per_day)
        if present.size == 0:
            return interval or "month", []
        if interval is None:
            span = int(self._days[present[-1]]) - int(self._days[present[0]])
            interval = (
                "day"
                if span <= DAY_SPAN_MAX
                else "week"
                if span <= WEEK_SPAN_MAX
                else "month"
                if span <= MONTH_SPAN_MAX
                else "year"
            )
        if interval not in ("day", "week"):
            b = self._buckets["month" if interval == "month" else "year"]
            totals = np.bincount(b.pos, weights=per_day, minlength=len(b.labels))
            hit = np.flatnonzero(totals)
            counts = totals[hit].astype(np.int64).tolist()
            return interval, [
                FacetValue(b.labels[i], c) for i, c in zip(hit.tolist(), counts, strict=True)
            ]
        ordinals = self._days[present]
        keys, day_counts = ordinals, per_day[present]
        if interval == "week":
            # Ordinal 1 (0001-01-01) is a Monday: subtract the weekday to get the Monday.
            keys, inverse = np.unique(ordinals - (ordinals - 1) % 7, return_inverse=True)
            day_counts = np.bincount(inverse, weights=day_counts).astype(np.int64)
        labels = [date.fromordinal(k).isoformat() for k in keys.tolist()]
        return interval, [
            FacetValue(lbl, c) for lbl, c in zip(labels, day_counts.tolist(), strict=True)
        ]


@dataclass(frozen=True)
class _Buckets:
    """Months or years of one generation's distinct days."""

    pos: np.ndarray  # per distinct day, the number of its bucket
    labels: list[str]  # per bucket number, its label


def _buckets(keys: np.ndarray, label: Callable[[int], str]) -> _Buckets:
    """The buckets of the distinct days whose keys (months or years) are `keys`."""
    distinct, pos = np.unique(keys, return_inverse=True)
    return _Buckets(pos.astype(np.intp), [label(k) for k in distinct.tolist()])


# Up to this many values, a filter's rows are found by comparing every row with each value
# (the outlet's 2.2M rows: 0.4 ms a value; np.isin 4.7 ms for one).
FEW_VALUES = 8


def _rows_of(val: np.ndarray, wanted: list[int]) -> np.ndarray:
    """Whether each row's value is one of `wanted`."""
    if len(wanted) > FEW_VALUES:
        return np.isin(val, wanted)
    hit = val == wanted[0]
    for vid in wanted[1:]:
        hit |= val == vid
    return hit


def _candidates(vm: ValueMajor, counts: np.ndarray, want: int) -> np.ndarray | None:
    """The values that could be among the `want` most counted of an entity facet's `counts`
    (by value id, every value's), ties included, without a pass over every value: none counts
    more matching articles than the archive's articles have it, and the want-th count among
    the HEAD_VALUES most frequent values is at most the want-th of all; so the values held by
    fewer articles than that are out. None when that leaves too many (a match with no value
    counted often). At 2.2M articles a 40k-article match's person list: a few thousand
    candidates, where the scan of the 702k counts for the nonzero ones took ~1.5 ms."""
    n = vm.order.size
    head = vm.order[: min(n, max(HEAD_VALUES, want))]
    if head.size < want:
        return None
    least = top_values.kth_count(counts[head], want)
    if least < 1:
        return None
    upto = top_values.first_below(vm.offsets, 0, least)
    if upto > CANDIDATE_SHARE * counts.size:
        return None
    return vm.order[:upto]


def _count_in(ids: np.ndarray, counts: np.ndarray, vid: int) -> int:
    """The count of `vid` among distinct sorted `ids` and their `counts` (0: not among them)."""
    at = int(np.searchsorted(ids, vid))
    return int(counts[at]) if at < ids.size and ids[at] == vid else 0


def _list_bytes(kept: tuple[Any, ...]) -> int:
    """Roughly what a kept facet list (a tuple of (value, count, selected) and maybe its
    interval) holds in memory: each value's string and tuple, ~100 bytes besides its text."""
    return sum(100 + len(v[0]) if isinstance(v, tuple) else 60 for v in kept)


def _blind(name: str) -> str:
    """A name compared case- and accent-blind: casefolded, accents dropped, spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def _values(
    doc: np.ndarray, val: np.ndarray, names: Sequence[str], ids: Mapping[str, int], n: int
) -> _Values:
    return _Values(doc, val, names, ids, starts_of(doc, n))


def query_mask(searcher: Any, q: Any, live: np.ndarray) -> np.ndarray:
    """The documents matching `q` as a boolean mask, unscored, reading postings a block at a time.

    Term, And, Or, AndNot, AndMaybe, Every and NullQuery are combined as masks; any other query (phrases)
    falls back on Whoosh's `docs_for_query`. Same result as `docs_for_query`, several times faster
    for broad terms (it never builds a matcher tree nor steps through documents one by one).
    """
    from whoosh import query as wq

    if isinstance(q, wq.Term):
        mask = np.zeros(live.size, dtype=bool)
        for sub, offset in searcher.leaf_searchers():
            ids = _term_ids(sub, q.fieldname, q.text)
            if ids is not None:
                mask[ids + offset] = True
        return mask & live
    if isinstance(q, wq.Or) and q.subqueries:
        parts = [query_mask(searcher, sq, live) for sq in q.subqueries]
        return np.logical_or.reduce(parts)
    if isinstance(q, wq.And) and q.subqueries:
        parts = [query_mask(searcher, sq, live) for sq in q.subqueries]
        return np.logical_and.reduce(parts)
    if isinstance(q, wq.AndNot):
        return query_mask(searcher, q.a, live) & ~query_mask(searcher, q.b, live)
    if isinstance(q, wq.AndMaybe):  # the optional part only changes scores
        return query_mask(searcher, q.a, live)
    if isinstance(q, wq.Every) and not q.fieldname:
        return live.copy()
    if q is wq.NullQuery or isinstance(q, type(wq.NullQuery)):
        return np.zeros(live.size, dtype=bool)
    mask = np.zeros(live.size, dtype=bool)
    mask[np.fromiter(searcher.docs_for_query(q), dtype=np.int64)] = True
    return mask


def _term_ids(sub: Any, fieldname: str, text: Any) -> np.ndarray | None:
    """A term's document numbers in one segment, deleted ones included (None: not there)."""
    post = packed_postings(sub.reader(), fieldname, text)
    return None if post is None else post.ids
