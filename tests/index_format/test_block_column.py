"""The `facets` column compressed in blocks (index_format.codec.blockcol) reads back what was
written, whole or a document at a time, through Whoosh's writers and merges; an index written
with the plain column (every index before it) still serves, updates and optimizes with the same
facet counts; and the column is smaller."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from whoosh import index
from whoosh.columns import VarBytesColumn
from whoosh.fields import COLUMN, ID, Schema
from whoosh.filedb.filestore import RamStorage

from index_format import schema as schema_module
from index_format.codec.blockcol import ZstdBlockColumn
from index_format.generations import current_path, open_index
from indexer.optimize import optimize_index
from indexer.update import update_index
from search.models import SearchRequest
from search.service import SearchService
from tests.index_format.columns import written
from tests.indexes import build_index, given_entities, write_jsonl
from tests.test_derived_open import _corpus
from tests.test_derived_segments import NEW


def _values(n: int, seed: int = 3, blobs: bool = True) -> list[bytes]:
    """Values as the facets column holds them: empty ones, repeats, non-ASCII, NUL and
    separators, and now and then one longer than a block."""
    rnd = random.Random(seed)
    names = ["Joko Widodo", "KPK", "Bekasi", "Sri Mulyani Indrawati", "Kompas.com", "ñandú 𝔸"]
    out = []
    for i in range(n):
        if i % 7 == 3:
            out.append(b"")
        elif blobs and i % 97 == 50:
            out.append(bytes(rnd.randrange(256) for _ in range(5_000)))
        else:
            picked = "\x1e".join(rnd.sample(names, rnd.randint(1, 4)))
            out.append(f"2019-0{1 + i % 9}-1{i % 10}\x1f{picked}\x00{i}".encode())
    return out


@pytest.mark.parametrize("block_bytes", [1, 200, 32 * 1024, 128 * 1024])
def test_reads_back_whole_and_document_by_document(block_bytes: int) -> None:
    values = _values(600)
    # Documents 0-4 and the last ten are never added: no value, as Whoosh fills them.
    given = {i: v for i, v in enumerate(values) if 5 <= i < 590}
    reader = written(given, 600, ZstdBlockColumn(block_bytes=block_bytes))
    want = [given.get(i, b"") for i in range(600)]
    assert list(reader) == want  # type: ignore[call-overload]
    order = list(range(600))
    random.Random(1).shuffle(order)
    assert [reader[i] for i in order] == [want[i] for i in order]  # type: ignore[index]
    assert len(reader) == 600  # type: ignore[arg-type]
    with pytest.raises(IndexError):
        reader[600]  # type: ignore[index]


@pytest.mark.parametrize("doccount", [0, 3])
def test_a_column_without_values(doccount: int) -> None:
    reader = written({}, doccount, ZstdBlockColumn())
    assert list(reader) == [b""] * doccount  # type: ignore[call-overload]


def test_through_whoosh_segments_merged_with_deletions() -> None:
    schema = Schema(id=ID(stored=True, unique=True), col=COLUMN(ZstdBlockColumn(block_bytes=300)))
    ix = RamStorage().create_index(schema)
    values = _values(240)
    for start in (0, 80, 160):  # three segments
        with ix.writer() as w:
            for i in range(start, start + 80):
                if values[i]:
                    w.add_document(id=str(i), col=values[i])
                else:
                    w.add_document(id=str(i))
    with ix.writer() as w:
        for i in range(0, 240, 5):
            w.delete_by_term("id", str(i))
    assert len(ix._segments()) == 3
    ix.optimize()  # one segment: the columns copied document by document
    with ix.searcher() as s:
        assert len(ix._segments()) == 1 and s.doc_count_all() == 192
        column = s.reader().column_reader("col")
        got = {s.stored_fields(d)["id"]: column[d] for d in s.reader().all_doc_ids()}
    assert got == {str(i): values[i] for i in range(240) if i % 5}


def _facets(index_dir: Path) -> dict[str, dict[str, int]]:
    svc = SearchService(index_dir)
    try:
        res = svc.search(SearchRequest(q=""))
        return {f: {v.value: v.count for v in values} for f, values in res.facets.items()}
    finally:
        svc.close()


def _facets_column_type(index_dir: Path) -> type:
    ix = open_index(current_path(index_dir))
    try:
        return type(ix.schema["facets"].column_type)
    finally:
        ix.close()


def test_an_index_with_the_plain_column_serves_updates_and_optimizes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = _corpus()
    new_dir, old_dir = tmp_path / "new", tmp_path / "old"
    build_index(new_dir, corpus, "segments")
    with monkeypatch.context() as mp:  # as every version before the compressed column wrote it
        mp.setattr(schema_module, "ZstdBlockColumn", lambda: VarBytesColumn())
        build_index(old_dir, corpus, "segments")
    assert _facets_column_type(old_dir) is VarBytesColumn
    assert _facets_column_type(new_dir) is ZstdBlockColumn
    assert _facets(old_dir) == _facets(new_dir)
    assert _facets(new_dir)["person"]
    for index_dir in (old_dir, new_dir):
        with given_entities([*corpus, *NEW]):
            update_index([write_jsonl(tmp_path / "u.jsonl", NEW)], index_dir, grace_seconds=0)
    assert _facets(old_dir) == _facets(new_dir)
    assert _facets(new_dir)["person"]["Budi Santoso"] == 3
    for index_dir in (old_dir, new_dir):
        optimize_index(index_dir, grace_seconds=0)
    assert _facets(old_dir) == _facets(new_dir)
    assert _facets_column_type(old_dir) is VarBytesColumn  # the pickled schema keeps its column


def test_smaller_than_the_plain_column(tmp_path: Path) -> None:
    values = _values(2_000, blobs=False)
    plain_storage = RamStorage()
    f = plain_storage.create_file("col")
    plain = VarBytesColumn().writer(f)
    for i, v in enumerate(values):
        plain.add(i, v)
    plain.finish(len(values))
    plain_size = f.tell()
    storage = RamStorage()
    g = storage.create_file("col")
    ours = ZstdBlockColumn().writer(g)
    for i, v in enumerate(values):
        ours.add(i, v)
    ours.finish(len(values))
    assert g.tell() * 2 < plain_size


def test_refuses_another_columns_bytes() -> None:
    storage = RamStorage()
    f = storage.create_file("col")
    plain = VarBytesColumn().writer(f)
    plain.add(0, b"plain bytes, not ours")
    plain.finish(1)
    length = f.tell()
    f.close()
    with pytest.raises(ValueError, match="not a ZstdBlockColumn"):
        ZstdBlockColumn().reader(storage.open_file("col"), 0, length, 1)


def test_index_opens_with_whoosh_too(tmp_path: Path) -> None:
    """The column's class is what the pickled schema names: Whoosh's own open_dir reads it."""
    corpus = _corpus(12)
    build_index(tmp_path / "ix", corpus, "fresh")
    ix = index.open_dir(str(current_path(tmp_path / "ix")))
    with ix.searcher() as s:
        raws = list(s.reader().column_reader("facets"))
    ix.close()
    assert len(raws) == len(corpus) and all(raws)


@pytest.mark.parametrize("former_default", [32 * 1024, 128 * 1024])
def test_a_schema_naming_a_former_default_writes_todays_blocks(former_default: int) -> None:
    """A column pickled in a schema before names the default then (32 KB before issue 23,
    128 KB before its second pass): its segments written again (a merge, an update) take
    today's larger blocks, and read back."""
    from index_format.codec.blockcol import BLOCK_BYTES

    values = [v * 800 for v in _values(2000)]  # ~20 MB of values
    given = dict(enumerate(values))
    former = written(given, len(values), ZstdBlockColumn(level=9, block_bytes=former_default))
    today = written(given, len(values), ZstdBlockColumn())
    small = written(given, len(values), ZstdBlockColumn(block_bytes=16 * 1024))
    total = sum(map(len, values))
    assert total > 2 * BLOCK_BYTES
    assert 3 <= len(former._firsts) == len(today._firsts) <= total // BLOCK_BYTES + 1  # type: ignore[attr-defined]
    assert former._frame_at.tolist() == today._frame_at.tolist()  # type: ignore[attr-defined]
    assert len(small._firsts) > 2 * len(today._firsts)  # type: ignore[attr-defined]
    assert list(former) == values  # type: ignore[call-overload]
    assert [former[i] for i in (0, 999, 1999)] == [values[i] for i in (0, 999, 1999)]  # type: ignore[index]
