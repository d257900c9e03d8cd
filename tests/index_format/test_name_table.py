"""Facet value names as written with a generation (index_format.name_table): by id and by name,
as the list and dict they replace, for any names (accents, scripts, prefixes of each other)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from index_format.name_table import BLOB, OFFSETS, ORDER, NameIds, NameTable, sorted_ids, write

NAMES = ["Joko Widodo", "Jokowi", "Joko", "Kompas.com", "Bekasi", "Ñusa", "東京", "Z", "Jo", ""]


def test_names_by_id_and_ids_by_name(tmp_path: Path) -> None:
    write(tmp_path / "f", NAMES)
    table = NameTable(tmp_path / "f")
    assert len(table) == len(NAMES) and list(table) == NAMES and table == NAMES
    assert table[-1] == NAMES[-1] and table[2:5] == NAMES[2:5]
    with pytest.raises(IndexError):
        table[len(NAMES)]
    ids = NameIds(table, {"Jokowi": 0})  # a merged variant answers for its canonical value
    want = {name: i for i, name in enumerate(NAMES)} | {"Jokowi": 0}
    assert dict(ids.items()) == want and ids == want and list(ids) == list(want)
    for name, vid in want.items():
        assert ids[name] == vid and name in ids
    for missing in ("joko widodo", "Jok", "Zz", "Bekasi ", "東"):
        assert missing not in ids and ids.get(missing) is None


def test_no_names(tmp_path: Path) -> None:
    write(tmp_path / "f", [])
    table = NameTable(tmp_path / "f")
    assert len(table) == 0 and list(table) == []
    assert NameIds(table, {}).get("Bekasi") is None


@pytest.mark.parametrize("names", [NAMES, [n for n in NAMES if n.isascii()], []])
def test_whole_table_decoded_and_compared(tmp_path: Path, names: list[str]) -> None:
    """`decoded` lists every name as asking for each does (ASCII or not), and `holds` is
    true for exactly the same names in the same order: not for names whose text joins the
    same but splits elsewhere ("Jo" + "ko" against "Joko" + ""), one changed, reordered,
    one more or fewer."""
    write(tmp_path / "f", names)
    table = NameTable(tmp_path / "f")
    assert table.decoded() == list(table) == names
    assert table.holds(names) and table.holds(tuple(names))
    if len(names) >= 2:
        moved = [names[0][:-1], names[0][-1:] + names[1], *names[2:]]
        assert "".join(moved) == "".join(names) and not table.holds(moved)
        assert not table.holds([names[1], names[0], *names[2:]])
        assert not table.holds([*names[:-1], names[-1] + "x"])
    assert not table.holds([*names, "Bekasi"]) and not table.holds(names[:-1] or ["x"])


def _files(prefix: Path) -> list[bytes]:
    return [Path(f"{prefix}-{suffix}").read_bytes() for suffix in (BLOB, OFFSETS, ORDER)]


@pytest.mark.parametrize("seed", range(12))
def test_order_kept_from_the_last_generation_is_a_full_sort(tmp_path: Path, seed: int) -> None:
    """A table written after the last generation's (its names first, as an update that only
    adds keeps them) has the files a fresh write gives, the byte order of new names merged
    into the old; names that are not the old ones first are sorted afresh, as is a table
    whose last generation wrote none."""
    rng = random.Random(seed)
    pool = [*NAMES, *("".join(rng.choices("aAbé東 .", k=rng.randint(1, 6))) for _ in range(80))]
    names = list(dict.fromkeys(pool))
    rng.shuffle(names)
    cut = rng.randint(0, len(names))
    write(tmp_path / "old", names[:cut])
    for now in (names, names[:cut], [*names[: max(cut - 1, 0)], *names[cut:]], names[::-1]):
        write(tmp_path / "full", now)
        write(tmp_path / "kept", now, previous=tmp_path / "old")
        assert _files(tmp_path / "kept") == _files(tmp_path / "full")
        table = NameTable(tmp_path / "kept")
        assert all(table.find(name) == i for i, name in enumerate(now))
    write(tmp_path / "full", names)
    write(tmp_path / "kept", names, previous=tmp_path / "missing")
    assert _files(tmp_path / "kept") == _files(tmp_path / "full")


def test_sorted_ids_from_the_last_generations_order(tmp_path: Path) -> None:
    """An update's names (the last generation's, then new ones) in sorted order: the table's
    order with the new names sorted in equals sorting every name; a table that does not hold
    the first names (or none) is not used."""
    rnd = random.Random(5)
    alphabet = ["a", "b", "Z", "é", "東", " ", "-"]
    pool = list(
        dict.fromkeys("".join(rnd.choices(alphabet, k=rnd.randint(0, 6))) for _ in range(600))
    )
    for trial in range(30):
        rnd.shuffle(pool)
        n_old = rnd.randint(0, len(pool) // 2)
        names = pool[: n_old + rnd.randint(0, 50)]
        write(tmp_path / f"t{trial}", names[:n_old])
        want = sorted(range(len(names)), key=names.__getitem__)
        assert sorted_ids(names, tmp_path / f"t{trial}") == want
        assert sorted_ids(names) == want
    write(tmp_path / "other", pool[1:4])  # not the first names: sorted afresh
    names = pool[:10]
    assert sorted_ids(names, tmp_path / "other") == sorted(range(10), key=names.__getitem__)
    assert sorted_ids(names, tmp_path / "missing") == sorted(range(10), key=names.__getitem__)
