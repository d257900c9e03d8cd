"""A facet's value names as the generation's build wrote them: one UTF-8 blob and an offsets
array, memory-mapped, so that a worker holds no Python string per name (a list and a dict of
them cost ~10 MB per worker at 22k articles, and grow with the archive's names).

`NameTable` is the id → name sequence, `NameIds` the name → id mapping (a binary search over
the names in byte order, plus the merged variants that answer for another value's id).
"""

from __future__ import annotations

import bisect
import itertools
import mmap
import operator
from collections.abc import ItemsView, Iterator, Mapping, Sequence
from pathlib import Path
from typing import overload

import numpy as np

BLOB = "names.bin"  # suffixes of a facet's files
OFFSETS = "offsets.bin"
ORDER = "order.bin"
RECENT = 20_000  # decoded names kept per table


def write(prefix: Path, names: list[str], previous: Path | None = None) -> None:
    """Write `names` (id order) as prefix-names.bin, prefix-offsets.bin (int32, int64 for a
    blob past 2 GB; one more than names) and prefix-order.bin (int32 ids in the names' UTF-8
    byte order). When the table at `previous` (the last generation's) holds the first names
    of `names`, as after an update that only added articles, its order is kept and only the
    new names are sorted into it (the same order: names are distinct)."""
    encoded = [n.encode("utf-8") for n in names]
    offsets = np.zeros(len(encoded) + 1, dtype="<i8")
    np.cumsum([len(e) for e in encoded], out=offsets[1:])
    if offsets[-1] <= np.iinfo(np.int32).max:
        offsets = offsets.astype("<i4")
    blob = b"".join(encoded)
    order = _order_after(previous, encoded, blob, offsets) if previous is not None else None
    if order is None:
        order = np.array(sorted(range(len(encoded)), key=encoded.__getitem__), dtype="<i4")
    Path(f"{prefix}-{BLOB}").write_bytes(blob)
    Path(f"{prefix}-{OFFSETS}").write_bytes(offsets.tobytes())
    Path(f"{prefix}-{ORDER}").write_bytes(order.tobytes())


def _order_after(
    previous: Path, encoded: list[bytes], blob: bytes, offsets: np.ndarray
) -> np.ndarray | None:
    """The byte order of `encoded` from the table at `previous` when that holds its first
    names (same bytes, same offsets); else None."""
    try:
        old_blob = Path(f"{previous}-{BLOB}").read_bytes()
        old_order = np.fromfile(f"{previous}-{ORDER}", dtype="<i4")
        raw = np.fromfile(f"{previous}-{OFFSETS}", dtype="<u1")
    except OSError:
        return None
    n = old_order.size
    wide = raw.size == 8 * (n + 1)
    if n > len(encoded) or raw.size != (8 if wide else 4) * (n + 1):
        return None
    old_offsets = raw.view("<i8" if wide else "<i4")
    if not blob.startswith(old_blob) or not np.array_equal(old_offsets, offsets[: n + 1]):
        return None
    return _sorted_in(old_order, encoded)


def _sorted_in(old_order: np.ndarray, keys: Sequence[str] | Sequence[bytes]) -> np.ndarray:
    """The order of `keys` (ids, "<i4") given the order `old_order` of its first ones: only the
    later ones are sorted, each put in its place by a binary search."""
    new = sorted(range(old_order.size, len(keys)), key=keys.__getitem__)
    if not new:
        return old_order
    ordered = old_order.tolist()
    at = [bisect.bisect_left(ordered, keys[i], key=keys.__getitem__) for i in new]
    return np.insert(old_order, np.array(at, dtype=np.int64), np.array(new, dtype="<i4"))


def sorted_ids(names: list[str], previous: Path | None = None) -> list[int]:
    """The ids of `names` in the names' sorted order (str order, by code point: the tables'
    UTF-8 byte order). When the table at `previous` (the last generation's) holds the first
    names of `names`, as after an update that only added articles, its order is kept and only
    the new names are sorted into it: the same order, without sorting every name of the
    archive again."""
    if previous is not None:
        try:
            table: NameTable | None = NameTable(previous)
        except (OSError, ValueError):
            table = None
        if table is not None and extends(table, names):
            order: list[int] = _sorted_in(np.frombuffer(table._order, dtype="<i4"), names).tolist()
            return order
    return sorted(range(len(names)), key=names.__getitem__)


def _map(path: Path) -> mmap.mmap | bytes:
    with open(path, "rb") as f:
        if f.seek(0, 2) == 0:
            return b""  # an empty file cannot be mapped
        return mmap.mmap(f.fileno(), 0, prot=mmap.PROT_READ)


class NameTable(Sequence[str]):
    """Names by id, decoded when asked."""

    def __init__(self, prefix: Path) -> None:
        self._blob = _map(Path(f"{prefix}-{BLOB}"))
        self._order = memoryview(_map(Path(f"{prefix}-{ORDER}"))).cast("i")
        # int32 or int64 offsets (older files): the width their count, len(order) + 1, gives.
        offsets = memoryview(_map(Path(f"{prefix}-{OFFSETS}")))
        self._offsets = offsets.cast("q" if len(offsets) == 8 * (len(self._order) + 1) else "i")
        self._n = len(self._offsets) - 1
        if self._n < 0 or len(self._order) != self._n:
            raise ValueError(f"damaged name table {prefix}")
        # The names decoded lately (the top values of the facets recur in every search),
        # bounded so that a worker's memory does not grow with the archive's names.
        self._recent: dict[int, str] = {}

    def __len__(self) -> int:
        return self._n

    @overload
    def __getitem__(self, i: int) -> str: ...

    @overload
    def __getitem__(self, i: slice) -> list[str]: ...

    def __getitem__(self, i: int | slice) -> str | list[str]:
        name = self._recent.get(i) if type(i) is int else None  # (a slice is not hashable)
        if name is not None:
            return name
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(self._n))]
        if i < 0:
            i += self._n
        if not 0 <= i < self._n:
            raise IndexError(i)
        name = self._blob[self._offsets[i] : self._offsets[i + 1]].decode("utf-8")
        if len(self._recent) >= RECENT:
            self._recent.clear()
        self._recent[i] = name
        return name

    def __iter__(self) -> Iterator[str]:
        return (self[i] for i in range(len(self)))

    def decoded(self) -> list[str]:
        """Every name, in id order (one decode of the blob when it is ASCII, as most are:
        several times faster than asking for each)."""
        offsets = self._offsets.tolist()
        blob = bytes(self._blob)
        if blob.isascii():
            text = blob.decode("ascii")
            return [text[a:b] for a, b in itertools.pairwise(offsets)]
        return [blob[a:b].decode("utf-8") for a, b in itertools.pairwise(offsets)]

    def holds(self, names: Sequence[str]) -> bool:
        """Whether the table's names are `names`, in order (their text and lengths compared
        as bytes, without decoding the table)."""
        if len(names) != self._n:
            return False
        head = names if isinstance(names, list) else list(names)
        encoded = "".join(head).encode("utf-8")
        if encoded != self._blob[:]:
            return False
        if encoded.isascii():  # (then a name's characters are its bytes)
            lengths = np.fromiter(map(len, head), dtype=np.int64, count=len(head))
        else:
            lengths = np.fromiter(map(len, map(str.encode, head)), dtype=np.int64, count=len(head))
        return bool(np.array_equal(np.cumsum(lengths), np.asarray(self._offsets)[1:]))

    def many(self, ids: list[int]) -> list[str]:
        """The names of `ids`, in order: one call for a document's values, the recent ones
        read straight from the cache (a result page asks for ~9 values a hit)."""
        recent = self._recent
        return [recent.get(i) or self[i] for i in ids]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, str):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def find(self, name: str) -> int | None:
        """The id of `name`, or None (a binary search over the names in byte order)."""
        key = name.encode("utf-8")
        blob, offsets, order = self._blob, self._offsets, self._order
        lo, hi = 0, len(order)
        while lo < hi:
            mid = (lo + hi) // 2
            i = order[mid]
            if blob[offsets[i] : offsets[i + 1]] < key:
                lo = mid + 1
            else:
                hi = mid
        if lo < len(order):
            i = order[lo]
            if blob[offsets[i] : offsets[i + 1]] == key:
                return i
        return None


class NameIds(Mapping[str, int]):
    """Name → id for a NameTable: each name its own id, but the merged variants (`aliases`),
    which answer for their canonical value's id. Iterates in id order, as the dict it
    replaces."""

    def __init__(self, names: NameTable, aliases: dict[str, int]) -> None:
        self.names = names
        self.aliases = aliases

    def __getitem__(self, name: str) -> int:
        vid = self.aliases.get(name)
        if vid is not None:
            return vid
        if not isinstance(name, str):
            raise KeyError(name)
        found = self.names.find(name)
        if found is None:
            raise KeyError(name)
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self.names)

    def __len__(self) -> int:
        return len(self.names)

    def items(self) -> ItemsView[str, int]:
        return _Items(self)

    def names_of(self, vid: int) -> set[str]:
        """Every name that answers for `vid` (its own unless merged away, and its aliases),
        without decoding the whole table."""
        own = self.names[vid]
        found = {name for name, i in self.aliases.items() if i == vid}
        if self.aliases.get(own, vid) == vid:
            found.add(own)
        return found


class _Items(ItemsView[str, int]):
    """(name, id) in id order without a search per name."""

    _mapping: NameIds

    def __iter__(self) -> Iterator[tuple[str, int]]:
        aliases = self._mapping.aliases
        for i, name in enumerate(self._mapping.names):
            yield name, aliases.get(name, i)


def variants(names: Sequence[str], ids: Mapping[str, int]) -> dict[str, int]:
    """The names of `ids` that answer for another value's id (merged variants), as the facet
    files write them."""
    if isinstance(ids, NameIds):
        return dict(ids.aliases.items())
    return {name: vid for name, vid in ids.items() if names[vid] != name}


def sorted_names(doc_counts: dict[str, int]) -> bool:
    """Whether the names come sorted, as facet_arrays gives them (an update's new names then
    change neither the others' visiting order nor their groups' order)."""
    names = list(doc_counts)
    return all(map(operator.lt, names, itertools.islice(names, 1, None)))


def extends(prior_names: Sequence[str], names: Sequence[str]) -> bool:
    """Whether `names` are the last generation's `prior_names` (a NameTable is compared as
    bytes, without decoding it) followed by new ones."""
    n_old = len(prior_names)
    if len(names) < n_old:
        return False
    head = list(names[:n_old])
    return (
        prior_names.holds(head) if isinstance(prior_names, NameTable) else list(prior_names) == head
    )


def changed_names(
    prior_counts: np.ndarray,
    prior_names: Sequence[str],
    names: Sequence[str],
    doc_counts: dict[str, int],
    counts: np.ndarray,
) -> np.ndarray | None:
    """The ids of the names an update changed (count moved, or new) against the last
    generation's `prior_names` and `prior_counts`; None unless the names are sorted and are
    the last generation's followed by new ones (an incremental pass then cannot hold)."""
    n_old = prior_counts.size
    if len(prior_names) != n_old or not sorted_names(doc_counts):
        return None
    if not extends(prior_names, names):
        return None
    counts = np.asarray(counts, dtype=np.int64)
    moved = np.flatnonzero(counts[:n_old] != prior_counts)
    return np.concatenate([moved, np.arange(n_old, len(names))])
