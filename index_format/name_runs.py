"""The entity names of one index generation as the query parser asks for them (search.names):
every run of two or more consecutive words of a name (name_key form), "Sri Mulyani" of "Sri
Mulyani Indrawati" and "Joko Widodo" of "Iriana Joko Widodo".

Written with the generation (index_format.derived) as the sorted 64-bit hashes of the runs, a
memory-mapped array that every worker shares; a false match needs two runs to share 64 bits.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import numpy as np

from index_format.names import name_key
from index_format.sorted_sets import distinct


def runs(names: Iterable[str]) -> set[str]:
    """Every run of two or more consecutive words of `names` (name_key form)."""
    keys: set[str] = set()
    for name in {name_key(v) for v in names}:
        if " " not in name:
            continue
        words = name.split()
        n = len(words)
        keys.update(" ".join(words[i:j]) for i in range(n - 1) for j in range(i + 2, n + 1))
    return keys


def run_hash(key: str) -> int:
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "little")


def hashes(keys: Iterable[str]) -> np.ndarray:
    """The sorted, distinct hashes of `keys`."""
    return distinct(np.fromiter((run_hash(k) for k in keys), dtype=np.uint64))


class NameRuns:
    """Runs of names: a hashed array (as written with the generation) and a set of runs
    (names the user's corrections added)."""

    def __init__(self, hashed: np.ndarray, keys: set[str] | None = None) -> None:
        self.hashed = hashed
        self.keys = keys or set()

    def __contains__(self, words: str) -> bool:
        key = name_key(words)
        if key in self.keys:
            return True
        h = np.uint64(run_hash(key))
        at = int(np.searchsorted(self.hashed, h))
        return at < self.hashed.size and self.hashed[at] == h
