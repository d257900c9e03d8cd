"""What goes into a search and what comes out."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from search.stories import StoryHit

SORTS = ("relevance", "newest", "oldest")
INTERVALS = ("day", "week", "month", "year")  # buckets of the published histogram


@dataclass(frozen=True)
class SearchRequest:
    q: str = ""
    # Facet (index_format.facets) → the values asked for: values of one facet are OR-ed,
    # facets AND-ed. Facets without values are dropped.
    filters: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # Facet → values no article may have (`outlet_not=`).
    exclude: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    date_from: date | None = None
    date_to: date | None = None
    sort: str = "relevance"
    # Which articles count: all the words (the query as written), most of them, or any one
    # (search.matching).
    match: str = "all"
    page: int = 1
    per_page: int = 10
    facet_size: int = 20  # values listed per facet (selected values always listed as well)
    facets: tuple[str, ...] | None = None  # the facet lists to compute (None: every one)
    as_typed: bool = False  # no correction of a query that finds nothing (SearchResult.corrected)
    since: datetime | None = None  # only articles added to the index after it (search.added)
    collapse: str | None = None  # "story": one row per story (search.stories)
    interval: str | None = None  # the histogram's bucket (INTERVALS); None: suits the span

    def __post_init__(self) -> None:
        for name in ("filters", "exclude"):
            kept = {f: tuple(values) for f, values in getattr(self, name).items() if values}
            object.__setattr__(self, name, kept)

    def wants(self, facet: str) -> bool:
        """Whether the facet list `facet` ("published" too) is asked for."""
        return self.facets is None or facet in self.facets

    def selected(self, facet: str) -> tuple[str, ...]:
        """The values of `facet` asked for (none: an empty tuple)."""
        return self.filters.get(facet, ())

    def is_empty(self) -> bool:
        """No query and no filter: nothing was asked."""
        asked = self.q.strip() or self.filters or self.exclude or self.date_from or self.date_to
        asked = asked or self.since
        return not asked


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
    added: datetime | None = None  # when it entered the index (None: not recorded)
    story: StoryHit | None = None  # its story, in results collapsed to stories


@dataclass
class FacetValue:
    value: str
    count: int
    selected: bool = False


@dataclass
class Partial:
    """Under match=all, when few articles have every word: the ones most words find, apart."""

    match: str  # the mode that finds them ("most")
    total: int  # how many more articles it finds (never counted in the result's total)
    words: int  # each holds at least this many of the query's words (or phrases)
    hits: list[Hit]  # the best of them


@dataclass
class SearchResult:
    total: int
    page: int
    per_page: int
    took_ms: float
    hits: list[Hit]
    facets: dict[str, list[FacetValue]]
    date_interval: str = "month"  # facets["published"] bucket: day | week | month | year
    match: str = "all"  # which articles count (SearchRequest.match)
    words: int = 0  # the fewest of the query's words (or phrases) a counted article holds
    partial: Partial | None = None  # match=all found few: what most words find, apart
    suggestion: str | None = None  # did-you-mean, from the index's own vocabulary
    # Filter values that name no value of their facet: {"facet": ..., "value": ...}.
    warnings: list[dict[str, str]] = field(default_factory=list)
    # The query whose results these are, when the query as typed found nothing.
    corrected: str | None = None
    # Collapsed to stories (collapse=story): how many stories the `total` articles make; the
    # pages count stories then.
    stories: int | None = None


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
