"""A later record of an id wins (indexer.build.superseded): where each id last occurs is kept
packed (LastOccurrences) and must read back exactly, .txt records (no line) and a JSON
list's first record (index 0) included."""

from __future__ import annotations

import pytest

from indexer.build import last_occurrences, superseded
from indexer.models import RawRecord


def _rec(doc_id: str, source: str, line: int | None) -> RawRecord:
    return RawRecord(doc_id, source, line, {"title": "Judul", "body": "Isi"})


def test_only_the_last_record_of_an_id_is_kept() -> None:
    records = [
        _rec("a", "x.json", 0),
        _rec("b", "notes/b.txt", None),
        _rec("c", "y.jsonl", 3),
        _rec("a", "y.jsonl", 7),
        _rec("b", "z.jsonl", 1),
        _rec("d", "w.txt", None),
    ]
    count, last = last_occurrences(records)
    assert count == 6 and len(last) == 4 and "d" in last and "e" not in last
    kept = [(r.doc_id, r.source) for r in records if superseded(r, last) is None]
    assert kept == [("c", "y.jsonl"), ("a", "y.jsonl"), ("b", "z.jsonl"), ("d", "w.txt")]
    assert superseded(records[0], last) == "duplicate id 'a': a later record wins (y.jsonl:7)"
    assert last.get("d", ("?", 5)) == ("w.txt", None)
    assert last.get("e", ("?", 5)) == ("?", 5)  # a record the first read did not see


def test_a_json_lists_first_record_is_not_a_txt_file() -> None:
    _, last = last_occurrences([_rec("a", "x.json", 0)])
    assert last.get("a", ("?", None)) == ("x.json", 0)
    assert superseded(_rec("a", "x.json", None), last) is not None


def test_ids_whose_hashes_collide_are_told_apart(monkeypatch: pytest.MonkeyPatch) -> None:
    """Ids are found by their hash, then compared whole: two ids of one hash stay two."""
    import indexer.build as build

    monkeypatch.setattr(build, "hash", lambda s: len(s), raising=False)  # "ab" ~ "cd" ~ "é1"
    records = [
        _rec("ab", "x.jsonl", 0),
        _rec("cd", "x.jsonl", 1),
        _rec("é1", "y.txt", None),
        _rec("ab", "z.jsonl", 4),
        _rec("xyz", "x.jsonl", 2),
    ]
    count, last = last_occurrences(records)
    assert count == 5 and len(last) == 4
    assert "cd" in last and "é1" in last and "ef" not in last and "e" not in last
    assert [superseded(r, last) is None for r in records] == [False, True, True, True, True]
    assert last.get("ab", ("?", None)) == ("z.jsonl", 4)
    assert last.get("é1", ("?", 5)) == ("y.txt", None)
    assert last.get("ef", ("?", 5)) == ("?", 5)
