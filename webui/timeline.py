"""The time histogram of the search page, drawn server-side as inline SVG (no script needed).

The service gives non-empty buckets (day, week, month or year); here the gaps between them
are filled with empty buckets so the axis is true to time, and each bucket gets the date range
it stands for (a click on its bar filters to that range).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from search.models import FacetValue
from webui.timeline_labels import short_label, span_label

WIDTH = 600
HEIGHT = 120
AXIS = 18  # room for the labels under the bars
MAX_BUCKETS = 400


@dataclass
class Bar:
    label: str
    count: int
    start: date
    end: date
    x: float
    width: float
    y: float
    height: float
    selected: bool
    text: str = ""  # the bucket in the page's language: Sep 2019, 9–15 Sep
    span: str = ""  # the dates it covers, with the year: 9–15 Sep 2019


def bucket_range(value: str, interval: str) -> tuple[date, date]:
    """A bucket label (YYYY, YYYY-MM or YYYY-MM-DD) as the inclusive dates it covers."""
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 3:
        start = date(*parts)
        return start, start + timedelta(days=6 if interval == "week" else 0)
    if len(parts) == 2:
        y, m = parts
        return date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1])
    return date(parts[0], 1, 1), date(parts[0], 12, 31)


def _next(start: date, interval: str) -> date:
    if interval == "day":
        return start + timedelta(days=1)
    if interval == "week":
        return start + timedelta(days=7)
    if interval == "month":
        return date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return date(start.year + 1, 1, 1)


def _bucket_start(d: date, interval: str) -> date:
    """The first day of the bucket holding `d` (weeks start on Monday, as the service's)."""
    if interval == "week":
        return d - timedelta(days=d.weekday())
    if interval == "month":
        return d.replace(day=1)
    if interval == "year":
        return date(d.year, 1, 1)
    return d


def _label(start: date, interval: str) -> str:
    if interval in ("day", "week"):
        return start.isoformat()
    if interval == "month":
        return f"{start.year:04d}-{start.month:02d}"
    return f"{start.year:04d}"


def bars(
    buckets: list[FacetValue],
    interval: str,
    date_from: date | None = None,
    date_to: date | None = None,
    lang: str = "id",
    within: tuple[date, date] | None = None,
) -> list[Bar]:
    """Every bucket from the first to the last non-empty one, laid out in a WIDTH×HEIGHT box.
    `within` (a zoomed view): only the buckets that overlap that range."""
    if within:
        buckets = [
            fv
            for fv in buckets
            if bucket_range(fv.value, interval)[1] >= within[0]
            and bucket_range(fv.value, interval)[0] <= within[1]
        ]
    if not buckets:
        return []
    counts = {fv.value: fv.count for fv in buckets}
    start = bucket_range(buckets[0].value, interval)[0]
    last = bucket_range(buckets[-1].value, interval)[0]
    if within:  # the whole range is drawn, the empty days at its ends too
        start = min(start, _bucket_start(within[0], interval))
        last = max(last, _bucket_start(within[1], interval))
    slots: list[tuple[str, date, date]] = []
    while start <= last and len(slots) < MAX_BUCKETS:
        label = _label(start, interval)
        slots.append((label, *bucket_range(label, interval)))
        start = _next(start, interval)
    top = max(counts.values()) or 1
    width = WIDTH / len(slots)
    room = HEIGHT - AXIS
    out = []
    for i, (label, lo, hi) in enumerate(slots):
        count = counts.get(label, 0)
        height = room * count / top if count else 0.0
        if count and height < 2:
            height = 2.0  # a single article stays visible
        selected = bool(
            (date_from or date_to)
            and (date_from is None or hi >= date_from)
            and (date_to is None or lo <= date_to)
        )
        out.append(
            Bar(
                label,
                count,
                lo,
                hi,
                round(i * width, 2),
                round(width, 2),
                round(room - height, 2),
                round(height, 2),
                selected,
                short_label(lo, hi, interval, lang),
                span_label(lo, hi, lang),
            )
        )
    return out
