"""What goes into a search and what comes out."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

SORTS = ("relevance", "newest", "oldest")


@dataclass(frozen=True)
class SearchRequest:
    q: str = ""
    # Facet (index_format.facets) → the values asked for: values of one facet are OR-ed,
    # facets AND-ed. Facets without values are dropped.
    filters: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    date_from: date | None = None
    date_to: date | None = None
    sort: str = "relevance"
    page: int = 1
    per_page: int = 10
    facet_size: int = 20  # values listed per facet (selected values always listed as well)
    as_typed: bool = False  # no correction of a query that finds nothing (SearchResult.corrected)

    def __post_init__(self) -> None:
        kept = {name: tuple(values) for name, values in self.filters.items() if values}
        object.__setattr__(self, "filters", kept)

    def selected(self, facet: str) -> tuple[str, ...]:
        """The values of `facet` asked for (none: an empty tuple)."""
        return self.filters.get(facet, ())

    def is_empty(self) -> bool:
        """No query and no filter: nothing was asked."""
        return not self.q.strip() and not self.filters and not self.date_from and not self.date_to


@dataclass
class Hit:
    id: str
    title: str
    url: str | None
    outlet: str | None
    published: date | None
    snippet: str  # HTML: escaped text with <mark> around matches
    entities: dict[str, list[str]]  # the entity facets' values (facets holds them too)
    facets: dict[str, list[str]]  # every facet's values, entities by their canonical names
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
    # The query whose results these are, when the query as typed found nothing.
    corrected: str | None = None


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
    facets: dict[str, list[str]]
