"""The postings reader's varint decoder (index_format.codec.postings.decode_gaps) gives the
values the writer encoded, as the format's decoder does, whatever mix of lengths they take."""

from __future__ import annotations

import random

import numpy as np
import pytest

from index_format.codec import varints
from index_format.codec.postings import decode_gaps

# Values of every length the format writes, one byte to five (its encoder's largest,
# 2**34 - 1, as tests/index_format/test_packed_format.py has it).
EDGES = [0, 1, 127, 128, 16383, 16384, 2**21 - 1, 2**21, 2**28 - 1, 2**28, 2**34 - 1]


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("long_share", [0.0, 0.02, 0.3, 0.9, 1.0])
def test_any_mix_of_lengths_decodes_as_written(seed: int, long_share: float) -> None:
    """Mostly one-byte values with a share of longer ones (positions' and ids' gaps), and
    mostly long ones (a rare word's ids): value by value and across the dense and sparse
    ways decode_gaps folds the bytes in."""
    rng = random.Random(seed)
    n = rng.randint(1, 3000)
    values = [
        rng.choice(EDGES) if rng.random() < long_share else rng.randrange(128) for _ in range(n)
    ]
    encoded = np.frombuffer(varints.varints(values), np.uint8)
    decoded = decode_gaps(encoded)
    assert decoded.dtype == np.int64
    assert decoded.tolist() == values == varints.py_decode(encoded.tobytes())
    assert decoded.tolist() == varints.decode_varints(encoded).tolist()


def test_nothing_decodes_to_nothing() -> None:
    assert decode_gaps(np.zeros(0, dtype=np.uint8)).tolist() == []
