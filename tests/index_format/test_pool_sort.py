"""The build pool groups a segment's tokens by term with its own stable sort: the same order
as numpy's stable argsort, whatever the number of terms."""

from __future__ import annotations

import numpy as np
import pytest

from index_format.pool import stable_argsort


@pytest.mark.parametrize("bound", [1, 7, 1 << 16, (1 << 16) + 1, 300_000, 1 << 32])
def test_same_order_as_numpy(bound: int) -> None:
    rng = np.random.default_rng(bound % 1000)
    # Few distinct keys repeated many times (ties decide stability), and the bound's edges.
    keys = rng.integers(0, bound, 5_000, dtype=np.int64)
    keys = np.concatenate([keys, keys[:2_000], [0, bound - 1, bound - 1, 0]])
    keys = keys.astype(np.int32 if bound <= 1 << 31 else np.int64)
    assert np.array_equal(stable_argsort(keys, bound), np.argsort(keys, kind="stable"))


def test_empty() -> None:
    assert stable_argsort(np.zeros(0, dtype=np.int32), 0).size == 0
