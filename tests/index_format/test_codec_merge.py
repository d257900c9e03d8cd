"""Segments merged at the codec level (index_format.codec.merge): what Whoosh's own merge
writes, byte for byte, and every search answer the unmerged index gave."""

from __future__ import annotations

import gzip
import json
import math
import shutil
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from whoosh import index
from whoosh.filedb import structfile
from whoosh.filedb.filestore import FileStorage
from whoosh.writing import OPTIMIZE

from index_format import segment_parts
from index_format.codec import PackedCodec
from index_format.codec.merge import _field_terms, commit_merge
from index_format.generations import current_path, open_index
from indexer import build, optimize, pipeline
from indexer.build import rebuild_index
from indexer.optimize import optimize_index
from indexer.update import delete_articles, update_index
from search.models import SearchRequest
from search.service import SearchService
from tests.conftest import NEWS, SMALL_CORPUS

CLICKID_ARTICLES = 360


def _clickid_lines(count: int) -> list[str]:
    with gzip.open(NEWS, "rt", encoding="utf-8") as news:
        return [next(news) for _ in range(count)]


def _clickid_index(root: Path, history: str) -> Path:
    """CLICK-ID articles (the real tagger) in four segments; `updated`: then some replaced by
    update-index and some deleted (segments with deleted documents)."""
    lines = _clickid_lines(CLICKID_ARTICLES)
    archive = root / "a.jsonl"
    archive.write_text("".join(lines), encoding="utf-8")
    index_dir = root / "index"
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(pipeline, "worker_count", lambda: 2)
        mp.setattr(pipeline, "CHUNK", math.ceil(len(lines) / 4))
        mp.setattr(build, "SEGMENT_MB", 0)  # a writer starts a new segment at each chunk
        rebuild_index([archive], index_dir, grace_seconds=0)
    if history == "updated":
        changed = []
        for line in lines[:30]:
            record = json.loads(line)
            record["body"] = record.get("body", "") + " Pembaruan redaksi banjir."
            changed.append(json.dumps(record) + "\n")
        (root / "b.jsonl").write_text("".join(changed), encoding="utf-8")
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(optimize, "tier_merge", lambda segments: [])  # keep its segments
            update_index([root / "b.jsonl"], index_dir, grace_seconds=0)
        ids = [json.loads(line)["id"] for line in lines[100:120]]
        assert delete_articles(ids, index_dir, grace_seconds=0).deleted == len(ids)
    return index_dir


@pytest.fixture(scope="module", params=["segments", "updated"])
def clickid_index(request: pytest.FixtureRequest, tmp_path_factory: Any) -> Path:
    if not NEWS.exists():
        pytest.skip("needs ../shared/data/news-clickid.jsonl.gz")
    return _clickid_index(tmp_path_factory.mktemp(f"clickid-{request.param}"), request.param)


def _copy(index_dir: Path, to: Path) -> Path:
    shutil.copytree(index_dir, to, symlinks=True)
    return to


def whoosh_merge(ix: Any, choose: Callable[..., Any]) -> int:
    """commit_merge's stand-in: every segment merged by Whoosh's own merge."""
    writer = ix.writer(codec=PackedCodec())
    writer.commit(mergetype=OPTIMIZE)
    return 1


def _merged_by(index_dir: Path, merge: Callable[..., Any], monkeypatch: Any) -> Path:
    """`telusur optimize` of `index_dir`, merging with `merge` (commit_merge's signature)."""
    monkeypatch.setattr(optimize, "commit_merge", merge)
    summary = optimize_index(index_dir, grace_seconds=0)
    monkeypatch.undo()
    assert summary.segments_after == 1
    return current_path(index_dir)


def _whole_segment(gen: Path) -> Iterator[tuple[str, Any]]:
    """Everything the one segment of the generation `gen` holds, as comparable values."""
    ix = index.open_dir(str(gen))
    try:
        with ix.reader() as r:
            assert r.is_atomic() and not r.has_deletions()
            yield "docs", r.doc_count_all()
            yield "stored", list(r.all_stored_fields())
            yield "totals", {f: r.field_length(f) for f in r.schema.scorable_names()}
            for f in r.schema.scorable_names():
                yield f"len {f}", [r.doc_field_length(d, f) for d in range(r.doc_count_all())]
            for f in r.schema.names():
                if r.has_column(f):
                    yield f"column {f}", list(r.column_reader(f))
            terms = r._terms
            for f in sorted(terms.indexed_field_names()):
                for rec in _field_terms(0, terms, f):
                    yield f"term {f} {rec.term!r}", rec
    finally:
        ix.close()


def test_the_merged_segment_is_what_whooshs_merge_writes(
    clickid_index: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every term's record and stats, stored fields, lengths and columns, deleted documents
    dropped and the others renumbered as Whoosh's own merge does."""
    ours = _merged_by(_copy(clickid_index, tmp_path / "ours"), commit_merge, monkeypatch)
    theirs = _merged_by(_copy(clickid_index, tmp_path / "theirs"), whoosh_merge, monkeypatch)
    got, want = dict(_whole_segment(ours)), dict(_whole_segment(theirs))
    # Field length totals differ: Whoosh's adds each document's length byte (approximate),
    # ours keeps the segments' exact totals (less deleted documents' length bytes).
    totals, _ = got.pop("totals"), want.pop("totals")
    if not _has_deletions(clickid_index):
        assert totals == _totals(clickid_index)
    assert got.keys() == want.keys()
    differ = [k for k in want if got[k] != want[k]]
    assert not differ, differ[:5]
    assert sum(k.startswith("term body") for k in got) > 3_000


def _queries(index_dir: Path) -> list[str]:
    """Words of many frequencies (the commonest, middling, rare), pairs, phrases, OR, and
    a word every article lacks."""
    ix = index.open_dir(str(current_path(index_dir)))
    with ix.searcher() as s:
        words = Counter(
            {
                t.decode(): s.doc_frequency("exact", t)
                for t in s.lexicon("exact")
                if t.isalpha() and len(t) > 3
            }
        )
    ix.close()
    ranked = [w for w, _ in words.most_common()]
    picked = ranked[:30] + ranked[len(ranked) // 3 :: max(1, len(ranked) // 40)][:40]
    pairs = [f"{a} {b}" for a, b in zip(picked[:20], picked[5:25], strict=False)]
    return [
        "",
        *picked,
        *pairs,
        *[f'"{p}"' for p in pairs[:8]],
        *[f"{a} OR {b}" for a, b in zip(picked[::7], picked[3::7], strict=False)],
        "zzzkatayangtidakada",
    ]


def _answers(index_dir: Path, queries: list[str], scores: bool) -> list[Any]:
    svc = SearchService(index_dir)
    out = []
    try:
        for q in queries:
            for sort in ("relevance", "newest"):
                r = svc.search(SearchRequest(q=q, per_page=50, sort=sort))
                hits = [
                    (h.id, h.snippet, round(h.score, 9) if scores and h.score else None)
                    for h in r.hits
                ]
                if not scores:  # scores moved: only a whole answer is the same set
                    hits = sorted(hits) if r.total <= len(r.hits) else []
                facets = {f: [(v.value, v.count) for v in vs] for f, vs in r.facets.items()}
                out.append((q, sort, r.total, hits, facets, r.suggestion))
    finally:
        svc.close()
    return out


def test_every_answer_is_the_same_after_the_merge(
    clickid_index: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without deletions the merged index answers exactly as the segments did, scores
    included (BM25's statistics are the same); with deletions, the same articles, counts and
    snippets as before and as after Whoosh's own merge (dropped documents leave the
    statistics, so scores move)."""
    queries = _queries(clickid_index)
    ours = _copy(clickid_index, tmp_path / "ours")
    updated = _has_deletions(clickid_index)
    before = _answers(clickid_index, queries, scores=not updated)
    _merged_by(ours, commit_merge, monkeypatch)
    after = _answers(ours, queries, scores=not updated)
    if updated:  # scores move (dropped documents leave the statistics); facets do not
        assert [a[:4] + a[5:] for a in after] == [a[:4] + a[5:] for a in before]
        # Facet names depend on live articles only: the same lists after the merge.
        assert [a[4] for a in after] == [a[4] for a in before]
    else:
        assert after == before
    assert sum(1 for a in before if a[2]) > len(queries)  # most queries find articles
    if updated:
        theirs = _copy(clickid_index, tmp_path / "theirs")
        _merged_by(theirs, whoosh_merge, monkeypatch)
        # The same articles, counts and snippets; scores differ slightly, as field length
        # totals do: Whoosh's adds each document's length byte, ours keeps the segments'.
        assert _answers(ours, queries, scores=False) == _answers(theirs, queries, scores=False)


def _totals(index_dir: Path) -> dict[str, int]:
    ix = index.open_dir(str(current_path(index_dir)))
    try:
        with ix.reader() as r:
            return {f: r.field_length(f) for f in r.schema.scorable_names()}
    finally:
        ix.close()


def _has_deletions(index_dir: Path) -> bool:
    ix = index.open_dir(str(current_path(index_dir)))
    try:
        return any(s.deleted_count() for s in ix._segments())
    finally:
        ix.close()


@pytest.mark.parametrize("history", ["segments", "updated"])
def test_small_corpus_answers_and_facets(
    make_index: Callable[..., Path], history: str, tmp_path: Path, monkeypatch: Any
) -> None:
    """The test corpus whose entities are given: facets with merged names stay as counted."""
    index_dir = make_index(SMALL_CORPUS, history)
    queries = ["", "banjir", "bekasi", "jokowi", '"banjir bekasi"', "korupsi OR banjir", "hujan"]
    ordered = history == "segments"
    before = _answers(index_dir, queries, scores=ordered)
    _merged_by(index_dir, commit_merge, monkeypatch)
    assert _answers(index_dir, queries, scores=ordered) == before


def test_the_joined_derived_parts_are_what_the_merged_segment_derives(
    make_index: Callable[..., Path], tmp_path: Path
) -> None:
    """segment_parts.join (the merge writes the merged segment's parts from the segments'
    instead of parsing its facets column again) equals derive() of the merged segment."""
    index_dir = make_index(SMALL_CORPUS, "segments")
    gen = current_path(index_dir)
    ix = index.open_dir(str(gen))
    with ix.reader() as r:
        leaves = [leaf for leaf, _ in r.leaf_readers()]
        assert len(leaves) >= 2
        ids = [leaf.segment().segment_id() for leaf in leaves]
    ix.close()
    parts = [segment_parts.read(segment_parts.path_of(gen, i)) for i in ids]
    assert all(p is not None for p in parts)
    joined = segment_parts.join([p for p in parts if p is not None])
    assert joined is not None
    ix = index.open_dir(str(gen))
    w = ix.writer(codec=PackedCodec())
    w.commit(mergetype=OPTIMIZE)  # Whoosh's own merge: its facets column parsed anew
    with ix.reader() as r:
        want = segment_parts.derive(r)
    ix.close()
    assert joined.facets.size == want.facets.size
    assert np.array_equal(joined.facets.day, want.facets.day)
    assert np.array_equal(joined.facets.added, want.facets.added)
    assert joined.facets.rows.keys() == want.facets.rows.keys()
    for key, (doc, val, names) in want.facets.rows.items():
        jdoc, jval, jnames = joined.facets.rows[key]
        assert jnames == names, key
        assert np.array_equal(jdoc, doc) and np.array_equal(jval, val), key
        assert jdoc.dtype == doc.dtype and jval.dtype == val.dtype
    assert joined.lengths.keys() == want.lengths.keys()
    for f, lengths in want.lengths.items():
        assert np.array_equal(joined.lengths[f], lengths), f
    assert joined.spelling.keys() == want.spelling.keys()
    for key, codes in want.spelling.items():
        assert np.array_equal(joined.spelling[key], codes), key
    assert np.array_equal(joined.runs, want.runs)
    assert sum(len(v[2]) for v in want.facets.rows.values()) > 5  # names to renumber


@pytest.mark.parametrize("split", [1, 3, 30])
def test_records_of_frequency_one_join_with_others_as_encoded_anew(split: int) -> None:
    """A term whose postings in one segment all hold it once (no frequency stream kept) and
    in the next not: the records joined by their bytes are what encoding all the postings
    at once writes, in either order."""
    from index_format.codec.merge import Source, _splice, _Term
    from index_format.codec.positions import IndonesianPositions
    from index_format.codec.postings import FREQS_ONE, encode_term

    fmt = IndonesianPositions(stemmed=True)
    rng = np.random.default_rng(split)
    n = 40
    ids = sorted(rng.choice(5000, n, replace=False).tolist())
    poslists = [[int(rng.integers(300))] for _ in range(n)]
    for k in range(split, n, 4):  # some postings past the split hold the word twice
        poslists[k] = sorted({poslists[k][0], poslists[k][0] + 3})
    for first, second in ((slice(0, split), slice(split, n)), (slice(split, n), slice(0, split))):
        parts = []
        for k, rows in enumerate((first, second)):
            base = 5000 * k  # the second segment's documents come after the first's
            doc_ids = ids[rows]
            plist = poslists[rows]
            record, stats = encode_term(
                fmt, doc_ids, [float(len(p)) for p in plist], [fmt.encode(p) for p in plist],
                [0] * len(plist),
            )  # fmt: skip
            parts.append((record, stats, plist, [d + base for d in doc_ids]))
        assert any(s[5] & FREQS_ONE for _, s, _, _ in parts)
        sources = [Source(None, 0, None), Source(None, 5000, None)]
        group = [
            _Term(b"t", k, rec, s[0], s[5], s[1], s[2], s[3], s[4])
            for k, (rec, s, _, _) in enumerate(parts)
        ]
        joined, stats = _splice(sources, group)
        all_ids = parts[0][3] + parts[1][3]
        plists = parts[0][2] + parts[1][2]
        expected, expected_stats = encode_term(
            fmt, all_ids, [float(len(p)) for p in plists], [fmt.encode(p) for p in plists],
            [0] * len(plists),
        )  # fmt: skip
        assert joined == expected and stats == expected_stats


def test_a_merge_in_a_mapped_index_copies_no_segment_and_writes_the_same(
    clickid_index: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build merges its segments in the index it wrote, opened with maps
    (whoosh.index.create_in), where each part of a compound segment is a BufferFile: a private
    copy of the part, kept while the merge reads it (the 2.2M build's merge held ~7 GB so).
    The merge reads its segments plainly and writes what the merge of a plainly opened index
    writes: every record, stored field, length and column, and the joined derived parts."""
    mapped_gen = current_path(_copy(clickid_index, tmp_path / "mapped"))
    plain_gen = current_path(_copy(clickid_index, tmp_path / "plain"))
    copied: list[int] = []
    buffer_file = structfile.BufferFile.__init__

    def counted(self: Any, buf: Any, *args: Any, **kwargs: Any) -> None:
        copied.append(len(buf))
        buffer_file(self, buf, *args, **kwargs)

    mapped = FileStorage(str(mapped_gen)).open_index()
    assert mapped.storage.supports_mmap
    monkeypatch.setattr(structfile.BufferFile, "__init__", counted)
    try:
        assert commit_merge(mapped, list) > 1
    finally:
        mapped.close()
    monkeypatch.undo()
    assert copied == []
    plain = open_index(plain_gen)
    try:
        commit_merge(plain, list)
    finally:
        plain.close()
    got, want = dict(_whole_segment(mapped_gen)), dict(_whole_segment(plain_gen))
    assert got.keys() == want.keys()
    assert [k for k in want if got[k] != want[k]] == []
    parts = [sorted(gen.glob("*.derived.npz")) for gen in (mapped_gen, plain_gen)]
    # (joined only when no segment has deletions; else derived when published)
    assert [len(p) for p in parts] == [0 if _has_deletions(clickid_index) else 1] * 2
    assert [p.read_bytes() for p in parts[0]] == [p.read_bytes() for p in parts[1]]
