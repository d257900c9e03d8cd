"""Writes that never undo each other, and failures that end in one line and a report.

* A rebuild that started before a `delete` or `update-index` was acknowledged replays those
  changes before it swaps in (indexer.journal): the deleted article stays deleted and the
  updated one keeps its acknowledged version.
* A full disk ends the rebuild with a one-line reason; the report says it failed; the index
  that was serving still serves.
* A word of 70,000 letters is indexed clipped (the text stays whole) and found.
"""

from __future__ import annotations

import errno
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from whoosh import index

import indexer.pipeline
from indexer.build import rebuild_index
from indexer.cli import main
from indexer.document import to_document
from indexer.journal import article_of
from indexer.prepare import prepare_article
from indexer.sources import read_archive
from indexer.update import delete_articles, update_index
from search.models import SearchRequest
from search.service import SearchService

REPO = Path(__file__).resolve().parents[2]


def _jsonl(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def _records(n: int, word: str = "banjir") -> list[dict[str, Any]]:
    return [
        {"id": f"r{i}", "title": f"Berita {word} {i}", "body": f"Warga melaporkan {word} ke-{i}."}
        for i in range(n)
    ]


def _search(index_dir: Path, q: str) -> dict[str, str]:
    svc = SearchService(index_dir)
    try:
        return {h.id: h.title for h in svc.search(SearchRequest(q=q, per_page=100)).hits}
    finally:
        svc.close()


def test_a_rebuild_keeps_the_changes_acknowledged_while_it_ran(tmp_path: Path) -> None:
    index_dir = tmp_path / "ix"
    archive = _jsonl(tmp_path / "a.jsonl", _records(40))
    rebuild_index([archive], index_dir, grace_seconds=0)
    changed = {"id": "r5", "title": "Berita banjir diperbarui", "body": "Versi baru, diakui."}
    update = _jsonl(tmp_path / "u.jsonl", [changed, {"id": "new1", "title": "Banjir baru"}])
    acknowledged: list[str] = []

    def meanwhile(_: int) -> None:  # the rebuild reads its archive; others write
        if not acknowledged:
            acknowledged.append(f"deleted {delete_articles(['r3'], index_dir).deleted}")
            summary = update_index([update], index_dir)
            acknowledged.append(f"added {summary.added}, replaced {summary.replaced}")

    summary = rebuild_index([archive], index_dir, progress=meanwhile, grace_seconds=0)
    assert acknowledged == ["deleted 1", "added 1, replaced 1"]
    assert summary.replayed == (2, 1)  # r5 and new1 copied, r3 removed
    found = _search(index_dir, "banjir")
    assert "r3" not in found
    assert found["r5"] == "Berita banjir diperbarui" and "new1" in found
    assert len(found) == 40  # 40 - r3 + new1
    # A later rebuild without changes meanwhile replays nothing.
    assert rebuild_index([archive], index_dir, grace_seconds=0).replayed == (0, 0)


def test_an_article_reads_back_into_the_same_document(tmp_path: Path) -> None:
    """What the replay copies: stored fields and facets column give back the document."""
    sample = [REPO / "sample_archive" / "nasional.jsonl"]
    rebuild_index(sample, tmp_path / "ix", grace_seconds=0)
    ix = index.open_dir(str(tmp_path / "ix" / "current"))
    with ix.searcher() as s:
        column = s.reader().column_reader("facets")
        stored = {f["id"]: (f, column[d]) for d, f in enumerate(s.all_stored_fields())}
    ix.close()
    records = [r for r in read_archive(sample) if hasattr(r, "doc_id")]
    assert len(records) == len(stored) > 10
    for record in records:
        want = to_document(prepare_article(record))
        assert to_document(article_of(*stored[record.doc_id])) == want, record.doc_id


def test_a_full_disk_ends_the_rebuild_in_one_line_and_a_failed_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index_dir = tmp_path / "ix"
    archive = _jsonl(tmp_path / "a.jsonl", _records(10))
    runner = CliRunner()
    ok = runner.invoke(main, ["rebuild-index", str(archive), "--index-dir", str(index_dir)])
    assert ok.exit_code == 0, ok.output

    def full(self: Any) -> list[Any]:
        raise OSError(errno.ENOSPC, "No space left on device", "MAIN_x.seg")

    monkeypatch.setattr(indexer.pipeline, "worker_count", lambda: 1)
    monkeypatch.setattr(indexer.pipeline._Segments, "finish", full)
    failed = runner.invoke(main, ["rebuild-index", str(archive), "--index-dir", str(index_dir)])
    assert failed.exit_code == 1
    assert "disk full (MAIN_x.seg); the previous index is still serving" in failed.output
    assert "Traceback" not in failed.output
    report = json.loads((index_dir / "last-build-report.json").read_text(encoding="utf-8"))
    assert report["failed"] == "disk full (MAIN_x.seg)"
    assert len(_search(index_dir, "banjir")) == 10
    assert not list(index_dir.glob(".building-*"))


def test_a_word_too_long_for_any_index_is_clipped_and_the_text_kept(tmp_path: Path) -> None:
    long_word = "a" * 70_000
    archive = _jsonl(
        tmp_path / "a.jsonl",
        [
            {"id": "long", "title": "Banjir", "body": f"Banjir {long_word} surut."},
            {"id": "x" * 300, "title": "Berita", "body": "Banjir.", "outlet": "O" * 70_000},
        ],
    )
    summary = rebuild_index([archive], tmp_path / "ix", grace_seconds=0)
    assert summary.indexed == 2 and not summary.skipped
    svc = SearchService(tmp_path / "ix")
    try:
        view, _ = svc.article("long")
        assert long_word in view.body  # the text stays whole
        assert {h.id for h in svc.search(SearchRequest(q="a" * 400)).hits} == {"long"}
        assert len(svc.search(SearchRequest(q="banjir")).hits) == 2
    finally:
        svc.close()
