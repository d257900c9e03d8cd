"""The person facet's initial fits (name_forms.initial_fits) of an update, redone only for the
names with initials whose decision the update can change.

initial_fits joins the dotted forms of a name first (`dotted_merges`, every name, cheap), then
visits the names that may hold an initial in order and decides each one (name_forms.
initial_fit) from what it reads: its own count and merge, its *bucket* (the names without
initials of its first word and last word or letter; of its last word and first letter for
initials run together; the given names of a last word), the counts of the bucket's names that
fit it and what the merges made so far (`out`) merge them into, followed along the chain. So a
generation leaves the next (`State`), each name's reads recorded as it is decided:

- each name's article count, by the person facet's value id;
- per visited name (`readers`), every name and bucket it read, as sorted 32-bit hashes with
  the reader's position (a hash two keys share costs a visit, not a wrong decision);
- the names of two words or more by their last word (hashes with the id: the given names and
  the buckets of initials run together, looked up without indexing every name again);
- the merges the loop started from, and each visited name's writes into `out` in order.

An update whose names are the last generation's followed by new ones marks *dirty* the names
whose count moved, the new names' buckets, and the names whose starting merge moved; it
revisits the names that read a dirty key and adds what they wrote last time to the dirty keys,
until none is added, then runs the loop over those names only, the others' writes replayed in
the visiting order between them (so `out` holds, at each visited name, what a full run holds,
and every name not visited reads what it read last time: its decision stands). A revisited
name that now writes a key it did not write before adds that key's readers, and the loop runs
again. Any other update runs in full, as does one that visits more than FULL_SHARE of the
names. The result equals initial_fits' (tests/index_format/test_initial_changes.py).
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable, Iterator, Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import zstandard

from index_format import name_forms, zst_files
from index_format.entity_merge import resolved
from index_format.name_table import changed_names, sorted_names
from index_format.sorted_sets import inserted_pairs, sorted_pairs

FULL_SHARE = 0.3  # of the names with initials: visiting more, a full computation is no dearer
PREFIX = "initial-state-"

Writes = list[tuple[str, str]]


@dataclass
class State:
    counts: np.ndarray  # int64 articles per person id
    readers: list[str]  # every name the loop visited (each name that may hold an initial)
    read_hash: np.ndarray  # uint32, sorted: the hash of a key a reader read
    read_by: np.ndarray  # int32: that reader's position in `readers`
    last_hash: np.ndarray  # uint32, sorted: the last word of each name of two words or more
    last_name: np.ndarray  # int32: that name's id
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
    (`names` given) or found in the state's last-word hashes; each bucket asked recorded. Only
    names of two words or more are found by the hashes: initial_fit asks for no other."""

    def __init__(
        self, reading: _Reading, made: Mapping[str, list[str]] | None, index: _Last | None
    ):
        self._reading, self._made, self._index = reading, made, index

    def __getitem__(self, word: str) -> list[str]:
        self._reading.read.add(_given_key(word))
        if self._made is not None:
            found = self._made.get(word, [])
        else:
            assert self._index is not None
            found = self._index.names(word)
        if not found:
            raise KeyError(word)
        return found

    def __iter__(self) -> Iterator[str]:
        raise TypeError("not listed")

    def __len__(self) -> int:
        raise TypeError("not listed")


class _ByWord(name_forms._ByWord):
    def __init__(self, names: list[str], reading: _Reading, index: _Last | None) -> None:
        super().__init__(names)
        self._reading, self._index = reading, index

    def last(self) -> Mapping[str, list[str]]:
        made = super().last() if self._index is None else None
        return _LastWords(self._reading, made, self._index)


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


class _Last:
    """The names of two words or more by the text after their last space (hashes, ids)."""

    def __init__(self, names: Sequence[str], hashes: np.ndarray, ids: np.ndarray) -> None:
        self._names, self.hashes, self.ids = names, hashes, ids
        self._found: dict[str, list[str]] = {}

    @staticmethod
    def pairs(names: Sequence[str], first_id: int) -> tuple[np.ndarray, np.ndarray]:
        hashes, ids = [], []
        for at, name in enumerate(names, first_id):
            if name_forms.TWO_WORDS.search(name) is not None:
                hashes.append(_hash(name.rsplit(" ", 1)[-1]))
                ids.append(at)
        return sorted_pairs(np.array(hashes, dtype=np.uint32), np.array(ids, dtype=np.int32))

    def add(self, names: Sequence[str], first_id: int) -> None:
        self.hashes, self.ids = inserted_pairs(self.hashes, self.ids, *self.pairs(names, first_id))

    def names(self, word: str) -> list[str]:
        found = self._found.get(word)
        if found is None:
            found = self._found[word] = self._names_of(word)
        return found

    def _names_of(self, word: str) -> list[str]:
        h = np.uint32(_hash(word))
        lo = int(np.searchsorted(self.hashes, h, "left"))
        hi = int(np.searchsorted(self.hashes, h, "right"))
        names = self._names
        found = (names[i] for i in self.ids[lo:hi].tolist())
        return sorted(n for n in found if n.rsplit(" ", 1)[-1] == word)


class _Lookups:
    """What initial_fit looks names up in, its reads recorded (made once per update: the
    buckets it indexes hold for every pass)."""

    def __init__(self, doc_counts: Mapping[str, int], index: _Last | None) -> None:
        self.reading = _Reading()
        self.by_word = _ByWord(list(doc_counts), self.reading, index)
        self.fitting = _FullNames(self.by_word, self.reading)
        self.counts = _Counts(doc_counts, self.reading)


def _visit(
    order: Iterable[str],
    out: dict[str, str],
    lookups: _Lookups,
    replayed: Sequence[tuple[str, Writes]] = (),
) -> tuple[dict[str, set[str]], dict[str, Writes]]:
    """initial_fits' loop over `order` with each name's reads recorded, the writes `replayed`
    (of other names, in the loop's order) put into `out` where the loop would have made them;
    returns each visited name's reads and every name's writes, in order."""
    reading, by_word, fitting, counts = (
        lookups.reading,
        lookups.by_word,
        lookups.fitting,
        lookups.counts,
    )
    reads: dict[str, set[str]] = {}
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
        reads[name] = reading.read
        if recorded.wrote:
            decided[name] = recorded.wrote
    for other, writes in replayed[at:]:
        for key, target in writes:
            out[key] = target
        decided[other] = writes
    return reads, decided


def _read_pairs(reads: dict[str, set[str]], at: Mapping[str, int]) -> tuple[np.ndarray, np.ndarray]:
    hashes = [_hash(k) for keys in reads.values() for k in keys]
    by = [at[name] for name, keys in reads.items() for _ in keys]
    return np.array(hashes, dtype=np.uint32), np.array(by, dtype=np.int32)


def full(
    names: Sequence[str], doc_counts: dict[str, int], counts: np.ndarray, merges: dict[str, str]
) -> tuple[dict[str, str], State | None]:
    """initial_fits(doc_counts, merges) and the state for the next generation (`names`: the
    person facet's names by id, `counts` their articles by id; no state when the names of
    `doc_counts` do not come sorted, as facet_arrays gives them)."""
    if not sorted_names(doc_counts):
        return name_forms.initial_fits(doc_counts, merges), None
    dotted = name_forms.dotted_merges(doc_counts, merges)
    out = dict(dotted)
    readers = list(filter(name_forms._MAYBE_INITIAL.search, doc_counts))
    reads, decided = _visit(readers, out, _Lookups(doc_counts, None))
    at = {name: i for i, name in enumerate(readers)}
    state = State(
        np.asarray(counts, dtype=np.int64),
        readers,
        *sorted_pairs(*_read_pairs(reads, at)),
        *_Last.pairs(names, 0),
        dotted,
        decided,
    )
    return resolved(out), state


class _Readers:
    """Who read which key: the state's sorted hashes, looked up many keys at a time."""

    def __init__(self, state: State) -> None:
        self._hash, self._by, self._readers = state.read_hash, state.read_by, state.readers

    def of(self, keys: Iterable[str]) -> set[str]:
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
        readers = self._readers
        return {readers[i] for i in np.unique(np.concatenate(spans)).tolist()}


def incremental(
    names: Sequence[str],
    doc_counts: dict[str, int],
    counts: np.ndarray,
    merges: dict[str, str],
    prior: State,
    prior_names: Sequence[str],
) -> tuple[dict[str, str], State] | None:
    """As `full`, from `prior` (the last generation's state, its names `prior_names`); None
    when the update did not only add names after the last generation's or visits too many."""
    touched = changed_names(prior.counts, prior_names, names, doc_counts, counts)
    if touched is None:
        return None
    n_old = prior.counts.size
    fresh = names[n_old:]
    dotted = name_forms.dotted_merges(doc_counts, merges)
    dirty = {names[i] for i in touched.tolist()}
    dirty.update(name for name, _ in prior.dotted.items() ^ dotted.items())
    for name in fresh:
        dirty.update(bucket_keys(name))
    maybe = name_forms._MAYBE_INITIAL.search
    visited = {name for name in (names[i] for i in touched.tolist()) if maybe(name)}
    dirty.update(k for name in visited for k, _ in prior.decided.get(name, ()))
    readers = _Readers(prior)
    limit = FULL_SHARE * max(len(prior.readers), 1)
    last = _Last(names, prior.last_hash, prior.last_name)
    if fresh:
        last.add(fresh, n_old)
    lookups = _Lookups(doc_counts, last)
    asked: set[str] = set()  # dirty keys whose readers are visited
    while True:
        while todo := dirty - asked:  # the readers of dirty keys, and what they wrote last time
            asked |= todo
            for name in readers.of(todo) - visited:
                visited.add(name)
                dirty.update(k for k, _ in prior.decided.get(name, ()))
            if len(visited) > limit:
                return None
        out = dict(dotted)
        replayed = [(a, w) for a, w in prior.decided.items() if a not in visited]
        reads, decided = _visit(sorted(visited), out, lookups, replayed)
        # A write a visited name did not make last time: its readers too, if any is not
        # visited (else the pass stands).
        wrote = {k for name in visited for k, _ in decided.get(name, ())} - asked
        dirty |= wrote
        if not readers.of(wrote) - visited:
            break
    state = _next_state(prior, names, counts, visited, reads, last, dotted, decided)
    return resolved(out), state


def _next_state(
    prior: State,
    names: Sequence[str],
    counts: np.ndarray,
    visited: set[str],
    reads: dict[str, set[str]],
    last: _Last,
    dotted: dict[str, str],
    decided: dict[str, Writes],
) -> State:
    """The state a full computation leaves, byte for byte: the readers in the names' order
    (the new ones put in their places), the visited ones' reads replaced."""
    was = set(prior.readers)
    readers = sorted(was | visited) if not visited <= was else list(prior.readers)
    at = {name: i for i, name in enumerate(readers)}
    moved = np.array([at[name] for name in prior.readers], dtype=np.int32)
    again = np.array(sorted(at[name] for name in visited), dtype=np.int32)
    old_by = moved[prior.read_by] if moved.size else prior.read_by
    keep = ~np.isin(old_by, again)
    hashes, by = _read_pairs(reads, at)
    read_hash, read_by = sorted_pairs(
        np.concatenate([prior.read_hash[keep], hashes]), np.concatenate([old_by[keep], by])
    )
    return State(
        np.asarray(counts, dtype=np.int64),
        readers,
        read_hash,
        read_by,
        last.hashes,
        last.ids,
        dotted,
        decided,
    )


Files = dict[str, bytes]  # a state's files by name, their bytes as `save` writes them


def packed(state: State) -> Files:
    """The files of `state`, made at once: held compressed (a few MB at 2.2M articles, not
    the tens of its dicts and names) through the rest of the derived files, whose memory
    peaks later (the joins)."""
    text = json.dumps(
        {
            "readers": state.readers,
            "dotted": sorted(state.dotted.items()),
            "decided": list(state.decided.items()),
        },
        ensure_ascii=False,
    )
    return {
        f"{PREFIX}counts.npy.zst": zst_files.packed(state.counts).tobytes(),
        f"{PREFIX}read-hash.npy.zst": zst_files.packed(state.read_hash).tobytes(),
        f"{PREFIX}read-by.npy.zst": zst_files.packed(state.read_by).tobytes(),
        f"{PREFIX}last-hash.npy.zst": zst_files.packed(state.last_hash).tobytes(),
        f"{PREFIX}last-name.npy.zst": zst_files.packed(state.last_name).tobytes(),
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

        def array(name: str, dtype: type) -> np.ndarray:
            return np.asarray(zst_files.load_array(where / f"{PREFIX}{name}.npy.zst"), dtype=dtype)

        state = State(
            array("counts", np.int64),
            list(got["readers"]),
            array("read-hash", np.uint32),
            array("read-by", np.int32),
            array("last-hash", np.uint32),
            array("last-name", np.int32),
            {a: b for a, b in got["dotted"]},
            {a: [(k, v) for k, v in w] for a, w in got["decided"]},
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if state.read_hash.size != state.read_by.size or state.last_hash.size != state.last_name.size:
        return None
    return state
