"""The person facet's spelling merges (name_forms.spelling_merges) of an update, redone only
for the spelling groups the update touches.

A spelling group is the names of two words or more that are one name but for one long word
(its key: the word's position and the text around it). What a group finds (name_forms.
group_found, each name → its one far commoner spelling) depends on its own names and their
article counts only; the merges are then each name's first group's finding (groups in the
order of their first name, then the word's position), unless an earlier merge took the name
(name_forms.first_found). So a generation leaves the next (`State`):

- each name's article count, by the person facet's value id;
- every key of every name, as sorted 32-bit hashes with the name's id (a hash shared by
  two keys costs a look, not a wrong group: members are checked against the key itself);
- each group that found something: its key, its first name and its finding.

An update whose names are the last generation's followed by new ones (one that only added
articles) redoes the groups of the keys of its new names and of the names whose count
changed; any other runs in full, as does one that touches more than FULL_SHARE of the names.
The result equals a full computation (tests/index_format/test_spelling_changes.py).
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index_format import name_forms, zst_files
from index_format.name_table import changed_names, sorted_names
from index_format.sorted_sets import inserted_pairs, sorted_pairs

FULL_SHARE = 0.3  # of the names: touching more, a full computation is no dearer
PREFIX = "spelling-state-"
Key = tuple[int, str, str]


@dataclass
class State:
    counts: np.ndarray  # int64 articles per person id
    key_hash: np.ndarray  # uint32, sorted: the hash of each (key, name) pair
    key_name: np.ndarray  # int32: the pair's name id
    # Per group that found merges: its key → (its first name, what it found).
    found: dict[Key, tuple[str, dict[str, str]]]


def _hash(key: Key) -> int:
    i, before, after = key
    return zlib.crc32(f"{i}\x00{before}\x00{after}".encode())


def _pairs(names: Sequence[str], first_id: int) -> tuple[np.ndarray, np.ndarray]:
    """(hash, name id) of each key of `names` (ids from `first_id`), unsorted."""
    hashes: list[int] = []
    ids: list[int] = []
    for at, name in enumerate(names, first_id):
        if name_forms.TWO_WORDS.search(name) is None:
            continue  # (no keys)
        for key, _ in name_forms.word_keys(name):
            hashes.append(_hash(key))
            ids.append(at)
    return np.array(hashes, dtype=np.uint32), np.array(ids, dtype=np.int32)


def full(
    names: Sequence[str], doc_counts: dict[str, int], counts: np.ndarray, merges: dict[str, str]
) -> tuple[dict[str, str], State | None]:
    """spelling_merges(doc_counts, merges) and the state for the next generation (`names`:
    the person facet's names by id, `counts` their articles by id; no state when the names
    of `doc_counts` do not come sorted, as facet_arrays gives them)."""
    deletions: dict[str, set[str]] = {}
    found: dict[Key, tuple[str, dict[str, str]]] = {}
    for key, group in name_forms.keyed_spelling_groups(doc_counts).items():
        got = name_forms.group_found(group, doc_counts, deletions)
        if got:
            found[key] = (group[0][0], got)
    merged = name_forms.first_found(merges, (got for _, got in found.values()))
    if not sorted_names(doc_counts):
        return merged, None
    key_hash, key_name = sorted_pairs(*_pairs(names, 0))
    return merged, State(np.asarray(counts, dtype=np.int64), key_hash, key_name, found)


def _in_order(
    found: dict[Key, tuple[str, dict[str, str]]],
) -> list[tuple[Key, tuple[str, dict[str, str]]]]:
    """The groups in spelling_merges' order: by their first name, then the word's position."""
    return sorted(found.items(), key=lambda item: (item[1][0], item[0][0]))


def _merges(merges: dict[str, str], found: dict[Key, tuple[str, dict[str, str]]]) -> dict[str, str]:
    return name_forms.first_found(merges, (got for _, (_, got) in _in_order(found)))


def incremental(
    names: Sequence[str],
    doc_counts: dict[str, int],
    counts: np.ndarray,
    merges: dict[str, str],
    prior: State,
    prior_names: Sequence[str],
) -> tuple[dict[str, str], State] | None:
    """As `full`, from `prior` (the last generation's state, its names `prior_names`); None
    when the update did not only add names after the last generation's or touched too many."""
    n_old, n = prior.counts.size, len(names)
    changed = changed_names(prior.counts, prior_names, names, doc_counts, counts)
    if changed is None:
        return None
    counts = np.asarray(counts, dtype=np.int64)
    touched = changed.tolist()
    if len(touched) > FULL_SHARE * max(n, 1):
        return None
    new_hash, new_ids = _pairs(names[n_old:], n_old)
    key_hash, key_name = prior.key_hash, prior.key_name
    if new_hash.size:
        key_hash, key_name = inserted_pairs(key_hash, key_name, *sorted_pairs(new_hash, new_ids))
    keys = list({key for i in touched for key, _ in name_forms.word_keys(names[i])})
    wanted = np.array([_hash(key) for key in keys], dtype=np.uint32)
    los = np.searchsorted(key_hash, wanted, "left").tolist()
    his = np.searchsorted(key_hash, wanted, "right").tolist()
    found = dict(prior.found)
    deletions: dict[str, set[str]] = {}
    for key, lo, hi in zip(keys, los, his, strict=True):
        found.pop(key, None)
        members = sorted({names[i] for i in key_name[lo:hi].tolist()})
        group = [
            (name, word) for name in members for k, word in name_forms.word_keys(name) if k == key
        ]
        if len(group) < 2 or all(doc_counts[name] == 1 for name, _ in group):
            continue  # (not a group: one name, or a key of names of one article each)
        got = name_forms.group_found(group, doc_counts, deletions)
        if got:
            found[key] = (group[0][0], got)
    return _merges(merges, found), State(counts, key_hash, key_name, found)


def save(where: Path, state: State) -> None:
    zst_files.save_array(where / f"{PREFIX}counts.npy.zst", state.counts)
    zst_files.save_array(where / f"{PREFIX}hash.npy.zst", state.key_hash)
    zst_files.save_array(where / f"{PREFIX}name.npy.zst", state.key_name)
    zst_files.dump_json(
        where / f"{PREFIX}found.json.zst",
        # (in the groups' order: a full computation and an update's write the same bytes)
        [[*key, first, got] for key, (first, got) in _in_order(state.found)],
    )


def load(where: Path) -> State | None:
    """The state a generation saved, or None (none saved: an older generation)."""
    try:
        found = {
            (int(i), before, after): (first, dict(got))
            for i, before, after, first, got in zst_files.load_json(
                where / f"{PREFIX}found.json.zst"
            )
        }
        state = State(
            np.asarray(zst_files.load_array(where / f"{PREFIX}counts.npy.zst"), dtype=np.int64),
            np.asarray(zst_files.load_array(where / f"{PREFIX}hash.npy.zst"), dtype=np.uint32),
            np.asarray(zst_files.load_array(where / f"{PREFIX}name.npy.zst"), dtype=np.int32),
            found,
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if state.key_hash.size != state.key_name.size:
        return None
    return state
