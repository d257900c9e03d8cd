"""A Whoosh codec with a compact term dictionary and numpy-decodable postings.

Whoosh's W3 format costs ~75 bytes of fixed term info per term in an on-disk hash and pickles
posting blocks; at 22k articles that was 70 MB of dictionary and postings for 39 MB of text.

Postings file (`.pkp`), one record per term, in term order:
    varint len(ids) | varint len(second) | [varint len(lengths), V_RAW only]
    ids:     document-number gaps as LEB128 varints (the first from 0), raw-deflated if long
    second:  the weights (see W_*): nothing, varint ints, float32, or varint frequencies
             (varints raw-deflated if long)
    values:  the postings' encoded values (see V_*), last, so scoring never reads them
Term file (`.pkt`): per field, blocks of BLOCK_TERMS sorted terms, each zlib-compressed:
    u2 count | u4 df[n] | f4 weight[n] | f4 maxweight[n] | u4 record size[n]
    | u1 minlength byte[n] | u1 maxlength byte[n] | u1 mode[n] | u2 prefix[n] | u2 suffix[n]
    | the terms' suffixes (front coding against the previous term of the block)
then a pickled directory (per field: each block's first term, file offset and postings
offset) and a footer (u8 directory offset, magic). Readers keep only the directory in memory
and decode a block per lookup (bisect on the first terms), a few blocks cached.

Weights are what Whoosh's W3 stores (float32), so scores are bit for bit the same.
"""

from __future__ import annotations

import pickle
import struct
import zlib
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import numpy as np
from whoosh.codec import base
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3Codec, W3PerDocReader, W3Segment
from whoosh.formats import Frequency
from whoosh.matching import ListMatcher, NullMatcher, ReadTooFar
from whoosh.reading import TermInfo, TermNotFound
from whoosh.system import pack_uint
from whoosh.util.numeric import byte_to_length, length_to_byte

from indexer.storedcol import StoredCodecMixin

# The format's version: TPK1 was written only by this module's first commits (every record
# with a header, no deflated streams), which read differently; rebuild such an index.
MAGIC = b"TPK2"
BLOCK_TERMS = 64
_FOOTER = struct.Struct("<Q4s")
# Weights: all 1.0 | whole numbers | float32 | frequency × field boost (the second stream
# holds the frequencies).
W_ONE, W_INT, W_F32, W_FREQ = 0, 1, 2, 3
# Values: none | varint positions, as many as the frequency | varint lengths then bytes |
# Whoosh's Frequency format (pack_uint of the frequency).
V_NONE, V_POS, V_RAW, V_FREQ = 0, 1, 2, 3
# Mode bits: the ids / second stream is raw-deflated (long streams of small gaps and
# frequencies, mostly 1s, deflate to ~0.8 / ~0.45 of their size).
IDS_DEFLATED, SECOND_DEFLATED = 16, 32
_DEFLATE_MIN = 64  # bytes: shorter streams are kept as they are
_SMALL = 24  # below this many postings, Python loops beat numpy's per-call overhead
_BLOCK_CACHE = 64
_POSTINGS_CACHE = 1 << 18  # postings of recently read terms kept per segment (~16 bytes each)
_CONTINUED = bytes(range(128, 256))
_UINT32 = 1 << 32


# -- varints -----------------------------------------------------------------------------


def _py_varints(values: Any) -> bytes:
    out = bytearray()
    for v in values:
        while v >= 128:
            out.append(v & 127 | 128)
            v >>= 7
        out.append(v)
    return bytes(out)


def _np_varints(a: np.ndarray) -> bytes:
    """LEB128 of non-negative integers (below 2**35), vectorised."""
    return _leb128(a)[0]


def _leb128(a: np.ndarray) -> tuple[bytes, np.ndarray]:
    """LEB128 of non-negative integers (below 2**35), vectorised, and where each value's
    bytes start (the total at the end). One pass per byte, over the values that have it."""
    a = a.astype(np.uint64, copy=False)
    sizes = np.ones(a.size, dtype=np.uint8)
    for bits in (7, 14, 21, 28):
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


def _varints(values: Any) -> bytes:
    if len(values) < _SMALL:
        return _py_varints(values)
    return _np_varints(np.asarray(values, dtype=np.int64))


def _py_decode(buf: bytes | memoryview) -> list[int]:
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
    starts = np.empty(last.size, dtype=np.int64)
    starts[0] = 0
    starts[1:] = last[:-1] + 1
    group: np.ndarray = np.cumsum(ends) - ends  # each byte's varint
    shift = (np.arange(raw.size, dtype=np.int64) - starts[group]) * 7
    vals = (raw & 0x7F).astype(np.int64) << shift
    decoded: np.ndarray = np.add.reduceat(vals, starts)
    return decoded


def _deflate(data: bytes) -> bytes | None:
    """data raw-deflated (no zlib header), or None when that does not save a tenth."""
    if len(data) < _DEFLATE_MIN:
        return None
    co = zlib.compressobj(1, zlib.DEFLATED, -15)
    packed = co.compress(data) + co.flush()
    return packed if len(packed) * 10 < len(data) * 9 else None


def _skip(buf: bytes, pos: int, count: int) -> int:
    """Where the `count` varints from pos end."""
    while count:
        if buf[pos] < 128:
            count -= 1
        pos += 1
    return pos


def _layout(buf: bytes, n: int, mode: int) -> tuple[int, int, int, int]:
    """Where a record's ids stream starts, and the sizes of its ids, second and value-length
    streams. Records of few postings, none deflated, have no header: their plain varint
    streams are walked (2 bytes saved on most terms)."""
    vmode, wmode = mode >> 2 & 3, mode & 3
    if n >= _SMALL or mode & (IDS_DEFLATED | SECOND_DEFLATED):
        head, pos = _header(buf, 3 if vmode == V_RAW else 2)
        return pos, head[0], head[1], head[2] if vmode == V_RAW else 0
    a = _skip(buf, 0, n)
    b = 0 if wmode == W_ONE else 4 * n if wmode == W_F32 else _skip(buf, a, n) - a
    c = _skip(buf, a + b, n) - a - b if vmode == V_RAW else 0
    return 0, a, b, c


def _header(buf: bytes, count: int) -> tuple[list[int], int]:
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


# -- encoding a term's postings ----------------------------------------------------------


def _freqs_of(fmt: Any, weights: list[float]) -> list[int] | None:
    """The postings' frequencies when every weight is frequency × field boost, exactly."""
    fb = fmt.field_boost
    if not fb:  # Whoosh allows a field boost of 0: every weight 0, no frequency in them
        return None
    freqs = []
    for w in weights:
        k = w / fb
        if not k.is_integer() or k < 1 or k * fb != w:
            return None
        freqs.append(int(k))
    return freqs


def encode_term(
    fmt: Any, ids: Any, weights: Any, values: list[bytes], lengths: list[int]
) -> tuple[bytes, tuple[int, float, float, int, int, int]]:
    """One term's postings record and its stats (df, total weight, max weight, min and max
    length bytes, mode). `weights` are rounded to float32 as Whoosh stores them; `lengths`
    are the postings' documents' field lengths (0: none)."""
    n = len(ids)
    w32 = np.asarray(weights, dtype=np.float32)
    wlist: list[float] = w32.astype(np.float64).tolist()
    total = float(np.float32(sum(wlist)))
    maxw = max(wlist) if wlist else 0.0
    known = [x for x in lengths if x]
    minlen = length_to_byte(min(known)) if known else 0
    maxlen = length_to_byte(max(known)) if known else 0
    idl = list(ids) if n < _SMALL else ids
    if n < _SMALL:
        gaps = [idl[0]] + [b - a for a, b in pairwise(idl)]
        idbytes = _py_varints(gaps)
    else:
        a = np.asarray(ids, dtype=np.int64)
        idbytes = _np_varints(np.diff(a, prepend=0))

    vmode = V_RAW
    wmode = -1
    second = b""
    valbytes = b""
    lens = b""
    if not any(values):
        vmode = V_NONE
    elif getattr(fmt, "varint_positions", False):
        # Splittable by the frequencies: each value holds as many varints as its frequency.
        freqs = _freqs_of(fmt, wlist)
        if (
            freqs is not None
            and all(v and v[-1] < 128 for v in values)
            and [len(v.translate(None, _CONTINUED)) for v in values] == freqs
        ):
            vmode, wmode, valbytes = V_POS, W_FREQ, b"".join(values)
            second = _varints(freqs)
    elif type(fmt) is Frequency:
        freqs = _freqs_of(fmt, wlist)
        if freqs is not None and all(v == pack_uint(k) for v, k in zip(values, freqs, strict=True)):
            vmode, wmode = V_FREQ, W_FREQ
            second = _varints(freqs)
    if vmode == V_RAW:
        lens = _varints([len(v) for v in values])
        valbytes = b"".join(values)
    if wmode < 0:
        if all(w == 1.0 for w in wlist):
            wmode = W_ONE
        elif all(w.is_integer() and 0 <= w < _UINT32 for w in wlist):
            wmode = W_INT
            second = _varints([int(w) for w in wlist])
        else:
            wmode = W_F32
            second = w32.astype("<f4").tobytes()
    record, mode = _record(n, idbytes, wmode, second, vmode, lens, valbytes)
    return record, (n, total, maxw, minlen, maxlen, mode)


def _record(
    n: int, idbytes: bytes, wmode: int, second: bytes, vmode: int, lens: bytes, valbytes: bytes
) -> tuple[bytes, int]:
    """A term's postings record from its streams (long ones deflated), and its mode."""
    mode = wmode | vmode << 2
    deflated = _deflate(idbytes)
    if deflated is not None:
        idbytes, mode = deflated, mode | IDS_DEFLATED
    deflated = _deflate(second) if wmode != W_F32 else None
    if deflated is not None:
        second, mode = deflated, mode | SECOND_DEFLATED
    head = b""
    if n >= _SMALL or mode & (IDS_DEFLATED | SECOND_DEFLATED):  # else: see _layout
        head = _py_varints([len(idbytes), len(second)] + ([len(lens)] if vmode == V_RAW else []))
    return b"".join((head, idbytes, second, lens, valbytes)), mode


# -- encoding a whole field's postings at once ---------------------------------------------


@dataclass
class PostingColumns:
    """One positions field's postings as arrays, sorted by term, then document: how a build's
    term pool (indexer.postings.TermPool) hands them over, so that the writer encodes the
    ids, frequencies and positions of all terms with a few numpy calls instead of Python
    loops per posting. Weights are frequency × field boost × document boost."""

    terms: list[bytes]  # sorted
    starts: np.ndarray  # len(terms) + 1 integers: where each term's postings start
    docs: np.ndarray  # an integer per posting
    freqs: np.ndarray  # an integer per posting: how many positions it has
    weights: np.ndarray  # a float64 per posting
    positions: np.ndarray  # integers: each posting's positions, ascending, postings in order


def encode_columns(
    fmt: Any, cols: PostingColumns, lengths: list[int] | None
) -> Iterator[tuple[bytes, bytes, tuple[int, float, float, int, int, int]]]:
    """(term, postings record, stats) of each term of `cols`, byte for byte what encode_term
    gives for the same postings (tests/test_index_codec.py). `lengths` are the documents'
    lengths of this field (None: unknown).

    Terms whose weights are frequency × field boost, as the rebuild writes them, take the
    vectorised path: their ids, frequencies and positions are three LEB128 streams of the
    whole field, sliced per term. Any other term goes through encode_term.
    """
    starts, docs, freqs, positions = cols.starts, cols.docs, cols.freqs, cols.positions
    if not cols.terms:
        return
    first = starts[:-1]
    w64 = cols.weights.astype(np.float32).astype(np.float64)  # as encode_term rounds them
    if fmt.field_boost:
        k = w64 / fmt.field_boost
        ok = (k == np.floor(k)) & (k * fmt.field_boost == w64) & (k == freqs) & (freqs >= 1)
        term_ok = np.minimum.reduceat(ok.astype(np.int8), first).tolist()
        del k, ok
    else:  # a field boost of 0: the weights hold no frequencies (see _freqs_of)
        term_ok = [0] * len(cols.terms)

    gaps = np.diff(docs, prepend=0)
    gaps[first] = docs[first]  # each term's first id counts from 0
    idbuf, id_offsets = _leb128(gaps)
    idoff = id_offsets[starts].tolist()
    freqbuf, freq_offsets = _leb128(freqs)
    freqoff = freq_offsets[starts].tolist()
    del gaps, id_offsets, freq_offsets
    pos_first = np.zeros(freqs.size + 1, dtype=np.int64)
    np.cumsum(freqs, out=pos_first[1:])  # each posting's first position
    pgaps = np.diff(positions, prepend=0)
    pgaps[pos_first[:-1]] = positions[pos_first[:-1]]  # each posting's first from 0
    posbuf, pos_offsets = _leb128(pgaps)
    del pgaps
    posoff = pos_offsets[pos_first[starts]].tolist()

    # Sums of whole numbers are exact in any order; others are summed as encode_term does.
    whole = bool(np.all(w64 == np.floor(w64))) and float(np.abs(w64).sum()) < 2.0**53
    totals = (
        np.add.reduceat(w64, first).astype(np.float32).astype(np.float64).tolist()
        if whole
        else None
    )
    maxw = np.maximum.reduceat(w64, first).tolist()
    if lengths is None:
        minlen = maxlen = [0] * len(cols.terms)
    else:
        flen = np.asarray(lengths, dtype=np.int64)[docs]
        lows = np.minimum.reduceat(np.where(flen > 0, flen, _UINT32), first)
        lows[lows == _UINT32] = 0  # no known length
        highs = np.maximum.reduceat(flen, first)
        to_byte = {v: length_to_byte(v) if v else 0 for v in np.unique([lows, highs]).tolist()}
        minlen = [to_byte[v] for v in lows.tolist()]
        maxlen = [to_byte[v] for v in highs.tolist()]

    bounds = starts.tolist()
    for t, tbytes in enumerate(cols.terms):
        a, b = bounds[t], bounds[t + 1]
        if not term_ok[t]:
            ends = pos_offsets[pos_first[a : b + 1]].tolist()
            values = [posbuf[ends[i] : ends[i + 1]] for i in range(b - a)]
            ids = docs[a:b].tolist()
            lens = [lengths[i] for i in ids] if lengths is not None else [0] * len(ids)
            record, stats = encode_term(fmt, ids, cols.weights[a:b].tolist(), values, lens)
            yield tbytes, record, stats
            continue
        total = totals[t] if totals is not None else float(np.float32(sum(w64[a:b].tolist())))
        record, mode = _record(
            b - a,
            idbuf[idoff[t] : idoff[t + 1]],
            W_FREQ,
            freqbuf[freqoff[t] : freqoff[t + 1]],
            V_POS,
            b"",
            posbuf[posoff[t] : posoff[t + 1]],
        )
        yield tbytes, record, (b - a, total, maxw[t], minlen[t], maxlen[t], mode)


# -- the term dictionary file --------------------------------------------------------------


_STATS = (("df", "<u4"), ("weight", "<f4"), ("maxweight", "<f4"), ("size", "<u4"))


class _TermsWriter:
    def __init__(self, dbfile: Any) -> None:
        self._f = dbfile
        self._dir: dict[str, tuple[list[bytes], list[int], list[int]]] = {}
        self._field: str | None = None
        # (term, stats, record size, record offset) of the block being filled
        self._rows: list[tuple[bytes, tuple[int, float, float, int, int, int], int, int]] = []

    def start_field(self, fieldname: str) -> None:
        if fieldname in self._dir:
            raise ValueError(f"field {fieldname!r} written twice")
        self._field = fieldname
        self._dir[fieldname] = ([], [], [])
        self._rows = []

    def add(self, tbytes: bytes, stats: Any, postoffset: int, size: int) -> None:
        if len(tbytes) > 65535:  # lengths are kept as u2
            raise ValueError(f"term too long for the packed codec: {tbytes[:40]!r}...")
        self._rows.append((tbytes, stats, size, postoffset))
        if len(self._rows) == BLOCK_TERMS:
            self._flush()

    def _flush(self) -> None:
        rows = self._rows
        if not rows:
            return
        assert self._field is not None
        firsts, offsets, bases = self._dir[self._field]
        firsts.append(rows[0][0])
        offsets.append(self._f.tell())
        bases.append(rows[0][3])
        stats = [r[1] for r in rows]
        parts = [struct.pack("<H", len(rows))]
        parts.append(np.array([s[0] for s in stats], dtype="<u4").tobytes())
        parts.append(np.array([s[1] for s in stats], dtype="<f4").tobytes())
        parts.append(np.array([s[2] for s in stats], dtype="<f4").tobytes())
        parts.append(np.array([r[2] for r in rows], dtype="<u4").tobytes())
        for k in (3, 4, 5):
            parts.append(bytes(int(s[k]) for s in stats))
        prefixes, suffixes = [], []
        prev = b""
        for tbytes, *_ in rows:
            p = 0
            limit = min(len(prev), len(tbytes), 65535)
            while p < limit and prev[p] == tbytes[p]:
                p += 1
            prefixes.append(p)
            suffixes.append(tbytes[p:])
            prev = tbytes
        parts.append(np.array(prefixes, dtype="<u2").tobytes())
        parts.append(np.array([len(s) for s in suffixes], dtype="<u2").tobytes())
        parts.extend(suffixes)
        self._f.write(zlib.compress(b"".join(parts), 6))
        self._rows = []

    def finish_field(self) -> None:
        assert self._field is not None
        self._flush()
        self._dir[self._field][1].append(self._f.tell())  # the last block's end
        self._field = None

    def close(self) -> None:
        diroff = self._f.tell()
        directory = {
            name: (firsts, np.array(offs, dtype="<u8"), np.array(bases, dtype="<u8"))
            for name, (firsts, offs, bases) in self._dir.items()
        }
        self._f.write(pickle.dumps(directory, protocol=4))
        self._f.write(_FOOTER.pack(diroff, MAGIC))
        self._f.close()


class _Block:
    """One decoded block of a field's term dictionary."""

    __slots__ = (
        "_base",
        "_ends",
        "_weight",
        "df",
        "maxlen",
        "maxweight",
        "minlen",
        "mode",
        "sizes",
        "terms",
    )

    def __init__(self, data: bytes, postbase: int) -> None:
        (n,) = struct.unpack_from("<H", data)
        self.df, self._weight, self.maxweight, self.sizes = (
            np.frombuffer(data, dtype=dtype, count=n, offset=2 + 4 * n * k)
            for k, (_, dtype) in enumerate(_STATS)
        )
        pos = 2 + 16 * n
        self.minlen = data[pos : pos + n]
        self.maxlen = data[pos + n : pos + 2 * n]
        self.mode = data[pos + 2 * n : pos + 3 * n]
        pos += 3 * n
        lens = struct.unpack_from(f"<{2 * n}H", data, pos)  # prefix lengths, suffix lengths
        pos += 4 * n
        terms = []
        prev = b""
        for p, length in zip(lens[:n], lens[n:], strict=True):
            prev = prev[:p] + data[pos : pos + length]
            pos += length
            terms.append(prev)
        self.terms = terms
        self._base = postbase
        self._ends: np.ndarray | None = None

    def extent(self, i: int) -> tuple[int, int]:
        """Where term i's postings record starts in the postings file, and its size."""
        if self._ends is None:
            self._ends = np.cumsum(self.sizes, dtype=np.int64) + self._base
        size = int(self.sizes[i])
        return int(self._ends[i]) - size, size

    def info(self, i: int, reader: Any = None, key: Any = None) -> PackedTermInfo:
        return PackedTermInfo(
            float(self._weight[i]),
            int(self.df[i]),
            byte_to_length(self.minlen[i]),
            byte_to_length(self.maxlen[i]),
            float(self.maxweight[i]),
            reader,
            key,
        )


class PackedTermInfo(TermInfo):  # type: ignore[misc]
    """Whoosh's TermInfo; the first and last document numbers (which only MultiReader's
    combine_terminfos reads, as attributes) come from the postings when asked."""

    def __init__(
        self,
        weight: float,
        df: int,
        minlength: int,
        maxlength: int,
        maxweight: float,
        reader: Any = None,
        key: Any = None,
    ) -> None:
        self._reader = reader
        self._key = key
        self._ends: list[int | None] | None = None
        # minid/maxid None: TermInfo's default maxid=0 would go through the setter and decode
        # the postings of every term looked up.
        super().__init__(weight, df, minlength, maxlength, maxweight, None, None)

    def _end(self, k: int) -> int | None:
        if self._ends is None:
            ids = [] if self._reader is None else self._reader.postings(*self._key).ids
            self._ends = [int(ids[0]), int(ids[-1])] if len(ids) else [None, None]
        return self._ends[k]

    def _set(self, k: int, value: int | None) -> None:
        if value is not None or self._ends is not None:
            if self._ends is None:
                self._end(k)
            assert self._ends is not None
            self._ends[k] = value

    _minid = property(lambda self: self._end(0), lambda self, v: self._set(0, v))
    _maxid = property(lambda self: self._end(1), lambda self, v: self._set(1, v))


class Postings:
    """One term's postings as arrays; values (positions) decoded only when asked."""

    __slots__ = (
        "_buf",
        "_freqs",
        "_mode",
        "_n",
        "_vends",
        "_vstart",
        "fmt",
        "ids",
        "vmode",
        "weights",
        "wmode",
    )

    def __init__(self, buf: bytes, n: int, mode: int, fmt: Any) -> None:
        self._buf = buf
        self._n = n
        self._mode = mode
        self.fmt = fmt
        self.vmode = mode >> 2 & 3
        self.wmode = wmode = mode & 3
        self._freqs: np.ndarray | None = None
        pos, a, b, _ = _layout(buf, n, mode)
        if mode & IDS_DEFLATED:
            raw = np.frombuffer(zlib.decompress(buf[pos : pos + a], -15), np.uint8)
            ids = np.cumsum(decode_varints(raw))
        elif n < _SMALL:
            ids = np.cumsum(np.asarray(_py_decode(buf[pos : pos + a]), dtype=np.int64))
        else:
            ids = np.cumsum(decode_varints(np.frombuffer(buf, np.uint8, a, pos)))
        self.ids = ids
        pos += a
        if wmode == W_ONE:
            self.weights = np.ones(n, dtype=np.float64)
        elif wmode == W_F32:
            self.weights = np.frombuffer(buf, "<f4", n, pos).astype(np.float64)
        else:
            if mode & SECOND_DEFLATED:
                raw = np.frombuffer(zlib.decompress(buf[pos : pos + b], -15), np.uint8)
            else:
                raw = np.frombuffer(buf, np.uint8, b, pos)
            ints = decode_varints(raw)
            if wmode == W_FREQ:
                self._freqs = ints
                # (no format: document numbers only, for TermInfo.min_id/max_id)
                self.weights = ints * (fmt.field_boost if fmt is not None else 1.0)
            else:
                self.weights = ints.astype(np.float64)
        self._vstart = pos + b
        self._vends: np.ndarray | None = None

    def freqs(self) -> np.ndarray:
        """The frequencies (V_POS, V_FREQ: weight = frequency × field boost)."""
        assert self._freqs is not None
        return self._freqs

    def positions(self) -> tuple[np.ndarray, np.ndarray]:
        """V_POS only: each posting's number of positions, and all positions in a row."""
        assert self.vmode == V_POS
        counts = self.freqs()
        gaps = decode_varints(np.frombuffer(self._buf, np.uint8, offset=self._vstart))
        total = np.cumsum(gaps)
        starts = np.cumsum(counts) - counts
        before = np.where(starts > 0, total[np.maximum(starts - 1, 0)], 0)
        return counts, total - np.repeat(before, counts)

    def value_at(self, i: int) -> bytes:
        """V_POS only: posting i's value, without slicing every posting's (a proximity or
        phrase matcher reads a few documents of a common term)."""
        if self._vends is None:
            raw = np.frombuffer(self._buf, np.uint8, offset=self._vstart)
            ends = np.flatnonzero(raw < 128)[np.cumsum(self.freqs()) - 1] + 1 + self._vstart
            self._vends = np.concatenate(([self._vstart], ends))
        return self._buf[int(self._vends[i]) : int(self._vends[i + 1])]

    def values(self) -> list[Any]:
        """Each posting's value as the field format encodes it (None: no values)."""
        n = self._n
        vmode = self.vmode
        buf = self._buf
        if vmode == V_NONE:
            empty = None if self.fmt.fixed_value_size() == 0 else b""
            return [empty] * n
        if vmode == V_FREQ:
            return [pack_uint(k) for k in self.freqs().tolist()]
        if vmode == V_POS:
            raw = np.frombuffer(buf, np.uint8, offset=self._vstart)
            ends = (np.flatnonzero(raw < 128)[np.cumsum(self.freqs()) - 1] + 1).tolist()
            data = buf[self._vstart :]
            out = []
            start = 0
            for end in ends:
                out.append(data[start:end])
                start = end
            return out
        pos, a, b, c = _layout(buf, n, self._mode)
        lstart = pos + a + b
        lens = _py_decode(buf[lstart : lstart + c])
        data = buf[lstart + c :]
        out = []
        start = 0
        for length in lens:
            out.append(data[start : start + length])
            start += length
        return out


class PackedMatcher(ListMatcher):  # type: ignore[misc]
    """A term's postings as Whoosh's ListMatcher over the decoded arrays (no Python list per
    posting: re-scoring a few documents of a common term stays cheap), skipping by binary
    search; values decoded on first use."""

    _ids: np.ndarray
    _weights: np.ndarray | None
    _i: int
    _values: list[Any] | None

    def __init__(
        self, post: Postings, fmt: Any, scorer: Any, term: Any, terminfo: Any, i: int = 0
    ) -> None:
        super().__init__(
            post.ids,
            None if post.wmode == W_ONE else post.weights,
            None,
            fmt,
            scorer=scorer,
            position=i,
            term=term,
            terminfo=terminfo,
        )
        self.post = post
        self._n = len(post.ids)

    def is_active(self) -> bool:
        return self._i < self._n

    # Past the end, id(), weight() and value() answer for the last posting instead of
    # indexing past the arrays: Whoosh's AndNotMatcher.skip_to_quality asks its exhausted
    # positive side for an id, which W3's leaf answers from the posting it stopped at.

    def id(self) -> int:
        i = self._i
        return int(self._ids[i if i < self._n else self._n - 1])

    def all_ids(self) -> Iterator[int]:
        return iter(self._ids.tolist())

    def weight(self) -> float:
        if self._weights is None:
            return 1.0
        i = self._i
        return float(self._weights[i if i < self._n else self._n - 1])

    def _load(self) -> list[Any]:
        if self._values is None:
            self._values = self.post.values()
        return self._values

    def value(self) -> Any:
        i = min(self._i, self._n - 1)  # see id()
        if self.post.vmode == V_POS and self._values is None:
            return self.post.value_at(i)
        return self._load()[i]

    def all_items(self) -> Iterator[tuple[int, Any]]:
        return zip(self._ids.tolist(), self._load(), strict=True)

    def copy(self) -> PackedMatcher:
        return PackedMatcher(
            self.post, self._format, self._scorer, self._term, self._terminfo, self._i
        )

    def skip_to(self, id_: int) -> None:
        if not self.is_active():
            raise ReadTooFar
        if id_ > self._ids[self._i]:
            self._i = int(np.searchsorted(self._ids, id_))

    def block_max_weight(self) -> float:
        return self._terminfo.max_weight()  # type: ignore[no-any-return]

    def replace(self, minquality: float = 0) -> Any:
        # ListMatcher's asks any scorer for a quality; Whoosh's leaf matchers never ask one
        # that has none (FunctionWeighting's: NotImplementedError once the top N are full).
        if not self.is_active():
            return NullMatcher()
        if minquality and self.supports_block_quality() and self.max_quality() < minquality:
            return NullMatcher()
        return self

    def max_quality(self) -> float:
        if self._scorer is None or self.supports_block_quality():
            return float(super().max_quality())  # one block: the whole list
        # As Whoosh's LeafMatcher: the scorer's bound, if it has one (compound matchers ask).
        return float(self._scorer.max_quality())

    def skip_to_quality(self, minquality: float) -> int:
        # One block: past the end when it cannot beat minquality.
        if self.block_quality() <= minquality:
            self._i = self._n
        return 0


class PackedTermsReader(base.TermsReader):  # type: ignore[misc]
    def __init__(self, codec: Any, tfile: Any, tlen: int, postfile: Any) -> None:
        self._codec = codec
        self._tfile = tfile
        self._postfile = postfile
        diroff, magic = _FOOTER.unpack(tfile.get(tlen - _FOOTER.size, _FOOTER.size))
        if magic != MAGIC:
            raise ValueError(f"term file of another format ({magic!r}, not {MAGIC!r}): rebuild")
        self._dir = pickle.loads(tfile.get(diroff, tlen - _FOOTER.size - diroff))
        self._fieldnames = sorted(self._dir)
        self._cache: OrderedDict[tuple[str, int], _Block] = OrderedDict()
        self._postings: OrderedDict[tuple[str, bytes, Any], Postings] = OrderedDict()
        self._cached = 0  # postings held in self._postings

    # -- blocks --

    def _block(self, fieldname: str, b: int) -> _Block:
        key = (fieldname, b)
        block = self._cache.get(key)
        if block is not None:
            self._cache.move_to_end(key)
            return block
        _, offs, bases = self._dir[fieldname]
        start, end = int(offs[b]), int(offs[b + 1])
        block = _Block(zlib.decompress(self._tfile.get(start, end - start)), int(bases[b]))
        self._cache[key] = block
        if len(self._cache) > _BLOCK_CACHE:
            self._cache.popitem(last=False)
        return block

    def _find(self, fieldname: str, tbytes: bytes) -> tuple[_Block, int] | None:
        entry = self._dir.get(fieldname)
        if entry is None:
            return None
        b = bisect_right(entry[0], tbytes) - 1
        if b < 0:
            return None
        block = self._block(fieldname, b)
        i = bisect_left(block.terms, tbytes)
        if i < len(block.terms) and block.terms[i] == tbytes:
            return block, i
        return None

    def _get(self, fieldname: str, tbytes: bytes) -> tuple[_Block, int]:
        found = self._find(fieldname, tbytes)
        if found is None:
            raise TermNotFound(f"No term {fieldname}:{tbytes!r}")
        return found

    def _iter_from(self, fieldname: str, prefix: bytes) -> Iterator[tuple[str, _Block, int]]:
        """(field, block, row) from the first term >= (fieldname, prefix), in field order."""
        k = bisect_left(self._fieldnames, fieldname)
        for fname in self._fieldnames[k:]:
            firsts = self._dir[fname][0]
            b, i = 0, 0
            if fname == fieldname and prefix:
                b = max(bisect_right(firsts, prefix) - 1, 0)
                if firsts:
                    i = bisect_left(self._block(fname, b).terms, prefix)
            for bb in range(b, len(firsts)):
                block = self._block(fname, bb)
                for row in range(i if bb == b else 0, len(block.terms)):
                    yield fname, block, row

    # -- Whoosh's TermsReader API --

    def __contains__(self, term: tuple[str, bytes]) -> bool:
        return self._find(*term) is not None

    def cursor(self, fieldname: str, fieldobj: Any) -> PackedCursor:
        return PackedCursor(self, fieldname, fieldobj)

    def terms(self) -> Iterator[tuple[str, bytes]]:
        return self.terms_from("", b"")

    def terms_from(self, fieldname: str, prefix: bytes) -> Iterator[tuple[str, bytes]]:
        for fname, block, row in self._iter_from(fieldname, prefix):
            yield fname, block.terms[row]

    def items(self) -> Iterator[tuple[tuple[str, bytes], PackedTermInfo]]:
        return self.items_from("", b"")

    def items_from(
        self, fieldname: str, prefix: bytes
    ) -> Iterator[tuple[tuple[str, bytes], PackedTermInfo]]:
        for fname, block, row in self._iter_from(fieldname, prefix):
            t = block.terms[row]
            yield (fname, t), block.info(row, self, (fname, t))

    def term_info(self, fieldname: str, tbytes: bytes) -> PackedTermInfo:
        block, i = self._get(fieldname, tbytes)
        return block.info(i, self, (fieldname, tbytes))

    def frequency(self, fieldname: str, tbytes: bytes) -> float:
        found = self._find(fieldname, tbytes)
        return 0 if found is None else float(found[0]._weight[found[1]])

    def doc_frequency(self, fieldname: str, tbytes: bytes) -> int:
        found = self._find(fieldname, tbytes)
        return 0 if found is None else int(found[0].df[found[1]])

    def postings(self, fieldname: str, tbytes: bytes, fmt: Any = None) -> Postings:
        """A term's postings as arrays (deleted documents included).

        Recently decoded terms are kept (up to _POSTINGS_CACHE postings a segment): a query's
        proximity re-rank and phrases make a matcher per term and candidate, each of which
        would decode the whole term again.
        """
        key = (fieldname, tbytes, None if fmt is None else fmt.field_boost)
        post = self._postings.get(key)
        if post is not None:
            self._postings.move_to_end(key)
            return post
        block, i = self._get(fieldname, tbytes)
        buf = self._postfile.get(*block.extent(i))
        post = Postings(buf, int(block.df[i]), block.mode[i], fmt)
        n = len(post.ids)
        if n <= _POSTINGS_CACHE:
            self._postings[key] = post
            self._cached += n
            while self._cached > _POSTINGS_CACHE:
                self._cached -= len(self._postings.popitem(last=False)[1].ids)
        return post

    def matcher(self, fieldname: str, tbytes: bytes, format_: Any, scorer: Any = None) -> Any:
        found = self._find(fieldname, tbytes)
        if found is None:
            raise TermNotFound(f"No term {fieldname}:{tbytes!r}")
        block, i = found
        post = self.postings(fieldname, tbytes, format_)
        info = block.info(i, self, (fieldname, tbytes))
        if not len(post.ids):
            return NullMatcher()
        return PackedMatcher(post, format_, scorer, (fieldname, tbytes), info)

    def indexed_field_names(self) -> list[str]:
        return list(self._fieldnames)

    def close(self) -> None:
        self._tfile.close()
        self._postfile.close()


class PackedCursor(base.FieldCursor):  # type: ignore[misc]
    """A field's terms in order (Whoosh's automata walk them with find/next)."""

    def __init__(self, reader: PackedTermsReader, fieldname: str, fieldobj: Any) -> None:
        self._reader = reader
        self._fieldname = fieldname
        self._fieldobj = fieldobj
        self._it: Iterator[tuple[str, _Block, int]] = iter(())
        self._text: Any = None
        self._info: tuple[_Block, int] | None = None
        self.first()

    def first(self) -> Any:
        return self.find(b"")

    def find(self, term: Any) -> Any:
        if not isinstance(term, bytes):
            term = self._fieldobj.to_bytes(term)
        self._it = self._reader._iter_from(self._fieldname, term)
        return self.next()

    def next(self) -> Any:
        for fname, block, row in self._it:
            if fname != self._fieldname:
                break
            self._info = (block, row)
            self._text = self._fieldobj.from_bytes(block.terms[row])
            return self._text
        self._text = self._info = None
        return None

    def text(self) -> Any:
        return self._text

    def term_info(self) -> PackedTermInfo | None:
        if self._info is None:
            return None
        block, row = self._info
        t = block.terms[row]
        return block.info(row, self._reader, (self._fieldname, t))

    def is_valid(self) -> bool:
        return self._text is not None


# -- writing -------------------------------------------------------------------------------


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


class PackedFieldWriter(base.FieldWriter):  # type: ignore[misc]
    def __init__(self, codec: Any, storage: Any, segment: Any) -> None:
        self._codec = codec
        self._terms = _TermsWriter(segment.create_file(storage, codec.PTERMS_EXT))
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
        if not hasattr(items, "terms"):  # Whoosh's postings, one tuple each
            super().add_postings(schema, lengths, items)
            return
        # A TermPool's postings (indexer.postings), already in order: a positions field's
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


class PackedCodec(StoredCodecMixin, W3Codec):  # type: ignore[misc]
    """Our term dictionary and postings, stored fields compressed with a dictionary trained
    per segment (indexer.storedcol), W3's other per-document files (lengths, columns).
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
    tbytes = field.to_bytes(text)
    terms = reader._terms
    if (fieldname, tbytes) not in terms:
        return None
    post: Postings = terms.postings(fieldname, tbytes, field.format)
    return post
