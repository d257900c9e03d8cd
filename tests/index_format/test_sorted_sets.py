"""sorted_sets gives np.unique's arrays (the derived files depend on them byte for byte)."""

from __future__ import annotations

import numpy as np
import pytest

from index_format import sorted_sets


@pytest.mark.parametrize("dtype", [np.int32, np.int64, np.uint64, np.bool_])
@pytest.mark.parametrize("size", [0, 1, 2, 50, 5000])
def test_distinct_is_numpys_unique(dtype: type, size: int) -> None:
    rng = np.random.default_rng(size)
    for high in (2, 40, 1 << 30):
        values = rng.integers(0, high, size=size).astype(dtype)
        got = sorted_sets.distinct(values)
        want = np.unique(values)
        assert got.dtype == want.dtype
        assert np.array_equal(got, want)


def test_distinct_of_strings_and_of_a_matrix() -> None:
    words = np.array(["budi", "ani", "budi", "", "Ani"])
    assert np.array_equal(sorted_sets.distinct(words), np.unique(words))
    matrix = np.array([[3, 1], [1, 2]])
    assert np.array_equal(sorted_sets.distinct(matrix), np.unique(matrix))


@pytest.mark.parametrize("seed", range(20))
def test_union_is_the_unique_of_both(seed: int) -> None:
    rng = np.random.default_rng(seed)
    known = np.unique(rng.integers(0, 300, size=int(rng.integers(0, 120)))).astype(np.uint64)
    more = rng.integers(0, 320, size=int(rng.integers(0, 40))).astype(np.uint64)
    got = sorted_sets.union(known, more)
    want = np.unique(np.concatenate([known, more]))
    assert got.dtype == want.dtype
    assert np.array_equal(got, want)
    assert sorted_sets.is_distinct(got)


def test_is_distinct_rejects_repeats_and_disorder() -> None:
    assert sorted_sets.is_distinct(np.array([1, 2, 5]))
    assert not sorted_sets.is_distinct(np.array([1, 2, 2]))
    assert not sorted_sets.is_distinct(np.array([2, 1]))
