"""A column of one signed 64-bit integer per document, the whole column one zstd frame.

Whoosh's NumericColumn("q") keeps 8 bytes a document. The `added` column (index_format.schema)
holds when each article came in: one value per build or update batch, so nearly all of a
segment's values repeat their neighbour's; as one frame it takes a few KB instead of 1.76 MB
at the 220k realistic archive (issue 23). Every reader (index_format.added, indexer.added, a
merge) reads it whole or document by document in order: the array is read once, on first use.

The column's bytes:
    one zstd frame: the values, little-endian int64, one per document (missing: the default)
    | trailer: u4 document count, magic
"""

from __future__ import annotations

import struct
import threading
from array import array
from collections.abc import Iterator
from typing import Any

import numpy as np
import zstandard
from whoosh.columns import Column, ColumnReader, ColumnWriter

LEVEL = 3
_MAGIC = b"TZI1"
_TRAILER = struct.Struct("<I4s")


class ZstdIntColumn(Column):
    """One int64 per document (`default` where none was added), compressed as one frame."""

    def __init__(self, default: int = 0) -> None:
        self._default = default

    def writer(self, dbfile: Any) -> _Writer:
        return _Writer(dbfile, self._default)

    def reader(self, dbfile: Any, basepos: int, length: int, doccount: int) -> _Reader:
        return _Reader(dbfile, basepos, length, doccount, self._default)


class _Writer(ColumnWriter):
    def __init__(self, dbfile: Any, default: int) -> None:
        self._dbfile = dbfile
        self._default = default
        self._values = array("q")

    def __repr__(self) -> str:
        return "<ZstdIntColumn.Writer>"

    def add(self, docnum: int, value: int) -> None:
        if docnum < len(self._values):
            raise ValueError(f"document {docnum} added after document {len(self._values) - 1}")
        self._pad(docnum)
        self._values.append(int(value))

    def _pad(self, doccount: int) -> None:
        missing = doccount - len(self._values)
        if missing > 0:
            self._values.extend([self._default] * missing)

    def finish(self, doccount: int) -> None:
        self._pad(doccount)
        values = np.asarray(self._values, dtype=np.int64)[:doccount].astype("<i8")
        compress = zstandard.ZstdCompressor(level=LEVEL, write_checksum=False).compress
        self._dbfile.write(compress(values.tobytes()))
        self._dbfile.write(_TRAILER.pack(doccount, _MAGIC))


class _Reader(ColumnReader):
    def __init__(self, dbfile: Any, basepos: int, length: int, doccount: int, default: int) -> None:
        super().__init__(dbfile, basepos, length, doccount)
        count, magic = _TRAILER.unpack(dbfile.get(basepos + length - _TRAILER.size, _TRAILER.size))
        if magic != _MAGIC:
            raise ValueError(f"not a ZstdIntColumn (trailer {magic!r})")
        self._written = count  # (documents written; a reader may be asked for fewer or more)
        self._default = default
        self._values: np.ndarray | None = None
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return "<ZstdIntColumn.Reader>"

    def array(self) -> np.ndarray:
        """Every document's value (int64, read-only), read once."""
        with self._lock:
            if self._values is None:
                frame = self._dbfile.get(self._basepos, self._length - _TRAILER.size)
                raw = zstandard.ZstdDecompressor().decompress(frame)
                stored = np.frombuffer(raw, dtype="<i8").astype(np.int64)
                values = np.full(self._doccount, self._default, dtype=np.int64)
                n = min(stored.size, self._doccount)
                values[:n] = stored[:n]
                values.flags.writeable = False
                self._values = values
            return self._values

    def __getitem__(self, docnum: int) -> int:
        if not 0 <= docnum < self._doccount:
            raise IndexError(f"document {docnum} of {self._doccount}")
        return int(self.array()[docnum])

    def __iter__(self) -> Iterator[int]:
        return iter(self.array().tolist())

    def load(self) -> list[int]:
        out: list[int] = self.array().tolist()
        return out
