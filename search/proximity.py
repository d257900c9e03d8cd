"""Whoosh's Phrase(field, [a, b], slop) scores for a few documents (the head of a page that
search.ranking re-ranks by proximity), worked out with numpy from the words' postings.

Moving Whoosh's span matchers to each candidate steps through every document holding both
words in between, checking spans in each: up to 10 ms for a 3-word query at 22k articles.
Here each word's postings (cached by the term dictionary since the query was scored) are
searched for the candidates once, and only the candidates' positions are decoded.

Whoosh's Phrase with a slop is SpanNear2(ordered=True, mindist=1) over the words' Term matchers:
a document matches where b stands 1 to `slop` positions after a, and scores as its
IntersectionMatcher, a's BM25F score plus b's; TopK.bm25 computes each the way Whoosh does,
bit for bit (tests/search/test_ranking_proximity.py holds the two equal).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from index_format.codec.postings import decode_positions
from index_format.sorted_sets import sorted_distinct
from search.topk import ScoreUnsupported, TopK


@dataclass(frozen=True, slots=True)
class _Held:
    """One word's postings for the candidates holding it."""

    rows: np.ndarray  # the candidates holding it (numbers in the sorted candidates)
    keys: np.ndarray  # (candidate number << 32) + position, sorted
    scores: np.ndarray  # its BM25F score in each of `rows`


class Proximity:
    """Phrase scores of word pairs for a fixed set of candidate documents; each word's
    postings, positions and scores looked up once, for all the pairs it is in."""

    def __init__(
        self, topk: TopK, docs: list[int], slop: int, words: list[str] | None = None
    ) -> None:
        self.topk = topk
        self.slop = slop
        # The words the pairs will ask for: read together, a field at a time.
        self.words = list(dict.fromkeys(words or []))
        self.docs = np.unique(np.asarray(docs, dtype=np.int64))
        self._held: dict[tuple[str, str], _Held | None] = {}

    def scores(self, fieldname: str, a: str, b: str) -> dict[int, float]:
        """Whoosh's score for Phrase(fieldname, [a, b], slop) of each candidate it matches.
        Raises ScoreUnsupported for what TopK does not model (another weighting, a field
        without positions)."""
        schema = self.topk.searcher.schema
        if not self.topk.supported or fieldname not in schema:
            raise ScoreUnsupported(f"proximity in {fieldname}")
        if not schema[fieldname].format.supports("positions"):
            raise ScoreUnsupported(f"no positions in {fieldname}")
        ha = self._word(fieldname, a)
        if ha is None:
            return {}
        hb = self._word(fieldname, b)
        if hb is None:
            return {}
        # The first b at or after each a + 1: near when it is at most a + slop. (A segment
        # without one of the words is Whoosh's NullMatcher there: no keys of its candidates.)
        # (array methods, not numpy's functions: a 4-word query makes ~200 calls here)
        after = hb.keys.searchsorted(ha.keys + 1)
        ok = after < hb.keys.size
        ok[ok] = hb.keys[after[ok]] <= ha.keys[ok] + self.slop
        rows = sorted_distinct(ha.keys[ok] >> 32)
        if rows.size == 0:
            return {}
        sa = ha.scores[ha.rows.searchsorted(rows)]
        sb = hb.scores[hb.rows.searchsorted(rows)]
        return dict(zip(self.docs[rows].tolist(), (sa + sb).tolist(), strict=True))

    def _word(self, fieldname: str, text: str) -> _Held | None:
        key = (fieldname, text)
        if key not in self._held:
            wanted = [w for w in self.words if (fieldname, w) not in self._held]
            self._read(fieldname, wanted if text in wanted else [text])
        return self._held[key]

    def _read(self, fieldname: str, words: list[str]) -> None:
        """Each word's postings for the candidates (from its postings across the segments,
        TopK.spread); their positions decoded in one call."""
        found: list[tuple[str, np.ndarray, np.ndarray]] = []  # word, its rows, weights
        counts, encoded = [], []
        for text in words:
            spread = self.topk.spread(fieldname, text)
            hit = np.zeros(0, dtype=np.int64)
            if spread is not None:
                hit, at = spread.find(self.docs)
            if spread is None or hit.size == 0:
                self._held[(fieldname, text)] = None  # (no candidate holds it: none is near)
                continue
            count, raw = spread.position_bytes(at)
            counts.append(count)
            encoded.append(raw)
            found.append((text, hit, spread.weights_at(at)))
        if not found:
            return
        count = np.concatenate(counts)
        flat = decode_positions(count, np.concatenate(encoded))
        ends = np.cumsum(count).tolist()
        k = n = 0
        for text, held, tf in found:
            keys = (
                np.repeat(held << 32, count[k : k + held.size]) + flat[n : ends[k + held.size - 1]]
            )
            n = ends[k + held.size - 1]
            k += held.size
            scores = self.topk.bm25(fieldname, text, self.docs[held], tf)
            self._held[(fieldname, text)] = _Held(held, keys, scores)
