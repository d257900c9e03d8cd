"""The timeline's zoom (issue 22): a chosen range is drawn one interval finer (year → month →
week → day), and one click goes back out to the calendar bucket around it."""

from __future__ import annotations

import calendar
from datetime import date

# A range of up to this many days is drawn by day, week, month; longer ones by year.
DAY_MAX = 14  # a week (or two) → its days
WEEK_MAX = 62  # a month (or two) → its weeks
MONTH_MAX = 731  # a year (or two) → its months


def interval_for(
    date_from: date | None, date_to: date | None, lo: date | None, hi: date | None
) -> str | None:
    """The interval that draws the range [date_from, date_to] (clipped to the archive's first and
    last dates, lo and hi) one step finer; None without a range (the service then picks)."""
    if not (date_from or date_to) or lo is None or hi is None:
        return None
    start = max(date_from or lo, lo)
    end = min(date_to or hi, hi)
    span = (end - start).days + 1
    if span <= DAY_MAX:
        return "day"
    if span <= WEEK_MAX:
        return "week"
    if span <= MONTH_MAX:
        return "month"
    return "year"


def _month(d: date) -> tuple[date, date]:
    return d.replace(day=1), d.replace(day=calendar.monthrange(d.year, d.month)[1])


def _year(d: date) -> tuple[date, date]:
    return date(d.year, 1, 1), date(d.year, 12, 31)


def zoom_out(date_from: date | None, date_to: date | None) -> tuple[date, date] | None:
    """The calendar bucket one level up around the range: a week or a few days → its month, a
    month → its year, a year → no range at all (None). A range crossing the bucket's edge goes
    to the next level up."""
    if not (date_from and date_to):
        return None
    span = (date_to - date_from).days + 1
    levels = []
    if span <= DAY_MAX:
        levels.append(_month(date_from))
    if span <= WEEK_MAX:
        levels.append(_year(date_from))
    for start, end in levels:
        if start <= date_from and date_to <= end and (start, end) != (date_from, date_to):
            return start, end
    return None
