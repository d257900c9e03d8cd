"""Calendar buckets as FacetData.histogram labels them: a day or a week (by its Monday)
YYYY-MM-DD, a month YYYY-MM, a year YYYY. The timeline and the series fill the gaps between
non-empty buckets with these, so both step through time the same way."""

from __future__ import annotations

import calendar
from datetime import date, timedelta


def bucket_range(value: str, interval: str) -> tuple[date, date]:
    """A bucket label as the inclusive dates it covers."""
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 3:
        start = date(*parts)
        return start, start + timedelta(days=6 if interval == "week" else 0)
    if len(parts) == 2:
        y, m = parts
        return date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1])
    return date(parts[0], 1, 1), date(parts[0], 12, 31)


def bucket_start(d: date, interval: str) -> date:
    """The first day of the bucket holding `d` (weeks start on Monday, as the service's)."""
    if interval == "week":
        return d - timedelta(days=d.weekday())
    if interval == "month":
        return d.replace(day=1)
    if interval == "year":
        return date(d.year, 1, 1)
    return d


def next_start(start: date, interval: str) -> date:
    """The first day of the bucket after the one starting on `start`."""
    if interval == "day":
        return start + timedelta(days=1)
    if interval == "week":
        return start + timedelta(days=7)
    if interval == "month":
        return date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return date(start.year + 1, 1, 1)


def bucket_label(start: date, interval: str) -> str:
    """The label of the bucket starting on `start`."""
    if interval in ("day", "week"):
        return start.isoformat()
    if interval == "month":
        return f"{start.year:04d}-{start.month:02d}"
    return f"{start.year:04d}"


def starts_between(first: date, last: date, interval: str, limit: int) -> list[date]:
    """The starts of every bucket from the one starting on `first` to the one on `last`
    (at most `limit`)."""
    out: list[date] = []
    while first <= last and len(out) < limit:
        out.append(first)
        first = next_start(first, interval)
    return out
