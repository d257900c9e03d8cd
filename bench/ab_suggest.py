"""Side-by-side did-you-mean time: the working tree's SearchService._suggestion against a git
revision's search/suggest.py counting as the service did then (every count read from the index).

    python -m bench.ab_suggest INDEX_DIR [--base main] [--passes 7]

For every query of bench/queries.json, parsed and matched once by today's service: the
suggestion of both sides, compared, then each side timed over the mix (process CPU time),
which side first alternating, after a warm-up pass; median over the passes, per query.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from whoosh import query as wq

from bench.ab_snippets import _module_at
from bench.common import load_mix, to_request


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("index_dir", type=Path)
    ap.add_argument("--base", default="main")
    ap.add_argument("--passes", type=int, default=7)
    args = ap.parse_args(argv)

    from search.service import SearchService

    old_suggest = _module_at(args.base, "search/suggest.py")
    assert old_suggest is not None, f"no search/suggest.py at {args.base}"
    svc = SearchService(args.index_dir)
    svc.warm()
    gen = svc._current()
    reader = gen.searcher.reader()
    deletions = reader.has_deletions()

    def count(fieldname: str, text: str) -> int:  # the service's count before
        if not deletions:
            return int(reader.doc_frequency(fieldname, text))
        return int(gen.topk.count(wq.Term(fieldname, text)))

    rows = []
    for item in load_mix():
        req = to_request(item)
        parsed = svc.parse(req.q, gen)
        rows.append((req, parsed, gen.matcher.match(parsed, req)))

    def old(req: Any, parsed: Any, matched: Any) -> str | None:
        if not parsed.words:
            return None
        found: str | None = old_suggest.suggest(reader, req.q, parsed.words, gen.spelling, count)
        return found

    def new(req: Any, parsed: Any, matched: Any) -> str | None:
        return svc._suggestion(gen, req, parsed, matched)

    differ = [r.q for r, p, m in rows if old(r, p, m) != new(r, p, m)]
    times: dict[str, list[float]] = {"old": [], "new": []}
    for p in range(args.passes + 1):
        sides = [("old", old), ("new", new)]
        for name, side in sides if p % 2 else sides[::-1]:
            started = time.process_time()
            for row in rows:
                side(*row)
            if p:
                times[name].append((time.process_time() - started) / len(rows) * 1e6)
    print(f"{len(rows)} queries, base {args.base}, CPU time, median of {args.passes} passes")
    for name in ("old", "new"):
        print(f"{name}: µs per query {statistics.median(times[name]):8.1f}")
    ratio = statistics.median(times["old"]) / statistics.median(times["new"])
    print(f"ratio old/new: {ratio:.1f}x")
    print(f"suggestions differing: {len(differ)}" + (f" ({differ[:5]})" if differ else ""))
    svc.close()
    if differ:
        sys.exit(1)


if __name__ == "__main__":
    main()
