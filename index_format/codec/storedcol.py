"""Stored fields compressed with a zstd dictionary trained on the segment's own documents.

Whoosh's W3 codec keeps each document's stored-field dict as a pickle (protocol 2) deflated
on its own (zlib level 3): a news article alone compresses poorly, because what it shares with
the others (Indonesian words, outlet names, URL prefixes, field names) is not in the window.
`DictStoredColumn` trains a zstd dictionary per segment on the first documents written
(deterministic: same documents, same bytes) and compresses every document with it. On the
22k CLICK-ID archive that is ~0.44 of raw title+body against W3's ~0.72, and a document still
reads on its own, about twice as fast as W3's (`python -m bench.stored_compression`).

`StoredCodecMixin` puts the column into a W3-style codec as its "_stored" column; everything
else the codec writes is unchanged. A segment is read by the codec it names (pickled in the
TOC), so segments written without the mixin read as before, and segments written with it
must name a codec class that has it (its reader also reads W3's column).

Two versions of the column, told apart by the magic at its end; both read. Version 1 pickles
the dicts as they are. Version 2 (written since) pickles a naive `datetime` value of the
dict's own keys (the article's `published`) as the 10 bytes of its pickled state, named in the
column's trailer and turned back into a datetime when read: unpickling a datetime looks its
class up through the import system (~2.7 of ~6 µs a document at 22k), a datetime made from
its state costs ~0.15. Readers get the same dicts from either version.
"""

from __future__ import annotations

import io
import os
import pickle
import struct
import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any

import zstandard
from whoosh.codec.whoosh3 import STORED_COLUMN as W3_STORED
from whoosh.codec.whoosh3 import W3PerDocReader, W3PerDocWriter
from whoosh.columns import Column, ColumnReader, ColumnWriter, VarBytesColumn
from whoosh.filedb.compound import SubFile

# Protocol 4: strings and datetimes pickle ~5% smaller than W3's protocol 2.
PICKLE_PROTOCOL = 4
# Compressing 5,000 CLICK-ID stored dicts with a dictionary trained as below: level 3 gives
# 0.379 of their pickled size at 9.9 µs a document, level 5 0.349 at 23.6 µs, level 9 0.341
# at 67.6 µs (level 19: ~0.6-1 ms). Level 5 keeps nearly all of 9's size for a third of its
# time, which a rebuild pays once per article. (Issue 23, level 6 with a 256 KB dictionary
# trained on 8 MB: the 22k CLICK-ID index's first segment 8.75 -> 8.47 MB for +63 µs of CPU a
# document written, busy machine, training included: ~2-3% of a rebuild's CPU; not taken.)
LEVEL = 5
# A segment of more than SAMPLE_BYTES of pickled documents (a merged one: 220k articles make
# one of ~530 MB) trains a DICT_SIZE dictionary on its first SAMPLE_BYTES (size6, issue 23):
# on 20,000 random documents of the 2.2M realistic index's main segment, 128 KB trained on
# 4 MB make 1,881 MB of frames, 1 MB on 32 MB 1,776 MB (-5.6%; 2 MB on 64 MB 1,750; level 6
# with 1 MB 1,715 at 1.6x the write cost) at the same write cost a document, training ~0.7 s
# and +50 MB once a segment; reading a document ~1.6 µs more (9.4 against 7.8 µs with its
# unpickling, /tmp/size6-tools/read_ab.py: the larger dictionary is further from the cache).
DICT_SIZE = 1024 * 1024
SAMPLE_BYTES = 32 * 1024 * 1024
# A smaller segment (a build's, an update's: its documents are all the sample) trains as
# before, SMALL_DICT_SIZE on its first SMALL_SAMPLE_BYTES: 1 MB more dictionary in each would
# outweigh what it saves below ~45 MB of documents (a 50k build's five segments: +0.9 MB).
SMALL_DICT_SIZE = 128 * 1024
SMALL_SAMPLE_BYTES = 4 * 1024 * 1024
# ...and on at least MIN_SAMPLES documents: one huge first article must not be the sample.
MIN_SAMPLES = 64
# Below this the dictionary would be mostly noise: a small segment trains a smaller one
# (at most 1/16 of its data) and keeps it only if it pays for its own bytes.
MIN_DICT = 4 * 1024
# Fixed COVER parameters: the optimizing search (k=d=0) costs 5-20x the time for <1%.
_COVER = {"k": 256, "d": 8}

_MAGIC = b"TZD1"
# After the frames and their lengths: the dictionary, then (dictionary length, magic).
_TRAILER = struct.Struct("<I4s")
# Version 2: the frames, the dictionary, the names of the fields whose datetimes are kept as
# their state (UTF-8, each ended by a NUL), then (dictionary length, names length, magic).
_MAGIC_2 = b"TZD2"
_TRAILER_2 = struct.Struct("<II4s")
VERSION = 2
# A datetime from its pickled state, as unpickling makes it (a signature typeshed omits).
_from_state: Callable[[bytes], datetime] = datetime  # type: ignore[assignment]


class DictStoredColumn(Column):
    """Pickled objects (stored-field dicts), each a zstd frame compressed with the segment's
    trained dictionary; `None` (no stored fields) reads back as `None`."""

    def __init__(
        self,
        level: int = LEVEL,
        dict_size: int = DICT_SIZE,
        sample_bytes: int = SAMPLE_BYTES,
        version: int = VERSION,
    ) -> None:
        if version not in (1, 2):
            raise ValueError(f"no DictStoredColumn version {version}")
        self.level = level
        self.dict_size = dict_size
        self.sample_bytes = sample_bytes
        self.version = version  # 1: as written before version 2 (kept for tests of old segments)

    def writer(self, dbfile: Any) -> _Writer:
        return _Writer(dbfile, self.level, self.dict_size, self.sample_bytes, self.version)

    def reader(self, dbfile: Any, basepos: int, length: int, doccount: int) -> Any:
        if length >= _TRAILER.size and dbfile.get(basepos + length - 4, 4) in (_MAGIC, _MAGIC_2):
            return _Reader(dbfile, basepos, length, doccount)
        # Written by W3's writer: a codec class that gained the mixin still reads the segments
        # it wrote before. W3's column ends with an array typecode or "X", never our magic.
        return W3_STORED.reader(dbfile, basepos, length, doccount)


def train(samples: list[Any], level: int, dict_size: int) -> bytes:
    """A zstd dictionary for `samples` (bytes), or b"" when there is too little to train on."""
    size = min(dict_size, sum(map(len, samples)) // 16)
    if size < MIN_DICT or len(samples) < 8:
        return b""
    try:
        zdict = zstandard.train_dictionary(size, samples, level=level, **_COVER)
    except zstandard.ZstdError:  # e.g. samples too alike to build one
        return b""
    data: bytes = zdict.as_bytes()
    return data


def _first(samples: list[bytes], sample_bytes: int) -> list[bytes]:
    """The fewest first `samples` that hold `sample_bytes` and MIN_SAMPLES documents (all of
    them when they do not)."""
    size = 0
    for n, data in enumerate(samples, 1):
        size += len(data)
        if size >= sample_bytes and n >= MIN_SAMPLES:
            return samples[:n]
    return samples


def _compressor(zdict: bytes, level: int) -> zstandard.ZstdCompressor:
    options: dict[str, Any] = {"write_checksum": False, "write_content_size": True}
    if zdict:
        cdict = zstandard.ZstdCompressionDict(zdict)
        cdict.precompute_compress(level=level)
        options.update(dict_data=cdict, write_dict_id=False)  # one dictionary per segment
    return zstandard.ZstdCompressor(level=level, **options)


def _dated(value: Any, dated: set[str], raw: set[str]) -> Any:
    """`value` as version 2 pickles it: a dict's naive datetimes as their state (10 bytes),
    their keys added to `dated`, the keys of its bytes values to `raw`. Raises ValueError
    when a key holds bytes and datetimes in one column (its bytes would read back as
    datetimes)."""
    if value.__class__ is not dict:
        return value
    out = None
    for name, v in value.items():
        if v.__class__ is datetime and v.tzinfo is None:
            if out is None:
                out = dict(value)
            out[name] = v.__reduce__()[1][0]
            dated.add(name)
        elif isinstance(v, bytes):
            raw.add(name)
        else:
            continue
        if name in dated and name in raw:
            raise ValueError(f"stored field {name!r} holds both bytes and datetimes")
    return value if out is None else out


class _Writer(ColumnWriter):
    def __init__(
        self, dbfile: Any, level: int, dict_size: int, sample_bytes: int, version: int = VERSION
    ) -> None:
        self._dbfile = dbfile
        self._version = version
        # Version 2: the keys whose datetimes were written as their state, and those of bytes.
        self._dated: set[str] = set()
        self._raw: set[str] = set()
        self._frames = VarBytesColumn().writer(dbfile)
        self._level = level
        self._dict_size = dict_size
        self._sample_bytes = sample_bytes
        # Documents pickled before the dictionary exists (the caller reuses its dicts).
        self._pending: list[tuple[int, bytes]] = []
        self._pending_bytes = 0
        self._zdict: bytes | None = None
        self._compress: Any = None

    def __repr__(self) -> str:
        return "<DictStoredColumn.Writer>"

    def add(self, docnum: int, value: Any) -> None:
        if value is None:
            return  # the frames writer fills the gap with an empty value
        if self._version == 2:
            value = _dated(value, self._dated, self._raw)
        data = pickle.dumps(value, PICKLE_PROTOCOL)
        if self._compress is not None:
            self._frames.add(docnum, self._compress(data))
            return
        self._pending.append((docnum, data))
        self._pending_bytes += len(data)
        if self._pending_bytes >= self._sample_bytes and len(self._pending) >= MIN_SAMPLES:
            self._start(final=False)

    def _start(self, final: bool) -> None:
        samples = [data for _, data in self._pending]
        trained, dict_size = samples, self._dict_size
        if final:  # the whole segment was pending: a small one trains a small dictionary
            trained = _first(samples, min(SMALL_SAMPLE_BYTES, self._sample_bytes))
            dict_size = min(SMALL_DICT_SIZE, self._dict_size)
        zdict = train(trained, self._level, dict_size)
        compress = _compressor(zdict, self._level).compress
        frames = [compress(data) for data in samples]
        if final and zdict and len(trained) == len(samples):
            # The whole segment was the sample: keep the dictionary only if it pays its bytes.
            plain = _compressor(b"", self._level).compress
            plain_frames = [plain(data) for data in samples]
            if sum(map(len, plain_frames)) <= len(zdict) + sum(map(len, frames)):
                zdict, compress, frames = b"", plain, plain_frames
        self._zdict, self._compress = zdict, compress
        for (docnum, _), frame in zip(self._pending, frames, strict=True):
            self._frames.add(docnum, frame)
        self._pending = []

    def finish(self, doccount: int) -> None:
        if self._compress is None:
            self._start(final=True)
        self._frames.finish(doccount)
        zdict = self._zdict or b""
        self._dbfile.write(zdict)
        if self._version == 1:
            self._dbfile.write(_TRAILER.pack(len(zdict), _MAGIC))
            return
        names = b"".join(name.encode("utf-8") + b"\0" for name in sorted(self._dated))
        self._dbfile.write(names)
        self._dbfile.write(_TRAILER_2.pack(len(zdict), len(names), _MAGIC_2))


class _Reader(ColumnReader):
    def __init__(self, dbfile: Any, basepos: int, length: int, doccount: int) -> None:
        self._dbfile = dbfile
        self._basepos = basepos
        self._length = length
        self._doccount = doccount
        end = basepos + length
        magic = bytes(dbfile.get(end - 4, 4))
        if magic == _MAGIC_2 and length >= _TRAILER_2.size:
            end -= _TRAILER_2.size
            dictlen, nameslen, _ = _TRAILER_2.unpack(dbfile.get(end, _TRAILER_2.size))
            end -= nameslen
            names = bytes(dbfile.get(end, nameslen)) if nameslen else b""
            self.dated = tuple(n.decode("utf-8") for n in names.split(b"\0")[:-1])
        elif magic == _MAGIC:
            end -= _TRAILER.size
            dictlen, _ = _TRAILER.unpack(dbfile.get(end, _TRAILER.size))
            self.dated = ()
        else:
            raise ValueError(f"not a DictStoredColumn (trailer {magic!r})")
        self.version = 2 if magic == _MAGIC_2 else 1
        end -= dictlen
        self._frames = VarBytesColumn().reader(dbfile, basepos, end - basepos, doccount)
        self._file, self._at = _os_file(dbfile, basepos)
        if dictlen:
            zdict = zstandard.ZstdCompressionDict(bytes(dbfile.get(end, dictlen)))
            self._dctx = zstandard.ZstdDecompressor(dict_data=zdict)
        else:
            self._dctx = zstandard.ZstdDecompressor()
        self.dictionary_size = dictlen
        # A decompressor must not be used by two threads at once (it releases the GIL).
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return "<DictStoredColumn.Reader>"

    def _load(self, frame: bytes) -> Any:
        if not frame:
            return None
        with self._lock:
            data = self._dctx.decompress(frame)
        value = pickle.loads(data)
        for name in self.dated:  # (version 2: the datetimes' states back as datetimes)
            state = value.get(name)
            if state.__class__ is bytes:
                value[name] = _from_state(state)
        return value

    def __getitem__(self, docnum: int) -> Any:
        return self._load(self._frame(docnum))

    def _frame(self, docnum: int) -> bytes:
        """Document `docnum`'s frame: one pread from the file at the column's place in it
        where the column is read from an OS file, else through Whoosh's file objects (a
        seek and a buffered read through the compound file's sub-file and two wrappers:
        ~3.4 µs a frame against ~0.8). (A map of the file instead: no faster in a serving
        process, and each frame read maps its 64 KB around: +26 MB RSS over the bench's mix
        at 220k articles.)"""
        file = self._file
        if file is None or file.closed:  # (closed: Whoosh's reader raises its own error)
            frame: bytes = self._frames[docnum]
            return frame
        frames = self._frames
        length = frames._lengths[docnum]
        if not length:
            return b""
        return os.pread(file.fileno(), length, self._at + frames._offsets[docnum])

    def __iter__(self) -> Any:
        for frame in self._frames:
            yield self._load(frame)


def _os_file(dbfile: Any, basepos: int) -> tuple[Any, int]:
    """The OS file under Whoosh's `dbfile` and where `basepos` of it is in that file: a
    StructFile over a compound segment's SubFile, or over the file itself; (None, 0) for
    anything else (an in-memory file)."""
    inner = getattr(dbfile, "file", None)
    if isinstance(inner, SubFile):
        outer = inner._file
        if isinstance(outer, io.BufferedReader):
            return outer, inner._offset + basepos
    elif isinstance(inner, io.BufferedReader):
        return inner, basepos
    return None, 0


STORED_COLUMN = DictStoredColumn()


class StoredPerDocWriter(W3PerDocWriter):
    """W3's per-document writer with `DictStoredColumn` as its "_stored" column."""

    def __init__(self, codec: Any, storage: Any, segment: Any) -> None:
        if not isinstance(segment.codec(), StoredCodecMixin):
            # The segment's own codec reads it back: W3's reader would fail on this column.
            raise TypeError(
                f"segment names {type(segment.codec()).__name__}, which cannot read "
                "DictStoredColumn: new_segment must name a codec with StoredCodecMixin"
            )
        super().__init__(codec, storage, segment)

    def _create_column(self, fieldname: str, column: Any) -> None:
        if fieldname == "_stored":
            column = self._codec.stored_column
        super()._create_column(fieldname, column)


class StoredPerDocReader(W3PerDocReader):
    """W3's per-document reader whose stored fields come from `DictStoredColumn`."""

    def stored_fields(self, docnum: int) -> dict[str, Any]:
        value = self.stored_column()[docnum]
        return {} if value is None else value

    def stored_column(self) -> Any:
        """The reader of the segment's stored-field column (indexed by document number)."""
        return self._cached_reader("_stored", STORED_COLUMN)


class StoredCodecMixin:
    """Put first in a W3Codec subclass's bases: its segments keep stored fields in
    `DictStoredColumn`. The segments must name a codec class with this mixin (its
    `new_segment`), as they are read by the codec they name."""

    # How segments are written (the reader needs no settings: it reads them from the column).
    stored_column: DictStoredColumn = STORED_COLUMN

    def per_document_writer(self, storage: Any, segment: Any) -> StoredPerDocWriter:
        return StoredPerDocWriter(self, storage, segment)

    def per_document_reader(self, storage: Any, segment: Any) -> StoredPerDocReader:
        return StoredPerDocReader(storage, segment)
