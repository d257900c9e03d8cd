"""The short-name joins of an update, recomputed only for the rows its changes can reach.

`namesakes.find` decides each short-name row (document d, short name s) from the full names
s can stand for (C(s), `namesakes.candidates`), the values of d, and each full name's company
(the values v that MIN_TOGETHER articles name beside f, with lift together * n / (df[v] *
count[f]) >= LIFT). A generation leaves the next its joins, C(s) and every candidate's whole
company (`State`); the next one redoes a row only when one of those inputs may have changed:

- d is new, or names a name whose merge changed (its values changed);
- C(s) differs (computed afresh each time and compared);
- the company of a full name of C(s) gained or lost a value that d names.

A company is taken from the table when it provably did not change, else counted again.
together(f, v) and count[f] change only when an article naming f changes or a merge moves a
name of such an article (f is *touched*); df[v] and n change with every update. For those, a
full computation (the *base*) records per value v, over its pairs (f, v) with every candidate
f, the highest share together / count[f] out of f's company and the lowest in it (`below`,
`above`): a pair is in when share >= theta = LIFT * df[v] / n, so while theta stays strictly
between them no pair of v changes side. A value whose theta crosses one has its pairs counted
again, and the full names whose side differs from the base's lose their *clean* mark, as do
touched ones. A clean full name's company is the base's, in every generation since, while it
stays a candidate (the table keeps the candidates' companies only); every other candidate's
is decided again each update until the next base, and compared with the table: from its pair
counts (together per value), which a generation keeps for the next (`Pairs`), the update
adding its new articles' pairs and counting afresh only the full names that an old article it
changed or deleted names (`_dirty_pairs`). The result equals a full computation (tests/index_format/test_namesake_changes.py:
random archives and update sequences, each piece of this checked to matter).

A full computation runs when there is no usable state, or when more than FULL_SHARE of the
short-name rows would be redone anyway; it writes a new base.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import zstandard

from index_format import namesakes, zst_files
from index_format.name_table import NameTable
from index_format.namesakes import LIFT, MIN_TOGETHER, Rows, lifts
from index_format.sorted_sets import distinct

FULL_SHARE = 0.5  # of the short-name rows: redoing more is no cheaper than all
_EPS = 1e-9  # a relative margin for the float compare against theta (conservative)
PREFIX = "joins-"
SUFFIX = ".npy.zst"  # (index_format.zst_files)


@dataclass
class Pairs:
    """Pair counts (namesakes.pair_counts) held compactly: the full names ascending, each with
    its number of pairs, and per pair its value (int32, ascending within its full name) and
    in how many articles (int32). 15M pairs at 2.2M articles: 120 MB, not 180 as keys."""

    fulls: np.ndarray  # int64
    per_full: np.ndarray  # int64
    value: np.ndarray  # int32
    together: np.ndarray  # int32

    @staticmethod
    def of(keys: np.ndarray, together: np.ndarray, width: int) -> Pairs:
        """From sorted keys full * width + value."""
        full_of = keys // width
        first = np.flatnonzero(np.r_[True, full_of[1:] != full_of[:-1]]) if keys.size else keys
        return Pairs(
            full_of[first],
            np.diff(np.r_[first, keys.size]).astype(np.int64),
            (keys % width).astype(np.int32),
            together.astype(np.int32, copy=False),
        )

    def keys(self, width: int) -> np.ndarray:
        return np.repeat(self.fulls * width, self.per_full) + self.value


def _no_pairs() -> Pairs:
    empty = np.zeros(0, dtype=np.int64)
    return Pairs(empty, empty, np.zeros(0, np.int32), np.zeros(0, np.int32))


@dataclass
class State:
    """What one generation's joins leave for the next, in its own value ids (`names`)."""

    size: int  # documents, deleted ones included
    live: np.ndarray  # bool per document
    names: dict[str, Sequence[str]]  # per entity facet (person first), id → name
    merged: dict[str, dict[str, str]]  # per entity facet, the merges (facet_arrays)
    rows: dict[str, tuple[np.ndarray, np.ndarray]]  # per facet, the (doc, val) rows shown
    doc: np.ndarray  # the joins: document, short name id, full name id
    short: np.ndarray
    full: np.ndarray
    cand: np.ndarray  # C(s): short ids; their full names cand_full[cand_start[i]:...]
    cand_start: np.ndarray
    cand_full: np.ndarray
    below: np.ndarray  # per value of the facets in `names` order (namesakes.Found)
    above: np.ndarray
    clean: np.ndarray  # bool per person id: a full name whose company is the base's
    company: np.ndarray  # sorted keys full * width + value of each candidate's company
    # Every pair of the full names counted again (not clean), in this generation's ids (width
    # below.size). Empty: none kept. Consumed by the next update's joins (then emptied).
    pairs: Pairs = field(default_factory=_no_pairs)


@dataclass
class Result:
    # (person row, full id) a join, in order (int64, n × 2), before the held rows are dropped.
    joined: np.ndarray
    short: dict[int, list[int]]
    below: np.ndarray
    above: np.ndarray
    clean: np.ndarray
    full: bool  # computed in full (a new base)
    redone: int  # short-name rows decided afresh
    company: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    # The joins kept (the held rows dropped): document, short name id, full name id.
    kept: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
    # The not-clean candidates' pair counts (State.pairs), for the next: compressed as soon
    # as counted (zst_files.packed: the full names' runs, values, counts), 35 MB instead of
    # 120 held through the rest of the derived files at 2.2M articles (their memory peak).
    packed: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None

    def pairs(self) -> Pairs:
        if self.packed is None:
            return _no_pairs()
        runs, value, together = (zst_files.unpacked(b) for b in self.packed)
        return Pairs(runs[0], runs[1], value, together)


def join(
    facets: Sequence[Rows],
    n_docs: int,
    *,
    live: np.ndarray,
    raw: Mapping[str, tuple[np.ndarray, np.ndarray]],
    merged: Mapping[str, Mapping[str, str]],
    keys: Sequence[str],
    prior: State | None,
) -> Result:
    """The joins of `facets` (entity facets `keys`, person first, after the merges `merged`),
    from `prior`'s where it provably stands; `raw` holds each facet's rows before the merges
    (value ids as `facets`' names)."""
    if prior is not None:
        done = _incremental(facets, n_docs, live, raw, merged, keys, prior)
        if done is not None:
            return done
    found = namesakes.find(facets, n_docs, stats=True)
    assert found.below is not None and found.above is not None and found.fulls is not None
    assert found.company is not None
    clean = np.zeros(len(facets[0].names), dtype=bool)
    clean[found.fulls] = True
    rows = int(np.count_nonzero(_member(facets[0].val, list(found.short), len(facets[0].names))))
    joined = _pairs(found.joined)
    return Result(joined, found.short, found.below, found.above, clean, True, rows, found.company)


def _pairs(joined: list[tuple[int, int]]) -> np.ndarray:
    return np.array(joined, dtype=np.int64).reshape(-1, 2)


def _member(values: np.ndarray, ids: Sequence[int] | np.ndarray, size: int) -> np.ndarray:
    table = np.zeros(size, dtype=bool)
    table[np.asarray(ids, dtype=np.int64)] = True
    return table[values]


def _id_map(before: Sequence[str], now: Sequence[str]) -> np.ndarray:
    """Per id of `before`, the id of the same name in `now` (-1: gone). `before` may be the
    last generation's NameTable: an update that only added keeps its names as the first of
    `now`, which the table checks as bytes without decoding a name."""
    n = len(before)
    if len(now) >= n:
        head = list(now[:n])
        same = before.holds(head) if isinstance(before, NameTable) else list(before) == head
        if same:
            return np.arange(n, dtype=np.int64)  # (an update that only added)
    ids = {name: i for i, name in enumerate(now)}
    listed = before.decoded() if isinstance(before, NameTable) else before
    return np.fromiter((ids.get(n, -1) for n in listed), dtype=np.int64, count=n)


def _mapped(ids: np.ndarray, table: np.ndarray) -> np.ndarray:
    return table[ids] if ids.size else np.zeros(0, dtype=np.int64)


def _incremental(
    facets: Sequence[Rows],
    n_docs: int,
    live: np.ndarray,
    raw: Mapping[str, tuple[np.ndarray, np.ndarray]],
    merged: Mapping[str, Mapping[str, str]],
    keys: Sequence[str],
    prior: State,
) -> Result | None:
    person = facets[0]
    n_person = len(person.names)
    size = live.size
    if list(prior.names) != list(keys) or prior.size > size:
        return None
    maps = {f: _id_map(prior.names[f], facets[i].names) for i, f in enumerate(keys)}
    offsets = np.cumsum([0, *(len(f.names) for f in facets[:-1])]).tolist()
    width = int(offsets[-1] + len(facets[-1].names))
    touched = np.zeros(n_person, dtype=bool)  # full names whose articles or merges changed
    changed_docs = np.zeros(size, dtype=bool)  # documents whose values may differ
    changed_docs[prior.size :] = True
    deleted = np.flatnonzero(prior.live & ~live[: prior.size])
    # The articles added or deleted: every person they name, before and after.
    gone = np.zeros(prior.size, dtype=bool)
    gone[deleted] = True
    doc, val = prior.rows[keys[0]]
    was = _mapped(np.asarray(val[gone[doc]], dtype=np.int64), maps[keys[0]])
    touched[was[was >= 0]] = True
    was = _mapped(prior.short[gone[prior.doc]].astype(np.int64), maps[keys[0]])
    touched[was[was >= 0]] = True
    touched[person.val[changed_docs[person.doc]]] = True
    # Names whose merge changed: their articles' values changed, and their targets' counts.
    for i, f in enumerate(keys):
        before, now = prior.merged.get(f, {}), merged.get(f, {})
        # (The pairs that differ, as sets of items in C: not a Python loop over every merge.)
        moved = [] if before == now else list({n for n, _ in before.items() ^ now.items()})
        if not moved:
            continue
        ids = {name: j for j, name in enumerate(facets[i].names)}
        at = [ids[n] for n in moved if n in ids]
        doc, val = raw[f]
        if at:
            changed_docs[doc[_member(val, at, len(facets[i].names))]] = True
        if i == 0:
            for name in moved:
                for target in (name, before.get(name), now.get(name)):
                    if target is not None and target in ids:
                        touched[ids[target]] = True
    touched[person.val[changed_docs[person.doc]]] = True
    clean = np.zeros(n_person, dtype=bool)
    kept = maps[keys[0]] >= 0
    clean[maps[keys[0]][kept]] = prior.clean[kept]
    clean &= ~touched
    # Each value's pairs against its theta now, from the base's sides.
    below, above = np.full(width, -np.inf), np.full(width, np.inf)
    start = 0
    for i, f in enumerate(keys):
        m = maps[f]
        ok = m >= 0
        below[offsets[i] + m[ok]] = prior.below[start : start + m.size][ok]
        above[offsets[i] + m[ok]] = prior.above[start : start + m.size][ok]
        start += m.size
    df = np.concatenate([np.bincount(r.val, minlength=len(r.names)) for r in facets])
    counts = df[:n_person]
    theta = LIFT * df / max(n_docs, 1)
    has_pairs = np.isfinite(below) | np.isfinite(above)
    safe = (below < theta * (1 - _EPS)) & (theta * (1 + _EPS) <= above) & (below < above)
    unsafe = np.flatnonzero(has_pairs & ~safe)
    if unsafe.size:
        clean &= ~_crossed(facets, offsets, unsafe, width, df, counts, n_docs, clean, below, above)
    # C(s) now, against the last generation's.
    short = namesakes.candidates(person, counts)
    redo = np.zeros(n_person, dtype=bool)  # short names whose every row is decided afresh
    before_c: dict[int, list[int]] = {}
    p_map = maps[keys[0]]
    if prior.cand.size:  # (one list sliced per short name: not an array each)
        fulls = p_map[prior.cand_full.astype(np.int64)].tolist()
        bounds = prior.cand_start.tolist()
        shorts = p_map[prior.cand.astype(np.int64)].tolist()
        before_c = {
            s: fulls[a:b]
            for s, a, b in zip(shorts, bounds, itertools.islice(bounds, 1, None), strict=False)
            if s >= 0
        }
    for s in before_c.keys() ^ short.keys():
        redo[s] = True
    for s, now_c in short.items():
        if before_c.get(s) != now_c:
            redo[s] = True
    # The companies now: a clean full name's is the base's (kept in the table); every other
    # candidate's is counted again, and where it differs from the last generation's, the rows
    # whose articles name a value that came or left are redone.
    p_width = prior.below.size
    v_map = np.concatenate(
        [maps[f] + np.where(maps[f] >= 0, offsets[i], 0) for i, f in enumerate(keys)]
    )
    was_f = _mapped(prior.company // p_width, p_map)
    was_v = _mapped(prior.company % p_width, v_map)
    ok = (was_f >= 0) & (was_v >= 0)
    table = np.sort(was_f[ok] * width + was_v[ok])
    every = (
        distinct(np.fromiter((f for fs in short.values() for f in fs), dtype=np.int64))
        if short
        else np.zeros(0, dtype=np.int64)
    )
    dirty = every[~clean[every]]
    is_dirty = np.zeros(n_person, dtype=bool)
    is_dirty[dirty] = True
    pair_key, pair_together = _dirty_pairs(
        facets, prior, keys[0], dirty, width, p_map, v_map, changed_docs, live
    )
    recounted = namesakes.company_of(pair_key, pair_together, width, df, counts, n_docs)
    pairs = Pairs.of(pair_key, pair_together, width)
    del pair_key, pair_together
    packed = (
        zst_files.packed(np.stack([pairs.fulls, pairs.per_full])),
        zst_files.packed(pairs.value),
        zst_files.packed(pairs.together),
    )
    del pairs
    in_every = np.zeros(n_person, dtype=bool)
    in_every[every] = True
    owner = table // width
    delta = np.setxor1d(table[is_dirty[owner]], recounted, assume_unique=True)
    table = np.sort(np.concatenate([table[in_every[owner] & ~is_dirty[owner]], recounted]))
    # The table keeps the candidates' companies only: a full name no longer one is not clean
    # (else, a candidate again later, it would be taken as counted, with no company).
    clean &= in_every
    is_short = (
        _member(person.val, list(short), n_person)
        if short
        else np.zeros(person.val.size, dtype=bool)
    )
    only = (changed_docs[person.doc] | redo[person.val]) & is_short
    if delta.size:
        only |= _reached(facets, offsets, is_short & ~only, short, delta, width)
    n_short = int(np.count_nonzero(is_short))
    redone = int(np.count_nonzero(only))
    if redone > FULL_SHARE * max(n_short, 1):
        return None
    found = namesakes.find(facets, n_docs, only=only, short=short, company=table)
    # The last generation's joins of the rows not redone, at their rows now.
    j_doc = prior.doc.astype(np.int64)
    j_short = _mapped(prior.short.astype(np.int64), p_map)
    j_full = _mapped(prior.full.astype(np.int64), p_map)
    keep = (j_short >= 0) & (j_full >= 0) & live[j_doc] & ~changed_docs[j_doc]
    keep &= ~redo[np.maximum(j_short, 0)]
    j_doc, j_short, j_full = j_doc[keep], j_short[keep], j_full[keep]
    rows = _rows_of(person, j_doc, j_short)
    if (rows < 0).any():  # (a row not redone is still there: else the state is not ours)
        return None
    carried = ~only[rows]
    rows, j_full = rows[carried], j_full[carried]
    # The redone rows' joins and the carried ones, in order (as sorted pairs: by row, then full
    # name), in numpy: the carried are every join of the archive (1.5M at 2.2M articles).
    new = _pairs(found.joined)
    row_of = np.concatenate([new[:, 0], rows.astype(np.int64)])
    full_of = np.concatenate([new[:, 1], j_full.astype(np.int64)])
    order = np.lexsort((full_of, row_of))
    joined = np.stack([row_of[order], full_of[order]], axis=1)
    return Result(joined, short, below, above, clean, False, redone, table, None, packed)


def _dirty_pairs(
    facets: Sequence[Rows],
    prior: State,
    person_key: str,
    dirty: np.ndarray,
    width: int,
    p_map: np.ndarray,
    v_map: np.ndarray,
    changed_docs: np.ndarray,
    live: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Every pair count (namesakes.pair_counts) of the full names `dirty`: from the last
    generation's where it kept them and no article it had that names the full name changed
    (its new articles' pairs added), else counted over the full name's articles.

    The facets hold the live articles' rows, so the pairs of a full name change only by the
    new articles, the deleted ones and the old ones whose values changed (`changed_docs`:
    their merges moved). The last generation's person rows are those shown (after its joins): an old
    article's persons then were among them and the short names joined in it."""
    person = facets[0]
    n_person = len(person.names)
    had = prior.pairs
    prior.pairs = _no_pairs()  # (consumed: not held through the rest of the derived files)
    now_f = _mapped(had.fulls, p_map)  # per kept full name
    kept = np.zeros(n_person, dtype=bool)  # the dirty full names whose counts carry over
    kept[now_f[now_f >= 0]] = True
    is_dirty = np.zeros(n_person, dtype=bool)
    is_dirty[dirty] = True
    kept &= is_dirty
    # (A deleted article's rows leave the facets: its pairs no longer count.)
    old = np.flatnonzero(changed_docs[: prior.size] | (prior.live & ~live[: prior.size]))
    if old.size and kept.any():  # a kept full name an old changed article names: recounted
        at = np.zeros(prior.size, dtype=bool)
        at[old] = True
        doc, val = prior.rows[person_key]
        for ids in (
            np.asarray(val[at[doc]], dtype=np.int64),
            prior.short[at[prior.doc]].astype(np.int64),
        ):
            was = _mapped(ids, p_map)
            kept[was[was >= 0]] = False
        now = np.zeros(changed_docs.size, dtype=bool)
        now[old] = True
        kept[person.val[now[person.doc]]] = False
    keys = np.zeros(0, dtype=np.int64)
    together = np.zeros(0, dtype=np.int32)
    add_key = np.zeros(0, dtype=np.int64)
    add_times = np.zeros(0, dtype=np.int32)
    if kept.any():
        # (Arrays of every kept pair, 15M at 2.2M articles: no copy where nothing is dropped,
        # the usual update's case.)
        run_kept = (now_f >= 0) & kept[np.maximum(now_f, 0)]
        every_run = bool(run_kept.all())
        keep = None if every_run else np.repeat(run_kept, had.per_full)
        was_v = v_map[had.value if keep is None else had.value[keep]]
        together = had.together if keep is None else had.together[keep]
        keys = np.repeat(now_f[run_kept] * width, had.per_full[run_kept])
        keys += was_v
        # (A kept full name's articles did not change, so its values' names are all still
        # there: this only guards against a table that says otherwise.)
        if not bool((was_v >= 0).all()):
            ok = was_v >= 0
            keys, together = keys[ok], together[ok]
        del had, keep, was_v
        if keys.size > 1 and not (keys[1:] > keys[:-1]).all():  # (ids renumbered)
            order = np.argsort(keys, kind="stable")
            keys, together = keys[order], together[order]
        # The new articles' pairs added.
        new = np.zeros(changed_docs.size, dtype=bool)
        new[prior.size :] = True
        rows = np.flatnonzero(new[person.doc] & kept[person.val])
        add_key, add_times = namesakes.pair_counts(facets, rows, width)
    recount = np.flatnonzero(is_dirty[person.val] & ~kept[person.val])
    more_key, more_times = namesakes.pair_counts(facets, recount, width)
    # Both added at once (one pass over the kept pairs): the full names of the two are
    # apart (kept or not), so their keys are distinct and merge by insertion, not a sort.
    if add_key.size and more_key.size:
        at = np.searchsorted(more_key, add_key)
        add_key, add_times = _inserted(more_key, more_times, at, add_key, add_times)
    elif more_key.size:
        add_key, add_times = more_key, more_times
    return _added(keys, together, add_key, add_times)


def _added(
    keys: np.ndarray, together: np.ndarray, add_key: np.ndarray, add_times: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The sorted pair counts `keys`, `together` with the sorted `add_key`'s counts added
    (`together` changed in place: the caller's own copy)."""
    if add_key.size == 0 or keys.size == 0:
        return (keys, together) if add_key.size == 0 else (add_key, add_times)
    at = np.searchsorted(keys, add_key)
    there = at < keys.size
    there[there] = keys[at[there]] == add_key[there]
    together[at[there]] += add_times[there]
    fresh = ~there
    return _inserted(keys, together, at[fresh], add_key[fresh], add_times[fresh])


def _inserted(
    keys: np.ndarray, times: np.ndarray, at: np.ndarray, new_key: np.ndarray, new_times: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """np.insert(keys, at, new_key) and the same of `times`, for ascending `at` (where
    searchsorted puts each of the ascending `new_key`): one mask for both, a few times
    faster than np.insert (which sorts the positions again)."""
    if new_key.size == 0:
        return keys, times
    put = at + np.arange(new_key.size)  # each new key's place in the result
    old = np.ones(keys.size + new_key.size, dtype=bool)
    old[put] = False
    out_key = np.empty(old.size, dtype=keys.dtype)
    out_key[old], out_key[put] = keys, new_key
    out_times = np.empty(old.size, dtype=times.dtype)
    out_times[old], out_times[put] = times, new_times
    return out_key, out_times


def _reached(
    facets: Sequence[Rows],
    offsets: Sequence[int],
    rows: np.ndarray,
    short: dict[int, list[int]],
    delta: np.ndarray,
    width: int,
) -> np.ndarray:
    """Which person rows (of those where `rows` is True) have a full name whose company
    gained or lost (`delta`, sorted keys) a value their article names."""
    person = facets[0]
    out = np.zeros(person.val.size, dtype=bool)
    changed = np.zeros(len(person.names), dtype=bool)
    changed[distinct(delta // width)] = True
    touched = [s for s, fs in short.items() if changed[fs].any()]
    if not touched:
        return out
    at = np.flatnonzero(rows & _member(person.val, touched, len(person.names)))
    if at.size == 0:
        return out
    # Each row's full names (`short` of its value, in order), in numpy: a row of a popular
    # full name's short name each (1.8M at 2.2M articles), not a Python list each.
    cand = np.fromiter(short, dtype=np.int64, count=len(short))
    lengths = np.fromiter(map(len, short.values()), dtype=np.int64, count=len(short))
    flat = np.fromiter(
        itertools.chain.from_iterable(short.values()), dtype=np.int64, count=int(lengths.sum())
    )
    where = np.zeros(len(person.names), dtype=np.int64)
    where[cand] = np.arange(cand.size)
    of_row = where[person.val[at]]
    per_row = lengths[of_row]
    ends = np.cumsum(lengths)[of_row]
    _, pair_full = _expand(ends - per_row, ends, flat)
    score = namesakes._shared_company(
        facets, offsets, person.doc[at], per_row, pair_full, delta, width
    )
    hit = np.add.reduceat(score, np.cumsum(per_row) - per_row) > 0
    out[at[hit]] = True
    return out


def _rows_of(person: Rows, doc: np.ndarray, val: np.ndarray) -> np.ndarray:
    """The person row of each (doc, val) pair (-1: none)."""
    if doc.size == 0:
        return np.zeros(0, dtype=np.int64)
    width = np.int64(len(person.names) + 1)
    wanted = np.zeros(person.start.size, dtype=bool)
    wanted[doc] = True
    near = np.flatnonzero(wanted[person.doc])
    keys = person.doc[near].astype(np.int64) * width + person.val[near]
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    want = doc * width + val
    at = np.minimum(np.searchsorted(sorted_keys, want), max(sorted_keys.size - 1, 0))
    found = sorted_keys.size > 0
    hit = (sorted_keys[at] == want) if found else np.zeros(want.size, dtype=bool)
    return np.where(hit, near[order[at]] if found else -1, -1)


def _crossed(
    facets: Sequence[Rows],
    offsets: Sequence[int],
    values: np.ndarray,
    width: int,
    df: np.ndarray,
    counts: np.ndarray,
    n_docs: int,
    clean: np.ndarray,
    below: np.ndarray,
    above: np.ndarray,
) -> np.ndarray:
    """Per person id, whether a clean full name has a pair with one of `values` (ids shifted
    by facet) on another side of the threshold than at the base (or not knowably the same)."""
    person = facets[0]
    out = np.zeros(len(person.names), dtype=bool)
    wanted = np.zeros(width, dtype=bool)
    wanted[values] = True
    # The documents naming a crossed value and a clean full name (only a clean one's pairs
    # are asked for): a mask over the documents, not a sort of every such row.
    named = np.zeros(person.start.size - 1, dtype=bool)
    for f, off in zip(facets, offsets, strict=True):
        named[f.doc[wanted[off : off + len(f.names)][f.val]]] = True
    has_clean = np.zeros(named.size, dtype=bool)
    has_clean[person.doc[clean[person.val]]] = True
    docs_of = np.flatnonzero(named & has_clean)
    # Pairs (full, value) in each of those documents: a person and a crossed value; counted a
    # chunk of documents at a time (at most about namesakes.PAIRS values times persons), the
    # chunks' counts then summed: every document at once was the update's memory peak.
    per_doc = person.start[docs_of + 1] - person.start[docs_of]
    weight = namesakes._value_counts(facets, docs_of) * np.maximum(per_doc, 1)
    found, times = [], []
    for lo, hi in namesakes._spans(weight, namesakes.PAIRS):
        keys, together = _pairs_in(facets, offsets, docs_of[lo:hi], wanted, width, clean)
        f_of = keys // width
        ok = (f_of != keys % width) & clean[f_of]  # (what the counts do not decide, early)
        found.append(keys[ok])
        times.append(together[ok])
    keys = np.concatenate(found) if found else np.zeros(0, dtype=np.int64)
    together = np.concatenate(times) if times else np.zeros(0, dtype=np.int64)
    if len(found) > 1:
        keys, at = np.unique(keys, return_inverse=True)
        together = np.bincount(at, weights=together, minlength=keys.size).astype(np.int64)
    f_of, v_of = keys // width, keys % width
    ok = together >= MIN_TOGETHER
    f_of, v_of, together = f_of[ok], v_of[ok], together[ok]
    cnt = np.maximum(counts[f_of], 1)
    inside = lifts(together, df[v_of], cnt, n_docs) >= LIFT
    was_inside = together / cnt >= above[v_of]
    unknowable = below[v_of] >= above[v_of]
    out[f_of[(inside != was_inside) | unknowable]] = True
    return out


def _pairs_in(
    facets: Sequence[Rows],
    offsets: Sequence[int],
    docs_of: np.ndarray,
    wanted: np.ndarray,
    width: int,
    clean: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """The sorted keys full * width + value of each (`clean` person, `wanted` value) of the
    same document of `docs_of`, and in how many of them each is."""
    person = facets[0]
    p_first, p_last = person.start[docs_of], person.start[docs_of + 1]
    owner_p, full = _expand(p_first, p_last, person.val)
    mine = clean[full]  # (another person's pairs are not asked for: not joined with at all)
    owner_p, full = owner_p[mine], full[mine]
    v_owner, v_val = namesakes._gather(facets, offsets, docs_of)
    pick = wanted[v_val]
    v_owner, v_val = v_owner[pick], v_val[pick]
    # Join on the document: each person of a document with each crossed value of it.
    order = np.argsort(v_owner, kind="stable")
    v_owner, v_val = v_owner[order], v_val[order]
    lo = np.searchsorted(v_owner, owner_p, side="left")
    hi = np.searchsorted(v_owner, owner_p, side="right")
    n = hi - lo
    f_rep = np.repeat(full.astype(np.int64), n)
    idx = np.repeat(lo - np.cumsum(n) + n, n) + np.arange(int(n.sum()))
    keys, together = np.unique(f_rep * width + v_val[idx], return_counts=True)
    return keys, together.astype(np.int64)


def _expand(first: np.ndarray, last: np.ndarray, val: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(i, val[row]) for every row first[i]:last[i]."""
    counts = last - first
    total = int(counts.sum())
    rows = np.repeat(first - np.cumsum(counts) + counts, counts) + np.arange(total)
    return np.repeat(np.arange(first.size), counts), val[rows]


# -- files --------------------------------------------------------------------------------


def _save(path: Path, array: np.ndarray) -> None:
    # Compressed: no worker maps these (only the next update reads them), and at 2.2M articles
    # they were 70 MB as plain arrays, 1.7% of the raw text (issue 23's size bound).
    zst_files.save_array(path, np.ascontiguousarray(array))


def save(where: Path, result: Result) -> None:
    """Save what the next generation needs beside the derived files in `where` (the names,
    merges, rows and live documents are the facet files')."""
    assert result.kept is not None
    doc, short, full = result.kept
    _save(where / f"{PREFIX}doc{SUFFIX}", doc)
    _save(where / f"{PREFIX}short{SUFFIX}", short)
    _save(where / f"{PREFIX}full{SUFFIX}", full)
    cand = sorted(result.short)
    lengths = [len(result.short[s]) for s in cand]
    _save(where / f"{PREFIX}cand{SUFFIX}", np.array(cand, dtype=np.int64))
    _save(where / f"{PREFIX}cand-start{SUFFIX}", np.concatenate([[0], np.cumsum(lengths)]))
    flat = [f for s in cand for f in result.short[s]]
    _save(where / f"{PREFIX}cand-full{SUFFIX}", np.array(flat, dtype=np.int64))
    _save(where / f"{PREFIX}below{SUFFIX}", result.below)
    _save(where / f"{PREFIX}above{SUFFIX}", result.above)
    _save(where / f"{PREFIX}clean{SUFFIX}", result.clean)
    _save(where / f"{PREFIX}company{SUFFIX}", result.company)
    # (The keys as each full name with its number of pairs, and the values as int32: 14M
    # pairs at 2.2M articles, compressed and read back in half the time of int64 keys.)
    if result.packed is None:
        pairs = _no_pairs()
        _save(where / f"{PREFIX}pair-full{SUFFIX}", np.stack([pairs.fulls, pairs.per_full]))
        _save(where / f"{PREFIX}pair-value{SUFFIX}", pairs.value)
        _save(where / f"{PREFIX}pair-together{SUFFIX}", pairs.together)
    else:  # (compressed already: zst_files.packed is save_array's bytes)
        for name, blob in zip(("full", "value", "together"), result.packed, strict=True):
            (where / f"{PREFIX}pair-{name}{SUFFIX}").write_bytes(blob.tobytes())
    (where / f"{PREFIX}state.json").write_text(
        json.dumps({"full": result.full, "redone": result.redone}), encoding="utf-8"
    )


def load(
    where: Path,
    *,
    size: int,
    live: np.ndarray,
    names: dict[str, Sequence[str]],
    merged: dict[str, dict[str, str]],
    rows: dict[str, tuple[np.ndarray, np.ndarray]],
) -> State | None:
    """The State saved in `where` with the facet files' parts given; None without one."""

    def arr(name: str) -> np.ndarray:
        return zst_files.load_array(where / f"{PREFIX}{name}{SUFFIX}")

    try:
        state = State(
            size=size,
            live=live,
            names=names,
            merged=merged,
            rows=rows,
            doc=arr("doc"),
            short=arr("short"),
            full=arr("full"),
            cand=arr("cand"),
            cand_start=arr("cand-start"),
            cand_full=arr("cand-full"),
            below=arr("below"),
            above=arr("above"),
            clean=arr("clean"),
            company=arr("company"),
        )
    except (OSError, ValueError, zstandard.ZstdError):  # none, or damaged: computed in full
        return None
    try:  # (a generation written before they were kept has none: its pairs are counted)
        fulls, per_full = arr("pair-full").astype(np.int64)
        pairs = Pairs(fulls, per_full, arr("pair-value"), arr("pair-together"))
        if int(per_full.sum()) == pairs.value.size == pairs.together.size:
            state.pairs = pairs
    except (OSError, ValueError, zstandard.ZstdError):
        pass
    width = sum(len(n) for n in names.values())
    person = next(iter(names.values()), ())
    if state.below.size != width or state.above.size != width or state.clean.size != len(person):
        return None
    return state
