"""The person facet's written-out merges (name_forms.written_out_merges) of an update, redone
only for the last words the update can change.

written_out_merges visits the names of three words or more in order and merges each into the
one shorter name it finds (name_forms.written_out_target). What it finds for a name N reads
only: whether N is merged already, the names of N's last word (a *bucket*: every key it looks
up ends with that word) and their article counts, and what the merges made so far (`out`:
the merges it was given, then its own decisions of the names before N) merge those into,
followed to the end of the chain, with the counts of the chains' ends. So a generation leaves
the next (`State`):

- each name's article count, by the person facet's value id;
- the last word of every name of two words or more, as sorted 32-bit hashes with the name's
  id (a hash shared by two words costs a look, not a wrong bucket: names are checked);
- the merges it was given, and its decisions (name → shorter name) in the order made.

An update whose names are the last generation's followed by new ones redoes the buckets that
hold a *changed* name — new, its count moved, or its given merge moved — and every bucket with
a name whose chain, along the last generation's merges and decisions, reaches a changed name
or a name of a bucket redone (until no bucket is added). Every other bucket's names read the
same inputs as before, in the same order, so their decisions are the last generation's; they
are replayed in the visiting order between the redone ones, so that `out` holds, at each
name, what a full run holds. Any other update runs in full, as does one that touches more than
FULL_SHARE of the names. The result equals a full computation, in the same order
(tests/index_format/test_written_changes.py).
"""

from __future__ import annotations

import itertools
import operator
import zlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index_format import name_forms, zst_files
from index_format.entity_merge import resolved
from index_format.name_table import NameTable

FULL_SHARE = 0.3  # of the names: touching more, a full computation is no dearer
PREFIX = "written-state-"


@dataclass
class State:
    counts: np.ndarray  # int64 articles per person id
    word_hash: np.ndarray  # uint32, sorted: the hash of each name's last word
    word_name: np.ndarray  # int32: that name's id
    merges: dict[str, str]  # the merges written_out_merges was given
    decided: dict[str, str]  # its own: name → shorter name, in the order it visited them


def _last_word(name: str) -> str:
    return name.split()[-1]


def _hash(word: str) -> int:
    return zlib.crc32(word.encode())


def _pairs(names: Sequence[str], first_id: int) -> tuple[np.ndarray, np.ndarray]:
    """(hash of the last word, name id) of each name of two words or more (ids from
    `first_id`), sorted."""
    hashes: list[int] = []
    ids: list[int] = []
    for at, name in enumerate(names, first_id):
        if name_forms.TWO_WORDS.search(name) is not None:
            hashes.append(_hash(_last_word(name)))
            ids.append(at)
    h, i = np.array(hashes, dtype=np.uint32), np.array(ids, dtype=np.int32)
    order = np.lexsort((i, h))
    return h[order], i[order]


def _inserted(
    word_hash: np.ndarray, word_name: np.ndarray, new_hash: np.ndarray, new_ids: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The pairs sorted by (hash, id) with the new ones (sorted, their ids above every old
    one) inserted, without sorting the old again."""
    combined = word_hash.astype(np.uint64) << np.uint64(32) | word_name.astype(np.uint64)
    fresh = new_hash.astype(np.uint64) << np.uint64(32) | new_ids.astype(np.uint64)
    at = np.searchsorted(combined, fresh)
    return np.insert(word_hash, at, new_hash), np.insert(word_name, at, new_ids)


def _sorted_names(doc_counts: dict[str, int]) -> bool:
    """Whether the names come sorted, as facet_arrays gives them (the visiting order is then
    the names' own, which an update's new names do not change for the others)."""
    names = list(doc_counts)
    return all(map(operator.lt, names, itertools.islice(names, 1, None)))


def _visit(
    names: Iterable[str],
    doc_counts: dict[str, int],
    out: dict[str, str],
    plain: name_forms.PlainNames,
    replayed: Sequence[tuple[str, str]] = (),
) -> dict[str, str]:
    """written_out_merges' loop over `names` (in its order), with the decisions `replayed`
    (of other names, in that order) put into `out` where the loop would have made them;
    returns every decision, in order."""
    decided: dict[str, str] = {}
    at, n = 0, len(replayed)
    for name in names:
        while at < n and replayed[at][0] < name:
            other, into = replayed[at]
            out[other] = decided[other] = into
            at += 1
        short = name_forms.written_out_target(name, doc_counts, out, plain)
        if short is not None:
            out[name] = decided[name] = short
    for other, into in replayed[at:]:
        out[other] = decided[other] = into
    return decided


def full(
    names: Sequence[str], doc_counts: dict[str, int], counts: np.ndarray, merges: dict[str, str]
) -> tuple[dict[str, str], State | None]:
    """written_out_merges(doc_counts, merges) and the state for the next generation (`names`:
    the person facet's names by id, `counts` their articles by id; no state when the names
    of `doc_counts` do not come sorted, as facet_arrays gives them)."""
    out = dict(merges)
    plain = name_forms.PlainNames(doc_counts)
    decided = _visit(filter(name_forms.THREE_WORDS.search, doc_counts), doc_counts, out, plain)
    merged = resolved(out)
    if not _sorted_names(doc_counts):
        return merged, None
    word_hash, word_name = _pairs(names, 0)
    state = State(np.asarray(counts, dtype=np.int64), word_hash, word_name, dict(merges), decided)
    return merged, state


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
    if n < n_old or len(prior_names) != n_old or not _sorted_names(doc_counts):
        return None
    head = list(names[:n_old])
    same = (
        prior_names.holds(head) if isinstance(prior_names, NameTable) else list(prior_names) == head
    )
    if not same:
        return None
    counts = np.asarray(counts, dtype=np.int64)
    touched = np.concatenate([np.flatnonzero(counts[:n_old] != prior.counts), np.arange(n_old, n)])
    moved = {name for name, _ in prior.merges.items() ^ merges.items()}
    if touched.size + len(moved) > FULL_SHARE * max(n, 1):
        return None
    word_hash, word_name = prior.word_hash, prior.word_name
    if n > n_old:
        word_hash, word_name = _inserted(word_hash, word_name, *_pairs(names[n_old:], n_old))
    words = _redone_words(
        names, [names[i] for i in touched.tolist()] + list(moved), prior, word_hash, word_name
    )
    bucket = sorted(_bucket_names(names, words, word_hash, word_name))
    plain = name_forms.PlainNames({name: doc_counts[name] for name in bucket})
    replayed = [(a, b) for a, b in prior.decided.items() if _last_word(a) not in words]
    out = dict(merges)
    visited = filter(name_forms.THREE_WORDS.search, bucket)
    decided = _visit(visited, doc_counts, out, plain, replayed)
    return resolved(out), State(counts, word_hash, word_name, dict(merges), decided)


def _bucket_names(
    names: Sequence[str], words: set[str], word_hash: np.ndarray, word_name: np.ndarray
) -> list[str]:
    """The names of two words or more whose last word is one of `words`."""
    if not words:
        return []
    wanted = np.array([_hash(word) for word in words], dtype=np.uint32)
    los = np.searchsorted(word_hash, wanted, "left").tolist()
    his = np.searchsorted(word_hash, wanted, "right").tolist()
    found = []
    for lo, hi in zip(los, his, strict=True):
        for i in word_name[lo:hi].tolist():
            if _last_word(names[i]) in words:  # (a hash two words share)
                found.append(names[i])
    return found


def _redone_words(
    names: Sequence[str],
    changed: list[str],
    prior: State,
    word_hash: np.ndarray,
    word_name: np.ndarray,
) -> set[str]:
    """The last words whose buckets are redone: those of the changed names and of every name
    whose chain (the last generation's merges and decisions) reaches a changed name or a
    name of a redone bucket."""
    into: dict[str, list[str]] = defaultdict(list)  # the chains' links, backwards
    for a, b in itertools.chain(prior.merges.items(), prior.decided.items()):
        into[b].append(a)
    words: set[str] = set()
    reached = set(changed)
    todo = list(reached)
    while todo:
        while todo:  # every name whose chain reaches one of `todo`
            name = todo.pop()
            for other in into.get(name, ()):
                if other not in reached:
                    reached.add(other)
                    todo.append(other)
        bucketed = filter(name_forms.TWO_WORDS.search, reached)  # (one word: no bucket)
        fresh = {_last_word(name) for name in bucketed} - words
        if not fresh:
            break
        words |= fresh
        todo = [n for n in _bucket_names(names, fresh, word_hash, word_name) if n not in reached]
        reached.update(todo)
    return words


def save(where: Path, state: State) -> None:
    zst_files.save_array(where / f"{PREFIX}counts.npy.zst", state.counts)
    zst_files.save_array(where / f"{PREFIX}hash.npy.zst", state.word_hash)
    zst_files.save_array(where / f"{PREFIX}name.npy.zst", state.word_name)
    zst_files.dump_json(
        where / f"{PREFIX}merges.json.zst",
        {"merges": sorted(state.merges.items()), "decided": list(state.decided.items())},
    )


def load(where: Path) -> State | None:
    """The state a generation saved, or None (none saved: an older generation)."""
    try:
        merges = zst_files.load_json(where / f"{PREFIX}merges.json.zst")
        state = State(
            np.asarray(zst_files.load_array(where / f"{PREFIX}counts.npy.zst"), dtype=np.int64),
            np.asarray(zst_files.load_array(where / f"{PREFIX}hash.npy.zst"), dtype=np.uint32),
            np.asarray(zst_files.load_array(where / f"{PREFIX}name.npy.zst"), dtype=np.int32),
            {a: b for a, b in merges["merges"]},
            {a: b for a, b in merges["decided"]},
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if state.word_hash.size != state.word_name.size:
        return None
    return state
