"""Facet lists counted from the most frequent values down (search/top_values.py over the rows
by value the build writes, index_format/value_major.py) list exactly what counting every
matching document's values lists: the same values, counts, order and pinned values, in every
history of an index and after the user's corrections."""

from __future__ import annotations

import mmap
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from whoosh import index

from index_format import derived, value_major
from index_format.corrections import Correction, append_correction
from index_format.generations import current_path
from indexer.optimize import optimize_index
from search import facets, top_values
from search.facets import FacetData
from search.models import FacetValue
from tests.conftest import article, write_index
from tests.indexes import HISTORIES

ENTITY = ("person", "organisation", "place")
FIRST = ["Andi", "Budi", "Citra", "Dewi", "Eko", "Fajar", "Gita", "Hadi", "Indah", "Joko"]
LAST = ["Santoso", "Wijaya", "Kusuma", "Pratama", "Lestari", "Nugroho", "Saputra", "Hidayat"]
ORGS = [f"Dinas {w}" for w in ("Pendidikan", "Kesehatan", "Perhubungan", "Pertanian", "Sosial")]
PLACES = ["Bekasi", "Bogor", "Depok", "Tangerang", "Cirebon", "Garut", "Sumedang", "Subang"]


def _zipf(rng: np.random.Generator, pool: list[str], k: int) -> tuple[str, ...]:
    """`k` distinct names, the first of the pool far more often than the last."""
    weights = 1.0 / np.arange(1, len(pool) + 1) ** 1.1
    picks = rng.choice(len(pool), size=min(k, len(pool)), replace=False, p=weights / weights.sum())
    return tuple(pool[i] for i in picks)


def _corpus(n: int = 240) -> list[Any]:
    rng = np.random.default_rng(23)
    people = [f"{f} {la}" for la in LAST for f in FIRST]
    places = PLACES + [f"Desa {f}" for f in FIRST]
    out = []
    for i in range(n):
        out.append(
            article(
                f"t{i}",
                f"Berita nomor {i}",
                f"Isi berita nomor {i} tentang warga.",
                outlet=["Kabar", "Warta", "Suara"][i % 3],
                published=f"2025-{1 + i % 12:02d}-{1 + i % 27:02d}",
                person=_zipf(rng, people, int(rng.integers(0, 5))),
                organisation=_zipf(
                    rng, ORGS + [f"Yayasan {f}" for f in FIRST], int(rng.integers(0, 3))
                ),
                place=_zipf(rng, places, int(rng.integers(0, 4))),
            )
        )
    return out


@pytest.fixture(scope="module", params=HISTORIES)
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    index_dir = tmp_path_factory.mktemp(f"top-{request.param}") / "index"
    write_index(index_dir, _corpus(), request.param)
    return index_dir


def _served(index_dir: Path, corrections: Path | None = None) -> Iterator[FacetData]:
    """The facet data a worker serves: the build's files, mapped."""
    real = current_path(index_dir)
    ix = index.open_dir(str(real))
    files = derived.read(real, ix)
    assert files is not None and set(files.by_value) == set(ENTITY)  # the build wrote them
    with ix.searcher() as searcher:
        yield FacetData(searcher.reader(), corrections, files.facets, files.by_value)
    ix.close()


def _expected(
    fd: FacetData, fname: str, mask: np.ndarray, selected: tuple[str, ...], limit: int
) -> list[FacetValue]:
    """The list from a plain count of each matching document's values."""
    counts: Counter[str] = Counter()
    for d in np.flatnonzero(mask).tolist():
        counts.update(fd.entity_values(d)[fname])
    v = fd.values[fname]
    pinned: dict[str, FacetValue] = {}
    for s in selected:
        vid = fd.resolve(fname, s)
        name = fd.canonical(fname, [v.names[vid] if vid is not None else s])[0]
        count = counts[v.names[vid]] if vid is not None else 0
        pinned.setdefault(name, FacetValue(name, count, True))
    rest = sorted((-c, name) for name, c in counts.items() if name not in pinned)
    return [*pinned.values(), *(FacetValue(name, -c) for c, name in rest[:limit])]


def _masks(fd: FacetData) -> Iterator[np.ndarray]:
    rng = np.random.default_rng(5)
    for share in (0.0, 0.02, 0.1, 0.3, 0.6, 0.9, 1.0):
        for _ in range(3):
            yield (rng.random(fd.size) < share) & fd.live
    for fname in ENTITY:  # the articles of one value: correlated with the others
        v = fd.values[fname]
        for vid in np.unique(v.val)[:4].tolist():
            mask = np.zeros(fd.size, dtype=bool)
            mask[v.doc[v.val == vid]] = True
            yield mask


def _check_all(fd: FacetData) -> None:
    rng = np.random.default_rng(7)
    for mask in _masks(fd):
        for fname in ENTITY:
            names = sorted(set(fd.values[fname].names))
            for limit in (1, 2, 5, 20):
                for selected in ((), (str(rng.choice(names)), "Nama Tak Ada")):
                    got = fd.count(fname, mask, selected, limit)
                    assert got == _expected(fd, fname, mask, selected, limit), (fname, limit)


@pytest.fixture
def stops(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Small tiers (so a small index stops early too), and how each count ended."""
    monkeypatch.setattr(top_values, "FIRST_TIER", 2)
    seen: Counter[str] = Counter()
    real = top_values.top_values

    def spy(vm: Any, mask: np.ndarray, want: int, budget: float, *more: Any) -> Any:
        got = real(vm, mask, want, budget, *more)
        seen["rows" if got is None else "early" if got[0].size < vm.order.size else "all"] += 1
        return got

    monkeypatch.setattr(top_values, "top_values", spy)
    return seen


# How the lists are counted: by value from the most frequent down (ROW_COST_RATIO huge; each
# value's rows counted on their own from OWN_COUNT_ROWS rows up, the rest together), from the
# matching documents' rows sorted or bincounted (ratio 0), or as served (either by size).
# The most frequent values are counted from bitmaps (DENSE_SHARE of the documents or more:
# none, a few, every value).
OWN, DENSE = top_values.OWN_COUNT_ROWS, top_values.DENSE_SHARE
WAYS = {
    "by value": (10**9, facets.SORT_SHARE, OWN, DENSE),
    "by value, each value on its own": (10**9, facets.SORT_SHARE, 1, 2.0),
    "by value, the frequent ones on their own": (10**9, facets.SORT_SHARE, 4, 2.0),
    "by value, the frequent ones from bitmaps": (10**9, facets.SORT_SHARE, OWN, 0.05),
    "by value, every value from bitmaps": (10**9, facets.SORT_SHARE, OWN, 1e-9),
    "rows sorted": (0, 10.0**9, OWN, 2.0),
    "rows bincounted": (0, 0.0, OWN, 2.0),
    "as served": (top_values.ROW_COST_RATIO, facets.SORT_SHARE, OWN, DENSE),
}


@pytest.mark.parametrize("way", list(WAYS))
def test_lists_equal_a_plain_count_in_every_history(
    built: Path, stops: Counter[str], monkeypatch: pytest.MonkeyPatch, way: str
) -> None:
    ratio, sort_share, own, dense = WAYS[way]
    monkeypatch.setattr(top_values, "ROW_COST_RATIO", ratio)
    monkeypatch.setattr(top_values, "OWN_COUNT_ROWS", own)
    monkeypatch.setattr(top_values, "DENSE_SHARE", dense)
    monkeypatch.setattr(top_values, "DENSE_MIN_DOCS", 0)  # (a small index's values too)
    monkeypatch.setattr(top_values, "GATHER_ROWS", 3)  # (a small index's rows, chunked too)
    monkeypatch.setattr(facets, "SORT_SHARE", sort_share)
    for fd in _served(built):
        _check_all(fd)
    if ratio > 1:
        assert stops["early"] > 0  # it did stop before the last value
    if ratio == 0:
        assert stops["early"] == stops["all"] == 0


def test_lists_equal_a_plain_count_after_the_users_corrections(
    built: Path, tmp_path: Path, stops: Counter[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(top_values, "ROW_COST_RATIO", 10**9)
    monkeypatch.setattr(top_values, "DENSE_SHARE", 0.05)  # (bitmaps of the corrected rows)
    monkeypatch.setattr(top_values, "DENSE_MIN_DOCS", 0)
    for fd in _served(built, _corrections(tmp_path)):
        assert "Dinas Pendidikan Kota" in fd.values["organisation"].ids  # applied
        _check_all(fd)
    assert stops["early"] > 0


def _corrections(tmp_path: Path) -> Path:
    path = tmp_path / "corrections.jsonl"
    for c in (
        Correction("merge", "Budi Santoso", "Andi Santoso", "person"),
        Correction("rename", "Dinas Pendidikan", "Dinas Pendidikan Kota", "organisation"),
        Correction("exclude", "Bogor", None, "place"),
        Correction("retype", "Desa Andi", "person", "place"),
    ):
        append_correction(path, c)
    return path


@pytest.mark.parametrize("head", [2, 5, 1000])
def test_lists_from_the_rows_count_only_values_that_could_be_listed(
    built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, head: int
) -> None:
    """A list counted from the matching documents' rows looks only at the values held by as
    many articles as the want-th count among the `head` most frequent values (no value held
    by fewer can be listed): the same lists, before and after the user's corrections."""
    monkeypatch.setattr(top_values, "ROW_COST_RATIO", 0)  # (every list from the rows)
    monkeypatch.setattr(facets, "SORT_SHARE", 0.0)  # (bincounted)
    monkeypatch.setattr(facets, "HEAD_VALUES", head)
    monkeypatch.setattr(facets, "CANDIDATE_SHARE", 1.0)
    taken: Counter[str] = Counter()
    real = facets._candidates

    def spy(vm: Any, counts: np.ndarray, want: int) -> np.ndarray | None:
        got = real(vm, counts, want)
        taken["scan" if got is None else "candidates"] += 1
        if got is not None and np.count_nonzero(counts[got]) < np.count_nonzero(counts):
            taken["values counted but left out"] += 1
        return got

    monkeypatch.setattr(facets, "_candidates", spy)
    for corrections in (None, _corrections(tmp_path)):
        for fd in _served(built, corrections):
            _check_all(fd)
    assert taken["candidates"] > 0 and taken["values counted but left out"] > 0


def test_filters_select_the_articles_that_name_the_values(built: Path, tmp_path: Path) -> None:
    """An entity filter's articles (any of the values, or every one) read from the rows by
    value are those whose values, as a hit shows them, hold the values; after corrections too."""
    path = tmp_path / "corrections.jsonl"
    append_correction(path, Correction("merge", "Citra Wijaya", "Andi Santoso", "person"))
    rng = np.random.default_rng(11)
    for corrections in (None, path):
        for fd in _served(built, corrections):
            shown = [fd.entity_values(d) for d in range(fd.size)]
            for fname in ENTITY:
                names = sorted(set(fd.values[fname].names))
                for k in range(12):
                    picked = tuple(str(n) for n in rng.choice(names, 1 + k % 2, replace=False))
                    for every in (False, True):
                        mask, unknown = fd.value_mask(fname, picked, every)
                        ids = [fd.values[fname].names[fd.resolve(fname, n)] for n in picked]  # type: ignore[index]
                        holds = all if every else any
                        want = [holds(i in s[fname] for i in ids) for s in shown]
                        assert mask.tolist() == want and unknown == []


@pytest.mark.parametrize("few", [facets.FEW_VALUES, 1])
def test_outlet_filters_select_the_articles_of_the_outlets(
    built: Path, monkeypatch: pytest.MonkeyPatch, few: int
) -> None:
    """An outlet filter (one value an article; rows compared with each value, or np.isin past
    FEW_VALUES) keeps exactly the articles whose outlet, as a hit shows it, is one of them."""
    monkeypatch.setattr(facets, "FEW_VALUES", few)
    for fd in _served(built):
        v = fd.values["outlet"]
        shown = [v.names_for(v.val[v.start[d] : v.start[d + 1]].tolist()) for d in range(fd.size)]
        outlets = sorted(set(v.names))
        for picked in [(o,) for o in outlets] + [tuple(outlets[:2]), tuple(outlets), ("Nope",)]:
            mask, unknown = fd.value_mask("outlet", picked)
            assert mask.tolist() == [any(o in s for o in picked) for s in shown]
            assert unknown == [o for o in picked if o not in outlets]


def test_the_first_value_below_a_count_is_found_from_any_rank() -> None:
    """first_below (how far a count must go at least) equals a scan of the values' sizes."""
    rng = np.random.default_rng(3)
    for _ in range(2000):
        sizes = np.sort(rng.integers(1, 50, size=int(rng.integers(1, 60))))[::-1]
        off = np.concatenate(([0], np.cumsum(sizes)))
        a, kth = int(rng.integers(0, sizes.size)), int(rng.integers(0, 55))
        below = [r for r in range(a, sizes.size) if sizes[r] < kth]
        assert top_values.first_below(off, a, kth) == (below[0] if below else sizes.size)


def test_a_narrow_match_gives_up_before_gathering_a_row(monkeypatch: pytest.MonkeyPatch) -> None:
    """Given the share of the archive a match holds, a count by value that would pass its
    budget even with LIKELY times the want-th count the share predicts gathers nothing (the
    caller counts the matching documents' rows); a broad match is counted by value, exactly."""
    rng = np.random.default_rng(5)
    size, values = 200_000, 5_000
    doc = np.repeat(np.arange(size, dtype=np.int32), 3)
    val = rng.integers(0, values, doc.size).astype(np.int32)  # (a first tier within budget)
    keep = np.ones(doc.size, dtype=bool)  # (one row per document and value)
    keep[1:] = (doc[1:] != doc[:-1]) | (val[1:] != val[:-1])
    doc, val = doc[keep], val[keep]
    vm = value_major.build(doc, val, values)
    rows_per_doc = doc.size / size
    gathered: list[int] = []
    real = top_values.masked

    def spy(mask: np.ndarray, docs: np.ndarray, clip: bool = False) -> np.ndarray:
        gathered.append(docs.size)
        return real(mask, docs, clip)

    monkeypatch.setattr(top_values, "masked", spy)
    for share, narrow in ((0.002, True), (0.5, False)):
        mask = rng.random(size) < share
        matching = int(mask.sum())
        budget = top_values.ROW_COST_RATIO * matching * rows_per_doc
        gathered.clear()
        got = top_values.top_values(vm, mask, 20, budget, None, matching / size)
        if narrow:
            assert got is None and gathered == []
            continue
        assert got is not None and sum(gathered) > 0
        ids, counts = got
        plain = np.bincount(val[mask[doc]], minlength=values)
        assert (counts == plain[ids]).all()
        kth = np.sort(plain)[-20]
        assert (plain[np.setdiff1d(np.arange(values), ids)] < kth).all()


@pytest.fixture(scope="module", params=HISTORIES)
def built_dense(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index whose build wrote bitmaps of the values of 5% of the articles or more."""
    index_dir = tmp_path_factory.mktemp(f"dense-{request.param}") / "index"
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(value_major, "DENSE_SHARE", 0.05)
        mp.setattr(value_major, "DENSE_MIN_DOCS", 0)
        write_index(index_dir, _corpus(), request.param)
    return index_dir


def test_workers_map_the_bitmaps_and_ranks_the_build_wrote(
    built_dense: Path, stops: Counter[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bitmaps of the most frequent values and each value's rank, as the build wrote them,
    are what a worker counts and filters with (mapped, not built in its memory), hold each
    value's documents, and list what a plain count lists."""
    monkeypatch.setattr(top_values, "ROW_COST_RATIO", 10**9)
    monkeypatch.setattr(top_values, "DENSE_SHARE", 0.05)
    monkeypatch.setattr(top_values, "DENSE_MIN_DOCS", 0)
    for fd in _served(built_dense):
        for fname in ENTITY:
            v = fd.values[fname]
            vm = v.ranked_rows()
            assert vm.dense is not None and isinstance(vm.dense.base, np.memmap | mmap.mmap)
            head = top_values.DenseHead(vm, fd.size)
            assert head.bits is vm.dense and head.values > 0
            for r in range(head.values):
                held = np.zeros(fd.size, dtype=bool)
                held[vm.docs[vm.offsets[r] : vm.offsets[r + 1]]] = True
                bits = np.unpackbits(head.bits[r].view(np.uint8), bitorder="little")
                assert np.array_equal(bits[: fd.size], held) and not bits[fd.size :].any()
            assert vm.rank.tolist() == [
                vm.order.tolist().index(i) if i in vm.order else -1 for i in range(len(v.names))
            ]
        _check_all(fd)
    assert stops["early"] > 0


def test_a_worker_builds_the_bitmaps_the_build_did_not_write(
    built: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Asked for more bitmaps than the build wrote (its thresholds changed since), a worker
    builds them itself, and counts the same."""
    monkeypatch.setattr(top_values, "ROW_COST_RATIO", 10**9)
    monkeypatch.setattr(top_values, "DENSE_SHARE", 0.05)
    monkeypatch.setattr(top_values, "DENSE_MIN_DOCS", 0)
    for fd in _served(built):
        for fname in ENTITY:
            vm = fd.values[fname].ranked_rows()
            assert vm.dense is not None and vm.dense.shape[0] == 0  # (too few articles)
            head = top_values.DenseHead(vm, fd.size)
            assert head.values > 0 and head.bits is not vm.dense
        _check_all(fd)


def test_an_index_published_before_ranks_and_bitmaps_counts_the_same_until_upgraded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A generation whose build wrote the rows by value but not their ranks and bitmaps (an
    older Telusur) is served as before, and `telusur optimize --upgrade-only` writes them."""
    index_dir = tmp_path / "index"
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(value_major, "DENSE_SHARE", 0.05)
        mp.setattr(value_major, "DENSE_MIN_DOCS", 0)
        write_index(index_dir, _corpus(), "segments")
        where = current_path(index_dir) / derived.DERIVED
        for part in ("rank", "dense"):
            for path in where.glob(f"{value_major.PREFIX}-*-{part}.npy"):
                path.unlink()
        ix = index.open_dir(str(current_path(index_dir)))
        assert not derived.current(current_path(index_dir), ix)
        ix.close()
        monkeypatch.setattr(top_values, "ROW_COST_RATIO", 10**9)
        monkeypatch.setattr(top_values, "DENSE_SHARE", 0.05)
        monkeypatch.setattr(top_values, "DENSE_MIN_DOCS", 0)
        for fd in _served(index_dir):
            assert all(fd.values[f].ranked_rows().dense is None for f in ENTITY)
            _check_all(fd)
        assert optimize_index(index_dir, upgrade_only=True, grace_seconds=0).rederived
    real = current_path(index_dir)
    ix = index.open_dir(str(real))
    assert derived.current(real, ix)
    ix.close()
    for fd in _served(index_dir):
        for fname in ENTITY:
            vm = fd.values[fname].ranked_rows()
            assert vm.dense is not None and vm.dense.shape[0] > 0
        _check_all(fd)


def test_the_kth_count_is_what_a_partition_finds() -> None:
    """kth_count (the smallest count dropped while it is most of the counts) equals
    np.partition's k-th largest, counts spread or mostly one value, every k."""
    rng = np.random.default_rng(13)
    for _ in range(400):
        n = int(rng.integers(1, 3000))
        kind = rng.integers(0, 3)
        if kind == 0:  # most counted once, as a narrow query's values are
            counts = np.where(rng.random(n) < 0.97, 1, rng.integers(1, 60, n))
        elif kind == 1:  # Zipf-spread
            counts = np.minimum(rng.zipf(1.5, n), 10**6)
        else:  # a few distinct values, zeros among them
            counts = rng.integers(0, 4, n)
        counts = counts.astype(np.int64)
        for k in {1, 2, min(n, 10), min(n, 31), n, int(rng.integers(1, n + 1))}:
            assert top_values.kth_count(counts, k) == np.partition(counts, n - k)[n - k]


def test_rows_are_gathered_unchecked_only_within_the_mask(built: Path) -> None:
    """A facet's rows are gathered without numpy's index check only when the mask covers the
    last document any row holds; a shorter mask is still refused, not read past its end."""
    for fd in _served(built):
        for fname in ENTITY:
            vm = fd.values[fname].ranked_rows()
            head = top_values.DenseHead(vm, fd.size)
            assert head.last_doc == int(vm.docs.max())
            mask = np.random.default_rng(5).random(fd.size) < 0.3
            assert np.array_equal(top_values.masked(mask, vm.docs, clip=True), mask[vm.docs])
            short = mask[: head.last_doc]  # (one document short of the last row's)
            with pytest.raises(IndexError):
                top_values.top_values(vm, short, 10**6, float("inf"), head)
