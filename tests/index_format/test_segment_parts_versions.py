"""A segment's parts file (index_format.segment_parts) of version 2 holds what version 1 held:
an index whose files an older Telusur wrote reads them as they are, and its updates, deletes
and merges give the derived files one pass over the whole index gives."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np
import pytest

from index_format import segment_parts, spelling_arrays
from index_format.generations import current_path
from index_format.segment_parts import SegmentParts, text_array
from indexer.optimize import optimize_index
from indexer.update import delete_articles, update_index
from tests.conftest import article
from tests.indexes import HISTORIES, build_index, given_entities, write_jsonl
from tests.test_derived_open import _corpus
from tests.test_derived_segments import NEW, assert_as_whole


def write_version_1(path: Path, parts: SegmentParts) -> None:
    """The file as version 1 wrote it (the zip deflated, every member as it is)."""
    arrays: dict[str, np.ndarray] = {
        "version": np.array([1, parts.facets.size]),
        "day": parts.facets.day,
        "added": parts.facets.added,
        "runs": parts.runs,
        "keys": text_array(list(parts.facets.rows)),
    }
    for i, (doc, val, names) in enumerate(parts.facets.rows.values()):
        arrays[f"doc{i}"], arrays[f"val{i}"] = doc, val
        arrays[f"names{i}"] = text_array(names)
    arrays["fields"] = text_array(list(parts.lengths))
    for i, f in enumerate(parts.lengths):
        arrays[f"len{i}"] = parts.lengths[f]
    arrays["spell_codes"], arrays["spell_table"] = spelling_arrays.flatten(parts.spelling)
    os.chmod(path, 0o644)  # (hard-linked from no other generation here: written in place)
    with open(path, "wb") as f:
        np.savez_compressed(f, allow_pickle=False, **arrays)


def assert_same_parts(a: SegmentParts, b: SegmentParts) -> None:
    assert a.facets.size == b.facets.size
    assert np.array_equal(a.facets.day, b.facets.day)
    assert np.array_equal(a.facets.added, b.facets.added)
    assert list(a.facets.rows) == list(b.facets.rows)
    for key, (doc, val, names) in a.facets.rows.items():
        doc_b, val_b, names_b = b.facets.rows[key]
        assert doc.dtype == doc_b.dtype and val.dtype == val_b.dtype, key
        assert np.array_equal(doc, doc_b) and np.array_equal(val, val_b) and names == names_b
    assert list(a.lengths) == list(b.lengths)
    for f, lengths in a.lengths.items():
        assert lengths.dtype == b.lengths[f].dtype and np.array_equal(lengths, b.lengths[f])
    assert a.runs.dtype == b.runs.dtype and np.array_equal(a.runs, b.runs)
    codes, table = spelling_arrays.flatten(a.spelling)
    codes_b, table_b = spelling_arrays.flatten(b.spelling)
    assert np.array_equal(codes, codes_b) and np.array_equal(table, table_b)


def _parts_paths(index_dir: Path) -> list[Path]:
    return sorted(current_path(index_dir).resolve().glob(f"*{segment_parts.SUFFIX}"))


@pytest.mark.parametrize("history", HISTORIES)
def test_version_1_files_read_as_the_version_2_files_beside_them(
    history: str, tmp_path: Path
) -> None:
    index_dir = tmp_path / "index"
    build_index(index_dir, _corpus(), history)
    paths = _parts_paths(index_dir)
    assert paths
    for path in paths:
        now = segment_parts.read(path)
        assert now is not None
        with np.load(path) as data:
            assert data["version"].tolist() == [2, now.facets.size]
            assert data["doc1"].dtype == np.uint8  # a compressed member
        old = tmp_path / f"old-{path.name}"
        shutil.copy(path, old)
        write_version_1(old, now)
        was = segment_parts.read(old)
        assert was is not None
        assert_same_parts(now, was)
        keys = list(now.facets.rows)[1:3]
        rows_old = segment_parts.read_rows(old, keys, now.facets.size)
        rows_now = segment_parts.read_rows(path, keys, now.facets.size)
        assert rows_old is not None and rows_now is not None and list(rows_old) == keys
        for key in keys:
            (doc, val, names), (doc_n, val_n, names_n) = rows_old[key], rows_now[key]
            assert np.array_equal(doc, doc_n) and np.array_equal(val, val_n) and names == names_n
        assert segment_parts.read_rows(path, keys, now.facets.size + 1) is None


def test_a_file_of_an_unknown_version_is_derived_anew(tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    build_index(index_dir, _corpus(), "fresh")
    path = _parts_paths(index_dir)[0]
    parts = segment_parts.read(path)
    assert parts is not None
    with np.load(path) as data:
        members = {k: data[k] for k in data.files}
    members["version"] = np.array([3, parts.facets.size])
    os.chmod(path, 0o644)
    with open(path, "wb") as f:
        np.savez(f, **members)
    assert segment_parts.read(path) is None
    assert segment_parts.read_rows(path, list(parts.facets.rows), parts.facets.size) is None


@pytest.mark.parametrize("history", HISTORIES)
def test_an_index_with_version_1_files_updates_deletes_and_merges_as_a_whole_pass(
    history: str, tmp_path: Path
) -> None:
    index_dir = tmp_path / "index"
    corpus = _corpus()
    build_index(index_dir, corpus, history)
    for path in _parts_paths(index_dir):
        parts = segment_parts.read(path)
        assert parts is not None
        write_version_1(path, parts)
    with given_entities([*corpus, *NEW]):
        update_index([write_jsonl(tmp_path / "u.jsonl", NEW)], index_dir)
    assert delete_articles([corpus[0].id], index_dir).deleted == 1
    changed = article(
        corpus[1].id, "Judul baru", "Isi baru tentang banjir di Bekasi.", outlet="Warta Timur"
    )
    with given_entities([*corpus, *NEW, changed]):
        update_index([write_jsonl(tmp_path / "c.jsonl", [changed])], index_dir)
    (tmp_path / "w").mkdir()
    assert_as_whole(index_dir, tmp_path / "w")
    assert optimize_index(index_dir, upgrade_only=True).segments_after >= 1
    assert optimize_index(index_dir).segments_after == 1
    (tmp_path / "v").mkdir()
    assert_as_whole(index_dir, tmp_path / "v")
    with np.load(_parts_paths(index_dir)[0]) as data:
        assert int(data["version"][0]) == segment_parts.VERSION  # the merge wrote it anew


@pytest.mark.parametrize(
    ("val", "coded"),
    [
        (np.array([0, 1, 1, 0, 2, 3, 1, 4], dtype=np.int32), True),  # first-occurrence order
        (np.array([0, 2, 1, 2], dtype=np.int32), True),  # any order that reads back
        (np.array([0, 5, 6], dtype=np.int32), False),  # 6 would read back as 1: kept as it is
        (np.array([], dtype=np.int32), False),
        (np.array([-1, 0, 0], dtype=np.int64), False),
        (np.array([0, 1, 255], dtype=np.uint8), False),
        (np.array([0, 1, 2, 1], dtype=np.uint8), True),
        (np.random.default_rng(5).integers(0, 300, 5000).astype(np.int32), False),
    ],
)
def test_value_ids_read_back_as_written(val: np.ndarray, coded: bool) -> None:
    saved = segment_parts._first_zero(val)
    assert int(saved[0]) == int(coded)
    back = segment_parts._from_first_zero(saved)
    assert back.dtype == val.dtype and np.array_equal(back, val)


@pytest.mark.parametrize(
    "array",
    [
        np.array([], dtype=np.uint64),
        np.array([7], dtype=np.int32),
        np.array([0, 1 << 60, (1 << 64) - 1], dtype=np.uint64),
        np.arange(-50, 50, dtype=np.int64).reshape(10, 10),
        np.random.default_rng(2).random(99),
    ],
)
def test_byte_planes_read_back_as_written(array: np.ndarray) -> None:
    saved = segment_parts._planes(array)
    assert saved.dtype == array.dtype and saved.shape == array.shape
    back = segment_parts._unplaned(saved)
    assert back.dtype == array.dtype and np.array_equal(back, array)
