"""What a search worker needs to open a generation, written once when the generation is
published, so that every worker maps the same files instead of computing them at open.

`write(gen_dir)` (called by index_format.generations.new_generation for rebuild, update-index
and delete alike) writes them into gen_dir/derived/; `read(gen_dir, ix)` maps them read-only
(numpy mmap: the workers share one copy through the page cache) or returns None when they are
missing or were written for another state of the index (an index written before they existed,
another format version): the caller then derives them at open, as before.

They are combined from each segment's parts (index_format.segment_parts, files beside the
segments that an update's copy of the generation links): a publish derives only the segments
that are new, applies deletions as a mask and recomputes what spans the archive (value ids,
the entity merges, the short-name joins). An update that only adds articles does less: the
previous generation's files (index_format.carry, the facets column's rows combined before the
merges, and the lengths, name runs and spelling words) stand for its segments, so only the
update's own segments' parts are read. `from_whole` derives them in one pass over the whole
index instead; all give the same files, byte for byte (tests/test_derived_segments.py).

The derived/ directory is not copied into an update's new generation (indexer.update.
copy_generation copies files only): each generation writes its own.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import zstandard

from index_format import (
    carry,
    facet_arrays,
    facets,
    field_lengths,
    name_runs,
    name_table,
    namesake_changes,
    segment_parts,
    side_work,
    sorted_sets,
    spelling_arrays,
    spelling_changes,
    value_major,
    worker_maps,
    written_changes,
)
from index_format.facet_arrays import CountedRows, FacetArrays, FacetRows, Part
from index_format.name_runs import NameRuns
from index_format.name_table import NameIds, NameTable
from index_format.zst_files import dump_json, load_json

DERIVED = "derived"
LAZY = ".json.zst"  # the facets' JSON (index_format.zst_files)
MANIFEST = "manifest.json"
# Bump when what is derived changes (merge rules, layouts): older files are then ignored.
# 13: the entity facets' rows by value (index_format.value_major). 14: smaller (1.43× raw text
# at 2.2M articles, issue 23): an entity facet's row count per document instead of its rows'
# documents, starts, lengths and times in the narrowest type that holds them, the carry and the
# JSON read on first use compressed (index_format.zst_files), the carry without the rows of a
# first segment that has no deletions (index_format.carry.Base).
# Also in 14: short-name joins over live articles only, and their state for the next update
# (index_format.namesake_changes).
# (Not a bump: the person spelling groups' state, index_format.spelling_changes, and the
# written-out merges' state, index_format.written_changes, files a generation without them
# simply lacks: its next update computes those merges in full.)
# 15: an acronym the articles spell out as one body takes no company its initials also spell
# (UI / "PT Unilever Indonesia Tbk", index_format.entity_merge.company_merges).
# 16: a company's Indonesian arm is the company where the archive names the company three
# times as often ("Grab Indonesia" / Grab, index_format.name_forms._business_groups).
# 17: an organisation value the whole archive shows is no organisation (another facet's
# name 3x as often, a numbered model line) leaves that facet (index_format.value_types).
FORMAT = 17
_V = TypeVar("_V")
_S = TypeVar("_S")


@dataclass
class Derived:
    """The parts found; each None (or missing) when it must be derived at open."""

    facets: FacetArrays | None
    spelling: spelling_arrays.Groups | None
    lengths: dict[str, np.ndarray]  # field → lengths (index_format.field_lengths)
    names: NameRuns | None
    by_value: dict[str, value_major.ValueMajor] = field(default_factory=dict)


def state_key(ix: Any) -> dict[str, Any]:
    """What the files were derived from: the index's TOC generation and its segments with
    their deletions (any write changes one of them)."""
    return {
        "format": FORMAT,
        "generation": int(ix.latest_generation()),
        "segments": [[s.segment_id(), int(s.deleted_count())] for s in ix._segments()],
    }


@dataclass
class Computed:
    """What `write` saves: each part as one pass over the whole index gives it."""

    facets: FacetArrays
    spelling: spelling_arrays.Groups
    lengths: dict[str, np.ndarray]
    runs: np.ndarray  # name_runs.hashes of the runs of the entity names
    # The facets column's live rows before the merges (index_format.carry); None (and the
    # spelling, lengths and runs empty) when from_segments wrote them already.
    joined: Part | None


@dataclass
class _Before:
    """What the previous generation's files hold for the segments it shares with this one."""

    segments: int  # this generation's first `segments` segments, unchanged
    facets: Part
    live: np.ndarray
    spelling: spelling_arrays.Groups
    lengths: dict[str, np.ndarray]
    runs: np.ndarray


def _segments(reader: Any) -> list[list[Any]]:
    """The reader's segments with their deletions, as `state_key` lists them."""
    leaves = reader.leaf_readers() if not reader.is_atomic() else [(reader, 0)]
    return [
        [leaf.segment().segment_id(), int(leaf.segment().deleted_count())] for leaf, _ in leaves
    ]


def _before(previous: Path, reader: Any, fields: list[str]) -> _Before | None:
    """The previous generation's files, when its segments, with the same deletions, are the
    first of `reader`'s (an update that only added articles); else None."""
    where = Path(previous) / DERIVED
    try:
        manifest = json.loads((where / MANIFEST).read_text(encoding="utf-8"))
        if manifest.get("format") != FORMAT:
            return None
        segments = _segments(reader)
        shared = manifest["segments"]
        if not shared or segments[: len(shared)] != shared:
            return None
        day, live = _load(where / "facets-day.npy"), _load(where / "facets-live.npy")
        part = carry.read(where, day, _load(where / "facets-added.npy"))
        spelling = _read_spelling(where)
        lengths = {f: _load(where / f"lengths-{f}.npy") for f in fields}
        if part is None or spelling is None or live.size != part.size:
            return None
        if any(array.size != part.size for array in lengths.values()):
            return None
        runs = _load(where / "names.npy")
        return _Before(len(shared), part, np.asarray(live), spelling, lengths, runs)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def from_segments(
    gen_dir: Path,
    searcher: Any,
    previous: Path | None = None,
    into: Path | None = None,
    side: side_work.Side | None = None,
) -> Computed:
    """The files' contents combined from each segment's parts (index_format.segment_parts):
    only segments new since the last generation are derived; what spans the archive (value
    ids, entity merges, joins) is recomputed from them. When `previous` (the generation this
    one was copied from) holds the same segments with the same deletions, followed by new
    ones, its files stand for its segments and only the new segments' parts are read.
    With `into` (the directory the files are written to), what does not enter the merges
    (the spelling words, lengths, name runs and the carry) is written there as soon as it
    is made, and not held through the merges: the Computed returned has them empty; with
    `side` too, the carry is written by a forked child while the merges run."""
    with facet_arrays.paused_gc():
        return _from_segments(gen_dir, searcher, previous, into, side)


def _from_segments(
    gen_dir: Path,
    searcher: Any,
    previous: Path | None,
    into: Path | None = None,
    side: side_work.Side | None = None,
) -> Computed:
    fields = list(searcher.schema.scorable_names())
    reader = searcher.reader()
    before = _before(previous, reader, fields) if previous is not None else None
    parts = segment_parts.collect(gen_dir, reader, skip=before.segments if before else 0)
    facet_parts = [(p.facets, live) for p, live in parts]
    spelling = [p.spelling for p, _ in parts]
    # (narrowed as written: float64 lengths are 8 bytes an article per field until then)
    lengths = {f: narrow_lengths(segment_parts.lengths(parts, f)) for f in fields}
    runs = segment_parts.runs(parts)
    del parts  # (the facet rows are spent by combine below, the rest is taken)
    if before is not None:  # its rows are live rows with ids in order: a part with live None
        facet_parts.insert(0, (before.facets, None))
        spelling.insert(0, before.spelling)
        lengths = {
            f: narrow_lengths(np.concatenate([before.lengths[f], lengths[f]])) for f in fields
        }
        # (the last generation's runs are sorted and distinct: the update's merged in)
        known = before.runs
        runs = (
            sorted_sets.union(known, runs)
            if sorted_sets.is_distinct(known)
            else sorted_sets.distinct(np.concatenate([known, runs]))
        )
    spelled_words = spelling_arrays.merge(spelling)
    del spelling
    if into is not None:
        _write_words(into, runs, spelled_words, lengths)
        runs, spelled_words, lengths = _NO_RUNS, {}, {}
    joined, live = facet_arrays.combine(facet_parts, spend=True)
    del facet_parts
    if before is not None:
        live[: before.live.size] = before.live
    if into is not None and side is not None:  # (the child's copy: the merges spend joined)
        side.run(carry.write, into, joined, _carry_base(gen_dir, reader))
    elif into is not None:
        carry.write(into, joined, _carry_base(gen_dir, reader))
    prior = _join_prior(previous, reader) if previous is not None else None
    spelled = _spelling_prior(previous) if previous is not None else None
    # (The written-out merges' state passed on, not held here: freed once used.)
    arrays = facet_arrays.from_combined(
        joined,
        live,
        prior,
        spelled,
        None if previous is None else _written_prior(previous),
        None if previous is None else _name_tables(previous),
        spend=into is not None,
        side=side,
    )
    return Computed(
        facets=arrays,
        spelling=spelled_words,
        lengths=lengths,
        runs=runs,
        joined=joined if into is None else None,
    )


_NO_RUNS = np.zeros(0, dtype=np.uint64)


def _write_words(
    where: Path, runs: np.ndarray, spelling: spelling_arrays.Groups, lengths: dict[str, np.ndarray]
) -> None:
    """The name runs, the spelling words and the field lengths, in `where`."""
    _save(where / "names.npy", runs)
    flat, table = spelling_arrays.flatten(spelling)
    _save(where / "spelling-codes.npy", flat)
    _save(where / "spelling-groups.npy", table)
    for fieldname, field_lengths_ in lengths.items():
        _save(where / f"lengths-{fieldname}.npy", narrow_lengths(field_lengths_))


def _name_tables(previous: Path) -> dict[str, Path]:
    """The previous generation's entity name tables (index_format.name_table), when its files
    are of this FORMAT: their order stands for its names (facet_arrays sorts by it)."""
    where = Path(previous) / DERIVED
    try:
        manifest = json.loads((where / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if manifest.get("format") != FORMAT:
        return {}
    return {f: where / f"facets-{f}" for f in facets.entity_names()}


def _join_prior(previous: Path, reader: Any) -> namesake_changes.State | None:
    """What the previous generation's joins left, when its segments are the first of
    `reader`'s (their deletions may have grown: document numbers hold); else None."""
    where = Path(previous) / DERIVED
    try:
        manifest = json.loads((where / MANIFEST).read_text(encoding="utf-8"))
        shared = [s for s, _ in manifest["segments"]]
        if (
            manifest.get("format") != FORMAT
            or [s for s, _ in _segments(reader)][: len(shared)] != shared
        ):
            return None
        extra = load_json(where / f"facets{LAZY}")
        merged = load_json(where / f"facets-merged{LAZY}")
        keys = ("person", *(f for f in facets.entity_names() if f != "person"))
        if not all(f in extra["facets"] for f in keys):
            return None
        return namesake_changes.load(
            where,
            size=int(extra["size"]),
            live=np.asarray(_load(where / "facets-live.npy")),
            names={f: NameTable(where / f"facets-{f}") for f in keys},  # (not decoded)
            merged={f: merged.get(f, {}) for f in keys},
            rows={
                f: (
                    facet_arrays.docs_of_counts(np.diff(_load(where / f"facets-{f}-start.npy"))),
                    _load(where / f"facets-{f}-val.npy"),
                )
                for f in keys
            },
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _spelling_prior(previous: Path) -> facet_arrays.SpellingPrior | None:
    """The person spelling groups the previous generation left (index_format.
    spelling_changes, which checks its names against this one's), with its person names."""
    return _person_prior(previous, spelling_changes.load)


def _written_prior(previous: Path) -> facet_arrays.WrittenPrior | None:
    """The person written-out merges the previous generation left (index_format.
    written_changes, which checks its names against this one's), with its person names."""
    return _person_prior(previous, written_changes.load)


def _person_prior(previous: Path, load: Callable[[Path], _S | None]) -> tuple[_S, NameTable] | None:
    """The state `load` reads from the previous generation's derived files, with its person
    names; None when it has none or another FORMAT wrote them."""
    where = Path(previous) / DERIVED
    try:
        manifest = json.loads((where / MANIFEST).read_text(encoding="utf-8"))
        if manifest.get("format") != FORMAT:
            return None
        state = load(where)
        return None if state is None else (state, NameTable(where / "facets-person"))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def from_whole(searcher: Any) -> Computed:
    """The files' contents derived in one pass over the whole index (as a worker does at
    open for a generation without them)."""
    reader = searcher.reader()
    joined, live = facet_arrays.combine(
        [(facet_arrays.parse(reader), facet_arrays.live_of(reader))]
    )
    arrays = facet_arrays.from_combined(joined, live)
    names = (
        name for f in facets.entity_names() if f in arrays.rows for name in arrays.rows[f].names
    )
    return Computed(
        facets=arrays,
        spelling=spelling_arrays.derive(reader),
        lengths={f: field_lengths.derive(searcher, f) for f in searcher.schema.scorable_names()},
        runs=name_runs.hashes(name_runs.runs(names)),
        joined=joined,
    )


def write(
    gen_dir: Path,
    compute: Callable[[Path, Any], Computed] | None = None,
    *,
    previous: Path | None = None,
) -> None:
    """Derive and write the files of the index in `gen_dir` (replacing any there): by
    `compute`, else from the segments' parts and the files of the `previous` generation."""
    from index_format.generations import open_index

    gen_dir = Path(gen_dir)
    ix = open_index(gen_dir)
    try:
        with ix.searcher() as searcher:
            tmp = gen_dir / f".{DERIVED}-{secrets.token_hex(4)}"
            tmp.mkdir()
            try:
                # The second core (index_format.side_work): the carry is written during the
                # merges, the rows by value and the facets' JSON tables beside the facet
                # arrays and worker maps.
                with side_work.Side() as side:
                    if compute is None:
                        got = from_segments(gen_dir, searcher, previous, into=tmp, side=side)
                    else:
                        got = compute(gen_dir, searcher)
                    if got.joined is not None:  # (else from_segments wrote these)
                        carry.write(tmp, got.joined, _carry_base(gen_dir, searcher.reader()))
                        _write_words(tmp, got.runs, got.spelling, got.lengths)
                    side.run(value_major.write, tmp, _entity_rows(got.facets))
                    _write_facets(tmp, got.facets, previous, side)
                    worker_maps.write(tmp, got.facets)
                (tmp / MANIFEST).write_text(json.dumps(state_key(ix)), encoding="utf-8")
                target = gen_dir / DERIVED
                if target.exists():
                    shutil.rmtree(target)
                os.rename(tmp, target)
            except BaseException:
                shutil.rmtree(tmp, ignore_errors=True)
                raise
    finally:
        ix.close()


def _carry_base(gen_dir: Path, reader: Any) -> carry.Base | None:
    """The first segment, when the carry can leave its rows to the segment's file (it has no
    deletions and the file is there)."""
    leaves = reader.leaf_readers() if not reader.is_atomic() else [(reader, 0)]
    if not leaves or leaves[0][0].has_deletions():
        return None
    first = leaves[0][0]
    segment_id = first.segment().segment_id()
    if not segment_parts.path_of(gen_dir, segment_id).exists():
        return None
    return carry.Base(segment_id, first.doc_count_all())


def current(gen_dir: Path | str, ix: Any) -> bool:
    """Whether generation `gen_dir` (whose open index is `ix`) has files for its state written
    in this code's FORMAT (else each worker derives them in its own memory at open)."""
    try:
        manifest = json.loads((Path(gen_dir) / DERIVED / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    where = Path(gen_dir) / DERIVED  # (and the files an older Telusur did not write)
    current = bool(manifest == state_key(ix))
    return current and value_major.complete(where) and worker_maps.complete(where)


def read(gen_dir: Path | str, ix: Any) -> Derived | None:
    """The files of generation `gen_dir` (whose open index is `ix`), mapped read-only; None
    when there are none for this state of the index."""
    where = Path(gen_dir) / DERIVED
    try:
        manifest = json.loads((where / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if manifest != state_key(ix):
        return None
    try:
        return Derived(
            facets=_read_facets(where),
            spelling=_read_spelling(where),
            lengths={
                path.name[len("lengths-") : -len(".npy")]: _load(path)
                for path in where.glob("lengths-*.npy")
            },
            names=NameRuns(_load(where / "names.npy")) if (where / "names.npy").exists() else None,
            by_value={f: vm for f in facets.entity_names() if (vm := value_major.read(where, f))},
        )
    except (OSError, ValueError, KeyError, zstandard.ZstdError):
        return None


def _read_spelling(where: Path) -> spelling_arrays.Groups | None:
    if not (where / "spelling-groups.npy").exists():
        return None
    flat = _load(where / "spelling-codes.npy")
    return spelling_arrays.unflatten(flat, np.load(where / "spelling-groups.npy"))


# -- facets -----------------------------------------------------------------------------------


def _save(path: Path, array: np.ndarray) -> None:
    np.save(path, np.ascontiguousarray(array), allow_pickle=False)


def _load(path: Path) -> np.ndarray:
    """The array in `path`, mapped read-only: an ndarray over the map (a np.memmap's slices
    are memmaps too, several times slower to make)."""
    return np.load(path, mmap_mode="r", allow_pickle=False).view(np.ndarray)


def narrow_lengths(lengths: np.ndarray) -> np.ndarray:
    """Field lengths (byte-quantised: whole numbers up to 106,374) as uint8, uint16 or uint32
    when they fit (an eighth or a quarter of float64's bytes): numpy scores them as the same
    float64."""
    if not lengths.size:
        return lengths
    for kind in (np.uint8, np.uint16, np.uint32):
        if lengths.min() >= 0 and lengths.max() <= np.iinfo(kind).max:
            narrow = lengths.astype(kind)
            if np.array_equal(narrow, lengths):
                return narrow
    return lengths


def narrow_times(added: np.ndarray) -> np.ndarray:
    """When documents were added (epoch seconds, index_format.added) as int32 while they fit
    (until 2038): half the bytes, the same comparisons and order."""
    fits = not added.size or (
        int(added.min()) >= np.iinfo(np.int32).min and int(added.max()) <= np.iinfo(np.int32).max
    )
    return added.astype(np.int32) if fits else added


def narrow_values(val: np.ndarray, values: int) -> np.ndarray:
    """A facet's value ids as uint8 or uint16 when its `values` fit (the outlet's)."""
    return val.astype(np.min_scalar_type(values)) if values <= 1 << 16 else val


def _write_facets(
    where: Path, a: FacetArrays, previous: Path | None = None, side: side_work.Side | None = None
) -> None:
    """The facet files: the arrays and name tables here, their JSON tables and the merges'
    states by a forked child when there is a `side` (index_format.side_work)."""
    with facet_arrays.paused_gc():  # (see there: dicts and JSON of every name)
        if side is not None:
            side.run(_write_facet_tables, where, a)
        else:
            _write_facet_tables(where, a)
        _write_facet_files(where, a, previous)


def _write_facet_files(where: Path, a: FacetArrays, previous: Path | None = None) -> None:
    """The facet arrays and name tables; the name tables keep the byte order of `previous`
    (the last generation's directory) for the names it already held."""
    _save(where / "facets-day.npy", a.day)
    _save(where / "facets-live.npy", a.live)
    _save(where / "facets-days.npy", a.days)
    _save(where / "facets-added.npy", narrow_times(a.added))
    for f, r in a.rows.items():
        if f in facets.entity_names():
            _save(where / f"facets-{f}-val.npy", r.val)
        else:  # (the outlet: a filter gathers the documents of its rows; a byte a value)
            _save(where / f"facets-{f}-doc.npy", r.doc)
            _save(where / f"facets-{f}-val.npy", narrow_values(r.val, len(r.names)))
        _save(where / f"facets-{f}-start.npy", facet_arrays.narrow_starts(a.starts[f]))
        before = None if previous is None else Path(previous) / DERIVED / f"facets-{f}"
        name_table.write(where / f"facets-{f}", list(r.names), before)


def _write_facet_tables(where: Path, a: FacetArrays) -> None:
    """The facets' JSON tables (compressed, read on first use) and the merges' states for
    the next generation."""
    extra: dict[str, Any] = {
        "size": a.size,
        "joined": a.joined,
        "facets": list(a.rows),
        "counts": {f: len(r.names) for f, r in a.rows.items()},
        # The names that answer for another value's id (merged variants).
        "aliases": {f: name_table.variants(r.names, r.ids) for f, r in a.rows.items()},
    }
    dump_json(where / f"facets{LAZY}", extra)  # (5 MB of JSON at 2.2M, 1.3 compressed)
    # Read on first use only (filters by a merged name, pinned values, the bench's guard):
    # compressed, 90 MB of JSON at 2.2M articles.
    dump_json(where / f"facets-merged{LAZY}", a.merged)
    dump_json(where / f"facets-held{LAZY}", {f: sorted(names) for f, names in a.held.items()})
    per_doc = {
        f: [[d, name, to] for (d, name), to in rows.items()] for f, rows in a.per_doc.items()
    }
    dump_json(where / f"facets-per-doc{LAZY}", per_doc)
    dump_json(where / f"facets-variants{LAZY}", a.variant_names)
    dump_json(where / f"facets-written{LAZY}", a.written)
    if a.join_state is not None:
        namesake_changes.save(where, a.join_state)
    if a.spelling_state is not None:
        spelling_changes.save(where, a.spelling_state)
    if a.written_state is not None:
        written_changes.save(where, a.written_state)


def _entity_rows(a: FacetArrays) -> Iterator[tuple[str, np.ndarray, np.ndarray, int]]:
    for f, r in a.rows.items():
        if f in facets.entity_names():
            yield f, r.doc, r.val, len(r.names)


class _Lazy(Mapping[str, _V]):
    """A JSON file's mapping, read when first asked (`convert` turns each value)."""

    def __init__(self, path: Path, convert: Callable[[Any], _V]) -> None:
        self._path = path
        self._convert = convert
        self._data: dict[str, _V] | None = None

    def _get(self) -> dict[str, _V]:
        if self._data is None:
            raw = load_json(self._path)
            self._data = {k: self._convert(v) for k, v in raw.items()}
        return self._data

    def __getitem__(self, key: str) -> _V:
        return self._get()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._get())

    def __len__(self) -> int:
        return len(self._get())


def _read_facets(where: Path) -> FacetArrays | None:
    if not (where / f"facets{LAZY}").exists():
        return None
    extra = load_json(where / f"facets{LAZY}")
    rows: dict[str, FacetRows] = {}
    starts: dict[str, np.ndarray] = {}
    for f in extra["facets"]:
        names = NameTable(where / f"facets-{f}")
        if len(names) != extra["counts"][f]:
            return None
        ids = worker_maps.name_ids(where, f, names) or NameIds(names, extra["aliases"][f])
        val = _load(where / f"facets-{f}-val.npy")
        starts[f] = _load(where / f"facets-{f}-start.npy")
        if (where / f"facets-{f}-doc.npy").exists():
            rows[f] = FacetRows(_load(where / f"facets-{f}-doc.npy"), val, names, ids)
        else:  # an entity facet's
            rows[f] = CountedRows(starts[f], val, names, ids)
    return FacetArrays(
        size=int(extra["size"]),
        day=_load(where / "facets-day.npy"),
        live=_load(where / "facets-live.npy"),
        days=_load(where / "facets-days.npy"),
        added=_load(where / "facets-added.npy"),
        rows=rows,
        starts=starts,
        merged=_Lazy(where / f"facets-merged{LAZY}", dict),
        held=_Lazy(where / f"facets-held{LAZY}", set),
        per_doc=_Lazy(
            where / f"facets-per-doc{LAZY}", lambda rows: {(int(d), n): to for d, n, to in rows}
        ),
        variant_names=_Lazy(where / f"facets-variants{LAZY}", dict),
        written=_Lazy(where / f"facets-written{LAZY}", dict),
        joined=int(extra["joined"]),
    )
