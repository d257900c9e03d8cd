"""An update's person spelling merges are redone only for the spelling groups it touches
(index_format.spelling_changes): the merges must be exactly those of a full computation (the
oracle: tests/index_format/reference_merges.py) over random name sets and random sequences of
new names, count changes up and down, changed earlier merges and names dropped, with the
state saved and loaded between steps; and most steps must not recompute in full."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest

from index_format import name_table, spelling_changes
from index_format.name_table import NameTable
from tests.index_format import reference_merges

# Words spelled a few ways one letter apart (long enough to count), and short ones.
_STEMS = ["Brodjonegoro", "Syamsuddin", "Purnomo", "Setiawan", "Kurniawan", "Hidayat"]
_SHORT = ["Sri", "Aji", "Tio"]
_FIRST = ["Bambang", "Aziz", "Muhammad", "Joko", "Dewi", "Budi", "Agus"]


def _spellings(word: str, rnd: random.Random) -> str:
    i = rnd.randrange(1, len(word))
    return rnd.choice(
        [
            word,
            word,
            word[:i] + word[i + 1 :],
            word[:i] + "h" + word[i:],
            word[:i] + "e" + word[i + 1 :],
        ]
    )


def _name(rnd: random.Random) -> str:
    words = [rnd.choice(_FIRST)]
    if rnd.random() < 0.3:
        words.append(rnd.choice(_SHORT))
    words.append(_spellings(rnd.choice(_STEMS), rnd))
    if rnd.random() < 0.2:
        words.append(_spellings(rnd.choice(_STEMS), rnd))
    if rnd.random() < 0.05:
        return words[0]  # (one word: no keys)
    return " ".join(words)


def _count(rnd: random.Random) -> int:
    return rnd.choice([1, 1, 1, 1, 2, 3, 5, 8, 20, 40])


def _merges(names: list[str], rnd: random.Random) -> dict[str, str]:
    """Merges found before the spelling ones (some names taken already)."""
    picked = rnd.sample(names, k=min(len(names), rnd.randint(0, 6)))
    return {a: b for a, b in zip(picked[::2], picked[1::2], strict=False)}


def _step(
    names: list[str], counts: dict[str, int], merges: dict[str, str], where: Path
) -> tuple[dict[str, str], bool]:
    """The merges from the state in `where` (None there: in full), the state saved back."""
    where.mkdir(exist_ok=True)
    doc_counts = {n: counts[n] for n in sorted(names)}
    by_id = np.array([counts[n] for n in names], dtype=np.int64)
    got = None
    prior = spelling_changes.load(where)
    if prior is not None:
        got = spelling_changes.incremental(
            names, doc_counts, by_id, merges, prior, NameTable(where / "facets-person")
        )
    incremental = got is not None
    if got is None:
        got = spelling_changes.full(names, doc_counts, by_id, merges)
    merged, state = got
    assert state is not None
    spelling_changes.save(where, state)
    name_table.write(where / "facets-person", names)
    return merged, incremental


@pytest.mark.parametrize("seed", range(16))
def test_spelling_merges_of_updates_equal_a_full_computation(tmp_path: Path, seed: int) -> None:
    rnd = random.Random(seed)
    names = list(dict.fromkeys(_name(rnd) for _ in range(rnd.randint(20, 80))))
    counts = {n: _count(rnd) for n in names}
    incremental = merged_any = 0
    for step in range(14):
        merges = _merges(names, rnd)
        got, redone = _step(names, counts, merges, tmp_path)
        want = reference_merges.spelling_merges({n: counts[n] for n in sorted(names)}, merges)
        assert got == want, f"step {step}"
        # The state kept is a full computation's, byte for byte.
        _step(names, counts, merges, fresh := tmp_path / f"full-{step}")
        for path in sorted(fresh.glob(f"{spelling_changes.PREFIX}*")):
            assert path.read_bytes() == (tmp_path / path.name).read_bytes(), (step, path.name)
        incremental += redone
        merged_any += len(set(got) - set(merges)) > 0
        # The next update: new names after the old ones, counts moved (an article added or
        # deleted), now and then a name gone (its ids move: a full computation).
        for _ in range(rnd.randint(0, 4)):
            name = _name(rnd)
            if name not in counts:
                names.append(name)
                counts[name] = _count(rnd)
        for name in rnd.sample(names, k=min(len(names), rnd.randint(0, 3))):
            counts[name] = max(1, counts[name] + rnd.choice([-3, -1, 1, 2, 10]))
        if rnd.random() < 0.1 and len(names) > 3:
            names.remove(rnd.choice(names[:-1]))
    assert incremental >= 9  # (else the test proves little about the incremental path)
    assert merged_any >= 3


def test_a_generation_without_state_loads_none(tmp_path: Path) -> None:
    assert spelling_changes.load(tmp_path) is None


def test_names_not_the_last_generations_first_are_computed_in_full(tmp_path: Path) -> None:
    rnd = random.Random(3)
    names = list(dict.fromkeys(_name(rnd) for _ in range(40)))
    counts = {n: _count(rnd) for n in names}
    _step(names, counts, {}, tmp_path)
    prior = spelling_changes.load(tmp_path)
    assert prior is not None
    moved = [names[1], names[0], *names[2:]]
    doc_counts = {n: counts[n] for n in sorted(moved)}
    by_id = np.array([counts[n] for n in moved], dtype=np.int64)
    before = NameTable(tmp_path / "facets-person")
    assert spelling_changes.incremental(moved, doc_counts, by_id, {}, prior, before) is None
    assert spelling_changes.incremental(names, doc_counts, by_id, {}, prior, before) is not None


def test_a_name_two_groups_find_goes_with_the_first_group(tmp_path: Path) -> None:
    """ "Agus Setiawan Hidayat" is a rare spelling in two groups (its second word, its third):
    the group of the first name in order takes it ("Agus Setiawan Hidajat" opens the third
    word's group), also when an update leaves both groups as they were."""
    counts = {"Agus Setiawan Hidayat": 1, "Agus Setiawen Hidayat": 5, "Agus Setiawan Hidajat": 5}
    names = list(counts)
    first, _ = _step(names, counts, {}, tmp_path)
    names.append("Budi Kurniawan")
    counts["Budi Kurniawan"] = 2
    again, redone = _step(names, counts, {}, tmp_path)
    want = reference_merges.spelling_merges({n: counts[n] for n in sorted(names)}, {})
    assert redone and first == again == want
    assert want == {"Agus Setiawan Hidayat": "Agus Setiawan Hidajat"}
