"""When each article entered the index (index_format.schema.AddedColumn) as an array, for
`since=` and the feeds. An index written before the field knows no article's time: every
entry is 0, and `since=` then finds nothing (nothing is known to be new)."""

from __future__ import annotations

from datetime import UTC, datetime
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
    """A numeric column's values: its bytes read at once (big-endian int64, as Whoosh's
    NumericColumn("q") writes them), else one by one."""
    dbfile, base, count = (getattr(column, a, None) for a in ("_dbfile", "_basepos", "_count"))
    if dbfile is not None and base is not None and count is not None:
        raw = dbfile.get(base, count * 8)
        values = np.frombuffer(raw, dtype=">i8").astype(np.int64)
        full = np.full(len(column), UNKNOWN, dtype=np.int64)  # past `count`: the default
        full[: values.size] = values
        return full
    return np.fromiter((int(v or 0) for v in column), dtype=np.int64)


def epoch(moment: datetime) -> int:
    """A moment as UTC epoch seconds (a moment without a zone is read as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp())


def as_datetime(seconds: int | None) -> datetime | None:
    return datetime.fromtimestamp(seconds, UTC) if seconds else None


def newest_first(added: np.ndarray, day: np.ndarray, mask: np.ndarray, limit: int) -> list[int]:
    """The masked documents most recently added first (then the newest published, then the
    last written): what a feed lists."""
    docs = np.flatnonzero(mask)
    order = np.lexsort((-docs, -day[docs].astype(np.int64), -added[docs]))
    return docs[order[:limit]].tolist()
