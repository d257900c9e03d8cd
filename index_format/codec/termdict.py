"""The term dictionary file (`.pkt`): per field, blocks of BLOCK_TERMS sorted terms, each
zlib-compressed, then a pickled directory (per field: each block's first term, file offset and
postings offset) and a footer (u8 directory offset, magic). Readers keep only the directory in
memory and decode a block per lookup (bisect on the first terms), a few blocks cached.

Two versions of the blocks, told apart by the footer's magic; both read.
Version 2 (TPK2), fixed widths, zlib level 6:
    u2 count | u4 df[n] | f4 weight[n] | f4 maxweight[n] | u4 record size[n]
    | u1 minlength byte[n] | u1 maxlength byte[n] | u1 mode[n] | u2 prefix[n] | u2 suffix[n]
    | the terms' suffixes (front coding against the previous term of the block)
Version 3 (TPK3, written since), each integer column in the narrowest of u1/u2/u4 that holds
the block's values, zlib level 9:
    u1 count | u1 flags | u2 widths (2 bits a column: 0 u1, 1 u2, 2 u4) | df[n] | size[n]
    | [weight[n] | maxweight[n], whole] | prefix[n] | suffix[n] | [f4 weight[n] | f4
    maxweight[n], not whole] | u1 minlength[n] | u1 maxlength[n] | u1 mode[n] | the suffixes
The weights are integers when every one is a whole number (flags & WHOLE: frequencies times
a whole field boost, as the text fields' are), else float32. On the 22k CLICK-ID index
version 3 is 0.87 of version 2 (4.16 against 4.79 MB, 413k terms) and decodes as fast (~30
µs a block; LEB128 varints instead: 4.01 MB, ~50 µs).
"""

from __future__ import annotations

import contextlib
import itertools
import pickle
import struct
import threading
import zlib
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from collections.abc import Iterator
from typing import Any

import numpy as np
from whoosh.codec import base
from whoosh.matching import NullMatcher
from whoosh.reading import TermInfo, TermNotFound
from whoosh.util.numeric import byte_to_length

from index_format.codec.matcher import PackedMatcher
from index_format.codec.postings import Postings, read_postings

# The format's version: TPK1 was written only by the first commits of this format (every
# record with a header, no deflated streams), which read differently; rebuild such an index.
MAGIC_2 = b"TPK2"
MAGIC = b"TPK3"
VERSION = 3
_MAGICS = {MAGIC_2: 2, MAGIC: 3}
BLOCK_TERMS = 64
# Version 3: the block's weights are integers (else float32).
WHOLE = 1
_WHOLE_MAX = float(1 << 32)
_BLOCK_HEAD = struct.Struct("<BBH")  # count, flags, widths
_WIDTHS = ("<u1", "<u2", "<u4")
MAX_TERM_BYTES = 65535  # a term's length is kept in 2 bytes
_FOOTER = struct.Struct("<Q4s")
# What the segments' readers keep decoded is held in one budget for the process, not one per
# segment: a per-segment budget grows with the segments (169 at 2.2M articles held 21,636
# blocks and 15.7M postings, ~1 GB of a worker's private memory after the bench's mix).
# Each budget is in bytes: what an entry's arrays and bytes hold plus what Python and numpy
# hold besides (its objects, key and the cache's node; measured with tracemalloc at 220k).
# A count of entries or postings let small entries weigh far more than they were charged
# (a rebuild reading the old index's added times left 221k one-posting entries: ~200 MB).
# - Dictionary blocks (~5.7 KB each at 220k: ~1 KB of data, 64 terms): a query looks a term
#   up in two or three fields of every segment; at 220k articles (19 segments) 64 a segment
#   were evicted within the bench's 70 queries and decoded again (~45 µs each; 15% of the
#   match time of the mix). 24 MB: the 4,096 blocks the budget held when it counted them.
_BLOCK_CACHE = 24 << 20
_BLOCK_TERM = 76  # a term's bytes object, list slot, its share of the arrays and of `_ends`
# - Where recently looked-up terms are (their postings' extent, document frequency and mode;
#   or that a segment lacks them): ~360 bytes each where a block is ~6 KB, so a query's terms
#   in every segment are found again without their blocks (the bench's mix looks up ~30k
#   (term, segment) pairs at 169 segments, in ~20k distinct blocks). 24 MB: ~65k of them.
_LOCATED_CACHE = 24 << 20
_LOCATED_ENTRY = 360  # key and value tuples, ints, node (~310-320 B), the term object head
# - Postings of recently read terms, for the proximity re-rank and phrases, which read a
#   term's postings again per candidate: ~30 bytes a posting in a common word's entry (ids,
#   weights and frequencies as 8-byte arrays, its encoded record), ~650 bytes in a
#   one-posting entry. 72 MB: the ~2M postings of common words the budget held when it
#   counted postings (the bench's mix keeps 1.5M postings at 220k, charged 53 MB: ~35 bytes
#   a posting, counting the whole record and value ends it may read later; ~45 MB held).
_POSTINGS_CACHE = 72 << 20
_POSTINGS_ENTRY = 700  # the Postings and its arrays' objects, key, node (620-660 B) and term


class _Recent:
    """The most recently used entries of every reader, within `budget` bytes together (the
    least recently used dropped first). Keys start with the reader's token: a closed reader's
    entries are never asked for again and age out. Locked: the readers of several indexes (or
    threads) share it. Nothing is added while this thread is inside `uncached()`."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.weight = 0
        self._items: OrderedDict[tuple[Any, ...], tuple[Any, int]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[Any, ...]) -> Any:
        with self._lock:
            got = self._items.get(key)
            if got is None:
                return None
            self._items.move_to_end(key)
            return got[0]

    def put(self, key: tuple[Any, ...], value: Any, weight: int) -> None:
        if weight > self.budget or getattr(_ONCE, "on", False):
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self.weight -= old[1]
            self._items[key] = (value, weight)
            self.weight += weight
            while self.weight > self.budget:
                self.weight -= self._items.popitem(last=False)[1][1]

    def __len__(self) -> int:
        return len(self._items)


_ONCE = threading.local()  # .on: this thread reads without adding to the caches


@contextlib.contextmanager
def uncached() -> Iterator[None]:
    """Reads in this thread, inside the block, add nothing to the process's caches (what they
    hold is still used): for a reader of every term once (the added times a rebuild keeps),
    whose entries nobody asks for again and would push out a worker's query terms."""
    before = getattr(_ONCE, "on", False)
    _ONCE.on = True
    try:
        yield
    finally:
        _ONCE.on = before


_BLOCKS = _Recent(_BLOCK_CACHE)
_POSTINGS = _Recent(_POSTINGS_CACHE)
_LOCATED = _Recent(_LOCATED_CACHE)
_ABSENT = (0, 0, 0, 0)  # a term the segment does not hold (document frequency 0)
_TOKENS = itertools.count()  # a reader's token: distinct for the process's lifetime


# -- the term dictionary file --------------------------------------------------------------


_STATS = (("df", "<u4"), ("weight", "<f4"), ("maxweight", "<f4"), ("size", "<u4"))


_Row = tuple[bytes, tuple[int, float, float, int, int, int], int, int]


def _front_coded(rows: list[_Row]) -> tuple[list[int], list[bytes]]:
    """Each term's prefix length shared with the previous term of the block, and the rest."""
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
    return prefixes, suffixes


def _block_v2(rows: list[_Row]) -> bytes:
    stats = [r[1] for r in rows]
    parts = [struct.pack("<H", len(rows))]
    parts.append(np.array([s[0] for s in stats], dtype="<u4").tobytes())
    parts.append(np.array([s[1] for s in stats], dtype="<f4").tobytes())
    parts.append(np.array([s[2] for s in stats], dtype="<f4").tobytes())
    parts.append(np.array([r[2] for r in rows], dtype="<u4").tobytes())
    for k in (3, 4, 5):
        parts.append(bytes(int(s[k]) for s in stats))
    prefixes, suffixes = _front_coded(rows)
    parts.append(np.array(prefixes, dtype="<u2").tobytes())
    parts.append(np.array([len(s) for s in suffixes], dtype="<u2").tobytes())
    parts.extend(suffixes)
    return zlib.compress(b"".join(parts), 6)


def _block_v3(rows: list[_Row]) -> bytes:
    n = len(rows)
    stats = [r[1] for r in rows]
    # The weights as float32, as version 2 keeps them and readers give them.
    weights = np.array([[s[1] for s in stats], [s[2] for s in stats]], dtype="<f4")
    wide = weights.astype(np.float64)
    whole = bool(np.all((wide == np.floor(wide)) & (wide >= 0) & (wide < _WHOLE_MAX)))
    prefixes, suffixes = _front_coded(rows)
    columns = [np.array([s[0] for s in stats], dtype=np.int64), np.array([r[2] for r in rows])]
    if whole:
        columns += list(wide.astype(np.int64))
    columns += [np.array(prefixes), np.array([len(x) for x in suffixes])]
    widths = 0
    parts = [b""]
    for k, column in enumerate(columns):
        top = int(column.max())
        w = 0 if top < 256 else 1 if top < 65536 else 2
        widths |= w << 2 * k
        parts.append(column.astype(_WIDTHS[w]).tobytes())
    parts[0] = _BLOCK_HEAD.pack(n, WHOLE if whole else 0, widths)
    if not whole:
        parts.append(weights.tobytes())
    for k in (3, 4, 5):
        parts.append(bytes(int(s[k]) for s in stats))
    parts.extend(suffixes)
    return zlib.compress(b"".join(parts), 9)


class TermsWriter:
    def __init__(self, dbfile: Any, version: int = VERSION) -> None:
        if version not in _MAGICS.values():
            raise ValueError(f"no term dictionary version {version}")
        self._version = version  # 2: as written before version 3 (for tests of old segments)
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
        if len(tbytes) > MAX_TERM_BYTES:
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
        encode = _block_v3 if self._version == 3 else _block_v2
        self._f.write(encode(rows))
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
        magic = MAGIC if self._version == 3 else MAGIC_2
        self._f.write(_FOOTER.pack(diroff, magic))
        self._f.close()


def _terms(data: bytes, pos: int, prefixes: Any, lengths: Any) -> list[bytes]:
    """A block's terms from their front coding: prefix lengths and suffixes from `pos`."""
    terms = []
    prev = b""
    for p, length in zip(prefixes, lengths, strict=True):
        prev = prev[:p] + data[pos : pos + length]
        pos += length
        terms.append(prev)
    return terms


class TermBlock:
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
        "nbytes",
        "sizes",
        "terms",
    )

    def __init__(self, data: bytes, postbase: int, version: int = VERSION) -> None:
        if version == 2:
            self._v2(data)
        else:
            self._v3(data)
        self._base = postbase
        self._ends: np.ndarray | None = None
        # What it holds (the data its columns view, its terms) for _BLOCKS' budget.
        self.nbytes = len(data) + sum(map(len, self.terms)) + _BLOCK_TERM * len(self.terms)

    def _v2(self, data: bytes) -> None:
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
        self.terms = _terms(data, pos + 4 * n, lens[:n], lens[n:])

    def _v3(self, data: bytes) -> None:
        n, flags, widths = _BLOCK_HEAD.unpack_from(data)
        pos = _BLOCK_HEAD.size
        columns = []
        for k in range(6 if flags & WHOLE else 4):
            column = np.frombuffer(data, _WIDTHS[widths >> 2 * k & 3], n, pos)
            pos += column.nbytes
            columns.append(column)
        self.df, self.sizes = columns[0], columns[1]
        if flags & WHOLE:
            self._weight = columns[2].astype(np.float32)
            self.maxweight = columns[3].astype(np.float32)
        else:
            self._weight = np.frombuffer(data, "<f4", n, pos)
            self.maxweight = np.frombuffer(data, "<f4", n, pos + 4 * n)
            pos += 8 * n
        self.minlen = data[pos : pos + n]
        self.maxlen = data[pos + n : pos + 2 * n]
        self.mode = data[pos + 2 * n : pos + 3 * n]
        self.terms = _terms(data, pos + 3 * n, columns[-2].tolist(), columns[-1].tolist())

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
            (self, i),
        )


class PackedTermInfo(TermInfo):
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
        at: tuple[TermBlock, int] | None = None,
    ) -> None:
        self._reader = reader
        self._key = key
        self._at = at  # its block and row: its postings are read without a lookup
        self._ends: list[int | None] | None = None
        # minid/maxid None: TermInfo's default maxid=0 would go through the setter and decode
        # the postings of every term looked up.
        super().__init__(weight, df, minlength, maxlength, maxweight, None, None)

    def _end(self, k: int) -> int | None:
        if self._ends is None:
            ids: Any = []
            if self._reader is not None and self._at is not None:
                ids = self._reader.postings_at(*self._at, *self._key).ids
            elif self._reader is not None:
                ids = self._reader.postings(*self._key).ids
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


class PackedTermsReader(base.TermsReader):
    def __init__(self, codec: Any, tfile: Any, tlen: int, postfile: Any) -> None:
        self._codec = codec
        self._tfile = tfile
        self._postfile = postfile
        diroff, magic = _FOOTER.unpack(tfile.get(tlen - _FOOTER.size, _FOOTER.size))
        if magic not in _MAGICS:
            raise ValueError(f"term file of another format ({magic!r}, not {MAGIC!r}): rebuild")
        self.version = _MAGICS[magic]
        self._dir = pickle.loads(tfile.get(diroff, tlen - _FOOTER.size - diroff))
        self._fieldnames = sorted(self._dir)
        self._token = next(_TOKENS)  # its entries' keys in _BLOCKS, _LOCATED and _POSTINGS

    # -- blocks --

    def _block(self, fieldname: str, b: int) -> TermBlock:
        key = (self._token, fieldname, b)
        block: TermBlock | None = _BLOCKS.get(key)
        if block is not None:
            return block
        block = self.read_block(fieldname, b)
        _BLOCKS.put(key, block, block.nbytes)
        return block

    def read_block(self, fieldname: str, b: int) -> TermBlock:
        """Block b of the field's dictionary, decoded (not cached)."""
        _, offs, bases = self._dir[fieldname]
        start, end = int(offs[b]), int(offs[b + 1])
        data = zlib.decompress(self._tfile.get(start, end - start))
        return TermBlock(data, int(bases[b]), self.version)

    def _find(self, fieldname: str, tbytes: bytes) -> tuple[TermBlock, int] | None:
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

    def _get(self, fieldname: str, tbytes: bytes) -> tuple[TermBlock, int]:
        found = self._find(fieldname, tbytes)
        if found is None:
            raise TermNotFound(f"No term {fieldname}:{tbytes!r}")
        return found

    def _iter_from(self, fieldname: str, prefix: bytes) -> Iterator[tuple[str, TermBlock, int]]:
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
        return self._located(fieldname, tbytes)[2]

    def _located(self, fieldname: str, tbytes: bytes) -> tuple[int, int, int, int]:
        """A term's postings record (offset, size), document frequency and mode; _ABSENT
        when the segment does not hold it."""
        key = (self._token, fieldname, tbytes)
        got: tuple[int, int, int, int] | None = _LOCATED.get(key)
        if got is None:
            found = self._find(fieldname, tbytes)
            if found is None:
                got = _ABSENT
            else:
                block, i = found
                got = (*block.extent(i), int(block.df[i]), block.mode[i])
            _LOCATED.put(key, got, _LOCATED_ENTRY + len(tbytes))
        return got

    def postings(self, fieldname: str, tbytes: bytes, fmt: Any = None) -> Postings:
        """A term's postings as arrays (deleted documents included).

        Recently decoded terms are kept (up to _POSTINGS_CACHE bytes in the process): a query's
        proximity re-rank and phrases make a matcher per term and candidate, each of which
        would decode the whole term again.
        """
        post = self.find_postings(fieldname, tbytes, fmt)
        if post is None:
            raise TermNotFound(f"No term {fieldname}:{tbytes!r}")
        return post

    def find_postings(self, fieldname: str, tbytes: bytes, fmt: Any = None) -> Postings | None:
        """postings(), or None when the term is not in this segment: one dictionary lookup,
        none for a term whose postings are held."""
        key = (self._token, fieldname, tbytes, None if fmt is None else fmt.field_boost)
        post: Postings | None = _POSTINGS.get(key)
        if post is not None:
            return post
        offset, size, df, mode = self._located(fieldname, tbytes)
        if not df:
            return None
        return self._read(key, offset, size, df, mode, fmt)

    def postings_at(
        self, block: TermBlock, i: int, fieldname: str, tbytes: bytes, fmt: Any = None
    ) -> Postings:
        """postings() of row i of `block` (the term's block, at hand when walking the
        dictionary): no lookup of where the term is."""
        key = (self._token, fieldname, tbytes, None if fmt is None else fmt.field_boost)
        post: Postings | None = _POSTINGS.get(key)
        if post is not None:
            return post
        offset, size = block.extent(i)
        return self._read(key, offset, size, int(block.df[i]), block.mode[i], fmt)

    def _read(
        self, key: tuple[Any, ...], offset: int, size: int, df: int, mode: int, fmt: Any
    ) -> Postings:
        post = read_postings(self._postfile.get, offset, size, df, mode, fmt)
        _POSTINGS.put(key, post, post.nbytes(size) + _POSTINGS_ENTRY + len(key[2]))
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


class PackedCursor(base.FieldCursor):
    """A field's terms in order (Whoosh's automata walk them with find/next)."""

    def __init__(self, reader: PackedTermsReader, fieldname: str, fieldobj: Any) -> None:
        self._reader = reader
        self._fieldname = fieldname
        self._fieldobj = fieldobj
        self._it: Iterator[tuple[str, TermBlock, int]] = iter(())
        self._text: Any = None
        self._info: tuple[TermBlock, int] | None = None
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
