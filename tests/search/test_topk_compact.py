"""What search.topk keeps in narrower types (its phrases' memo entries) and works out once a
field (BM25's length normalisation) gives the same numbers as the plain arrays and the plain
formula: the scores are Whoosh's to the last bit (tests/search/test_search_topk.py)."""

from __future__ import annotations

import numpy as np
import pytest

from search.topk import _length_norms, _narrow, _PhraseHits, _Postings, _Spread


@pytest.mark.parametrize(
    ("values", "kind"),
    [
        (np.array([1.0, 2.0, 7.0, 255.0]), np.uint8),  # frequencies
        (np.array([2.0, 4.0, 300.0]), np.uint16),  # a title's (field boost 2) in a long one
        (np.array([0, 5, 70_000, 2_199_999], dtype=np.int64), np.int32),  # documents
        (np.array([1.5, 3.0]), np.float64),  # a fractional boost: kept as it is
        (np.array([1.0, 2.0**40]), np.float64),  # too large for int32
        (np.array([-1.0, 2.0]), np.int32),  # (negative: not unsigned)
    ],
)
def test_narrowed_values_come_back_exactly(values: np.ndarray, kind: type) -> None:
    narrow = _narrow(values)
    assert narrow.dtype == np.dtype(kind)
    back = narrow.astype(values.dtype)
    assert back.tobytes() == values.tobytes()


def test_an_empty_array_stays_as_it_is() -> None:
    empty = np.zeros(0, dtype=np.float64)
    assert _narrow(empty) is empty


def test_a_phrase_entry_gives_back_its_documents_and_frequencies() -> None:
    rng = np.random.default_rng(3)
    size = 100_000
    docs = np.sort(rng.choice(size, 4_000, replace=False)).astype(np.int64)
    tf = {"uu": rng.integers(1, 9, docs.size).astype(np.float64), "kpk": 2.0 * docs % 700}
    hits = _PhraseHits(docs, tf, size)
    assert docs[-1] > np.iinfo(np.uint16).max  # (documents as int32)
    assert hits.docs.dtype == np.int64 and np.array_equal(hits.docs, docs)
    rows = np.array([0, 17, 3_999])
    for word, freqs in tf.items():
        assert hits.tf_of(word).dtype == np.float64
        assert hits.tf_of(word).tobytes() == freqs.tobytes()
        assert hits.tf_of(word, rows).tobytes() == freqs[rows].tobytes()
    assert np.flatnonzero(hits.mask).tolist() == docs.tolist()
    # Narrowed: 4 + 1 + 2 bytes a document, where int64 and float64 took 24.
    assert hits.nbytes == docs.size * 7


@pytest.mark.parametrize("kind", [np.uint8, np.uint16, np.uint32])
def test_tabled_length_norms_are_the_formulas_bits(kind: type) -> None:
    """bm25's `K1 * ((1 - B) + B * fl / avgfl)` gathered from the table at each document's
    length is, bit for bit, the formula worked out on the gathered lengths."""
    rng = np.random.default_rng(11)
    top = min(int(np.iinfo(kind).max), 106_374)
    lengths = rng.integers(0, top + 1, 20_000).astype(kind)
    B, K1, avgfl = 0.75, 1.2, float(lengths.mean())
    table = _length_norms(lengths, B, K1, avgfl)
    assert table is not None
    ids = np.sort(rng.choice(lengths.size, 5_000, replace=False))
    fl = lengths[ids]
    plain = K1 * ((1 - B) + B * fl / avgfl)
    assert table[fl].tobytes() == plain.tobytes()


def test_lengths_not_held_as_whole_numbers_are_not_tabled() -> None:
    lengths = np.array([1.0, 12.0, 40.0])  # (as derived at open: float64)
    assert _length_norms(lengths, 0.75, 1.2, 17.0) is None


def test_a_words_postings_are_found_segment_by_segment_as_joined() -> None:
    """_Spread.find (the proximity re-rank's and a name tier's lookup) finds what a search of
    the joined postings finds, documents of segments without the word among the asked ones."""
    rng = np.random.default_rng(5)
    # Segments of 1,000 documents at offsets 0..5,000; the word in four of them.
    parts = []
    for offset in (0, 2_000, 3_000, 5_000):
        ids = np.sort(rng.choice(1_000, rng.integers(1, 400), replace=False)).astype(np.int64)
        parts.append((offset, _Postings(ids, rng.integers(1, 6, ids.size) * 1.0, None)))
    spread = _Spread(parts)
    joined_ids = np.concatenate([p.ids + offset for offset, p in parts])
    for size in (1, 50, 3_000, 6_000):
        docs = np.sort(rng.choice(6_000, size, replace=False)).astype(np.int64)
        at = joined_ids.searchsorted(docs)
        hit = np.flatnonzero(joined_ids[at.clip(max=joined_ids.size - 1)] == docs)
        found, rows = spread.find(docs)
        assert found.tolist() == hit.tolist()
        assert rows.tolist() == at[hit].tolist()
        fresh = _Spread(parts)  # (its weights not joined yet: read from each part)
        assert fresh.weights_at(rows).tolist() == spread.weights[rows].tolist()
    assert spread.ids.tolist() == joined_ids.tolist()
