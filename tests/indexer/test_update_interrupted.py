"""Ctrl-C during an update (`telusur watch` stops on it) stops the stories' child process
with it instead of waiting for its work on a generation that is dropped anyway; the index
keeps serving the generation it had."""

from __future__ import annotations

import multiprocessing
import time
from pathlib import Path
from typing import Any

import pytest

from index_format import derived
from index_format.generations import current_path
from indexer import update
from indexer.update import update_index
from tests.conftest import article
from tests.indexes import build_index, write_jsonl
from tests.test_derived_open import _corpus


def test_ctrl_c_during_an_update_stops_its_stories_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index_dir = tmp_path / "index"
    build_index(index_dir, _corpus(n=20))
    before = current_path(index_dir)
    finished = tmp_path / "stories-finished"

    def slow_stories(*_args: Any) -> None:  # the stories' child, still working at Ctrl-C
        time.sleep(2)
        finished.touch()

    def interrupted(*_args: Any, **_kwargs: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(update, "update_stories", slow_stories)
    monkeypatch.setattr(derived, "write", interrupted)
    batch = write_jsonl(tmp_path / "u.jsonl", [article("baru-1", "Banjir di Bekasi", "Isi.")])
    with pytest.raises(KeyboardInterrupt):
        update_index([batch], index_dir, grace_seconds=0)
    assert multiprocessing.active_children() == []
    assert not finished.exists()  # stopped, not waited for
    assert current_path(index_dir) == before
