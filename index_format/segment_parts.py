"""What each segment adds to a generation's derived files (index_format.derived), written once
beside the segment, so that publishing a generation costs what its new segments hold, not what
the archive holds.

A Whoosh segment never changes after it is written (a merge writes a new one; a deletion only
marks documents), so what is per document can be derived from the segment alone: its facets
column parsed (facet_arrays.Part), its field lengths, the words of its spelling field and the
runs of its entity names. The file `<segment id>.derived.npz` sits beside the segment's files:
an update's hard-linked copy of the generation (indexer.update.copy_generation) carries it
over, and it is removed with the segment (Whoosh removes every `<segment id>.*` file of a
segment a commit merged away; `write_missing` removes any left over). Deletions are applied
when the parts are combined, from the segment's deletion marks, so the combined arrays are
exactly what one pass over the whole index gives.
"""

from __future__ import annotations

import io
import os
import secrets
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import zstandard

from index_format import facet_arrays, facets, name_runs, spelling_arrays
from index_format.facet_arrays import Part
from index_format.field_lengths import of_segment
from index_format.schema import VALUE_SEP

SUFFIX = ".derived.npz"
# Bump when what a segment's file holds changes: files of another version are derived anew.
# 2: each member a zstd frame of its .npy in a plain zip (version 1: the zip deflated), the
# document numbers and the sorted name-run hashes as gaps, whole-number lengths as uint32,
# value ids in order of first occurrence with each first occurrence as 0 (_first_zero): the
# 220k realistic index's file 17.2 -> ~13.0 MB, written in ~1 s of CPU instead of deflate's
# ~2.9 s (issue 23). Files of version 1 read as before.
VERSION = 2
READS = (1, 2)
LEVEL = 9
# Members stored as the gaps between their values (restored by a cumulative sum in the same
# integer type, wrapping: exact for any values).
_GAPS = ("doc", "runs")
# Members stored by byte planes (every value's first byte, then every second byte...): their
# high bytes are mostly zero, which zstd then packs to nothing (the run hashes' gaps 3.36 ->
# 2.89 MB at 220k; value ids pack better as they are).
_PLANES = ("doc", "runs", "len", "spell_codes")


@dataclass
class SegmentParts:
    """One segment's share of the derived files, in the segment's own document numbers."""

    facets: Part
    lengths: dict[str, np.ndarray]  # scorable field → float64 per document
    spelling: spelling_arrays.Groups  # the words of the spelling field (all its documents)
    runs: np.ndarray  # name_runs.hashes of the runs of its entity names (all its documents)


def path_of(gen_dir: Path, segment_id: str) -> Path:
    return Path(gen_dir) / f"{segment_id}{SUFFIX}"


def derive(reader: Any) -> SegmentParts:
    """The parts of the segment an atomic `reader` reads."""
    part = facet_arrays.parse(reader)
    return SegmentParts(
        facets=part,
        lengths={f: of_segment(reader, f) for f in reader.schema.scorable_names()},
        spelling=spelling_arrays.derive(reader),
        runs=name_runs.hashes(name_runs.runs(entity_names(part, None))),
    )


def entity_names(part: Part, live: np.ndarray | None) -> Iterable[str]:
    """The entity names the part's live documents (None: all) name."""
    for f in facets.entity_names():
        if f in part.rows:
            _, _, order = facet_arrays.live_rows(part, f, live)
            names = part.rows[f][2]
            yield from (names[i] for i in order.tolist())


def write(path: Path, parts: SegmentParts) -> None:
    """Save `parts` as `path`, by a rename (a hard-linked file is never rewritten)."""
    arrays: dict[str, np.ndarray] = {
        "version": np.array([VERSION, parts.facets.size]),
        "day": parts.facets.day,
        "added": parts.facets.added,
        "runs": parts.runs,
    }
    keys = list(parts.facets.rows)
    arrays["keys"] = text_array(keys)
    for i, (doc, val, names) in enumerate(parts.facets.rows.values()):
        arrays[f"doc{i}"], arrays[f"val{i}"] = doc, val
        arrays[f"names{i}"] = text_array(names)
    fields = list(parts.lengths)
    arrays["fields"] = text_array(fields)
    for i, f in enumerate(fields):
        arrays[f"len{i}"] = parts.lengths[f]
    codes, table = spelling_arrays.flatten(parts.spelling)
    arrays["spell_codes"], arrays["spell_table"] = codes, table
    packer = zstandard.ZstdCompressor(level=LEVEL)
    members = {k: _packed(k, a, packer) if k != "version" else a for k, a in arrays.items()}
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.npz")
    try:
        np.savez(tmp, allow_pickle=False, **members)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _packed(key: str, array: np.ndarray, packer: zstandard.ZstdCompressor) -> np.ndarray:
    """A member as version 2 stores it: gaps (_GAPS), whole-number lengths as uint32, then
    the zstd frame of its .npy as uint8."""
    if key.startswith(_GAPS) and array.size:
        array = np.diff(array, prepend=np.zeros(1, dtype=array.dtype))
    elif key.startswith("val"):
        array = _first_zero(array)
    if key.startswith(_PLANES):
        array = _planes(array)
    elif key.startswith("len") and array.dtype == np.float64:
        whole = array.astype(np.uint32)
        if np.array_equal(whole, array):
            array = whole
    buf = io.BytesIO()
    np.save(buf, np.ascontiguousarray(array), allow_pickle=False)
    return np.frombuffer(packer.compress(buf.getbuffer()), dtype=np.uint8)


class _Members:
    """A saved file's members as arrays, whichever version wrote it."""

    def __init__(self, data: Any) -> None:
        self._data = data
        self.version, self.size = (int(x) for x in data["version"])
        if self.version not in READS:
            raise ValueError(f"segment parts of version {self.version}")
        self._unpack = zstandard.ZstdDecompressor().decompress

    def __getitem__(self, key: str) -> np.ndarray:
        array: np.ndarray = self._data[key]
        if self.version == 1:
            return array
        array = np.load(io.BytesIO(self._unpack(array.tobytes())), allow_pickle=False)
        if key.startswith(_PLANES):
            array = _unplaned(array)
        if key.startswith(_GAPS):
            return np.cumsum(array, dtype=array.dtype)
        if key.startswith("len"):
            return array.astype(np.float64)
        if key.startswith("val"):
            return _from_first_zero(array)
        return array


def _planes(array: np.ndarray) -> np.ndarray:
    """An array's bytes by planes, as an array of its dtype and shape (what np.save keeps)."""
    flat = np.ascontiguousarray(array).reshape(-1)
    as_bytes = flat.view(np.uint8).reshape(flat.size, flat.itemsize)
    planes = np.frombuffer(np.ascontiguousarray(as_bytes.T).tobytes(), dtype=flat.dtype)
    return planes.reshape(array.shape)


def _unplaned(saved: np.ndarray) -> np.ndarray:
    flat = np.ascontiguousarray(saved).reshape(-1)
    planes = flat.view(np.uint8).reshape(flat.itemsize, flat.size)
    return np.ascontiguousarray(planes.T).reshape(-1).view(flat.dtype).reshape(saved.shape)


def _first_zero(val: np.ndarray) -> np.ndarray:
    """Value ids (a facet's rows) as saved: [1, each id + 1, but 0 where it is one above every
    id before it], which zstd packs ~10% smaller (a new name's id is never a repeat), when that
    reads back exactly (ids numbered in order of first occurrence, as parse and join number
    them, always do); else [0, the ids]. Same dtype."""
    v = val.astype(np.int64)
    before = np.maximum.accumulate(np.r_[-1, v[:-1]]) if v.size else v
    coded = np.where(v == before + 1, 0, v + 1)
    first = v.size and int(v.max()) < np.iinfo(val.dtype).max
    if first and np.array_equal(_decoded(coded), v):
        return np.r_[1, coded].astype(val.dtype)
    return np.r_[0, v].astype(val.dtype)


def _decoded(coded: np.ndarray) -> np.ndarray:
    new = coded == 0
    return np.where(new, np.cumsum(new) - 1, coded - 1)


def _from_first_zero(saved: np.ndarray) -> np.ndarray:
    body = saved[1:]
    if int(saved[0]) == 0:
        return body
    return _decoded(body.astype(np.int64)).astype(saved.dtype)


def read(path: Path) -> SegmentParts | None:
    """The parts saved in `path`; None when there are none of a version this code reads, or
    damaged."""
    try:
        with open(path, "rb") as f, np.load(f, allow_pickle=False) as data:
            m = _Members(data)
            keys = texts_of(m["keys"])
            rows = {
                key: (m[f"doc{i}"], m[f"val{i}"], texts_of(m[f"names{i}"]))
                for i, key in enumerate(keys)
            }
            fields = texts_of(m["fields"])
            part = Part(m.size, m["day"], m["added"], rows)
            spelling = spelling_arrays.unflatten(m["spell_codes"], m["spell_table"])
            return SegmentParts(
                facets=part,
                lengths={f: m[f"len{i}"] for i, f in enumerate(fields)},
                spelling=spelling,
                runs=m["runs"],
            )
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile, zstandard.ZstdError):
        return None


def read_rows(
    path: Path, keys: list[str], size: int
) -> dict[str, tuple[np.ndarray, np.ndarray, list[str]]] | None:
    """The facets column's rows of `keys` saved in `path` for a segment of `size` documents
    (only those members: what index_format.carry takes from a segment's file); None as
    `read` gives it, or when the file is of another size."""
    try:
        with open(path, "rb") as f, np.load(f, allow_pickle=False) as data:
            m = _Members(data)
            if m.size != size:
                return None
            at = {key: i for i, key in enumerate(texts_of(m["keys"]))}
            return {
                key: (
                    m[f"doc{at[key]}"],
                    m[f"val{at[key]}"],
                    texts_of(m[f"names{at[key]}"]),
                )
                for key in keys
            }
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile, zstandard.ZstdError):
        return None


def text_array(names: list[str]) -> np.ndarray:
    """Names as one UTF-8 array: a value never holds VALUE_SEP (the facets column splits on
    it). The count comes first, so that no names and one empty name differ."""
    blob = f"{len(names)}{VALUE_SEP}{VALUE_SEP.join(names)}".encode()
    return np.frombuffer(blob, dtype=np.uint8)


def texts_of(array: np.ndarray) -> list[str]:
    count, _, rest = array.tobytes().decode("utf-8").partition(VALUE_SEP)
    return rest.split(VALUE_SEP) if int(count) else []


def collect(
    gen_dir: Path, reader: Any, *, skip: int = 0
) -> list[tuple[SegmentParts, np.ndarray | None]]:
    """Each segment's parts (read from its file, or derived and written when it has none) with
    its live documents (None: none deleted), in document order, but for the first `skip`
    segments (their files are kept; index_format.carry stands for them); files of segments no
    longer in the index are removed."""
    gen_dir = Path(gen_dir)
    leaves = reader.leaf_readers() if not reader.is_atomic() else [(reader, 0)]
    out = []
    current = set()
    for at, (leaf, _offset) in enumerate(leaves):
        path = path_of(gen_dir, leaf.segment().segment_id())
        current.add(path.name)
        if at < skip:
            continue
        parts = read(path) if path.exists() else None
        if parts is None or parts.facets.size != leaf.doc_count_all():
            parts = derive(leaf)
            write(path, parts)
        out.append((parts, facet_arrays.live_of(leaf)))
    for old in gen_dir.glob(f"*{SUFFIX}"):
        if old.name not in current:
            old.unlink(missing_ok=True)
    return out


def lengths(parts: list[tuple[SegmentParts, np.ndarray | None]], field: str) -> np.ndarray:
    """The lengths of `field` over the whole index (field_lengths.derive's array)."""
    return np.concatenate(
        [p.lengths.get(field, np.ones(p.facets.size)) for p, _ in parts] or [np.zeros(0)]
    )


def runs(parts: list[tuple[SegmentParts, np.ndarray | None]]) -> np.ndarray:
    """The hashed runs of the entity names of the live documents (name_runs.hashes)."""
    found = [
        p.runs if live is None else name_runs.hashes(name_runs.runs(entity_names(p.facets, live)))
        for p, live in parts
    ]
    return np.unique(np.concatenate(found)) if found else np.zeros(0, dtype=np.uint64)


def join(parts: list[SegmentParts]) -> SegmentParts | None:
    """The parts of one segment holding the documents of segments with `parts` (none of them
    deleted) one after the other, as `derive` gives them for it: documents moved past the
    parts before, value ids in order of first occurrence. None when the parts do not hold
    the same facets and fields (written by different versions)."""
    keys = list(parts[0].facets.rows)
    fields = list(parts[0].lengths)
    if any(list(p.facets.rows) != keys or list(p.lengths) != fields for p in parts):
        return None
    starts = np.cumsum([0] + [p.facets.size for p in parts])
    rows = {}
    for key in keys:
        # Every part's names in its order of first occurrence, one after the other: the
        # first occurrence of each gives its id in the joined part.
        ids: dict[str, int] = {}
        for p in parts:
            for name in p.facets.rows[key][2]:
                ids.setdefault(name, len(ids))
        docs, vals = [], []
        for p, start in zip(parts, starts.tolist(), strict=False):
            doc, val, names = p.facets.rows[key]
            docs.append((doc + start).astype(doc.dtype))
            to_new = np.array([ids[n] for n in names], dtype=val.dtype)
            vals.append(to_new[val] if val.size else val)
        rows[key] = (np.concatenate(docs), np.concatenate(vals), list(ids))
    return SegmentParts(
        facets=Part(
            int(starts[-1]),
            np.concatenate([p.facets.day for p in parts]),
            np.concatenate([p.facets.added for p in parts]),
            rows,
        ),
        lengths={f: np.concatenate([p.lengths[f] for p in parts]) for f in fields},
        spelling=spelling_arrays.merge([p.spelling for p in parts]),
        runs=np.unique(np.concatenate([p.runs for p in parts])),
    )


def joined_of(gen_dir: Path, readers: list[Any]) -> SegmentParts | None:
    """The parts of a segment merging the segments `readers` read (index_format.codec.merge),
    joined from theirs; None (the merged segment's parts are then derived from it when the
    generation is published) when one has deletions or no parts file."""
    if not readers or any(r.has_deletions() for r in readers):
        return None
    parts = []
    for r in readers:
        got = read(path_of(gen_dir, r.segment().segment_id()))
        if got is None or got.facets.size != r.doc_count_all():
            return None
        parts.append(got)
    return join(parts)
