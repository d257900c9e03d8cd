"""The spelling index's words (search.suggest.SpellIndex): the alphabetic words of the unstemmed
`exact` field, grouped by first letter and length, each group a (words, length) array of code
points, so one edit-distance computation runs over a whole group at once.

Derived once when a generation is published (index_format.derived stores every group in one
flat array, memory-mapped by the workers) or, for an index without it, at open.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import numpy as np

SPELL_FIELD = "exact"

Groups = dict[tuple[str, int], np.ndarray]  # (first letter, length) → (words, length) codes


def codes_of(words: list[str], length: int) -> np.ndarray:
    """Words of one length as a (len(words), length) array of code points."""
    flat = np.frombuffer("".join(words).encode("utf-32-le"), dtype=np.uint32)
    return flat.reshape(len(words), length)


def word_at(codes: np.ndarray, row: int) -> str:
    """The word of one row of a group."""
    return codes[row].astype(np.uint32).tobytes().decode("utf-32-le")


def derive(reader: Any) -> Groups:
    """The groups of the generation `reader` reads (words in the field's order: sorted)."""
    groups: dict[tuple[str, int], list[str]] = defaultdict(list)
    for word in reader.field_terms(SPELL_FIELD) if SPELL_FIELD in reader.schema else ():
        if word.isalpha():
            groups[(word[0], len(word))].append(word)
    return {key: codes_of(words, key[1]) for key, words in groups.items()}


def merge(parts: Sequence[Groups]) -> Groups:
    """The groups of an index whose segments have the groups `parts`, as `derive` gives them
    for the whole index: each group's words of every part once, sorted by code point (the
    field's order: UTF-8 byte order is code point order), groups in order of their first word."""
    found: dict[tuple[str, int], list[np.ndarray]] = defaultdict(list)
    for groups in parts:
        for key, codes in groups.items():
            found[key].append(codes)
    out: Groups = {}
    for key, arrays in found.items():
        length = key[1]
        if len(arrays) == 1:  # one part's group is sorted and distinct already
            out[key] = np.ascontiguousarray(arrays[0].astype(np.uint32))
            continue
        codes = np.ascontiguousarray(np.concatenate([a.astype(np.uint32) for a in arrays]))
        # A row of code points is a fixed-width string to numpy: unique sorts and dedupes.
        words = np.unique(codes.view(f"<U{length}").reshape(-1))
        out[key] = words.view(np.uint32).reshape(-1, length)
    return dict(sorted(out.items(), key=lambda item: word_at(item[1], 0)))


def flatten(groups: Groups) -> tuple[np.ndarray, np.ndarray]:
    """Every group's codes in one flat array (of the narrowest unsigned type), and a table of (first letter, length, offset,
    words) rows to find them again (`unflatten`)."""
    table = np.zeros((len(groups), 4), dtype=np.int64)
    parts = []
    offset = 0
    for i, ((letter, length), codes) in enumerate(groups.items()):
        table[i] = (ord(letter), length, offset, codes.shape[0])
        parts.append(codes.reshape(-1))
        offset += codes.size
    flat = np.concatenate(parts) if parts else np.zeros(0, dtype=np.uint32)
    # The narrowest type that holds every code point (most archives: one byte a letter).
    top = int(flat.max()) if flat.size else 0
    narrow = np.uint8 if top < 1 << 8 else np.uint16 if top < 1 << 16 else np.uint32
    return flat.astype(narrow), table


def unflatten(flat: np.ndarray, table: np.ndarray) -> Groups:
    """The groups of `flatten`, as views of `flat` (no copy: a memory map stays one)."""
    out: Groups = {}
    for letter, length, offset, count in table.tolist():
        out[(chr(letter), length)] = flat[offset : offset + count * length].reshape(count, length)
    return out
