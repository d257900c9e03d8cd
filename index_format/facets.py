"""The facets: one registry that the schema, the indexer, search, the API, the page, the export
and the page's words all iterate over. Adding a facet is one entry here plus its extractor
(`values`: the facet's values of an article), and a rebuild.

The date facet (`published`) is not in it: it is counted as a histogram, not as values.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from operator import attrgetter
from typing import Any


@dataclass(frozen=True)
class Facet:
    name: str
    """The facet's index field, its filter parameter and its key in the API."""
    values: Callable[[Any], list[str]]
    """Its values of an article (indexer.models.Article), as the indexer extracted them."""
    single: bool = False
    """At most one value per article (the outlet)."""
    entity: bool = False
    """A tagged name: merged across the archive (search.entity_merge), shown as an entity."""


def _outlet(article: Any) -> list[str]:
    return [article.outlet] if article.outlet else []


FACETS: list[Facet] = [
    Facet("outlet", _outlet, single=True),
    Facet("person", attrgetter("person"), entity=True),
    Facet("organisation", attrgetter("organisation"), entity=True),
    Facet("place", attrgetter("place"), entity=True),
]

# The facets column's encoding (index_format.schema.encode_facets). An index written with
# another version, or with other facets, must be rebuilt (generations.open_index says so).
FACETS_VERSION = 2


def names() -> tuple[str, ...]:
    """Every facet's name, in the registry's order."""
    return tuple(f.name for f in FACETS)


def entity_names() -> tuple[str, ...]:
    """The facets that hold tagged names."""
    return tuple(f.name for f in FACETS if f.entity)


def facet(name: str) -> Facet:
    for f in FACETS:
        if f.name == name:
            return f
    raise KeyError(name)
