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
from pathlib import Path

import numpy as np
import zstandard

from index_format.facet_arrays import Part
from index_format.segment_parts import text_array, texts_of
from index_format.zst_files import load_array, save_array

INDEX = "carry.json"
SUFFIX = ".npy.zst"


def _narrow(counts: np.ndarray) -> np.ndarray:
    top = int(counts.max()) if counts.size else 0
    return counts.astype(np.uint8 if top < 1 << 8 else np.uint16 if top < 1 << 16 else np.uint32)


def write(where: Path, joined: Part) -> None:
    """Save the rows of `joined` (facet_arrays.combine's Part) in the directory `where`."""
    keys = list(joined.rows)
    for i, (doc, val, names) in enumerate(joined.rows.values()):
        counts = _narrow(np.bincount(doc, minlength=joined.size))
        save_array(where / f"carry-{i}-count{SUFFIX}", counts)
        save_array(where / f"carry-{i}-val{SUFFIX}", val)
        save_array(where / f"carry-{i}-names{SUFFIX}", text_array(names))
    (where / INDEX).write_text(
        json.dumps({"size": joined.size, "keys": keys}, ensure_ascii=False), encoding="utf-8"
    )


def read(where: Path, day: np.ndarray, added: np.ndarray) -> Part | None:
    """The Part saved in `where` (with the generation's `day` and `added` arrays); None when
    there is none or it does not fit them."""
    try:
        index = json.loads((where / INDEX).read_text(encoding="utf-8"))
        size = int(index["size"])
        if day.size != size or added.size != size:
            return None
        every = np.arange(size, dtype=np.int32)
        rows = {}
        for i, key in enumerate(index["keys"]):
            counts = load_array(where / f"carry-{i}-count{SUFFIX}")
            val = load_array(where / f"carry-{i}-val{SUFFIX}")
            names = texts_of(load_array(where / f"carry-{i}-names{SUFFIX}"))
            if counts.size != size or int(counts.sum()) != val.size:
                return None
            rows[key] = (np.repeat(every, counts), val.astype(np.int32), names)
        return Part(size, np.asarray(day), np.asarray(added), rows)
    except (OSError, ValueError, KeyError, zstandard.ZstdError):
        return None
