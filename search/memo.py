"""A small bounded memo: what one index generation worked out once, kept for the requests
that ask again (a query comes back as its pages, facets and sorts are clicked; its phrases and
its matcher tree's shape come back with it)."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")

# Entries kept per memo by default: parsed queries and suggestions are a few kB at most.
SIZE = 512


class Memo(Generic[K, V]):
    """The `size` most recently used entries (the least recently used dropped first), and,
    with `weigh`, no more than `budget` of their weights together (bytes, say)."""

    def __init__(
        self, size: int = SIZE, budget: int = 0, weigh: Callable[[V], int] | None = None
    ) -> None:
        self.size = size
        self.budget = budget
        self.weigh = weigh
        self.weight = 0
        self._items: OrderedDict[K, tuple[V, int]] = OrderedDict()

    def get(self, key: K) -> V | None:
        got = self._items.get(key)
        if got is None:
            return None
        self._items.move_to_end(key)
        return got[0]

    def put(self, key: K, value: V) -> None:
        weight = self.weigh(value) if self.weigh is not None else 0
        if self.weigh is not None and weight > self.budget:
            return  # never kept: it would push out everything else
        old = self._items.pop(key, None)
        if old is not None:
            self.weight -= old[1]
        self._items[key] = (value, weight)
        self.weight += weight
        while len(self._items) > self.size or (
            self.weigh is not None and self.weight > self.budget
        ):
            _, (_, dropped) = self._items.popitem(last=False)
            self.weight -= dropped

    def __contains__(self, key: K) -> bool:
        return key in self._items

    def __len__(self) -> int:
        return len(self._items)
