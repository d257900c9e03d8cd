"""Times an article entered the index (index_format.added reads them), for `since=` and
the feeds."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np


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
