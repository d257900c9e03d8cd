"""LEB128 varints, encoded and decoded with numpy or plain Python, and the raw-deflate
that long streams of them get (index_format.codec.postings)."""

from __future__ import annotations

import zlib
from typing import Any

import numpy as np

_DEFLATE_MIN = 64  # bytes: shorter streams are kept as they are
# On the ids and frequencies streams of the 22k CLICK-ID index (10.5 MB of varints), level 1
# gives 5.71 MB in 0.37 s of CPU, level 6 5.45 MB in 0.55 s (bench/index_bytes.py; a reader
# inflates any level at the same speed).
DEFLATE_LEVEL = 6
SMALL = 24  # below this many values, Python loops beat numpy's per-call overhead


def py_varints(values: Any) -> bytes:
    out = bytearray()
    for v in values:
        while v >= 128:
            out.append(v & 127 | 128)
            v >>= 7
        out.append(v)
    return bytes(out)


def np_varints(a: np.ndarray) -> bytes:
    """LEB128 of non-negative integers, vectorised."""
    return leb128(a)[0]


def leb128(a: np.ndarray) -> tuple[bytes, np.ndarray]:
    """LEB128 of non-negative integers, vectorised, and where each value's bytes start (the
    total at the end). One pass per byte, over the values that have it."""
    a = a.astype(np.uint64, copy=False)
    sizes = np.ones(a.size, dtype=np.uint8)
    # One count per 7 bits the largest value has (a fixed four stopped at 2**35).
    top = int(a.max()) if a.size else 0
    for bits in range(7, top.bit_length(), 7):
        sizes += a >= (1 << bits)
    offsets = np.zeros(a.size + 1, dtype=np.int64)
    np.cumsum(sizes, dtype=np.int64, out=offsets[1:])
    if offsets[-1] == a.size:  # every value below 128
        return a.astype(np.uint8).tobytes(), offsets
    out = np.empty(int(offsets[-1]), dtype=np.uint8)
    at, rest, left = offsets[:-1], a, sizes
    while rest.size:
        more = left > 1
        out[at] = (rest & 0x7F).astype(np.uint8) | (more.astype(np.uint8) << 7)
        at, rest, left = at[more] + 1, rest[more] >> np.uint64(7), left[more] - 1
    return out.tobytes(), offsets


def varints(values: Any) -> bytes:
    if len(values) < SMALL:
        return py_varints(values)
    return np_varints(np.asarray(values, dtype=np.int64))


def py_decode(buf: bytes | memoryview) -> list[int]:
    out = []
    v = shift = 0
    for byte in buf:
        if byte & 128:
            v |= (byte & 127) << shift
            shift += 7
        else:
            out.append(v | (byte << shift))
            v = shift = 0
    return out


def decode_varints(raw: np.ndarray) -> np.ndarray:
    """LEB128 varints (uint8 array) → int64 array, vectorised."""
    if raw.size == 0:
        return np.zeros(0, dtype=np.int64)
    ends = raw < 128
    if ends.all():
        return raw.astype(np.int64)
    last = np.flatnonzero(ends)
    if not (~ends[1:] & ~ends[:-1]).any():  # every value one or two bytes (positions' gaps)
        out = raw[last].astype(np.int64)
        before = last - 1
        two = ~ends[np.maximum(before, 0)] & (before >= 0)
        out[two] = (out[two] << 7) | (raw[before[two]] & 0x7F)
        return out
    starts = np.empty(last.size, dtype=np.int64)
    starts[0] = 0
    starts[1:] = last[:-1] + 1
    group: np.ndarray = np.cumsum(ends) - ends  # each byte's varint
    shift = (np.arange(raw.size, dtype=np.int64) - starts[group]) * 7
    vals = (raw & 0x7F).astype(np.int64) << shift
    decoded: np.ndarray = np.add.reduceat(vals, starts)
    return decoded


def deflate(data: bytes) -> bytes | None:
    """data raw-deflated (no zlib header), or None when that does not save a tenth."""
    if len(data) < _DEFLATE_MIN:
        return None
    co = zlib.compressobj(DEFLATE_LEVEL, zlib.DEFLATED, -15)
    packed = co.compress(data) + co.flush()
    return packed if len(packed) * 10 < len(data) * 9 else None


def skip_varints(buf: bytes, pos: int, count: int) -> int:
    """Where the `count` varints from pos end."""
    while count:
        if buf[pos] < 128:
            count -= 1
        pos += 1
    return pos


def read_header(buf: bytes, count: int) -> tuple[list[int], int]:
    """The first `count` varints of buf and where they end."""
    out = []
    pos = 0
    for _ in range(count):
        v = shift = 0
        while True:
            byte = buf[pos]
            pos += 1
            v |= (byte & 127) << shift
            if byte < 128:
                break
            shift += 7
        out.append(v)
    return out, pos
