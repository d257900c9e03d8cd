"""Who appears with whom among a search's articles: the most named entities as nodes, and
for each pair of them the number of articles naming both as an edge. Counted from the facet
arrays (search.facets.FacetData) over the articles the search counts (Matched.final), so a
node's count is the count its facet list shows for the same search.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from index_format import facets as registry
from search.facets import FacetData

MAX_NODES = 100


@dataclass
class Node:
    type: str
    name: str
    count: int  # articles of the search naming it

    @property
    def key(self) -> str:
        return f"{self.type}:{self.name}"


@dataclass
class Edge:
    source: int  # index into the nodes
    target: int
    weight: int  # articles of the search naming both
    lift: float  # weight against what the two counts would give by chance


@dataclass
class CoGraph:
    total: int  # articles the search counts
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)


def top_nodes(data: FacetData, mask: np.ndarray, limit: int) -> list[tuple[Node, int]]:
    """The `limit` entities named in most masked articles (every entity facet), each with its
    value id; ties by type and name."""
    found: list[tuple[Node, int]] = []
    for etype in registry.entity_names():
        v = data.values[etype]
        counts = np.bincount(v.matching(mask), minlength=len(v.names))
        nonzero = np.flatnonzero(counts)
        if nonzero.size > limit:  # only the best `limit` of a facet can be among the best
            kth = np.partition(counts[nonzero], nonzero.size - limit)[nonzero.size - limit]
            nonzero = nonzero[counts[nonzero] >= kth]
        found.extend((Node(etype, v.names[i], int(counts[i])), i) for i in nonzero.tolist())
    found.sort(key=lambda n: (-n[0].count, n[0].type, n[0].name))
    return found[:limit]


def cooccurrence(
    data: FacetData, mask: np.ndarray, *, nodes: int = 30, min_weight: int = 1
) -> CoGraph:
    """The co-occurrence graph of the masked articles: the top `nodes` entities, and an edge
    between two of them when at least `min_weight` articles name both."""
    mask = mask & data.live
    total = int(mask.sum())
    picked = top_nodes(data, mask, min(nodes, MAX_NODES))
    graph = CoGraph(total, [n for n, _ in picked])
    if len(picked) < 2:
        return graph
    # A (masked article × node) matrix of 0/1; its Gram matrix counts articles per pair.
    row_of = np.cumsum(mask) - 1  # a masked document's row
    matrix = np.zeros((total, len(picked)), dtype=np.float32)
    for col, (node, vid) in enumerate(picked):
        v = data.values[node.type]
        docs = v.docs_of(vid)
        docs = docs[mask[docs]]
        matrix[row_of[docs], col] = 1.0
    pairs = (matrix.T @ matrix).astype(np.int64)
    for i in range(len(picked)):
        for j in range(i + 1, len(picked)):
            weight = int(pairs[i, j])
            if weight >= max(1, min_weight):
                a, b = graph.nodes[i].count, graph.nodes[j].count
                graph.edges.append(Edge(i, j, weight, round(weight * total / (a * b), 3)))
    graph.edges.sort(key=lambda e: (-e.weight, e.source, e.target))
    return graph
