"""An entity facet's top values among the matching articles, counted exactly from the most
frequent values down (index_format.value_major), stopping once no value left could be listed.

No value can count more matching articles than it has in the archive, and the values come
by that count, non-increasing. So once the want-th largest count found exceeds the archive-wide
count of the next value, no later value can reach the list, not even tied (ties are broken by
name, so a tie could enter it). A broad query stops after a few hundred values; a narrow one
would need nearly every value, and is cheaper counted from its own documents' rows: past a
budget of rows the caller counts those instead.
"""

from __future__ import annotations

import numpy as np

from index_format.value_major import ValueMajor

# Values counted in the first tier; each later tier doubles the values counted.
FIRST_TIER = 64
# A row read value-major (a gather of the mask and a sum) costs about a fifth of a row of the
# matching documents (their rows' positions, a gather, a bincount), measured at 2.2M articles:
# value-major is tried up to this many rows per row of the matching documents.
ROW_COST_RATIO = 4


def top_values(
    vm: ValueMajor, mask: np.ndarray, want: int, budget: float
) -> tuple[np.ndarray, np.ndarray] | None:
    """Value ids and their exact counts among `mask`'s documents, such that any value left
    out counts fewer than the want-th largest of them; None when that would read more than
    `budget` rows."""
    off, n = vm.offsets, vm.order.size
    want = max(1, want)
    found: list[np.ndarray] = []
    a, b = 0, min(n, max(FIRST_TIER, 2 * want))
    while a < n:
        if off[b] > budget:
            return None
        seen = mask[vm.docs[off[a] : off[b]]]
        found.append(np.add.reduceat(seen, off[a:b] - off[a], dtype=np.int64))
        a, b = b, min(n, 2 * b)
        counted = np.concatenate(found) if len(found) > 1 else found[0]
        if a < n and counted.size >= want:
            kth = np.partition(counted, counted.size - want)[counted.size - want]
            if kth > off[a + 1] - off[a]:  # the most any value left can count
                break
    counts = np.concatenate(found) if found else np.zeros(0, dtype=np.int64)
    return vm.order[: counts.size], counts
