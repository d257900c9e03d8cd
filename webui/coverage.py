"""Coverage over time (search.series) as the API's JSON and CSV, and as the `/tren` page's
server-side SVG: a line per compared series, or stacked areas for a split by outlet."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from search.series import SeriesResult

WIDTH = 800
HEIGHT = 300
PAD = 30  # room for the axis labels
OTHERS = "(lainnya / others)"  # the label of split=outlet's rest


def _values(s: Any, normalize: str) -> list[float]:
    return list(s.share) if normalize == "share" else list(s.counts)


def label(s: Any) -> str:
    return s.label or OTHERS


def as_json(result: SeriesResult, normalize: str) -> dict[str, Any]:
    return {
        "interval": result.interval,
        "normalize": normalize,
        "buckets": result.buckets,
        "all": result.all,
        "series": [
            {
                "label": label(s),
                "total": s.total,
                "undated": s.undated,
                "values": _values(s, normalize),
                "counts": s.counts,
            }
            for s in result.series
        ],
    }


def series_csv(result: SeriesResult, normalize: str) -> str:
    """A row per bucket: the bucket, each series' value, and all the archive's articles."""
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["bucket", *(label(s) for s in result.series), "all"])
    columns = [_values(s, normalize) for s in result.series]
    for i, bucket in enumerate(result.buckets):
        w.writerow([bucket, *(c[i] for c in columns), result.all[i]])
    return out.getvalue()


@dataclass
class Line:
    label: str
    total: int
    points: str  # SVG polyline/polygon points
    colour: int  # 0..4: style.css .series-<n>


def chart(result: SeriesResult, normalize: str, stacked: bool) -> tuple[list[Line], float]:
    """The series laid out in a WIDTH×HEIGHT box (stacked: each on top of the ones before,
    as areas); returns the lines and the top value of the axis."""
    n = len(result.buckets)
    if not n or not result.series:
        return [], 0.0
    columns = [_values(s, normalize) for s in result.series]
    if stacked:
        running = [0.0] * n
        tops = []
        for c in columns:
            running = [a + b for a, b in zip(running, c, strict=True)]
            tops.append(list(running))
        columns = tops
    top = max((max(c) for c in columns), default=0.0) or 1.0
    step = (WIDTH - 2 * PAD) / max(1, n - 1)

    def xy(i: int, v: float) -> str:
        x = PAD + i * step if n > 1 else WIDTH / 2
        return f"{x:.1f},{HEIGHT - PAD - v / top * (HEIGHT - 2 * PAD):.1f}"

    lines = []
    below = [0.0] * n
    for k, (s, c) in enumerate(zip(result.series, columns, strict=True)):
        pts = [xy(i, v) for i, v in enumerate(c)]
        if stacked:  # an area: along its top, back along the one below
            pts += [xy(i, below[i]) for i in reversed(range(n))]
            below = c
        lines.append(Line(label(s), s.total, " ".join(pts), k % 6))
    return lines, top
