"""The time histogram of the search page, drawn server-side as inline SVG (no script needed).

The service gives non-empty buckets (day, week, month or year); here the gaps between them
are filled with empty buckets so the axis is true to time, and each bucket gets the date range
it stands for (a click on its bar filters to that range).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from search.buckets import bucket_label, bucket_range, bucket_start, starts_between
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
        start = min(start, bucket_start(within[0], interval))
        last = max(last, bucket_start(within[1], interval))
    slots = [
        (name, *bucket_range(name, interval))
        for name in (
            bucket_label(s, interval) for s in starts_between(start, last, interval, MAX_BUCKETS)
        )
    ]
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
