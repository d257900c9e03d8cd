"""Coverage over time: several searches (or one split by outlet) counted per day, week, month
or year on one shared axis, as counts or as a share of all the archive's articles in each
interval (the archive's volume changes: a count alone can mislead).

Each series counts the articles its search counts (Matched.final): the sum of its counts plus
its undated articles is its search's total.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from search.buckets import bucket_label, bucket_range, starts_between
from search.facets import FacetData

MAX_SERIES = 5
MAX_BUCKETS = 5000  # 13 years of days


@dataclass
class Series:
    label: str
    total: int  # articles the search counts
    undated: int  # of them, without a date (on no interval)
    counts: list[int] = field(default_factory=list)
    share: list[float] = field(default_factory=list)  # of all articles in the interval


@dataclass
class SeriesResult:
    interval: str
    buckets: list[str]
    all: list[int]  # every article of the archive per interval (the share's denominator)
    series: list[Series]


def labels_between(first: str, last: str, interval: str) -> list[str]:
    """Every bucket label from `first` to `last` (as FacetData.histogram labels them)."""
    starts = starts_between(
        bucket_range(first, interval)[0], bucket_range(last, interval)[0], interval, MAX_BUCKETS
    )
    return [bucket_label(d, interval) for d in starts]


def series(
    data: FacetData,
    masks: list[tuple[str, np.ndarray]],
    everything: np.ndarray,
    interval: str | None = None,
) -> SeriesResult:
    """The series of the labelled `masks` on one axis; `everything` is what a share is a share
    of (the archive's articles in the requested dates)."""
    union = np.logical_or.reduce([m for _, m in masks]) if masks else everything
    chosen, _ = data.histogram(union, interval)
    counted = [(label, m, dict(_pairs(data, m, chosen))) for label, m in masks]
    all_counts = dict(_pairs(data, everything, chosen))
    present = sorted(
        {k for _, _, c in counted for k in c}, key=lambda v: bucket_range(v, chosen)[0]
    )
    buckets = labels_between(present[0], present[-1], chosen) if present else []
    alls = [all_counts.get(b, 0) for b in buckets]
    out: list[Series] = []
    for label, m, per in counted:
        total = int(m.sum())
        s = Series(label, total, total - int((m & (data.day >= 0)).sum()))
        s.counts = [per.get(b, 0) for b in buckets]
        s.share = [round(c / a, 6) if a else 0.0 for c, a in zip(s.counts, alls, strict=True)]
        out.append(s)
    return SeriesResult(chosen, buckets, alls, out)


def _pairs(data: FacetData, mask: np.ndarray, interval: str) -> list[tuple[str, int]]:
    return [(fv.value, fv.count) for fv in data.histogram(mask, interval)[1]]


def outlet_masks(data: FacetData, mask: np.ndarray, top: int) -> list[tuple[str, np.ndarray]]:
    """`mask` split by its `top` outlets, and the rest (other outlets, or none) as one more
    series: stacked, they add up to `mask`."""
    out = []
    rest = mask.copy()
    for fv in data.count("outlet", mask, limit=top):
        part = mask & data.value_mask("outlet", (fv.value,))[0]
        out.append((fv.value, part))
        rest &= ~part
    if rest.any():
        out.append(("", rest))  # the others: the page and the CSV name it
    return out
