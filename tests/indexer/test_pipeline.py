"""indexer.pipeline: one way to write, on one core or several; a bad record costs itself only,
and a failure no record caused stops the build with one line, leaving no worker behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from whoosh import index
from whoosh.query import Term

import index_format.pool
import indexer.pipeline
import indexer.prepare
from index_format import segment_parts
from index_format.analysis import NAME_MARK
from index_format.schema import build_schema
from indexer.build import BuildSummary
from indexer.pipeline import WriteFailed, open_writer
from indexer.sources import read_archive

REPO = Path(__file__).resolve().parents[2]
SAMPLE = [REPO / "sample_archive" / "nasional.jsonl", REPO / "sample_archive" / "daerah.csv"]


def _build(
    tmp_path: Path, procs: int, limitmb: int = 32
) -> tuple[BuildSummary, dict[str, dict[str, Any]]]:
    tmp_path.mkdir(exist_ok=True)
    ix = index.create_in(tmp_path, build_schema())
    writer = open_writer(ix, procs=procs, limitmb=limitmb)
    summary = BuildSummary()
    ticks: list[int] = []
    writer.feed(read_archive(SAMPLE), summary, progress=ticks.append)
    writer.commit()
    assert sum(ticks) == summary.indexed + len(summary.skipped)
    with index.open_dir(str(tmp_path)).searcher() as s:
        docs = {f["id"]: f for f in s.all_stored_fields()}
        assert s.doc_count() == len(docs) == summary.indexed
    return summary, docs


def _ids_with(path: Path, word: str) -> list[str]:
    with index.open_dir(str(path)).searcher() as s:
        found = s.search(Term("body", word), limit=None)
        return sorted(s.stored_fields(d)["id"] for d in found.docs())


def test_parallel_rebuild_writes_what_the_serial_one_writes(tmp_path: Path) -> None:
    serial, serial_docs = _build(tmp_path / "serial", procs=1)
    parallel, parallel_docs = _build(tmp_path / "parallel", procs=2)
    assert parallel.indexed == serial.indexed > 30
    assert parallel_docs == serial_docs


@pytest.mark.parametrize("procs", [1, 2])
def test_each_segment_is_written_with_its_derived_parts(tmp_path: Path, procs: int) -> None:
    """The writer of a segment (a worker, with several) derives its share of the derived
    files as it finishes it: publishing reads them instead of deriving all on one core."""
    ix = index.create_in(tmp_path, build_schema())
    writer = open_writer(ix, procs=procs, limitmb=0)  # a new segment after every chunk
    summary = BuildSummary()
    writer.feed(read_archive(SAMPLE), summary)
    writer.commit()
    segments = index.open_dir(str(tmp_path))._segments()
    assert len(segments) >= 2
    for segment in segments:
        parts = segment_parts.read(segment_parts.path_of(tmp_path, segment.segment_id()))
        assert parts is not None
        assert parts.facets.size == segment.doc_count_all()
    assert sum(s.doc_count_all() for s in segments) == summary.indexed


def test_segments_are_committed_unmerged(tmp_path: Path) -> None:
    _build(tmp_path, procs=2)
    ix = index.open_dir(str(tmp_path))
    assert 1 <= len(ix._segments()) <= 2  # one per worker that received articles


@pytest.mark.parametrize("procs", [1, 2])
def test_a_new_segment_when_the_postings_fill_the_budget(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, procs: int
) -> None:
    _, one_segment = _build(tmp_path / "one", procs=1, limitmb=256)
    monkeypatch.setattr(indexer.pipeline, "CHUNK", 4)
    _, small = _build(tmp_path / "small", procs=procs, limitmb=0)  # a segment per chunk
    assert len(index.open_dir(str(tmp_path / "small"))._segments()) > 2
    assert small == one_segment
    assert _ids_with(tmp_path / "one", "banjir") == _ids_with(tmp_path / "small", "banjir") != []


@pytest.mark.parametrize("procs", [1, 2])
def test_an_extraction_error_costs_one_article(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, procs: int
) -> None:
    real = indexer.prepare.prepare_article

    def flaky(record: Any, *args: Any) -> Any:
        if record.doc_id.endswith("3"):
            raise ValueError("boom")
        return real(record, *args)

    monkeypatch.setattr(indexer.prepare, "prepare_article", flaky)  # forked workers inherit it
    summary, docs = _build(tmp_path, procs=procs)
    failed = [s for s in summary.skipped if s.reason.startswith("extraction failed")]
    assert failed and all("boom" in s.reason for s in failed)
    assert not any(doc_id.endswith("3") for doc_id in docs)


@pytest.mark.parametrize("procs", [1, 2])
def test_a_document_the_writer_refuses_costs_itself_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, procs: int
) -> None:
    """Analysis failing on one article's title (after its body's and exact field's postings
    would have been added) leaves no stray postings: every other article reads back exactly."""
    real = index_format.pool.index_tokens

    def flaky(text: str, stemmed: bool, lows: list[str] | None = None) -> tuple[list[str], int]:
        if "Raih Pendanaan Seri A" in text.replace(NAME_MARK, ""):  # its title, the last field
            raise ValueError("analysis broke")
        return real(text, stemmed, lows)

    _, clean = _build(tmp_path / "clean", procs=1)
    monkeypatch.setattr(index_format.pool, "index_tokens", flaky)
    summary, docs = _build(tmp_path / "flaky", procs=procs)
    refused = [s for s in summary.skipped if "analysis broke" in s.reason]
    assert len(refused) == 1 and refused[0].reason.startswith("cannot be indexed")
    assert set(clean) - set(docs) == {"kn-2025-0001"}
    for word in ("banjir", "bekasi", "pelabuhan"):
        want = [i for i in _ids_with(tmp_path / "clean", word) if i != "kn-2025-0001"]
        assert _ids_with(tmp_path / "flaky", word) == want


def test_cancel_leaves_no_worker_behind(tmp_path: Path) -> None:
    ix = index.create_in(tmp_path, build_schema())
    writer = open_writer(ix, procs=2, limitmb=32)
    writer.feed(read_archive(SAMPLE[:1]), BuildSummary())
    writer.cancel()
    assert all(not t.is_alive() for t in writer._tasks)
    assert index.open_dir(str(tmp_path)).doc_count() == 0


def test_a_dead_worker_stops_the_build_with_a_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = indexer.prepare.prepare_article

    def dies(record: Any, *args: Any) -> Any:
        if record.doc_id.endswith("7") and os.getpid() != parent:
            os._exit(3)  # as the kernel's OOM killer would
        return real(record, *args)

    parent = os.getpid()
    monkeypatch.setattr(indexer.prepare, "prepare_article", dies)
    ix = index.create_in(tmp_path, build_schema())
    writer = open_writer(ix, procs=2, limitmb=32)
    with pytest.raises(WriteFailed, match="exit code 3"):
        writer.feed(read_archive(SAMPLE), BuildSummary())
    writer.cancel()
    assert all(not t.is_alive() for t in writer._tasks)


def _alive(pid: int) -> bool:
    """Running (a zombie waiting for a reaper is dead)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state != "Z"


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
def test_workers_die_with_a_killed_rebuild(tmp_path: Path) -> None:
    """kill -9 of a rebuild leaves none of its workers running (each holds ~175 MB)."""
    archive = tmp_path / "big.jsonl"
    body = " ".join(["Banjir melanda Kota Bekasi dan warga mengungsi ke masjid."] * 40)
    archive.write_text(
        "".join(
            f'{{"id": "b{i}", "title": "Banjir {i}", "body": "{body}"}}\n' for i in range(4000)
        ),
        encoding="utf-8",
    )
    command = ["rebuild-index", str(archive), "--index-dir", str(tmp_path / "ix")]
    proc = subprocess.Popen(
        [sys.executable, "-m", "indexer.cli", *command],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    children: list[int] = []
    deadline = time.monotonic() + 60
    while len(children) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
        tasks = Path(f"/proc/{proc.pid}/task")
        children = [int(c) for t in tasks.iterdir() for c in (t / "children").read_text().split()]
    assert len(children) >= 2, "the rebuild should have forked its workers"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 10
    while any(_alive(c) for c in children) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(c) for c in children)
