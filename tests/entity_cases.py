"""What the entity-class tests share: an article's facet values as indexing gives them, and the
check each labelled case makes (values that must be there, values that must be nowhere)."""

from __future__ import annotations

from indexer.entities import entity_facets, extract_entities


def facets_of(text: str) -> dict[str, list[str]]:
    return entity_facets(extract_entities(text))


def every_value(got: dict[str, list[str]]) -> set[str]:
    return {v for values in got.values() for v in values}


def check_case(text: str, facet: str, present: list[str], absent: list[str]) -> None:
    """`present` are values of `facet`; no facet holds any of `absent`."""
    got = facets_of(text)
    for name in present:
        assert name in got[facet], (name, got)
    for name in absent:
        assert name not in every_value(got), (name, got)
