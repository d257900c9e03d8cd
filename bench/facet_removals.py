"""Removal precision of round 19 (issue #20): which organisation values
index_format.value_types takes out of an index's facet, judged by hand labels.

    python -m bench.facet_removals INDEX [--labels bench/facet_removals_round19.tsv] [--list]

Re-derives INDEX's current generation in memory (derived.from_segments without a previous
generation, nothing written) with this tree's code, noting every value `value_types.drop`
takes out, its rule ("model line", "other facet") and its counts. Each is judged by the label
file (`value<TAB>rule<TAB>organisation<TAB>person<TAB>place<TAB>label<TAB>note`, label
`right`: not an organisation, `wrong`: a genuine organisation taken out) and the precision
per rule and overall is printed (right ÷ judged), with the unlabelled values to label and the
labelled right removals the code no longer makes (what a tighter rule gave up).
The labels were made on CLICK-ID's 22k index as bench.eval_facets builds it.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from index_format.facet_arrays import FacetArrays

HERE = Path(__file__).resolve().parent
LABELS = HERE / "facet_removals_round19.tsv"


def read_labels(path: Path) -> dict[str, str]:
    """value → "right" or "wrong"."""
    out: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        cols = line.split("\t")
        if line.startswith("#") or len(cols) < 6 or cols[0] == "value":
            continue
        out[cols[0]] = cols[5]
    return out


def removals(index_dir: Path) -> dict[str, tuple[str, int]]:
    """value → (rule, its organisation articles) for every value the decision takes out."""
    from index_format import derived, value_types
    from index_format.generations import current_path, open_index

    caught: dict[str, tuple[str, int]] = {}
    drop = value_types.drop

    def spy(out: FacetArrays) -> None:
        names = out.rows[value_types.ORGANISATION].names
        caught.update((names[vid], why) for vid, why in value_types.caught(out.rows).items())
        drop(out)

    value_types.drop = spy
    try:
        gen = current_path(index_dir).resolve()
        with open_index(gen).searcher() as searcher:
            derived.from_segments(gen, searcher, None)
    finally:
        value_types.drop = drop
    return caught


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("index_dir", type=Path)
    ap.add_argument("--labels", type=Path, default=LABELS)
    ap.add_argument("--list", action="store_true", help="list every removal with its label")
    args = ap.parse_args(argv)
    labels = read_labels(args.labels)
    caught = removals(args.index_dir)
    per: dict[str, Counter[str]] = {}
    for value, (rule, count) in sorted(caught.items(), key=lambda kv: (kv[1][0], -kv[1][1])):
        label = labels.get(value, "unlabelled")
        per.setdefault(rule, Counter())[label] += 1
        if args.list or label != "right":
            print(f"  {label:10} {rule:11} {count:5}  {value}")
    total: Counter[str] = Counter()
    for rule, c in sorted(per.items()):
        total.update(c)
        judged = c["right"] + c["wrong"]
        print(f"{rule:11}  {c['right']}/{judged} right = {c['right'] / max(1, judged):.3f}", end="")
        print(f"  (unlabelled {c['unlabelled']})" if c["unlabelled"] else "")
    judged = total["right"] + total["wrong"]
    print(
        f"{'overall':11}  {total['right']}/{judged} right = {total['right'] / max(1, judged):.3f}"
    )
    given_up = sorted(v for v, lab in labels.items() if lab == "right" and v not in caught)
    print(f"right removals no longer made: {len(given_up)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
