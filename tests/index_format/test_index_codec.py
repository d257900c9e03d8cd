"""Segments written by PackedCodec (index_format.codec) read back exactly as Whoosh's own W3Codec
writes them: same terms, postings, weights, positions, statistics, stored fields and search
results; merged either way, with deletions; and old W3 segments still open beside them."""

from __future__ import annotations

import gzip
import json
from dataclasses import replace
from datetime import datetime
from itertools import islice
from pathlib import Path
from typing import Any

import pytest
from whoosh import index
from whoosh.codec.whoosh3 import W3Codec
from whoosh.query import And, DateRange, FuzzyTerm, Or, Phrase, Prefix, Term, Wildcard
from whoosh.writing import OPTIMIZE

from index_format.codec.packed import PackedCodec
from index_format.pool import build_writer
from index_format.schema import build_schema
from indexer.document import to_document
from indexer.models import RawRecord
from indexer.prepare import extract
from indexer.sources import read_archive
from tests.conftest import NEWS, REPO


def _records() -> list[RawRecord]:
    """160 CLICK-ID articles, or without ../shared our sample archive four times over (new ids):
    enough documents for common words to fill several posting blocks either way."""
    if not NEWS.exists():
        sample = [r for r in read_archive([REPO / "sample_archive"]) if isinstance(r, RawRecord)]
        return [replace(r, doc_id=f"{r.doc_id}-{k}") for k in range(4) for r in sample]
    with gzip.open(NEWS, "rt", encoding="utf-8") as f:
        return [
            RawRecord(
                doc_id=f"news-{n}",
                source="news",
                line=n,
                fields={k: rec.get(k) for k in ("title", "body", "url", "outlet", "published")},
            )
            for n, rec in enumerate(map(json.loads, islice(f, 160)))
        ]


@pytest.fixture(scope="module")
def docs() -> list[dict[str, Any]]:
    """The articles of _records as the indexer writes them, some with tagged names."""
    out = []
    for n, record in enumerate(_records()):
        article = extract(record)
        article.person = ["Joko Widodo"] if n % 3 == 0 else []
        article.place = ["Jakarta", "Bekasi"] if n % 5 == 0 else []
        out.append(to_document(article))
    return out


def build(path: Path, docs: list[dict[str, Any]], codec: Any, commits: int = 1) -> Any:
    """An index of `docs` in `commits` segments; codec "pool": the rebuild's build_writer."""
    path.mkdir()
    ix = index.create_in(path, build_schema())
    add(ix, docs, codec, commits)
    return ix


def add(ix: Any, docs: list[dict[str, Any]], codec: Any, commits: int = 1) -> None:
    size = -(-len(docs) // commits)
    for start in range(0, len(docs), size):
        w = build_writer(ix) if codec == "pool" else ix.writer(codec=codec)
        for doc in docs[start : start + size]:
            w.add_document(**doc)
        w.commit(merge=False)


def postings(reader: Any) -> list[tuple[Any, ...]]:
    out = []
    for fieldname, text in reader.all_terms():
        info = reader.term_info(fieldname, text)
        stats = (info.weight(), info.doc_frequency(), info.min_length(), info.max_length())
        m = reader.postings(fieldname, text)
        positional = reader.schema[fieldname].format.supports("positions")
        items = []
        while m.is_active():
            value = m.value_as("positions") if positional else m.value()
            items.append((m.id(), float(m.weight()), value))
            m.next()
        out.append((fieldname, text, stats, info.max_weight(), items))
    return out


def contents(ix: Any) -> tuple[Any, ...]:
    with ix.reader() as r:
        lengths = {f: r.field_length(f) for f in ("title", "body", "exact")}
        doc_lengths = [
            [r.doc_field_length(d, f) for f in ("title", "body", "exact")] for d in r.all_doc_ids()
        ]
        return postings(r), lengths, doc_lengths, list(r.all_stored_fields())


# Words of CLICK-ID news, or of our sample archive when ../shared is absent.
QUERIES = (
    [
        Term("body", "presiden"),
        Term("title", "kpk"),
        Or([Term("body", "papua"), Term("title", "papua"), Term("exact", "papua")]),
        Phrase("exact", ["presiden", "joko", "widodo"]),
        Phrase("body", ["presiden", "jokowi"], slop=3),
        And([Term("body", "presiden"), Term("exact", "jokowi")]),
    ]
    if NEWS.exists()
    else [
        Term("body", "banjir"),
        Term("title", "kpk"),
        Or([Term("body", "kpk"), Term("title", "kpk"), Term("exact", "kpk")]),
        Phrase("exact", ["komisi", "pemberantasan", "korupsi"]),
        Phrase("body", ["wali", "kota"], slop=3),
        And([Term("body", "kota"), Term("exact", "wali")]),
    ]
) + [
    Term("person", "Joko Widodo"),
    Term("place", "Bekasi"),
    Prefix("body", "pem"),
    Wildcard("exact", "*ja*a"),
    FuzzyTerm("exact", "jakarat", maxdist=2),
    DateRange("published", datetime(2019, 9, 11), datetime(2025, 12, 31)),  # both archives
]


def results(ix: Any) -> list[list[tuple[int, float]]]:
    with ix.searcher() as s:
        return [[(h.docnum, h.score) for h in s.search(q, limit=None)] for q in QUERIES]


@pytest.mark.slow
@pytest.mark.parametrize("codec", [PackedCodec(), "pool"])
def test_same_index_as_whoosh_codec(tmp_path: Path, docs: list[dict[str, Any]], codec: Any) -> None:
    ours = build(tmp_path / "ours", docs, codec)
    theirs = build(tmp_path / "theirs", docs, W3Codec())
    ours_contents = contents(ours)
    assert ours_contents == contents(theirs)
    terms = ours_contents[0]
    assert any(len(items) > 128 for *_, items in terms)  # several blocks
    assert any(1 < len(items) < 8 for *_, items in terms)  # rare terms
    assert all(results(ours))  # every query finds something
    assert results(ours) == results(theirs)


def segment_files(ix: Any) -> dict[str, bytes]:
    """The files inside an index's one segment, by extension."""
    (segment,) = ix._segments()
    files = segment.open_compound_file(ix.storage)
    return {name[name.index(".") :]: files.open_file(name).read() for name in files.list()}


def test_rebuild_pool_writes_what_whoosh_writer_writes(
    tmp_path: Path, docs: list[dict[str, Any]]
) -> None:
    """The rebuild's pool (text fields' postings as columns, encoded a field at a time) gives
    byte for byte the segment that Whoosh's writer gives with our codec, a posting at a time;
    also with document and field boosts, whose weights are not frequency × field boost."""
    boosted = [
        {**doc, "_boost": 1.5}
        if n % 7 == 0
        else {**doc, "_title_boost": 0.3}
        if n % 11 == 0
        else doc
        for n, doc in enumerate(docs)
    ]
    for name, batch in (("plain", docs), ("boosted", boosted)):
        pool = segment_files(build(tmp_path / f"pool-{name}", batch, "pool"))
        whoosh = segment_files(build(tmp_path / f"whoosh-{name}", batch, PackedCodec()))
        assert {".pkt", ".pkp", "._stored.col"} <= set(pool)
        assert pool == whoosh, name


def merge_all(ix: Any, codec: Any) -> Any:
    w = ix.writer(codec=codec)
    w.commit(mergetype=OPTIMIZE)
    assert len(ix._segments()) == 1
    return ix


def delete_some(ix: Any, docs: list[dict[str, Any]]) -> None:
    w = ix.writer()
    for doc in docs[::7]:
        w.delete_by_term("id", doc["id"])
    w.commit(merge=False)


@pytest.mark.slow
@pytest.mark.parametrize("merger", [PackedCodec(), W3Codec()], ids=["by-packed", "by-w3"])
def test_merged_segments_are_the_same_index(
    tmp_path: Path, docs: list[dict[str, Any]], merger: Any
) -> None:
    """Updates merge segments, some documents deleted: ours, merged by our codec or Whoosh's,
    read back as Whoosh merges its own."""
    ours = build(tmp_path / "ours", docs, "pool", commits=3)
    theirs = build(tmp_path / "theirs", docs, W3Codec(), commits=3)
    for ix in (ours, theirs):
        delete_some(ix, docs)
    merge_all(ours, merger)
    merge_all(theirs, W3Codec())
    assert contents(ours) == contents(theirs)
    assert results(ours) == results(theirs)
    expected = PackedCodec if isinstance(merger, PackedCodec) else W3Codec
    assert {type(seg.codec()) for seg in ours._segments()} == {expected}


def test_segments_name_the_packed_codec(tmp_path: Path, docs: list[dict[str, Any]]) -> None:
    ix = build(tmp_path / "ix", docs[:20], "pool")
    assert {type(seg.codec()) for seg in ix._segments()} == {PackedCodec}


def test_search_refuses_an_index_of_another_format(
    tmp_path: Path, docs: list[dict[str, Any]]
) -> None:
    """An index with segments Whoosh's own codec wrote (an older Telusur's format, or another
    tool's) is not searched through fallbacks: the service says a rebuild is needed."""
    from index_format.errors import RebuildNeeded
    from index_format.generations import swap_current
    from search.models import SearchRequest
    from search.service import SearchService

    index_dir = tmp_path / "old"
    index_dir.mkdir()
    ix = build(index_dir / "gen-1", docs[:20], "pool")
    add(ix, docs[20:40], W3Codec())
    swap_current(index_dir, index_dir / "gen-1")
    svc = SearchService(index_dir)
    with pytest.raises(RebuildNeeded):
        svc.search(SearchRequest(q="banjir"))
    svc.close()


def test_build_writer_remembers_only_values_that_recur(
    tmp_path: Path, docs: list[dict[str, Any]]
) -> None:
    """The writer remembers the analysed values of fields that recur (days, outlets, names);
    each article's own url would only push them out of its bounded memory."""
    ix = index.create_in(tmp_path, build_schema())
    w = build_writer(ix)
    for doc in docs:
        w.add_document(**doc)
    remembered = {field for field, _ in w._indexed}
    w.cancel()
    # (Our sample archive leaves some articles without a url: enough of them have one.)
    assert sum(bool(doc.get("url")) for doc in docs) >= 10
    assert "url" not in remembered
    assert {"published", "outlet", "person"} <= remembered
