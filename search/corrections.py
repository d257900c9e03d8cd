"""The user's corrections (index_format.corrections) applied to one generation's entity facets.

Works on the (document, value id) rows that search.facets counts with, after the archive's own
merges: a merged or renamed value's rows take the target's id (a new value when the facet has
none of that name), an excluded value's rows go, a retyped value's rows move to the other
facet. Names are matched as `name_key` matches them (case and spacing do not matter). The old
name keeps pointing at the rows, so a filter on either name finds every article.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from index_format.corrections import Correction
from index_format.facet_arrays import FacetRows, dedupe
from index_format.names import name_key


def apply(rows: dict[str, FacetRows], corrections: list[Correction]) -> dict[str, FacetRows]:
    """The entity facets' rows with `corrections` applied in order (the input is not changed)."""
    out = {f: _Editable(r.doc, r.val, list(r.names), dict(r.ids.items())) for f, r in rows.items()}
    keys = {f: _keys(r) for f, r in out.items()}
    remap = {f: np.arange(len(r.names), dtype=np.int32) for f, r in out.items()}
    moved_rows: dict[str, list[tuple[np.ndarray, str]]] = {f: [] for f in rows}
    for c in corrections:
        for f in [c.facet] if c.facet else list(rows):
            if c.op == "report" or f not in out:
                continue
            vid = out[f].ids.get(c.name, keys[f].get(name_key(c.name)))
            if vid is None or remap[f][vid] < 0:
                continue  # no such value (any more) in this facet
            if c.op in ("merge", "rename"):
                assert c.target is not None
                tid = _id_for(out[f], keys[f], c.target, remap, f)  # (may grow remap[f])
            now = remap[f] == remap[f][vid]  # every id that counts as this value now
            if c.op in ("merge", "rename"):
                remap[f][now] = tid
                out[f].ids[c.name] = tid
            elif c.op == "exclude":
                remap[f][now] = -1
                out[f].ids.pop(c.name, None)
            elif c.op == "retype" and c.target != f and c.target in out:
                docs = out[f].doc[np.isin(out[f].val, np.flatnonzero(now))]
                moved_rows[c.target].append((np.unique(docs), out[f].names[remap[f][vid]]))
                remap[f][now] = -1
                out[f].ids.pop(c.name, None)
    for f, r in out.items():
        for docs, name in moved_rows[f]:
            tid = _id_for(r, keys[f], name, remap, f)
            r.doc = np.concatenate([r.doc, docs.astype(np.int32)])
            r.val = np.concatenate([r.val, np.full(docs.size, tid, dtype=np.int32)])
            remap[f] = np.append(remap[f], np.arange(remap[f].size, len(r.names), dtype=np.int32))
        r.doc, r.val = dedupe(r.doc, remap[f][r.val])
        for name, vid in list(r.ids.items()):  # names of values merged away follow them
            if remap[f][vid] < 0:
                del r.ids[name]
            else:
                r.ids[name] = int(remap[f][vid])
    return dict(out)


@dataclass
class _Editable(FacetRows):
    """Rows being corrected: their names and ids in memory (the generation's are mapped)."""

    names: list[str]
    ids: dict[str, int]


def _keys(r: FacetRows) -> dict[str, int]:
    """name_key → id, for names typed in another case or spacing."""
    return {name_key(name): vid for name, vid in r.ids.items()}


def _id_for(
    r: _Editable, keys: dict[str, int], name: str, remap: dict[str, np.ndarray], f: str
) -> int:
    """The id `name` counts as in this facet, a new one if the facet has no such name."""
    vid = r.ids.get(name, keys.get(name_key(name)))
    if vid is not None and remap[f][vid] >= 0:
        return int(remap[f][vid])
    vid = len(r.names)
    r.names.append(name)
    r.ids[name] = keys[name_key(name)] = vid
    remap[f] = np.append(remap[f], np.int32(vid))
    return vid
