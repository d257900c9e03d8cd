"""Quick date ranges under the timeline, taken from the dates that hold articles (issue 22):
the last 7, 30 and 365 days *that have articles*, counted back from the newest article (not from
today), and the years present (not every year between the first and the last)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

RECENT = ((7, "last_7"), (30, "last_30_days"), (365, "last_365_days"))
MAX_YEARS = 10  # the most recent years listed


def ranges(
    base: list[tuple[str, str]], stats: dict[str, Any], url: Callable[..., str]
) -> list[tuple[str, str, str]]:
    """(words key or "", label, url) for each range; `base` is the search without dates."""
    lo: date | None = stats.get("min_date")
    hi: date | None = stats.get("max_date")
    if not lo or not hi:
        return []
    out = [("whole_archive", "", url(base))]
    seen = {lo}  # a range that starts on the first day is the whole archive
    for n, key in RECENT:
        start = stats.get("recent_from", {}).get(n)
        if start and start not in seen:
            seen.add(start)
            out.append((key, "", url(base, **{"from": str(start)}, to=str(hi))))
    years = stats.get("years", [])
    if len(years) > 1:
        for year in years[-MAX_YEARS:]:
            out.append(("", str(year), url(base, **{"from": f"{year}-01-01"}, to=f"{year}-12-31")))
    return out
