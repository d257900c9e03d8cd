"""How the text fields' postings are made: one fast analysis pass per field value.

Whoosh's `Positions.word_values` runs the analyzer chain, one Token object per word through
a generator per filter; that was a third of a build worker's time. `IndonesianPositions` asks
`indexer.analysis.index_terms` for term → positions directly (the same terms and positions,
tested in tests/test_index_terms.py) and encodes them as Whoosh's Positions format does.

The format is pickled into the index schema: it holds only its flags, and the search side
imports this module with the schema (it already imports indexer.analysis).
"""

from __future__ import annotations

import io
import pickle
import zlib
from array import array
from collections.abc import Iterator
from datetime import datetime
from itertools import accumulate, chain
from typing import Any

import numpy as np
from whoosh.codec.whoosh3 import (
    LENGTHS_COLUMN,
    WHOOSH3_HEADER_MAGIC,
    W3Codec,
    W3FieldWriter,
    W3PostingsWriter,
    W3Segment,
    W3TermInfo,
)
from whoosh.formats import Positions
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.writing import SegmentWriter

from indexer.analysis import index_terms
from indexer.packed import PackedCodec, PostingColumns

_CONTINUED = bytes(range(128, 256))  # varint bytes that another byte follows
_INDEXED_MAX = 50_000  # keyword and date values whose postings a build writer remembers
_ONE_BYTE = [bytes([n]) for n in range(128)]


class IndonesianPositions(Positions):
    """Positions of a field whose analyzer is `stemmed_analyzer()` (stemmed=True) or
    `exact_analyzer()` (stemmed=False); build it with the field (indexer.schema)."""

    # Values are LEB128 position gaps, one byte under 128 ending each position: the packed
    # codec (indexer.packed) splits a term's concatenated values by the frequencies.
    varint_positions = True

    def __init__(self, stemmed: bool, field_boost: float = 1.0, **options: Any) -> None:
        super().__init__(field_boost=field_boost, **options)
        self.stemmed = stemmed

    def word_values(
        self, value: Any, analyzer: Any, **kwargs: Any
    ) -> Iterator[tuple[str, int, float, bytes]]:
        if not isinstance(value, str):  # pre-tokenized values: Whoosh's own path
            yield from super().word_values(value, analyzer, **kwargs)
            return
        fb = self.field_boost
        encode = self.encode
        for term, poslist in index_terms(value, self.stemmed).items():
            yield term, len(poslist), len(poslist) * fb, encode(poslist)

    def encode(self, poslist: list[int]) -> bytes:  # type: ignore[override]
        """The gaps between sorted positions (the first from 0), as LEB128 varints."""
        if len(poslist) == 1:  # most postings: a word once in the field
            pos = poslist[0]
            if pos < 128:
                return _ONE_BYTE[pos]
            if pos < 16384:
                return bytes((pos & 127 | 128, pos >> 7))
        out = bytearray()
        prev = 0
        for pos in poslist:
            gap = pos - prev
            prev = pos
            while gap >= 128:
                out.append(gap & 127 | 128)
                gap >>= 7
            out.append(gap)
        return bytes(out)

    def decode_positions(self, valuestring: bytes) -> list[int]:  # type: ignore[override]
        if valuestring.isascii():  # every gap below 128: one byte each
            return list(accumulate(valuestring))
        positions = []
        pos = gap = shift = 0
        for byte in valuestring:
            if byte & 128:
                gap |= (byte & 127) << shift
                shift += 7
            else:
                pos += gap | (byte << shift)
                positions.append(pos)
                gap = shift = 0
        return positions

    def decode_frequency(self, valuestring: bytes) -> int:  # type: ignore[override]
        return len(valuestring.translate(None, _CONTINUED))


def _dumps(obj: Any) -> bytes:
    """Pickle protocol 3 without memo: bytes as bytes (protocol 2, Whoosh's choice, pickles
    each as a `codecs.encode` call, ~15 bytes of overhead) and no frame header (protocol 4+)."""
    buf = io.BytesIO()
    pickler = pickle.Pickler(buf, 3)
    pickler.fast = True  # no memo: nothing here is shared or recursive
    pickler.dump(obj)
    return buf.getvalue()


def _whole(weights: Any) -> tuple[float, ...] | tuple[int, ...]:
    """Whole-number weights (term frequency × field boost) as ints: 2 bytes each pickled
    instead of 9. Scores do not change: BM25 computes the same floats from them."""
    if all(w.is_integer() for w in weights):
        return tuple(map(int, weights))
    return tuple(weights)


def _compact_weights(weights: Any) -> Any:
    """A block's weights as W3LeafMatcher takes them: None (all 1.0), one float (all equal),
    or a sequence."""
    first = weights[0]
    if all(w == first for w in weights):
        return None if first == 1.0 else float(first)
    return _whole(weights)


class _TermInfo(W3TermInfo):
    def to_bytes(self) -> bytes:
        if not self.is_inlined():
            return super().to_bytes()  # type: ignore[no-any-return]
        # Whoosh's layout, with our pickle of the postings (ListMatcher takes None or a
        # sequence of weights, not one float, as weights).
        ids, weights, values = self._inlined
        head = self._struct.pack(
            True,
            self._weight,
            self._df,
            0 if self._minlength is None else length_to_byte(self._minlength),
            length_to_byte(self._maxlength),
            self._maxweight,
            0xFFFFFFFF if self._minid is None else self._minid,
            0xFFFFFFFF if self._maxid is None else self._maxid,
        )
        plain = all(w == 1.0 for w in weights)
        # No values (Existence formats): Nones, as W3LeafMatcher gives (ListMatcher gives "").
        values = tuple(values) or (None,) * len(ids)
        return head + _dumps((tuple(ids), None if plain else _whole(weights), values))


class _PostingsWriter(W3PostingsWriter):
    _maxweight: float
    _minlength: int | None
    _maxlength: int
    _terminfo: Any
    _ids: Any
    _weights: Any
    _values: Any

    def add_posting(
        self, id_: int, weight: float, vbytes: bytes, length: int | None = None
    ) -> None:
        # Whoosh's, without its four isinstance checks per posting.
        if len(self._ids) >= self._blocklimit:
            self._write_block()
        self._ids.append(id_)
        self._weights.append(weight)
        if weight > self._maxweight:
            self._maxweight = weight
        if vbytes:
            self._values.append(vbytes)
        if length:
            if self._minlength is None or length < self._minlength:
                self._minlength = length
            if length > self._maxlength:
                self._maxlength = length

    def _mini_weights(self) -> Any:
        return _compact_weights(self._weights)

    def finish_postings(self) -> Any:
        if self._blockcount or len(self._ids) >= self._inlinelimit:
            return super().finish_postings()
        # Whoosh's inlining calls `set_inline`, which W3TermInfo lacks (`set_inlined`).
        terminfo = self._terminfo
        terminfo.add_block(self)
        terminfo.set_inlined(self._ids, self._weights, self._values)
        self._terminfo = None
        return terminfo

    def start_postings(self, format_: Any, terminfo: Any) -> None:
        # Whoosh's, without asking the file where it is (a system call per term): only terms
        # with blocks need the offset, and _write_block takes it.
        self._format = format_
        self._blockcount = 0
        self._new_block()
        self._terminfo = terminfo

    def _write_block(self, last: bool = False) -> None:
        # Whoosh's, with our pickles (W3LeafMatcher unpickles any protocol).
        if not self._blockcount:
            self._startoffset = self._postfile.tell()
            self._postfile.write(WHOOSH3_HEADER_MAGIC)
        self._terminfo.add_block(self)
        databytes = _dumps((self._mini_ids(), self._mini_weights(), self._mini_values()))
        comp = self._compression
        if comp:
            databytes = zlib.compress(databytes, comp)
        ids = self._ids
        infobytes = _dumps(
            (
                len(ids),
                ids[-1],
                self._maxweight,
                comp,
                length_to_byte(self._minlength),
                length_to_byte(self._maxlength),
            )
        )
        blocklength = len(infobytes) + len(databytes)
        self._postfile.write_int(-blocklength if last else blocklength)
        self._postfile.write(infobytes)
        self._postfile.write(databytes)
        self._blockcount += 1
        self._new_block()


class _Lengths:
    """A segment's field lengths read once per field, for the postings writer's block stats
    (Whoosh reads the length column once per posting)."""

    def __init__(self, perdoc: Any) -> None:
        self._perdoc = perdoc
        self._fields: dict[str, list[int | None] | None] = {}

    def of(self, fieldname: str) -> list[int | None] | None:
        """Each document's length of `fieldname` as W3PerDocReader gives it (None: no column)."""
        if fieldname not in self._fields:
            reader = self._perdoc._cached_reader(f"_{fieldname}_len", LENGTHS_COLUMN)
            self._fields[fieldname] = (
                None
                if reader is None
                else [byte_to_length(b) if b else None for b in reader.load()]
            )
        return self._fields[fieldname]

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int | None:
        lengths = self.of(fieldname)
        return default if lengths is None else lengths[docnum]


class _FieldWriter(W3FieldWriter):
    def start_term(self, btext: bytes) -> None:
        self._btext = btext
        self._postwriter.start_postings(self._fieldobj.format, _TermInfo())

    def add_postings(self, schema: Any, lengths: Any, items: Any) -> None:
        super().add_postings(schema, _Lengths(lengths) if lengths else None, items)


class W3CompactCodec(W3Codec):  # type: ignore[misc]
    """Writes segments that Whoosh's own W3Codec reads, only smaller and faster (the format
    before indexer.packed; kept to write old-format segments in tests).

    * Postings blocks and block headers pickled with protocol 3 (see `_dumps`), weights as
      ints when they are whole numbers.
    * Terms found in fewer than `inlinelimit` documents keep their postings in the term
      dictionary (Whoosh supports it, default off): no block of their own in the postings
      file, whose header, length and pickled block info cost ~40 bytes.

    The segments it makes name the plain W3Codec, so opening an index never imports this.
    """

    def __init__(self, blocklimit: int = 128, compression: int = 3, inlinelimit: int = 8):
        super().__init__(blocklimit=blocklimit, compression=compression, inlinelimit=inlinelimit)

    def field_writer(self, storage: Any, segment: Any) -> Any:
        return _FieldWriter(self, storage, segment)

    def postings_writer(self, dbfile: Any, byteids: bool = False) -> Any:
        return _PostingsWriter(
            dbfile,
            blocklimit=self._blocklimit,
            byteids=byteids,
            compression=self._compression,
            inlinelimit=self._inlinelimit,
        )

    def new_segment(self, storage: Any, indexname: str) -> Any:
        return W3Segment(W3Codec(), indexname)


# What the rebuild (build_writer, indexer.parallel) and updates (indexer.update) write.
CompactCodec = PackedCodec


class _Columns:
    """A positions field's postings in arrival order (documents in docnum order): per posting
    its term and frequency, the positions one after another, per document its number, boost
    and count of postings. `by_term` sorts them when the segment is written."""

    __slots__ = ("boosts", "counts", "docs", "field_boost", "positions", "sizes", "terms")

    def __init__(self, field_boost: float) -> None:
        self.field_boost = field_boost
        self.terms: list[str] = []
        self.counts = array("i")
        self.positions = array("i")
        self.docs = array("i")
        self.sizes = array("i")
        self.boosts = array("d")

    def by_term(self) -> PostingColumns:
        """The postings sorted by term (str order is UTF-8 order), then document."""
        # Term ids without a Python loop per posting: dict.fromkeys and map run in C.
        terms = list(dict.fromkeys(self.terms))
        order = sorted(range(len(terms)), key=terms.__getitem__)
        rank = dict(zip([terms[i] for i in order], range(len(terms)), strict=True))
        by_term = np.array(list(map(rank.__getitem__, self.terms)), dtype=np.int32)
        self.terms = []
        o = np.argsort(by_term, kind="stable")  # documents stay in order within a term
        starts = np.zeros(len(terms) + 1, dtype=np.int64)
        np.cumsum(np.bincount(by_term, minlength=len(terms)), out=starts[1:])
        del by_term
        sizes = np.frombuffer(self.sizes, dtype=np.int32)
        counts = np.frombuffer(self.counts, dtype=np.int32)
        freqs = counts[o]
        boosts = np.repeat(np.frombuffer(self.boosts), sizes)[o]
        # Each posting's positions, gathered in the sorted postings' order.
        shift = (np.cumsum(counts, dtype=np.int64) - counts)[o]
        shift -= np.cumsum(freqs, dtype=np.int64) - freqs
        gather = np.repeat(shift.astype(np.int32), freqs)
        del shift
        gather += np.arange(gather.size, dtype=np.int32)
        return PostingColumns(
            terms=[terms[i].encode("utf-8") for i in order],
            starts=starts,
            docs=np.repeat(np.frombuffer(self.docs, dtype=np.int32), sizes)[o],
            freqs=freqs,
            weights=freqs * self.field_boost * boosts,
            positions=np.frombuffer(self.positions, dtype=np.int32)[gather],
        )


class TermPool:
    """A segment's postings in memory: what build writers use instead of Whoosh's
    PostingPool.

    Whoosh keeps one tuple per posting, sorts them all at the end and spills sorted runs to
    disk past `limitmb` (at 11,000 articles a worker spilled twice, then merged the runs in
    Python). Here the text fields' postings (`add_terms`) go into flat arrays, a few bulk
    appends per document, and are sorted by term with numpy when the segment is written;
    other fields' postings are kept term by term. `size` estimates the bytes held; the
    writer's owner starts a new segment past its budget.
    """

    def __init__(self) -> None:
        self._fields: dict[str, dict[bytes, tuple[array[int], array[float], list[bytes]]]] = {}
        self._columns: dict[str, _Columns] = {}
        self.size = 0

    def add(self, item: tuple[str, bytes, int, float, bytes | None]) -> None:
        fieldname, tbytes, docnum, weight, vbytes = item
        if fieldname in self._columns:
            raise ValueError(f"{fieldname}: postings added both ways")
        terms = self._fields.get(fieldname)
        if terms is None:
            terms = self._fields[fieldname] = {}
        entry = terms.get(tbytes)
        if entry is None:
            entry = terms[tbytes] = (array("I"), array("d"), [])
            self.size += 450 + len(tbytes)  # measured: a term's key, tuple, arrays, list
        entry[0].append(docnum)
        entry[1].append(weight)
        entry[2].append(vbytes or b"")
        self.size += 60 + len(vbytes or b"")  # measured: ~60 bytes a posting besides its value

    def add_terms(
        self, fieldname: str, docnum: int, terms: dict[str, list[int]], fmt: Any, boost: float
    ) -> int:
        """A document's postings of one field from `index_terms` (what fmt.word_values would
        yield, each weight times `boost`); returns the field's length."""
        cols = self._columns.get(fieldname)
        if cols is None:
            if fieldname in self._fields:
                raise ValueError(f"{fieldname}: postings added both ways")
            cols = self._columns[fieldname] = _Columns(fmt.field_boost)
        counts = list(map(len, terms.values()))
        cols.terms.extend(terms)
        cols.counts.extend(counts)
        cols.positions.extend(chain.from_iterable(terms.values()))
        cols.docs.append(docnum)
        cols.sizes.append(len(counts))
        cols.boosts.append(boost)
        length = sum(counts)
        # Held: 12 bytes a posting (terms are shared strings), 4 a position. Writing the
        # segment sorts and encodes them in numpy arrays: a build worker's peak RSS grew by
        # ~40 KB an article of its segment (485 MB at 11,000 CLICK-ID articles, 850 MB at
        # ~18,000), so the budget counts about four times what is held.
        self.size += 52 * len(counts) + 17 * length
        return length

    def iter_postings(self) -> _PoolPostings:
        return _PoolPostings(self._fields, self._columns)

    def cleanup(self) -> None:
        self._fields = {}
        self._columns = {}
        self.size = 0


class _PoolPostings:
    """A TermPool's postings for our codec's writer (indexer.packed), field by field in order:
    a text field's as PostingColumns, the others' term by term."""

    def __init__(self, fields: dict[str, dict[bytes, Any]], columns: dict[str, _Columns]):
        self.fields = fields
        self.columns = columns

    def terms(self) -> Iterator[tuple[str, PostingColumns | Iterator[tuple[bytes, Any]]]]:
        for fieldname in sorted([*self.fields, *self.columns]):
            if fieldname in self.columns:
                yield fieldname, self.columns.pop(fieldname).by_term()  # one at a time
            else:
                terms = self.fields[fieldname]
                yield fieldname, ((t, terms[t]) for t in sorted(terms))


class _BuildWriter(SegmentWriter):  # type: ignore[misc]
    """Whoosh's SegmentWriter whose add_document hands IndonesianPositions fields straight
    from `index_terms` to the TermPool: no generator per field, no tuple and call per
    posting. Other fields go Whoosh's way; the rest is SegmentWriter.add_document's code."""

    pool: TermPool
    _indexed: dict[tuple[str, Any], list[tuple[bytes, int, float, bytes]]]

    def add_document(self, **fields: Any) -> None:
        self._check_state()
        perdocwriter = self.perdocwriter
        schema = self.schema
        docnum = self.docnum
        pool = self.pool
        docboost = self._doc_boost(fields)
        fieldnames = sorted(name for name in fields if not name.startswith("_"))
        self._check_fields(schema, fieldnames)
        perdocwriter.start_doc(docnum)
        try:
            for fieldname in fieldnames:
                value = fields.get(fieldname)
                if value is None:
                    continue
                field = schema[fieldname]
                if field.vector or field.separate_spelling():
                    raise ValueError(f"{fieldname}: vectors and spelling are not supported here")
                length = 0
                if field.indexed:
                    boost = self._field_boost(fields, fieldname, docboost)
                    fmt = field.format
                    if isinstance(fmt, IndonesianPositions) and isinstance(value, str):
                        terms = index_terms(value, fmt.stemmed)
                        length = pool.add_terms(fieldname, docnum, terms, fmt, boost)
                    else:
                        for tbytes, freq, weight, vbytes in self._index(field, fieldname, value):
                            if field.scorable:
                                length += freq
                            pool.add((fieldname, tbytes, docnum, weight * boost, vbytes))
                customval = fields.get(f"_stored_{fieldname}", value)
                perdocwriter.add_field(
                    fieldname, field, customval if field.stored else None, length
                )
                column = field.column_type
                if column and customval is not None:
                    cv = field.to_column_value(customval)
                    perdocwriter.add_column_value(fieldname, column, cv)
        except Exception:
            perdocwriter.cancel_doc()
            raise
        perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1

    def _index(self, field: Any, fieldname: str, value: Any) -> Any:
        """field.index(value), remembered for values that recur (outlets, days, names):
        Whoosh analyses each keyword and expands each date into several range terms."""
        if field.unique or not isinstance(value, str | datetime):
            return field.index(value)
        key = (fieldname, value)
        items = self._indexed.get(key)
        if items is None:
            if len(self._indexed) >= _INDEXED_MAX:
                self._indexed.clear()
            items = self._indexed[key] = list(field.index(value))
        return items


def build_writer(ix: Any, **kwargs: Any) -> Any:
    """A SegmentWriter for building: our codec, the term pool (no spilled runs) and the
    direct path from analysis to pool.

    Takes SegmentWriter's arguments (`_lk=False` for a worker under its parent's lock).
    """
    writer = _BuildWriter(ix, codec=CompactCodec(), **kwargs)
    writer.pool = TermPool()
    writer._indexed = {}
    return writer
