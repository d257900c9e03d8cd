"""The person facet's initial fits (name_forms.initial_fits) of an update, redone only for the
names with initials whose decision the update can change.

initial_fits joins the dotted forms of a name first (`dotted_merges`, every name, cheap), then
visits the names that may hold an initial in order and decides each one (name_forms.
initial_fit) from what it reads: its own count and merge, its *bucket* (the names without
initials of its first word and last word or letter; of its last word and first letter for
initials run together; the given names of a last word), the counts of the bucket's names that
fit it and what the merges made so far (`out`) merge them into, followed along the chain. So a
generation leaves the next (`State`), each name's reads recorded as it is decided:

- per visited name, every name and bucket it read, as sorted 32-bit hashes with the name's
  id (a hash two keys share costs a visit, not a wrong decision);
- the merges the loop started from, and each visited name's writes into `out` in order.

The names' counts and the names by last word (for the given names and the buckets of initials
run together, without indexing every name again) are written_changes' state's, which is kept
beside this one (written_changes.fitted_incremental).

An update whose names are the last generation's followed by new ones marks *dirty* the names
whose count moved, the new names' buckets, and the names whose starting merge moved; it
revisits the names that read a dirty key and adds what they wrote last time to the dirty keys,
until none is added, then runs the loop over those names only, the others' writes replayed in
the visiting order between them (so `out` holds, at each visited name, what a full run holds,
and every name not visited reads what it read last time: its decision stands). A revisited
name that now writes a key it did not write before adds that key's readers, and the loop runs
again. Any other update runs in full, as does one that visits more than FULL_SHARE of the
names. The result equals initial_fits', and the state a full computation's byte for byte
(tests/index_format/test_initial_changes.py).
"""

from __future__ import annotations

import array
import itertools
import json
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import zstandard

from index_format import name_forms, zst_files
from index_format.entity_merge import resolved
from index_format.name_table import sorted_names
from index_format.sorted_sets import sorted_pairs

FULL_SHARE = 0.3  # of the names with initials: visiting more, a full computation is no dearer
PREFIX = "initial-state-"
VERSION = 1  # of the state's files (another: not read, the fits computed in full once)

Writes = list[tuple[str, str]]


@dataclass
class State:
    read_hash: np.ndarray  # uint32, sorted: the hash of a key a name the loop visited read
    read_by: np.ndarray  # int32: that name's id (each visited name reads itself at least)
    dotted: dict[str, str]  # the merges the loop started from
    decided: dict[str, Writes]  # per visited name that wrote, its writes, in visiting order


def _hash(key: str) -> int:
    return zlib.crc32(key.encode("utf-8", "surrogatepass"))


def _hashes(keys: Iterable[str]) -> np.ndarray:
    return np.array([_hash(k) for k in keys], dtype=np.uint32)


# Bucket keys (no name holds "\x00"): what initial_fit looks up besides names.
def _first_key(first: str, last: str) -> str:
    return f"\x00F\x00{first}\x00{last}"


def _letter_key(first: str, letter: str) -> str:
    return f"\x00f\x00{first}\x00{letter}"


def _glued_key(last: str, letter: str) -> str:
    return f"\x00G\x00{last}\x00{letter}"


def _given_key(last: str) -> str:
    return f"\x00L\x00{last}"


def bucket_keys(name: str) -> set[str]:
    """Every bucket `name` can stand in, as _FullNames and _ByWord find them (a superset)."""
    words = name.split()
    if not words:
        return set()
    first, last = name.split(" ", 1)[0], name.rsplit(" ", 1)[-1]
    return {
        _first_key(first, words[-1]),
        _letter_key(first, words[-1][0]),
        _glued_key(last, words[0][0]),
        _given_key(last),
    }


class _Reading:
    """The keys the name being decided reads (set per name by `_visit`)."""

    def __init__(self) -> None:
        self.read: set[str] = set()


class _Counts(Mapping[str, int]):
    def __init__(self, counts: Mapping[str, int], reading: _Reading) -> None:
        self._counts, self._reading = counts, reading

    def __getitem__(self, name: str) -> int:
        self._reading.read.add(name)
        return self._counts[name]

    def get(self, name: str, default: int | None = None) -> int | None:  # type: ignore[override]
        self._reading.read.add(name)
        return self._counts.get(name, default)

    def __iter__(self) -> Iterator[str]:
        return iter(self._counts)

    def __len__(self) -> int:
        return len(self._counts)


class _Out(MutableMapping[str, str]):
    """The merges made so far, every key read and every write recorded."""

    def __init__(self, out: dict[str, str], reading: _Reading) -> None:
        self._out, self._reading = out, reading
        self.wrote: Writes = []

    def __contains__(self, name: object) -> bool:
        self._reading.read.add(str(name))
        return name in self._out

    def __getitem__(self, name: str) -> str:
        self._reading.read.add(name)
        return self._out[name]

    def __setitem__(self, name: str, target: str) -> None:
        self.wrote.append((name, target))
        self._out[name] = target

    def setdefault(self, name: str, target: str) -> str:
        self._reading.read.add(name)
        if name in self._out:
            return self._out[name]
        self[name] = target
        return target

    def __delitem__(self, name: str) -> None:
        raise TypeError("initial_fit never removes a merge")

    def __iter__(self) -> Iterator[str]:
        return iter(self._out)

    def __len__(self) -> int:
        return len(self._out)


class _LastWords(Mapping[str, list[str]]):
    """by_word.last(): the names by the text after their last space, made when first asked
    (`made`) or found by `index` (`found`: those found so far); each bucket asked recorded.
    `index` finds the names of two words or more only: initial_fit asks for no other."""

    def __init__(
        self,
        reading: _Reading,
        made: Mapping[str, list[str]] | None,
        index: ByLast | None,
        found: dict[str, list[str]],
    ):
        self._reading, self._made, self._index, self._found = reading, made, index, found

    def __getitem__(self, word: str) -> list[str]:
        self._reading.read.add(_given_key(word))
        if self._made is not None:
            found = self._made.get(word, [])
        else:
            assert self._index is not None
            if word not in self._found:
                self._found[word] = self._index(word)
            found = self._found[word]
        if not found:
            raise KeyError(word)
        return found

    def __iter__(self) -> Iterator[str]:
        raise TypeError("not listed")

    def __len__(self) -> int:
        raise TypeError("not listed")


class _ByWord(name_forms._ByWord):
    def __init__(self, names: list[str], reading: _Reading, index: ByLast | None) -> None:
        super().__init__(names)
        self._reading, self._index = reading, index
        self._found: dict[str, list[str]] = {}

    def last(self) -> Mapping[str, list[str]]:
        made = super().last() if self._index is None else None
        return _LastWords(self._reading, made, self._index, self._found)


class _FullNames(name_forms._FullNames):
    def __init__(self, by_word: _ByWord, reading: _Reading) -> None:
        super().__init__(by_word)
        self._reading = reading

    def candidates(self, name: str, words: list[str], glued: bool) -> name_forms._FullNames.Entries:
        if glued:
            key = _glued_key(words[-1], words[0])
        elif name_forms._INITIAL.match(words[-1]):
            key = _letter_key(words[0], words[-1][0])
        else:
            key = _first_key(words[0], words[-1])
        # (What indexing a bucket looks up on first use is the bucket's: its key stands for
        # it, not the lookups, which only the first name to ask would record.)
        reading, self._reading.read = self._reading.read, set()
        try:
            return super().candidates(name, words, glued)
        finally:
            self._reading.read = reading
            reading.add(key)


# The names of two words or more of a last word (the text after the last space), in the
# names' order: by_word.last()'s, found without indexing every name (written_changes' index).
ByLast = Callable[[str], list[str]]


class _Lookups:
    """What initial_fit looks names up in, its reads recorded (made once per update: the
    buckets it indexes hold for every pass)."""

    def __init__(self, doc_counts: Mapping[str, int], index: ByLast | None) -> None:
        self.reading = _Reading()
        self.by_word = _ByWord(list(doc_counts), self.reading, index)
        self.fitting = _FullNames(self.by_word, self.reading)
        self.counts = _Counts(doc_counts, self.reading)


def _visit(
    order: Iterable[str],
    out: dict[str, str],
    lookups: _Lookups,
    ids: Mapping[str, int],
    replayed: Sequence[tuple[str, Writes]] = (),
) -> tuple[np.ndarray, np.ndarray, dict[str, Writes]]:
    """initial_fits' loop over `order` with each name's reads recorded, the writes `replayed`
    (of other names, in the loop's order) put into `out` where the loop would have made them;
    returns the reads (hashes of the keys, with the reader's id in `ids`: made as they come,
    not held as strings) and every name's writes, in order."""
    reading, by_word, fitting, counts = (
        lookups.reading,
        lookups.by_word,
        lookups.fitting,
        lookups.counts,
    )
    hashes, by = array.array("I"), array.array("i")
    decided: dict[str, Writes] = {}
    at, n = 0, len(replayed)
    for name in order:
        while at < n and replayed[at][0] < name:
            other, writes = replayed[at]
            for key, target in writes:
                out[key] = target
            decided[other] = writes
            at += 1
        reading.read = {name}
        recorded = _Out(out, reading)
        name_forms.initial_fit(name, counts, recorded, by_word, fitting)
        hashes.extend(map(_hash, reading.read))
        by.extend(itertools.repeat(ids[name], len(reading.read)))
        if recorded.wrote:
            decided[name] = recorded.wrote
    for other, writes in replayed[at:]:
        for key, target in writes:
            out[key] = target
        decided[other] = writes
    return np.frombuffer(hashes, dtype=np.uint32), np.frombuffer(by, dtype=np.int32), decided


def full(
    names: Sequence[str], doc_counts: dict[str, int], merges: dict[str, str]
) -> tuple[dict[str, str], State | None]:
    """initial_fits(doc_counts, merges) and the state for the next generation (`names`: the
    person facet's names by id; no state when the names of `doc_counts` do not come sorted,
    as facet_arrays gives them)."""
    if not sorted_names(doc_counts):
        return name_forms.initial_fits(doc_counts, merges), None
    dotted = name_forms.dotted_merges(doc_counts, merges)
    out = dict(dotted)
    maybe = name_forms._MAYBE_INITIAL.search
    ids = {name: i for i, name in enumerate(names) if maybe(name)}
    readers = list(filter(maybe, doc_counts))
    hashes, by, decided = _visit(readers, out, _Lookups(doc_counts, None), ids)
    state = State(*sorted_pairs(hashes, by), dotted, decided)
    return resolved(out), state


class _Readers:
    """Who read which key: the state's sorted hashes, looked up many keys at a time."""

    def __init__(self, state: State) -> None:
        self._hash, self._by = state.read_hash, state.read_by

    def of(self, keys: Iterable[str]) -> set[int]:
        """The ids of the names that read one of `keys` (or a key of the same hash)."""
        wanted = np.unique(_hashes(keys))
        if not wanted.size:
            return set()
        los = np.searchsorted(self._hash, wanted, "left")
        his = np.searchsorted(self._hash, wanted, "right")
        hit = np.flatnonzero(his > los)
        if not hit.size:
            return set()
        spans = [
            self._by[lo:hi] for lo, hi in zip(los[hit].tolist(), his[hit].tolist(), strict=True)
        ]
        return set(np.unique(np.concatenate(spans)).tolist())


def incremental(
    names: Sequence[str],
    doc_counts: dict[str, int],
    merges: dict[str, str],
    prior: State,
    n_old: int,
    touched: np.ndarray,
    by_last: ByLast,
) -> tuple[dict[str, str], State] | None:
    """As `full`, from `prior` (the last generation's state): `names` are the last
    generation's `n_old` followed by new ones, `touched` the ids of the names whose count
    moved or that are new (name_table.changed_names), `by_last` finds the names of a last
    word. None when the update visits too many names."""
    maybe = name_forms._MAYBE_INITIAL.search
    dotted = name_forms.dotted_merges(doc_counts, merges)
    dirty = {names[i] for i in touched.tolist()}
    dirty.update(name for name, _ in prior.dotted.items() ^ dotted.items())
    for name in names[n_old:]:
        dirty.update(bucket_keys(name))
    visited = {names[i]: i for i in touched.tolist() if maybe(names[i])}
    dirty.update(k for name in visited for k, _ in prior.decided.get(name, ()))
    readers = _Readers(prior)
    limit = FULL_SHARE * max(int(np.unique(prior.read_by).size), 1)
    lookups = _Lookups(doc_counts, by_last)
    asked: set[str] = set()  # dirty keys whose readers are visited
    while True:
        while todo := dirty - asked:  # the readers of dirty keys, and what they wrote last time
            asked |= todo
            for i in readers.of(todo):
                if names[i] not in visited:
                    visited[names[i]] = i
                    dirty.update(k for k, _ in prior.decided.get(names[i], ()))
            if len(visited) > limit:
                return None
        out = dict(dotted)
        replayed = [(a, w) for a, w in prior.decided.items() if a not in visited]
        hashes, by, decided = _visit(sorted(visited), out, lookups, visited, replayed)
        # A write a visited name did not make last time: its readers too, if any is not
        # visited (else the pass stands).
        wrote = {k for name in visited for k, _ in decided.get(name, ())} - asked
        dirty |= wrote
        if all(names[i] in visited for i in readers.of(wrote)):
            break
    # The state a full computation leaves, byte for byte: the visited names' reads replaced.
    keep = ~np.isin(prior.read_by, np.array(sorted(visited.values()), dtype=np.int32))
    read_hash, read_by = sorted_pairs(
        np.concatenate([prior.read_hash[keep], hashes]), np.concatenate([prior.read_by[keep], by])
    )
    return resolved(out), State(read_hash, read_by, dotted, decided)


Files = dict[str, bytes]  # a state's files by name, their bytes as `save` writes them


def packed(state: State) -> Files:
    """The files of `state`, made at once: held compressed (a few MB at 2.2M articles, not
    the tens of its dicts and names) through the rest of the derived files, whose memory
    peaks later (the joins)."""
    text = json.dumps(
        {
            "version": VERSION,
            "dotted": sorted(state.dotted.items()),
            "decided": list(state.decided.items()),
        },
        ensure_ascii=False,
    )
    return {
        f"{PREFIX}read-hash.npy.zst": zst_files.packed(state.read_hash).tobytes(),
        f"{PREFIX}read-by.npy.zst": zst_files.packed(state.read_by).tobytes(),
        # (as zst_files.dump_json writes it)
        f"{PREFIX}merges.json.zst": zstandard.ZstdCompressor(level=zst_files.LEVEL).compress(
            text.encode("utf-8")
        ),
    }


def save(where: Path, state: State | Files) -> None:
    for name, data in (packed(state) if isinstance(state, State) else state).items():
        (where / name).write_bytes(data)


def load(where: Path) -> State | None:
    """The state a generation saved, or None (none saved: an older generation)."""
    try:
        got = zst_files.load_json(where / f"{PREFIX}merges.json.zst")
        if got.get("version") != VERSION:
            return None
        state = State(
            np.asarray(zst_files.load_array(where / f"{PREFIX}read-hash.npy.zst"), np.uint32),
            np.asarray(zst_files.load_array(where / f"{PREFIX}read-by.npy.zst"), np.int32),
            {a: b for a, b in got["dotted"]},
            {a: [(k, v) for k, v in w] for a, w in got["decided"]},
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if state.read_hash.size != state.read_by.size:
        return None
    return state
