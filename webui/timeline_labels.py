"""The timeline's words in the page's language: "Sep 2019", "9–15 Sep", "14 Sep 2019"."""

from __future__ import annotations

from datetime import date

from webui.i18n import MONTHS


def _month(d: date, lang: str) -> str:
    return MONTHS.get(lang, MONTHS["id"])[d.month - 1]


def short_label(start: date, end: date, interval: str, lang: str) -> str:
    """A bucket as a tick under the axis: 2019 · Sep 2019 · 9–15 Sep · 14 Sep."""
    if interval == "year":
        return str(start.year)
    if interval == "month":
        return f"{_month(start, lang)} {start.year}"
    if interval == "week":
        return span_label(start, end, lang, with_year=False)
    return f"{start.day} {_month(start, lang)}"


def span_label(start: date, end: date, lang: str, with_year: bool = True) -> str:
    """An inclusive range as people write it: 14 Sep 2019 · 9–15 Sep 2019 · 30 Sep – 6 Okt 2019
    · 30 Des 2019 – 5 Jan 2020 (without the year when with_year is False)."""
    year = f" {end.year}" if with_year else ""
    if start == end:
        return f"{start.day} {_month(start, lang)}{year}"
    if start.year != end.year:
        return (
            f"{start.day} {_month(start, lang)} {start.year} – "
            f"{end.day} {_month(end, lang)} {end.year}"
        )
    if start.month != end.month:
        return f"{start.day} {_month(start, lang)} – {end.day} {_month(end, lang)}{year}"
    return f"{start.day}–{end.day} {_month(start, lang)}{year}"
