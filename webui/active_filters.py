"""The active filters as chips above the results (issue 22): each one a link that removes it,
plus one that removes them all. Links, so they work without JavaScript."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from index_format import facets as registry
from search.models import SearchRequest

FILTER_ARGS = ("from", "to", "since", "page")  # removed by "clear all", with every facet's


@dataclass
class Chip:
    facet: str  # the facet's name ("published" for the dates)
    label: str  # what the chip says
    remove_url: str
    excluded: bool = False


def chips(
    req: SearchRequest,
    items: list[tuple[str, str]],
    url: Callable[[list[tuple[str, str]]], str],
    t: Callable[..., str],
    day_label: Callable[..., str],
) -> list[Chip]:
    """One chip per selected value, excluded value and date range, in the facets' order."""
    out = []
    for name in registry.names():
        for param, values, excluded in (
            (name, req.selected(name), False),
            (f"{name}_not", req.exclude.get(name, ()), True),
        ):
            for value in values:
                kept = [(k, v) for k, v in items if (k, v) != (param, value) and k != "page"]
                label = f"{t('not_prefix')} {value}" if excluded else value
                out.append(Chip(name, label, url(kept), excluded))
    if req.date_from or req.date_to:
        if req.date_from and req.date_to:
            label = t(
                "date_range_value", start=day_label(req.date_from), end=day_label(req.date_to)
            )
        elif req.date_from:
            label = t("date_since", start=day_label(req.date_from))
        else:
            label = t("date_until", end=day_label(req.date_to))
        kept = [(k, v) for k, v in items if k not in ("from", "to", "page")]
        out.append(Chip("published", label, url(kept)))
    since = getattr(req, "since", None)  # added to the index after it (issue 21's since=)
    if since is not None:
        kept = [(k, v) for k, v in items if k not in ("since", "page")]
        out.append(Chip("since", since.strftime("%Y-%m-%d %H:%M UTC"), url(kept)))
    return out


def clear_all_url(items: list[tuple[str, str]], url: Callable[[list[tuple[str, str]]], str]) -> str:
    """The same words, sort and page size, with no filter at all."""
    names = set(registry.names())
    names |= {f"{n}_not" for n in registry.names()} | set(FILTER_ARGS)
    return url([(k, v) for k, v in items if k not in names])
