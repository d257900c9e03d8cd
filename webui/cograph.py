"""The co-occurrence graph (search.cooccurrence) as the API's JSON, GraphML and CSV for Gephi
users (networkx writes the GraphML), and laid out for the page's server-side SVG."""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from typing import Any

import networkx as nx

from search.cooccurrence import CoGraph

WIDTH = 960
HEIGHT = 560
MARGIN_X = 170  # room for a long label beside a node at the edge
MARGIN_Y = 30
LABEL_CHARS = 24  # a longer name is shortened on the drawing: it would cover its neighbours
TYPE_CLASSES = ("person", "organisation", "place")  # a colour each (style.css .node-<type>)


def as_json(graph: CoGraph) -> dict[str, Any]:
    keys = [n.key for n in graph.nodes]
    return {
        "total": graph.total,
        "nodes": graph.nodes,
        "edges": [
            {"source": keys[e.source], "target": keys[e.target], "weight": e.weight, "lift": e.lift}
            for e in graph.edges
        ],
    }


def to_networkx(graph: CoGraph) -> nx.Graph:
    g = nx.Graph(total=graph.total)
    for n in graph.nodes:
        g.add_node(n.key, label=n.name, type=n.type, count=n.count)
    for e in graph.edges:
        g.add_edge(
            graph.nodes[e.source].key, graph.nodes[e.target].key, weight=e.weight, lift=e.lift
        )
    return g


def graphml(graph: CoGraph) -> str:
    return "\n".join(nx.generate_graphml(to_networkx(graph))) + "\n"


def edges_csv(graph: CoGraph) -> str:
    """One row per edge, as Gephi's spreadsheet import reads it (Source, Target, Weight)."""
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["Source", "Target", "Weight", "source_type", "target_type", "lift"])
    for e in graph.edges:
        a, b = graph.nodes[e.source], graph.nodes[e.target]
        w.writerow([a.name, b.name, e.weight, a.type, b.type, e.lift])
    return out.getvalue()


@dataclass
class PlacedNode:
    key: str
    type: str
    name: str
    count: int
    x: float
    y: float
    r: float
    anchor: str  # the label's text-anchor: away from the centre

    @property
    def label(self) -> str:
        """The name as drawn: a long one shortened (the node's title gives it whole)."""
        return self.name if len(self.name) <= LABEL_CHARS else self.name[: LABEL_CHARS - 1] + "…"


@dataclass
class PlacedEdge:
    x1: float
    y1: float
    x2: float
    y2: float
    weight: int
    width: float
    title: str


def layout(graph: CoGraph) -> tuple[list[PlacedNode], list[PlacedEdge]]:
    """Nodes placed by a force layout (deterministic: a fixed seed) in a WIDTH×HEIGHT box,
    sized by their count; edges as lines as thick as their weight allows."""
    if not graph.nodes:
        return [], []
    g = to_networkx(graph)
    # Twice networkx's default spacing (1/sqrt(n)): labels of a dense core overlap less.
    pos = nx.spring_layout(
        g, seed=21, weight="weight", iterations=100, k=2 / math.sqrt(len(graph.nodes))
    )
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    span_x = (max(xs) - min(xs)) or 1.0
    span_y = (max(ys) - min(ys)) or 1.0
    top = max(n.count for n in graph.nodes) or 1
    heaviest = max((e.weight for e in graph.edges), default=1)
    placed: dict[str, PlacedNode] = {}
    for n in graph.nodes:
        px, py = pos[n.key]
        x = MARGIN_X + (px - min(xs)) / span_x * (WIDTH - 2 * MARGIN_X)
        y = MARGIN_Y + (py - min(ys)) / span_y * (HEIGHT - 2 * MARGIN_Y)
        placed[n.key] = PlacedNode(
            n.key,
            n.type,
            n.name,
            n.count,
            round(x, 1),
            round(y, 1),
            round(4 + 14 * math.sqrt(n.count / top), 1),
            "end" if x < WIDTH / 2 else "start",
        )
    lines = []
    for e in graph.edges:
        a, b = placed[graph.nodes[e.source].key], placed[graph.nodes[e.target].key]
        lines.append(
            PlacedEdge(
                a.x,
                a.y,
                b.x,
                b.y,
                e.weight,
                round(0.5 + 5.5 * e.weight / heaviest, 2),
                f"{a.name} — {b.name}: {e.weight}",
            )
        )
    lines.sort(key=lambda e: e.weight)  # the heaviest drawn last, on top
    return list(placed.values()), lines
