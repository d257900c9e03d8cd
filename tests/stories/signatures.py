"""Random MinHash signatures for the story tests: copies of a family's signature (each copy
changes some values, so some join their family and some only through another copy),
unrelated ones and empty ones (short articles)."""

from __future__ import annotations

import numpy as np

from index_format.stories import NUM_PERM, SIG_DTYPE


def families(rnd: np.random.Generator, n: int) -> np.ndarray:
    """`n` families' base signatures."""
    return rnd.integers(0, 256, (n, NUM_PERM), dtype=np.uint16).astype(SIG_DTYPE)


def signature(rnd: np.random.Generator, bases: np.ndarray) -> np.ndarray:
    """A copy of one of `bases` (60%), an unrelated signature (30%) or an empty one."""
    kind = rnd.random()
    if kind < 0.6:
        sig = bases[rnd.integers(len(bases))].copy()
        changed = rnd.random(NUM_PERM) < rnd.choice([0.05, 0.3, 0.6])
        sig[changed] = rnd.integers(0, 256, int(changed.sum()))
        return sig
    if kind < 0.9:
        return rnd.integers(0, 256, NUM_PERM, dtype=np.uint16).astype(SIG_DTYPE)
    return np.zeros(NUM_PERM, dtype=SIG_DTYPE)
