"""Merging packed segments at the codec level: each term's postings records joined, not
re-read posting by posting through Whoosh's matchers.

Whoosh's own merge (`SegmentWriter.add_reader`) sends every posting of every segment through
its matchers and a sorting pool: 939 s of CPU for 220k articles, hours for 2.2M. Here the
segments' sorted term dictionaries are walked together (a heap over one iterator a segment)
and each term's records become one, byte for byte what `encode_term` writes for the same
postings (tests/index_format/test_codec_merge.py holds it to Whoosh's merge):
- records of one encoding without deleted documents are joined by their bytes (_splice): a
  stream of document-number gaps only has its first gap counted again, frequencies, weights
  and positions (gaps from each posting's first) are copied, the dictionary stats summed;
- any other (deletions, segments that chose different encodings) is decoded as arrays,
  renumbered, deleted documents dropped, and encoded again.
Per-document data (stored fields, lengths, columns) is copied a document at a time
(copy_per_doc); stored fields are compressed again with the merged segment's dictionary.
Field length totals (BM25's average length) are the segments' own, exact.

Memory: one term's postings at a time, one dictionary block (and its records) a segment (read
with plain reads: _plain_reads), and
the segments' derived parts when they are joined (index_format.segment_parts.join).

Documents are renumbered in segment order, deleted ones dropped. What is keyed by document
number follows (postings, stored fields, lengths, columns, the derived parts); what is keyed
by article id (stories.npz, the journal, the user's corrections) needs nothing.
"""

from __future__ import annotations

import heapq
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
from whoosh.util.numeric import byte_to_length, length_to_byte

from index_format.codec.postings import (
    FREQS_ONE,
    IDS_DEFLATED,
    SECOND_DEFLATED,
    V_FREQ,
    V_NONE,
    V_POS,
    W_F32,
    W_FREQ,
    W_INT,
    W_ONE,
    Postings,
    _record,
    encode_term,
    layout,
)
from index_format.codec.termdict import PackedTermsReader
from index_format.codec.varints import (
    SMALL,
    decode_varints,
    np_varints,
    py_decode,
    py_varints,
    read_header,
    varints,
)

_UINT32 = 1 << 32
_EXACT_F32 = float(1 << 24)  # whole numbers below this are exact in float32
Stats = tuple[int, float, float, int, int, int]
# A term's postings in one segment, their new document numbers, and which rows are kept
# (None: all).
_Part = tuple[Postings, np.ndarray, np.ndarray | None]


@dataclass
class Source:
    """One segment being merged: its reader and where its documents go."""

    reader: Any  # an atomic SegmentReader of a packed segment
    base: int  # the new number of its first document
    # Its documents' new numbers (-1: deleted); None when none is deleted (base + old).
    docmap: np.ndarray | None

    @property
    def terms(self) -> PackedTermsReader:
        terms: PackedTermsReader = self.reader._terms
        return terms


def sources_of(readers: Sequence[Any]) -> list[Source]:
    """The readers as Sources, their live documents numbered one after the other."""
    out = []
    base = 0
    for reader in readers:
        n = reader.doc_count_all()
        if reader.has_deletions():
            live = np.zeros(n, dtype=bool)
            live[np.fromiter(reader.all_doc_ids(), dtype=np.int64)] = True
            docmap = np.full(n, -1, dtype=np.int64)
            docmap[live] = base + np.arange(int(live.sum()), dtype=np.int64)
            out.append(Source(reader, base, docmap))
            base += int(live.sum())
        else:
            out.append(Source(reader, base, None))
            base += n
    return out


class _Term(NamedTuple):
    """A term's record in one segment, with its dictionary stats."""

    term: bytes
    k: int  # the segment's number (the heap's order after the term)
    record: bytes
    df: int
    mode: int
    weight: float
    maxweight: float
    minlen: int  # length bytes
    maxlen: int


def _field_terms(k: int, terms: PackedTermsReader, fieldname: str) -> Iterator[_Term]:
    """The records of a field's terms in segment `k`, in order: each dictionary block
    decoded once and not kept (a merge reads every block once: the search caches stay), its
    terms' records read in one piece."""
    entry = terms._dir.get(fieldname)
    if entry is None:
        return
    firsts, _, bases = entry
    for b in range(len(firsts)):
        block = terms.read_block(fieldname, b)
        ends = np.cumsum(block.sizes, dtype=np.int64).tolist()
        data = terms._postfile.get(int(bases[b]), ends[-1]) if ends else b""
        df, weight, maxweight = block.df.tolist(), block._weight.tolist(), block.maxweight.tolist()
        at = 0
        for i, t in enumerate(block.terms):
            yield _Term(
                t, k, data[at : ends[i]], df[i], block.mode[i], weight[i], maxweight[i],
                block.minlen[i], block.maxlen[i],
            )  # fmt: skip
            at = ends[i]


def field_names(sources: Sequence[Source]) -> list[str]:
    """Every field any of the segments has terms of, sorted."""
    return sorted({f for s in sources for f in s.terms.indexed_field_names()})


def merged_records(
    sources: Sequence[Source], fieldname: str, fmt: Any, lengths: np.ndarray | None
) -> Iterator[tuple[bytes, bytes, Stats]]:
    """(term, postings record, stats) of each term of `fieldname` over all `sources`, in term
    order; terms left without postings (every document deleted) are left out. `lengths`: each
    new document's length of the field (None: not known)."""
    walks = [_field_terms(k, s.terms, fieldname) for k, s in enumerate(sources)]
    group: list[_Term] = []
    for rec in heapq.merge(*walks):
        if group and rec.term != group[0].term:
            got = _join(sources, group, fmt, lengths)
            if got is not None:
                yield group[0].term, *got
            group = []
        group.append(rec)
    if group:
        got = _join(sources, group, fmt, lengths)
        if got is not None:
            yield group[0].term, *got


def _join(
    sources: Sequence[Source],
    group: list[_Term],
    fmt: Any,
    lengths: np.ndarray | None,
) -> tuple[bytes, Stats] | None:
    """One term's records in several segments as one record (None: no posting is left)."""
    if _spliceable(sources, group):
        return _splice(sources, group)
    parts: list[_Part] = []
    for rec in group:
        src = sources[rec.k]
        post = Postings(rec.record, rec.df, rec.mode, fmt)
        if src.docmap is None:
            parts.append((post, post.ids + src.base, None))
        else:
            new = src.docmap[post.ids]
            keep = new >= 0
            if keep.all():
                parts.append((post, new, None))
            elif keep.any():
                rows = np.flatnonzero(keep)
                parts.append((post, new[rows], rows))
    if not parts:
        return None
    kinds = {(p.vmode, p.wmode) for p, _, _ in parts}
    if len(kinds) == 1:
        vmode, wmode = kinds.pop()
        if wmode == W_FREQ and vmode in (V_POS, V_FREQ):
            return _join_freqs(parts, vmode, fmt, lengths)
        if vmode == V_NONE:
            return _join_weights(parts, lengths)
    return _join_any(parts, fmt, lengths)


def _spliceable(sources: Sequence[Source], group: list[_Term]) -> bool:
    """Whether the records join by their bytes (_splice): no deleted document, one encoding,
    weights whose sums are exact (whole numbers below 2**24, which float32 holds)."""
    mode = group[0].mode & 15
    return (
        all(
            sources[r.k].docmap is None and r.mode & 15 == mode and r.weight < _EXACT_F32
            for r in group
        )
        and (mode & 3) != W_F32
    )


def _streams(rec: _Term) -> tuple[bytes, bytes, bytes, bytes]:
    """A record's ids, second, value-length and values streams (inflated)."""
    buf, mode = rec.record, rec.mode
    pos, a, b, c = layout(buf, rec.df, mode)
    ids = buf[pos : pos + a]
    if mode & IDS_DEFLATED:
        ids = zlib.decompress(ids, -15)
    second = buf[pos + a : pos + a + b]
    if mode & SECOND_DEFLATED:
        second = zlib.decompress(second, -15)
    elif mode & FREQS_ONE:  # (the joined stream is checked for all ones again: _record)
        second = b"\x01" * rec.df
    return ids, second, buf[pos + a + b : pos + a + b + c], buf[pos + a + b + c :]


def _splice(sources: Sequence[Source], group: list[_Term]) -> tuple[bytes, Stats]:
    """Records of one encoding joined by their bytes: each stream end to end, only the first
    id gap of each record counted again (from the previous record's last document); the
    dictionary stats summed (exact: whole weights, see _spliceable). What encode_term writes
    for the same postings, without decoding them (tests/index_format/test_codec_merge.py)."""
    ids_parts: list[bytes] = []
    seconds: list[bytes] = []
    lens: list[bytes] = []
    values: list[bytes] = []
    last = 0  # the new number of the previous record's last document
    for j, rec in enumerate(group):
        ids, second, length_bytes, value_bytes = _streams(rec)
        (first,), at = read_header(ids, 1)
        base = sources[rec.k].base
        ids_parts += (py_varints((first + base - last,)), ids[at:])
        if j + 1 < len(group):
            gaps = (
                py_decode(ids) if rec.df < SMALL else decode_varints(np.frombuffer(ids, np.uint8))
            )
            last = base + int(sum(gaps))
        seconds.append(second)
        lens.append(length_bytes)
        values.append(value_bytes)
    n = sum(r.df for r in group)
    mode = group[0].mode
    record, mode = _record(
        n, b"".join(ids_parts), mode & 3, b"".join(seconds), mode >> 2 & 3, b"".join(lens),
        b"".join(values),
    )  # fmt: skip
    known = [r.minlen for r in group if r.minlen]
    stats = (
        n,
        float(np.float32(sum(r.weight for r in group))),
        max(r.maxweight for r in group),
        min(known) if known else 0,
        max(r.maxlen for r in group),
        mode,
    )
    return record, stats


def _ids_bytes(ids: np.ndarray) -> bytes:
    return np_varints(np.diff(ids, prepend=0))


def _length_bytes(ids: np.ndarray, lengths: np.ndarray | None) -> tuple[int, int]:
    """The smallest and largest known length of the documents `ids`, as length bytes."""
    if lengths is None:
        return 0, 0
    flen = lengths[ids]
    known = flen[flen > 0]
    if not known.size:
        return 0, 0
    return length_to_byte(int(known.min())), length_to_byte(int(known.max()))


def _total(weights: np.ndarray) -> float:
    """The sum of the weights as encode_term gives it (float32 of the float64 sum in order;
    a sum of whole numbers is exact in any order)."""
    if bool(np.all(weights == np.floor(weights))) and float(np.abs(weights).sum()) < 2.0**53:
        return float(np.float32(weights.sum()))
    return float(np.float32(sum(weights.tolist())))


def _stats(ids: np.ndarray, weights: np.ndarray, mode: int, lengths: np.ndarray | None) -> Stats:
    minlen, maxlen = _length_bytes(ids, lengths)
    return (int(ids.size), _total(weights), float(weights.max()), minlen, maxlen, mode)


def _join_freqs(
    parts: list[_Part],
    vmode: int,
    fmt: Any,
    lengths: np.ndarray | None,
) -> tuple[bytes, Stats]:
    """Records whose weights are frequency × field boost, with positions (V_POS) or with
    the frequency as value (V_FREQ): ids, frequencies and positions' bytes end to end."""
    ids = np.concatenate([new for _, new, _ in parts])
    freqs = np.concatenate([p.freqs() if rows is None else p.freqs()[rows] for p, _, rows in parts])
    values = b""
    if vmode == V_POS:
        chunks = []
        for p, _, rows in parts:
            if rows is None:
                chunks.append(p._buf[p._vstart :])
            else:
                chunks.append(p.position_bytes(rows)[1].tobytes())
        values = b"".join(chunks)
    # float32 as Whoosh stores weights (encode_term rounds them so)
    weights = (freqs * fmt.field_boost).astype(np.float32).astype(np.float64)
    record, mode = _record(
        int(ids.size), _ids_bytes(ids), W_FREQ, varints(freqs), vmode, b"", values
    )
    return record, _stats(ids, weights, mode, lengths)


def _join_weights(parts: list[_Part], lengths: np.ndarray | None) -> tuple[bytes, Stats]:
    """Records without values: ids and weights, the weights' encoding chosen as encode_term
    chooses it."""
    ids = np.concatenate([new for _, new, _ in parts])
    weights = np.concatenate(
        [p.weights if rows is None else p.weights[rows] for p, _, rows in parts]
    )
    weights = weights.astype(np.float32).astype(np.float64)
    if bool(np.all(weights == 1.0)):
        wmode, second = W_ONE, b""
    elif bool(np.all((weights == np.floor(weights)) & (weights >= 0) & (weights < _UINT32))):
        wmode, second = W_INT, varints(weights.astype(np.int64))
    else:
        wmode, second = W_F32, weights.astype("<f4").tobytes()
    record, mode = _record(int(ids.size), _ids_bytes(ids), wmode, second, V_NONE, b"", b"")
    return record, _stats(ids, weights, mode, lengths)


def _join_any(
    parts: list[_Part],
    fmt: Any,
    lengths: np.ndarray | None,
) -> tuple[bytes, Stats]:
    """Any other records (segments that chose different encodings for the term): every
    posting's value decoded and encode_term choosing again."""
    ids: list[int] = []
    weights: list[float] = []
    values: list[bytes] = []
    for p, new, rows in parts:
        vals = p.values()
        ws = p.weights.tolist()
        picked = range(len(ws)) if rows is None else rows.tolist()
        ids += new.tolist()
        weights += [ws[i] for i in picked]
        values += [vals[i] or b"" for i in picked]
    lens = [0] * len(ids) if lengths is None else lengths[ids].tolist()
    return encode_term(fmt, ids, weights, values, lens)


# -- in a Whoosh commit --------------------------------------------------------------------


class MergedPostings:
    """Stands in for a writer's posting pool: the merged segments' postings, which
    PackedFieldWriter.add_postings writes a record at a time (merged_records), and the merged
    segment's derived parts, written after the commit (a segment's compound file would
    swallow any `<segment id>.*` file written before)."""

    def __init__(self, sources: list[Source], parts: Any = None) -> None:
        self.sources = sources
        self.parts = parts  # segment_parts.SegmentParts, or None

    def iter_postings(self) -> MergedPostings:
        return self

    def field_names(self) -> list[str]:
        return field_names(self.sources)

    def records(
        self, fieldname: str, fmt: Any, lengths: np.ndarray | None
    ) -> Iterator[tuple[bytes, bytes, Stats]]:
        return merged_records(self.sources, fieldname, fmt, lengths)

    def cleanup(self) -> None:
        for s in self.sources:
            s.reader.close()


def merge_into(writer: Any, segments: Sequence[Any]) -> None:
    """Write `segments` (of `writer`'s index, all packed) as the segment `writer` writes, in
    a merge policy (commit(mergetype=...)) of a writer that was given no documents; the
    policy returns the segments it did not merge. The merged segment's derived parts
    (index_format.segment_parts) are joined from the segments' when all have theirs and none
    has deletions (commit_merge writes them; else they are derived from the merged segment
    when the generation is published)."""
    from whoosh.reading import SegmentReader

    from index_format import segment_parts

    if writer.docnum or writer._added:
        raise ValueError("merge_into needs a writer that was given no documents")
    storage = _plain_reads(writer.storage)
    readers = [SegmentReader(storage, writer.schema, seg) for seg in segments]
    sources = sources_of(readers)
    totals = _length_totals(sources, writer.schema.scorable_names())
    for reader in readers:
        copy_per_doc(writer, reader)
    # Each document's length is added as its length byte reads back (a 1-byte
    # approximation): the totals, which BM25's average length divides, would move (~0.4% of a
    # score at 360 articles). The segments' exact totals are kept instead.
    writer.perdocwriter._fieldlengths.update(totals)
    folder = getattr(writer.storage, "folder", None)
    parts = segment_parts.joined_of(Path(folder), readers) if folder is not None else None
    writer.pool.cleanup()
    writer.pool = MergedPostings(sources, parts)
    writer._added = True


def _plain_reads(storage: Any) -> Any:
    """`storage` (a FileStorage) as one that reads its segments with plain reads, not maps.

    A mapped compound segment hands out each part as a BufferFile, whose BytesIO copies the
    part whole into private memory: a merge keeps every segment's stored fields, columns
    and postings open until it ends, so a build's merge (its index opened with maps by
    whoosh.index.create_in) held the whole archive's segments in RssAnon, and its mapped
    pages in RssFile (2.2M: 7.1 GB anon, 12.4 GB peak). Plain reads hold a file position."""
    from whoosh.filedb.filestore import FileStorage

    if isinstance(storage, FileStorage) and storage.supports_mmap and storage.folder:
        return FileStorage(storage.folder, supports_mmap=False, readonly=True)
    return storage


def copy_per_doc(writer: Any, reader: Any) -> None:
    """The live documents of `reader` added to `writer`'s per-document writer: stored fields
    (in their order), lengths and columns, as Whoosh's write_per_doc adds them, with each
    column and length column read once for the segment (Whoosh's asks the storage whether
    a length column exists for each field of each document: ~0.5 ms a document)."""
    from whoosh.codec.whoosh3 import LENGTHS_COLUMN
    from whoosh.columns import TranslatingColumnReader

    schema = writer.schema
    if any(schema[f].vector for f in schema.names()):  # (Telusur's schema has none)
        fieldnames = set(schema.names()) | set(reader.indexed_field_names())
        writer.write_per_doc(fieldnames, reader)
        return
    perdoc = reader._perdoc
    lengths = {}
    for f in schema.scorable_names():
        column = perdoc._cached_reader(f"_{f}_len", LENGTHS_COLUMN)
        if column is not None:
            lengths[f] = [byte_to_length(b) for b in column.load()]
    columns = {}
    for f in schema.names():
        coltype = schema[f].column_type
        if coltype and reader.has_column(f):
            creader = reader.column_reader(f, coltype)
            if isinstance(creader, TranslatingColumnReader):
                creader = creader.raw_column()
            columns[f] = (coltype, creader)
    pdw = writer.perdocwriter
    for docnum, stored in reader.iter_docs():
        pdw.start_doc(writer.docnum)
        for f, value in stored.items():
            if f in schema:
                got = lengths.get(f)
                pdw.add_field(f, schema[f], value, got[docnum] if got else 0)
        for f, got in lengths.items():
            if f not in stored and got[docnum]:
                pdw.add_field(f, schema[f], None, got[docnum])
        for f, (coltype, creader) in columns.items():
            pdw.add_column_value(f, coltype, creader[docnum])
        pdw.finish_doc()
        writer.docnum += 1


def commit_merge(ix: Any, choose: Callable[[list[Any]], list[Any]]) -> int:
    """Merge the segments of `ix` that `choose` picks from its segments into one, in a commit
    of their own (their derived parts joined and written beside it); returns how many were
    merged (0: none picked, nothing written). Raises LockError when another writer holds
    the index."""
    from index_format import segment_parts
    from index_format.codec.packed import PackedCodec

    ids = {s.segment_id() for s in choose(ix._segments())}
    if not ids:
        return 0
    writer = ix.writer(codec=PackedCodec())

    def policy(w: Any, segments: list[Any]) -> list[Any]:
        return merge_segments(w, segments, [s for s in segments if s.segment_id() in ids])

    segment_id = writer.newsegment.segment_id()
    writer.commit(mergetype=policy)
    pool = writer.pool
    folder = getattr(ix.storage, "folder", None)
    if isinstance(pool, MergedPostings) and pool.parts is not None and folder is not None:
        segment_parts.write(segment_parts.path_of(Path(folder), segment_id), pool.parts)
    return len(ids)


def _length_totals(sources: Sequence[Source], fields: Sequence[str]) -> dict[str, int]:
    """Each field's total length over the segments' live documents: a segment's total, less
    its deleted documents' lengths (which only their length bytes give, approximately)."""
    dead = [[] if s.docmap is None else np.flatnonzero(s.docmap < 0).tolist() for s in sources]
    totals: dict[str, int] = {}
    for f in fields:
        total = 0
        for s, gone in zip(sources, dead, strict=True):
            total += s.reader.field_length(f) - sum(s.reader.doc_field_length(d, f) for d in gone)
        if total > 0:
            totals[f] = total
    return totals


def is_packed_segment(segment: Any) -> bool:
    """Whether a Whoosh segment was written by the packed codec (merge_into merges only such)."""
    from index_format.codec.packed import PackedCodec

    return isinstance(segment.codec(), PackedCodec)


def merge_segments(writer: Any, segments: list[Any], chosen: list[Any]) -> list[Any]:
    """In a merge policy: the `chosen` of `segments` merged into the segment `writer` writes
    (merge_into; Whoosh's own merge for segments of another codec); returns the others."""
    from whoosh.reading import SegmentReader

    if not chosen:
        return segments
    if all(is_packed_segment(s) for s in chosen) and not writer.docnum:
        merge_into(writer, chosen)
    else:
        for seg in chosen:
            reader = SegmentReader(writer.storage, writer.schema, seg)
            writer.add_reader(reader)
            reader.close()
    return [s for s in segments if s not in chosen]
