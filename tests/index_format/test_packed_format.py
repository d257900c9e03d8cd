"""The packed codec's pieces (index_format.codec): varints, a term's postings record, the term
dictionary's blocks and lookups."""

from __future__ import annotations

import gc
import random
import threading
import tracemalloc
from typing import Any

import numpy as np
import pytest
from whoosh import fields, formats
from whoosh.codec.whoosh3 import W3Codec
from whoosh.filedb.filestore import RamStorage
from whoosh.query import AndNot, FuzzyTerm, Or, Prefix, Term, Wildcard
from whoosh.util.numeric import byte_to_length, length_to_byte

from index_format.codec import postings as records
from index_format.codec import termdict, varints
from index_format.codec.packed import PackedCodec
from index_format.codec.positions import IndonesianPositions
from index_format.codec.postings import Postings, encode_term
from index_format.codec.termdict import BLOCK_TERMS
from index_format.codec.varints import decode_varints


@pytest.mark.parametrize("size", [0, 1, 5, 23, 24, 200])
def test_varints_round_trip(size: int) -> None:
    rng = random.Random(size)
    # (2**35 and above: the numpy encoder once stopped at five bytes, silently)
    edges = [0, 1, 127, 128, 16383, 16384, 2**21, 2**34 - 1, 2**35, 2**49 + 3, 2**62]
    values = [rng.choice(edges) for _ in range(size)]
    values += [rng.randrange(300) for _ in range(size)]
    encoded = varints.varints(values)
    assert encoded == varints.py_varints(values)  # numpy and Python encoders agree
    assert decode_varints(np.frombuffer(encoded, np.uint8)).tolist() == values
    assert varints.py_decode(encoded) == values


@pytest.mark.parametrize("seed", range(4))
def test_one_and_two_byte_varints_decode_as_any(seed: int) -> None:
    """Positions' gaps are nearly all under 16,384: one or two bytes each, decoded apart."""
    rng = random.Random(seed)
    values = [rng.choice([0, 5, 127, 128, 129, 300, 16383]) for _ in range(rng.randint(1, 400))]
    encoded = np.frombuffer(varints.varints(values), np.uint8)
    assert decode_varints(encoded).tolist() == values == varints.py_decode(encoded.tobytes())


def _positions(fmt: IndonesianPositions, n: int, seed: int) -> list[list[int]]:
    rng = random.Random(seed)
    return [sorted(rng.sample(range(400), rng.randint(1, 4))) for _ in range(n)]


@pytest.mark.parametrize("n", [1, 7, 30, 300])
@pytest.mark.parametrize("boost", [1.0, 2.0])
def test_positions_postings_round_trip(n: int, boost: float) -> None:
    fmt = IndonesianPositions(stemmed=True, field_boost=boost)
    poslists = _positions(fmt, n, n)
    ids = sorted(random.Random(n).sample(range(5000), n))
    values = [fmt.encode(p) for p in poslists]
    weights = [len(p) * boost for p in poslists]
    record, stats = encode_term(fmt, ids, weights, values, [50] * n)
    # No weights nor value lengths kept: the frequencies give both.
    assert stats[5] & 15 == records.W_FREQ | records.V_POS << 2
    post = Postings(record, n, stats[5], fmt)
    assert post.ids.tolist() == ids
    assert post.weights.tolist() == weights
    assert post.values() == values
    counts, flat = post.positions()
    assert counts.tolist() == [len(p) for p in poslists]
    assert flat.tolist() == [x for p in poslists for x in p]
    assert stats[:3] == (n, sum(weights), max(weights))
    # A few postings' positions (a phrase's candidates), positions past 127 included.
    rng = random.Random(n + 1)
    few = sorted(rng.sample(range(n), min(n, 5)))  # (sliced in Python)
    for rows in ([], [0], [n - 1], few, sorted(rng.sample(range(n), max(1, n // 3))), range(n)):
        counts, flat = post.positions_of(np.asarray(rows, dtype=np.int64))
        assert counts.tolist() == [len(poslists[r]) for r in rows]
        assert flat.tolist() == [x for r in rows for x in poslists[r]]


@pytest.mark.parametrize("n", [1, 23, 30, 300, 3000])
@pytest.mark.parametrize("split", [0, 1 << 40])
def test_postings_read_without_their_positions_read_them_when_asked(
    n: int, split: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large record is read as its ids and weights first (read_postings), its positions on
    first use: every answer equals the whole record's, and the rest is read once, and only
    when positions are asked for."""
    monkeypatch.setattr(records, "SPLIT_READ", split)
    fmt = IndonesianPositions(stemmed=True)
    rng = random.Random(n)
    poslists = [sorted(rng.sample(range(3000), rng.randint(1, 6))) for _ in range(n)]
    ids = sorted(rng.sample(range(20 * n), n))
    values = [fmt.encode(p) for p in poslists]
    record, stats = encode_term(fmt, ids, [float(len(p)) for p in poslists], values, [50] * n)
    file = b"junk" + record + b"more"
    reads: list[tuple[int, int]] = []

    def get(offset: int, size: int) -> bytes:
        reads.append((offset, size))
        return file[offset : offset + size]

    whole = Postings(record, n, stats[5], fmt)
    post = records.read_postings(get, 4, len(record), n, stats[5], fmt)
    assert (
        post.ids.tolist() == whole.ids.tolist() and post.weights.tolist() == whole.weights.tolist()
    )
    split_up = max(size for _, size in reads) < len(record)
    assert split_up == (split == 0 and n >= 24)  # (fewer have no header to find the split)
    rows = np.asarray(sorted(rng.sample(range(n), max(1, n // 3))), dtype=np.int64)
    assert post.positions_of(rows)[1].tolist() == whole.positions_of(rows)[1].tolist()
    assert post.positions()[1].tolist() == whole.positions()[1].tolist()
    assert post.values() == values and post.value_at(n - 1) == values[-1]
    assert sum(size == len(record) for _, size in reads) == 1  # the whole record read once


@pytest.mark.parametrize("n", [1, 7, 30, 3000])
@pytest.mark.parametrize("boost", [1.0, 2.0])
def test_postings_of_frequency_one_keep_no_frequencies(n: int, boost: float) -> None:
    """A word once in each of its documents (most rare words): the record leaves the
    frequencies out and reads back the same ids, weights, values and positions, also when
    its positions are read after its ids (read_postings)."""
    fmt = IndonesianPositions(stemmed=True, field_boost=boost)
    rng = random.Random(n)
    ids = sorted(rng.sample(range(20 * n), n))
    poslists = [[rng.randrange(3000)] for _ in range(n)]
    values = [fmt.encode(p) for p in poslists]
    record, stats = encode_term(fmt, ids, [boost] * n, values, [50] * n)
    assert stats[5] & records.FREQS_ONE and stats[5] & 15 == records.W_FREQ | records.V_POS << 2
    twice = [[p[0], p[0] + 1] for p in poslists[:1]] + poslists[1:]
    other, other_stats = encode_term(
        fmt, ids, [len(p) * boost for p in twice], [fmt.encode(p) for p in twice], [50] * n
    )
    assert not other_stats[5] & records.FREQS_ONE
    assert len(record) < len(other) - 1
    for post in (
        Postings(record, n, stats[5], fmt),
        records.read_postings(lambda o, k: record[o : o + k], 0, len(record), n, stats[5], fmt),
    ):
        assert post.ids.tolist() == ids
        assert post.weights.tolist() == [boost] * n
        assert post.freqs().tolist() == [1] * n
        assert post.positions()[1].tolist() == [p[0] for p in poslists]
        assert post.values() == values


def test_long_streams_are_deflated_and_read_back() -> None:
    """A common word: dense document numbers and mostly frequency 1 deflate well."""
    fmt = IndonesianPositions(stemmed=True)
    ids = list(range(0, 6000, 3))
    poslists = [[7] if d % 5 else [2, 30] for d in ids]
    values = [fmt.encode(p) for p in poslists]
    weights = [float(len(p)) for p in poslists]
    record, stats = encode_term(fmt, ids, weights, values, [10] * len(ids))
    assert stats[5] & records.IDS_DEFLATED and stats[5] & records.SECOND_DEFLATED
    assert len(record) < len(b"".join(values)) + len(ids) // 2
    post = Postings(record, len(ids), stats[5], fmt)
    assert post.ids.tolist() == ids
    assert post.weights.tolist() == weights
    assert post.values() == values
    assert post.positions()[1].tolist() == [x for p in poslists for x in p]


def test_weights_that_are_not_frequencies_are_kept_as_float32() -> None:
    """A document boost breaks weight = frequency × field boost: weights and values stored
    as they are, weights rounded to float32 as Whoosh's W3 rounds them."""
    fmt = IndonesianPositions(stemmed=False)
    values = [fmt.encode([3]), fmt.encode([1, 9])]
    weights = [1.0, 2 * 0.3]
    record, stats = encode_term(fmt, [4, 8], weights, values, [0, 0])
    assert stats[5] == records.W_F32 | records.V_RAW << 2
    post = Postings(record, 2, stats[5], fmt)
    assert post.weights.tolist() == [1.0, float(np.float32(0.6))]
    assert post.values() == values
    assert stats[3:5] == (0, 0)  # no field lengths


@pytest.mark.parametrize(
    ("fmt", "values", "weights", "mode"),
    [
        (formats.Existence(), [b"", b""], [1.0, 1.0], records.W_ONE),
        (formats.Frequency(), [formats.pack_uint(2), formats.pack_uint(1)], [2.0, 1.0], 15),
        (formats.Frequency(), [b"x", b"yz"], [2.0, 5.0], records.W_INT | records.V_RAW << 2),
        (  # a field boost of 0: no frequencies in the weights
            formats.Frequency(field_boost=0.0),
            [formats.pack_uint(2), formats.pack_uint(1)],
            [0.0, 0.0],
            records.W_INT | records.V_RAW << 2,
        ),
    ],
)
def test_other_formats_round_trip(
    fmt: Any, values: list[bytes], weights: list[float], mode: int
) -> None:
    record, stats = encode_term(fmt, [0, 1], weights, values, [3, 5])
    assert stats[5] == mode
    post = Postings(record, 2, mode, fmt)
    assert post.weights.tolist() == weights
    expected = [None, None] if fmt.fixed_value_size() == 0 else values
    assert post.values() == expected


@pytest.mark.parametrize("boost", [1.0, 2.0, 0.0])
def test_columns_encode_as_encode_term(boost: float) -> None:
    """A field's postings as columns encode as term by term; a field boost of 0 (which Whoosh
    allows) leaves no frequency in the weights, and no division by it."""
    fmt = IndonesianPositions(stemmed=True, field_boost=boost)
    postings = {  # term: (document, positions, document boost)
        b"a": [(0, [1, 5], 1.0), (3, [2], 1.0), (7, [0, 4, 9], 1.0)],
        b"b": [(1, [3], 1.0), (3, [6, 8], 1.5)],
    }
    rows = [(d, p, w) for t in sorted(postings) for d, p, w in postings[t]]
    cols = records.PostingColumns(
        terms=sorted(postings),
        starts=np.array([0, 3, 5]),
        docs=np.array([d for d, _, _ in rows]),
        freqs=np.array([len(p) for _, p, _ in rows]),
        weights=np.array([len(p) * boost * w for _, p, w in rows]),
        positions=np.array([x for _, p, _ in rows for x in p]),
    )
    lengths = [10, 11, 12, 13, 14, 15, 16, 17]
    got = list(records.encode_columns(fmt, cols, lengths))
    for (tbytes, record, stats), t in zip(got, sorted(postings), strict=True):
        ids = [d for d, _, _ in postings[t]]
        expected = encode_term(
            fmt,
            ids,
            [len(p) * boost * w for _, p, w in postings[t]],
            [fmt.encode(p) for _, p, _ in postings[t]],
            [lengths[d] for d in ids],
        )
        assert (tbytes, record, stats) == (t, *expected)


def _index(codec: Any) -> Any:
    """An index of words sharing prefixes, enough for many dictionary blocks per field."""
    schema = fields.Schema(
        id=fields.ID(stored=True),
        tag=fields.KEYWORD(),
        text=fields.TEXT(phrase=True),
    )
    schema["text"].format = IndonesianPositions(stemmed=False)
    ix = RamStorage().create_index(schema)
    w = ix.writer(codec=codec)
    for d in range(60):
        w.add_document(
            id=f"d{d}", tag=" ".join(WORDS[d::7]), text=" ".join(WORDS[d * 5 : d * 5 + 40])
        )
    w.commit()
    return ix


WORDS = [f"kata{n:04d}" for n in range(0, 1000, 3)] + ["a", "zz", "ä"]


@pytest.fixture(scope="module")
def ix() -> Any:
    return _index(PackedCodec())


def test_dictionary_lookups(ix: Any) -> None:
    with ix.reader() as r:
        tags = sorted(w.encode() for w in WORDS)
        assert list(r.lexicon("tag")) == tags
        assert len(tags) > 3 * BLOCK_TERMS
        for t in tags:
            assert ("tag", t) in r
            assert r.doc_frequency("tag", t) == sum(t.decode() in WORDS[d::7] for d in range(60))
        for absent in (b"", b"0", b"kata0001", b"kata9999", b"zzz", b"\xff"):
            assert ("tag", absent) not in r
            assert r.doc_frequency("tag", absent) == 0
        assert ("nofield", b"a") not in r
        assert list(r.expand_prefix("tag", "kata01")) == [
            t for t in tags if t.startswith(b"kata01")
        ]
        assert list(r.indexed_field_names()) == ["id", "tag", "text"]
        assert termdict._BLOCKS.weight <= termdict._BLOCK_CACHE  # within the process's budget
        cursor = r.cursor("text")
        assert cursor.find("kata0990") == "kata0990"
        assert cursor.next() == "kata0993"
        assert cursor.term_info().doc_frequency() == 1


@pytest.mark.parametrize(
    "q",
    [
        Term("tag", "kata0003"),
        Prefix("text", "kata00"),
        Wildcard("text", "*a09?3"),
        FuzzyTerm("text", "kata0022", maxdist=1),
        FuzzyTerm("tag", "kata000", maxdist=2, prefixlength=1),
    ],
)
def test_searches_walk_the_dictionary_as_whoosh_does(ix: Any, q: Any) -> None:
    theirs = _index(W3Codec())
    with ix.searcher() as s, theirs.searcher() as t:
        ours = [(h["id"], h.score) for h in s.search(q, limit=None)]
        assert ours
        assert ours == [(h["id"], h.score) for h in t.search(q, limit=None)]


def test_matcher_skips_like_whoosh(ix: Any) -> None:
    """PackedMatcher over arrays: plain ints, skip_to to the first id >= target, copies that
    keep their place."""
    theirs = _index(W3Codec())
    with ix.reader() as r, theirs.reader() as t:
        for target in (0, 1, 5, 17, 30, 59, 60):
            ms = [x.postings("tag", "kata0003") for x in (r, t)]
            for m in ms:
                m.skip_to(target) if m.is_active() else None
            got = [(m.is_active(), m.is_active() and m.id()) for m in ms]
            assert got[0] == got[1]
            assert isinstance(ms[0].id() if ms[0].is_active() else 0, int)
        m = r.postings("text", "kata0060")
        m.next()
        c = m.copy()
        assert (c.id(), c.weight(), c.value_as("positions")) == (
            m.id(),
            m.weight(),
            m.value_as("positions"),
        )
        assert list(m.all_ids()) == list(t.postings("text", "kata0060").all_ids())


def test_another_format_version_is_refused() -> None:
    """A term file of another version of the format fails to open instead of misreading."""
    storage = RamStorage()
    f = storage.create_file("x.pkt")
    w = termdict.TermsWriter(f)
    w.start_field("f")
    w.add(b"a", (1, 1.0, 1.0, 0, 0, 0), 0, 2)
    w.finish_field()
    w.close()
    data = storage.open_file("x.pkt").read()
    reader = termdict.PackedTermsReader(None, storage.open_file("x.pkt"), len(data), None)
    assert ("f", b"a") in reader
    g = storage.create_file("y.pkt")
    g.write(data[:-4] + b"TPK1")
    g.close()
    with pytest.raises(ValueError, match="rebuild"):
        termdict.PackedTermsReader(None, storage.open_file("y.pkt"), len(data), None)


def _dictionary(version: int, rows: list[tuple[str, bytes, Any, int]]) -> tuple[Any, int]:
    storage = RamStorage()
    f = storage.create_file("x.pkt")
    w = termdict.TermsWriter(f, version=version)
    field = None
    offset = 0
    for fname, tbytes, stats, size in rows:
        if fname != field:
            if field is not None:
                w.finish_field()
            w.start_field(fname)
            field = fname
        w.add(tbytes, stats, offset, size)
        offset += size
    w.finish_field()
    w.close()
    length = storage.file_length("x.pkt")
    return termdict.PackedTermsReader(None, storage.open_file("x.pkt"), length, None), length


def test_dictionary_versions_read_the_same() -> None:
    """A dictionary written as version 2 (before) and as version 3 (now) reads back the same
    terms, statistics and postings extents: whole and fractional weights, long prefixes,
    blocks of one term and full ones. Version 3 is the smaller."""
    rng = random.Random(3)
    rows = []
    words = sorted({"".join(rng.choices("abcdeklmn", k=rng.randint(1, 12))) for _ in range(300)})
    for k, word in enumerate(words):  # whole weights (frequency × 2.0), sizes up to 2**31
        df = rng.choice([1, 1, 2, 7, 300, 70_000])
        total = df * rng.randint(1, 5) * 2.0
        stats = (df, total, 2.0 * rng.randint(1, 9), k % 200, (k + 5) % 256, rng.randint(0, 63))
        rows.append(("body", word.encode(), stats, rng.choice([3, 600, 1 << 31])))
    rows.append(("long", b"x" * 300, (1, 1.0, 1.0, 0, 0, 0), 5))
    rows.append(("long", b"x" * 301, (2, 1.0, 1.0, 0, 0, 0), 5))
    for k in range(70):  # fractional weights: float32 in both versions
        stats = (3, float(np.float32(0.1 * k + 0.3)), float(np.float32(0.1 * k)), 1, 2, 10)
        rows.append(("score", f"t{k:03d}".encode(), stats, 9))
    (old, old_bytes), (new, new_bytes) = _dictionary(2, rows), _dictionary(3, rows)
    assert (old.version, new.version) == (2, 3)
    assert new_bytes < old_bytes
    assert list(new.terms()) == list(old.terms()) == [(f, t) for f, t, _, _ in rows]
    for fname, tbytes, stats, size in rows:
        a, b = old.term_info(fname, tbytes), new.term_info(fname, tbytes)
        got = (b.weight(), b.doc_frequency(), b.min_length(), b.max_length(), b.max_weight())
        assert got == (
            a.weight(),
            a.doc_frequency(),
            a.min_length(),
            a.max_length(),
            a.max_weight(),
        )
        assert b.weight() == float(np.float32(stats[1])) and b.doc_frequency() == stats[0]
        assert new._located(fname, tbytes) == old._located(fname, tbytes)
        assert new._located(fname, tbytes)[1:3] == (size, stats[0])
    assert ("body", b"zzz") not in new


# -- what Whoosh's API allows beyond W3's own objects ----------------------------------------


class _LengthsOnly:
    """A per-document reader with nothing but Whoosh's generic length lookup (like Whoosh's
    own test_codecs FakeLengths; MpWriter passes a MultiPerDocumentReader)."""

    def __init__(self, **lengths: list[int]) -> None:
        self._lengths = lengths

    def doc_field_length(self, docnum: int, fieldname: str) -> int:
        return self._lengths[fieldname][docnum]


class _PerDocLengths(_LengthsOnly):
    def doc_count_all(self) -> int:
        return len(next(iter(self._lengths.values())))


class _Pool:
    """Postings handed over as index_format.pool's TermPool does: a field's terms at a time."""

    def __init__(self, **fields: list[tuple[bytes, Any]]) -> None:
        self._fields = fields

    def terms(self) -> Any:
        return ((name, iter(terms)) for name, terms in sorted(self._fields.items()))


@pytest.mark.parametrize("pool", [False, True])
def test_postings_take_lengths_from_any_per_document_reader(pool: bool) -> None:
    storage = RamStorage()
    codec = PackedCodec()
    segment = codec.new_segment(storage, "t")
    writer = codec.field_writer(storage, segment)
    schema = fields.Schema(text=fields.TEXT())
    if pool:
        items: Any = _Pool(
            text=[(b"aa", ([0, 2], [1.0, 2.0], [b"", b""])), (b"bb", ([1], [1.0], [b""]))]
        )
        lengths: Any = _PerDocLengths(text=[3, 40, 7])
    else:
        items = iter(
            [
                ("text", b"aa", 0, 1.0, b""),
                ("text", b"aa", 2, 2.0, b""),
                ("text", b"bb", 1, 1.0, b""),
            ]
        )
        lengths = _LengthsOnly(text=[3, 40, 7])
    writer.add_postings(schema, lengths, items)
    writer.close()
    reader = codec.terms_reader(storage, segment)
    info = reader.term_info("text", b"aa")
    assert (info.min_length(), info.max_length(), info.max_weight()) == (3, 7, 2.0)
    assert reader.term_info("text", b"bb").max_length() == byte_to_length(length_to_byte(40))


def test_w3_lengths_are_read_a_column_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """SegmentWriter hands over W3's per-document reader: its length columns are read whole,
    not looked up a posting at a time (which a rebuild would feel)."""
    from whoosh.codec.whoosh3 import W3PerDocReader

    calls = []
    lookup = W3PerDocReader.doc_field_length

    def counted(self: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        return lookup(self, *args, **kwargs)

    monkeypatch.setattr(W3PerDocReader, "doc_field_length", counted)
    ix = _index(PackedCodec())
    assert calls == []
    with ix.reader() as r:
        assert r.term_info("text", "kata0060").max_length() == 40


def test_multiprocess_writer_merges_into_packed_segments(tmp_path: Any) -> None:
    """Whoosh's MpWriter (serial here: the same merge without forking) hands the postings
    writer a MultiPerDocumentReader over its sub-segments' lengths."""
    from whoosh import index
    from whoosh.multiproc import SerialMpWriter

    schema = fields.Schema(id=fields.ID(stored=True), text=fields.TEXT())
    docs = [" ".join(WORDS[d : d + 1 + d % 9]) for d in range(40)]
    hits = []
    for codec in (PackedCodec(), W3Codec()):
        folder = tmp_path / type(codec).__name__
        folder.mkdir()
        ix = index.create_in(folder, schema)
        with SerialMpWriter(ix, procs=3, batchsize=7, codec=codec) as w:
            for d, text in enumerate(docs):
                w.add_document(id=f"d{d}", text=text)
        with ix.searcher() as s:
            assert s.reader().doc_count() == len(docs)
            info = s.reader().term_info("text", WORDS[5])
            hits.append(
                (
                    info.min_length(),
                    info.max_length(),
                    [(h["id"], h.score) for h in s.search(Term("text", WORDS[5]), limit=None)],
                )
            )
    assert hits[0] == hits[1]


def test_scorer_without_block_quality_searches_with_a_limit(ix: Any) -> None:
    """Whoosh's leaf matchers never ask such a scorer for a quality; ListMatcher.replace did
    (NotImplementedError once the top N were full)."""
    from whoosh.scoring import FunctionWeighting

    first = FunctionWeighting(lambda s, fieldname, text, m: 1.0 / (m.spans()[0].start + 1))
    theirs = _index(W3Codec())
    q = Term("text", "kata0060")
    with ix.searcher(weighting=first) as s, theirs.searcher(weighting=first) as t:
        got = [(h["id"], h.score) for h in s.search(q, limit=3)]
        assert got == [(h["id"], h.score) for h in t.search(q, limit=3)]
        assert len(got) == 3 and got[0][1] == 1.0
        m = s.reader().postings("text", "kata0060", scorer=first.scorer(s, "text", "kata0060"))
        assert not m.supports_block_quality()
        assert m.replace(0.5) is m


def test_exhausted_matcher_keeps_answering_like_whoosh() -> None:
    """AndNotMatcher.skip_to_quality asks its (exhausted) positive side for an id; W3's leaf
    answers with one it had, PackedMatcher indexed past its arrays (IndexError)."""
    docs = ["bb aa", "cc", "bb", "aa", "aa bb", "bb dd", "bb", "bb cc"]
    q = AndNot(Or([Term("t", "aa"), Term("t", "bb")]), Term("t", "cc"))
    got = []
    for codec in (PackedCodec(), W3Codec()):
        ix = RamStorage().create_index(fields.Schema(id=fields.ID(stored=True), t=fields.TEXT()))
        with ix.writer(codec=codec) as w:
            for d, text in enumerate(docs):
                w.add_document(id=f"d{d}", t=text)
        with ix.searcher() as s:
            top = [(h["id"], h.score) for h in s.search(q, limit=3)]
            assert top == [(h["id"], h.score) for h in s.search(q, limit=None)][:3]
            got.append(top)
            ids = list(s.reader().postings("t", "bb").all_ids())  # (W3's: walks it)
            m = s.reader().postings("t", "bb", scorer=s.weighting.scorer(s, "t", "bb"))
            m.skip_to(ids[2])
            m.skip_to_quality(1e9)  # no posting scores that much
            assert not m.is_active()
            ours = isinstance(codec, PackedCodec)
            assert m.id() == (ids[-1] if ours else ids[2])  # W3's: the one it stopped at
            assert m.weight() == 1.0
            assert m.value_as("positions") == [docs[m.id()].split().index("bb")]
            if ours:  # (W3's: IndexError once next() walked off its end)
                m = s.reader().postings("t", "bb")
                while m.is_active():
                    m.next()
                assert (m.id(), m.weight(), m.value_as("positions")) == (ids[-1], 1.0, [0])
    assert got[0] == got[1]


def test_readers_share_one_budget_and_never_each_others_postings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """What every segment's reader keeps decoded stays within one budget for the process (a
    budget per segment grew to ~1 GB at 169 segments), and a reader never gets another
    index's postings of the same term from it."""
    monkeypatch.setattr(termdict, "_POSTINGS", termdict._Recent(3 * termdict._POSTINGS_ENTRY))
    monkeypatch.setattr(termdict, "_BLOCKS", termdict._Recent(3 * 64 * termdict._BLOCK_TERM))
    monkeypatch.setattr(termdict, "_LOCATED", termdict._Recent(5 * termdict._LOCATED_ENTRY))
    a, b = _index(PackedCodec()), RamStorage().create_index(fields.Schema(tag=fields.KEYWORD()))
    w = b.writer(codec=PackedCodec())
    for _ in range(5):
        w.add_document(tag="kata0000 kata0003")
    w.commit()
    with a.reader() as ra, b.reader() as rb:
        for _ in range(2):  # the second time from what is kept
            for t in (b"kata0000", b"kata0003", b"zz"):
                want_a = [d for d in range(60) if t.decode() in WORDS[d::7]]
                assert list(ra.postings("tag", t).all_ids()) == want_a
                if t != b"zz":
                    assert list(rb.postings("tag", t).all_ids()) == list(range(5))
        for _ in range(2):  # where each term is, found again or from what is kept
            for t in [*(w.encode() for w in WORDS), b"kata0001", b"zzz"]:
                want = sum(t.decode() in WORDS[d::7] for d in range(60))
                assert ra.doc_frequency("tag", t) == want
                assert rb.doc_frequency("tag", t) == 5 * (t in (b"kata0000", b"kata0003"))
        for cache in (termdict._POSTINGS, termdict._BLOCKS, termdict._LOCATED):
            assert 0 < cache.weight <= cache.budget
        assert len(termdict._LOCATED) < 5


def _held_after(read: Any) -> tuple[int, Any]:
    """What `read()` leaves allocated (tracemalloc), and what it returned."""
    gc.collect()
    tracemalloc.start()
    try:
        got = read()
        gc.collect()
        return tracemalloc.get_traced_memory()[0], got
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("field", ["id", "tag", "text"])
def test_the_caches_charge_what_their_entries_hold(
    monkeypatch: pytest.MonkeyPatch, ix: Any, field: str
) -> None:
    """A cache's budget is in bytes that its entries really hold: one-posting terms (ids), a
    few postings each (tags) or with positions (text) are charged at least what they keep
    allocated, and not many times more (a count of postings let 221k one-posting entries of
    a 220k index hold ~200 MB)."""
    for name in ("_POSTINGS", "_BLOCKS", "_LOCATED"):
        monkeypatch.setattr(termdict, name, termdict._Recent(1 << 30))
    with ix.reader() as r:
        terms = r._terms
        texts = [t for fname, t in terms.terms_from(field, b"") if fname == field][:60]
        fmt = r.schema[field].format

        def read() -> list[Any]:
            got = [terms.postings(field, t, fmt) for t in texts]
            for p in got:
                if p.vmode == records.V_POS:  # what a phrase or the re-rank reads later
                    p.value_at(len(p.ids) - 1)
            return got

        held, _ = _held_after(read)
    charged = sum(c.weight for c in (termdict._POSTINGS, termdict._BLOCKS, termdict._LOCATED))
    assert len(termdict._POSTINGS) == len(texts)
    assert held <= charged <= 3 * held


def test_reads_inside_uncached_leave_the_caches_as_they_were(
    monkeypatch: pytest.MonkeyPatch, ix: Any
) -> None:
    """A reader of every term once (the added times a rebuild keeps) adds nothing to the
    process's caches, while what they hold still serves; another thread keeps caching."""
    for name in ("_POSTINGS", "_BLOCKS", "_LOCATED"):
        monkeypatch.setattr(termdict, name, termdict._Recent(1 << 30))
    caches = (termdict._POSTINGS, termdict._BLOCKS, termdict._LOCATED)
    with ix.reader() as r:
        want = {t: list(r.postings("tag", t).all_ids()) for t in (b"kata0000", b"kata0003")}
        before = [(len(c), c.weight) for c in caches]
        seen = {}
        with termdict.uncached():
            for text, info in r.iter_field("tag"):
                ids = list(r.postings("tag", text).all_ids())
                seen[text] = (info.min_id(), info.max_id(), ids)
            assert [(len(c), c.weight) for c in caches] == before
            other = threading.Thread(target=lambda: r.postings("text", b"kata0990"))
            other.start()
            other.join()
            assert len(termdict._POSTINGS) == before[0][0] + 1  # the other thread's term
        assert len(seen) == len(WORDS)  # every tag read
        for t, ids in want.items():
            assert seen[t] == (ids[0], ids[-1], ids)
        with ix.searcher() as s:  # every document's tags, read the plain way
            by_doc = {t: [d for d in range(60) if t.decode() in WORDS[d::7]] for t in seen}
            assert {t: v[2] for t, v in seen.items()} == by_doc
            assert s.doc_count() == 60
