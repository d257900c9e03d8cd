"""The person and place values of fresh sets' top 30s with their labels and each name's article
counts in every entity facet: the raw rows round 21's error kinds were counted from (issue #20).

    python -m bench.facet_error_rows INDEX fresh,fresh2,... OUT.json
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import numpy as np

from bench.eval_facets import HERE, LABELS, label_of, read_labels, top_values


def main(argv: list[str] | None = None) -> int:
    index, sets, out = (argv or sys.argv[1:])[:3]
    ix = Path(index)
    labels = read_labels(LABELS)
    from search.service import SearchService

    svc = SearchService(ix)
    data = svc._current().facets
    counts: dict[str, dict[str, int]] = {}
    for facet in ("person", "organisation", "place"):
        r = data.values[facet]
        per = np.bincount(np.asarray(r.val), minlength=len(r.names))
        counts[facet] = {r.names[i]: int(per[i]) for i in np.flatnonzero(per)}
    svc.close()
    rows = []
    for name in sets.split(","):
        queries = json.loads((HERE / f"facet_queries_{name}.json").read_text(encoding="utf-8"))
        for q, per_facet in top_values(ix, queries).items():
            for facet in ("person", "place"):
                for rank, v in enumerate(per_facet[facet][:30], 1):
                    label = labels.get((q, facet, v)) or labels.get(("*", facet, v)) or ""
                    rows.append(
                        {
                            "set": name,
                            "q": q,
                            "facet": facet,
                            "rank": rank,
                            "value": v,
                            "kind": label_of(labels, q, facet, v),
                            "label": label,
                            "c": {f: counts[f].get(v, 0) for f in counts},
                        }
                    )
    Path(out).write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    print(sorted(Counter((r["facet"], r["kind"]) for r in rows).items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
