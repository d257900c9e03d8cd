"""What a search worker otherwise works out for itself from the facet arrays on its first
requests, written when a generation is published (index_format.derived) and mapped read-only,
so that the workers share one copy through the page cache instead of each holding its own:

  canonical-{facet}.npy  int32 per value id of a facet: the id of the value a pinned
                         value is listed as under the archive's merges (search.facets.FacetData.
                         canonical); -1: itself; -2: a name outside the table (then the merges
                         themselves are read). A pinned value otherwise read the whole merges
                         and held names into the worker (~90 MB of JSON at 2.2M articles).
  day-pos.npy            each document's day as its position among the generation's distinct
                         days (their count: undated), for the timeline (int32 a document).
  single-{facet}.npy     a facet with at most one value a document (the outlet): each
                         document's value id, the count of its names for none.
  name-pos-{facet}.npy   int32 per value id: its name's place among the facet's names in
                         sorted order (UTF-8 byte order, which is Python's order of the
                         strings), from the name table's own order (index_format.name_table):
                         a list breaks ties between equal counts by name without decoding and
                         sorting every tied name.
  aliases-{facet}.npy    int32 rows (id of a merged variant's own name, id it answers for),
                         by the first: the names that answer for another value (NameIds'
                         aliases) without a dict of them in every worker (16.7k names, 2.1 MB
                         a worker at 220k articles; the JSON holding them is 5 MB at 2.2M).
                         Not written for a facet whose variants are not all its table's names
                         once each (its workers read the JSON's dict then).

`read` returns what is there and fits the facet arrays; what is missing (an index published
before these files) is worked out by the worker, as before.
"""

from __future__ import annotations

import operator
from collections.abc import ItemsView, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from index_format import facets, name_table
from index_format.facet_arrays import FacetArrays
from index_format.name_table import NameIds, NameTable

CANONICAL = "canonical"
DAY_POS = "day-pos.npy"
SINGLE = "single"
NAME_POS = "name-pos"
ALIASES = "aliases"
ITSELF, ELSEWHERE = -1, -2  # canonical ids that name no other value of the table


@dataclass
class WorkerMaps:
    """The files of one generation, mapped (each None or missing when not written)."""

    canonical: dict[str, np.ndarray] = field(default_factory=dict)
    day_pos: np.ndarray | None = None
    single: dict[str, np.ndarray] = field(default_factory=dict)
    name_pos: dict[str, np.ndarray] = field(default_factory=dict)


def canonical_ids(a: FacetArrays, fname: str, at: Mapping[str, int] | None = None) -> np.ndarray:
    """Per value id of entity facet `fname`, the id of the name it is listed as under the
    archive's merges (a held name stays itself), ITSELF or ELSEWHERE. `at` (each name's id,
    `positions`) saves making it again."""
    names = a.rows[fname].names
    merges = a.merged.get(fname) or {}
    held = a.held.get(fname, set())
    out = np.full(len(names), ITSELF, dtype=np.int32)
    if not merges:
        return out
    ids = at if at is not None else positions(names)
    if ids is None:  # (a name twice: each of its ids visited, the last one's id listed)
        ids = {name: vid for vid, name in enumerate(names)}
        for vid, name in enumerate(names):
            shown = name if name in held else merges.get(name, name)
            if shown != name:
                out[vid] = ids.get(shown, ELSEWHERE)
        return out
    # Only the merged variants can list another name: a visit of each, not of every name
    # (1.45M names at 2.2M articles, 127k of them merged).
    own: list[int] = []
    listed: list[int] = []
    for variant, canonical in merges.items():
        at_variant = ids.get(variant)
        if at_variant is not None and canonical != variant and variant not in held:
            own.append(at_variant)
            listed.append(ids.get(canonical, ELSEWHERE))
    out[np.array(own, dtype=np.int64)] = np.array(listed, dtype=np.int32)
    return out


def positions(names: Sequence[str]) -> dict[str, int] | None:
    """Each name's id in `names`; None when a name is there twice."""
    at = dict(zip(names, range(len(names)), strict=True))
    return at if len(at) == len(names) else None


def day_positions(days: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Each document's day as its position in `days` (days.size: undated)."""
    pos = np.searchsorted(days, day).astype(np.int32)
    pos[day < 0] = days.size
    return pos


def single_values(start: np.ndarray, val: np.ndarray, values: int) -> np.ndarray | None:
    """Each document's one value id (`values`: none), in the narrowest type that holds them;
    None when some document has two values or more."""
    per_doc = np.diff(start)
    if bool((per_doc > 1).any()):
        return None
    out = np.full(start.size - 1, values, dtype=np.min_scalar_type(values))
    out[np.flatnonzero(per_doc)] = val
    return out


def write(where: Path, a: FacetArrays) -> None:
    """Write the files of the facet arrays `a` into the directory `where`."""
    for f, r in a.rows.items():
        # (each name's id, made once for the canonical ids and the alias pairs)
        at = positions(r.names) if isinstance(r.names, list) else None
        _save(where / f"{CANONICAL}-{f}.npy", canonical_ids(a, f, at))
        if f not in facets.entity_names():
            single = single_values(a.starts[f], r.val, len(r.names))
            if single is not None:
                _save(where / f"{SINGLE}-{f}.npy", single)
        # (the name table's ids in sorted order, written before: index_format.derived)
        order = where / f"facets-{f}-{name_table.ORDER}"
        if order.exists():
            _save(where / f"{NAME_POS}-{f}.npy", name_positions(order))
        pairs = own_pairs(r.names, r.ids)
        if pairs is None:
            pairs = alias_pairs(r.names, name_table.variants(r.names, r.ids), at)
        if pairs is not None:
            _save(where / f"{ALIASES}-{f}.npy", pairs)
    _save(where / DAY_POS, day_positions(a.days, a.day))


def alias_pairs(
    names: Sequence[str], aliases: Mapping[str, int], at: Mapping[str, int] | None = None
) -> np.ndarray | None:
    """(own id, id it answers for) of each name of `aliases`, by own id; None when one of
    them is not a name of the table, or is one twice. `at`: each name's id (`positions`:
    names distinct), which saves a visit of every name."""
    if at is not None:
        own = [at.get(name, -1) for name in aliases]
        if -1 in own:
            return None
        pairs = np.array([own, list(aliases.values())], dtype=np.int32).T.reshape(-1, 2)
        return np.ascontiguousarray(pairs[np.argsort(pairs[:, 0], kind="stable")])
    listed = names.decoded() if isinstance(names, NameTable) else names
    pairs_ = [(i, aliases[name]) for i, name in enumerate(listed) if name in aliases]
    if len(pairs_) != len(aliases):
        return None
    return np.array(pairs_, dtype=np.int32).reshape(-1, 2)


def own_pairs(names: Sequence[str], ids: Mapping[str, int]) -> np.ndarray | None:
    """alias_pairs of `ids` as a publish holds them (a dict of the names in id order, each to
    the id it answers for), from its ids alone: a name answers for another value's id where
    that id is not its own. None when `ids` is not such a dict of `names`."""
    if not isinstance(names, list) or not isinstance(ids, dict) or len(ids) != len(names):
        return None
    if not all(map(operator.is_, ids, names)):  # (the same strings, in the same order)
        return None
    to = np.fromiter(ids.values(), dtype=np.int64, count=len(ids))
    own = np.flatnonzero(to != np.arange(to.size))
    return np.stack([own, to[own]], axis=1).astype(np.int32)


class MappedNameIds(NameIds):
    """NameIds whose aliases are the build's mapped pairs (alias_pairs) rather than a dict."""

    def __init__(self, names: NameTable, pairs: np.ndarray) -> None:
        self.names = names
        self._own = pairs[:, 0]
        self._to = pairs[:, 1]

    @property
    def aliases(self) -> dict[str, int]:  # type: ignore[override]
        """The variants as NameIds holds them (decoded now: nothing on a request's path)."""
        return {
            self.names[i]: to for i, to in zip(self._own.tolist(), self._to.tolist(), strict=True)
        }

    def _answers(self, vid: int) -> int:
        at = int(np.searchsorted(self._own, vid))
        if at < self._own.size and int(self._own[at]) == vid:
            return int(self._to[at])
        return vid

    def __getitem__(self, name: str) -> int:
        if not isinstance(name, str):
            raise KeyError(name)
        found = self.names.find(name)
        if found is None:
            raise KeyError(name)
        return self._answers(found)

    def items(self) -> ItemsView[str, int]:
        return _MappedItems(self)

    def names_of(self, vid: int) -> set[str]:
        found = {self.names[i] for i in self._own[self._to == vid].tolist()}
        if self._answers(vid) == vid:
            found.add(self.names[vid])
        return found


class _MappedItems(ItemsView[str, int]):
    """(name, id) in id order."""

    _mapping: MappedNameIds

    def __iter__(self) -> Iterator[tuple[str, int]]:
        m = self._mapping
        answers = np.arange(len(m.names), dtype=np.int64)
        answers[m._own] = m._to
        return zip(m.names, answers.tolist(), strict=True)


def name_ids(where: Path, fname: str, names: NameTable) -> MappedNameIds | None:
    """Name -> id for facet `fname` from its mapped alias pairs, or None (not written)."""
    path = where / f"{ALIASES}-{fname}.npy"
    if not path.exists():
        return None
    pairs = _load(path)
    if pairs.ndim != 2 or pairs.shape[1] != 2 or (pairs.size and int(pairs.max()) >= len(names)):
        return None
    return MappedNameIds(names, pairs)


def name_positions(order_file: Path) -> np.ndarray:
    """Each id's place in a name table's sorted order of names (its order file: int32 ids in
    the names' UTF-8 byte order, index_format.name_table.write)."""
    order = np.fromfile(order_file, dtype="<i4")
    pos = np.empty(order.size, dtype=np.int32)
    pos[order] = np.arange(order.size, dtype=np.int32)
    return pos


def complete(where: Path) -> bool:
    """Whether `where` holds the files (the day positions are written last; the alias pairs,
    added later, for one facet at least: the outlet's, which has no variants)."""
    return (where / DAY_POS).exists() and any(where.glob(f"{ALIASES}-*.npy"))


def read(where: Path, a: FacetArrays) -> WorkerMaps:
    """The files in `where` that fit the facet arrays `a`, mapped read-only."""
    out = WorkerMaps()
    path = where / DAY_POS
    if path.exists() and (pos := _load(path)).size == a.size:
        out.day_pos = pos
    for f, r in a.rows.items():
        path = where / f"{CANONICAL}-{f}.npy"
        if path.exists() and (ids := _load(path)).size == len(r.names):
            out.canonical[f] = ids
        path = where / f"{SINGLE}-{f}.npy"
        if path.exists() and (single := _load(path)).size == a.size:
            out.single[f] = single
        path = where / f"{NAME_POS}-{f}.npy"
        if path.exists() and (pos := _load(path)).size == len(r.names):
            out.name_pos[f] = pos
    return out


def _save(path: Path, array: np.ndarray) -> None:
    np.save(path, np.ascontiguousarray(array), allow_pickle=False)


def _load(path: Path) -> np.ndarray:
    return np.load(path, mmap_mode="r", allow_pickle=False).view(np.ndarray)
