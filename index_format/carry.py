"""What a generation's derived files carry to the next generation: the facets column's rows
of every segment combined (facet_arrays.combine), before the archive-wide merges.

An update that only appends segments (new articles: no old document replaced or deleted)
combines these rows with its new segments' parts instead of reading and joining every
segment's parts again, so its cost there grows with the new articles, not the archive. The
rows are those of live documents in one numbering, value ids in order of first occurrence,
which is what combining the old segments again would give; tests/test_derived_segments.py
holds the files of such an update equal to one pass over the whole index.

Saved beside the other derived files (index_format.derived), compressed (index_format.
zst_files: only an update reads them, and at 2.2M articles they took 210 MB, a fifth of the
derived files, uncompressed): each key's value ids, its rows per document (narrowest unsigned
type) and its names as one UTF-8 blob. The day, live, added arrays are the facet files'.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import zstandard

from index_format import segment_parts
from index_format.facet_arrays import Part
from index_format.segment_parts import text_array, texts_of
from index_format.zst_files import load_array, save_array

INDEX = "carry.json"
SUFFIX = ".npy.zst"


def _narrow(counts: np.ndarray) -> np.ndarray:
    top = int(counts.max()) if counts.size else 0
    return counts.astype(np.uint8 if top < 1 << 8 else np.uint16 if top < 1 << 16 else np.uint32)


@dataclass(frozen=True)
class Base:
    """The generation's first segment when it has no deletions: the carry's rows begin with
    exactly its part's (index_format.segment_parts: combining keeps the first part's document
    numbers and value ids), so only the rows after it are saved, and reading takes the rest
    from the segment's file. After `telusur optimize` that is every row but an update's."""

    segment_id: str
    size: int  # its documents


def write(where: Path, joined: Part, base: Base | None = None) -> None:
    """Save the rows of `joined` (facet_arrays.combine's Part) in the directory `where`: with
    `base`, only the rows of the documents after it, value ids after its own."""
    keys = list(joined.rows)
    start = base.size if base is not None else 0
    index: dict[str, Any] = {"size": joined.size, "keys": keys}
    if base is not None:
        index["base"] = {"segment": base.segment_id, "size": base.size, "rows": [], "names": []}
    for i, (doc, val, names) in enumerate(joined.rows.values()):
        first = int(np.searchsorted(doc, start))  # the base's rows come first
        known = int(val[:first].max()) + 1 if first else 0  # and name the first ids
        if base is not None:
            index["base"]["rows"].append(first)
            index["base"]["names"].append(known)
        counts = _narrow(np.bincount(doc[first:] - start, minlength=joined.size - start))
        save_array(where / f"carry-{i}-count{SUFFIX}", counts)
        save_array(where / f"carry-{i}-val{SUFFIX}", val[first:])
        save_array(where / f"carry-{i}-names{SUFFIX}", text_array(names[known:]))
    (where / INDEX).write_text(json.dumps(index, ensure_ascii=False), encoding="utf-8")


def read(where: Path, day: np.ndarray, added: np.ndarray) -> Part | None:
    """The Part saved in `where` (a generation's derived directory, with its `day` and `added`
    arrays); None when there is none or it does not fit them."""
    try:
        index = json.loads((where / INDEX).read_text(encoding="utf-8"))
        size = int(index["size"])
        if day.size != size or added.size != size:
            return None
        base = index.get("base")
        start = int(base["size"]) if base else 0
        head = _base_rows(where.parent, base, index["keys"]) if base else None
        every = np.arange(start, size, dtype=np.int32)
        rows = {}
        for i, key in enumerate(index["keys"]):
            counts = load_array(where / f"carry-{i}-count{SUFFIX}")
            val = load_array(where / f"carry-{i}-val{SUFFIX}").astype(np.int32)
            names = texts_of(load_array(where / f"carry-{i}-names{SUFFIX}"))
            if counts.size != size - start or int(counts.sum()) != val.size:
                return None
            doc = np.repeat(every, counts)
            if head is not None:
                doc = np.concatenate([head[key][0], doc])
                val = np.concatenate([head[key][1], val])
                names = head[key][2] + names
            rows[key] = (doc, val, names)
        return Part(size, np.asarray(day), np.asarray(added), rows)
    except (OSError, ValueError, KeyError, TypeError, zstandard.ZstdError):
        return None


def _base_rows(
    gen_dir: Path, base: dict[str, Any], keys: list[str]
) -> dict[str, tuple[np.ndarray, np.ndarray, list[str]]]:
    """The rows `write` left to the base segment's file, checked against what it recorded."""
    path = segment_parts.path_of(gen_dir, base["segment"])
    got = segment_parts.read_rows(path, keys, int(base["size"]))
    if got is None:
        raise ValueError(f"no rows in {path}")
    for key, rows, names in zip(keys, base["rows"], base["names"], strict=True):
        doc, val, table = got[key]
        if doc.size != rows or len(table) != names or (doc.size and int(doc[-1]) >= base["size"]):
            raise ValueError(f"{path} does not hold the carry's first rows of {key}")
        # (no copy of rows already int32: the file's arrays are this read's own)
        got[key] = (doc.astype(np.int32, copy=False), val.astype(np.int32, copy=False), table)
    return got
