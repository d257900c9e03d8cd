"""Generations: the swap, the grace period (counted from retirement), reports, the writer lock."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from index_format.generations import IndexBusy, lock_current, remove_old_generations, swap_current
from indexer.build import rebuild_index, write_report


def archive(path: Path, *ids: str) -> Path:
    path.write_text(
        "".join(json.dumps({"id": i, "title": f"Judul {i}", "body": "Isi."}) + "\n" for i in ids)
    )
    return path


def gens(index_dir: Path) -> set[str]:
    return {p.name for p in index_dir.iterdir() if p.name.startswith("gen-")}


def test_grace_counts_from_retirement_not_from_the_build(tmp_path: Path) -> None:
    index_dir = tmp_path / "ix"
    first = rebuild_index([archive(tmp_path / "a.jsonl", "a")], index_dir).index_path
    assert first is not None
    long_ago = time.time() - 3600
    os.utime(first, (long_ago, long_ago))  # built an hour ago, serving until now
    rebuild_index([archive(tmp_path / "b.jsonl", "b")], index_dir, grace_seconds=60)
    assert first.exists()  # just retired: searchers may still be reading it
    later = time.time() - 120
    os.utime(first, (later, later))
    removed = remove_old_generations(index_dir, grace_seconds=60)
    assert removed == [first]
    assert len(gens(index_dir)) == 1


def test_current_is_never_removed(tmp_path: Path) -> None:
    index_dir = tmp_path / "ix"
    rebuild_index([archive(tmp_path / "a.jsonl", "a")], index_dir)
    current = Path(os.path.realpath(index_dir / "current"))
    old = time.time() - 3600
    os.utime(current, (old, old))
    assert remove_old_generations(index_dir, grace_seconds=0) == []
    assert current.exists()


def test_stale_temporary_links_are_removed(tmp_path: Path) -> None:
    index_dir = tmp_path / "ix"
    rebuild_index([archive(tmp_path / "a.jsonl", "a")], index_dir)
    stale = index_dir / ".current-deadbeef"
    os.symlink("gen-x", stale)
    old = time.time() - 3600
    os.utime(stale, (old, old), follow_symlinks=False)
    fresh = index_dir / ".current-cafebabe"
    os.symlink("gen-y", fresh)
    remove_old_generations(index_dir)
    assert not stale.is_symlink()
    assert fresh.is_symlink()  # may be a swap in progress


def test_swap_is_atomic_and_relative(tmp_path: Path) -> None:
    index_dir = tmp_path / "ix"
    (index_dir / "gen-a").mkdir(parents=True)
    (index_dir / "gen-b").mkdir()
    swap_current(index_dir, index_dir / "gen-a")
    swap_current(index_dir, index_dir / "gen-b")
    assert os.readlink(index_dir / "current") == "gen-b"  # relative: the folder can move
    assert not list(index_dir.glob(".current-*"))


def test_rebuild_waits_for_an_update_and_gives_up_cleanly(tmp_path: Path) -> None:
    index_dir = tmp_path / "ix"
    rebuild_index([archive(tmp_path / "a.jsonl", "a")], index_dir)
    before = os.path.realpath(index_dir / "current")
    waited: list[bool] = []
    with lock_current(index_dir), pytest.raises(IndexBusy):
        rebuild_index(
            [archive(tmp_path / "b.jsonl", "b")],
            index_dir,
            lock_wait=0.2,
            on_wait=lambda: waited.append(True),
        )
    assert waited == [True]
    assert os.path.realpath(index_dir / "current") == before
    assert not list(index_dir.glob(".building-*"))
    assert len(gens(index_dir)) == 1


def test_build_report_lists_every_skipped_record(tmp_path: Path) -> None:
    src = archive(tmp_path / "a.jsonl", "a", "a")
    with src.open("a") as fh:
        fh.write("{not json\n")
    summary = rebuild_index([src], tmp_path / "ix")
    report = tmp_path / "r" / "report.json"
    write_report(report, summary.to_dict())
    body = json.loads(report.read_text())
    assert body["indexed"] == 1
    assert body["skipped_count"] == 2
    assert {(s["line"], s["reason"].split(":")[0]) for s in body["skipped"]} == {
        (1, "duplicate id 'a'"),
        (3, "invalid JSON"),
    }
    assert body["skipped_by_reason"] == {"duplicate id 'a'": 1, "invalid JSON": 1}
    assert [p.name for p in report.parent.iterdir()] == ["report.json"]  # no temp file left
