"""Syndication: articles that are copies of one another (wire stories re-published with small
edits) share a story id. What the indexer writes and search reads, in one place.

Each article's body becomes a MinHash signature over its word shingles (datasketch), computed
where the article is prepared (in the build workers). Two articles are joined when they share
an LSH band and their signatures estimate a Jaccard similarity of at least THRESHOLD; a story is
a connected group of joined articles. Its id is the id of its first copy (earliest published,
then smallest id): a story's id is always one of its live articles, and a singleton is its own
story.

Whoosh documents cannot be changed once written, and a story is only known once every article
is, so the stories live beside the segments, in STORIES_NAME in the generation's directory:
per article its id, day, signature and story. A generation without the file (written before
this version) has every article as its own story. The file is replaced, never written in
place: update-index hard-links the previous generation's files (index_format.generations).
"""

from __future__ import annotations

import functools
import os
import secrets
import zipfile
import zlib
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import zstandard

from index_format import sorted_sets, story_changes
from index_format.story_changes import Grouped
from index_format.zst_files import packed, unpacked

STORIES_NAME = "stories.npz"
# Measured on CLICK-ID (bench/syndication.py, README "Syndication"): 5-word shingles and 128
# permutations; pairs at 0.5 estimated Jaccard and above were copies or one story rewritten.
SHINGLE_WORDS = 5
NUM_PERM = 128
THRESHOLD = 0.5
# A body with fewer shingles than this (a caption, a stub) joins no story: a few shared
# boilerplate words would make it a copy of anything.
MIN_SHINGLES = 12
# The LSH buckets are cut for this lower similarity, so that pairs at THRESHOLD are nearly
# always candidates (cut at THRESHOLD, only half of the pairs at 0.5 would be): checking a
# candidate's signature costs little.
LSH_THRESHOLD = 0.4
# A bucket of more articles than this (an archive holding one page thousands of times) pairs
# each with the next only: all pairs of 10,000 articles would take 50 million rows.
MAX_BUCKET = 200
# 3: each article's story as the row of the story's id (less the article's own row: zero for
# most), not as its text, and every member but the signatures zstd-compressed (index_format.
# zst_files; zstd, not the zip's deflate: search reads the ids at open, and inflating them
# took 0.2 s at 2.2M): 53 MB less at 2.2M articles (ids 26 -> 5 MB, days 9 -> 0, stories
# 26 -> 1). Files of version 2 read as before.
# 4 (size6, issue 23): a copy's signature as what differs from its story's first copy's (a
# bitmap of the values that differ, then those values, zstd-compressed); the first copies
# and the articles alone keep theirs as they are. Copies share ~70% of their values with the
# first: a copy's 128 bytes become ~50, 19-21 bytes an article over the realistic 220k
# archive (its 27% in others' stories), ~45 MB at 2.2M. Files of versions 2 and 3 read as
# before (`telusur optimize --upgrade-only` writes them again).
FORMAT_VERSION = 4
READS = (2, 3, 4)
# A signature keeps the low 8 bits of each minimum (b-bit minwise hashing, Li and König
# 2010): two values agree by chance once in 256, which raises an estimate of 0.5 by 0.002
# (a band of 4 values collides by chance once in 4 billion), and a signature takes 128 bytes
# instead of 512 (28 MB in a rebuild of 220,000 articles). Files written with 16 bits read as
# their low 8.
SIG_BITS = 8
SIG_DTYPE = np.uint8

_MIX = np.uint64(0x9E3779B1)  # combines word hashes into a shingle hash (a polynomial)
_MASK32 = np.uint64(0xFFFFFFFF)
_EMPTY = np.zeros(NUM_PERM, dtype=SIG_DTYPE)
_SIG_MASK = (1 << SIG_BITS) - 1


def _same(value: int) -> int:
    """MinHash's hash function: shingles arrive already hashed (vectorised, below)."""
    return value


# datasketch's MinHash(num_perm=NUM_PERM, scheme="affine32") with its default seed, computed here
# with numpy as datasketch computes it: importing datasketch imports scipy (0.35 s of CPU, and
# memory, in every build and every update). tests/stories hold the two equal, value for value.
_SEED = 1
_FMIX32 = tuple(np.uint32(c) for c in (16, 0x85EBCA6B, 13, 0xC2B2AE35, 16))
# (bands, rows per band) datasketch's MinHashLSH chooses for LSH_THRESHOLD and NUM_PERM (a test
# asks it).
LSH_BANDS = (32, 4)


@functools.cache
def permutations() -> tuple[np.ndarray, np.ndarray]:
    """The affine permutations' a (odd) and b, as datasketch's MinHash draws them."""
    gen = np.random.RandomState(_SEED)
    a = gen.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)
    return a, b


def fmix32(h: np.ndarray) -> np.ndarray:
    """The MurmurHash3 finalizer on uint32 values (wrapping multiplication)."""
    s1, m1, s2, m2, s3 = _FMIX32
    h = h ^ (h >> s1)
    h = h * m1
    h = h ^ (h >> s2)
    h = h * m2
    return h ^ (h >> s3)


# Punctuation and symbols separate words, as \w+ would: ASCII and the common Unicode ones.
_SEPARATORS = str.maketrans(
    dict.fromkeys(
        map(ord, "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~\u2018\u2019\u201c\u201d\u2013\u2014\u2026"),
        " ",
    )
)


def words(text: str) -> list[str]:
    """The text's words, lowercased, punctuation and symbols apart (str.translate and split:
    twice as fast as a \\w+ regular expression)."""
    return text.lower().translate(_SEPARATORS).split()


# The same split on UTF-8 bytes: the ASCII separators by bytes.translate, the others (and the
# whitespace str.split() splits on but bytes.split() does not) replaced by a space. UTF-8 is
# self-synchronising, so a character's bytes are found only where that character is.
_ASCII_SEPARATORS = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~\x1c\x1d\x1e\x1f"
_BYTE_SEPARATORS = bytes.maketrans(_ASCII_SEPARATORS.encode(), b" " * len(_ASCII_SEPARATORS))
_WIDE_SEPARATORS = tuple(
    c.encode()
    for c in "\u2018\u2019\u201c\u201d\u2013\u2014\u2026"  # as in _SEPARATORS
    "\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000"  # what str.isspace() holds beyond ASCII
)


def word_bytes(text: str) -> list[bytes]:
    """`words(text)`, each as UTF-8 (what a shingle's hash is made of), split on the bytes:
    a third of the cost of `words` and an encode per word."""
    low = text.lower()
    try:
        data = low.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: `words` keeps it in its word, as "?"
        return [w.encode("utf-8", "replace") for w in words(text)]
    data = data.translate(_BYTE_SEPARATORS)
    if not low.isascii():
        for sep in _WIDE_SEPARATORS:
            if sep in data:
                data = data.replace(sep, b" ")
    return data.split()


def shingle_hashes(text: str, k: int = SHINGLE_WORDS) -> np.ndarray:
    """The 32-bit hashes of the text's k-word shingles (repeats kept: they change no minimum),
    computed with numpy from one CRC32 per word: hashing each shingle's string costs twice as
    much."""
    found = word_bytes(text)
    if len(found) < k:
        return np.zeros(0, dtype=np.uint32)
    hw = np.fromiter(map(zlib.crc32, found), dtype=np.uint64, count=len(found))
    n = len(found) - k + 1
    h = np.zeros(n, dtype=np.uint64)
    for j in range(k):
        h = (h * _MIX + hw[j : j + n]) & _MASK32
    return h.astype(np.uint32)


def signature(text: str) -> np.ndarray:
    """The MinHash signature of a body (NUM_PERM values of SIG_DTYPE); all zeros when it is
    too short to tell a copy (MIN_SHINGLES), which joins nothing.

    The values are the low bits of datasketch's MinHash.update_batch of the shingle hashes
    (its affine32 permutations after the MurmurHash3 finalizer; tests/stories hold the two
    equal), computed on the array directly: update_batch first makes a Python list of them."""
    hashes = shingle_hashes(text)
    if hashes.size < MIN_SHINGLES:
        return _EMPTY.copy()
    a, b = permutations()
    mixed = fmix32(hashes.reshape(-1, 1))
    return ((mixed * a + b).min(axis=0) & _SIG_MASK).astype(SIG_DTYPE)


def reference_signature(text: str) -> np.ndarray:
    """`signature` through datasketch's public MinHash.update_batch (slower; for tests)."""
    hashes = shingle_hashes(text)
    if hashes.size < MIN_SHINGLES:
        return _EMPTY.copy()
    from datasketch import MinHash

    m = MinHash(num_perm=NUM_PERM, hashfunc=_same, scheme="affine32")
    m.update_batch(hashes.tolist())
    return (np.asarray(m.hashvalues) & _SIG_MASK).astype(SIG_DTYPE)


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """The Jaccard similarity two signatures estimate (0 when either is empty)."""
    if not a.any() or not b.any():
        return 0.0
    return float(np.mean(a == b))


@functools.cache
def lsh_bands(threshold: float = LSH_THRESHOLD) -> tuple[int, int]:
    """(bands, rows per band) that datasketch's MinHashLSH chooses for `threshold` and
    NUM_PERM (the fewest false positives and negatives, weighted alike); LSH_BANDS for
    LSH_THRESHOLD, without importing it."""
    if threshold == LSH_THRESHOLD:
        return LSH_BANDS
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    return lsh.b, lsh.r


def candidate_pairs(sigs: np.ndarray, bands: tuple[int, int] | None = None) -> np.ndarray:
    """The (a, b) rows, a < b, that share an LSH bucket; empty signatures share none."""
    return _pairs(sigs, bands, joined=False)


def joined_pairs(sigs: np.ndarray, bands: tuple[int, int] | None = None) -> np.ndarray:
    """The candidate pairs whose signatures estimate a Jaccard of THRESHOLD or more."""
    return _pairs(sigs, bands, joined=True)


def _pairs(sigs: np.ndarray, bands: tuple[int, int] | None, *, joined: bool) -> np.ndarray:
    """The candidate pairs, `joined` ones only, of every band, sorted, each once: one band's
    keys at a time, a band's candidates checked before the next band's are found, and only its
    pairs not found before kept, as one int64 a pair (a × n + b). All keys at once took
    n × 32 × 8 bytes (563 MB at 2.2M articles); every band's pairs concatenated and then
    deduplicated as rows took 6.8 GB at 2.2M (a pair of copies is found in most of the 32
    bands), where the pairs found once each take 8 bytes."""
    b, r = bands or lsh_bands()
    n = sigs.shape[0]
    live = np.flatnonzero(sigs.any(axis=1))
    every = live.size == n  # most are: no copy of the signatures then
    seen = np.zeros(0, dtype=np.int64)  # sorted, distinct
    for band in range(b):
        keys = story_changes.band_column(sigs, band, r)
        pairs = story_changes.bucket_pairs(keys if every else keys[live], live, MAX_BUCKET)
        del keys
        if joined:
            pairs = _joined(sigs, pairs)
        seen = sorted_sets.union(seen, pairs[:, 0] * n + pairs[:, 1])
    if not seen.size:
        return np.zeros((0, 2), dtype=np.int64)
    return np.stack([seen // n, seen % n], axis=1)


# Candidate pairs compared at a time: each side's signatures are copied out (128 bytes a row).
_JOIN_CHUNK = 1 << 16


def _joined(sigs: np.ndarray, pairs: np.ndarray) -> np.ndarray:
    if not len(pairs):
        return pairs
    keep = np.empty(len(pairs), dtype=bool)
    for i in range(0, len(pairs), _JOIN_CHUNK):
        part = pairs[i : i + _JOIN_CHUNK]
        agree = (sigs[part[:, 0]] == sigs[part[:, 1]]).mean(axis=1)
        keep[i : i + _JOIN_CHUNK] = agree >= THRESHOLD
    return pairs[keep]


class Signatures:
    """The table's signatures, a row each, in blocks of BLOCK rows: one numpy array per
    article took ~250 bytes where its signature is 128 (550 MB at 2.2M articles, and a copy
    stacked to group them). Reads give copies: a row written over keeps what was read."""

    BLOCK = 4096

    def __init__(self, rows: Iterable[np.ndarray] | np.ndarray = ()) -> None:
        self._base = np.zeros((0, NUM_PERM), SIG_DTYPE)  # the first rows, in one array
        self._blocks: list[np.ndarray] = []  # then BLOCK rows each, the last one partly used
        self._n = 0
        if isinstance(rows, np.ndarray) and rows.ndim == 2:
            self._base = np.array(rows, dtype=SIG_DTYPE)  # its own: rows are written over
            self._n = len(self._base)
        else:
            for row in rows:
                self.append(row)

    def __len__(self) -> int:
        return self._n

    def _at(self, i: int) -> tuple[np.ndarray, int]:
        if not -self._n <= i < self._n:
            raise IndexError(i)
        i %= self._n
        if i < len(self._base):
            return self._base, i
        block, row = divmod(i - len(self._base), self.BLOCK)
        return self._blocks[block], row

    def __getitem__(self, i: int) -> np.ndarray:
        array, row = self._at(i)
        return array[row].copy()

    def __setitem__(self, i: int, sig: np.ndarray) -> None:
        array, row = self._at(i)
        array[row] = sig

    def __iter__(self) -> Iterator[np.ndarray]:
        for i in range(self._n):
            yield self[i]

    def append(self, sig: np.ndarray) -> None:
        row = self._n - len(self._base)
        if row == len(self._blocks) * self.BLOCK:
            self._blocks.append(np.zeros((self.BLOCK, NUM_PERM), SIG_DTYPE))
        self._blocks[-1][row % self.BLOCK] = sig
        self._n += 1

    def take(self, rows: list[int]) -> Signatures:
        """A new store of `rows` (this one is left as it is)."""
        return Signatures(self.stacked()[np.array(rows, dtype=np.int64)])

    def stacked(self) -> np.ndarray:
        """Every row in one (n, NUM_PERM) array: the store's own, kept as its first rows from
        then on (rows written later show in it, as in any view)."""
        if self._n > len(self._base):
            self._base = np.concatenate([self._base, *self._blocks])[: self._n]
            self._blocks = []
        return self._base


@dataclass
class StoryTable:
    """The stories of one generation: per article (row) its id, day (-1: none), signature and
    story id. `index[id]` is the article's row."""

    ids: list[str] = field(default_factory=list)
    days: list[int] = field(default_factory=list)
    sigs: Signatures = field(default_factory=Signatures)
    story: list[str] = field(default_factory=list)
    index: dict[str, int] = field(default_factory=dict)
    bands: tuple[int, int] | None = None  # lsh_bands(), kept in the file
    # What the table held when last grouped (by `cluster`, or as loaded): `cluster` then
    # regroups only what the changes since can reach (index_format.story_changes).
    grouped: Grouped | None = field(default=None, repr=False, compare=False)

    def __len__(self) -> int:
        return len(self.ids)

    def add(self, doc_id: str, day: int, sig: np.ndarray) -> None:
        """Add (or replace) an article, as its own story until `cluster` joins it."""
        row = self.index.get(doc_id)
        if row is not None:
            g = self.grouped
            if g is not None and doc_id not in g.before and (u := g.old_row(doc_id)) is not None:
                g.before[doc_id] = g.old(u)  # (before the lists, maybe its own, change)
            self.days[row], self.sigs[row], self.story[row] = day, sig, doc_id
            return
        self.index[doc_id] = len(self.ids)
        self.ids.append(doc_id)
        self.days.append(day)
        self.sigs.append(sig)
        self.story.append(doc_id)

    def remove(self, doc_ids: Iterable[str]) -> None:
        gone = {d for d in doc_ids if d in self.index}
        if not gone:
            return
        if self.grouped is not None:
            self.grouped.gone |= {d for d in gone if self.grouped.old_row(d) is not None}
        keep = [i for i, d in enumerate(self.ids) if d not in gone]
        self.ids = [self.ids[i] for i in keep]
        self.days = [self.days[i] for i in keep]
        self.sigs = self.sigs.take(keep)
        self.story = [self.story[i] for i in keep]
        self.index = {d: i for i, d in enumerate(self.ids)}

    def members(self) -> dict[str, list[str]]:
        """Story id → its articles' ids, for stories of two or more."""
        out: dict[str, list[str]] = {}
        for doc_id, story in zip(self.ids, self.story, strict=True):
            out.setdefault(story, []).append(doc_id)
        return {s: m for s, m in out.items() if len(m) > 1}

    # -- clustering -------------------------------------------------------------------------

    def cluster(self) -> None:
        """Group the articles: a rebuild, and after every update, so that an update gives the
        stories a rebuild would give: a new copy joins its story, a changed or deleted one
        leaves it (and a story it held together splits). After an update only the stories
        its changes can reach are grouped again (index_format.story_changes)."""
        n = len(self.ids)
        sigs = self.sigs.stacked()
        self.bands = self.bands or lsh_bands()
        change = self._change(sigs)
        if change is not None:
            rows, links = story_changes.region(change, self.bands, MAX_BUCKET, THRESHOLD)
            pairs = story_changes.region_pairs(sigs, rows, self.bands, MAX_BUCKET, THRESHOLD)
            self._group(rows.tolist(), np.concatenate([pairs, links]))
        else:
            self._group(list(range(n)), joined_pairs(sigs, self.bands))
        self._mark_grouped()

    def _group(self, rows: list[int], pairs: np.ndarray) -> None:
        """Give `rows` the stories the joined `pairs` make; a pair's row outside `rows` stands
        for its whole story (one that keeps its rows together: story_changes), by the row
        of the story's id, which is its first."""
        inside = set(rows)
        parent = {r: r for r in rows}

        def node(r: int) -> int:
            if r in inside:
                return r
            top = self.index[self.story[r]]
            parent.setdefault(top, top)
            return top

        for a, b in pairs.tolist():
            _union(parent, node(a), node(b))
        groups: dict[int, list[int]] = {}
        for r in parent:
            groups.setdefault(_find(parent, r), []).append(r)
        renamed: dict[str, str] = {}  # stories outside `rows` joined to another: new id
        for members in groups.values():  # the id of its first copy: earliest day, then id
            first = min(members, key=lambda r: (self.days[r] < 0, self.days[r], self.ids[r]))
            for r in members:
                if r in inside:
                    self.story[r] = self.ids[first]
                elif r != first:
                    renamed[self.ids[r]] = self.ids[first]
        if renamed:
            for r, story in enumerate(self.story):
                if story in renamed and r not in inside:
                    self.story[r] = renamed[story]

    def _mark_grouped(self) -> None:
        self.grouped = Grouped(self.ids, self.days, self.sigs, self.story, self.index, len(self))

    def _change(self, sigs: np.ndarray) -> story_changes.Change | None:
        """The changes since the table was last grouped; None when it must be grouped in full
        (never grouped, or grouped by another version's rules)."""
        g = self.grouped
        if g is None or g.n == 0:
            return None
        kept = g.n - len(g.gone)
        # The old rows kept are the first ones, in their old order, then the added ones.
        if kept > len(self) or any(g.old_row(d) is None for d in self.ids[kept - 1 : kept]):
            return None
        if any(g.old_row(d) is not None for d in self.ids[kept:]):
            return None
        if not {*g.story[: g.n]} <= g.index.keys():  # stories of a file of another version
            return None
        old = np.ones(g.n, dtype=bool)
        old[[g.index[d] for d in g.gone]] = False
        keep = np.flatnonzero(old)
        replaced = np.array(sorted(self.index[d] for d in g.before if d not in g.gone), np.int64)
        return story_changes.Change(g, sigs, keep, replaced)

    # -- the file ---------------------------------------------------------------------------

    def save(self, directory: Path) -> None:
        """Write STORIES_NAME into `directory`, replacing (never rewriting) the file."""
        path = Path(directory) / STORIES_NAME
        tmp = path.with_name(f".{STORIES_NAME}.{secrets.token_hex(4)}.npz")
        sigs = self.sigs.stacked()
        # A story's id is one of its articles' (its first copy): its row stands for it; the
        # text is kept for a table where it is not (none that `cluster` grouped).
        rows = [self.index.get(s, -1) for s in self.story]
        story: dict[str, Any] = (
            {
                "story_zst": packed(
                    np.array(rows, np.int32) - np.arange(len(rows), dtype=np.int32)
                ),
                **_sig_members(sigs, np.array(rows, np.int64)),
            }
            if -1 not in rows
            else {"story": _text_array(self.story), "sigs": sigs}
        )
        np.savez(
            tmp,
            version=np.array([FORMAT_VERSION, SHINGLE_WORDS, NUM_PERM]),
            ids_zst=packed(_text_array(self.ids)),
            days_zst=packed(np.array(self.days, dtype=np.int32)),
            bands=np.array(self.bands or lsh_bands()),
            **story,
        )
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, path)


class StoryRows:
    """A rebuild's stories, gathered compactly as its workers send each article's signature:
    `save` writes the file that StoryTable's add, cluster and save would for the same
    articles, from arrays. StoryTable holds Python objects per article (id, day, row index,
    story: ~440 bytes with the signature) and grouped with a dict per article on top, which
    the parent of a 2.2M rebuild held through its feed; here an article takes its id's UTF-8
    bytes, a hash, a day and its signature (~150 bytes), and grouping works on arrays."""

    def __init__(self) -> None:
        self._clear()

    def _clear(self) -> None:
        self._ids = bytearray()  # each id's UTF-8, followed by a newline (no id has one)
        self._hashes = array("q")  # hash(id): a repeated id is told apart at save
        self._days = array("i")
        self.sigs = Signatures()

    def __len__(self) -> int:
        return len(self._days)

    def add(self, doc_id: str, day: int, sig: np.ndarray) -> None:
        """Add an article (a repeated id replaces its first row's day and signature, as in
        StoryTable)."""
        self._ids += doc_id.encode("utf-8")
        self._ids += b"\n"
        self._hashes.append(hash(doc_id))
        self._days.append(day)
        self.sigs.append(sig)

    def _id_list(self) -> list[str]:
        return self._ids[:-1].decode("utf-8").split("\n") if self._ids else []

    def table(self) -> StoryTable:
        """The same articles as a StoryTable (what `save` falls back to when an id repeats)."""
        table = StoryTable()
        for i, (doc_id, day) in enumerate(zip(self._id_list(), self._days, strict=True)):
            table.add(doc_id, day, self.sigs[i])
        return table

    def save(self, directory: Path) -> None:
        """Group the articles and write STORIES_NAME into `directory`, as StoryTable's
        cluster and save; the rows are released (it is left empty)."""
        n = len(self)
        hashes = np.frombuffer(self._hashes, dtype=np.int64) if n else np.zeros(0, np.int64)
        if n == 0 or np.unique(hashes).size < n:  # an id twice (or a hash): rare, as before
            table = self.table()
            self._clear()
            table.cluster()
            table.save(directory)
            return
        del hashes
        self._hashes = array("q")
        sigs = self.sigs.stacked()
        bands = lsh_bands()
        days = np.frombuffer(self._days, dtype=np.int32)
        rows = first_rows(joined_pairs(sigs, bands), days, self._ids, n)
        path = Path(directory) / STORIES_NAME
        tmp = path.with_name(f".{STORIES_NAME}.{secrets.token_hex(4)}.npz")
        np.savez(
            tmp,
            version=np.array([FORMAT_VERSION, SHINGLE_WORDS, NUM_PERM]),
            ids_zst=packed(np.frombuffer(self._ids, dtype=np.uint8)[:-1]),
            days_zst=packed(days),
            bands=np.array(bands),
            story_zst=packed(rows - np.arange(n, dtype=np.int32)),
            **_sig_members(sigs, rows, in_place=True),  # (released below)
        )
        del days, sigs
        self._clear()
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, path)


def first_rows(pairs: np.ndarray, days: np.ndarray, ids: bytes | bytearray, n: int) -> np.ndarray:
    """Each of `n` rows' story as a row (int32): the first copy (earliest day, a day of -1
    last, then the smallest id) of the group the joined `pairs` connect it to, as
    StoryTable._group chooses; `ids` are the rows' UTF-8 ids, each followed by a newline."""
    story = np.arange(n, dtype=np.int32)
    if not len(pairs):
        return story
    label = np.arange(n, dtype=np.int64)
    a, b = pairs[:, 0], pairs[:, 1]
    while True:  # each row takes the smallest label of its group (min-label propagation)
        low = np.minimum(label[a], label[b])
        before = label.copy()
        np.minimum.at(label, a, low)
        np.minimum.at(label, b, low)
        label = label[label]  # (a row's label is a row of its group: jump to its label)
        if np.array_equal(label, before):
            break
    members = np.unique(pairs)
    ends = np.flatnonzero(np.frombuffer(ids, dtype=np.uint8) == 10)
    starts = np.concatenate([[0], ends[:-1] + 1])
    text = bytes(ids)
    # The smallest id of a group: Python's str order (code points) is UTF-8's byte order.
    names = [
        text[s:e] for s, e in zip(starts[members].tolist(), ends[members].tolist(), strict=True)
    ]
    rank = np.empty(members.size, dtype=np.int64)
    rank[sorted(range(members.size), key=names.__getitem__)] = np.arange(members.size)
    day = days[members].astype(np.int64)
    order = np.lexsort((rank, day, day < 0, label[members]))
    groups = label[members][order]
    starts_of = np.flatnonzero(np.concatenate([[True], groups[1:] != groups[:-1]]))
    first = members[order][starts_of]
    story[members[order]] = np.repeat(first, np.diff(np.append(starts_of, order.size)))
    return story


def load_stories(directory: Path) -> StoryTable | None:
    """The generation's stories, or None when it has none (written before this version, or
    with other shingles) or the file cannot be read: every article is then its own story."""
    return _read(directory, signatures=True)  # type: ignore[return-value]


def load_story_ids(directory: Path) -> tuple[list[str], list[str]] | None:
    """(article ids, their story ids) of the generation, as load_stories reads them, without
    the signatures (what search needs: a tenth of the file)."""
    return _read(directory, signatures=False)  # type: ignore[return-value]


def _read(directory: Path, *, signatures: bool) -> StoryTable | tuple[list[str], list[str]] | None:
    path = Path(directory) / STORIES_NAME
    try:  # opened here: np.load leaves a file it cannot read open
        with open(path, "rb") as f, np.load(f) as data:
            version, *shingles = (int(v) for v in data["version"])
            if version not in READS or shingles != [SHINGLE_WORDS, NUM_PERM]:
                return None
            ids = _texts(data["ids"] if version == 2 else unpacked(data["ids_zst"]))
            story = _story(ids, data)
            if len(ids) != len(story):
                return None
            if not signatures:
                return ids, story
            days = data["days"] if version == 2 else unpacked(data["days_zst"])
            sigs = _signatures(data, len(ids))
            if not len(ids) == len(days) == len(sigs):
                return None
            table = StoryTable(
                ids=ids,
                days=[int(d) for d in days],
                sigs=Signatures(sigs),
                story=story,
                index={d: i for i, d in enumerate(ids)},
                bands=(int(data["bands"][0]), int(data["bands"][1])),
            )
            table._mark_grouped()
            return table
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile, zstandard.ZstdError):
        return None


def _sig_members(sigs: np.ndarray, rows: np.ndarray, *, in_place: bool = False) -> dict[str, Any]:
    """The file's members that hold the signatures (version 4), each row's story being the
    row `rows` gives: the rows that are their own story as they are ("sigs"), the others as
    the values that differ from their story's row's (which is its own story, unless the table
    was made otherwise: then every signature as it is). `in_place`: the first rows of `sigs`
    are written over with the kept ones (no copy of them: 200 MB at 2.2M articles)."""
    own = rows == np.arange(rows.size)
    moved = np.flatnonzero(~own)
    if not moved.size or not own[rows[moved]].all():
        return {"sigs": sigs}
    diff = sigs[moved] ^ sigs[rows[moved]]
    differs = diff != 0
    members = {
        "copies_bits_zst": packed(np.packbits(differs, axis=1)),
        "copies_values_zst": packed(diff[differs]),
    }
    del diff, differs
    kept = np.flatnonzero(own)
    if not in_place:
        return {"sigs": sigs[kept], **members}
    step = 65536  # a kept row is never before its place: copy forward a block at a time
    for start in range(0, kept.size, step):
        block = kept[start : start + step]
        sigs[start : start + block.size] = sigs[block]
    return {"sigs": sigs[: kept.size], **members}


def _signatures(data: Any, n: int) -> np.ndarray:
    """The n signatures of the file (all as written before version 4, or made whole again
    from its story rows and its copies' differences), their low SIG_BITS bits."""
    if "copies_bits_zst" not in data:
        sigs: np.ndarray = data["sigs"] & _SIG_MASK
        return sigs
    delta = unpacked(data["story_zst"]).astype(np.int64)
    if delta.size != n:
        raise ValueError("story rows of another table")
    moved = np.flatnonzero(delta)
    own = np.flatnonzero(delta == 0)
    sigs = np.empty((n, NUM_PERM), dtype=SIG_DTYPE)
    sigs[own] = data["sigs"]
    differs = np.unpackbits(unpacked(data["copies_bits_zst"]), axis=1, count=NUM_PERM)
    if differs.shape[0] != moved.size:
        raise ValueError("copies' signatures of another table")
    diff = np.zeros((moved.size, NUM_PERM), dtype=SIG_DTYPE)
    diff[differs.astype(bool)] = unpacked(data["copies_values_zst"])
    heads = moved + delta[moved]
    sigs[moved] = diff ^ sigs[heads]
    return sigs


def _story(ids: list[str], data: Any) -> list[str]:
    """Each article's story id, from the rows of version 3 or the text of version 2."""
    if "story_zst" not in data:
        return _texts(data["story"])
    delta = unpacked(data["story_zst"])
    if delta.size != len(ids):
        raise ValueError("story rows of another table")
    story = list(ids)  # most articles are their own story: replace the others'
    moved = np.flatnonzero(delta)
    rows = moved + delta[moved]
    if rows.size and not 0 <= int(rows.min()) <= int(rows.max()) < len(ids):
        raise ValueError("story rows outside the table")
    for i, row in zip(moved.tolist(), rows.tolist(), strict=True):
        story[i] = ids[row]
    return story


def is_current(directory: Path) -> bool:
    """Whether the generation's stories file, if any, is written in FORMAT_VERSION."""
    path = Path(directory) / STORIES_NAME
    if not path.exists():
        return True
    try:
        with open(path, "rb") as f, np.load(f) as data:
            return int(data["version"][0]) == FORMAT_VERSION
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
        return True  # nothing to upgrade: it reads as no stories either way


def upgrade(directory: Path) -> None:
    """Write the generation's stories file again in FORMAT_VERSION when an older one is there
    (`telusur optimize --upgrade-only`); the file is replaced, not rewritten."""
    if not is_current(directory):
        table = load_stories(directory)
        if table is not None:
            table.save(directory)


def _text_array(texts: list[str]) -> np.ndarray:
    """Ids as one UTF-8 array, newline-separated (an id is printable: no newline), so that
    the file needs no pickle to read."""
    return np.frombuffer("\n".join(texts).encode("utf-8"), dtype=np.uint8)


def _texts(array: np.ndarray) -> list[str]:
    text = array.tobytes().decode("utf-8")
    return text.split("\n") if text else []


def _find(parent: dict[int, int] | list[int], x: int) -> int:
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


def _union(parent: dict[int, int] | list[int], a: int, b: int) -> None:
    ra, rb = _find(parent, a), _find(parent, b)
    if ra != rb:
        parent[max(ra, rb)] = min(ra, rb)
