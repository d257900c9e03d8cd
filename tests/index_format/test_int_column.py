"""The `added` column as one zstd frame (index_format.codec.intcol): every document's time
reads back as written, in every index state and through a merge, and an index written before
(NumericColumn, 8 bytes a document) reads as it did."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from whoosh.columns import NumericColumn
from whoosh.filedb.filestore import RamStorage

from index_format.added import added_times
from index_format.codec.intcol import ZstdIntColumn
from index_format.generations import current_path, open_index
from indexer.build import rebuild_index
from indexer.optimize import optimize_index
from indexer.update import delete_articles, update_index
from tests.index_format.columns import written


@pytest.mark.parametrize("doccount", [0, 1, 7, 5000])
def test_reads_back_whole_and_document_by_document(doccount: int) -> None:
    rnd = random.Random(doccount)
    given = {
        d: rnd.choice([0, 1796634027, -(1 << 63), (1 << 63) - 1, rnd.randrange(1 << 40)])
        for d in range(doccount)
        if d % 5 != 2  # documents without a value: the default
    }
    reader = written(given, doccount, ZstdIntColumn(default=-3))
    expected = [given.get(d, -3) for d in range(doccount)]
    assert len(reader) == doccount
    assert list(reader) == reader.load() == expected
    assert [reader[d] for d in reversed(range(doccount))] == expected[::-1]
    assert reader.array().tolist() == expected
    with pytest.raises(IndexError):
        reader[doccount]


def test_one_batch_of_times_takes_a_few_bytes() -> None:
    times = {d: 1796634027 + d // 1000 for d in range(100_000)}
    reader = written(times, len(times), ZstdIntColumn())
    assert reader._length < 2_000  # NumericColumn: 800,000
    assert reader.array().tolist() == list(times.values())


def test_added_after_a_later_document_is_refused() -> None:
    storage = RamStorage()
    writer = ZstdIntColumn().writer(storage.create_file("col"))
    writer.add(3, 1)
    with pytest.raises(ValueError, match="added after"):
        writer.add(2, 1)


def _jsonl(path: Path, ids: list[str]) -> Path:
    records = [
        {
            "id": i,
            "title": f"Banjir {i}",
            "body": f"Banjir melanda desa {i}.",
            "published": "2025-03-01",
        }
        for i in ids
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def _times(index_dir: Path) -> dict[str, int]:
    ix = open_index(current_path(index_dir))
    try:
        with ix.searcher() as s:
            reader = s.reader()
            times = added_times(reader, reader.doc_count_all())
            return {
                s.stored_fields(d)["id"]: int(times[d])
                for d in range(reader.doc_count_all())
                if not reader.is_deleted(d)
            }
    finally:
        ix.close()


@pytest.mark.parametrize("before", [False, True])
def test_times_read_back_after_updates_deletes_and_a_merge(
    before: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from index_format import schema

    index_dir = tmp_path / "ix"
    with monkeypatch.context() as mp:
        if before:  # the column as an index written before issue 23's intcol holds it
            mp.setattr(schema, "ZstdIntColumn", lambda default: NumericColumn("q", default=default))
        rebuild_index([_jsonl(tmp_path / "a.jsonl", ["a1", "a2", "a3"])], index_dir)
    ix = open_index(current_path(index_dir))
    kind = type(ix.schema["added"].column_type)
    ix.close()
    assert kind is (NumericColumn if before else ZstdIntColumn)
    first = _times(index_dir)
    assert sorted(first) == ["a1", "a2", "a3"] and min(first.values()) > 1_700_000_000
    update_index([_jsonl(tmp_path / "b.jsonl", ["b1", "b2"])], index_dir)
    update_index([_jsonl(tmp_path / "c.jsonl", ["c1"])], index_dir)
    assert delete_articles(["a2"], index_dir).deleted == 1
    times = _times(index_dir)
    assert sorted(times) == ["a1", "a3", "b1", "b2", "c1"]
    assert {k: times[k] for k in ("a1", "a3")} == {k: first[k] for k in ("a1", "a3")}
    assert max(first.values()) <= min(times["b1"], times["b2"]) <= max(times["b1"], times["b2"])
    assert max(times["b1"], times["b2"]) <= times["c1"]
    assert optimize_index(index_dir).segments_after == 1
    assert _times(index_dir) == times
    ix = open_index(current_path(index_dir))
    assert type(ix.schema["added"].column_type) is kind  # the index keeps its own column
    ix.close()
