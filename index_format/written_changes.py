"""The person facet's written-out merges (name_forms.written_out_merges) of an update, redone
only for the names whose decision the update can change.

written_out_merges visits the names of three words or more in order and merges each into the
one shorter name it finds (name_forms.written_out_target). What it finds for a name N reads
only: whether N is merged already, its article count, whether N's last word has two plain
names, and its *keys* — the names of fewer words with N's last word and their other words in
order among N's — with their counts and what the merges made so far (`out`: the merges it was
given, then its own decisions of the names before N) merge them into, followed to the end of
the chain, with the counts of the chains' ends. So a generation leaves the next (`State`):

- each name's article count, by the person facet's value id;
- the last word of every name of two words or more, and each word before the last with the
  last of every name of three words or more, as sorted 32-bit hashes with the name's id (a
  hash two keys share costs a look, not a wrong name: names are checked);
- the merges it was given, and its decisions (name → shorter name) in the order made.

An update whose names are the last generation's followed by new ones revisits the names that
are *changed* (new, their count or their given merge moved), those of a last word that now
has two plain names and had fewer, and those with a key whose chain, along the last
generation's merges and decisions, reaches a changed or a revisited name (whose decision may
differ), until none is added. Every other name reads the same inputs as before, in the same
order, so its decision is the last generation's: those are replayed in the visiting order
between the revisited ones, so that `out` holds, at each name, what a full run holds. Any
other update runs in full, as does one that touches more than FULL_SHARE of the names. The
result equals a full computation, in the same order (tests/index_format/
test_written_changes.py: random name sets and update sequences, and a case for each part).
"""

from __future__ import annotations

import itertools
import zlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from index_format import initial_changes, name_forms, zst_files
from index_format.entity_merge import resolved
from index_format.name_table import changed_names, sorted_names
from index_format.sorted_sets import inserted_pairs, sorted_pairs

FULL_SHARE = 0.3  # of the names: touching more, a full computation is no dearer
PREFIX = "written-state-"


@dataclass
class State:
    counts: np.ndarray  # int64 articles per person id
    word_hash: np.ndarray  # uint32, sorted: the hash of each name's last word
    word_name: np.ndarray  # int32: that name's id
    # Per name of three words or more, per word before its last: the hash of (that word, its
    # last word), sorted, with the name's id (what finds the longer names a name is a key of).
    within_hash: np.ndarray  # uint32, sorted
    within_name: np.ndarray  # int32
    merges: dict[str, str]  # the merges written_out_merges was given
    decided: dict[str, str]  # its own: name → shorter name, in the order it visited them
    # The initials' fits before it (name_forms.initial_fits), index_format.initial_changes:
    # the last generation's, loaded; this one's, as its files (held compressed).
    initial: initial_changes.State | None = field(default=None, repr=False)
    initial_files: initial_changes.Files | None = field(default=None, repr=False)


def _last_word(name: str) -> str:
    return name.split()[-1]


def _hash(word: str) -> int:
    return zlib.crc32(word.encode())


Arrays = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def _pairs(names: Sequence[str], first_id: int) -> Arrays:
    """(hash of the last word, name id) of each name of two words or more, and (hash of a
    word before the last with the last, name id) of each name of three words or more (ids
    from `first_id`), each sorted."""
    hashes: list[int] = []
    ids: list[int] = []
    within: list[int] = []
    within_ids: list[int] = []
    for at, name in enumerate(names, first_id):
        if name_forms.TWO_WORDS.search(name) is None:
            continue
        words = name.split()
        hashes.append(_hash(words[-1]))
        ids.append(at)
        if len(words) >= 3:
            for word in dict.fromkeys(words[:-1]):
                within.append(_hash(_within_key(word, words[-1])))
                within_ids.append(at)
    return (*_as_sorted(hashes, ids), *_as_sorted(within, within_ids))


def _within_key(word: str, last: str) -> str:
    return f"{word}\x00{last}"


def _as_sorted(hashes: list[int], ids: list[int]) -> tuple[np.ndarray, np.ndarray]:
    return sorted_pairs(np.array(hashes, dtype=np.uint32), np.array(ids, dtype=np.int32))


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
    if not sorted_names(doc_counts):
        return merged, None
    state = State(np.asarray(counts, dtype=np.int64), *_pairs(names, 0), dict(merges), decided)
    return merged, state


def incremental(
    names: Sequence[str],
    doc_counts: dict[str, int],
    counts: np.ndarray,
    merges: dict[str, str],
    prior: State,
    prior_names: Sequence[str],
    changes: Changes | None = None,
) -> tuple[dict[str, str], State] | None:
    """As `full`, from `prior` (the last generation's state, its names `prior_names`; the
    update's `changes` if found already); None when the update did not only add names after
    the last generation's or touched too many."""
    n_old, n = prior.counts.size, len(names)
    changes = changes or _changes(names, doc_counts, counts, prior, prior_names)
    if changes is None:
        return None
    touched, index = changes
    counts = np.asarray(counts, dtype=np.int64)
    moved = {name for name, _ in prior.merges.items() ^ merges.items()}
    if touched.size + len(moved) > FULL_SHARE * max(n, 1):
        return None
    changed = [names[i] for i in touched.tolist()] + sorted(moved)
    fresh = names[n_old:]
    visited = _visited(changed, _thin_buckets(fresh, n_old, index), prior, index)
    words = {_last_word(name) for name in visited}
    bucket = index.bucket(words)
    plain = name_forms.PlainNames({name: doc_counts[name] for name in sorted(bucket)})
    replayed = [(a, b) for a, b in prior.decided.items() if a not in visited]
    out = dict(merges)
    decided = _visit(sorted(visited), doc_counts, out, plain, replayed)
    state = State(counts, *index.arrays(), dict(merges), decided)
    return resolved(out), state


# The ids of the names an update changed (count moved, or new), and the names' index with its
# new names in it.
Changes = tuple[np.ndarray, "_Index"]


def _changes(
    names: Sequence[str],
    doc_counts: dict[str, int],
    counts: np.ndarray,
    prior: State,
    prior_names: Sequence[str],
) -> Changes | None:
    n_old = prior.counts.size
    touched = changed_names(prior.counts, prior_names, names, doc_counts, counts)
    if touched is None:
        return None
    index = _Index(names, prior.word_hash, prior.word_name, prior.within_hash, prior.within_name)
    if len(names) > n_old:
        index.add(names[n_old:], n_old)
    return touched, index


def fitted_full(
    names: Sequence[str], doc_counts: dict[str, int], counts: np.ndarray, merges: dict[str, str]
) -> tuple[dict[str, str], State | None]:
    """name_forms.initial_merges(doc_counts, merges): the initials' fits, then the written-out
    merges, each in full, with the state of both for the next generation."""
    fits, initial = initial_changes.full(names, doc_counts, merges)
    merged, state = full(names, doc_counts, counts, fits)
    _hold(state, initial)
    return merged, state


def fitted_incremental(
    names: Sequence[str],
    doc_counts: dict[str, int],
    counts: np.ndarray,
    merges: dict[str, str],
    prior: State,
    prior_names: Sequence[str],
) -> tuple[dict[str, str], State | None]:
    """As `fitted_full`, each step from `prior`'s where it can be (else in full). The
    initials' state keeps no counts nor names by last word: it reads this state's."""
    changes = _changes(names, doc_counts, counts, prior, prior_names)
    got: tuple[dict[str, str], initial_changes.State | None] | None = None
    if prior.initial is not None and changes is not None:
        touched, index = changes
        n_old = prior.counts.size
        got = initial_changes.incremental(
            names, doc_counts, merges, prior.initial, n_old, touched, index.last_names
        )
    prior.initial = None  # (freed once used)
    if got is None:
        got = initial_changes.full(names, doc_counts, merges)
    fits, initial = got
    written = None
    if changes is not None:
        written = incremental(names, doc_counts, counts, fits, prior, prior_names, changes)
    merged, state = written if written is not None else full(names, doc_counts, counts, fits)
    _hold(state, initial)
    return merged, state


def _hold(state: State | None, initial: initial_changes.State | None) -> None:
    """`initial` kept with `state`, as its files."""
    if state is not None and initial is not None:
        state.initial_files = initial_changes.packed(initial)


class _Index:
    """The names by last word (buckets) and the names of three words or more by each word
    before their last (with the last): the state's sorted hashes, new names inserted."""

    def __init__(self, names: Sequence[str], *arrays: np.ndarray) -> None:
        self._names = names
        self.word_hash, self.word_name, self.within_hash, self.within_name = arrays

    def add(self, names: Sequence[str], first_id: int) -> None:
        wh, wn, ih, iname = _pairs(names, first_id)
        self.word_hash, self.word_name = inserted_pairs(self.word_hash, self.word_name, wh, wn)
        self.within_hash, self.within_name = inserted_pairs(
            self.within_hash, self.within_name, ih, iname
        )

    def arrays(self) -> Arrays:
        return self.word_hash, self.word_name, self.within_hash, self.within_name

    def _ids(self, hashes: np.ndarray, ids: np.ndarray, keys: Iterable[str]) -> list[int]:
        wanted = np.array([_hash(key) for key in keys], dtype=np.uint32)
        los = np.searchsorted(hashes, wanted, "left").tolist()
        his = np.searchsorted(hashes, wanted, "right").tolist()
        return [i for lo, hi in zip(los, his, strict=True) for i in ids[lo:hi].tolist()]

    def bucket(self, words: set[str]) -> list[str]:
        """The names of two words or more whose last word is one of `words`."""
        names = self._names
        found = self._ids(self.word_hash, self.word_name, words)
        return [names[i] for i in found if _last_word(names[i]) in words]  # (shared hashes)

    def last_names(self, word: str) -> list[str]:
        """The names of two words or more whose text after their last space is `word` (a
        word: no space in it), in the names' order (name_forms._ByWord.last()'s)."""
        return sorted(n for n in self.bucket({word}) if n.rsplit(" ", 1)[-1] == word)

    def longer(self, keys: Iterable[str]) -> set[str]:
        """The names of three words or more that each of `keys` (names of two words or more)
        is a key of in written_out_merges: the same last word, fewer words, the other words
        in order among theirs."""
        split = {key: key.split() for key in keys}
        asked = {_within_key(w[0], w[-1]) for w in split.values()}
        found: set[str] = set()
        if not asked:
            return found
        by_key: dict[str, list[str]] = defaultdict(list)
        names = self._names
        for i in dict.fromkeys(self._ids(self.within_hash, self.within_name, asked)):
            words = names[i].split()
            for word in dict.fromkeys(words[:-1]):
                by_key[_within_key(word, words[-1])].append(names[i])
        for words in split.values():
            for name in by_key.get(_within_key(words[0], words[-1]), ()):
                other = name.split()
                if len(other) > len(words) and _in_order(words[:-1], other[:-1]):
                    found.add(name)
        return found


def _in_order(part: list[str], words: list[str]) -> bool:
    it = iter(words)
    return all(w in it for w in part)


def _thin_buckets(fresh: Sequence[str], n_old: int, index: _Index) -> set[str]:
    """The names of three words or more of each last word that had fewer than two plain
    names (written_out_merges skips them) and has a new plain one: all of them."""
    plain_new = [
        n for n in fresh if name_forms.TWO_WORDS.search(n) and not name_forms.has_initial(n)
    ]
    thin = set()
    names = index._names
    for word in {_last_word(n) for n in plain_new}:
        plain_old = (
            i
            for i in index._ids(index.word_hash, index.word_name, [word])
            if i < n_old and _last_word(names[i]) == word and not name_forms.has_initial(names[i])
        )
        # (two are enough: a common last word's bucket holds thousands of names)
        if len(list(itertools.islice(plain_old, 2))) < 2:
            thin.add(word)
    return {n for n in index.bucket(thin) if name_forms.THREE_WORDS.search(n)}


def _visited(changed: list[str], thin: set[str], prior: State, index: _Index) -> set[str]:
    """The names of three words or more whose decision the update can change: those changed
    (new, their count or their given merge moved), those of `thin` buckets, and every name
    one of whose keys has a chain (the last generation's merges and decisions) that reaches
    a changed name or a visited one (whose decision may differ), until none is added."""
    into: dict[str, list[str]] = defaultdict(list)  # the chains' links, backwards
    for a, b in itertools.chain(prior.merges.items(), prior.decided.items()):
        into[b].append(a)
    reached: set[str] = set()
    visited: set[str] = set()
    todo = [*changed, *thin]
    while todo:
        fresh: list[str] = []  # names whose chain reaches one of `todo`
        stack = [name for name in todo if name not in reached]
        reached.update(stack)
        while stack:
            name = stack.pop()
            fresh.append(name)
            for other in into.get(name, ()):
                if other not in reached:
                    reached.add(other)
                    stack.append(other)
        new = index.longer(filter(name_forms.TWO_WORDS.search, fresh))
        new.update(filter(name_forms.THREE_WORDS.search, changed))
        new.update(thin)
        new -= visited
        visited |= new
        todo = list(new)
        changed, thin = [], set()
    return visited


def save(where: Path, state: State) -> None:
    zst_files.save_array(where / f"{PREFIX}counts.npy.zst", state.counts)
    zst_files.save_array(where / f"{PREFIX}hash.npy.zst", state.word_hash)
    zst_files.save_array(where / f"{PREFIX}name.npy.zst", state.word_name)
    zst_files.save_array(where / f"{PREFIX}within-hash.npy.zst", state.within_hash)
    zst_files.save_array(where / f"{PREFIX}within-name.npy.zst", state.within_name)
    zst_files.dump_json(
        where / f"{PREFIX}merges.json.zst",
        {"merges": sorted(state.merges.items()), "decided": list(state.decided.items())},
    )
    if state.initial_files is not None:
        initial_changes.save(where, state.initial_files)


def load(where: Path) -> State | None:
    """The state a generation saved, or None (none saved: an older generation)."""
    try:
        merges = zst_files.load_json(where / f"{PREFIX}merges.json.zst")
        state = State(
            np.asarray(zst_files.load_array(where / f"{PREFIX}counts.npy.zst"), dtype=np.int64),
            np.asarray(zst_files.load_array(where / f"{PREFIX}hash.npy.zst"), dtype=np.uint32),
            np.asarray(zst_files.load_array(where / f"{PREFIX}name.npy.zst"), dtype=np.int32),
            np.asarray(
                zst_files.load_array(where / f"{PREFIX}within-hash.npy.zst"), dtype=np.uint32
            ),
            np.asarray(
                zst_files.load_array(where / f"{PREFIX}within-name.npy.zst"), dtype=np.int32
            ),
            {a: b for a, b in merges["merges"]},
            {a: b for a, b in merges["decided"]},
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if state.word_hash.size != state.word_name.size:
        return None
    if state.within_hash.size != state.within_name.size:
        return None
    state.initial = initial_changes.load(where)
    return state
