"""What the build works out for the workers (index_format/worker_maps.py: the value a pinned
value is listed as, each document's day position, the outlet of each document) is mapped by
them and gives every list, pinned value and timeline that working it out in the worker gives,
in every history of an index, without reading the archive's merges into the worker."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from whoosh import index

from index_format import derived, worker_maps
from index_format.generations import current_path
from index_format.name_table import NameIds, NameTable
from index_format.zst_files import load_json
from indexer.optimize import optimize_index
from search.facets import FacetData
from tests.conftest import write_index
from tests.indexes import HISTORIES
from tests.search.test_entity_merge import CORPUS as MERGED
from tests.search.test_facet_top_values import _corpus

ENTITY = ("person", "organisation", "place")


@pytest.fixture(scope="module", params=[(h, c) for h in HISTORIES for c in ("zipf", "merged")])
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    history, corpus = request.param
    index_dir = tmp_path_factory.mktemp(f"maps-{history}-{corpus}") / "index"
    write_index(index_dir, _corpus() if corpus == "zipf" else MERGED, history)
    return index_dir


def _both(index_dir: Path) -> Iterator[tuple[FacetData, FacetData]]:
    """The facet data as a worker serves it (the build's files mapped), and as one that works
    out for itself what the build's worker_maps would give."""
    real = current_path(index_dir)
    ix = index.open_dir(str(real))
    assert derived.current(real, ix)  # (the build wrote them: nothing for an upgrade to do)
    files = derived.read(real, ix)
    assert files is not None and files.facets is not None
    maps = worker_maps.read(real / derived.DERIVED, files.facets)
    with ix.searcher() as searcher:
        served = FacetData(searcher.reader(), None, files.facets, files.by_value, maps)
        own = FacetData(searcher.reader(), None, derived.read(real, ix).facets, files.by_value)  # type: ignore[union-attr]
        yield served, own
    ix.close()


def _mapped(a: np.ndarray | None) -> bool:
    while isinstance(a, np.ndarray) and a.base is not None:
        a = a.base
    return (a is not None and not isinstance(a, np.ndarray)) or isinstance(a, np.memmap)


def test_workers_map_what_they_would_work_out(built: Path) -> None:
    for served, own in _both(built):
        assert _mapped(served._day_pos) and served._day_pos.tolist() == own._day_pos.tolist()
        outlet = served.values["outlet"]
        assert _mapped(outlet.single)
        everything = served.live.copy()
        assert served.count("outlet", everything, limit=0) == own.count(
            "outlet", everything, limit=0
        )
        assert outlet.single.tolist() == own.values["outlet"].single.tolist()  # type: ignore[union-attr]
        for interval in ("day", "week", "month", "year", None):
            assert served.histogram(everything, interval) == own.histogram(everything, interval)


def test_pinned_values_are_listed_as_without_the_merges(built: Path) -> None:
    """Every value pinned is listed as the worker's own reading of the archive's merges lists
    it, and the served side does not read them (but for a name the index does not know)."""
    rng = np.random.default_rng(3)
    for served, own in _both(built):
        for fname in ("outlet", *ENTITY):
            names = list(dict.fromkeys([*own.values[fname].names, *own.values[fname].ids]))
            for name in names:
                mask = (rng.random(served.size) < 0.5) & served.live
                got = served.count(fname, mask, (name,), limit=3)
                assert got == own.count(fname, mask, (name,), limit=3), (fname, name)
        assert served.merged._data is None and served._held._data is None  # type: ignore[attr-defined]
        for fname in ENTITY:
            unknown = ("Nama Tak Ada",)
            assert served.count(fname, served.live, unknown) == own.count(fname, own.live, unknown)


def test_a_merged_name_pinned_is_listed_as_its_canonical_name(tmp_path: Path) -> None:
    write_index(tmp_path / "index", MERGED)
    for served, _ in _both(tmp_path / "index"):
        pinned = served.count("organisation", served.live.copy(), ("Komisi Pemberantasan Korupsi",))
        assert [(v.value, v.count, v.selected) for v in pinned][:1] == [("KPK", 5, True)]


def test_ties_are_broken_by_name_as_without_the_names_order(built: Path) -> None:
    """Lists cut among many values of the same count (few articles: most values counted
    once) list the same values as sorting every tied name does; the build's order of the
    names is Python's order of the strings."""
    rng = np.random.default_rng(9)
    for served, own in _both(built):
        for fname in ("outlet", *ENTITY):
            pos = served._name_pos[fname]
            names = list(own.values[fname].names)
            assert pos.tolist() == np.argsort(np.argsort(np.array(names, dtype=object))).tolist()
            for share in (0.01, 0.05, 0.2, 1.0):
                mask = (rng.random(served.size) < share) & served.live
                for limit in (1, 2, 5):
                    got = served.count(fname, mask, limit=limit)
                    assert got == own.count(fname, mask, limit=limit), (fname, share, limit)


def _facet_files(index_dir: Path) -> tuple[Path, dict[str, Any]]:
    where = current_path(index_dir) / derived.DERIVED
    return where, load_json(where / f"facets{derived.LAZY}")


def test_names_answer_for_the_values_the_builds_aliases_give(built: Path) -> None:
    """Each name (its own, a merged variant's, one the index lacks) answers for the value
    the build's aliases give, through the mapped pairs, without a dict of them."""
    where, extra = _facet_files(built)
    variants = 0
    for fname in ("outlet", *ENTITY):
        table = NameTable(where / f"facets-{fname}")
        mapped = worker_maps.name_ids(where, fname, table)
        assert isinstance(mapped, worker_maps.MappedNameIds)
        aliases = extra["aliases"][fname]
        variants += len(aliases)
        written = NameIds(table, aliases)
        for name in [*table, *aliases, "Nama Tak Ada", ""]:
            assert mapped.get(name) == written.get(name), (fname, name)
        assert list(mapped.items()) == list(written.items())
        assert mapped.aliases == aliases
        for vid in range(len(table)):
            assert mapped.names_of(vid) == written.names_of(vid), (fname, vid)
    if "merged" in built.parent.name:
        assert variants > 0  # (the merged corpus has variants: the pairs were compared)


def test_an_index_without_the_alias_pairs_is_served_from_the_json_until_upgraded(
    tmp_path: Path,
) -> None:
    index_dir = tmp_path / "index"
    write_index(index_dir, MERGED, "segments")
    where = current_path(index_dir) / derived.DERIVED
    for path in where.glob(f"{worker_maps.ALIASES}-*.npy"):
        path.unlink()
    real = current_path(index_dir)
    ix = index.open_dir(str(real))
    assert not derived.current(real, ix)
    files = derived.read(real, ix)
    ix.close()
    assert files is not None and files.facets is not None
    ids = files.facets.rows["organisation"].ids
    assert not isinstance(ids, worker_maps.MappedNameIds)
    assert ids["Komisi Pemberantasan Korupsi"] == ids["KPK"]
    assert optimize_index(index_dir, upgrade_only=True, grace_seconds=0).rederived
    real = current_path(index_dir)
    ix = index.open_dir(str(real))
    assert derived.current(real, ix)
    files = derived.read(real, ix)
    ix.close()
    assert files is not None and files.facets is not None
    ids = files.facets.rows["organisation"].ids
    assert isinstance(ids, worker_maps.MappedNameIds)
    assert ids["Komisi Pemberantasan Korupsi"] == ids["KPK"]
