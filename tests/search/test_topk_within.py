"""`_within` (a phrase's next word's places among those found so far) keeps exactly the values
both sorted arrays hold, merged or by binary search, whichever their sizes choose."""

from __future__ import annotations

import numpy as np
import pytest

from search import topk


@pytest.mark.parametrize("found_size", [0, 1, 5, 40, 400, 4000])
def test_within_is_the_intersection(found_size: int) -> None:
    rng = np.random.default_rng(found_size)
    for _ in range(20):
        pool = np.unique(rng.integers(0, 1 << 40, size=6000))
        keys = np.sort(rng.choice(pool, 3000, replace=False))
        found = np.sort(rng.choice(pool, min(found_size, pool.size), replace=False))
        got = topk._within(found, keys)
        assert got.tolist() == np.intersect1d(found, keys).tolist()
