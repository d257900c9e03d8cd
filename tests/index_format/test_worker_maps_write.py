"""The worker maps a publish writes (index_format/worker_maps.py) visit only the merged
variants and read the alias pairs off the ids' values: they must list each name exactly as a
visit of every name does (the canonical id a pinned value is shown as, the names that answer
for another value's id), in every history of an index with merges and names kept apart."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from whoosh import index

from index_format import derived, worker_maps
from index_format.facet_arrays import FacetArrays
from index_format.generations import current_path
from tests.conftest import write_index
from tests.indexes import HISTORIES
from tests.search.test_entity_merge import CORPUS as MERGED
from tests.test_derived_open import _corpus

ENTITY = ("person", "organisation", "place")


@pytest.fixture(scope="module", params=HISTORIES)
def arrays(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[FacetArrays]:
    """The facet arrays as a publish holds them when it writes the maps (names as a list,
    each name's id in a dict, merged variants answering for their canonical's id)."""
    index_dir = tmp_path_factory.mktemp(f"wm-{request.param}") / "index"
    write_index(index_dir, [*_corpus(), *MERGED], request.param)
    ix = index.open_dir(str(current_path(index_dir)))
    with ix.searcher() as searcher:
        yield derived.from_whole(searcher).facets
    ix.close()


def _listed_as(a: FacetArrays, fname: str) -> np.ndarray:
    """The canonical ids by their definition: every name visited."""
    names = list(a.rows[fname].names)
    merges, held = a.merged.get(fname, {}), a.held.get(fname, set())
    at = {name: i for i, name in enumerate(names)}
    out = np.full(len(names), worker_maps.ITSELF, dtype=np.int32)
    for i, name in enumerate(names):
        shown = name if name in held else merges.get(name, name)
        if shown != name:
            out[i] = at.get(shown, worker_maps.ELSEWHERE)
    return out


def _answering(a: FacetArrays, fname: str) -> list[tuple[int, int]]:
    """(own id, id answered for) of each name whose id is another name's, every name visited."""
    r = a.rows[fname]
    return [(i, r.ids[name]) for i, name in enumerate(r.names) if r.names[r.ids[name]] != name]


def test_each_name_is_listed_as_a_visit_of_every_name_lists_it(arrays: FacetArrays) -> None:
    listed_elsewhere = 0
    for f in ENTITY:
        expected = _listed_as(arrays, f)
        listed_elsewhere += int(np.count_nonzero(expected != worker_maps.ITSELF))
        at = worker_maps.positions(list(arrays.rows[f].names))
        assert np.array_equal(worker_maps.canonical_ids(arrays, f, at), expected)
        assert np.array_equal(worker_maps.canonical_ids(arrays, f), expected)
    assert listed_elsewhere  # (the corpus merges names: the visit of the merges is exercised)


def test_a_name_kept_apart_stays_itself(arrays: FacetArrays) -> None:
    held = [(f, name) for f in ENTITY for name in arrays.held.get(f, set())]
    assert held  # (the corpus keeps a merged namesake apart in one article)
    for f, name in held:
        at = list(arrays.rows[f].names).index(name)
        assert worker_maps.canonical_ids(arrays, f)[at] == worker_maps.ITSELF


def test_the_names_that_answer_for_another_value_are_read_off_the_ids(arrays: FacetArrays) -> None:
    answering = 0
    for f in (*ENTITY, "outlet"):
        r = arrays.rows[f]
        expected = _answering(arrays, f)
        answering += len(expected)
        got = worker_maps.own_pairs(r.names, r.ids)
        assert got is not None and got.dtype == np.int32
        assert got.tolist() == [list(p) for p in expected]
        # (as the visit of every name wrote them)
        visited = worker_maps.alias_pairs(r.names, {r.names[i]: to for i, to in expected})
        assert visited is not None and np.array_equal(got, visited)
    assert answering


def test_ids_of_other_names_are_not_read_off(arrays: FacetArrays) -> None:
    r = arrays.rows["person"]
    reordered = dict(reversed(list(r.ids.items())))
    assert worker_maps.own_pairs(list(r.names), reordered) is None


def test_the_written_maps_are_the_same_bytes_as_the_visit_of_every_name(
    arrays: FacetArrays, tmp_path: Path
) -> None:
    worker_maps.write(tmp_path, arrays)
    for f in ENTITY:
        written = np.load(tmp_path / f"{worker_maps.CANONICAL}-{f}.npy")
        assert written.dtype == np.int32 and np.array_equal(written, _listed_as(arrays, f))
        pairs = np.load(tmp_path / f"{worker_maps.ALIASES}-{f}.npy")
        assert pairs.tolist() == [list(p) for p in _answering(arrays, f)]


def test_many_names_answering_are_listed_by_their_own_id() -> None:
    names = [f"nama {i}" for i in range(200)]
    ids = {name: i for i, name in enumerate(names)}
    rnd = random.Random(23)
    for name in rnd.sample(names, 60):  # merged variants, each into another name's id
        ids[name] = rnd.choice([i for i, other in enumerate(names) if other != name])
    expected = [(i, ids[name]) for i, name in enumerate(names) if names[ids[name]] != name]
    got = worker_maps.own_pairs(names, ids)
    assert got is not None and got.tolist() == [list(p) for p in expected]
    visited = worker_maps.alias_pairs(names, {names[i]: to for i, to in expected})
    assert visited is not None and np.array_equal(got, visited)
