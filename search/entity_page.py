"""An entity's page: who it is (canonical name, merged variants), how often and when it is
named, by which outlets, with whom, and where lately. Everything is counted from the facet
arrays (search.facets.FacetData): exact counts of the same articles the search counts.

Co-occurring entities are ranked by how much more often they appear with the entity than
chance would have it, weighted by how often they do:

    lift  = P(A and B) / (P(A) P(B)) = co * N / (count_A * count_B)
    pmi   = log2(lift)
    score = co * pmi       (local mutual information: frequent AND specific)

so a name in every other article ("Indonesia", lift ≈ 1, pmi ≈ 0) does not top every list,
and a pair seen once (co below `min_count`) is not ranked on a lift that means nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from index_format import facets as registry
from search.errors import EntityNotFound
from search.facets import FacetData
from search.models import FacetValue, Hit

CO_SORTS = ("score", "count", "lift")
MIN_CO_COUNT = 2  # pairs named together in fewer articles are not listed


@dataclass
class CoEntity:
    """An entity named in the same articles as another one."""

    type: str
    name: str
    count: int  # articles naming both
    total: int  # articles naming this one
    lift: float
    pmi: float
    score: float


@dataclass
class EntityPage:
    type: str
    name: str  # canonical
    variants: list[str]
    count: int
    interval: str
    timeline: list[FacetValue]
    outlets: list[FacetValue]
    cooccurring: list[CoEntity]
    latest: list[Hit] = field(default_factory=list)


def entity_types() -> tuple[str, ...]:
    return registry.entity_names()


def entity_mask(data: FacetData, etype: str, name: str) -> tuple[str, np.ndarray]:
    """The canonical name of the entity `name` names (a merged variant, any case or accent)
    and the articles that name it. Raises EntityNotFound for an unknown type or name."""
    if etype not in entity_types():
        raise EntityNotFound(
            f"no entity type {etype!r}", code="entity_not_found.type", params=_params(etype, name)
        )
    vid = data.resolve(etype, name)
    if vid is None:
        raise EntityNotFound(f"no {etype} {name!r}", params=_params(etype, name))
    v = data.values[etype]
    mask = np.zeros(data.size, dtype=bool)
    mask[v.docs_of(vid)] = True
    mask &= data.live
    if not mask.any():  # a name every correction moved away
        raise EntityNotFound(f"no {etype} {name!r}", params=_params(etype, name))
    return v.names[vid], mask


def _params(etype: str, name: str) -> dict[str, str]:
    return {"type": etype, "name": name, "choices": ", ".join(entity_types())}


def variants(data: FacetData, etype: str, canonical: str) -> list[str]:
    """The names merged into `canonical` (as the index holds them), in name order."""
    v = data.values[etype]
    vid = v.ids.get(canonical)
    if vid is None:
        return []
    # Its merged variants, and the names articles wrote and merged into it themselves.
    names = v.names_of(vid) | set(data.written_names(etype, vid))
    names.discard(canonical)
    return sorted(names)


def cooccurring(
    data: FacetData,
    mask: np.ndarray,
    *,
    exclude: tuple[str, str] | None = None,
    limit: int = 20,
    min_count: int = MIN_CO_COUNT,
    sort: str = "score",
) -> list[CoEntity]:
    """The entities (every entity facet) named in the masked articles, with their lift over
    the whole archive; `exclude` (type, name) leaves the entity itself out."""
    n_docs = int(data.live.sum())
    n_mask = int(mask.sum())
    out: list[CoEntity] = []
    if not n_mask:
        return out
    for etype in entity_types():
        v = data.values[etype]
        co = np.bincount(v.matching(mask), minlength=len(v.names))
        df = np.bincount(v.val, minlength=len(v.names))
        keep = np.flatnonzero(co >= max(1, min_count))
        if exclude and exclude[0] == etype and exclude[1] in v.ids:
            keep = keep[keep != v.ids[exclude[1]]]
        if not keep.size:
            continue
        lift = co[keep] * n_docs / (n_mask * df[keep].astype(np.float64))
        pmi = np.log2(lift)
        for i, c, d, li, p in zip(
            keep.tolist(), co[keep].tolist(), df[keep].tolist(), lift, pmi, strict=True
        ):
            out.append(
                CoEntity(etype, v.names[i], c, d, round(float(li), 3), round(float(p), 3), 0.0)
            )
            out[-1].score = round(c * float(p), 3)
    key = {
        "score": lambda e: (-e.score, -e.count, e.name),
        "count": lambda e: (-e.count, -e.score, e.name),
        "lift": lambda e: (-e.lift, -e.count, e.name),
    }[sort]
    return sorted(out, key=key)[:limit]


def entity_page(
    data: FacetData,
    etype: str,
    name: str,
    *,
    limit: int = 20,
    min_count: int = MIN_CO_COUNT,
    sort: str = "score",
    interval: str | None = None,
    outlets: int = 10,
) -> tuple[EntityPage, np.ndarray]:
    """The page of an entity (without its latest articles: the caller reads them) and the
    mask of its articles."""
    canonical, mask = entity_mask(data, etype, name)
    chosen, timeline = data.histogram(mask, interval)
    page = EntityPage(
        type=etype,
        name=canonical,
        variants=variants(data, etype, canonical),
        count=int(mask.sum()),
        interval=chosen,
        timeline=timeline,
        outlets=data.count("outlet", mask, limit=outlets),
        cooccurring=cooccurring(
            data,
            mask,
            exclude=(etype, canonical),
            limit=limit,
            min_count=min_count,
            sort=sort,
        ),
    )
    return page, mask
