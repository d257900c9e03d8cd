"""Side-by-side stored-field reads of a results page's hits, in one process.

    python -m bench.ab_stored INDEX_DIR [--passes 9] [--pages]

The hits are those of every page of bench/queries.json; each pass reads them all with each
side (which side first alternating, process CPU time), after a warm-up pass. Prints µs per hit
(median over the passes) and checks that both sides read the same dicts.

Default: Whoosh's `searcher.stored_fields` against `search.stored.StoredFields`, hit after hit.
`--pages`: a page's reads and snippets, both by today's code, as the service made them before
(each hit's fields, then its snippet, hit after hit) against as it makes them now (the page's
fields together, `StoredFields.many`, then its snippets together, `make_snippets`).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.common import load_mix, to_request


def _timed(sides: dict[str, Callable[[], Any]], passes: int, count: int) -> dict[str, float]:
    """µs per item of each side (median over `passes`, after one warm-up pass)."""
    times: dict[str, list[float]] = {name: [] for name in sides}
    for p in range(passes + 1):
        order = list(sides.items())
        for name, run in order if p % 2 else order[::-1]:
            started = time.process_time()
            run()
            if p:
                times[name].append((time.process_time() - started) / count * 1e6)
    return {name: statistics.median(t) for name, t in times.items()}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("index_dir", type=Path)
    ap.add_argument("--passes", type=int, default=9)
    ap.add_argument("--pages", action="store_true", help="a page's reads with its snippets")
    args = ap.parse_args(argv)

    from search.service import SearchService
    from search.snippets import make_snippet, make_snippets
    from search.stored import StoredFields

    svc = SearchService(args.index_dir)
    svc.warm()
    gen = svc._current()
    searcher = gen.searcher
    pages: list[tuple[list[int], frozenset[str]]] = []
    for item in load_mix():
        req = to_request(item)
        hits = svc.search(req).hits
        if hits:
            terms = svc.parse(req.q).highlight
            pages.append(([searcher.document_number(id=hit.id) for hit in hits], terms))
    docnums = [d for page, _ in pages for d in page]
    stored = StoredFields(searcher)
    if args.pages:

        def hit_by_hit() -> list[list[str]]:
            return [
                [make_snippet(stored(d).get("body") or "", terms) for d in page]
                for page, terms in pages
            ]

        def together() -> list[list[str]]:
            return [
                make_snippets([f.get("body") or "" for f in stored.many(page)], terms)
                for page, terms in pages
            ]

        same = hit_by_hit() == together()
        us = _timed({"hit by hit": hit_by_hit, "together": together}, args.passes, len(pages))
        print(f"{len(pages)} pages of the mix ({len(docnums)} hits): reads and snippets, CPU")
        for name, value in us.items():
            print(f"{name}: µs per page {value:7.0f}")
        print(f"ratio hit by hit/together: {us['hit by hit'] / us['together']:.2f}x; same: {same}")
    else:
        sides = {"whoosh": searcher.stored_fields, "stored": stored}
        same = all(sides["whoosh"](d) == sides["stored"](d) for d in docnums)
        us = _timed(
            {name: (lambda read=read: [read(d) for d in docnums]) for name, read in sides.items()},
            args.passes,
            len(docnums),
        )
        print(f"{len(docnums)} hits of the mix's pages, CPU time, median of {args.passes} passes")
        for name, value in us.items():
            print(f"{name}: µs per hit {value:6.1f}")
        print(f"ratio whoosh/stored: {us['whoosh'] / us['stored']:.2f}x; same fields: {same}")
    svc.close()
    if not same:
        sys.exit(1)


if __name__ == "__main__":
    main()
