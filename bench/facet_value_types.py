"""Which organisation values the archive-level type decision (index_format.value_types) takes
out of the facet, counted against the hand labels: step 1 of round 19 (issue #20).

    python -m bench.facet_value_types --index-dir IDX [--sets main fresh ... fresh7]

IDX is an index built WITHOUT the decision (main's code), so every value is still listed. For
each set's queries, the top `--top` organisation values are judged by bench/facet_labels.tsv
(as bench.eval_facets judges them, dups as written) and each is marked caught or not by
`value_types.caught` applied to the index's organisation, person and place rows.
Prints, per label kind, the caught top-30 slots and distinct values, and lists them; writes
bench/results/<date>-facet-value-types.json. The default sets are the ones rules may be taken
from (main and fresh..fresh7); fresh8 and the held-out set stay out.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

from bench.eval_facets import HERE, LABELS, QUERIES, REPO, label_of, read_labels, top_values

SETS = ("main", "fresh", "fresh2", "fresh3", "fresh4", "fresh5", "fresh6", "fresh7")


def queries_of(name: str) -> list[str]:
    path = QUERIES if name == "main" else HERE / f"facet_queries_{name}.json"
    return list(json.loads(path.read_text(encoding="utf-8")))


def caught_values(index_dir: Path) -> tuple[set[str], dict[str, str]]:
    """The organisation names the decision takes out, and by which rule."""
    from index_format import value_types
    from search.service import SearchService

    svc = SearchService(index_dir)
    try:
        data = svc._current().facets
        names = data.values["organisation"].names
        why = {names[vid]: rule for vid, (rule, _) in value_types.caught(data.values).items()}
        return set(why), why
    finally:
        svc.close()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--index-dir", type=Path, required=True)
    ap.add_argument("--sets", nargs="+", default=list(SETS))
    ap.add_argument("--top", type=int, default=30)
    args = ap.parse_args(argv)
    labels = read_labels(LABELS)
    caught, why = caught_values(args.index_dir)
    slots: Counter[str] = Counter()
    listed: Counter[str] = Counter()
    values: dict[str, set[str]] = {}
    for name in args.sets:
        tops = top_values(args.index_dir, queries_of(name))
        for q, per in tops.items():
            for value in per["organisation"][: args.top]:
                kind = label_of(labels, q, "organisation", value)
                listed[kind] += 1
                if value in caught:
                    slots[kind] += 1
                    values.setdefault(kind, set()).add(value)
    report: dict[str, Any] = {
        "sets": args.sets,
        "top": args.top,
        "listed": dict(listed),
        "caught_slots": dict(slots),
        "caught_values": {k: sorted(v) for k, v in values.items()},
        "why": {v: why[v] for vs in values.values() for v in vs},
        "caught_in_archive": len(caught),
    }
    print(f"sets {' '.join(args.sets)}: top {args.top} organisation values by label {dict(listed)}")
    for kind in sorted(listed):
        got = sorted(values.get(kind, ()))
        print(
            f"  {kind}: {slots[kind]} slots, {len(got)} values caught: "
            + "; ".join(f"{v} ({why[v]})" for v in got)
        )
    print(f"organisation values taken out in the whole archive: {len(caught)}")
    out = REPO / "bench" / "results" / f"{datetime.now():%Y-%m-%d}-facet-value-types.json"
    out.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"→ {out.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
