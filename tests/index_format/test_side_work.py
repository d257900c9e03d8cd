"""Files a publish hands to a forked writer (index_format.side_work): written from the memory
as it was when the writer started, whatever the parent does next; a writer's failure fails
the publish, and a failed publish leaves no writer behind."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import numpy as np
import pytest

from index_format import carry, derived, side_work, value_major
from index_format.derived import DERIVED
from index_format.generations import current_path
from index_format.side_work import Side, SideWorkFailed
from indexer.update import update_index
from search.models import SearchRequest
from search.service import SearchService
from tests.indexes import build_index, given_entities, write_jsonl
from tests.test_derived_open import _corpus


def _save(path: Path, array: np.ndarray) -> None:
    np.save(path, array)


def test_a_side_write_sees_the_arrays_as_they_were_when_it_started(tmp_path: Path) -> None:
    rows = np.arange(1_000_000, dtype=np.int64)
    with Side() as side:
        side.run(_save, tmp_path / "rows.npy", rows)
        rows[:] = -1  # the parent goes on and changes (or frees) what it handed over
        del rows
    assert np.array_equal(np.load(tmp_path / "rows.npy"), np.arange(1_000_000))


def _fail(path: Path) -> None:
    raise OSError(f"no space left for {path}")


def test_a_failing_side_write_fails_the_block(tmp_path: Path) -> None:
    with pytest.raises(SideWorkFailed, match="_fail"), Side() as side:
        side.run(_save, tmp_path / "fine.npy", np.zeros(3))
        side.run(_fail, tmp_path / "full.npy")
    assert (tmp_path / "fine.npy").exists()  # every writer was waited for


def _sleep_after_saying(path: Path) -> None:
    path.write_text(str(os.getpid()))
    time.sleep(600)


def test_a_failing_block_stops_its_side_writes(tmp_path: Path) -> None:
    said = tmp_path / "pid"
    with pytest.raises(KeyboardInterrupt), Side() as side:
        side.run(_sleep_after_saying, said)
        while not said.exists() or not said.read_text():
            time.sleep(0.01)
        raise KeyboardInterrupt
    with pytest.raises(ProcessLookupError):  # stopped and reaped, not left running
        os.kill(int(said.read_text()), 0)


class _Done:
    def __init__(self, value: object) -> None:
        self.value = value

    def result(self) -> object:
        return self.value


class _InProcess(Side):
    """Side that runs each job at once in this process: the files as one process writes them."""

    def run(self, fn, *args):  # type: ignore[no-untyped-def]
        fn(*args)

    def call(self, fn, *args):  # type: ignore[no-untyped-def]
        return _Done(fn(*args))


def _double(values: list[int]) -> dict[str, int]:
    return {str(v): 2 * v for v in values}


def test_a_value_made_beside_comes_back() -> None:
    values = list(range(100_000))  # (more than a pipe's buffer: read before reaped)
    with Side() as side:
        pending = side.call(_double, values)
        values.clear()
        assert pending.result() == {str(v): 2 * v for v in range(100_000)}


def test_a_failing_call_fails_when_its_value_is_asked(tmp_path: Path) -> None:
    with Side() as side:
        pending = side.call(_fail, tmp_path / "x")
        with pytest.raises(SideWorkFailed, match="_fail"):
            pending.result()


@pytest.mark.parametrize("history", ["fresh", "segments"])
def test_an_update_with_side_writes_writes_what_one_process_writes(
    history: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The carry (written while the merges run), the other facets' merges (decided beside the
    person's), the rows by value and the facets' JSON (beside the facet arrays) come out byte
    for byte as when the one process makes them in turn."""
    corpus = _corpus()
    batch = [a for a in _corpus(n=12, seed=5)]
    for a in batch:
        a.id = f"new-{a.id}"
    index_dir = tmp_path / "index"
    build_index(index_dir, corpus, history)
    before = current_path(index_dir).resolve()
    spawned: list[str] = []
    fork = Side._fork

    def _fork(self: Side, fn, args, out):  # type: ignore[no-untyped-def]
        spawned.append(fn.__qualname__)
        return fork(self, fn, args, out)

    monkeypatch.setattr(Side, "_fork", _fork)
    with given_entities([*corpus, *batch]):
        update_index([write_jsonl(tmp_path / "u.jsonl", batch)], index_dir, grace_seconds=10**6)
    # The carry, the organisation's and the place's decisions, the rows by value, the JSON.
    assert spawned[:5] == [
        "write",
        "_Merger._decide_ids",
        "_Merger._decide_ids",
        "write",
        "_write_facet_tables",
    ]
    after = current_path(index_dir).resolve()
    again = tmp_path / "again"
    shutil.copytree(after, again)
    shutil.rmtree(again / DERIVED)
    monkeypatch.setattr(side_work, "Side", _InProcess)
    derived.write(again, previous=before)
    names = sorted(p.name for p in (after / DERIVED).iterdir())
    assert names == sorted(p.name for p in (again / DERIVED).iterdir())
    assert any(n.startswith(carry.INDEX.split(".")[0]) for n in names)
    assert any(n.startswith(value_major.PREFIX) for n in names)
    for name in names:
        if name != derived.MANIFEST:
            assert (after / DERIVED / name).read_bytes() == (again / DERIVED / name).read_bytes()


def test_an_update_whose_side_write_fails_publishes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = _corpus()
    index_dir = tmp_path / "index"
    build_index(index_dir, corpus, "segments")
    serving = current_path(index_dir).resolve()
    svc = SearchService(index_dir)
    total = svc.search(SearchRequest(q="")).total
    batch = [a for a in _corpus(n=5, seed=9)]
    for a in batch:
        a.id = f"new-{a.id}"
    monkeypatch.setattr(carry, "write", _fail)  # (the forked writer inherits it)
    with given_entities([*corpus, *batch]), pytest.raises(SideWorkFailed):
        update_index([write_jsonl(tmp_path / "u.jsonl", batch)], index_dir)
    assert current_path(index_dir).resolve() == serving
    assert not [p for p in index_dir.iterdir() if p.name.startswith(".building-")]
    assert svc.search(SearchRequest(q="")).total == total
    svc.close()
