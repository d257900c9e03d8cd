"""Each document's field length as Whoosh's BM25F scorer sees it (byte-quantised), for the
numpy scorer (search.topk). Derived once when a generation is published (index_format.derived,
per segment: index_format.segment_parts) or, for an index without it, when a search first
needs a field's lengths: every scorable field (title and body, and `exact`, which names and
phrases score on)."""

from __future__ import annotations

from typing import Any

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.util.numeric import byte_to_length

_BYTE_TO_LENGTH = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)


def derive(searcher: Any, fieldname: str) -> np.ndarray:
    """The lengths of `fieldname` for every document of `searcher` (deleted ones included)."""
    got = np.ones(searcher.doc_count_all(), dtype=np.float64)  # doc_field_length's default
    for sub, offset in searcher.leaf_searchers():
        lengths = of_segment(sub.reader(), fieldname)
        got[offset : offset + lengths.size] = lengths
    return got


def of_segment(reader: Any, fieldname: str) -> np.ndarray:
    """The lengths of `fieldname` for every document of one segment's `reader`."""
    n = reader.doc_count_all()
    col = reader._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
    if col is None:
        return np.ones(n, dtype=np.float64)  # doc_field_length's default
    raw = np.fromiter(col, dtype=np.uint8, count=n)
    return _BYTE_TO_LENGTH[raw]
