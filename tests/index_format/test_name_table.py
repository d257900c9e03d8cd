"""Facet value names as written with a generation (index_format.name_table): by id and by name,
as the list and dict they replace, for any names (accents, scripts, prefixes of each other)."""

from __future__ import annotations

from pathlib import Path

import pytest

from index_format.name_table import NameIds, NameTable, write

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
