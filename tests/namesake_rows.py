"""Per-document entity values as namesakes.Rows, for tests of the archive-wide joins."""

from __future__ import annotations

import numpy as np

from index_format.namesakes import Rows


def rows(per_doc: list[list[str]]) -> Rows:
    """Rows of `per_doc` (document d holds the values per_doc[d]), value ids in first-seen order."""
    names: dict[str, int] = {}
    doc, val = [], []
    for d, values in enumerate(per_doc):
        for v in values:
            doc.append(d)
            val.append(names.setdefault(v, len(names)))
    doc_a = np.array(doc, dtype=np.int32)
    start = np.searchsorted(doc_a, np.arange(len(per_doc) + 1)).astype(np.int64)
    return Rows(doc_a, np.array(val, dtype=np.int32), start, list(names))
