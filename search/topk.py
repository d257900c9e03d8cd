"""Relevance top-k with numpy: the matching mask and every document's BM25F score in one pass
over the postings, then Whoosh's own scores for the few documents that can make the page.

Whoosh's collector scores every matching document in Python (~2 µs per document per term, so
~30 ms for `indonesia` at 22k articles, ten times that at 220k). Here a term's postings are read
a block at a time and scored as arrays with the same formula (`whoosh.scoring.bm25`, same
operations in the same order). Sums over terms may round differently from Whoosh's matcher tree
in the last bit, so the documents within a hair of the k-th score are re-scored by Whoosh's own
matchers (`skip_to` + `score`): the returned (docnum, score) list is exactly what
`searcher.search(q, filter=..., limit=k)` returns.

`ScoreUnsupported` is raised for what this does not model (query boosts, other weightings,
Every); the caller then uses Whoosh's collector. Phrases are scored by Whoosh (one unlimited
search per phrase) and combined like any other leaf.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from itertools import chain
from operator import itemgetter
from typing import Any

import numpy as np
from whoosh import query as wq
from whoosh.matching.binary import (
    AndMaybeMatcher,
    AndNotMatcher,
    IntersectionMatcher,
    UnionMatcher,
)
from whoosh.matching.combo import ArrayUnionMatcher
from whoosh.matching.mcore import LeafMatcher, ListMatcher, NullMatcherClass
from whoosh.matching.wrappers import FilterMatcher, WrappingMatcher
from whoosh.query.spans import SpanNear2
from whoosh.scoring import BM25F

from index_format import field_lengths
from index_format.codec.packed import packed_postings
from index_format.codec.positions import IndonesianPositions
from index_format.codec.postings import V_POS, Postings, decode_positions
from index_format.sorted_sets import sorted_distinct
from search import score_tree
from search.memo import Memo

# A term's scores at some documents are computed for those alone when they are fewer than
# its postings by this factor (a binary search each); else all its postings are scored.
_LOOKUP_SHARE = 4
# Documents whose approximate score is within this share of the k-th score are re-scored
# exactly (the approximation differs from Whoosh's by a few units in the last place).
BAND = 1e-9
# What a generation works out for a query's words is kept for the next request, within these
# many bytes a worker (32 MB together at most): a query comes back with its pages, filters and
# sorts, its words and synonyms with other queries.
# - The phrases it found (their documents and words' frequencies there): a synonym's spelling
#   ("komisi pemberantasan korupsi" for `kpk`) or a name's; finding one decodes positions.
PHRASE_BYTES = 8 << 20
# - A term's live postings (documents, weights, mask, scores), gathered from every segment
#   (19 lookups a term at 220k articles).
TERM_BYTES = 16 << 20
# - A word's postings across the segments with their positions' readers, for the phrases and
#   the proximity re-rank of a page's head.
SPREAD_BYTES = 8 << 20
# - Which of a page's candidates hold a phrase (TopK.holds): a name's tier among the best-scored
#   documents of a query, asked again with its pages and sorts (a byte a candidate).
HELD_BYTES = 2 << 20


# `kth_largest` bounds the k-th score first by the maxima of blocks of these many scores, the
# largest size that makes at least 2k blocks (fewer than 32 a block gained nothing measured).
KTH_BLOCKS = (64, 32)


def kth_largest(values: np.ndarray, k: int) -> float:
    """The k-th largest of `values` (1 <= k <= values.size), as
    np.partition(values, values.size - k)[values.size - k] finds it, in a fraction of its
    time on many values (k = 30: 35 -> 13 µs on 4,000 scores, 150 -> 32 on 20,000): k blocks
    whose maxima are the k largest maxima hold k values at least the smallest of those
    maxima, so the k-th largest is at least that; only the values from there up are
    partitioned."""
    n = values.size
    for size in KTH_BLOCKS:
        blocks = n // size
        if blocks < 2 * k:
            continue
        maxima = values[: blocks * size].reshape(blocks, size).max(axis=1)
        low = np.partition(maxima, blocks - k)[blocks - k]
        # (NaN, the largest to np.partition, fails every >=: then the whole partition)
        if not (np.isnan(maxima).any() or np.isnan(values[blocks * size :]).any()):
            values = values[values >= low]
            n = values.size
        break
    return float(np.partition(values, n - k)[n - k])


def _pick(values: list[Any], rows: np.ndarray) -> list[Any]:
    """values[i] for each i of rows."""
    if rows.size == 0:
        return []
    if rows.size == 1:
        return [values[int(rows[0])]]
    return list(itemgetter(*rows.tolist())(values))


def _positions(fmt: Any, values: list[bytes]) -> tuple[np.ndarray, np.ndarray]:
    """How many positions each encoded value holds, and all of them in a row."""
    counts = np.fromiter(map(len, values), dtype=np.int64, count=len(values))
    if isinstance(fmt, IndonesianPositions) and values:
        raw = np.frombuffer(b"".join(values), dtype=np.uint8)
        if int(raw.max()) < 128:  # every gap one byte (nearly always): one position per byte
            total = np.cumsum(raw, dtype=np.int64)
            starts = np.cumsum(counts) - counts
            before = np.where(starts > 0, total[np.maximum(starts - 1, 0)], 0)
            return counts, total - np.repeat(before, counts)
    positions = [fmt.decode_positions(v) for v in values]
    counts = np.fromiter(map(len, positions), dtype=np.int64, count=len(positions))
    return counts, np.fromiter(chain.from_iterable(positions), dtype=np.int64)


def _tree_sum(parts: list[np.ndarray]) -> np.ndarray:
    """Sums in the order of whoosh.util.make_binary_tree (a + (b + c) for three parts)."""
    if len(parts) == 1:
        return parts[0]
    half = len(parts) // 2
    total: np.ndarray = _tree_sum(parts[:half]) + _tree_sum(parts[half:])
    return total


def _within(found: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """The values of `found` that `keys` holds, both sorted and distinct (np.intersect1d
    without sorting both together)."""
    if found.size * MERGE_SHARE >= keys.size:
        # Of like sizes: merged (a stable sort of two sorted runs is timsort's linear merge),
        # a value held by both then stands twice in a row. A binary search per value went
        # all over `keys` (300k in 500k: 10.3 -> 5.8 ms).
        both = np.concatenate((found, keys))
        both.sort(kind="stable")
        twice = both[1:] == both[:-1]
        return both[:-1][twice]
    at = np.searchsorted(keys, found)
    ok = at < keys.size
    ok[ok] = keys[at[ok]] == found[ok]
    return found[ok]


def _members(found: np.ndarray, docs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Which of `docs` the sorted array `found` holds, and where each is (or would be) in it."""
    rows = np.searchsorted(found, docs)
    ok = rows < found.size
    ok[ok] = found[rows[ok]] == docs[ok]
    return ok, rows


# `_within` merges the two sorted arrays when the first holds at least 1 / MERGE_SHARE of the
# second's values (50k in 800k: a binary search each 2.2 ms, merged 2.4).
MERGE_SHARE = 8


def _phrase_starts(
    fmt: Any, words: list[str], post: dict[str, _Spread], rows: dict[str, np.ndarray]
) -> np.ndarray:
    """Keys (document's number in the common documents << 32) + position of the first word,
    sorted, for each place where the phrase's words stand one after another. `rows[w]`: each
    common document's row in the postings of w.

    The rarest word goes first and each next word decodes the positions of the documents still
    in the running only: a phrase of common words (`uu kpk`) then reads a few documents'
    positions, not every document holding all its words."""
    order = sorted(range(len(words)), key=lambda k: post[words[k]].ids.size)
    cand = np.arange(rows[words[0]].size, dtype=np.int64)
    found: np.ndarray | None = None
    for k in order:
        p = post[words[k]]
        counts, flat = p.positions(fmt, rows[words[k]][cand])
        keys = (np.repeat(cand, counts) << 32) + flat - k
        if k:  # the k-th word before position k starts no phrase (and its key would be
            keys = keys[flat >= k]  # another document's)
        if keys.size > 1 and not bool((keys[1:] > keys[:-1]).all()):
            keys = np.unique(keys)  # (positions repeated within a document)
        found = keys if found is None else _within(found, keys)
        if found.size == 0:
            break
        cand = sorted_distinct(found >> 32)
    assert found is not None
    return found


class ScoreUnsupported(Exception):
    """The query holds something the numpy scorer does not model."""


class Scored:
    """A query's matching documents (mask) and their approximate scores (0 elsewhere).

    The scores are worked out when first asked for: counting (totals, facets, a date sort,
    a name's tier, a match mode's word counts) reads the mask only, and the BM25F arithmetic
    over every posting is then never done."""

    __slots__ = ("__weakref__", "_at", "_make", "_score", "exact", "leaves", "mask")

    def __init__(
        self,
        mask: np.ndarray,
        score: np.ndarray | Callable[[], np.ndarray],
        exact: bool = True,
        at: Callable[[np.ndarray], np.ndarray] | None = None,
    ) -> None:
        self.mask = mask
        self._score: np.ndarray | None = None
        self._make: Callable[[], np.ndarray] | None = None
        if isinstance(score, np.ndarray):
            self._score = score
        else:
            self._make = score
        self._at = at
        # The query's terms and phrases, each Scored (exact), for re-adding in Whoosh's order.
        self.leaves: Leaves = {}
        # Bit for bit Whoosh's score: a leaf, or a sum of two exact parts (a + b rounds the same
        # in either order; three or more parts may be added in another order by Whoosh's tree).
        self.exact = exact

    @property
    def score(self) -> np.ndarray:
        if self._score is None:
            assert self._make is not None
            self._score, self._make = self._make(), None
        return self._score

    def at(self, docs: np.ndarray) -> np.ndarray:
        """score[docs] (`docs` sorted, distinct), bit for bit, computed for those documents
        only when that is cheaper: an And of a rare and a common word scores the common
        word's postings in the documents holding both, not in all of its documents."""
        if self._score is not None or self._at is None:
            return self.score[docs]
        return self._at(docs)


def _length_norms(lengths: np.ndarray, B: float, K1: float, avgfl: float) -> np.ndarray | None:
    """`K1 * ((1 - B) + B * fl / avgfl)` of BM25 for every length fl up to the longest, as
    `bm25` works it out for a document of that length (the same operations on the same
    integer lengths: the same bits). A term's scores then gather it at their documents'
    lengths: one gather where there were a gather and four passes over its postings
    (`indonesia` at 2.2M articles: 939k). None for lengths not held as whole numbers (an
    index's lengths derived at open are float64) or too long to table."""
    if lengths.dtype.kind != "u" or lengths.size == 0:
        return None
    longest = int(lengths.max())
    if longest > NORM_TABLE_MAX:
        return None
    return _length_norm(np.arange(longest + 1, dtype=lengths.dtype), B, K1, avgfl)


def _length_norm(fl: np.ndarray, B: float, K1: float, avgfl: float) -> np.ndarray:
    """BM25's `K1 * ((1 - B) + B * fl / avgfl)` at lengths `fl` (tabled or per posting: one
    expression, so both give the same bits)."""
    norm: np.ndarray = K1 * ((1 - B) + B * fl / avgfl)
    return norm


# The longest field length `_length_norms` tables (byte-quantised lengths reach 106,374: an
# 850 kB table at most).
NORM_TABLE_MAX = 1 << 20


def _nothing(mask: np.ndarray) -> Scored:
    """What matches no document (`mask` all False): its scores zeros, made only if asked
    for (an array of the index's size, 8 bytes a document)."""
    return Scored(mask, lambda: np.zeros(mask.size, dtype=np.float64), True, _zeros_at)


def _zeros_at(docs: np.ndarray) -> np.ndarray:
    return np.zeros(docs.size, dtype=np.float64)


# A query's terms ("t", field, text) and phrases ("p", field, words), each evaluated (Scored).
Leaves = dict[tuple[Any, ...], Scored]


class _TermHits:
    """One term's live postings in every segment: documents, weights, and (once asked for)
    its BM25F score in each. (Kept as found: narrowing them for the memo, as a phrase's are,
    cost ~1.5 ms a common word at each request, and a common word's entry at 2.2M articles
    outgrows the memo's budget either way, so the bench's mix at 2.2M found 2 of 173 terms
    in it.)"""

    __slots__ = ("_mask", "ids", "scores", "size", "weights")

    def __init__(self, ids: np.ndarray, weights: np.ndarray, size: int) -> None:
        self.ids = ids
        self.weights = weights
        self.size = size
        self._mask = _held_mask(size, ids, 3 * ids.itemsize)
        self.scores: np.ndarray | None = None

    @property
    def mask(self) -> np.ndarray:
        """Its documents marked over the index's (read-only: a request must not change it)."""
        return self._mask if self._mask is not None else _mask(self.size, self.ids)

    @property
    def nbytes(self) -> int:
        """Its bytes, its scores' counted in before they are worked out."""
        held = self._mask.nbytes if self._mask is not None else 0
        return int(self.ids.nbytes + self.weights.nbytes + 8 * self.ids.size + held)


def _mask(size: int, docs: np.ndarray) -> np.ndarray:
    """A read-only mask of `docs` (kept for the generation: a request must not change it)."""
    mask = np.zeros(size, dtype=bool)
    mask[docs] = True
    mask.flags.writeable = False
    return mask


def _held_mask(size: int, docs: np.ndarray, per_doc: int) -> np.ndarray | None:
    """The mask a memo entry keeps with its `docs` (`per_doc` bytes of its arrays a document),
    or None: made again at each request then. A mask costs a byte for every document of the
    index (2.2 MB at 2.2M articles), so kept with a word or phrase in few documents it was most
    of the entry, and the memo's budget held a handful of them; marking a few documents again
    costs less than finding them again (a phrase decodes positions)."""
    if docs.size * per_doc < size:
        return None
    return _mask(size, docs)


class _PhraseHits:
    """Where one phrase stands: its live documents, and each word's frequency in them, kept
    in the narrowest types that hold them exactly (`docs` and `tf_of` give them back as found):
    a phrase of common words at 2.2M articles (`revisi uu kpk`: 114k documents) took 5.9 MB as
    int64 numbers and float64 frequencies, 0.8 MB so, and the mix's phrases (23.7 MB: more than
    the memo's budget, so that none was ever found again) fit in 4 MB."""

    __slots__ = ("_docs", "_mask", "_tf", "size")

    def __init__(self, docs: np.ndarray, tf: dict[str, np.ndarray], size: int) -> None:
        self._docs = _narrow(docs)
        self._tf = {w: _narrow(a) for w, a in tf.items()}
        self.size = size
        per_doc = self._docs.itemsize + sum(a.itemsize for a in self._tf.values())
        self._mask = _held_mask(size, docs, per_doc)

    @property
    def docs(self) -> np.ndarray:
        """Its documents (int64, sorted)."""
        return self._docs.astype(np.int64, copy=False)

    def tf_of(self, word: str, rows: np.ndarray | None = None) -> np.ndarray:
        """The word's frequencies (float64) in its documents, or in those at `rows`."""
        tf = self._tf[word]
        return (tf if rows is None else tf[rows]).astype(np.float64, copy=False)

    @property
    def mask(self) -> np.ndarray:
        """Its documents marked over the index's (read-only: a request must not change it)."""
        return self._mask if self._mask is not None else _mask(self.size, self._docs)

    @property
    def nbytes(self) -> int:
        held = self._mask.nbytes if self._mask is not None else 0
        return int(self._docs.nbytes + sum(a.nbytes for a in self._tf.values()) + held)


def _narrow(values: np.ndarray) -> np.ndarray:
    """`values` (int64 document numbers, float64 frequencies) in the narrowest of uint8,
    uint16 and int32 that gives every value back exactly (astype), else as they are."""
    if values.size == 0 or values.dtype.itemsize <= 1:
        return values
    low, high = values.min(), values.max()
    for kind in (np.uint8, np.uint16, np.int32):
        if np.dtype(kind).itemsize >= values.dtype.itemsize:
            break
        info = np.iinfo(kind)
        if info.min <= low and high <= info.max:
            narrow = values.astype(kind)
            if np.array_equal(narrow, values):  # (whole numbers only: frequencies are)
                return narrow
            break
    return values


class _Postings:
    """One term's postings in one segment: document numbers, weights and (when asked for) the
    encoded values (positions), or the packed postings that decode them."""

    __slots__ = ("ids", "packed", "values", "weights")

    def __init__(
        self,
        ids: np.ndarray,
        weights: np.ndarray,
        values: list[Any] | None,
        packed: Postings | None = None,
    ) -> None:
        self.ids = ids
        self.weights = weights
        self.values = values
        self.packed = packed

    def positions(self, fmt: Any, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """How many positions each of `rows` (sorted) holds, and all of them in a row."""
        packed = self.packed
        if packed is None or packed.vmode != V_POS:
            if self.values is None:
                self.values = packed.values() if packed is not None else []
            return _positions(fmt, _pick(self.values, rows))
        return packed.positions_of(rows)


class _Spread:
    """One word's postings in every segment, end to end: global document numbers (sorted, as
    the segments' offsets are), weights, and positions read from each segment's postings. A
    phrase is then searched once over the index, not once per segment (at 220k articles in 19
    segments, the per-segment calls cost more than the search).

    The segments' documents and weights are joined when first asked for (`ids`, `weights`):
    the proximity re-rank looks a page's candidates up segment by segment (`find`), where
    joining a common word's postings (`kpk`: 413k at 2.2M articles) cost ~2 ms a word."""

    __slots__ = ("_ids", "_weights", "offsets", "parts", "starts")

    def __init__(self, parts: list[tuple[int, _Postings]]) -> None:
        self.parts = [p for _, p in parts]
        self.offsets = [offset for offset, _ in parts]  # each part's segment's first document
        sizes = [p.ids.size for p in self.parts]
        self.starts = np.cumsum([0, *sizes])  # each part's first row
        self._ids: np.ndarray | None = None
        self._weights: np.ndarray | None = None

    @property
    def ids(self) -> np.ndarray:
        """Every part's documents (global numbers), end to end."""
        if self._ids is None:
            self._ids = np.concatenate(
                [p.ids + offset for offset, p in zip(self.offsets, self.parts, strict=True)]
            )
        return self._ids

    @property
    def weights(self) -> np.ndarray:
        """Every part's weights, end to end."""
        if self._weights is None:
            self._weights = np.concatenate([p.weights for p in self.parts])
        return self._weights

    def find(self, docs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Which of `docs` (global numbers, sorted) the word is in (their indices in `docs`)
        and their rows (in `ids`): looked up in each segment's postings, none joined."""
        hits, rows = [], []
        cuts = [*np.searchsorted(docs, self.offsets).tolist(), docs.size]
        for k, part in enumerate(self.parts):
            if cuts[k + 1] > cuts[k]:
                # (a document of a later segment lacking the word is past this part's
                # documents: never found in it)
                local = docs[cuts[k] : cuts[k + 1]] - self.offsets[k]
                ok, at = _members(part.ids, local)
                held = np.flatnonzero(ok)
                hits.append(held + cuts[k])
                rows.append(at[held] + self.starts[k])
        if not hits:
            none = np.zeros(0, dtype=np.int64)
            return none, none
        return np.concatenate(hits), np.concatenate(rows)

    def weights_at(self, rows: np.ndarray) -> np.ndarray:
        """weights[rows] (`rows` sorted), from each part's weights."""
        if self._weights is not None:
            return self._weights[rows]
        cuts = np.searchsorted(rows, self.starts).tolist()
        picked = [
            part.weights[rows[cuts[k] : cuts[k + 1]] - self.starts[k]]
            for k, part in enumerate(self.parts)
            if cuts[k + 1] > cuts[k]
        ]
        return np.concatenate(picked) if picked else np.zeros(0, dtype=np.float64)

    @property
    def nbytes(self) -> int:
        """Its arrays' bytes and, roughly, those of the segments' postings it keeps alive
        (their encoded bytes and decoded documents, frequencies and offsets)."""
        held = sum(p.ids.nbytes + p.weights.nbytes for p in self.parts)
        joined = sum(a.nbytes for a in (self._ids, self._weights) if a is not None)
        return int(2 * held + joined)

    def position_bytes(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """How many positions each of `rows` (sorted) holds, and their encoded bytes end to
        end (index_format.codec.postings.decode_positions). Raises ScoreUnsupported for
        postings without positions."""
        cuts = np.searchsorted(rows, self.starts).tolist()
        counts, encoded = [], []
        for k, part in enumerate(self.parts):
            if cuts[k + 1] > cuts[k]:
                packed = part.packed
                if packed is None or packed.vmode != V_POS:
                    raise ScoreUnsupported("postings without positions")
                c, raw = packed.position_bytes(rows[cuts[k] : cuts[k + 1]] - self.starts[k])
                counts.append(c)
                encoded.append(raw)
        if len(counts) == 1:
            return counts[0], encoded[0]
        if not counts:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.uint8)
        return np.concatenate(counts), np.concatenate(encoded)

    def positions(self, fmt: Any, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """How many positions each of `rows` (sorted) holds, and all of them in a row."""
        cuts = np.searchsorted(rows, self.starts).tolist()
        picked = [
            (part, rows[cuts[k] : cuts[k + 1]] - self.starts[k])
            for k, part in enumerate(self.parts)
            if cuts[k + 1] > cuts[k]
        ]
        if not picked:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        if all(part.packed is not None and part.packed.vmode == V_POS for part, _ in picked):
            # The segments' encoded positions end to end, decoded in one go.
            counts, encoded = self.position_bytes(rows)
            return counts, decode_positions(counts, encoded)
        pairs = [part.positions(fmt, r) for part, r in picked]
        return np.concatenate([c for c, _ in pairs]), np.concatenate([f for _, f in pairs])


def segment_postings(sub: Any, fieldname: str, text: str) -> _Postings | None:
    """A term's postings in one segment as arrays (None: not there). Every segment is in the
    packed format (index_format.generations.open_index refuses others)."""
    post = packed_postings(sub.reader(), fieldname, text)
    return None if post is None else _Postings(post.ids, post.weights, None, post)


class TopK:
    """Numpy BM25F scoring for one index generation (searcher)."""

    def __init__(self, searcher: Any, live: np.ndarray) -> None:
        self.searcher = searcher
        self.live = live
        self.size = live.size
        self.leaves = list(searcher.leaf_searchers())
        # Per segment, whether every one of its documents is live: its postings need no
        # filtering then (a gather and two copies of a common term's ~1M postings at 2.2M).
        ends = [offset for _, offset in self.leaves[1:]] + [self.size]
        self._all_live = [
            bool(live[offset:end].all()) for (_, offset), end in zip(self.leaves, ends, strict=True)
        ]
        w = searcher.weighting
        # Only the plain BM25F model (no per-field B, no final()) is modelled.
        self.supported = type(w) is BM25F and not w._field_B and not w.use_final
        self.B: float = w.B if self.supported else 0.0
        self.K1: float = w.K1 if self.supported else 0.0
        self._lengths: dict[str, np.ndarray] = {}
        self._avgfl: dict[str, float] = {}
        # Per field, BM25's length normalisation by length (_length_norms; None: not tabled).
        self._norms: dict[str, np.ndarray | None] = {}
        # Worked out once per generation: queries' matcher-tree shapes by segment, phrases.
        self._shapes: Memo[Any, dict[int, score_tree.Node]] = Memo()
        self._phrases: Memo[tuple[str, tuple[str, ...]], _PhraseHits] = Memo(
            4096, PHRASE_BYTES, lambda hits: hits.nbytes
        )
        self._terms: Memo[tuple[str, str], _TermHits] = Memo(
            65536, TERM_BYTES, lambda held: held.nbytes
        )
        self._spreads: Memo[tuple[str, str], _Spread | None] = Memo(
            4096, SPREAD_BYTES, lambda spread: spread.nbytes if spread is not None else 0
        )
        self._held: Memo[tuple[Any, ...], np.ndarray] = Memo(
            4096, HELD_BYTES, lambda held: held.nbytes
        )

    def lengths(self, fieldname: str) -> np.ndarray:
        """Each document's field length as Whoosh's scorer sees it (byte-quantised)."""
        got = self._lengths.get(fieldname)
        if got is None:
            got = self._lengths[fieldname] = field_lengths.derive(self.searcher, fieldname)
        return got

    def use_lengths(self, lengths: dict[str, np.ndarray]) -> None:
        """Take fields' lengths as the generation's build wrote them (index_format.derived)."""
        self._lengths.update(lengths)
        self._norms.clear()  # (tabled from the lengths they replace)

    def count(self, q: Any) -> int:
        """How many live documents match q (a postings list's document frequency counts the
        deleted ones too, until a merge)."""
        try:
            return int(self.evaluate(q).mask.sum())
        except ScoreUnsupported:  # another weighting: Whoosh finds them
            return len(set(self.searcher.docs_for_query(q)))

    # -- approximate scores --------------------------------------------------------------

    def evaluate(self, q: Any, known: Leaves | None = None) -> Scored:
        """q's matching documents and approximate scores (exact where `Scored.exact`).

        `known`: the terms and phrases a request already evaluated on this generation (an
        earlier `Scored.leaves`); they are taken from it, and q's new ones added to it, so a
        request's later queries (its relaxed query, its names, its words one by one) read
        each term's postings once."""
        leaves: Leaves = {} if known is None else known
        out = self._eval(q, leaves)
        if any(leaf is out for leaf in leaves.values()):
            # q is one of its leaves (a term, a phrase): a stand-in that shares its scores, so
            # that the leaves do not hold the Scored that holds them. Such a cycle kept its
            # archive-sized arrays alive until the cyclic GC ran (it counts objects, not
            # bytes): ~450 MB of a worker's private memory after the bench's mix at 2.2M.
            leaf = out
            out = Scored(leaf.mask, lambda: leaf.score, leaf.exact, leaf.at)
        out.leaves = leaves
        return out

    def _eval(self, q: Any, leaves: Leaves) -> Scored:
        if not self.supported:
            raise ScoreUnsupported("weighting")
        if q is wq.NullQuery or isinstance(q, type(wq.NullQuery)):
            zero = np.zeros(self.size, dtype=bool)
            return _nothing(zero)
        if getattr(q, "boost", 1.0) != 1.0:
            raise ScoreUnsupported("boost")
        if isinstance(q, wq.Term):
            key = ("t", q.fieldname, q.text)
            got = leaves.get(key)
            if got is None:
                got = leaves[key] = self._term(q.fieldname, q.text)
            return got
        if isinstance(q, (wq.And, wq.Or)) and q.subqueries:
            parts = [self._eval(sq, leaves) for sq in q.subqueries]
            both = isinstance(q, wq.And)
            # Part by part (ufunc.reduce over a list stacks it into one array first: ~4x the
            # time for two parts).
            combine = np.logical_and if both else np.logical_or
            mask = combine(parts[0].mask, parts[1].mask) if len(parts) > 1 else parts[0].mask.copy()
            for p in parts[2:]:
                combine(mask, p.mask, out=mask)

            def added() -> np.ndarray:
                score = parts[0].score.copy()
                for p in parts[1:]:
                    score += p.score
                if both:
                    score[~mask] = 0.0
                return score

            def added_at(docs: np.ndarray) -> np.ndarray:
                # (an And's documents are the first part's: only they are looked up after)
                held = docs[mask[docs]] if both else docs
                score = parts[0].at(held).copy()
                for p in parts[1:]:
                    score += p.at(held)
                if not both:
                    return score
                out = np.zeros(docs.size, dtype=np.float64)
                out[mask[docs]] = score
                return out

            exact = len(parts) <= 2 and all(p.exact for p in parts)
            return Scored(mask, added, exact, added_at)
        if isinstance(q, wq.AndNot):
            a, b = self._eval(q.a, leaves), self._eval(q.b, leaves)
            kept = a.mask & ~b.mask
            return Scored(
                kept,
                lambda: np.where(kept, a.score, 0.0),
                a.exact,
                lambda docs: np.where(kept[docs], a.at(docs), 0.0),
            )
        if isinstance(q, wq.AndMaybe):
            a, b = self._eval(q.a, leaves), self._eval(q.b, leaves)

            def maybe() -> np.ndarray:
                return a.score + np.where(a.mask, b.score, 0.0)

            def maybe_at(docs: np.ndarray) -> np.ndarray:
                return a.at(docs) + np.where(a.mask[docs], b.at(docs), 0.0)

            return Scored(a.mask, maybe, a.exact and b.exact, maybe_at)
        if isinstance(q, wq.Phrase):
            key = ("p", q.fieldname, tuple(q.words))
            if q.slop != 1:  # (keyed without the slop: only Phrase's own slop is kept)
                return self._phrase(q)
            got = leaves.get(key)
            if got is None:
                got = leaves[key] = self._phrase(q)
            return got
        raise ScoreUnsupported(type(q).__name__)

    def bm25(self, fieldname: str, text: str, ids: np.ndarray, tf: np.ndarray) -> np.ndarray:
        """whoosh.scoring.bm25 for one term's postings, operation for operation."""
        idf = self.searcher.idf(fieldname, text)
        avgfl = self._avgfl.get(fieldname)
        if avgfl is None:  # (Whoosh sums it over the segments at every call)
            avgfl = self._avgfl[fieldname] = self.searcher.avg_field_length(fieldname) or 1
        B, K1 = self.B, self.K1
        lengths = self.lengths(fieldname)
        norm = self._norms.get(fieldname)
        if norm is None and fieldname not in self._norms:
            norm = self._norms[fieldname] = _length_norms(lengths, B, K1, avgfl)
        if norm is not None:  # (the same bits: the same operations on the same lengths)
            scores: np.ndarray = idf * ((tf * (K1 + 1)) / (tf + norm[lengths[ids]]))
            return scores
        scores = idf * ((tf * (K1 + 1)) / (tf + _length_norm(lengths[ids], B, K1, avgfl)))
        return scores

    def _scorable(self, fieldname: str) -> None:
        schema = self.searcher.schema
        if fieldname not in schema or not schema[fieldname].scorable:
            raise ScoreUnsupported(f"unscorable field {fieldname}")

    def _term(self, fieldname: str, text: str) -> Scored:
        self._scorable(fieldname)
        key = (fieldname, text)
        held = self._terms.get(key)
        if held is None:
            held = self._term_postings(fieldname, text)
            self._terms.put(key, held)
        ids, weights, mask = held.ids, held.weights, held.mask
        if ids.size == 0:
            return _nothing(mask)

        def scores() -> np.ndarray:
            if held.scores is None:
                held.scores = self.bm25(fieldname, text, ids, weights)
            score = np.zeros(self.size, dtype=np.float64)
            score[ids] = held.scores
            return score

        def scores_at(docs: np.ndarray) -> np.ndarray:
            if docs.size * _LOOKUP_SHARE > ids.size:  # most postings: score them all
                if held.scores is None:
                    held.scores = self.bm25(fieldname, text, ids, weights)
                # The documents holding the term, and their rows in its postings (both in
                # order): marks over the index's documents (1 byte each) instead of spreading
                # the scores over it (8 bytes each) and gathering them back.
                hit = mask[docs]
                out = np.zeros(docs.size, dtype=np.float64)
                if np.count_nonzero(hit) == ids.size:  # every posting (an Or: a word's fields)
                    out[hit] = held.scores
                else:
                    wanted = np.zeros(self.size, dtype=bool)
                    wanted[docs] = True
                    out[hit] = held.scores[wanted[ids]]
                return out
            rows = np.searchsorted(ids, docs)
            hit = mask[docs]
            out = np.zeros(docs.size, dtype=np.float64)
            if held.scores is not None:  # (the same bits: bm25 works element by element)
                out[hit] = held.scores[rows[hit]]
            else:
                out[hit] = self.bm25(fieldname, text, docs[hit], weights[rows[hit]])
            return out

        return Scored(mask, scores, True, scores_at)

    def _term_postings(self, fieldname: str, text: str) -> _TermHits:
        """A term's live documents (global numbers, sorted) and its weights in them."""
        parts = []
        for (sub, offset), all_live in zip(self.leaves, self._all_live, strict=True):
            p = segment_postings(sub, fieldname, text)
            if p is not None:
                ids, weights = p.ids, p.weights
                if not all_live:
                    live = self.live[ids + offset]
                    ids, weights = ids[live], weights[live]
                parts.append((offset, ids, weights))
        if not parts:
            none = np.zeros(0, dtype=np.int64)
            return _TermHits(none, np.zeros(0, dtype=np.float64), self.size)
        if len(parts) == 1:
            offset, ids, weights = parts[0]
            return _TermHits(ids + offset, weights, self.size)
        # Each segment's part written into its place at once: a common word's 1M postings at
        # 2.2M articles in six segments were shifted into new arrays, then copied together.
        n = sum(ids.size for _, ids, _ in parts)
        all_ids = np.empty(n, dtype=np.result_type(*(ids for _, ids, _ in parts)))
        all_weights = np.empty(n, dtype=np.result_type(*(w for _, _, w in parts)))
        at = 0
        for offset, ids, weights in parts:
            np.add(ids, offset, out=all_ids[at : at + ids.size])
            all_weights[at : at + ids.size] = weights
            at += ids.size
        return _TermHits(all_ids, all_weights, self.size)

    def spread(self, fieldname: str, text: str) -> _Spread | None:
        """A word's postings in every segment end to end (None: no segment holds it), once
        per generation."""
        key = (fieldname, text)
        if key in self._spreads:
            return self._spreads.get(key)
        parts = [(offset, segment_postings(sub, fieldname, text)) for sub, offset in self.leaves]
        held = [(offset, p) for offset, p in parts if p is not None and p.ids.size]
        spread = _Spread(held) if held else None
        self._spreads.put(key, spread)
        return spread

    def _phrase(self, q: Any) -> Scored:
        """Words at consecutive positions (Whoosh's Phrase: SpanNear2 with slop 1), scored as
        Whoosh does: the words' BM25F scores added as its binary tree of matchers adds them."""
        fieldname, words = q.fieldname, list(q.words)
        schema = self.searcher.schema
        if (
            q.slop != 1
            or len(words) < 2
            or fieldname not in schema
            or not schema[fieldname].format.supports("positions")
        ):
            return self._whoosh_leaf(q)
        self._scorable(fieldname)
        key = (fieldname, tuple(words))
        hits = self._phrases.get(key)
        if hits is None:
            hits = self._phrase_hits(schema[fieldname].format, fieldname, words)
            self._phrases.put(key, hits)
        docs, mask = hits.docs, hits.mask
        if docs.size == 0:
            return _nothing(mask)

        def scores() -> np.ndarray:
            parts = [self.bm25(fieldname, w, docs, hits.tf_of(w)) for w in words]
            score = np.zeros(self.size, dtype=np.float64)
            score[docs] = _tree_sum(parts)
            return score

        def scores_at(at: np.ndarray) -> np.ndarray:
            # Only the phrase's documents among `at` scored (the same bits: bm25 and the sum
            # work element by element), not an array of the index's size (8 bytes a document,
            # 17.6 MB at 2.2M articles, made for each phrase of a query).
            hit = mask[at]
            out = np.zeros(at.size, dtype=np.float64)
            held = at[hit]
            if held.size:
                rows = np.searchsorted(docs, held)
                parts = [self.bm25(fieldname, w, held, hits.tf_of(w, rows)) for w in words]
                out[hit] = _tree_sum(parts)
            return out

        return Scored(mask, scores, True, scores_at)

    def _phrase_hits(self, fmt: Any, fieldname: str, words: list[str]) -> _PhraseHits:
        """The live documents where `words` stand one after another, and each word's
        frequency in them."""
        distinct = list(dict.fromkeys(words))
        nothing = np.zeros(0, dtype=np.int64)
        none = _PhraseHits(nothing, {}, self.size)
        post: dict[str, _Spread] = {}
        for w in distinct:
            spread = self.spread(fieldname, w)
            if spread is None:
                return none  # (a word no segment holds: nothing)
            post[w] = spread
        # The live documents holding every word, counted on the index's documents (a gather
        # per word, where intersecting sorted lists took a binary search per document).
        holding = np.zeros(self.size, dtype=np.int8 if len(distinct) < 127 else np.int32)
        for p in post.values():
            holding[p.ids] += 1
        in_all = (holding == len(distinct)) & self.live
        common = np.flatnonzero(in_all)
        if common.size == 0:
            return none
        # Each common document's row in each word's postings, in order: a gather of the mask
        # over the postings (a binary search per document cost several times more at 2.2M).
        rows = {w: np.flatnonzero(in_all[post[w].ids]) for w in distinct}
        found = _phrase_starts(fmt, words, post, rows)
        if found.size == 0:
            return none
        at = sorted_distinct(found >> 32)
        docs = common[at]
        tf = {w: post[w].weights[rows[w][at]] for w in distinct}
        return _PhraseHits(docs, tf, self.size)

    def holds(self, q: Any, docs: np.ndarray) -> np.ndarray:
        """Which of `docs` (live, sorted, distinct) q matches: `evaluate(q).mask[docs]`, with a
        phrase (a name's tier) searched among `docs` only. A name's phrase at 2.2M articles
        (`revisi uu kpk`: 114k documents) decoded the positions of every document holding its
        words, ~100 ms; a page's few thousand candidates read theirs alone."""
        if not self.supported or getattr(q, "boost", 1.0) != 1.0:
            raise ScoreUnsupported("weighting or boost")
        if isinstance(q, (wq.And, wq.Or)) and q.subqueries:
            combine = np.logical_and if isinstance(q, wq.And) else np.logical_or
            out = self.holds(q.subqueries[0], docs)
            for sq in q.subqueries[1:]:
                combine(out, self.holds(sq, docs), out=out)
            return out
        schema = self.searcher.schema
        if (
            isinstance(q, wq.Phrase)
            and q.slop == 1
            and len(q.words) >= 2
            and q.fieldname in schema
            and schema[q.fieldname].format.supports("positions")
        ):
            self._scorable(q.fieldname)
            hits = self._phrases.get((q.fieldname, tuple(q.words)))
            if hits is not None:  # searched in full already
                return _members(hits.docs, docs)[0]
            # The same candidates come back with the query (its pages, a reload): by a digest.
            digest = hashlib.blake2b(np.ascontiguousarray(docs).data, digest_size=16).digest()
            key = (q.fieldname, tuple(q.words), docs.size, docs.dtype.str, digest)
            held = self._held.get(key)
            if held is None:
                fmt = schema[q.fieldname].format
                held = self._phrase_at(fmt, q.fieldname, list(q.words), docs)
                held.flags.writeable = False
                self._held.put(key, held)
            return held.copy()
        return self.evaluate(q).mask[docs]  # (a gather: a new array the caller may change)

    def _phrase_at(
        self, fmt: Any, fieldname: str, words: list[str], docs: np.ndarray
    ) -> np.ndarray:
        """Which of `docs` (live, sorted, distinct) hold `words` one after another: what
        `_phrase_hits` finds, among `docs` only (a binary search of each in each word's
        postings, then the positions of those holding every word)."""
        out = np.zeros(docs.size, dtype=bool)
        post: dict[str, _Spread] = {}
        for w in dict.fromkeys(words):
            spread = self.spread(fieldname, w)
            if spread is None:
                return out  # (a word no segment holds: nothing)
            post[w] = spread
        present = np.ones(docs.size, dtype=bool)
        at: dict[str, np.ndarray] = {}
        for w, p in post.items():
            hits, rows = p.find(docs)  # (each segment's postings: none joined)
            ok = np.zeros(docs.size, dtype=bool)
            ok[hits] = True
            present &= ok
            at[w] = np.zeros(docs.size, dtype=np.int64)
            at[w][hits] = rows
        common = np.flatnonzero(present)
        if common.size == 0:
            return out
        found = _phrase_starts(fmt, words, post, {w: r[common] for w, r in at.items()})
        if found.size:
            out[common[sorted_distinct(found >> 32)]] = True
        return out

    def _whoosh_leaf(self, q: Any) -> Scored:
        """A phrase: Whoosh finds and scores it (one pass, every match)."""
        mask = np.zeros(self.size, dtype=bool)
        score = np.zeros(self.size, dtype=np.float64)
        results = self.searcher.search(q, limit=None)
        if results.top_n:
            scores, docs = zip(*results.top_n, strict=True)
            ids = np.asarray(docs, dtype=np.int64)
            mask[ids] = True
            score[ids] = np.asarray(scores, dtype=np.float64)
        mask &= self.live
        return Scored(mask, np.where(mask, score, 0.0))

    # -- exact top-k ---------------------------------------------------------------------

    def top(
        self,
        q: Any,
        scored: Scored,
        allow: np.ndarray | None,
        k: int,
        docs: np.ndarray | None = None,
    ) -> list[tuple[int, float]]:
        """The best k (docnum, score) of q among the `allow`ed documents, best first, ties by
        document number: Whoosh's scores and order. Raises ScoreUnsupported when Whoosh's
        matcher disagrees with the mask (the caller then asks Whoosh's collector). `docs`:
        np.flatnonzero(allow), when the caller has it (then `allow` may be None)."""
        if docs is None:
            assert allow is not None
            docs = np.flatnonzero(allow)
        if docs.size == 0:
            return []
        approx = scored.at(docs)
        if docs.size > k:
            kth = kth_largest(approx, k)
            band = BAND * max(abs(float(kth)), float(approx.max()), 1.0)
            near = approx >= kth - band
            docs, approx = docs[near], approx[near]
        if scored.exact:  # (`at` gives the same bits at any subset: the scores are these)
            exact = approx.tolist()
        else:
            try:
                exact = self.tree_scores(q, docs, scored.leaves)
            except ScoreUnsupported:  # a matcher not modelled: move Whoosh's matchers instead
                exact = self.exact_scores(q, docs)
        # Best first, ties by document number (lexsort: the last key first).
        order = np.lexsort((docs, -np.asarray(exact, dtype=np.float64)))[:k].tolist()
        numbers = docs.tolist()
        return [(numbers[i], exact[i]) for i in order]

    def tree_scores(self, q: Any, docs: np.ndarray, leaves: Leaves) -> list[float]:
        """Whoosh's score of each of `docs`: the leaves' exact scores added in the order of the
        matcher tree its collector builds in each segment (search.score_tree works the tree
        out from the terms' document frequencies; for what it does not mirror, Whoosh's
        matchers are built, never moved: moving them decodes posting blocks again)."""
        context = None
        out = np.zeros(docs.size, dtype=np.float64)
        bounds = [offset for _, offset in self.leaves[1:]] + [self.size]
        start = 0
        shapes = self._shapes_of(q)
        for segment, ((sub, _offset), end) in enumerate(zip(self.leaves, bounds, strict=True)):
            stop = int(np.searchsorted(docs, end))
            if stop > start:
                try:
                    node = shapes.get(segment)
                    if node is None:
                        node = score_tree.shape(q, sub.reader(), sub.doc_count_all())
                        shapes[segment] = node
                    present, score = score_tree.sums(node, docs[start:stop], leaves)
                except score_tree.ShapeUnsupported:
                    context = context or self.searcher.context()
                    present, score = _tree(q.matcher(sub, context), docs[start:stop], leaves)
                if not present.all():
                    raise ScoreUnsupported("matcher tree disagrees with the mask")
                out[start:stop] = score
            start = stop
        scores: list[float] = out.tolist()
        return scores

    def _shapes_of(self, q: Any) -> dict[int, score_tree.Node]:
        """score_tree.shape of q by segment number, each worked out once per generation (q
        looked up once a call: a query's hash walks its whole tree)."""
        shapes = self._shapes.get(q)
        if shapes is None:
            shapes = {}
            self._shapes.put(q, shapes)
        return shapes

    def exact_scores(self, q: Any, docs: np.ndarray) -> list[float]:
        """Whoosh's score of each of `docs` for q; raises ScoreUnsupported if Whoosh's matcher
        does not match one of them."""
        found = scores_of(self.searcher, q, docs.tolist())
        if len(found) != len(docs):
            raise ScoreUnsupported("matcher disagrees with the mask")
        return [found[d] for d in docs.tolist()]


def scores_of(searcher: Any, q: Any, docs: list[int]) -> dict[int, float]:
    """Whoosh's score for q of each of `docs` that q matches, from the matcher tree its
    collector builds, moved with skip_to from one document to the next: the same scores as
    `searcher.search(q, filter=set(docs), limit=None)` without stepping through every match."""
    context = searcher.context()
    out: dict[int, float] = {}
    wanted = sorted(set(docs))
    leaves = list(searcher.leaf_searchers())
    bounds = [offset for _, offset in leaves[1:]] + [searcher.doc_count_all()]
    i = 0
    for (sub, offset), end in zip(leaves, bounds, strict=True):
        m = None
        while i < len(wanted) and wanted[i] < end:
            local = wanted[i] - offset
            i += 1
            if m is None:
                m = q.matcher(sub, context)
            if not m.is_active():
                continue
            if m.id() < local:
                m.skip_to(local)
            if m.is_active() and m.id() == local:
                out[local + offset] = m.score()
    return out


def _unwrap(m: Any) -> Any:
    """The matcher under plain wrappers. A segment with deletions wraps each term's matcher in
    a FilterMatcher that drops deleted documents: the evaluated leaves already leave them out
    (they are masked with the live documents), so the wrapper changes no score."""
    while isinstance(m, WrappingMatcher) and getattr(m, "boost", 1.0) == 1.0:
        if type(m) not in (WrappingMatcher, FilterMatcher):
            break
        m = m.child
    return m


def _leaf_key(m: Any) -> tuple[str, str]:
    term = _unwrap(m).term()
    if term is None:
        raise ScoreUnsupported(f"a leaf without a term ({type(m).__name__})")
    fieldname, text = term
    return fieldname, text.decode("utf-8") if isinstance(text, bytes) else text


def _tree(m: Any, docs: np.ndarray, leaves: Leaves) -> tuple[np.ndarray, np.ndarray]:
    """(matches, score) of a Whoosh matcher tree at `docs` (global numbers), adding the leaves'
    scores exactly as each matcher class's score() does."""
    kind = type(m)
    if isinstance(m, (LeafMatcher, ListMatcher)):
        got = leaves.get(("t", *_leaf_key(m)))
        if got is None:
            raise ScoreUnsupported("a leaf the evaluation did not score")
        return got.mask[docs], got.at(docs)
    if kind is SpanNear2.SpanNear2Matcher:
        key = [_leaf_key(sub) for sub in m.ms]
        got = leaves.get(("p", key[0][0], tuple(w for _, w in key)))
        if got is None or m.slop != 1:
            raise ScoreUnsupported("a phrase the evaluation did not score")
        return got.mask[docs], got.at(docs)
    if kind in (IntersectionMatcher, UnionMatcher, AndMaybeMatcher, AndNotMatcher):
        pa, sa = _tree(m.a, docs, leaves)
        pb, sb = _tree(m.b, docs, leaves)
        if kind is IntersectionMatcher:
            return pa & pb, sa + sb
        if kind is UnionMatcher:
            return pa | pb, np.where(pa & pb, sa + sb, np.where(pa, sa, sb))
        if kind is AndMaybeMatcher:
            return pa, np.where(pb, sa + sb, sa)
        return pa & ~pb, sa
    if kind is ArrayUnionMatcher and m._boost == 1.0:
        present = np.zeros(docs.size, dtype=bool)
        total = np.zeros(docs.size, dtype=np.float64)
        for sub in m._submatchers:  # a[i] += m.score() * boost, one submatcher after another
            p, sc = _tree(sub, docs, leaves)
            present |= p
            total[p] += sc[p]
        return present, total
    if kind in (WrappingMatcher, FilterMatcher) and getattr(m, "boost", 1.0) == 1.0:
        return _tree(m.child, docs, leaves)
    if kind is NullMatcherClass:
        return np.zeros(docs.size, dtype=bool), np.zeros(docs.size)
    raise ScoreUnsupported(kind.__name__)
