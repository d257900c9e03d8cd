"""The facet arrays of one index generation, derived from its `facets` column.

Derived once when a generation is published (index_format.derived writes them beside the
segments) and read by search.facets.FacetData; an index without them derives them at open.

  day[doc]                  days since 0001-01-01 (-1: no date)
  rows[field] = (doc, val)  one row per (document, value) of outlet/person/organisation/place

Entity values that the archive shows to be variants of another value (index_format.
entity_merge) share that value's id; short person names are joined to the full name the
article's context agrees on (index_format.namesakes). The user's corrections are not in them:
search applies those at search time, when the corrections file changes.
"""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from index_format import (
    facets,
    name_table,
    namesake_changes,
    namesakes,
    side_work,
    spelling_changes,
    value_types,
    written_changes,
)
from index_format.added import added_times
from index_format.entity_merge import (
    archive_merges,
    case_merges,
    company_merges,
    may_merge,
    place_kind_merges,
)
from index_format.name_forms import (
    old_spelling_merges,
    organisation_form_merges,
)
from index_format.names import name_key
from index_format.schema import GROUP_SEP, PART_SEP, VALUE_SEP
from index_format.sorted_sets import distinct


@dataclass
class FacetRows:
    doc: np.ndarray  # int32 document numbers, ascending
    val: np.ndarray  # int32 value ids
    names: Sequence[str]  # id → name shown
    ids: Mapping[str, int]  # any name the facet answers to → id


class CountedRows(FacetRows):
    """FacetRows as the derived files hold an entity facet's: `doc` (an int32 a row: 45 MB
    for the person facet at 2.2M articles) is not written but made from the facet's `start`
    when first asked. search.facets counts through `start` (and the rows by value) and does
    not ask on its paths (the user's corrections do)."""

    def __init__(
        self, start: np.ndarray, val: np.ndarray, names: Sequence[str], ids: Mapping[str, int]
    ) -> None:
        self.start = start
        self._doc: np.ndarray | None = None
        self.val, self.names, self.ids = val, names, ids

    @property
    def doc(self) -> np.ndarray:
        if self._doc is None:
            self._doc = docs_of_counts(np.diff(self.start))
        return self._doc

    @doc.setter
    def doc(self, value: np.ndarray) -> None:
        self._doc = value


def docs_of_counts(counts: np.ndarray) -> np.ndarray:
    """The rows' document numbers (FacetRows.doc) from each document's row count."""
    return np.repeat(np.arange(counts.size, dtype=np.int32), counts)


@dataclass
class FacetArrays:
    """What FacetData counts with, before the user's corrections."""

    size: int  # documents, deleted ones included
    day: np.ndarray  # int32 per document
    live: np.ndarray  # bool per document
    days: np.ndarray  # the distinct days, ascending
    rows: dict[str, FacetRows]  # every facet, entity facets merged and joined
    starts: dict[str, np.ndarray]  # the rows of document d are start[d]:start[d + 1]
    # Per entity facet: each merged variant → the value it is counted as.
    merged: Mapping[str, dict[str, str]] = field(default_factory=dict)
    held: Mapping[str, set[str]] = field(default_factory=dict)  # merged names some kept apart
    # Per entity facet, (document, name) → the name it counts as in that document only.
    per_doc: Mapping[str, dict[tuple[int, str], str]] = field(default_factory=dict)
    # A name every article merged (into one name, mostly) → that name, for filters.
    variant_names: Mapping[str, dict[str, str]] = field(default_factory=dict)
    # Per entity facet, each name articles wrote and merged → the name they merged it into
    # (an entity page lists them as its variants).
    written: Mapping[str, dict[str, str]] = field(default_factory=dict)
    # When each document entered the index (index_format.added; UNKNOWN: not recorded).
    added: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    joined: int = 0  # article-values joined to a full name
    # How the joins were found, for the next generation (index_format.namesake_changes).
    join_state: namesake_changes.Result | None = None
    # What the person spelling groups found, for the next generation (spelling_changes).
    spelling_state: spelling_changes.State | None = None
    # What the person written-out merges found, for the next generation (written_changes).
    written_state: written_changes.State | None = None


@contextmanager
def paused_gc() -> Iterator[None]:
    """Python's cyclic garbage collector paused: the merges and joins make millions of small
    lists, tuples and dicts (in no cycle: freed as they go), and each collection they set off
    walks every name of the archive held so far (a third of initial_merges' time at 400k
    names)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def starts_of(doc: np.ndarray, n: int) -> np.ndarray:
    return np.searchsorted(doc, np.arange(n + 1)).astype(np.int64)


def narrow_starts(start: np.ndarray) -> np.ndarray:
    """A facet's starts as int32 when its rows fit (half the bytes; they slice the same)."""
    fits = not start.size or int(start[-1]) <= np.iinfo(np.int32).max
    return start.astype(np.int32, copy=False) if fits else start


def dedupe(doc: np.ndarray, val: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rows without dropped values (-1), one per (document, value), ordered by document and
    within a document as they were (a document lists its values in the order it names them)."""
    keep = np.flatnonzero(val >= 0)
    width = int(val.max()) + 1 if val.size else 1
    _, first = np.unique(doc[keep].astype(np.int64) * width + val[keep], return_index=True)
    rows = keep[np.sort(first)]
    rows = rows[np.argsort(doc[rows], kind="stable")]
    return doc[rows].astype(np.int32), val[rows].astype(np.int32)


# The last generation's person spelling state and its person names by id.
SpellingPrior = tuple[spelling_changes.State, Sequence[str]]
# The last generation's person written-out merges state and its person names by id.
WrittenPrior = tuple[written_changes.State, Sequence[str]]

# The rows key of the variants group (each (facet, written, canonical) an article merged):
# not a facet's name.
VARIANTS = "\x00variants"


@dataclass
class Part:
    """What the facets column of a part of the index (a segment, or the whole) holds, in its
    own document numbers and value ids, deleted documents included: a segment's part never
    changes, so it is written once beside the segment (index_format.segment_parts)."""

    size: int  # documents
    day: np.ndarray  # int32 per document (-1: no date)
    added: np.ndarray  # int64 per document (index_format.added)
    # Per facet and VARIANTS: (doc, val) rows in document order, each document's values in
    # the order it names them, and the value names by id in order of first occurrence.
    rows: dict[str, tuple[np.ndarray, np.ndarray, list[str]]]
    # Per key, name → id of its names, when `combine` made them (from_combined takes them
    # rather than make every name's entry again).
    tables: dict[str, dict[str, int]] | None = None


def derive(reader: Any) -> FacetArrays:
    """The facet arrays of the generation `reader` reads (one pass over the facets column)."""
    return from_parts([(parse(reader), live_of(reader))])


def live_of(reader: Any) -> np.ndarray | None:
    """Which documents of `reader` are not deleted; None when none is."""
    if not reader.has_deletions():
        return None
    live = np.zeros(reader.doc_count_all(), dtype=bool)
    live[np.fromiter(reader.all_doc_ids(), dtype=np.int64)] = True
    return live


def parse(reader: Any) -> Part:
    """The facets column of `reader` (a segment's, or the whole index's) as a Part."""
    n = reader.doc_count_all()
    day = np.full(n, -1, dtype=np.int32)
    keys = (*facets.names(), VARIANTS)
    docs: dict[str, list[int]] = {f: [] for f in keys}
    vals: dict[str, list[int]] = {f: [] for f in keys}
    ids: dict[str, dict[str, int]] = {f: {} for f in keys}
    column = reader.column_reader("facets") if reader.has_column("facets") else None
    raws = list(column) if column is not None else []  # one pass: much cheaper than [i]
    days: dict[str, int] = {}  # a few hundred distinct days: parse each once
    # The day, then the facets, then the variants.
    lists = [(docs[f], vals[f], ids[f]) for f in keys]
    for docnum, raw in enumerate(raws):
        if not raw:
            continue
        first, *groups = raw.decode("utf-8").split(GROUP_SEP)
        if first:
            ordinal = days.get(first)
            if ordinal is None:
                ordinal = days[first] = date.fromisoformat(first).toordinal()
            day[docnum] = ordinal
        for (dlist, vlist, table), group in zip(lists, groups, strict=False):
            if not group:
                continue
            for value in group.split(VALUE_SEP):
                vid = table.get(value)
                if vid is None:
                    vid = table[value] = len(table)
                dlist.append(docnum)
                vlist.append(vid)
    rows = {
        f: (np.asarray(docs[f], dtype=np.int32), np.asarray(vals[f], dtype=np.int32), list(ids[f]))
        for f in keys
    }
    return Part(n, day, added_times(reader, n), rows)


def live_rows(
    part: Part, key: str, live: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The rows of `key` in the part's live documents, and the ids of the values they name
    in order of first occurrence."""
    doc, val, names = part.rows[key]
    if live is None:  # the ids are already in that order
        return doc, val, np.arange(len(names))
    keep = live[doc]
    doc, val = doc[keep], val[keep]
    present, first = np.unique(val, return_index=True)
    return doc, val, present[np.argsort(first, kind="stable")]


def _joined_rows(
    parts: Sequence[tuple[Part, np.ndarray | None]], key: str, spend: bool = False
) -> tuple[np.ndarray, np.ndarray, dict[str, int]]:
    """The rows of `key` over all parts in one numbering: documents after the parts before,
    value ids in order of first occurrence in a live document (as one pass over the whole
    index gives them). With `spend`, each part's rows of `key` are dropped from it once
    taken, and arrays that need no change are taken as they are, not copied."""
    rows = [(part, live, *live_rows(part, key, live)) for part, live in parts]
    sizes = [(part.size, len(part.rows[key][2])) for part, _ in parts]
    names_of = [part.rows[key][2] for part, _ in parts]
    if spend:  # (what live_rows gave is all that is read of them below)
        for part, _ in parts:
            part.rows[key] = _SPENT
    # Every part's names in its order of first occurrence, one after the other: the first
    # occurrence of each in this list gives its id. A part's names are distinct, so the
    # first part's take the first ids as they are (after an update, the carried part's: every
    # name of the archive but the update's), and only the rest are looked up (dict.fromkeys
    # keeps their first occurrence, in C).
    listed: list[str] = []
    for (_part, live, _doc, _val, order), names in zip(rows, names_of, strict=True):
        listed += names if live is None else [names[i] for i in order.tolist()]
    del names_of
    head = len(rows[0][4]) if rows else 0
    table = dict(zip(listed[:head], range(head), strict=True))
    if len(table) != head:  # (not distinct: every name looked up)
        table, head = {}, 0
    rest = listed[head:]
    new = [name for name in dict.fromkeys(rest) if name not in table]
    table.update(zip(new, range(head, head + len(new)), strict=True))
    gids = np.concatenate(
        [
            np.arange(head, dtype=np.int32),
            np.fromiter(map(table.__getitem__, rest), dtype=np.int32, count=len(rest)),
        ]
    )
    del listed, rest, new
    docs, vals = [], []
    offset = at = 0
    for (size, values), (_part, _live, doc, val, order) in zip(sizes, rows, strict=True):
        lut = np.full(values, -1, dtype=np.int32)
        lut[order] = gids[at : at + len(order)]
        at += len(order)
        # (spent: a part's rows that keep their numbers are the joined rows themselves)
        same_docs = spend and offset == 0 and doc.dtype == np.int32
        docs.append(doc if same_docs else doc.astype(np.int32) + np.int32(offset))
        same_vals = spend and val.dtype == np.int32 and np.array_equal(lut, np.arange(values))
        vals.append(val if same_vals else lut[val])
        offset += size
    rows.clear()
    return _one(docs), _one(vals), table


_SPENT: tuple[np.ndarray, np.ndarray, list[str]] = (
    np.zeros(0, np.int32),
    np.zeros(0, np.int32),
    [],
)


def _one(arrays: list[np.ndarray]) -> np.ndarray:
    """The arrays one after the other (a single array as it is: no copy)."""
    if len(arrays) == 1:
        return arrays[0]
    return np.concatenate(arrays) if arrays else np.zeros(0, dtype=np.int32)


def from_parts(parts: Sequence[tuple[Part, np.ndarray | None]]) -> FacetArrays:
    """The facet arrays of an index made of `parts` (in document order, each with its live
    documents, None: all): the same as one pass over the whole index gives."""
    return from_combined(*combine(parts))


def combine(
    parts: Sequence[tuple[Part, np.ndarray | None]], *, spend: bool = False
) -> tuple[Part, np.ndarray]:
    """`parts` (in document order, each with its live documents, None: all) as one Part of
    their live rows, value ids in order of first occurrence in a live document, and the live
    documents. That Part with live None is a valid part again: a later generation that only
    appends segments combines it with theirs (index_format.carry) to the same result.
    With `spend`, the parts are the caller's no more: each key's rows leave them as they are
    joined (at 2.2M articles a copy of every row is ~270 MB), and a part's arrays that need
    no change become the joined rows."""
    n = sum(part.size for part, _ in parts)
    live = np.concatenate(
        [np.ones(p.size, dtype=bool) if lv is None else lv for p, lv in parts]
        or [np.zeros(0, dtype=bool)]
    )
    day = np.concatenate([p.day for p, _ in parts] or [np.zeros(0, dtype=np.int32)])
    added = np.concatenate([p.added for p, _ in parts] or [np.zeros(0, dtype=np.int64)])
    rows: dict[str, tuple[np.ndarray, np.ndarray, list[str]]] = {}
    tables: dict[str, dict[str, int]] = {}
    for key in (*facets.names(), VARIANTS):
        doc, val, tables[key] = _joined_rows(parts, key, spend)
        rows[key] = (doc, val, list(tables[key]))
    return Part(n, day, added, rows, tables), live


def from_combined(
    joined: Part,
    live: np.ndarray,
    prior: namesake_changes.State | None = None,
    spelling: SpellingPrior | None = None,
    written_out: WrittenPrior | None = None,
    tables: Mapping[str, Path] | None = None,
    *,
    spend: bool = False,
    side: side_work.Side | None = None,
) -> FacetArrays:
    """The facet arrays of the index whose live rows `combine` gave as `joined` (the
    short-name joins from `prior`'s where they provably stand, the person spelling merges
    from `spelling`'s groups and the written-out merges from `written_out`'s where the update did
    not touch them; the names' sorted order from the last generation's name `tables`, per
    entity facet, where they hold its first names). With `spend`, `joined` is the arrays'
    to take: its variants' rows and names are dropped once read (before the merges). With
    `side`, the facets other than the person's are decided by forked children meanwhile."""
    n = joined.size
    day = np.where(live, joined.day, np.int32(-1)).astype(np.int32)
    facet_names, entity_names = facets.names(), facets.entity_names()
    docs: dict[str, np.ndarray] = {}
    vals: dict[str, np.ndarray] = {}
    ids: dict[str, dict[str, int]] = {}
    # (combine's tables taken, not copied: the merges change them, and nothing else reads them)
    made, joined.tables = joined.tables or {}, None
    for f in facet_names:
        docs[f], vals[f], names = joined.rows[f]
        table = made.pop(f, None)
        if table is not None and len(table) == len(names):
            ids[f] = table
        else:
            ids[f] = {name: i for i, name in enumerate(names)}
    del made
    # Per entity facet, per variant (name_key): the canonical names articles merged it into.
    evidence: dict[str, dict[str, Counter[str]]] = {f: {} for f in entity_names}
    v_doc, v_val, v_ids = joined.rows[VARIANTS]
    counts = np.bincount(v_val, minlength=len(v_ids)).tolist()
    variants = Counter(dict(zip(v_ids, counts, strict=True)))  # each once: they recur
    # (document, facet, name) of each namesake an article kept apart (no canonical name).
    kept = np.array([v.endswith(PART_SEP) for v in v_ids], dtype=bool)
    names = list(v_ids)
    at = np.flatnonzero(kept[v_val]) if v_val.size else np.zeros(0, dtype=np.int64)
    apart = []
    for d, vid in zip(v_doc[at].tolist(), v_val[at].tolist(), strict=True):
        facet, written, _ = names[vid].split(PART_SEP)
        apart.append((d, facet, written))
    written_as: dict[str, dict[str, str]] = {f: {} for f in entity_names}
    for variant, times in variants.items():
        facet, written, canonical = variant.split(PART_SEP)
        if canonical:  # (none: a namesake the article kept apart)
            evidence[facet].setdefault(name_key(written), Counter())[canonical] += times
            written_as[facet].setdefault(written, canonical)
    # (what only the evidence was read from goes before the merges: 423k variants at 2.2M)
    del v_doc, v_val, v_ids, counts, variants, kept, names, at
    if spend:
        del joined.rows[VARIANTS]
    out = FacetArrays(n, day, live, np.unique(day[day >= 0]), {}, {}, written=written_as)
    out.added = joined.added
    merger = _Merger(out, prior, spelling, written_out, tables, side)
    del written_out  # (the merger frees it once used)
    merger.build(docs, vals, ids, evidence, apart)
    return out


def _merges_of(pairs: np.ndarray, ids: dict[str, int]) -> dict[str, str]:
    """The merges `_Merger._decide_ids` gave as id pairs, as names of `ids` (in id order)."""
    listed = list(ids)
    return {listed[v]: listed[c] for v, c in pairs.tolist()}


class _Merger:
    """Each facet's rows, entity facets merged across the archive, short names joined."""

    def __init__(
        self,
        out: FacetArrays,
        prior: namesake_changes.State | None = None,
        spelling: SpellingPrior | None = None,
        written: WrittenPrior | None = None,
        tables: Mapping[str, Path] | None = None,
        side: side_work.Side | None = None,
    ) -> None:
        self.out = out
        self.side = side
        self.tables = tables or {}
        self.prior = prior
        self.spelling = spelling
        self.written = written
        self.raw: dict[str, tuple[np.ndarray, np.ndarray]] = {}  # rows before the merges
        self.merged: dict[str, dict[str, str]] = {}
        self.held: dict[str, set[str]] = {}
        self.held_rows: list[tuple[int, str]] = []  # (document, person) kept apart
        self.per_doc: dict[str, dict[tuple[int, str], str]] = {}

    def build(
        self,
        docs: dict[str, np.ndarray],
        vals: dict[str, np.ndarray],
        ids: dict[str, dict[str, int]],
        evidence: dict[str, dict[str, Counter[str]]],
        apart: list[tuple[int, str, str]],
    ) -> None:
        out = self.out
        entity_names = tuple(evidence)
        # The merges break ties by order ("the first seen"): let that be the names' order, not
        # the documents' (set by the archive's file order and the parallel workers' schedule),
        # so that two builds of one archive show the same names.
        evidence = {
            f: {
                key: votes if len(votes) < 2 else Counter(dict(sorted(votes.items())))
                for key, votes in ev.items()
            }
            for f, ev in evidence.items()
        }
        self.per_doc = {f: {} for f in entity_names}
        counts = {
            f: np.bincount(np.asarray(vals[f], dtype=np.int32), minlength=len(ids[f]))
            for f in entity_names
        }
        # The facets' decisions are independent of each other: all but the person's (the
        # largest, which keeps state for the next generation) are decided by forked children
        # (index_format.side_work) while this process decides the person's.
        decided = {
            f: self.side.call(self._decide_ids, f, ids[f], evidence[f], counts[f])
            for f in entity_names
            if self.side is not None and f != "person"
        }
        for f in docs:
            doc = np.asarray(docs[f], dtype=np.int32)
            val = np.asarray(vals[f], dtype=np.int32)
            if f in evidence:
                self.raw[f] = (doc, val)
                kept = [(d, name) for d, facet, name in apart if facet == f]
                # (each facet's counts let go once decided: they are not held through the joins)
                counted = counts.pop(f)
                merges = (
                    _merges_of(decided.pop(f).result(), ids[f])
                    if f in decided
                    else self._decide(f, ids[f], evidence[f], counted)
                )
                del counted
                doc, val = self._merge(f, doc, val, ids[f], merges, kept)
            out.rows[f] = FacetRows(doc, val, list(ids[f]), ids[f])
            out.starts[f] = narrow_starts(starts_of(doc, out.size))  # (as written)
        out.joined = self._join_short_names(entity_names)
        # Round 19's hook: organisation values the whole archive shows are no organisation
        # leave that facet (after the joins, which keep reading the rows before it).
        value_types.drop(out)
        out.merged, out.held, out.per_doc = self.merged, self.held, self.per_doc
        out.variant_names = {
            f: {key: votes.most_common(1)[0][0] for key, votes in evidence[f].items()}
            for f in entity_names
        }

    def _decide(
        self,
        fname: str,
        ids: dict[str, int],
        evidence: dict[str, Counter[str]],
        counts: np.ndarray,
    ) -> dict[str, str]:
        """Facet `fname`'s merges (variant → canonical name) from its names (`ids`), the
        articles' `evidence` and each value's row `counts`: one call per facet (a forked child
        may make it, index_format.side_work: it changes nothing but the person's states)."""
        names = may_merge(ids, evidence)
        per_name = counts.tolist()
        merges = archive_merges({name: per_name[ids[name]] for name in sorted(names)}, evidence)
        listed = list(ids)  # (id order)
        # Sorted (ties: see build); an update's new names sorted into the last generation's.
        order = name_table.sorted_ids(listed, self.tables.get(fname))
        named = {listed[i]: per_name[i] for i in order}
        merges = case_merges(named, merges)
        if fname == "place":
            merges = place_kind_merges(named, merges)
        elif fname == "organisation":
            merges = organisation_form_merges(named, company_merges(named, merges, evidence))
        elif fname == "person":
            merges = self._written_out_merges(listed, named, counts, merges)
            merges = self._spelling_merges(
                listed, named, counts, old_spelling_merges(named, merges)
            )
        return merges

    def _decide_ids(
        self,
        fname: str,
        ids: dict[str, int],
        evidence: dict[str, Counter[str]],
        counts: np.ndarray,
    ) -> np.ndarray:
        """`_decide`'s merges as (variant id, canonical id) rows in its order: what a forked
        child sends back (the parent's own name strings then stand for them, not copies)."""
        merges = self._decide(fname, ids, evidence, counts)
        pairs = [(ids[variant], ids[canonical]) for variant, canonical in merges.items()]
        return np.array(pairs, dtype=np.int32).reshape(-1, 2)

    def _merge(
        self,
        fname: str,
        doc: np.ndarray,
        val: np.ndarray,
        ids: dict[str, int],
        merges: dict[str, str],
        apart: list[tuple[int, str]],
    ) -> tuple[np.ndarray, np.ndarray]:
        """Give each merged variant its canonical value's id (in `ids` too, so a filter on
        either name selects both) and keep one row per document and value. A namesake an
        article kept apart ("Sri Mulyani" of Klaten) keeps its own id in that article, and its
        name then filters its own articles only."""
        self.merged[fname] = merges
        if fname == "person":  # (also without merges: the joins skip them)
            self.held_rows = [(d, name) for d, name in apart]
        if not merges:
            return doc, val
        remap = np.arange(len(ids), dtype=np.int32)
        held = self.held[fname] = {name for _, name in apart if name in merges}
        for d, name in apart:
            if name in held:
                self.per_doc[fname][d, name] = name
        for variant, canonical in merges.items():
            remap[ids[variant]] = ids[canonical]
            if variant not in held:
                ids[variant] = ids[canonical]
        merged = remap[val]
        kept = [(d, ids[name]) for d, name in apart if name in held]
        if kept:  # each kept-apart namesake keeps its own id in its own document
            width = np.int64(len(ids))
            pairs = np.array(kept, dtype=np.int64)
            # Only rows of those documents can be one: a sorted search among them (isin's
            # sort of every row grew faster than the archive).
            near = np.flatnonzero(self._documents(pairs[:, 0])[doc])
            wanted = distinct(pairs[:, 0] * width + pairs[:, 1])
            keys = doc[near].astype(np.int64) * width + val[near]
            at = np.minimum(np.searchsorted(wanted, keys), wanted.size - 1)
            own = near[wanted[at] == keys]
            merged[own] = val[own]
        # Only a document with a merged variant can now hold a value twice.
        return self._deduped_in(doc, merged, doc[merged != val], len(ids))

    def _deduped_in(
        self, doc: np.ndarray, val: np.ndarray, changed: np.ndarray, width: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """The rows with only the first of each (document, value) kept in the `changed`
        documents, every other row as it is (in order): a sort of those documents' rows
        only, not of every row."""
        rows = np.flatnonzero(self._documents(changed)[doc])
        keys = doc[rows].astype(np.int64) * width + val[rows]
        keep = np.ones(doc.size, dtype=bool)
        keep[rows] = False
        keep[rows[np.unique(keys, return_index=True)[1]]] = True
        return doc[keep], val[keep]

    def _written_out_merges(
        self, names: list[str], named: dict[str, int], counts: np.ndarray, merges: dict[str, str]
    ) -> dict[str, str]:
        """name_forms.initial_merges (its initials' fits, then its written-out merges), from
        the last generation's decisions where the update cannot change them (index_format.
        initial_changes, written_changes); keeps the state for the next."""
        got: tuple[dict[str, str], written_changes.State | None] | None = None
        if self.written is not None:
            state, before = self.written
            self.written = None  # (freed once used: the update's peak comes later)
            got = written_changes.fitted_incremental(names, named, counts, merges, state, before)
            del state, before
        if got is None:
            got = written_changes.fitted_full(names, named, counts, merges)
        merged, self.out.written_state = got
        return merged

    def _spelling_merges(
        self, names: list[str], named: dict[str, int], counts: np.ndarray, merges: dict[str, str]
    ) -> dict[str, str]:
        """name_forms.spelling_merges, from the last generation's groups where it left them
        (index_format.spelling_changes); keeps the state for the next."""
        got: tuple[dict[str, str], spelling_changes.State | None] | None = None
        if self.spelling is not None:
            state, before = self.spelling
            got = spelling_changes.incremental(names, named, counts, merges, state, before)
        if got is None:
            got = spelling_changes.full(names, named, counts, merges)
        merged, self.out.spelling_state = got
        return merged

    def _documents(self, docs: np.ndarray) -> np.ndarray:
        """A mask over the documents, True at `docs` (a lookup table, not isin's sort)."""
        mask = np.zeros(self.out.size, dtype=bool)
        mask[docs] = True
        return mask

    def _join_short_names(self, entity_names: tuple[str, ...]) -> int:
        """Join short person names to the full name the article's context agrees on
        (index_format.namesakes); returns how many article-values were joined."""
        out = self.out
        if "person" not in entity_names:
            return 0
        order = ("person", *(f for f in entity_names if f != "person"))
        person = out.rows["person"]
        # A namesake the article itself kept apart is not joined by its company either.
        held = {(d, person.ids[name]) for d, name in self.held_rows if name in person.ids}
        found = namesake_changes.join(
            [
                namesakes.Rows(out.rows[f].doc, out.rows[f].val, out.starts[f], out.rows[f].names)
                for f in order
            ],
            # Live articles only: a deleted one (until a merge drops it) must not move the
            # lift of every pair, nor a join with it.
            int(np.count_nonzero(out.live)),
            live=out.live,
            raw=self.raw,
            merged=self.merged,
            keys=order,
            prior=self.prior,
        )
        # (Every join of the archive, carried ones too: in numpy, not a Python loop a row.)
        pairs = np.asarray(found.joined, dtype=np.int64).reshape(-1, 2)
        rows, fulls = pairs[:, 0], pairs[:, 1]
        docs, vals = person.doc[rows].astype(np.int64), person.val[rows].astype(np.int64)
        if held:
            width = np.int64(len(person.names) + 1)
            apart = np.array([d * width + v for d, v in held], dtype=np.int64)
            keep = ~np.isin(docs * width + vals, apart)
            rows, fulls, docs, vals = rows[keep], fulls[keep], docs[keep], vals[keep]
        found.kept = (docs, vals, fulls)
        out.join_state = found
        names, per_doc = person.names, self.per_doc["person"]
        # For the bench guard's reference: per-document names.
        # (made in C: a Python loop over every join of the archive, 1.5M at 2.2M articles)
        name_of = names.__getitem__
        keys = zip(docs.tolist(), map(name_of, vals.tolist()), strict=True)
        per_doc.update(zip(keys, map(name_of, fulls.tolist()), strict=True))
        if not rows.size:
            return 0
        val = person.val.copy()
        val[rows] = fulls
        # Only a document with a joined row can now hold a value twice (dedupe's sort of
        # every row was the derived files' peak after the joins).
        kept_doc, kept_val = self._deduped_in(person.doc, val, docs, len(person.names))
        person.doc = kept_doc.astype(np.int32, copy=False)
        person.val = kept_val.astype(np.int32, copy=False)
        out.starts["person"] = narrow_starts(starts_of(person.doc, out.size))
        return int(rows.size)
