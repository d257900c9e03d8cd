"""An update's records judged and tagged on forked workers (indexer.update, the build's
pipeline.Workers) write what one process writes: the same documents, at the same numbers,
with the same entities, and the same report."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from whoosh import index

import indexer.document
import indexer.update
from indexer.build import rebuild_index
from indexer.models import RawRecord
from indexer.sources import read_archive
from indexer.update import update_index

REPO = Path(__file__).resolve().parents[2]
CHUNK = 4  # records a chunk, for the test
SAMPLE = [REPO / "sample_archive" / "nasional.jsonl", REPO / "sample_archive" / "daerah.csv"]


def _records() -> list[dict[str, Any]]:
    return [
        {"id": r.doc_id, **r.fields}
        for r in read_archive(SAMPLE)
        if isinstance(r, RawRecord) and r.fields.get("body")
    ]


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def _documents(index_dir: Path) -> list[tuple[int, dict[str, Any]]]:
    ix = index.open_dir(str(index_dir / "current"))
    with ix.searcher() as s:
        reader = s.reader()
        return [(d, reader.stored_fields(d)) for d in reader.all_doc_ids()]


def _update(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, procs: int) -> tuple[Any, Any]:
    records = _records()
    base, rest = records[:12], records[12:]
    assert len(rest) > 4 * CHUNK, "enough records for several chunks"
    ix = tmp_path / f"ix{procs}"
    monkeypatch.setattr(indexer.document, "now", lambda: 1_700_000_000)  # (both runs)
    rebuild_index([_write(tmp_path / "base.jsonl", [json.dumps(r) for r in base])], ix)
    changed = [{**r, "body": r["body"] + " Tambahan zebrakuda."} for r in base[:4]]
    lines = [json.dumps(r) for r in base[4:8]]  # unchanged
    lines += [json.dumps(r) for r in changed]  # replaced
    lines.append("{not json")  # skipped as it is read
    lines += [json.dumps(r) for r in rest]  # new
    lines.append(json.dumps({**rest[5], "title": rest[5]["title"] + " (ralat)"}))  # wins
    batch = _write(tmp_path / "batch.jsonl", lines)

    real = indexer.update.extract

    def flaky(record: Any, *args: Any) -> Any:
        if record.doc_id.endswith("3"):
            raise ValueError("boom")
        return real(record, *args)

    forks: list[int] = []
    pool = indexer.update.Workers

    def counted(*args: Any) -> Any:
        forks.append(args[0])
        return pool(*args)

    # (Forked workers inherit the patches: the same failures.)
    monkeypatch.setattr(indexer.update, "extract", flaky)
    monkeypatch.setattr(indexer.update, "worker_count", lambda: procs)
    monkeypatch.setattr(indexer.update, "CHUNK", CHUNK)  # (the sample is small)
    monkeypatch.setattr(indexer.update, "Workers", counted)
    summary = update_index([batch], ix)
    assert forks == ([procs] if procs > 1 else [])
    report = summary.to_dict()
    del report["seconds"], report["index"]
    return report, _documents(ix)


def test_workers_write_what_one_process_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    serial, serial_docs = _update(tmp_path, monkeypatch, procs=1)
    parallel, parallel_docs = _update(tmp_path, monkeypatch, procs=2)
    assert (serial["added"], serial["replaced"], serial["unchanged"]) == (
        parallel["added"],
        parallel["replaced"],
        parallel["unchanged"],
    )
    assert serial["added"] > 2 * CHUNK and serial["replaced"] > 0
    assert serial["unchanged"] == 4 - sum(r["id"].endswith("3") for r in _records()[4:8])
    reasons = [s["reason"] for s in serial["skipped"]]
    assert any("boom" in r for r in reasons) and len(reasons) > 2
    assert parallel == serial  # the skipped in the order they were read, the dates tallied
    assert parallel_docs == serial_docs  # the same documents at the same numbers
    assert any(fields.get("person") for _, fields in serial_docs), "entities tagged"
    assert any("zebrakuda" in fields.get("body", "") for _, fields in serial_docs)
