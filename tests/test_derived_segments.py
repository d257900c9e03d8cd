"""A generation's derived files are combined from each segment's parts (index_format.
segment_parts), written once beside the segment and reused by every later generation: the
combined files must be byte for byte what one pass over the whole index writes, in every
history and after update-index, delete and optimize, and an update must derive only the
segments it wrote."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import numpy as np
import pytest

from index_format import (
    carry,
    derived,
    facet_arrays,
    namesake_changes,
    segment_parts,
    spelling_changes,
)
from index_format.derived import DERIVED
from index_format.generations import current_path, open_index
from index_format.zst_files import load_json
from indexer import tiers
from indexer.models import Article
from indexer.optimize import optimize_index
from indexer.update import delete_articles, update_index
from search.models import SearchRequest
from search.service import SearchService
from tests.conftest import article
from tests.indexes import HISTORIES, build_index, given_entities, write_jsonl
from tests.test_derived_open import _corpus


def _segment_ids(gen: Path) -> list[str]:
    ix = open_index(gen)
    try:
        return [s.segment_id() for s in ix._segments()]
    finally:
        ix.close()


def _parts_files(gen: Path) -> dict[str, int]:
    """Each segment's parts file in `gen` → its inode."""
    return {p.name: p.stat().st_ino for p in gen.glob(f"*{segment_parts.SUFFIX}")}


def assert_as_whole(index_dir: Path, tmp: Path) -> None:
    """The serving generation's files equal those a pass over the whole index writes, and
    it holds the parts of its segments, no others."""
    gen = current_path(index_dir).resolve()
    assert sorted(_parts_files(gen)) == sorted(
        segment_parts.path_of(gen, s).name for s in _segment_ids(gen)
    )
    whole = tmp / f"whole-{len(list(tmp.iterdir()))}"
    shutil.copytree(gen, whole)
    shutil.rmtree(whole / DERIVED)
    for path in whole.glob(f"*{segment_parts.SUFFIX}"):
        path.unlink()
    derived.write(whole, lambda _gen, searcher: derived.from_whole(searcher))
    written = sorted(p.name for p in (gen / DERIVED).iterdir())
    assert written == sorted(p.name for p in (whole / DERIVED).iterdir())
    # The joins' state says how they were found (in full or from the last generation's):
    # tests/index_format/test_namesake_changes.py holds what it gives equal to a full pass.
    written = [name for name in written if not name.startswith(namesake_changes.PREFIX)]
    assert len(written) > 20
    for name in written:
        if not name.startswith("carry"):
            assert (gen / DERIVED / name).read_bytes() == (whole / DERIVED / name).read_bytes(), (
                name
            )
    # The carry leaves the rows of a first segment without deletions to its parts file (the
    # whole pass has none): what it reads back is the same.
    carried, carried_whole = _carry(gen), _carry(whole)
    assert carried.size == carried_whole.size and list(carried.rows) == list(carried_whole.rows)
    for key, (doc, val, names) in carried.rows.items():
        doc_w, val_w, names_w = carried_whole.rows[key]
        assert np.array_equal(doc, doc_w) and np.array_equal(val, val_w) and names == names_w, key


def _carry(gen: Path) -> facet_arrays.Part:
    where = gen / DERIVED
    got = carry.read(where, np.load(where / "facets-day.npy"), np.load(where / "facets-added.npy"))
    assert got is not None
    return got


NEW = [
    article(
        f"new{i}",
        f"Longsor menimpa desa Cibadak {i}",
        "Longsor menimpa desa Cibadak. Budi Santoso memimpin evakuasi warga. Anies hadir.",
        outlet="Warta Timur",
        published="2025-06-01",
        person=("Budi Santoso", "Anies", *(("Cahya Purnama Sari",) if i == 0 else ())),
        place=("Cibadak", "jakarta"),
    )
    for i in range(3)
]


@pytest.mark.parametrize("history", HISTORIES)
def test_files_from_segments_equal_a_pass_over_the_whole(
    history: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tiers, "TIER_WIDTH", 1_000)  # no merge by tiers: kept as they are
    index_dir = tmp_path / "index"
    corpus = _corpus()
    build_index(index_dir, corpus, history)
    (tmp_path / "w").mkdir()
    assert_as_whole(index_dir, tmp_path / "w")

    before = current_path(index_dir).resolve()
    kept = _parts_files(before)
    with given_entities([*corpus, *NEW]):
        changed = [
            article(a.id, a.title, a.body + " Diperbarui.", person=a.person, place=a.place)
            for a in corpus[:2]
        ]
        update_index([write_jsonl(tmp_path / "u.jsonl", [*NEW, *changed])], index_dir)
    after = current_path(index_dir).resolve()
    assert after != before
    assert_as_whole(index_dir, tmp_path / "w")
    # The segments the update kept keep their parts: linked, not derived again.
    reused = {n: i for n, i in _parts_files(after).items() if n in kept}
    assert reused and all(kept[n] == i for n, i in reused.items())
    assert len(_parts_files(after)) > len(reused)  # and the update's own segment has its own

    assert delete_articles([NEW[0].id, corpus[5].id], index_dir).deleted == 2
    assert_as_whole(index_dir, tmp_path / "w")
    svc = SearchService(index_dir)
    people = {v.value: v.count for v in svc.search(SearchRequest(q="")).facets["person"]}
    assert people["Budi Santoso"] == 2
    assert svc._gen is not None and "purnama sari" not in svc._gen.known_names()  # deleted
    svc.close()

    assert optimize_index(index_dir).segments_after == 1
    assert_as_whole(index_dir, tmp_path / "w")
    assert len(_parts_files(current_path(index_dir).resolve())) == 1


def test_a_generation_without_parts_gets_them_at_its_next_update(tmp_path: Path) -> None:
    """An index written before the parts (or with parts of another version) still opens and
    updates: the update derives every segment once."""
    index_dir = tmp_path / "index"
    corpus = _corpus()
    build_index(index_dir, corpus, "segments")
    gen = current_path(index_dir).resolve()
    files = list(gen.glob(f"*{segment_parts.SUFFIX}"))
    assert len(files) >= 2
    files[0].unlink()
    for path in files[1:]:  # parts of another version: derived again
        os.chmod(path, 0o644)
        path.write_bytes(b"not a parts file")
    shutil.rmtree(gen / DERIVED)
    svc = SearchService(index_dir)
    total = svc.search(SearchRequest(q="")).total
    with given_entities([*corpus, *NEW]):
        update_index([write_jsonl(tmp_path / "u.jsonl", NEW)], index_dir)
    assert svc.search(SearchRequest(q="")).total == total + len(NEW)
    svc.close()
    (tmp_path / "w").mkdir()
    assert_as_whole(index_dir, tmp_path / "w")


def _batch(seed: int) -> list[Article]:
    """Articles new to the index (their own ids) whose names shift the archive's counts."""
    return [
        Article(**{**a.__dict__, "id": f"s{seed}-{a.id}"})
        for a in _corpus(n=15 + seed % 7, seed=seed)
    ]


@pytest.mark.parametrize("history", HISTORIES)
def test_updates_that_only_add_combine_with_the_previous_generation(
    history: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An update that only adds articles reads no old segment's parts (the previous
    generation's files stand for them), and its files still equal a pass over the whole,
    update after update; a replaced article makes the next update combine every segment."""
    monkeypatch.setattr(tiers, "TIER_WIDTH", 1_000)
    index_dir = tmp_path / "index"
    corpus = _corpus()
    build_index(index_dir, corpus, history)
    (tmp_path / "w").mkdir()
    read = segment_parts.read
    reads: list[Path] = []
    monkeypatch.setattr(segment_parts, "read", lambda path: reads.append(path) or read(path))
    everything = list(corpus)
    for seed in (11, 12, 13):
        batch = _batch(seed)
        everything += batch
        reads.clear()
        with given_entities(everything):
            summary = update_index([write_jsonl(tmp_path / f"{seed}.jsonl", batch)], index_dir)
        assert summary.added == len(batch) and reads == []
        assert_as_whole(index_dir, tmp_path / "w")
        # A first segment without deletions: the carry leaves its rows to its parts file.
        index = json.loads((current_path(index_dir) / DERIVED / carry.INDEX).read_text())
        ix = open_index(current_path(index_dir).resolve())
        first = ix._segments()[0]
        ix.close()
        if not first.deleted_count():
            assert index["base"]["segment"] == first.segment_id()
        else:
            assert "base" not in index
    svc = SearchService(index_dir)
    assert svc.search(SearchRequest(q="")).total == len(everything)
    svc.close()

    reads.clear()
    changed = [article(a.id, a.title, a.body + " Diperbarui.", person=a.person) for a in corpus[:2]]
    with given_entities(everything):
        assert update_index([write_jsonl(tmp_path / "c.jsonl", changed)], index_dir).replaced == 2
    assert reads  # an old segment lost a document: every segment's parts combined again
    assert_as_whole(index_dir, tmp_path / "w")


@pytest.mark.parametrize("damage", ["missing", "damaged", "first segment's file", "other format"])
def test_an_update_without_usable_previous_files_combines_every_segment(
    damage: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Previous files missing (an index written before them), damaged or of another format:
    the update reads every segment's parts, as before, and its files are still right."""
    monkeypatch.setattr(tiers, "TIER_WIDTH", 1_000)
    index_dir = tmp_path / "index"
    corpus = _corpus()
    build_index(index_dir, corpus, "segments")
    where = current_path(index_dir).resolve() / DERIVED
    if damage == "missing":
        (where / carry.INDEX).unlink()
    elif damage == "damaged":
        (where / f"carry-0-val{carry.SUFFIX}").write_bytes(b"not an array")
    elif damage == "first segment's file":  # where the carry left its first rows
        first = json.loads((where / carry.INDEX).read_text())["base"]["segment"]
        path = segment_parts.path_of(where.parent, first)
        path.unlink()  # (linked from the generation before: replaced, not written in place)
        path.write_bytes(b"not an archive")
    else:
        manifest = json.loads((where / derived.MANIFEST).read_text())
        (where / derived.MANIFEST).write_text(json.dumps({**manifest, "format": -1}))
    read = segment_parts.read
    reads: list[Path] = []
    monkeypatch.setattr(segment_parts, "read", lambda path: reads.append(path) or read(path))
    batch = _batch(21)
    with given_entities([*corpus, *batch]):
        assert update_index([write_jsonl(tmp_path / "b.jsonl", batch)], index_dir).added
    assert len(reads) >= 2
    (tmp_path / "w").mkdir()
    assert_as_whole(index_dir, tmp_path / "w")


def _named(prefix: str, person: str, k: int) -> list[Article]:
    return [
        article(
            f"{prefix}{i}",
            f"Rapat anggaran {i}",
            f"Rapat anggaran membahas belanja daerah. {person} hadir.",
            outlet="Warta Timur",
            published="2025-03-01",
            person=(person,),
        )
        for i in range(k)
    ]


def test_person_spelling_merges_of_updates_equal_a_pass_over_the_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An update redoes the person spelling groups it touches from the last generation's
    (index_format.spelling_changes): a merge it makes and one it undoes ("Aziz Syamsudin"
    merged while "Aziz Syamsuddin" is twice as common, kept once it is not) give the files a
    pass over the whole gives, spelling state included."""
    incremental: list[bool] = []
    redo = spelling_changes.incremental
    monkeypatch.setattr(
        spelling_changes,
        "incremental",
        lambda *a: incremental.append((got := redo(*a)) is not None) or got,
    )
    index_dir = tmp_path / "index"
    corpus = [
        *_corpus(),
        *_named("b", "Dewi Kurniawati", 4),
        *_named("c", "Dewi Kurniawaty", 1),
        *_named("e", "Aziz Syamsuddin", 2),
    ]
    build_index(index_dir, corpus, "fresh")
    (tmp_path / "w").mkdir()

    def merged() -> dict[str, str]:
        where = current_path(index_dir) / DERIVED
        return dict(load_json(where / f"facets-merged{derived.LAZY}")["person"])

    assert merged().get("Dewi Kurniawaty") == "Dewi Kurniawati"
    for step, (batch, spelled) in enumerate(
        [
            (_named("f", "Aziz Syamsudin", 1), True),  # 2 against 1: merged
            (_named("g", "Aziz Syamsudin", 1), False),  # 2 against 2: kept apart
            (_named("h", "Dewi Kurniawaty", 2), False),  # 4 against 3
        ]
    ):
        corpus += batch
        with given_entities(corpus):
            update_index([write_jsonl(tmp_path / f"{step}.jsonl", batch)], index_dir)
        assert_as_whole(index_dir, tmp_path / "w")
        got = merged()
        assert (got.get("Aziz Syamsudin") == "Aziz Syamsuddin") is spelled, step
        assert ("Dewi Kurniawaty" in got) is (step < 2), step
    assert incremental == [True, True, True]
