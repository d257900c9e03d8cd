"""Crash safety: SIGKILL `rebuild-index` and `update-index` at random points.

The serving index must stay whole (the old one, or the new one once swapped), a half-built
directory is never served, and the next run succeeds and clears what the killed one left.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from whoosh import index

import index_format.generations as generations
import indexer.build as build
from indexer.build import rebuild_index
from search.models import SearchRequest
from search.service import SearchService

REPO = Path(__file__).resolve().parents[2]
TELUSUR = [sys.executable, "-c", "from indexer.cli import main; main()"]
KILLS = 4


def archive(path: Path, n: int, prefix: str) -> Path:
    """n realistic articles (the sample archive's texts under new ids)."""
    sample = [
        json.loads(line)
        for line in (REPO / "sample_archive" / "nasional.jsonl").read_text().splitlines()
        if line.strip()
    ]
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            rec = dict(sample[i % len(sample)])
            rec["id"] = f"{prefix}-{i}"
            rec["body"] = f"{rec.get('body', '')} Nomor {prefix} {i}."
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return path


def run(args: list[str], kill_after: float | None = None) -> subprocess.CompletedProcess[str]:
    p = subprocess.Popen(
        [*TELUSUR, *args], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    if kill_after is not None:
        try:
            p.wait(timeout=kill_after)
        except subprocess.TimeoutExpired:
            p.send_signal(signal.SIGKILL)
    out, err = p.communicate(timeout=120)
    return subprocess.CompletedProcess(p.args, p.returncode, out, err)


def serving_count(index_dir: Path) -> int:
    """The number of articles the app would serve now; fails if that index is not whole."""
    real = Path(os.path.realpath(index_dir / "current"))
    assert real.name.startswith("gen-"), f"serving a non-generation directory: {real}"
    assert index.exists_in(real)
    svc = SearchService(index_dir)
    try:
        result = svc.search(SearchRequest(q="", per_page=1))
        assert svc.stats()["articles"] == result.total
        return result.total
    finally:
        svc.close()


def kill_points(seconds: float, seed: int) -> list[float]:
    rng = random.Random(seed)
    return sorted(rng.uniform(0.05, 1.05) * seconds for _ in range(KILLS))


def timed(args: list[str]) -> float:
    started = time.monotonic()
    done = run(args)
    assert done.returncode == 0, done.stderr
    return time.monotonic() - started


@pytest.mark.slow
def test_sigkill_rebuild_at_random_points(tmp_path: Path) -> None:
    index_dir = tmp_path / "ix"
    rebuild_index([archive(tmp_path / "old.jsonl", 3, "old")], index_dir)
    new = archive(tmp_path / "new.jsonl", 60, "new")
    args = ["rebuild-index", str(new), "--index-dir", str(index_dir)]
    duration = timed(["rebuild-index", str(new), "--index-dir", str(tmp_path / "calibrate")])

    for delay in kill_points(duration, seed=6):
        run(args, kill_after=delay)
        assert serving_count(index_dir) in (3, 60), f"killed after {delay:.2f} s"

    done = run([*args, "--grace", "0"])
    assert done.returncode == 0, done.stderr
    assert serving_count(index_dir) == 60
    left = sorted(p.name for p in index_dir.iterdir() if p.is_dir() and not p.is_symlink())
    assert left == [os.path.basename(os.path.realpath(index_dir / "current"))]


@pytest.mark.slow
def test_sigkill_update_at_random_points(tmp_path: Path) -> None:
    index_dir = tmp_path / "ix"
    rebuild_index([archive(tmp_path / "old.jsonl", 5, "old")], index_dir)
    batch = archive(tmp_path / "batch.jsonl", 40, "upd")
    args = ["update-index", str(batch), "--index-dir", str(index_dir)]
    calibrate = tmp_path / "calibrate"
    rebuild_index([archive(tmp_path / "cal.jsonl", 5, "old")], calibrate)
    duration = timed(["update-index", str(batch), "--index-dir", str(calibrate)])

    for delay in kill_points(duration, seed=7):
        run(args, kill_after=delay)
        assert serving_count(index_dir) in (5, 45), f"killed after {delay:.2f} s"

    done = run([*args, "--grace", "0"])
    assert done.returncode == 0, done.stderr
    assert serving_count(index_dir) == 45
    assert not list(index_dir.glob(".building-*"))


def test_every_file_is_fsynced_before_the_swap(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fsynced: set[str] = set()
    real_fsync = os.fsync

    def recording_fsync(fd: int) -> None:
        fsynced.add(os.readlink(f"/proc/self/fd/{fd}"))
        real_fsync(fd)

    checked: list[Path] = []
    real_swap = generations.swap_current

    def checking_swap(index_dir: Path, target: Path) -> None:
        for entry in target.iterdir():
            building = target.parent / f".building-{target.name}" / entry.name
            assert str(building) in fsynced, f"{entry.name} not fsynced before the swap"
        assert str(target.parent / f".building-{target.name}") in fsynced
        checked.append(target)
        real_swap(index_dir, target)

    monkeypatch.setattr(generations.os, "fsync", recording_fsync)
    monkeypatch.setattr(generations, "swap_current", checking_swap)
    rebuild_index([archive(tmp_path / "a.jsonl", 3, "a")], tmp_path / "ix")
    assert checked


def test_a_half_built_directory_is_never_served(tmp_path: Path) -> None:
    """A build that fails leaves `current` where it was and removes its directory."""
    index_dir = tmp_path / "ix"
    rebuild_index([archive(tmp_path / "a.jsonl", 3, "a")], index_dir)
    before = os.path.realpath(index_dir / "current")
    bad = tmp_path / "bad.jsonl"
    bad.write_text("not json\n")
    with pytest.raises(build.BuildError):
        rebuild_index([bad], index_dir)
    assert os.path.realpath(index_dir / "current") == before
    assert not list(index_dir.glob(".building-*"))
    assert serving_count(index_dir) == 3


def test_stale_building_directories_are_removed_after_the_grace(tmp_path: Path) -> None:
    index_dir = tmp_path / "ix"
    rebuild_index([archive(tmp_path / "a.jsonl", 3, "a")], index_dir)
    stale = index_dir / ".building-gen-killed"
    stale.mkdir()
    (stale / "MAIN_x.seg").write_bytes(b"half")
    generations.remove_old_generations(index_dir, grace_seconds=600)
    assert stale.exists()  # younger than the grace: maybe a build in progress
    # A build still writing holds the writer lock there: never removed under it.
    lock = generations._try_lock(stale)
    assert lock is not None
    old = time.time() - 700
    os.utime(stale, (old, old))
    generations.remove_old_generations(index_dir, grace_seconds=600)
    assert stale.exists()
    lock.release()
    assert generations.remove_old_generations(index_dir, grace_seconds=600) == [stale]
    assert not stale.exists()
