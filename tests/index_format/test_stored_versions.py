"""The stored-field column's two versions (index_format.codec.storedcol): version 2 keeps a
naive datetime as its pickled state, version 1 (indexes written before) pickled it whole. Both
read back the same dicts, side by side in one index, and merge into version 2; an index built
in version 1 and updated since serves the same pages as one built anew."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from whoosh import index
from whoosh.codec.whoosh3 import W3Codec
from whoosh.fields import ID, STORED, Schema
from whoosh.filedb.filestore import RamStorage

from index_format.codec.packed import PackedCodec
from index_format.codec.storedcol import DictStoredColumn, StoredCodecMixin
from index_format.generations import current_path
from indexer.optimize import optimize_index
from indexer.update import update_index
from search.models import SearchRequest
from search.service import SearchService
from search.stored import StoredFields
from tests.conftest import SMALL_CORPUS, article
from tests.indexes import build_index, given_entities, write_jsonl


class _V1Codec(StoredCodecMixin, W3Codec):
    stored_column = DictStoredColumn(version=1)


class _V2Codec(StoredCodecMixin, W3Codec):
    pass


def _docs(n: int, start: int = 0) -> list[dict[str, Any]]:
    return [
        {
            "id": f"d{i}",
            "title": f"Judul {i}",
            "published": datetime(
                2019, 1 + i % 12, 1 + i % 28, i % 24, i % 60, i % 60, i * 7919 % 1_000_000
            ),
            "when": datetime(2020, 2, 29, 12, tzinfo=UTC) if i % 3 == 0 else None,
            "extra": {"b": b"\x00\xff", "t": datetime(2001, 1, 1)} if i % 5 == 0 else "x",
        }
        for i in range(start, start + n)
    ]


def _schema() -> Schema:
    return Schema(
        id=ID(stored=True, unique=True),
        title=STORED(),
        published=STORED(),
        when=STORED(),
        extra=STORED(),
    )


def _stored(ix: Any) -> list[dict[str, Any]]:
    with ix.searcher() as s:
        by_whoosh = [s.stored_fields(d) for d in range(s.doc_count_all())]
        assert StoredFields(s).many(list(range(s.doc_count_all()))) == by_whoosh
    return by_whoosh


def _versions(ix: Any) -> list[int]:
    with ix.reader() as r:
        leaves = [leaf for leaf, _ in r.leaf_readers()] if not r.is_atomic() else [r]
        return [leaf._perdoc.stored_column().version for leaf in leaves]


def _expected(docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in d.items() if v is not None} for d in docs]


def test_versions_read_the_same_beside_each_other_and_merged(tmp_path: Path) -> None:
    docs = _docs(300)
    ix = index.create_in(tmp_path, _schema())
    for codec, part in ((_V1Codec(), docs[:150]), (_V2Codec(), docs[150:])):
        with ix.writer(codec=codec) as w:
            for doc in part:
                w.add_document(**{k: v for k, v in doc.items() if v is not None})
            w.merge = False
    assert _versions(ix) == [1, 2]
    got = _stored(ix)
    assert got == _expected(docs)
    assert all(list(g) == sorted(g) for g in got)  # in the order Whoosh stores them
    assert all(type(g["published"]) is datetime for g in got)

    with ix.writer(codec=_V2Codec()) as w:  # merged into one version-2 segment
        w.delete_by_term("id", "d7")
        w.optimize = True
    assert _versions(ix) == [2]
    assert _stored(ix) == [d for d in _expected(docs) if d["id"] != "d7"]


def test_a_field_of_bytes_and_datetimes_is_refused() -> None:
    """Version 2 would read such bytes back as datetimes: the writer says so instead."""
    state, when = b"\x07\xe3\t\n" + bytes(6), datetime(2019, 9, 10)
    for first, second in ((state, when), (when, state)):  # either first
        writer = DictStoredColumn().writer(RamStorage().create_file("stored"))
        writer.add(0, {"extra": first})
        with pytest.raises(ValueError, match="bytes and datetimes"):
            writer.add(1, {"extra": second})


NEW = [
    article(
        "n1",
        "Gempa mengguncang Palu",
        "Gempa bermagnitudo 5,1 mengguncang Palu pada Selasa malam. Warga keluar rumah.",
        outlet="Kabar Nusantara",
        published="2019-10-01",
    ),
    article(
        "a1",
        "Banjir melanda Bekasi lagi",
        "Banjir kembali melanda Kota Bekasi. Warga mengungsi ke masjid.",
        outlet="Kabar Nusantara",
        published="2019-10-02",
    ),
]


def _pages(index_dir: Path) -> list[Any]:
    svc = SearchService(index_dir)
    try:
        out = []
        for q in ("banjir", "gempa", "warga", "bekasi"):
            result = svc.search(SearchRequest(q=q, per_page=20, facets=("outlet", "published")))
            out.append(
                (
                    result.total,
                    sorted((h.id, h.title, h.published, h.snippet) for h in result.hits),
                    sorted((f.value, f.count) for f in result.facets["published"]),
                )
            )
        return out
    finally:
        svc.close()


def test_an_index_of_version_1_updated_and_optimized_serves_as_one_built_anew(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Built when segments were written in version 1 (several segments), then updated with
    version-2 segments (an article replaced, one added), then merged into one: every page
    the same as from the same articles built today."""
    with monkeypatch.context() as m:
        m.setattr(PackedCodec, "stored_column", DictStoredColumn(version=1))
        old = build_index(tmp_path / "old", SMALL_CORPUS, "segments")
    assert set(_versions(index.open_dir(str(old)))) == {1}
    work = tmp_path / "work"
    work.mkdir()
    with given_entities(NEW):
        update_index([write_jsonl(work / "new.jsonl", NEW)], tmp_path / "old", grace_seconds=0)
    assert set(_versions(index.open_dir(str(current_path(tmp_path / "old"))))) == {1, 2}

    final = [a for a in SMALL_CORPUS if a.id != "a1"] + NEW
    build_index(tmp_path / "new", final, "fresh")
    want = _pages(tmp_path / "new")
    assert any(hits for _, hits, _ in want)
    assert _pages(tmp_path / "old") == want

    optimize_index(tmp_path / "old", grace_seconds=0)
    assert _versions(index.open_dir(str(current_path(tmp_path / "old")))) == [2]
    assert _pages(tmp_path / "old") == want
