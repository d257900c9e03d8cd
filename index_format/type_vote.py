"""An archive-wide vote on the type of each entity name.

The tagger types a name by the words around it in one article, and some names are typed wrongly
wherever their article gives it little to go on: a badminton player in a results list read as a
body, a football club after "melawan" read as its town, a company read as a place. The archive
usually knows better: across all its articles the same name is typed one way far more often.

So before the archive's merges (index_format.facet_arrays.from_combined), each entity name is
counted per facet (articles naming it), and a name that another facet counts at least `RATIO`
times as often, in at least `MIN_ARTICLES` articles, moves there with all its rows: "Jonatan
Christie" in 3 articles as a body and 40 as a person is a person everywhere. A name typed both
ways about as often (a club named after its town, "Persib"'s "Bandung") stays as the articles
typed it. The user's `telusur entities retype` still overrides the vote (it applies at search).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

# Another facet must count a name this many times as often as its own facet does…
RATIO = 3
# …in at least this many articles, so that one or two articles never decide a name's type.
MIN_ARTICLES = 3


def retypes(counts: Mapping[str, Mapping[str, int]]) -> dict[str, dict[str, str]]:
    """Per facet, each name to move → the facet it moves to. `counts`: per entity facet, each
    name → the number of articles the facet names it in."""
    out: dict[str, dict[str, str]] = {f: {} for f in counts}
    for facet, names in counts.items():
        others = [g for g in counts if g != facet]
        for name, own in names.items():
            best = max(others, key=lambda g: counts[g].get(name, 0))
            votes = counts[best].get(name, 0)
            if votes >= MIN_ARTICLES and votes >= RATIO * own:
                out[facet][name] = best
    return out


def move_rows(
    docs: dict[str, np.ndarray],
    vals: dict[str, np.ndarray],
    ids: dict[str, dict[str, int]],
    entity_facets: tuple[str, ...],
) -> dict[str, dict[str, str]]:
    """Move the rows of every name the vote retypes to the facet it votes for, in place:
    `docs`/`vals` are each facet's (document, value id) rows in document order, `ids` its
    names → ids (a name new to its target facet gets the next id there). A moved name keeps
    its id in its old facet, with no rows. Returns the moves (retypes)."""
    # Only a name two facets hold can move: count those alone (set operations on the names, in
    # C; at 2.2M articles the person facet alone holds ~690k names).
    shared: set[str] = set()
    for i, f in enumerate(entity_facets):
        for g in entity_facets[i + 1 :]:
            shared |= ids[f].keys() & ids[g].keys()
    counts: dict[str, dict[str, int]] = {}
    for f in entity_facets:
        per_id = np.bincount(vals[f], minlength=len(ids[f]))
        names = sorted(name for name in shared if name in ids[f])
        held = per_id[[ids[f][name] for name in names]].tolist() if names else []
        counts[f] = {name: n for name, n in zip(names, held, strict=True) if n}
    moves = retypes(counts)
    arrivals: dict[str, list[tuple[np.ndarray, np.ndarray]]] = {f: [] for f in entity_facets}
    for f, moved in moves.items():
        if not moved:
            continue
        # Per target facet, each moving id of f → its id there (names in sorted order, so that
        # two builds of one archive give new names the same ids); -1: stays.
        for g in sorted(set(moved.values())):
            lut = np.full(len(ids[f]), -1, dtype=np.int32)
            for name in sorted(n for n, target in moved.items() if target == g):
                lut[ids[f][name]] = ids[g].setdefault(name, len(ids[g]))
            there = lut[vals[f]]
            going = there >= 0
            arrivals[g].append((docs[f][going].astype(np.int32), there[going]))
        gone = np.zeros(len(ids[f]), dtype=bool)
        gone[[ids[f][name] for name in moved]] = True
        stay = ~gone[vals[f]]
        docs[f], vals[f] = docs[f][stay], vals[f][stay]
    for g, arriving in arrivals.items():
        if arriving:
            # In document order, each document's own values before the arrivals, once each.
            docs[g], vals[g] = _in_order(
                np.concatenate([docs[g], *(d for d, _ in arriving)]),
                np.concatenate([vals[g], *(v for _, v in arriving)]),
            )
    return moves


def _in_order(doc: np.ndarray, val: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One row per (document, value), by document, each document's rows in their order
    (facet_arrays.dedupe's order; not imported: facet_arrays imports this module)."""
    width = int(val.max()) + 1 if val.size else 1
    _, first = np.unique(doc.astype(np.int64) * width + val, return_index=True)
    rows = np.sort(first)
    rows = rows[np.argsort(doc[rows], kind="stable")]
    return doc[rows].astype(np.int32), val[rows].astype(np.int32)
