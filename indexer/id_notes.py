"""Article ids each with an int, in arrays rather than a dict of str: what a rebuild's parent
holds an entry an article of for its whole feed (where each id last occurs, indexer.build;
when each id first entered the index it replaces, indexer.added).

Per note: the id's hash, its UTF-8 bytes (one blob) and the int, ~40 bytes where a dict of
str took ~130 (~300 MB at 2.2M articles). A lookup finds the hash (the hashes sorted once, at
the first lookup) and compares the ids' bytes: exact. An id noted again answers with its last
note.
"""

from __future__ import annotations

from array import array

import numpy as np

_NONE = np.zeros(0, dtype=np.int64)


class IdNotes:
    """Ids noted with an int each; `value(id)` is the last one noted for it."""

    def __init__(self) -> None:
        self._hashes = array("q")  # hash(id) of each note, in note order
        self._values = array("q")
        self._ends = array("q")  # where each note's id ends in _ids
        self._ids = bytearray()
        self._sorted: tuple[np.ndarray, np.ndarray] | None = None  # hashes, their notes
        self._repeats = 0  # notes of an id noted before
        self._views: tuple[memoryview, memoryview] = (memoryview(b""), memoryview(b""))

    def note(self, doc_id: str, value: int) -> None:
        self._sorted = None
        self._hashes.append(hash(doc_id))
        self._values.append(value)
        self._ids += doc_id.encode("utf-8")
        self._ends.append(len(self._ids))

    def __len__(self) -> int:
        """The distinct ids noted."""
        return len(self._lookup()[0]) - self._repeats

    def __contains__(self, doc_id: object) -> bool:
        return isinstance(doc_id, str) and self._find(doc_id) is not None

    def value(self, doc_id: str) -> int | None:
        """The int of the last note of `doc_id`; None when it was never noted."""
        note = self._find(doc_id)
        return None if note is None else self._values[note]

    def _lookup(self) -> tuple[np.ndarray, np.ndarray]:
        """The notes' hashes sorted, and each one's note (notes of a hash in note order)."""
        if self._sorted is None:
            hashes = np.frombuffer(self._hashes, dtype=np.int64) if self._hashes else _NONE
            order = np.argsort(hashes, kind="stable")
            self._sorted = (hashes[order], order)
            self._views = (self._sorted[0].data, order.data)  # scalars read fast
            ids = [self._id(int(n)) for n in _repeated(self._sorted[0], order)]
            self._repeats = len(ids) - len(set(ids))  # an id noted again counts once
        return self._sorted

    def _id(self, note: int) -> bytes:
        return bytes(self._ids[self._ends[note - 1] if note else 0 : self._ends[note]])

    def _find(self, doc_id: str) -> int | None:
        """The last note of `doc_id`, or None."""
        hashes = self._lookup()[0]
        h = hash(doc_id)
        at = int(hashes.searchsorted(h))
        sorted_hashes, notes = self._views
        if at == len(sorted_hashes) or sorted_hashes[at] != h:
            return None
        wanted = doc_id.encode("utf-8")
        found = None
        while at < len(sorted_hashes) and sorted_hashes[at] == h:  # one, but for a collision
            if self._id(notes[at]) == wanted:
                found = notes[at]
            at += 1
        return found


def _repeated(hashes: np.ndarray, order: np.ndarray) -> np.ndarray:
    """The notes whose hash (sorted) is another note's too."""
    same = hashes[1:] == hashes[:-1]
    both = np.zeros(hashes.size, dtype=bool)
    both[1:] |= same
    both[:-1] |= same
    return order[both]
