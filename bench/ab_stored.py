"""Side-by-side stored-field reads of a results page's hits: Whoosh's `searcher.stored_fields`
against `search.stored.StoredFields`, in one process.

    python -m bench.ab_stored INDEX_DIR [--passes 9]

The hits are those of every page of bench/queries.json; each pass reads them all with each
side (which side first alternating, process CPU time), after a warm-up pass. Prints µs per hit
(median over the passes) and checks that both sides read the same dicts.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from bench.common import load_mix, to_request


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("index_dir", type=Path)
    ap.add_argument("--passes", type=int, default=9)
    args = ap.parse_args(argv)

    from search.service import SearchService
    from search.stored import StoredFields

    svc = SearchService(args.index_dir)
    svc.warm()
    gen = svc._current()
    searcher = gen.searcher
    docnums = [
        searcher.document_number(id=hit.id)
        for item in load_mix()
        for hit in svc.search(to_request(item)).hits
    ]
    sides = {"whoosh": searcher.stored_fields, "stored": StoredFields(searcher)}
    same = all(sides["whoosh"](d) == sides["stored"](d) for d in docnums)
    times: dict[str, list[float]] = {name: [] for name in sides}
    for p in range(args.passes + 1):
        order = list(sides.items())
        for name, read in order if p % 2 else order[::-1]:
            started = time.process_time()
            for d in docnums:
                read(d)
            if p:
                times[name].append((time.process_time() - started) / len(docnums) * 1e6)
    print(f"{len(docnums)} hits of the mix's pages, CPU time, median of {args.passes} passes")
    for name in sides:
        print(f"{name}: µs per hit {statistics.median(times[name]):6.1f}")
    ratio = statistics.median(times["whoosh"]) / statistics.median(times["stored"])
    print(f"ratio whoosh/stored: {ratio:.2f}x; same fields: {same}")
    svc.close()
    if not same:
        sys.exit(1)


if __name__ == "__main__":
    main()
