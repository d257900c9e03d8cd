"""`telusur optimize` (issue #23): the segments of an updated index merged into one while it
serves, with the same articles found, counted and grouped as before."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from whoosh import index

from index_format import derived
from index_format.generations import current_path
from indexer.cli import main
from indexer.optimize import optimize_index
from search.models import SearchRequest
from search.service import SearchService
from tests.conftest import SMALL_CORPUS

QUERIES = ["", "banjir", "jokowi", "banjir bekasi", '"banjir bekasi"', "korupsi OR banjir"]


def _segments(index_dir: Path) -> tuple[int, int]:
    """(segments, deleted documents) of the serving generation."""
    ix = index.open_dir(str(current_path(index_dir)))
    try:
        segments = ix._segments()
        return len(segments), sum(s.deleted_count() for s in segments)
    finally:
        ix.close()


def _answers(svc: SearchService, ordered: bool) -> list[Any]:
    out = []
    for q in QUERIES:
        r = svc.search(SearchRequest(q=q, per_page=100))
        ids = [h.id for h in r.hits]
        facets = {f: {v.value: v.count for v in values} for f, values in r.facets.items()}
        out.append((q, r.total, ids if ordered else sorted(ids), facets))
    return out


@pytest.mark.parametrize("history", ["segments", "updated"])
def test_merged_into_one_segment_with_the_same_answers(
    make_index: Callable[..., Path], history: str
) -> None:
    index_dir = make_index(SMALL_CORPUS, history)
    segments, deleted = _segments(index_dir)
    assert segments >= 2 and (deleted > 0) == (history == "updated")
    svc = SearchService(index_dir)  # opened before, as a serving worker is
    try:
        # Dropping deleted documents changes BM25's collection statistics, so an updated
        # index's order may change; what is found and counted may not.
        ordered = history == "segments"
        before = _answers(svc, ordered)
        serving = current_path(index_dir).resolve()
        summary = optimize_index(index_dir, grace_seconds=0)
        assert (summary.segments_before, summary.deleted_before) == (segments, deleted)
        assert summary.segments_after == 1 and _segments(index_dir) == (1, 0)
        assert current_path(index_dir).resolve() != serving
        assert _answers(svc, ordered) == before  # the same worker, now on the merged index
    finally:
        svc.close()
    svc = SearchService(index_dir)
    try:
        assert _answers(svc, ordered) == before
        collapsed = svc.search(SearchRequest(q="banjir", collapse="story", per_page=100))
        assert sum(h.story.matched for h in collapsed.hits if h.story) == collapsed.total
    finally:
        svc.close()


def test_one_segment_without_deletions_is_left_as_it_is(make_index: Callable[..., Path]) -> None:
    index_dir = make_index(SMALL_CORPUS, "fresh")
    serving = current_path(index_dir).resolve()
    summary = optimize_index(index_dir, grace_seconds=0)
    assert not summary.changed and summary.index_path == serving
    assert current_path(index_dir).resolve() == serving
    assert not list(index_dir.glob(".building-*"))


def test_the_command_says_what_it_merged(
    make_index: Callable[..., Path], runner: CliRunner
) -> None:
    index_dir = make_index(SMALL_CORPUS, "updated")
    result = runner.invoke(main, ["optimize", "--index-dir", str(index_dir), "--grace", "0"])
    assert result.exit_code == 0, result.output
    assert "Merged" in result.output and "into 1," in result.output
    again = runner.invoke(main, ["optimize", "--index-dir", str(index_dir)])
    assert again.exit_code == 0 and "Nothing to merge" in again.output


def test_no_index_is_a_clear_error(tmp_path: Path, runner: CliRunner) -> None:
    result = runner.invoke(main, ["optimize", "--index-dir", str(tmp_path / "none")])
    assert result.exit_code != 0
    assert "rebuild-index" in result.output and "unchanged" in result.output


def test_after_an_upgrade_it_writes_the_files_workers_map_again(
    make_index: Callable[..., Path], runner: CliRunner
) -> None:
    """An index whose derived files an older Telusur wrote (another FORMAT): every worker
    would derive them in its own memory at open; `optimize` writes them again, and a worker
    then maps them, with the same answers."""
    index_dir = make_index(SMALL_CORPUS, "fresh")
    serving = current_path(index_dir).resolve()
    manifest = serving / derived.DERIVED / derived.MANIFEST
    old = json.loads(manifest.read_text(encoding="utf-8"))
    manifest.write_text(json.dumps({**old, "format": derived.FORMAT - 1}), encoding="utf-8")
    svc = SearchService(index_dir)
    try:
        before = _answers(svc, ordered=True)
        assert svc._current().derived is None  # derived at open, in the worker's memory
    finally:
        svc.close()
    result = runner.invoke(main, ["optimize", "--index-dir", str(index_dir), "--grace", "0"])
    assert result.exit_code == 0, result.output
    assert "older Telusur" in result.output, result.output
    assert current_path(index_dir).resolve() != serving
    svc = SearchService(index_dir)
    try:
        assert svc._current().derived is not None
        assert _answers(svc, ordered=True) == before
    finally:
        svc.close()
    again = runner.invoke(main, ["optimize", "--index-dir", str(index_dir)])
    assert again.exit_code == 0 and "Nothing to merge: one segment" in again.output


def test_upgrade_only_writes_the_open_files_again_and_merges_nothing(
    make_index: Callable[..., Path], runner: CliRunner
) -> None:
    """`make run` runs `optimize --upgrade-only` at every start: on an index of several
    segments whose derived files are current it changes nothing; after an upgrade it writes
    them again, still without merging (a merge at 2.2M would hold `make run` for minutes)."""
    index_dir = make_index(SMALL_CORPUS, "segments")
    serving = current_path(index_dir).resolve()
    before = _segments(index_dir)
    assert before[0] > 1
    args = ["optimize", "--upgrade-only", "--index-dir", str(index_dir), "--grace", "0"]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "current" in result.output, result.output
    assert current_path(index_dir).resolve() == serving

    manifest = serving / derived.DERIVED / derived.MANIFEST
    old = json.loads(manifest.read_text(encoding="utf-8"))
    manifest.write_text(json.dumps({**old, "format": derived.FORMAT - 1}), encoding="utf-8")
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "older Telusur" in result.output, result.output
    assert current_path(index_dir).resolve() != serving
    assert _segments(index_dir) == before
    svc = SearchService(index_dir)
    try:
        assert svc._current().derived is not None
    finally:
        svc.close()
