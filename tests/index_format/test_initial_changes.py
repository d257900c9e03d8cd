"""An update's person initial fits are redone only for the names with initials it can change
(index_format.initial_changes): the merges must be exactly those of a full computation
(name_forms.initial_fits, itself held equal to tests/index_format/reference_merges.py), in the
same order, over random name sets and random sequences of new names, count changes up and
down, changed earlier merges and names dropped, with the state saved and loaded between steps;
and most steps must not recompute in full. Hand-made cases show each part of the change
handling matters."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import numpy as np
import pytest

from index_format import initial_changes, name_forms, name_table, written_changes
from index_format.entity_merge import resolved
from index_format.name_table import NameTable

_FIRST = ["Bambang", "Rini", "Laode", "Agus", "Baharuddin", "Sri"]
_MIDDLE = ["Muhammad", "Jusuf", "Soemarno", "Rahardjo", "Mulyani", "Pamungkas"]
_LAST = ["Habibie", "Syarif", "Brodjonegoro", "Riyanto", "Soemarno"]


def _name(rnd: random.Random) -> str:
    first, last = rnd.choice(_FIRST), rnd.choice(_LAST)
    kind = rnd.random()
    if kind < 0.08:
        return first  # (one word)
    if kind < 0.16:  # initials run together opening the name
        return rnd.choice(["BJ", "B.J.", "SM", "B. J."]) + " " + last
    middle = rnd.sample(_MIDDLE, rnd.choice([0, 1, 1, 2]))
    words = [first]
    for word in middle:
        roll = rnd.random()
        if roll < 0.35:
            words.append(word[0])  # an initial
        elif roll < 0.5:
            words.append(word[0] + ".")
        elif roll < 0.55:
            words.append(word.replace("o", "oe", 1))  # another spelling
        else:
            words.append(word)
    if rnd.random() < 0.15:
        last = last[0]  # the last word's initial
    return " ".join([*words, last])


def _count(rnd: random.Random) -> int:
    return rnd.choice([1, 1, 2, 3, 5, 8, 20])


def _merges(names: list[str], rnd: random.Random) -> dict[str, str]:
    """Merges found before (archive and case merges): some names taken already, some chains."""
    picked = rnd.sample(names, k=min(len(names), rnd.randint(0, 6)))
    return resolved({a: b for a, b in zip(picked[::2], picked[1::2], strict=False)})


def _step(
    names: list[str], counts: dict[str, int], merges: dict[str, str], where: Path
) -> tuple[dict[str, str], bool]:
    """The fits from the state in `where` (none there: in full), the state saved back (with
    the names' counts and names, which written_changes keeps beside it)."""
    where.mkdir(exist_ok=True)
    doc_counts = {n: counts[n] for n in sorted(names)}
    by_id = np.array([counts[n] for n in names], dtype=np.int64)
    got = None
    prior = initial_changes.load(where)
    if prior is not None:
        before = np.load(where / "counts.npy")
        touched = name_table.changed_names(
            before, NameTable(where / "facets-person"), names, doc_counts, by_id
        )
        if touched is not None:
            got = initial_changes.incremental(
                names, doc_counts, merges, prior, before.size, touched, _by_last(names)
            )
    incremental = got is not None
    if got is None:
        got = initial_changes.full(names, doc_counts, merges)
    merged, state = got
    assert state is not None
    initial_changes.save(where, state)
    name_table.write(where / "facets-person", names)
    np.save(where / "counts.npy", by_id)
    return merged, incremental


def _next_update(
    names: list[str], counts: dict[str, int], merges: dict[str, str], rnd: random.Random
) -> dict[str, str]:
    """An update's names (new ones after the old, in place) and counts (an article added or
    deleted, in place); its earlier merges returned: now and then others, or one moved."""
    for _ in range(rnd.randint(0, 4)):
        name = _name(rnd)
        if name not in counts:
            names.append(name)
            counts[name] = _count(rnd)
    for name in rnd.sample(names, k=min(len(names), rnd.randint(0, 3))):
        counts[name] = max(0, counts[name] + rnd.choice([-20, -3, -1, 1, 2, 10, 30]))
    if rnd.random() < 0.2:
        return _merges(names, rnd)
    if rnd.random() < 0.3 and merges:  # one merge moved
        merges = dict(merges)
        del merges[rnd.choice(sorted(merges))]
    return merges


def _by_last(names: list[str]) -> initial_changes.ByLast:
    def found(word: str) -> list[str]:
        return sorted(n for n in names if len(n.split()) >= 2 and n.rsplit(" ", 1)[-1] == word)

    return found


def _check(
    tmp_path: Path, names: list[str], counts: dict[str, int], merges: dict[str, str]
) -> bool:
    got, redone = _step(names, counts, merges, tmp_path)
    want = name_forms.initial_fits({n: counts[n] for n in sorted(names)}, merges)
    assert got == want
    assert list(got.items()) == list(want.items()), "another order"
    # The state kept is a full computation's, byte for byte.
    _step(names, counts, merges, fresh := tmp_path.parent / f"{tmp_path.name}-full")
    for path in sorted(fresh.glob(f"{initial_changes.PREFIX}*")):
        assert path.read_bytes() == (tmp_path / path.name).read_bytes(), path.name
    shutil.rmtree(fresh)
    return redone


@pytest.mark.parametrize("seed", range(40))
def test_initial_fits_of_updates_equal_a_full_computation(
    tmp_path: Path, seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # (Small name sets: most updates would visit more than FULL_SHARE of them.)
    monkeypatch.setattr(initial_changes, "FULL_SHARE", 1.0)
    rnd = random.Random(seed)
    names = list(dict.fromkeys(_name(rnd) for _ in range(rnd.randint(30, 80))))
    counts = {n: _count(rnd) for n in names}
    merges = _merges(names, rnd)
    incremental = fitted = 0
    for step in range(14):
        try:
            incremental += _check(tmp_path, names, counts, merges)
        except AssertionError as e:
            raise AssertionError(f"step {step}") from e
        fitted += len(name_forms.initial_fits(dict.fromkeys(sorted(names), 1), {})) > 0
        # The next update, now and then with a name gone (a full computation).
        merges = _next_update(names, counts, merges, rnd)
        if rnd.random() < 0.05 and len(names) > 3:
            gone = rnd.choice(names[:-1])
            names.remove(gone)
            merges = resolved({a: b for a, b in merges.items() if gone not in (a, b)})
    assert incremental >= 9  # (else the test proves little about the incremental path)
    assert fitted >= 5


def _twice(
    tmp_path: Path,
    first: dict[str, int],
    then: dict[str, int],
    merges: dict[str, str] | None = None,
    then_merges: dict[str, str] | None = None,
) -> dict[str, str]:
    """The fits of a second generation (counts `then`: the first's names, then new ones)
    from the first's state, checked against a full computation (other names with initials
    beside them, that the update leaves: it visits fewer than FULL_SHARE)."""
    others = {f"Sri {letter} Orang": 1 for letter in "CDEFGHJKLNOQ"}
    first, then = first | others, then | others
    names = list(first) + [n for n in then if n not in first]
    _step(list(first), first, merges or {}, tmp_path)
    later = then_merges if then_merges is not None else (merges or {})
    assert _check(tmp_path, names, then, later)
    return name_forms.initial_fits({n: then[n] for n in sorted(names)}, later)


def test_a_new_full_name_in_a_bucket_redoes_its_names_with_initials(tmp_path: Path) -> None:
    """A new "Agus Riyanto" beside "Agus Rahardjo": "Agus R" fits two, so no merge (the
    bucket key of the new name, not any name "Agus R" read, says so)."""
    first = {"Agus R": 2, "Agus Rahardjo": 10}
    assert name_forms.initial_fits(first, {}) == {"Agus R": "Agus Rahardjo"}
    assert _twice(tmp_path, first, first | {"Agus Riyanto": 10}) == {}


def test_a_count_read_through_a_chain_redoes_the_reader(tmp_path: Path) -> None:
    """ "Rini M Soemarno" fits "Rini Mulyani Soemarno", which an earlier merge took into
    "Rini Soemarno": its count falling below the initials' makes the initials the target."""
    first = {"Rini M Soemarno": 5, "Rini Mulyani Soemarno": 1, "Rini Soemarno": 10}
    merges = {"Rini Mulyani Soemarno": "Rini Soemarno"}
    got = _twice(tmp_path, first, first | {"Rini Soemarno": 1}, merges)
    assert got["Rini Soemarno"] == "Rini M Soemarno"


def test_a_moved_earlier_merge_redoes_its_readers(tmp_path: Path) -> None:
    first = {"Laode M Syarif": 2, "Laode Muhammad Syarif": 10, "Laode Syarif": 3}
    moved = {"Laode Muhammad Syarif": "Laode Syarif"}
    got = _twice(tmp_path, first, first, {}, then_merges=moved)
    assert got.get("Laode M Syarif") == "Laode Syarif"


def test_a_decision_that_writes_anew_redoes_the_names_after_it(tmp_path: Path) -> None:
    """ "Agus A Rahardjo" (now 30 articles) takes "Agus Rahardjo" into itself, a write it did
    not make before; "Agus M Rahardjo", after it, read "Agus Rahardjo" unmerged and took it
    (10 articles against 3): it must now read the new merge and join "Agus A Rahardjo"."""
    first = {"Agus A Rahardjo": 1, "Agus M Rahardjo": 10, "Agus Rahardjo": 3}
    assert name_forms.initial_fits(first, {}) == {
        "Agus A Rahardjo": "Agus M Rahardjo",
        "Agus Rahardjo": "Agus M Rahardjo",
    }
    got = _twice(tmp_path, first, first | {"Agus A Rahardjo": 30})
    assert got == {"Agus Rahardjo": "Agus A Rahardjo", "Agus M Rahardjo": "Agus A Rahardjo"}


def test_a_generation_without_state_loads_none(tmp_path: Path) -> None:
    assert initial_changes.load(tmp_path) is None


@pytest.mark.parametrize("seed", range(12))
def test_initial_merges_kept_with_the_written_out_state_equal_a_full_computation(
    tmp_path: Path, seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As facet_arrays runs them: written_changes.fitted_* (the initials' state beside the
    written-out one, whose counts and names by last word it reads), saved and loaded between
    updates; both states a full computation's byte for byte."""
    monkeypatch.setattr(initial_changes, "FULL_SHARE", 1.0)
    monkeypatch.setattr(written_changes, "FULL_SHARE", 1.0)
    rnd = random.Random(seed)
    names = list(dict.fromkeys(_name(rnd) for _ in range(rnd.randint(30, 80))))
    counts = {n: _count(rnd) for n in names}
    merges = _merges(names, rnd)

    def step(where: Path) -> dict[str, str]:
        where.mkdir(exist_ok=True)
        doc_counts = {n: counts[n] for n in sorted(names)}
        by_id = np.array([counts[n] for n in names], dtype=np.int64)
        prior = written_changes.load(where)
        if prior is None:
            got = written_changes.fitted_full(names, doc_counts, by_id, merges)
        else:
            before = NameTable(where / "facets-person")
            got = written_changes.fitted_incremental(
                names, doc_counts, by_id, merges, prior, before
            )
        merged, state = got
        assert state is not None
        written_changes.save(where, state)
        name_table.write(where / "facets-person", names)
        return merged

    for _ in range(10):
        got = step(tmp_path)
        want = name_forms.initial_merges({n: counts[n] for n in sorted(names)}, merges)
        assert got == want and list(got.items()) == list(want.items())
        step(fresh := tmp_path.parent / f"{tmp_path.name}-full")
        for path in sorted(fresh.glob("*-state-*")):
            assert path.read_bytes() == (tmp_path / path.name).read_bytes(), path.name
        shutil.rmtree(fresh)
        merges = _next_update(names, counts, merges, rnd)
