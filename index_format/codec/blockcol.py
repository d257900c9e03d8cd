"""A bytes column compressed in blocks: for columns read whole, in document order.

Whoosh's VarBytesColumn keeps each document's bytes as they are. The `facets` column
(index_format.schema) holds, per document, its day, facet values and name variants: text that
repeats from one document to the next (outlets, the same people and places), read only when a
segment's parts are derived (index_format.facet_arrays.parse, one pass over the column) and
for a few documents by a rebuild's journal replay. Compressed with zstd in blocks of about
BLOCK_BYTES of values, it takes ~0.22 of its plain size on the 220k realistic archive
(55.1 -> 12.3 MB in 8 MB blocks at level 10; 128 KB blocks at level 9: 18.9 MB; each document
on its own: ~0.43), for ~3 µs a document at write; a single document reads its block (~11 ms
of CPU for 8 MB), the last block read kept.

The column's bytes:
    zstd frames, one per block: the block's values end to end
    | one zstd frame: each document's value length (u4, 0: no value)
    | u4 first document of each block | u4 frame size of each block
    | trailer: u4 block count, u4 size of the lengths frame, magic
"""

from __future__ import annotations

import struct
import threading
from array import array
from bisect import bisect_right
from collections.abc import Iterator
from typing import Any

import numpy as np
import zstandard
from whoosh.columns import Column, ColumnReader, ColumnWriter

# Level 9 and 32 KB blocks: 0.345 of the facets column of a CLICK-ID segment (level 3: 0.362,
# 64 KB blocks: 0.323 at twice a single document's read; level 19 costs 15x the write time
# for 0.339): bench/index_bytes.py measures the column. 128 KB blocks since issue 23: the 22k
# CLICK-ID index's column 1.53 -> 1.34 MB (256 KB: 1.26), a single document's read ~4x
# (only a rebuild's journal replay reads single documents, a few; search never does). Readers
# read any block size. Issue 23's second pass (the 220k realistic index's column of 55.1 MB,
# recompressed offline): the names repeat across far more documents than a 128 KB block holds
# (level 9: 128 KB 18.9 MB, 1 MB 15.4, 4 MB 13.4, 8 MB 12.7, 16 MB 12.4, all ~1.5 s of CPU);
# level 10 on 8 MB blocks 12.3 MB for +0.6 s (level 11: 12.1 MB, +1.9 s). A single document's
# read decompresses its block: ~6 / 11 / 29 ms of CPU for 4 / 8 / 16 MB.
LEVEL = 10
BLOCK_BYTES = 8 * 1024 * 1024
# The defaults before: a schema pickled then names one, and its segments written again (merge,
# update) take today's blocks.
_FORMER_DEFAULTS = (32 * 1024, 128 * 1024)
_MAGIC = b"TZB1"
_TRAILER = struct.Struct("<II4s")


class ZstdBlockColumn(Column):
    """Variable-length bytes per document, zstd-compressed in blocks (b"": no value)."""

    _default = b""

    def __init__(self, level: int = LEVEL, block_bytes: int = BLOCK_BYTES) -> None:
        self.level = level
        self.block_bytes = block_bytes

    def writer(self, dbfile: Any) -> _Writer:
        if self.block_bytes in _FORMER_DEFAULTS:  # a schema pickled before: today's defaults
            return _Writer(dbfile, LEVEL, BLOCK_BYTES)
        return _Writer(dbfile, self.level, self.block_bytes)

    def reader(self, dbfile: Any, basepos: int, length: int, doccount: int) -> _Reader:
        return _Reader(dbfile, basepos, length, doccount)


class _Writer(ColumnWriter):
    def __init__(self, dbfile: Any, level: int, block_bytes: int) -> None:
        self._dbfile = dbfile
        self._compress = zstandard.ZstdCompressor(level=level, write_checksum=False).compress
        self._block_bytes = block_bytes
        self._lengths = array("I")  # one per document so far (4 bytes each, not a list's 8+)
        self._pending: list[bytes] = []
        self._pending_bytes = 0
        self._firsts: list[int] = []  # each block's first document
        self._sizes: list[int] = []  # each block's frame size

    def __repr__(self) -> str:
        return "<ZstdBlockColumn.Writer>"

    def add(self, docnum: int, value: bytes) -> None:
        if docnum < len(self._lengths):
            raise ValueError(f"document {docnum} added after document {len(self._lengths) - 1}")
        self._pad(docnum)
        self._lengths.append(len(value))
        if not value:
            return
        if not self._pending:
            self._firsts.append(docnum)
        self._pending.append(value)
        self._pending_bytes += len(value)
        if self._pending_bytes >= self._block_bytes:
            self._emit()

    def _pad(self, doccount: int) -> None:
        """Length 0 (no value) for the documents not added up to `doccount`."""
        missing = doccount - len(self._lengths)
        if missing > 0:
            self._lengths.frombytes(bytes(missing * self._lengths.itemsize))

    def _emit(self) -> None:
        frame = self._compress(b"".join(self._pending))
        self._dbfile.write(frame)
        self._sizes.append(len(frame))
        self._pending, self._pending_bytes = [], 0

    def finish(self, doccount: int) -> None:
        if self._pending:
            self._emit()
        self._pad(doccount)
        lengths = self._compress(np.asarray(self._lengths, dtype="<u4").tobytes())
        self._dbfile.write(lengths)
        self._dbfile.write(np.asarray(self._firsts, dtype="<u4").tobytes())
        self._dbfile.write(np.asarray(self._sizes, dtype="<u4").tobytes())
        self._dbfile.write(_TRAILER.pack(len(self._sizes), len(lengths), _MAGIC))


class _Reader(ColumnReader):
    def __init__(self, dbfile: Any, basepos: int, length: int, doccount: int) -> None:
        super().__init__(dbfile, basepos, length, doccount)
        end = basepos + length - _TRAILER.size
        blocks, lensize, magic = _TRAILER.unpack(dbfile.get(end, _TRAILER.size))
        if magic != _MAGIC:
            raise ValueError(f"not a ZstdBlockColumn (trailer {magic!r})")
        end -= 8 * blocks
        table = np.frombuffer(dbfile.get(end, 8 * blocks), dtype="<u4")
        self._firsts: list[int] = table[:blocks].tolist()
        sizes = table[blocks:].astype(np.int64)
        self._frame_at = np.concatenate(([0], np.cumsum(sizes))) + basepos
        self._lengths_at = (end - lensize, lensize)
        self._starts: np.ndarray | None = None  # each document's value offset, read on use
        self._dctx = zstandard.ZstdDecompressor()
        self._held: tuple[int, bytes] = (-1, b"")  # the last block read
        # A decompressor must not be used by two threads at once (it releases the GIL).
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return "<ZstdBlockColumn.Reader>"

    def _value_starts(self) -> np.ndarray:
        """Where each document's value starts in the values end to end (the total last)."""
        if self._starts is None:
            raw = np.frombuffer(self._decompress(*self._lengths_at), dtype="<u4")
            lengths = raw[: self._doccount]
            starts = np.zeros(self._doccount + 1, dtype=np.int64)
            np.cumsum(lengths, out=starts[1 : lengths.size + 1])
            starts[lengths.size + 1 :] = starts[lengths.size]
            self._starts = starts
        return self._starts

    def _decompress(self, pos: int, size: int) -> bytes:
        with self._lock:
            data: bytes = self._dctx.decompress(self._dbfile.get(pos, size))
        return data

    def _block(self, i: int) -> bytes:
        held_i, data = self._held
        if held_i != i:
            at = self._frame_at
            data = self._decompress(int(at[i]), int(at[i + 1] - at[i]))
            self._held = (i, data)
        return data

    def __getitem__(self, docnum: int) -> bytes:
        if not 0 <= docnum < self._doccount:
            raise IndexError(f"document {docnum} of {self._doccount}")
        starts = self._value_starts()
        start, end = int(starts[docnum]), int(starts[docnum + 1])
        if start == end:
            return b""
        i = bisect_right(self._firsts, docnum) - 1
        base = int(starts[self._firsts[i]])
        return self._block(i)[start - base : end - base]

    def __iter__(self) -> Iterator[bytes]:
        starts = self._value_starts().tolist()
        firsts = self._firsts
        doc = 0
        for i, first in enumerate(firsts):
            while doc < first:  # documents without a value before the block
                yield b""
                doc += 1
            data = self._block(i)
            base = starts[first]
            last = firsts[i + 1] if i + 1 < len(firsts) else self._doccount
            for doc in range(first, last):
                yield data[starts[doc] - base : starts[doc + 1] - base]
            doc = last
        while doc < self._doccount:
            yield b""
            doc += 1

    def load(self) -> list[bytes]:
        return list(self)
