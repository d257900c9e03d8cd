"""Facet counts gather the values of the matching documents when they are few
(search/facets.py `_Values.matching`): the same counts as testing every row."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest
from whoosh import index

from index_format import facets
from index_format.generations import current_path
from search.facets import FacetData

FACET_FIELDS = facets.names()


@pytest.mark.parametrize("share", [0.0, 0.05, 0.15, 0.5, 1.0])
def test_sparse_and_dense_gathers_count_alike(small_index: Path, share: float) -> None:
    ix = index.open_dir(current_path(small_index))
    with ix.searcher() as searcher:
        fd = FacetData(searcher.reader())
    rng = np.random.default_rng(3)
    for _ in range(20):
        mask = rng.random(fd.size) < share
        for f in FACET_FIELDS:
            v = fd.values[f]
            every_row = np.bincount(v.val[mask[v.doc]], minlength=len(v.names))
            assert np.array_equal(np.bincount(v.matching(mask), minlength=len(v.names)), every_row)
            # What the facet lists count (a single-valued facet through its per-document ids).
            assert np.array_equal(v.counts(mask), every_row)
            assert np.array_equal(v.counts(mask, np.flatnonzero(mask)), every_row)


def _reference(fd: FacetData, mask: np.ndarray, interval: str) -> list[tuple[str, int]]:
    counts: Counter[str] = Counter()
    for d in np.flatnonzero(mask & (fd.day >= 0)).tolist():
        day = date.fromordinal(int(fd.day[d]))
        if interval == "day":
            counts[day.isoformat()] += 1
        elif interval == "week":
            counts[(day - timedelta(days=day.weekday())).isoformat()] += 1
        elif interval == "month":
            counts[f"{day.year:04d}-{day.month:02d}"] += 1
        else:
            counts[f"{day.year:04d}"] += 1
    return sorted(counts.items())


@pytest.mark.parametrize("interval", ["day", "week", "month", "year"])
def test_histogram_counts_each_bucket(small_index: Path, interval: str) -> None:
    ix = index.open_dir(current_path(small_index))
    with ix.searcher() as searcher:
        fd = FacetData(searcher.reader())
    rng = np.random.default_rng(4)
    for share in (0.0, 0.01, 0.3, 0.7, 1.0):
        mask = rng.random(fd.size) < share
        _, got = fd.histogram(mask, interval)
        assert [(fv.value, fv.count) for fv in got] == _reference(fd, mask, interval)
        chosen, by_span = fd.histogram(mask)  # the interval the span suits
        assert [(fv.value, fv.count) for fv in by_span] == _reference(fd, mask, chosen)


@pytest.mark.parametrize("kept", [1, 3, 10_000])
def test_a_documents_entity_values_are_its_rows_names_however_few_are_kept(
    small_index: Path, kept: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a hit shows of its entities (FacetData.entity_values, with the names of values
    shown lately kept, RECENT a name table): its rows' values by name, in order, every time."""
    from index_format import derived, name_table

    monkeypatch.setattr(name_table, "RECENT", kept)
    real = current_path(small_index)
    ix = index.open_dir(real)
    built = derived.read(real, ix)  # as a worker serves them: the build's files, mapped
    assert built is not None
    with ix.searcher() as searcher:
        fd = FacetData(searcher.reader(), arrays=built.facets)
    entity_fields = [f for f in facets.entity_names() if f in fd.values]
    assert entity_fields
    want = [
        {
            f: [fd.values[f].names[i] for i in fd.values[f].val[fd.values[f].doc == d]]
            for f in entity_fields
        }
        for d in range(fd.size)
    ]
    assert any(any(values.values()) for values in want)
    for _ in range(2):  # the second time from the names kept
        assert [fd.entity_values(d) for d in range(fd.size)] == want
    tables = [fd.values[f].names for f in entity_fields]
    assert all(isinstance(t, name_table.NameTable) for t in tables)  # as served: mapped
    assert all(len(t._recent) <= kept for t in tables)
