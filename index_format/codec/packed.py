"""The packed codec as Whoosh sees it: the object Whoosh asks for each segment's writers and
readers, and the helpers search uses to read a term's postings as arrays."""

from __future__ import annotations

from typing import Any

import numpy as np
from whoosh.codec import base
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3Codec, W3PerDocReader, W3Segment
from whoosh.util.numeric import byte_to_length

from index_format.codec.merge import MergedPostings
from index_format.codec.postings import PostingColumns, Postings, encode_columns, encode_term
from index_format.codec.storedcol import StoredCodecMixin
from index_format.codec.termdict import PackedTermsReader, TermsWriter

# The length each length byte reads back as (byte_to_length).
_LENGTH_OF_BYTE = np.array([byte_to_length(b) for b in range(256)], dtype=np.int64)


class _Lengths:
    """A segment's field lengths for the postings writer (each term's min and max length).

    W3's per-document reader (what SegmentWriter passes) has its length columns read whole,
    once per field: its doc_field_length looks each posting's length up in the column file,
    which a rebuild would feel. Any other reader Whoosh's API allows (MpWriter's
    MultiPerDocumentReader, a test's stand-in) is asked through doc_field_length.
    """

    def __init__(self, perdoc: Any) -> None:
        self._perdoc = perdoc
        self._columns = isinstance(perdoc, W3PerDocReader)
        self._fields: dict[str, list[int] | None] = {}

    def of(self, fieldname: str) -> list[int] | None:
        """Each document's length of `fieldname` (0: none), or None when not known."""
        if fieldname not in self._fields:
            self._fields[fieldname] = self._read(fieldname)
        return self._fields[fieldname]

    def array_of(self, fieldname: str) -> np.ndarray | None:
        """Each document's length of `fieldname` as an array, not kept: a merge writes its
        fields one at a time, and a list of ints kept for each field costs ~36 bytes a
        document a field (~240 MB for three fields at 2.2M documents) against 8 here."""
        if fieldname in self._fields or not self._columns:
            got = self.of(fieldname)
            return None if got is None else np.asarray(got, dtype=np.int64)
        reader = self._perdoc._cached_reader(f"_{fieldname}_len", LENGTHS_COLUMN)
        if reader is None:
            return None
        return _LENGTH_OF_BYTE[np.asarray(reader.load(), dtype=np.uint8)]

    def _read(self, fieldname: str) -> list[int] | None:
        perdoc = self._perdoc
        if self._columns:
            reader = perdoc._cached_reader(f"_{fieldname}_len", LENGTHS_COLUMN)
            return None if reader is None else [byte_to_length(b) for b in reader.load()]
        doc_count_all = getattr(perdoc, "doc_count_all", None)  # PerDocumentReader's
        if doc_count_all is None:
            return None
        return [perdoc.doc_field_length(d, fieldname) or 0 for d in range(doc_count_all())]

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        if not self._columns:
            # Two arguments: all that Whoosh's own FieldWriter.add_postings passes.
            return int(self._perdoc.doc_field_length(docnum, fieldname) or default)
        lengths = self.of(fieldname)
        return default if lengths is None else lengths[docnum] or default


class PackedFieldWriter(base.FieldWriter):
    def __init__(self, codec: Any, storage: Any, segment: Any) -> None:
        self._codec = codec
        self._terms = TermsWriter(segment.create_file(storage, codec.PTERMS_EXT))
        self._postfile = segment.create_file(storage, codec.PPOSTS_EXT)
        self._fieldobj: Any = None
        self._btext: bytes | None = None
        self._ids: list[int] = []
        self._weights: list[float] = []
        self._values: list[bytes] = []
        self._lengths: list[int] = []
        self.is_closed = False

    def start_field(self, fieldname: str, fieldobj: Any) -> None:
        self._fieldobj = fieldobj
        self._terms.start_field(fieldname)

    def start_term(self, btext: bytes) -> None:
        self._btext = btext
        self._ids, self._weights, self._values, self._lengths = [], [], [], []

    def add(self, docnum: int, weight: float, vbytes: bytes | None, length: int | None) -> None:
        self._ids.append(docnum)
        self._weights.append(weight)
        self._values.append(vbytes or b"")
        self._lengths.append(length or 0)

    def _write(self, btext: bytes, ids: Any, weights: Any, values: Any, lengths: Any) -> None:
        record, stats = encode_term(self._fieldobj.format, ids, weights, values, lengths)
        self._terms.add(btext, stats, self._postfile.tell(), len(record))
        self._postfile.write(record)

    def finish_term(self) -> None:
        assert self._btext is not None
        self._write(self._btext, self._ids, self._weights, self._values, self._lengths)
        self._btext = None

    def finish_field(self) -> None:
        self._terms.finish_field()

    def add_postings(self, schema: Any, lengths: Any, items: Any) -> None:
        lengths = _Lengths(lengths) if lengths else None
        if isinstance(items, MergedPostings):
            self._write_merged(schema, lengths, items)
            return
        if not hasattr(items, "terms"):  # Whoosh's postings, one tuple each
            super().add_postings(schema, lengths, items)
            return
        # A TermPool's postings (index_format.pool), already in order: a positions field's
        # as columns, the others a term at a time.
        for fieldname, terms in items.terms():
            self.start_field(fieldname, schema[fieldname])
            flen = lengths.of(fieldname) if lengths else None
            if isinstance(terms, PostingColumns):
                self._write_columns(terms, flen)
            else:
                for tbytes, (ids, weights, values) in terms:
                    lens = [flen[i] for i in ids] if flen is not None else [0] * len(ids)
                    self._write(tbytes, ids, weights, values, lens)
            self.finish_field()

    def _write_merged(self, schema: Any, lengths: _Lengths | None, items: MergedPostings) -> None:
        """Segments' postings merged a term at a time (index_format.codec.merge)."""
        for fieldname in items.field_names():
            if fieldname not in schema:
                continue
            fieldobj = schema[fieldname]
            arr = lengths.array_of(fieldname) if lengths else None
            offset = self._postfile.tell()
            started = False
            for tbytes, record, stats in items.records(fieldname, fieldobj.format, arr):
                if not started:  # a field whose every posting was deleted is left out
                    self.start_field(fieldname, fieldobj)
                    started = True
                self._terms.add(tbytes, stats, offset, len(record))
                self._postfile.write(record)
                offset += len(record)
            if started:
                self.finish_field()

    def _write_columns(self, cols: PostingColumns, flen: Any) -> None:
        offset = self._postfile.tell()
        records = []
        add = self._terms.add
        for tbytes, record, stats in encode_columns(self._fieldobj.format, cols, flen):
            add(tbytes, stats, offset, len(record))
            offset += len(record)
            records.append(record)
        self._postfile.write(b"".join(records))

    def close(self) -> None:
        self._terms.close()
        self._postfile.close()
        self.is_closed = True


class PackedCodec(StoredCodecMixin, W3Codec):
    """Our term dictionary and postings, stored fields compressed with a dictionary trained
    per segment (index_format.codec.storedcol), W3's other per-document files (lengths, columns).
    Segments name this class, so opening them imports this module."""

    PTERMS_EXT = ".pkt"
    PPOSTS_EXT = ".pkp"

    def __init__(self) -> None:
        super().__init__()

    def field_writer(self, storage: Any, segment: Any) -> PackedFieldWriter:
        return PackedFieldWriter(self, storage, segment)

    def terms_reader(self, storage: Any, segment: Any) -> PackedTermsReader:
        # `storage` is the segment's compound file when it has one (SegmentReader).
        name = segment.make_filename(self.PTERMS_EXT)
        tfile = storage.open_file(name)
        postfile = storage.open_file(segment.make_filename(self.PPOSTS_EXT))
        return PackedTermsReader(self, tfile, storage.file_length(name), postfile)

    def new_segment(self, storage: Any, indexname: str) -> Any:
        return W3Segment(self, indexname)


def is_packed(reader: Any) -> bool:
    """Whether a segment reader's terms and postings are in this format."""
    return isinstance(getattr(reader, "_terms", None), PackedTermsReader)


def packed_postings(reader: Any, fieldname: str, text: Any) -> Postings | None:
    """A term's postings as arrays from a packed segment's reader (None: the term is not
    there); call it only when `is_packed(reader)`."""
    if fieldname not in reader.schema:
        return None
    field = reader.schema[fieldname]
    terms: PackedTermsReader = reader._terms
    return terms.find_postings(fieldname, field.to_bytes(text), field.format)
