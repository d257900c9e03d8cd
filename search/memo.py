"""A small bounded memo: what one index generation worked out for a query text, kept for its
next request (a query comes back as its pages, facets and sorts are clicked)."""

from __future__ import annotations

from collections import OrderedDict
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")

# Entries kept per memo: parsed queries and suggestions are a few kB at most.
SIZE = 512


class Memo(Generic[K, V]):
    """The `size` most recently used entries (least recently used dropped first)."""

    def __init__(self, size: int = SIZE) -> None:
        self.size = size
        self._items: OrderedDict[K, V] = OrderedDict()

    def get(self, key: K) -> V | None:
        got = self._items.get(key)
        if got is not None:
            self._items.move_to_end(key)
        return got

    def put(self, key: K, value: V) -> None:
        self._items[key] = value
        self._items.move_to_end(key)
        if len(self._items) > self.size:
            self._items.popitem(last=False)

    def __contains__(self, key: K) -> bool:
        return key in self._items

    def __len__(self) -> int:
        return len(self._items)
