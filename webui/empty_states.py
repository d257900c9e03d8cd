"""Why a search found nothing, in words the page can show (issue 22): a query of stopwords
only, a date range with no matching article, a filter value no article has."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from search.models import SearchRequest, SearchResult
from search.query import ParsedQuery


@dataclass
class EmptyReason:
    key: str  # the message (webui.page_words)
    params: dict[str, str] = field(default_factory=dict)
    link_key: str | None = None  # the way out, when there is one
    link_url: str | None = None


def only_stopwords(parsed: ParsedQuery) -> bool:
    """The query typed words, and every one was dropped as a stopword (`yang`, `dan di`)."""
    return parsed.query is not None and not parsed.required and parsed.excluded is None


def explain(
    req: SearchRequest,
    result: SearchResult,
    parsed: ParsedQuery | None,
    *,
    day_label: Callable[..., str],
    facet_title: Callable[[str], str],
    remove_url: Callable[[str, str], str],
    clear_dates_url: str,
    num: Callable[[int], str] = str,
) -> list[EmptyReason]:
    """The reasons a result with no article has none (empty when none of them applies)."""
    if result.total or result.partial or result.corrected:
        return []
    reasons = []
    if req.q.strip() and parsed is not None and only_stopwords(parsed):
        reasons.append(EmptyReason("empty_stopwords", {"q": req.q.strip()}))
    for warning in result.warnings:
        name, value = warning["facet"], warning["value"]
        reasons.append(
            EmptyReason(
                "empty_value",
                {"facet": facet_title(name), "value": value},
                "empty_value_link",
                remove_url(name, value),
            )
        )
    # The timeline counts under every filter but the dates: articles outside the range.
    outside = sum(fv.count for fv in result.facets.get("published", []))
    if (req.date_from or req.date_to) and outside:
        reasons.append(
            EmptyReason(
                "empty_range",
                {
                    "start": day_label(req.date_from) if req.date_from else "…",
                    "end": day_label(req.date_to) if req.date_to else "…",
                    "n": num(outside),
                },
                "empty_range_link",
                clear_dates_url,
            )
        )
    return reasons
