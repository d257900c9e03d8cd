"""An update's person written-out merges are redone only for the names it can change
(index_format.written_changes): the merges must be exactly those of a full computation (the
oracle: tests/index_format/reference_merges.py), in the same order, over random name sets and
random sequences of new names, count changes up and down, changed earlier merges and names
dropped, with the state saved and loaded between steps; and most steps must not recompute in
full. Hand-made cases show each part of the change handling matters."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest

from index_format import name_forms, name_table, written_changes
from index_format.entity_merge import resolved
from index_format.name_table import NameTable
from tests.index_format import reference_merges

_FIRST = ["Hasri", "Ainun", "Besari", "Muhammad", "Joko", "Dewi", "Budi", "Sri"]
_LAST = ["Habibie", "Widodo", "Mulyani", "Syahputra", "Hidayat"]


def _name(rnd: random.Random) -> str:
    k = rnd.choice([0, 1, 1, 2, 2, 3])  # words before the last
    if k == 0:
        return rnd.choice(_FIRST + _LAST)  # (one word: no bucket)
    words = rnd.sample(_FIRST, k)
    if rnd.random() < 0.05:
        return "  ".join([*words, rnd.choice(_LAST)])  # spaced oddly
    return " ".join([*words, rnd.choice(_LAST)])


def _count(name: str, rnd: random.Random) -> int:
    if len(name.split()) <= 2:  # the short forms, written more often
        return rnd.choice([1, 2, 5, 10, 20, 40])
    return rnd.choice([1, 1, 2, 3, 5])


def _merges(names: list[str], rnd: random.Random) -> dict[str, str]:
    """Merges found before (resolved, as initial_fits gives them): some names taken already,
    some chains between last words."""
    picked = rnd.sample(names, k=min(len(names), rnd.randint(0, 8)))
    return resolved({a: b for a, b in zip(picked[::2], picked[1::2], strict=False)})


def _step(
    names: list[str], counts: dict[str, int], merges: dict[str, str], where: Path
) -> tuple[dict[str, str], bool]:
    """The merges from the state in `where` (None there: in full), the state saved back."""
    where.mkdir(exist_ok=True)
    doc_counts = {n: counts[n] for n in sorted(names)}
    by_id = np.array([counts[n] for n in names], dtype=np.int64)
    got = None
    prior = written_changes.load(where)
    if prior is not None:
        got = written_changes.incremental(
            names, doc_counts, by_id, merges, prior, NameTable(where / "facets-person")
        )
    incremental = got is not None
    if got is None:
        got = written_changes.full(names, doc_counts, by_id, merges)
    merged, state = got
    assert state is not None
    written_changes.save(where, state)
    name_table.write(where / "facets-person", names)
    return merged, incremental


@pytest.mark.parametrize("seed", range(24))
def test_written_out_merges_of_updates_equal_a_full_computation(tmp_path: Path, seed: int) -> None:
    rnd = random.Random(seed)
    names = list(dict.fromkeys(_name(rnd) for _ in range(rnd.randint(30, 90))))
    counts = {n: _count(n, rnd) for n in names}
    merges = _merges(names, rnd)
    incremental = merged_any = 0
    for step in range(14):
        got, redone = _step(names, counts, merges, tmp_path)
        want = reference_merges.written_out_merges({n: counts[n] for n in sorted(names)}, merges)
        assert got == want, f"step {step}"
        assert list(got.items()) == list(want.items()), f"step {step}: another order"
        # The state kept is a full computation's, byte for byte.
        _step(names, counts, merges, fresh := tmp_path / f"full-{step}")
        for path in sorted(fresh.glob(f"{written_changes.PREFIX}*")):
            assert path.read_bytes() == (tmp_path / path.name).read_bytes(), (step, path.name)
        incremental += redone
        merged_any += len(set(got) - set(merges)) > 0
        # The next update: new names after the old ones, counts moved (an article added or
        # deleted), now and then other earlier merges or a name gone (a full computation).
        for _ in range(rnd.randint(0, 4)):
            name = _name(rnd)
            if name not in counts:
                names.append(name)
                counts[name] = _count(name, rnd)
        for name in rnd.sample(names, k=min(len(names), rnd.randint(0, 3))):
            counts[name] = max(1, counts[name] + rnd.choice([-30, -3, -1, 1, 2, 10, 30]))
        if rnd.random() < 0.3:
            merges = _merges(names, rnd)
        elif rnd.random() < 0.3 and merges:  # one merge moved
            del merges[rnd.choice(sorted(merges))]
        if rnd.random() < 0.1 and len(names) > 3:
            names.remove(rnd.choice(names[:-1]))
            merges = {a: b for a, b in merges.items() if a in counts and b in names}
            merges = resolved({a: b for a, b in merges.items() if a in names})
    assert incremental >= 9  # (else the test proves little about the incremental path)
    assert merged_any >= 3


def _counts_of(names: list[str], counts: dict[str, int]) -> dict[str, int]:
    return {n: counts[n] for n in sorted(names)}


def _twice(
    tmp_path: Path,
    first: dict[str, int],
    then: dict[str, int],
    merges: dict[str, str],
    then_merges: dict[str, str] | None = None,
) -> tuple[dict[str, str], dict[str, str]]:
    """The merges of a second generation (counts `then`: the first's names, then new ones)
    computed from the first's state, and in full."""
    _step(list(first), first, merges, tmp_path)
    later = then_merges if then_merges is not None else merges
    got, redone = _step(list(then), then, later, tmp_path)
    assert redone
    return got, reference_merges.written_out_merges(_counts_of(list(then), then), later)


# "Joko Sri Dewi Hidayat" fits "Dewi Hidayat" and "Sri Hidayat", which earlier merges took
# into names of another last word: "Budi Dewi Widodo" (itself written out of "Budi Widodo", a
# decision made before in order) and "Budi Sri Widodo". Of "Budi Widodo" and "Budi Sri
# Widodo" the widest is the one target; of "Budi Dewi Widodo" and "Budi Sri Widodo", none.
_CHAINED = {
    "Joko Sri Dewi Hidayat": 1,
    "Dewi Hidayat": 10,
    "Sri Hidayat": 10,
    "Budi Dewi Widodo": 1,
    "Budi Widodo": 10,
    "Budi Sri Widodo": 10,
}
_CHAINS = {"Dewi Hidayat": "Budi Dewi Widodo", "Sri Hidayat": "Budi Sri Widodo"}


def test_a_decision_read_through_another_last_words_is_replayed_in_order(tmp_path: Path) -> None:
    """A new name of "Hidayat" redoes its bucket, not "Widodo"'s: the decision of "Budi Dewi
    Widodo" is replayed before "Joko Sri Dewi Hidayat" reads it, as a full run made it."""
    then = _CHAINED | {"Budi Hidayat": 1}
    got, want = _twice(tmp_path, _CHAINED, then, _CHAINS)
    assert want["Joko Sri Dewi Hidayat"] == "Budi Sri Widodo"
    assert got == want and list(got.items()) == list(want.items())


def test_a_change_a_chain_reaches_redoes_the_bucket_it_leaves(tmp_path: Path) -> None:
    """ "Budi Widodo" drops to one article: "Budi Dewi Widodo" is no longer written out of it,
    so "Joko Sri Dewi Hidayat" (whose bucket nothing changed) now finds two targets."""
    then = _CHAINED | {"Budi Widodo": 1}
    got, want = _twice(tmp_path, _CHAINED, then, _CHAINS)
    assert "Joko Sri Dewi Hidayat" not in want
    assert got == want


def test_a_chain_into_a_redone_bucket_redoes_the_bucket_it_leaves(tmp_path: Path) -> None:
    """A new "Dewi Widodo" (as common as "Budi Widodo") leaves "Budi Dewi Widodo" two
    targets, so no merge: "Joko Sri Dewi Hidayat", whose chain passes through that unchanged
    name of the redone bucket, finds two targets too."""
    then = _CHAINED | {"Dewi Widodo": 10}
    got, want = _twice(tmp_path, _CHAINED, then, _CHAINS)
    assert "Budi Dewi Widodo" not in want and "Joko Sri Dewi Hidayat" not in want
    assert got == want


def test_a_second_plain_name_of_a_last_word_opens_its_bucket(tmp_path: Path) -> None:
    """written_out_merges skips a last word of fewer than two plain names: a new "Budi
    Habibie" (no key of "Ainun B Habibie") makes two, and "Ainun B Habibie" then joins
    "Ainun Habibie"."""
    counts = {"Ainun Habibie": 10, "Ainun B Habibie": 1} | {f"Orang{i}": 1 for i in range(9)}
    got, want = _twice(tmp_path, counts, counts | {"Budi Habibie": 1}, {})
    assert got == want == {"Ainun B Habibie": "Ainun Habibie"}


def test_a_moved_earlier_merge_redoes_its_bucket(tmp_path: Path) -> None:
    counts = {"Ainun Habibie": 10, "Ainun Besari Habibie": 1, "Besari Habibie": 1}
    counts["Hasri Mulyani"] = 3
    moved = {"Ainun Besari Habibie": "Hasri Mulyani"}
    got, want = _twice(tmp_path, counts, counts, {}, then_merges=moved)
    assert got == want == moved


def test_a_generation_without_state_loads_none(tmp_path: Path) -> None:
    assert written_changes.load(tmp_path) is None


def test_names_not_the_last_generations_first_are_computed_in_full(tmp_path: Path) -> None:
    rnd = random.Random(3)
    names = list(dict.fromkeys(_name(rnd) for _ in range(40)))
    counts = {n: _count(n, rnd) for n in names}
    _step(names, counts, {}, tmp_path)
    prior = written_changes.load(tmp_path)
    assert prior is not None
    moved = [names[1], names[0], *names[2:]]
    doc_counts = _counts_of(moved, counts)
    by_id = np.array([counts[n] for n in moved], dtype=np.int64)
    before = NameTable(tmp_path / "facets-person")
    assert written_changes.incremental(moved, doc_counts, by_id, {}, prior, before) is None
    assert written_changes.incremental(names, doc_counts, by_id, {}, prior, before) is not None


def test_written_out_merges_is_the_full_computation() -> None:
    rnd = random.Random(5)
    names = list(dict.fromkeys(_name(rnd) for _ in range(200)))
    counts = _counts_of(names, {n: _count(n, rnd) for n in names})
    merges = _merges(names, rnd)
    by_id = np.array([counts[n] for n in names], dtype=np.int64)
    got, _ = written_changes.full(names, counts, by_id, merges)
    assert got == name_forms.written_out_merges(counts, merges)
    assert got == reference_merges.written_out_merges(counts, merges)
