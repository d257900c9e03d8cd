"""combine(spend=True) (what a publish does: the segments' parts are not held beside their
combination) gives the Part combine gives, for one part, parts with deletions and parts that
share names, and leaves the parts' rows spent."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from index_format import facet_arrays, facets
from index_format.facet_arrays import VARIANTS, Part


def _part(docs: list[list[str]], seed: int) -> Part:
    """A part whose every document names the values of `docs` in each key."""
    rng = np.random.default_rng(seed)
    rows = {}
    for key in (*facets.names(), VARIANTS):
        ids: dict[str, int] = {}
        doc, val = [], []
        for d, names in enumerate(docs):
            for name in rng.permutation(names).tolist():
                doc.append(d)
                val.append(ids.setdefault(f"{key}:{name}", len(ids)))
        rows[key] = (np.array(doc, np.int32), np.array(val, np.int32), list(ids))
    size = len(docs)
    return Part(size, np.arange(size, dtype=np.int32), np.arange(size, dtype=np.int64), rows)


def _live(size: int, dead: list[int]) -> np.ndarray | None:
    if not dead:
        return None
    live = np.ones(size, dtype=bool)
    live[dead] = False
    return live


PARTS = [
    [(["a", "b"], ["b"], ["c", "a"], [])],
    [(["a", "b"], ["b"], ["c", "a"], []), (["c"], ["d", "a"], ["e"])],
    [(["a", "b"], ["b", "x"], ["c", "a"], ["z"]), (["c", "x"], ["d", "a"], ["e"])],
]
DEAD = [[[]], [[], [1]], [[1, 3], [0]]]


@pytest.mark.parametrize(("docs", "dead"), list(zip(PARTS, DEAD, strict=True)))
def test_spent_parts_combine_as_kept_ones(
    docs: list[tuple[list[str], ...]], dead: list[list[int]]
) -> None:
    parts = [
        (_part([list(d) for d in p], seed), _live(len(p), gone))
        for seed, (p, gone) in enumerate(zip(docs, dead, strict=True))
    ]
    kept, kept_live = facet_arrays.combine(copy.deepcopy(parts))
    spent, spent_live = facet_arrays.combine(parts, spend=True)
    assert np.array_equal(kept_live, spent_live) and spent.size == kept.size
    assert np.array_equal(spent.day, kept.day) and np.array_equal(spent.added, kept.added)
    assert list(spent.rows) == list(kept.rows)
    for key, (doc, val, names) in kept.rows.items():
        s_doc, s_val, s_names = spent.rows[key]
        assert s_doc.dtype == doc.dtype == s_val.dtype == val.dtype == np.int32
        assert np.array_equal(s_doc, doc) and np.array_equal(s_val, val) and s_names == names
        assert doc.size  # (every key has rows to combine)
    assert all(not part.rows[key][0].size for part, _ in parts for key in part.rows)
