"""indexer.parallel: the parallel rebuild writes the same documents as the serial writer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from whoosh import index
from whoosh.query import Term

import indexer.build
import indexer.parallel
from index_format.schema import build_schema
from indexer.build import BuildSummary
from indexer.parallel import ParallelWriter, open_writer, write_records
from indexer.sources import read_archive

REPO = Path(__file__).resolve().parents[1]
SAMPLE = [REPO / "sample_archive" / "nasional.jsonl", REPO / "sample_archive" / "daerah.csv"]


def _build(
    tmp_path: Path, procs: int, limitmb: int = 32
) -> tuple[BuildSummary, dict[str, dict[str, Any]]]:
    tmp_path.mkdir(exist_ok=True)
    ix = index.create_in(tmp_path, build_schema())
    writer = open_writer(ix, procs=procs, limitmb=limitmb)
    assert isinstance(writer, ParallelWriter) == (procs > 1)
    summary = BuildSummary()
    ticks: list[int] = []
    write_records(writer, read_archive(SAMPLE), summary, progress=ticks.append)
    writer.commit()
    assert sum(ticks) == summary.indexed + len(summary.skipped)
    with index.open_dir(str(tmp_path)).searcher() as s:
        docs = {f["id"]: f for f in s.all_stored_fields()}
        assert s.doc_count() == len(docs) == summary.indexed
    return summary, docs


def test_parallel_rebuild_writes_what_the_serial_one_writes(tmp_path: Path) -> None:
    serial, serial_docs = _build(tmp_path / "serial", procs=1)
    parallel, parallel_docs = _build(tmp_path / "parallel", procs=2)
    assert parallel.indexed == serial.indexed > 30
    assert parallel_docs == serial_docs


def test_segments_are_committed_unmerged(tmp_path: Path) -> None:
    _build(tmp_path, procs=2)
    ix = index.open_dir(str(tmp_path))
    assert 1 <= len(ix._segments()) <= 2  # one per worker that received articles


def test_a_worker_starts_a_new_segment_when_its_postings_fill_the_budget(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, serial_docs = _build(tmp_path / "serial", procs=1)
    monkeypatch.setattr(indexer.parallel, "CHUNK", 4)
    _, small_docs = _build(tmp_path / "small", procs=2, limitmb=0)  # a segment per job
    assert len(index.open_dir(str(tmp_path / "small"))._segments()) > 2
    assert small_docs == serial_docs
    hits = []
    for name in ("serial", "small"):
        with index.open_dir(str(tmp_path / name)).searcher() as s:
            found = s.search(Term("body", "banjir"), limit=None)
            hits.append(sorted(s.stored_fields(d)["id"] for d in found.docs()))
    assert hits[0] == hits[1] and hits[0]


def test_an_extraction_error_costs_one_article(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = indexer.build.prepare_article

    def flaky(record: Any, today: Any = None) -> Any:
        if record.doc_id.endswith("3"):
            raise ValueError("boom")
        return real(record, today)

    monkeypatch.setattr(indexer.build, "prepare_article", flaky)  # forked workers inherit it
    summary, docs = _build(tmp_path, procs=2)
    failed = [s for s in summary.skipped if s.reason.startswith("extraction failed")]
    assert failed and all("boom" in s.reason for s in failed)
    assert not any(doc_id.endswith("3") for doc_id in docs)


def test_cancel_leaves_no_worker_behind(tmp_path: Path) -> None:
    ix = index.create_in(tmp_path, build_schema())
    writer = open_writer(ix, procs=2, limitmb=32)
    write_records(writer, read_archive(SAMPLE[:1]), BuildSummary())
    writer.cancel()
    assert all(not t.is_alive() for t in writer._tasks)
    assert index.open_dir(str(tmp_path)).doc_count() == 0
