"""When each article entered the index (index_format.schema.AddedColumn), read as an array
at build time into the generation's derived files (index_format.derived), or at open for an
index written before them. An index written before the field knows no article's time: every
entry is UNKNOWN, and `since=` then finds nothing (nothing is known to be new)."""

from __future__ import annotations

from typing import Any

import numpy as np

UNKNOWN = 0


def added_times(reader: Any, size: int) -> np.ndarray:
    """Each document's time in (UTC epoch seconds; UNKNOWN when not recorded)."""
    out = np.full(size, UNKNOWN, dtype=np.int64)
    if "added" not in reader.schema or not reader.has_column("added"):
        return out
    leaves = reader.leaf_readers() if not reader.is_atomic() else [(reader, 0)]
    for leaf, offset in leaves:
        if not leaf.has_column("added"):
            continue
        values = _column(leaf.column_reader("added"))
        n = min(values.size, size - offset)
        out[offset : offset + n] = values[:n]
    return out


def _column(column: Any) -> np.ndarray:
    """A numeric column's values: the array of a ZstdIntColumn (index_format.codec.intcol),
    else its bytes read at once (big-endian int64, as Whoosh's NumericColumn("q") writes
    them), else one by one."""
    raw = column.raw_column() if hasattr(column, "raw_column") else column
    if hasattr(raw, "array"):
        return np.array(raw.array(), dtype=np.int64)
    dbfile, base, count = (getattr(column, a, None) for a in ("_dbfile", "_basepos", "_count"))
    if dbfile is not None and base is not None and count is not None:
        raw = dbfile.get(base, count * 8)
        values = np.frombuffer(raw, dtype=">i8").astype(np.int64)
        full = np.full(len(column), UNKNOWN, dtype=np.int64)  # past `count`: the default
        full[: values.size] = values
        return full
    return np.fromiter((int(v or 0) for v in column), dtype=np.int64)
