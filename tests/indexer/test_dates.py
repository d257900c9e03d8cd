"""Dates written in Indonesian news text (indexer.dates); which of them is the publication
date is tests/test_date_choice.py."""

from __future__ import annotations

from datetime import date

import pytest

from indexer.dates import find_dates, is_date_line, parse_date


@pytest.mark.parametrize(
    ("text", "day", "month", "year", "weekday"),
    [
        ("pada Selasa (11/1/2022), protes", 11, 1, 2022, 1),
        ("pada hari Senin (10/01/2022), dihadiri", 10, 1, 2022, 0),
        ("Selasa, 11 Januari 2022.", 11, 1, 2022, 1),
        ("terbit 10 Jan 2022 pukul 10.00", 10, 1, 2022, None),
        ("diperbarui 2022-01-10T08:00", 10, 1, 2022, None),
        ("pada Senin (10/1), Tokayev", 10, 1, None, 0),
        ("Jum'at (14/1) lalu", 14, 1, None, 4),
        ("Minggu, 9 Januari", 9, 1, None, 6),
        ("Monday, January 10, 2022", 10, 1, 2022, 0),
        ("sejak 17 Agustus 1945", 17, 8, 1945, None),
        ("Rabu (5/2/22)", 5, 2, 2022, 2),
        ("10 Nopember 2021", 10, 11, 2021, None),
        ("Kamis 19 September 2019.", 19, 9, 2019, 3),
    ],
)
def test_find_dates(text: str, day: int, month: int, year: int | None, weekday: int | None) -> None:
    [m] = find_dates(text)
    assert (m.day, m.month, m.year, m.weekday) == (day, month, year, weekday)


@pytest.mark.parametrize(
    "text",
    [
        "skor 6-3, 6-2 dalam final",
        "naik 1,2 persen menjadi US$ 82",
        "dalam satu minggu lalu",
        "sebanyak 2.030 tentara dan 250 unit",
        "nomor (a),(b),(c)",
        "pada (45/13) tidak ada",
        "Pasal 2 dan 4 Perjanjian",
    ],
)
def test_not_dates(text: str) -> None:
    assert find_dates(text) == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2022-01-10", date(2022, 1, 10)),
        ("2022-01-10T08:15:00+07:00", date(2022, 1, 10)),
        ("Selasa, 11 Januari 2022", date(2022, 1, 11)),
        ("10/01/2022", date(2022, 1, 10)),
        ("10 Jan 2022", date(2022, 1, 10)),
        ("January 10, 2022", date(2022, 1, 10)),
        ("kemarin", None),
        ("", None),
        (None, None),
        ("2022-13-45", None),
    ],
)
def test_parse_date(value: str | None, expected: date | None) -> None:
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Senin, 10 Januari 2022 | 14:05 WIB", True),
        ("Diperbarui: 10/01/2022 14:05", True),
        ("Senin (10/1)", False),  # partial: no year, keep it
        ("Jakarta, 10 Januari 2022", False),
        ("Rapat digelar Senin, 10 Januari 2022.", False),
    ],
)
def test_is_date_line(text: str, expected: bool) -> None:
    assert is_date_line(text) is expected
