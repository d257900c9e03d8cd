"""Facet precision on hand labels: are the entity facets' top values right?

    python -m bench.eval_facets [--index-dir DIR] [--no-rebuild] [--dump FILE] [--top 30]

Indexes CLICK-ID (../shared/data/news-clickid.jsonl.gz) and the seeds (../shared/seeds) with
this tree's code (`rebuild_index`, as `telusur rebuild-index` does; ~30 s), runs the queries of
`bench/facet_queries.json` through SearchService and judges the top `--top` values of each
entity facet by the labels of `bench/facet_labels.tsv`:

    right       one entity, named as the facet should name it, of the facet's type
    dup         a variant of another value's entity (Ahok beside Basuki Tjahaja Purnama)
    type        an entity, but of another facet (a regency as a person)
    junk        not an entity (ASN, "Jokowi Tinjau")

A label row is `query<TAB>facet<TAB>value<TAB>label<TAB>note`; a query of `*` labels the value
for every query (most values mean the same thing whatever was searched). A value without a
label counts as wrong and is listed, to be labelled by hand. Reports precision at 10 and at
`--top` per facet (right ÷ values listed, over all queries) and every duplicate in a top 10.
A dup is judged against what the page shows for the value its label names (that value, or the
one the index merged it into; `--as-written`: the value as labelled, the scorer before round
9): a dup while that is listed beside it for the query, right once it is not.
Writes bench/results/<date>-eval-facets.json. Without ../shared the bench says so and exits 0.
"""

from __future__ import annotations

import argparse
import json
import shutil
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SHARED = REPO.parent / "shared"
QUERIES = HERE / "facet_queries.json"
LABELS = HERE / "facet_labels.tsv"
ENTITY_FACETS = ("person", "organisation", "place")
KINDS = ("right", "dup", "type", "junk")


def read_labels(path: Path) -> dict[tuple[str, str, str], str]:
    """(query or "*", facet, value) → label; a dup's label is `dup:<the value it duplicates>`."""
    out: dict[tuple[str, str, str], str] = {}
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) < 4 or cols[1] not in ENTITY_FACETS or cols[3] not in KINDS:
            raise SystemExit(
                f"{path}:{lineno}: expected query, facet, value, label (one of {KINDS})"
            )
        note = cols[4].strip() if len(cols) > 4 else ""
        out[cols[0], cols[1], cols[2]] = f"dup:{note}" if cols[3] == "dup" and note else cols[3]
    return out


def label_of(
    labels: dict[tuple[str, str, str], str],
    query: str,
    facet: str,
    value: str,
    listed: frozenset[str] | None = None,
    shown: Mapping[str, str | None] | None = None,
) -> str:
    """The value's kind. A duplicate of X is judged against what the page shows for X
    (`shown`: the value the index counts X as, following its merges; None: no value): it is
    one while that value is listed beside it for the query (`listed`: all the query's values
    of the facet, at any rank), and right once a merge joined X into this value or X is
    listed nowhere (the entity has one value). Without `shown`, X is judged as written."""
    label = labels.get((query, facet, value)) or labels.get(("*", facet, value)) or "unlabelled"
    kind, _, other = label.partition(":")
    if kind == "dup" and other and listed is not None:
        target = shown.get(other, other) if shown is not None else other
        if target is None or target == value or target not in listed:
            return "right"
    return kind


# Values fetched per facet to tell whether a duplicate's other value is still listed.
ALL_VALUES = 100_000


def top_values(index_dir: Path, queries: list[str]) -> dict[str, dict[str, list[str]]]:
    """Per query, per entity facet, all its values in the order the API lists them."""
    return read_index(index_dir, queries, {})[0]


Shown = dict[str, dict[str, str | None]]  # per facet: a name → the value the page shows for it


def read_index(
    index_dir: Path, queries: list[str], names: Mapping[str, Iterable[str]]
) -> tuple[dict[str, dict[str, list[str]]], Shown]:
    """top_values, and per facet what the index shows for each of `names` (the values dups
    name): the value it counts the name as after its merges and the user's corrections, as a
    filter on the name resolves it; None when no value answers to it."""
    from search.models import SearchRequest
    from search.service import SearchService

    svc = SearchService(index_dir)
    try:
        out: dict[str, dict[str, list[str]]] = {}
        for q in queries:
            result = svc.search(SearchRequest(q=q, facet_size=ALL_VALUES, per_page=1))
            out[q] = {f: [fv.value for fv in result.facets[f]] for f in ENTITY_FACETS}
        data = svc._current().facets
        shown: Shown = {}
        for facet, wanted in names.items():
            shown[facet] = {}
            for name in wanted:
                vid = data.resolve(facet, name)
                shown[facet][name] = None if vid is None else data.values[facet].names[vid]
        return out, shown
    finally:
        svc.close()


def dup_targets(labels: dict[tuple[str, str, str], str]) -> dict[str, set[str]]:
    """Per facet, the values the labels name as what a dup duplicates."""
    out: dict[str, set[str]] = {f: set() for f in ENTITY_FACETS}
    for (_, facet, _), label in labels.items():
        kind, _, other = label.partition(":")
        if kind == "dup" and other:
            out[facet].add(other)
    return out


def score(
    tops: dict[str, dict[str, list[str]]],
    labels: dict[tuple[str, str, str], str],
    top: int,
    shown: Shown | None = None,
) -> dict[str, Any]:
    """Precision at 10 and at `top` per facet, the duplicates of each top 10, the unlabelled.
    `tops`: every value of each query's facets, in order (top_values); `shown`: what the index
    shows for the values dups name (read_index; without it they are judged as written)."""
    report: dict[str, Any] = {"facets": {}, "dups_in_top10": [], "unlabelled": [], "wrong": []}
    for facet in ENTITY_FACETS:
        by_name = shown.get(facet, {}) if shown is not None else None
        at: dict[int, Counter[str]] = {10: Counter(), top: Counter()}
        for q, per_facet in tops.items():
            listed = frozenset(per_facet[facet])
            for rank, value in enumerate(per_facet[facet][:top], 1):
                kind = label_of(labels, q, facet, value, listed, by_name)
                for k, counter in at.items():
                    if rank <= k:
                        counter[kind] += 1
                if kind == "dup" and rank <= 10:
                    report["dups_in_top10"].append([q, facet, rank, value])
                if kind == "unlabelled":
                    report["unlabelled"].append([q, facet, value])
                elif kind != "right":
                    report["wrong"].append([q, facet, rank, value, kind])
        report["facets"][facet] = {
            f"p@{k}": round(c["right"] / max(1, sum(c.values())), 3) for k, c in at.items()
        } | {f"kinds@{top}": dict(at[top]), "listed@10": sum(at[10].values())}
    return report


def build(index_dir: Path, shared: Path) -> None:
    from indexer.build import rebuild_index

    shutil.rmtree(index_dir, ignore_errors=True)
    archive = [shared / "data" / "news-clickid.jsonl.gz", shared / "seeds"]
    summary = rebuild_index(archive, index_dir, grace_seconds=0)
    print(f"indexed {summary.indexed:,} articles in {summary.seconds:.1f} s → {index_dir}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--index-dir", type=Path, default=Path("/tmp/telusur-eval-facets/ix"))
    ap.add_argument("--no-rebuild", action="store_true", help="use the index already there")
    ap.add_argument("--dump", type=Path, help="also write the top values as JSON here")
    ap.add_argument("--labels", type=Path, default=LABELS)
    ap.add_argument("--queries", type=Path, default=QUERIES, help="a JSON list of queries")
    ap.add_argument("--top", type=int, default=30)
    ap.add_argument(
        "--as-written",
        action="store_true",
        help="judge a dup against the value its label names, not what the index shows for it"
        " (the scorer before round 9, for comparison)",
    )
    ap.add_argument("--shared", type=Path, default=SHARED, help="where data/ and seeds/ are")
    args = ap.parse_args(argv)
    if not (args.shared / "data" / "news-clickid.jsonl.gz").exists():
        print(f"{args.shared}/data/news-clickid.jsonl.gz is missing: nothing to evaluate")
        return 0
    if not args.no_rebuild or not args.index_dir.exists():
        build(args.index_dir, args.shared)
    queries = json.loads(args.queries.read_text(encoding="utf-8"))
    labels = read_labels(args.labels) if args.labels.exists() else {}
    tops, shown = read_index(args.index_dir, queries, dup_targets(labels))
    if args.dump:
        listed = {q: {f: v[: args.top] for f, v in per.items()} for q, per in tops.items()}
        args.dump.write_text(json.dumps(listed, ensure_ascii=False, indent=1), encoding="utf-8")
    report = score(tops, labels, args.top, None if args.as_written else shown)
    print(f"{len(queries)} queries, top {args.top} of each entity facet ({args.labels.name})")
    print(f"{'facet':<14}{'p@10':>7}{'p@' + str(args.top):>7}   kinds in the top {args.top}")
    for facet, r in report["facets"].items():
        kinds = ", ".join(f"{k} {n}" for k, n in sorted(r[f"kinds@{args.top}"].items()))
        print(f"{facet:<14}{r['p@10']:>7.3f}{r[f'p@{args.top}']:>7.3f}   {kinds}")
    print(f"duplicate variants in a top 10: {len(report['dups_in_top10'])}")
    for q, facet, rank, value in report["dups_in_top10"]:
        print(f"  {q!r} {facet} #{rank}: {value}")
    if report["unlabelled"]:
        print(f"unlabelled values (counted wrong): {len(report['unlabelled'])}")
        for q, facet, value in report["unlabelled"][:40]:
            print(f"  {q}\t{facet}\t{value}")
    suffix = (
        "" if args.queries == QUERIES else f"-{args.queries.stem.removeprefix('facet_queries_')}"
    )
    out = REPO / "bench" / "results" / f"{datetime.now():%Y-%m-%d}-eval-facets{suffix}.json"
    out.write_text(json.dumps({"top": args.top, **report}, ensure_ascii=False, indent=1) + "\n")
    print(f"→ {out.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
