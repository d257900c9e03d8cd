"""A term's postings as the matcher Whoosh's searches walk."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
from whoosh.matching import ListMatcher, NullMatcher, ReadTooFar

from index_format.codec.postings import V_POS, W_ONE, Postings


class PackedMatcher(ListMatcher):
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
        return self._terminfo.max_weight()

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
