"""Side-by-side snippet time: the working tree's make_snippet against a git revision's.

    python -m bench.ab_snippets INDEX_DIR [--base HEAD~3] [--passes 7] [--cpu] [--distinct 600]

The snippets of every results page of bench/queries.json (the bodies and terms SearchService
hands to make_snippet for its 10 hits) are made by both versions in one process, which side
first alternating, after a warm-up pass (each side's per-process caches as in a warm worker).
Per page: µs for its snippets, median over the passes; then median and p95 over the pages,
and their ratio (`--cpu`: by the process's CPU time, steadier on a busy machine). Both sides'
snippets are compared byte for byte.

The mix's pages repeat, so each side's per-process caches (search.snippet_words) hold every
word they meet: a worker serving the same few searches. `--distinct N` times instead N pages of
10 articles drawn from the whole index, each article once, with the terms of a page of the mix
(after WARM_PAGES such pages, not timed): a worker serving varied searches.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import time
import types
from pathlib import Path
from typing import Any

import numpy as np

from bench.common import BENCH, load_mix, to_request

REPO = BENCH.parent

Page = list[tuple[str, frozenset[str]]]


def pages_of(index_dir: Path) -> list[Page]:
    """The (body, terms) pairs of each page of the mix, as the service asks for them."""
    import search.service as service

    calls: Page = []
    made = service.make_snippets

    def spy(texts: list[str], terms: frozenset[str], *args: Any) -> list[str]:
        calls.extend((text, terms) for text in texts)
        return made(texts, terms, *args)

    svc = service.SearchService(index_dir)
    service.make_snippets = spy  # type: ignore[assignment]
    try:
        pages: list[Page] = []
        for item in load_mix():
            calls.clear()
            svc.search(to_request(item))
            if calls:
                pages.append(list(calls))
    finally:
        service.make_snippets = made
    return pages


def _module_at(rev: str, path: str) -> types.ModuleType | None:
    """The module at `path` as it was at `rev`, as a module of its own (None: not there)."""
    shown = subprocess.run(
        ["git", "show", f"{rev}:{path}"], cwd=REPO, capture_output=True, text=True
    )
    if shown.returncode:
        return None
    name = path.removesuffix(".py").replace("/", "_") + "_at_" + rev.replace("~", "_")
    module = types.ModuleType(name)
    sys.modules[name] = module  # (dataclasses look their module up)
    exec(compile(shown.stdout, f"{rev}:{path}", "exec"), module.__dict__)
    return module


# The modules search/snippets.py imports its words from, swapped for a revision's own.
HELPERS = ("search/snippet_words.py", "search/snippet_scan.py")


def old_module(rev: str) -> types.ModuleType:
    """search/snippets.py as it was at `rev`, as a module of its own, with the helper modules
    of then (HELPERS, those it had) in place of today's."""
    today = {}
    for path in HELPERS:
        name = path.removesuffix(".py").replace("/", ".")
        helper = _module_at(rev, path)
        if helper is not None:
            today[name] = sys.modules.get(name)
            sys.modules[name] = helper
    try:
        module = _module_at(rev, "search/snippets.py")
    finally:
        for name, module_today in today.items():
            if module_today is not None:
                sys.modules[name] = module_today
            else:
                sys.modules.pop(name, None)
    assert module is not None, f"no search/snippets.py at {rev}"
    return module


WARM_PAGES = 300


def distinct_pages(index_dir: Path, pages: list[Page], count: int, seed: int = 25) -> list[Page]:
    """`count` pages of 10 articles of the index, no article twice, each page with the terms
    of one page of the mix."""
    from whoosh import index

    from index_format.generations import current_path

    rng = random.Random(seed)
    terms = [page[0][1] for page in pages if page[0][1]]
    ix = index.open_dir(str(current_path(index_dir)))
    with ix.searcher() as searcher:
        docnums = rng.sample(
            range(searcher.doc_count_all()), min(count * 10, searcher.doc_count_all())
        )
        bodies = [searcher.stored_fields(d).get("body") or "" for d in docnums]
    ix.close()
    out: list[Page] = []
    for i in range(0, len(bodies), 10):
        chosen = rng.choice(terms)
        out.append([(body, chosen) for body in bodies[i : i + 10]])
    return out


def page_maker(module: types.ModuleType) -> Any:
    """A function making a page's snippets as `module` makes them: one call a page where it
    has make_snippets (a page's hits share their terms), else one a hit."""
    if hasattr(module, "make_snippets"):
        many = module.make_snippets
        return lambda page: many([text for text, _ in page], page[0][1])
    one = module.make_snippet
    return lambda page: [one(text, terms) for text, terms in page]


def _time(make: Any, page: Page, clock: Any) -> float:
    started = clock()
    make(page)
    return float((clock() - started) * 1e6)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("index_dir", type=Path)
    ap.add_argument("--base", default="main")
    ap.add_argument(
        "--cpu", action="store_true", help="time by the process's CPU time (a busy machine)"
    )
    ap.add_argument("--passes", type=int, default=7)
    ap.add_argument("--distinct", type=int, default=0, help="pages of distinct articles")
    args = ap.parse_args(argv)

    import search.snippets

    new = page_maker(search.snippets)
    old = page_maker(old_module(args.base))
    pages = pages_of(args.index_dir)
    if args.distinct:
        pages = distinct_pages(args.index_dir, pages, WARM_PAGES + args.distinct)
        _distinct(pages, old, new, time.process_time if args.cpu else time.perf_counter)
        return
    differ = [page[0][1] for page in pages if old(page) != new(page)]
    per_page: dict[str, list[list[float]]] = {
        "old": [[] for _ in pages],
        "new": [[] for _ in pages],
    }
    for p in range(args.passes + 1):  # the first pass warms
        for i, page in enumerate(pages):
            sides = [("old", old), ("new", new)]
            for name, make in sides if (p + i) % 2 else sides[::-1]:
                us = _time(make, page, time.process_time if args.cpu else time.perf_counter)
                if p:
                    per_page[name][i].append(us)
    clock = "CPU" if args.cpu else "wall"
    print(f"{len(pages)} pages, {sum(map(len, pages))} snippets, base {args.base}, {clock} time")
    result: dict[str, tuple[float, float]] = {}
    for name in ("old", "new"):
        medians = np.array([statistics.median(times) for times in per_page[name]])
        result[name] = (float(np.percentile(medians, 50)), float(np.percentile(medians, 95)))
        print(
            f"{name}: µs per page of snippets  p50 {result[name][0]:8.0f}  p95 {result[name][1]:8.0f}"
        )
    print(
        f"ratio old/new: p50 {result['old'][0] / result['new'][0]:.1f}x  "
        f"p95 {result['old'][1] / result['new'][1]:.1f}x"
    )
    print(f"pages differing: {len(differ)}" + (f" (terms {differ[:5]})" if differ else ""))
    if differ:
        sys.exit(1)


def _distinct(pages: list[Page], old: Any, new: Any, clock: Any) -> None:
    """Each page made once by each side, which side first alternating; the first WARM_PAGES
    not counted."""
    times: dict[str, list[float]] = {"old": [], "new": []}
    differ = 0
    for i, page in enumerate(pages):
        sides = [("old", old), ("new", new)]
        for name, make in sides if i % 2 else sides[::-1]:
            us = _time(make, page, clock)
            if i >= WARM_PAGES:
                times[name].append(us)
        differ += sum(a != b for a, b in zip(old(page), new(page), strict=True))
    counted = len(pages) - WARM_PAGES
    print(f"{counted} pages of 10 distinct articles after {WARM_PAGES} not counted")
    for name in ("old", "new"):
        a = np.array(times[name])
        print(
            f"{name}: µs per page of snippets  p50 {np.percentile(a, 50):8.0f}  "
            f"p95 {np.percentile(a, 95):8.0f}  mean {a.mean():8.0f}"
        )
    o, n = np.array(times["old"]), np.array(times["new"])
    print(f"ratio old/new: p50 {np.median(o) / np.median(n):.1f}x  mean {o.mean() / n.mean():.1f}x")
    print(f"snippets differing: {differ}")
    if differ:
        sys.exit(1)


if __name__ == "__main__":
    main()
