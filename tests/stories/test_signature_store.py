"""The story table keeps its signatures packed (index_format.stories.Signatures): every row
must read back as written, across blocks, after replacements, removals and grouping, and the
pairs found one band at a time must be the pairs of all bands at once."""

from __future__ import annotations

import numpy as np
import pytest

from index_format import stories, story_changes
from index_format.stories import NUM_PERM, SIG_DTYPE, Signatures, StoryTable


def _sigs(n: int, seed: int = 1) -> np.ndarray:
    return (
        np.random.default_rng(seed)
        .integers(0, 256, (n, NUM_PERM), dtype=np.uint16)
        .astype(SIG_DTYPE)
    )


@pytest.fixture
def small_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Signatures, "BLOCK", 3)  # rows cross several blocks


@pytest.mark.usefixtures("small_blocks")
def test_rows_read_back_across_blocks_after_writes_and_stacking() -> None:
    rows = _sigs(11)
    store = Signatures()
    for row in rows[:7]:
        store.append(row)
    assert np.array_equal(store.stacked(), rows[:7])
    for row in rows[7:]:  # after stacking, new rows go to blocks again
        store.append(row)
    store[2], store[9] = rows[0], rows[1]
    expected = rows.copy()
    expected[2], expected[9] = rows[0], rows[1]
    assert len(store) == 11
    assert np.array_equal(np.stack(list(store)), expected)
    assert np.array_equal(store[-1], expected[-1])
    assert np.array_equal(store.stacked(), expected)
    assert np.array_equal(store.take([9, 0, 4]).stacked(), expected[[9, 0, 4]])
    with pytest.raises(IndexError):
        store[11]


@pytest.mark.usefixtures("small_blocks")
def test_a_row_read_keeps_its_value_when_written_over() -> None:
    rows = _sigs(5)
    store = Signatures(rows[:4])
    old = store[1]
    store[1] = rows[4]
    assert np.array_equal(old, rows[1]) and np.array_equal(store[1], rows[4])


@pytest.mark.usefixtures("small_blocks")
def test_table_replace_and_remove_keep_each_articles_signature() -> None:
    rows = _sigs(8)
    table = StoryTable()
    for i, row in enumerate(rows):
        table.add(f"d{i}", i, row)
    table.cluster()
    table.add("d3", 3, rows[0])
    table.remove(["d1", "d6"])
    want = {f"d{i}": rows[i] for i in range(8) if i not in (1, 6)} | {"d3": rows[0]}
    got = dict(zip(table.ids, table.sigs, strict=True))
    assert got.keys() == want.keys()
    assert all(np.array_equal(got[d], want[d]) for d in want)


def _all_bands_at_once(sigs: np.ndarray, joined: bool) -> np.ndarray:
    """The grouping's pairs as found before (every band's keys and candidates at once)."""
    live = np.flatnonzero(sigs.any(axis=1))
    b, r = stories.lsh_bands()
    keys = np.stack([story_changes.band_column(sigs[live], band, r) for band in range(b)], axis=1)
    found = [
        story_changes.bucket_pairs(keys[:, b], live, stories.MAX_BUCKET)
        for b in range(keys.shape[1])
    ]
    pairs = np.unique(np.concatenate(found), axis=0)
    return stories._joined(sigs, pairs) if joined else pairs


@pytest.mark.parametrize("joined", [False, True])
def test_band_at_a_time_finds_the_same_pairs(joined: bool) -> None:
    rnd = np.random.default_rng(5)
    bases = _sigs(6, seed=2)
    sigs = bases[rnd.integers(6, size=300)].copy()
    changed = rnd.random(sigs.shape) < rnd.choice([0.05, 0.4, 0.7], size=(300, 1))
    sigs[changed] = rnd.integers(0, 256, int(changed.sum()))
    sigs[::13] = 0  # empty signatures join none
    got = stories.joined_pairs(sigs) if joined else stories.candidate_pairs(sigs)
    want = _all_bands_at_once(sigs, joined)
    assert len(want) > 100
    assert np.array_equal(got, want)
