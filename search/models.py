"""What goes into a search and what comes out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

SORTS = ("relevance", "newest", "oldest")
FILTER_FIELDS = ("outlet", "person", "organisation", "place")


@dataclass(frozen=True)
class SearchRequest:
    q: str = ""
    outlet: tuple[str, ...] = ()
    person: tuple[str, ...] = ()
    organisation: tuple[str, ...] = ()
    place: tuple[str, ...] = ()
    date_from: date | None = None
    date_to: date | None = None
    sort: str = "relevance"
    page: int = 1
    per_page: int = 10
    facet_size: int = 20  # values listed per facet (selected values always listed as well)

    def filters(self) -> dict[str, tuple[str, ...]]:
        return {f: getattr(self, f) for f in FILTER_FIELDS if getattr(self, f)}

    def is_empty(self) -> bool:
        """No query and no filter: nothing was asked."""
        return not self.q.strip() and not self.filters() and not self.date_from and not self.date_to


@dataclass
class Hit:
    id: str
    title: str
    url: str | None
    outlet: str | None
    published: date | None
    snippet: str  # HTML: escaped text with <mark> around matches
    entities: dict[str, list[str]]
    score: float | None = None


@dataclass
class FacetValue:
    value: str
    count: int
    selected: bool = False


@dataclass
class SearchResult:
    total: int
    page: int
    per_page: int
    took_ms: float
    hits: list[Hit]
    facets: dict[str, list[FacetValue]]
    date_interval: str = "month"  # facets["published"] bucket: day | week | month | year
    relaxed: bool = False  # all words found too little: ranked by how many words match
    suggestion: str | None = None  # did-you-mean, from the index's own vocabulary


@dataclass
class ArticleView:
    id: str
    title: str
    url: str | None
    outlet: str | None
    published: date | None
    date_source: str
    outlet_source: str
    body: str
    entities: dict[str, list[str]]
