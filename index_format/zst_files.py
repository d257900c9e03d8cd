"""Derived files that no worker maps (what an update carries to the next generation, the
facets' JSON tables read on first use), kept compressed with zstandard: a quarter to a half of
their size for about a second of zstd per publish at 2.2M articles. What workers map at open
stays plain .npy (a map needs the raw bytes)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import numpy as np
import zstandard

# Level 3: the facets' JSON at 2.2M 20 MB instead of 26 at level 1, in the same ~0.6 s on a
# loaded core (levels 6 and above: 18 MB, four times the time, paid by every update).
LEVEL = 3


def _pack(data: bytes | memoryview) -> bytes:
    return zstandard.ZstdCompressor(level=LEVEL).compress(data)


def _unpack(path: Path) -> bytes:
    return zstandard.ZstdDecompressor().decompress(Path(path).read_bytes())


def save_array(path: Path, array: np.ndarray) -> None:
    """`array` as a compressed .npy file."""
    buf = io.BytesIO()
    np.save(buf, np.ascontiguousarray(array), allow_pickle=False)
    Path(path).write_bytes(_pack(buf.getbuffer()))


def load_array(path: Path) -> np.ndarray:
    """The array `save_array` wrote (a copy in memory)."""
    return np.load(io.BytesIO(_unpack(path)), allow_pickle=False)


def packed(array: np.ndarray) -> np.ndarray:
    """`array` as the bytes (uint8) of a compressed .npy: a member of a file saved otherwise
    plain (np.savez), read back by `unpacked`."""
    buf = io.BytesIO()
    np.save(buf, np.ascontiguousarray(array), allow_pickle=False)
    return np.frombuffer(_pack(buf.getbuffer()), dtype=np.uint8)


def unpacked(blob: np.ndarray) -> np.ndarray:
    return np.load(io.BytesIO(zstandard.ZstdDecompressor().decompress(blob.tobytes())))


def dump_json(path: Path, value: Any) -> None:
    """`value` as compressed JSON (UTF-8, non-ASCII kept)."""
    Path(path).write_bytes(_pack(json.dumps(value, ensure_ascii=False).encode("utf-8")))


def load_json(path: Path) -> Any:
    return json.loads(_unpack(path).decode("utf-8"))
