"""Stored fields kept by index_format.codec.storedcol (a zstd dictionary trained per segment) read back
exactly as written and as Whoosh's own W3 codec gives them: before and after the dictionary
exists, in small segments, merged, with deletions, beside old W3 segments; and smaller."""

from __future__ import annotations

import gzip
import json
import pickle
import random
from datetime import datetime
from itertools import islice
from pathlib import Path
from typing import Any

import pytest
from whoosh import index
from whoosh.codec.whoosh3 import STORED_COLUMN as W3_STORED
from whoosh.codec.whoosh3 import W3Codec, W3Segment
from whoosh.fields import ID, STORED, TEXT, Schema
from whoosh.filedb.filestore import RamStorage

from index_format.codec.storedcol import (
    DICT_SIZE,
    MIN_SAMPLES,
    PICKLE_PROTOCOL,
    SAMPLE_BYTES,
    SMALL_DICT_SIZE,
    SMALL_SAMPLE_BYTES,
    STORED_COLUMN,
    DictStoredColumn,
    StoredCodecMixin,
    StoredPerDocReader,
)
from indexer.models import RawRecord
from indexer.sources import read_archive
from tests.conftest import NEWS, REPO

SMALL_SAMPLE = 64 * 1024


class _TestCodec(StoredCodecMixin, W3Codec):  # type: ignore[misc]
    pass


class _SmallSampleCodec(_TestCodec):
    """Trains its dictionary after 64 KB of documents: a segment of a few hundred articles
    then has documents written before the dictionary exists and after."""

    stored_column = DictStoredColumn(sample_bytes=SMALL_SAMPLE)


def _schema() -> Schema:
    return Schema(
        id=ID(stored=True, unique=True),
        title=TEXT(stored=True),
        body=STORED(),
        url=STORED(),
        published=STORED(),
        extra=STORED(),
        words=TEXT(),  # indexed only: a document may have no stored field at all
    )


def _articles() -> list[dict[str, Any]]:
    """300 CLICK-ID articles, or without ../shared our sample archive four times over."""
    if NEWS.exists():
        with gzip.open(NEWS, "rt", encoding="utf-8") as f:
            recs = [json.loads(line) for line in islice(f, 300)]
    else:
        sample = [r for r in read_archive([REPO / "sample_archive"]) if isinstance(r, RawRecord)]
        recs = [r.fields for _ in range(4) for r in sample]
    return [
        {
            "id": f"doc-{n}",
            "title": rec.get("title") or "",
            "body": rec.get("body") or "",
            "url": rec.get("url"),
            "published": datetime(2019, 1 + n % 12, 1 + n % 28, n % 24),
        }
        for n, rec in enumerate(recs)
    ]


# Values the sample must survive: unicode beyond the BMP, a lone surrogate, NUL, empty
# strings, None (not stored, as in Whoosh), nested containers and other types.
ODD: list[dict[str, Any]] = [
    {"id": "odd-emoji", "title": "Banjir 🌊 di Jakarta — “kutipan”", "body": "اَلْعَرَبِيَّةُ 中文 ẞ"},
    {"id": "odd-empty", "title": "", "body": "", "url": ""},
    {"id": "odd-none", "title": "Tanpa isi", "body": None, "url": None},
    {"id": "odd-bytes", "extra": {"b": b"\x00\xff", "n": [1, 2.5, None, True], "s": "\ud800\x00"}},
    {"words": "hanya kata terindeks tanpa field tersimpan"},
]


def _expected(doc: dict[str, Any], schema: Schema) -> dict[str, Any]:
    return {k: v for k, v in doc.items() if schema[k].stored and v is not None}


@pytest.fixture(scope="module")
def docs() -> list[dict[str, Any]]:
    arts = _articles()
    # Odd documents early (buffered before the dictionary exists) and last (after).
    late = [dict(d, id=f"{d['id']}-late") if "id" in d else dict(d) for d in ODD]
    return ODD[:3] + arts + ODD[3:] + late


def _build(path: Path, docs: list[dict[str, Any]], codec: Any, commits: int = 1) -> Any:
    path.mkdir(exist_ok=True)
    ix = index.create_in(path, _schema())
    size = -(-len(docs) // commits)
    for start in range(0, len(docs), size):
        w = ix.writer(codec=codec)
        for doc in docs[start : start + size]:
            w.add_document(**doc)
        w.commit(merge=False)
    return ix


def _stored_everyway(ix: Any) -> list[dict[str, Any]]:
    """The stored fields by searcher.stored_fields, and check iter_docs/all_stored_fields agree."""
    with ix.searcher() as s:
        r = s.reader()
        by_docnum = [s.stored_fields(d) for d in r.all_doc_ids()]
        assert [sf for _, sf in r.iter_docs()] == by_docnum
        assert list(r.all_stored_fields()) == by_docnum
    return by_docnum


def _stored_readers(ix: Any) -> list[Any]:
    """Each segment's "_stored" column reader (the codec named by the segment chooses it)."""
    r = ix.reader()
    leaves = [leaf for leaf, _ in r.leaf_readers()] if not r.is_atomic() else [r]
    out = []
    for leaf in leaves:
        perdoc = leaf._perdoc
        column = STORED_COLUMN if isinstance(leaf._codec, StoredCodecMixin) else W3_STORED
        out.append((perdoc, perdoc._cached_reader("_stored", column)))
    return out


def _stored_bytes(ix: Any) -> int:
    """Bytes of the "_stored" columns of all segments (inside the compound files)."""
    return sum(perdoc._get_column_file("_stored")[2] for perdoc, _ in _stored_readers(ix))


def test_read_back_equal_before_and_after_the_dictionary(
    tmp_path: Path, docs: list[dict[str, Any]]
) -> None:
    schema = _schema()
    ix = _build(tmp_path / "ours", docs, _SmallSampleCodec())
    ((_, column),) = _stored_readers(ix)
    assert column.dictionary_size > 0
    # Documents on both sides of the trained dictionary.
    sizes = [len(pickle.dumps(_expected(d, schema), PICKLE_PROTOCOL)) for d in docs]
    buffered = next(
        n + 1
        for n in range(len(sizes))
        if sum(sizes[: n + 1]) >= SMALL_SAMPLE and n + 1 >= MIN_SAMPLES
    )
    assert 3 < buffered < len(docs) - len(ODD)

    got = _stored_everyway(ix)
    assert got == [_expected(d, schema) for d in docs]
    assert got[-1] == {}  # the document without stored fields
    assert got == _stored_everyway(_build(tmp_path / "w3", docs, W3Codec()))


def test_a_huge_first_document_is_not_the_whole_sample(
    tmp_path: Path, docs: list[dict[str, Any]]
) -> None:
    """An article bigger than the sample comes first: the dictionary still learns from the
    documents after it, and every document reads back."""
    huge = {"id": "huge", "body": "\n".join(d.get("body") or "" for d in docs)[: 2 * SMALL_SAMPLE]}
    part = [huge, *docs]
    ix = _build(tmp_path / "ix", part, _SmallSampleCodec())
    ((_, column),) = _stored_readers(ix)
    assert column.dictionary_size > 0
    assert _stored_everyway(ix) == [_expected(d, _schema()) for d in part]


@pytest.mark.parametrize("n", [1, 2, 7, 40])
def test_segments_smaller_than_the_sample(
    tmp_path: Path, docs: list[dict[str, Any]], n: int
) -> None:
    """Segments whose documents all fit in the sample (updates add such segments)."""
    schema = _schema()
    part = docs[:1] + docs[-n:] if n > 1 else docs[:1]
    ix = _build(tmp_path / "ix", part, _TestCodec())
    assert _stored_everyway(ix) == [_expected(d, schema) for d in part]


def test_tiny_segment_keeps_no_dictionary(tmp_path: Path, docs: list[dict[str, Any]]) -> None:
    """Two documents cannot pay for a dictionary: the column has none and still reads."""
    ix = _build(tmp_path / "ix", docs[3:5], _TestCodec())
    ((_, column),) = _stored_readers(ix)
    assert column.dictionary_size == 0
    assert _stored_everyway(ix) == [_expected(d, _schema()) for d in docs[3:5]]


def test_merge_with_deletions(tmp_path: Path, docs: list[dict[str, Any]]) -> None:
    schema = _schema()
    ix = _build(tmp_path / "ix", docs, _SmallSampleCodec(), commits=4)
    assert len(ix._segments()) == 4
    gone = {d["id"] for d in docs[1::7] if "id" in d}
    with ix.writer(codec=_TestCodec()) as w:
        for doc_id in gone:
            w.delete_by_term("id", doc_id)
    kept = [_expected(d, schema) for d in docs if d.get("id") not in gone]
    assert _stored_everyway(ix) == kept

    ix.writer(codec=_SmallSampleCodec()).commit(optimize=True)
    assert len(ix._segments()) == 1
    assert _stored_everyway(ix) == kept


def test_old_w3_segments_still_read_beside_and_merged_with_ours(
    tmp_path: Path, docs: list[dict[str, Any]]
) -> None:
    """Nothing global changes: W3 segments read as before, beside ours; merged either way."""
    schema = _schema()
    half = len(docs) // 2
    ix = _build(tmp_path / "ix", docs[:half], W3Codec())
    w = ix.writer(codec=_TestCodec())
    for doc in docs[half:]:
        w.add_document(**doc)
    w.commit(merge=False)
    kinds = [isinstance(s.codec(), StoredCodecMixin) for s in ix._segments()]
    assert kinds == [False, True]
    expected = [_expected(d, schema) for d in docs]
    assert _stored_everyway(ix) == expected

    for codec in (W3Codec(), _TestCodec()):
        ix.writer(codec=codec).commit(optimize=True)
        assert [isinstance(s.codec(), StoredCodecMixin) for s in ix._segments()] == [
            isinstance(codec, StoredCodecMixin)
        ]
        assert _stored_everyway(ix) == expected


def test_reads_w3_stored_columns_too(tmp_path: Path, docs: list[dict[str, Any]]) -> None:
    """A codec class that gains the mixin still reads the segments it wrote before it had it
    (their codec is pickled by class name, so its new reader gets them)."""
    ix = _build(tmp_path / "w3", docs, W3Codec(), commits=2)
    expected = _stored_everyway(ix)
    got = []
    with ix.reader() as r:
        for leaf, _ in r.leaf_readers():
            perdoc = StoredPerDocReader(leaf._storage, leaf.segment())  # the compound file
            got += [perdoc.stored_fields(d) for d in range(leaf.doc_count_all())]
    assert got == expected


def test_smaller_than_w3(tmp_path: Path, docs: list[dict[str, Any]]) -> None:
    """The same documents, one segment each way: the "_stored" column shrinks."""
    ours = _stored_bytes(_build(tmp_path / "ours", docs, _TestCodec()))
    w3 = _stored_bytes(_build(tmp_path / "w3", docs, W3Codec()))
    assert ours < w3


def test_same_documents_same_bytes(tmp_path: Path, docs: list[dict[str, Any]]) -> None:
    """The dictionary comes from the data alone: rebuilding gives the same column."""
    columns = []
    for name in ("a", "b"):
        ix = _build(tmp_path / name, docs, _SmallSampleCodec())
        ((perdoc, _),) = _stored_readers(ix)
        f, offset, length = perdoc._get_column_file("_stored")
        columns.append(f.get(offset, length))
    assert columns[0] == columns[1]


def test_refuses_a_segment_its_codec_could_not_read(tmp_path: Path) -> None:
    """A codec whose segments name plain W3 would write stored fields W3 cannot read."""

    class NamesW3(_TestCodec):
        def new_segment(self, storage: Any, indexname: str) -> Any:
            return W3Segment(W3Codec(), indexname)

    ix = index.create_in(tmp_path, _schema())
    with pytest.raises(TypeError, match="StoredCodecMixin"):
        ix.writer(codec=NamesW3())


def _column(column: DictStoredColumn, values: list[dict[str, Any]]) -> Any:
    """`values` written through `column` into memory, and its reader."""
    storage = RamStorage()
    f = storage.create_file("stored")
    writer = column.writer(f)
    for n, value in enumerate(values):
        writer.add(n, value)
    writer.finish(len(values))
    f.close()
    length = storage.file_length("stored")
    return column.reader(storage.open_file("stored"), 0, length, len(values)), length


def _words_docs(total_bytes: int) -> list[dict[str, Any]]:
    """Documents of words drawn from a vocabulary larger than a small dictionary holds."""
    rng = random.Random(23)
    letters = "abcdeghijklmnoprstuwy"
    vocab = ["".join(rng.choice(letters) for _ in range(rng.randint(3, 10))) for _ in range(40000)]
    docs, size = [], 0
    while size < total_bytes:
        body = " ".join(rng.choice(vocab) for _ in range(rng.randint(150, 450)))
        docs.append({"id": f"d{len(docs)}", "body": body})
        size += len(body) + 20
    return docs


def test_a_segment_past_the_sample_trains_the_larger_dictionary() -> None:
    """A segment of more than SAMPLE_BYTES of documents (a merged one) trains a DICT_SIZE
    dictionary on them, and is smaller for it; a segment that fits in the sample trains the
    small one, on its first SMALL_SAMPLE_BYTES, as before. Both read back exactly."""
    large = _words_docs(SAMPLE_BYTES + (2 << 20))
    reader, length = _column(DictStoredColumn(), large)
    assert SMALL_DICT_SIZE < reader.dictionary_size <= DICT_SIZE
    assert [reader[n] for n in range(0, len(large), 97)] == large[::97]
    old = DictStoredColumn(dict_size=SMALL_DICT_SIZE, sample_bytes=SMALL_SAMPLE_BYTES)
    _, old_length = _column(old, large)
    assert length < old_length

    small = large[: len(large) // 5]
    reader, length = _column(DictStoredColumn(), small)
    assert 0 < reader.dictionary_size <= SMALL_DICT_SIZE
    assert [reader[n] for n in range(len(small))] == small
    _, old_length = _column(old, small)
    assert length == old_length  # the frames a small segment was written with before
