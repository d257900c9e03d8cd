"""An update reads the short-name joins the last generation left (index_format.namesake_changes)
from its derived files and recomputes them only where its articles reach: a layout change to
those files must not silently turn every update into a full computation (its answer would be
the same, so only this test would notice)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from index_format import namesake_changes
from indexer.update import update_index
from tests.indexes import build_index, given_entities, write_jsonl
from tests.test_derived_open import _corpus


@pytest.mark.parametrize("history", ["fresh", "segments"])
def test_an_update_starts_from_the_last_generations_joins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, history: str
) -> None:
    index_dir = tmp_path / "index"
    corpus = _corpus()
    build_index(index_dir, corpus, history)
    calls: list[tuple[bool, bool]] = []  # (a prior state was read, computed in full)
    join = namesake_changes.join

    def spy(*args: Any, **kwargs: Any) -> namesake_changes.Result:
        result = join(*args, **kwargs)
        calls.append((kwargs["prior"] is not None, result.full))
        return result

    monkeypatch.setattr(namesake_changes, "join", spy)
    monkeypatch.setattr(namesake_changes, "FULL_SHARE", 2.0)  # the share rule aside
    added = _corpus(n=3, seed=11)
    for i, a in enumerate(added):
        a.doc_id = f"new{i}"
    with given_entities([*corpus, *added]):
        update_index([write_jsonl(tmp_path / "u.jsonl", added)], index_dir, grace_seconds=0)
    assert calls == [(True, False)]
