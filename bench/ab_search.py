"""Side-by-side search latency: the working tree against a git revision, on one index.

    python -m bench.ab_search INDEX_DIR [--base HEAD~3] [--passes 3] [--only search/a.py ...]
                              [--cpu] [--score-path | --peers] [--cold]

Each side runs SearchService in a process of its own (the base from `git archive REV`, so its
whole search path is the old one). Every query of bench/queries.json goes to both sides in
turn, which side first alternating, for `--passes` passes after one warm-up pass; each query's
time is its median over the passes, then p50/p95/p99 over the mix, as `bench.latency` reports.
With `--only`, the base side is HEAD with just those files as they were at
`--base` (e.g. the search path of then on today's index format).
On a shared machine compare the two columns of one run (and their ratio), not runs, and
time by CPU (`--cpu`: each worker's process time). `--score-path` times what matches and
ranks a query only (Matcher.match and Ranking.page: the mask, the scores, the top-k, the
name tiers and the proximity re-rank), not its facets, snippets and suggestions. `--peers` times
bench.peers' workload B (engine_telusur.page: the mix's distinct query strings, each a page
with the outlet list, the month histogram and 10 snippets). `--cold`: both sides without
their per-generation memos (search/memo.py), every query as if new to the worker.
At 2.2M a worker's CPU per query swings 3–8× with its heap's history (page faults as glibc
maps and unmaps large arrays): give both sides the same allocator settings for readable
figures, e.g. `GLIBC_TUNABLES=glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=
268435456 python -m bench.ab_search …` (the sides inherit the environment).

The sides' results are compared too (totals, facet counts, hit ids and scores): a difference
is printed, with the queries it concerns.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path
from typing import IO, Any

from bench.common import BENCH, load_mix, percentiles

REPO = BENCH.parent

# The worker runs with its source tree first on sys.path; it reads query numbers on stdin and
# answers one JSON line per query: milliseconds and what the search returned.
WORKER = r"""
import json, sys, time
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from bench.common import load_mix, to_request
from search.service import SearchService
if sys.argv[6] == "cold":  # every query as if new to the worker, as bench.peers --cold
    from search import memo
    memo.Memo.get = lambda self, key: None
    memo.Memo.__contains__ = lambda self, key: False
svc = SearchService(Path(sys.argv[2]))
getattr(svc, "warm", svc.stats)()
from search.models import SearchRequest
reqs = [to_request(item) for item in load_mix(Path(sys.argv[3]))]
if sys.argv[5] == "peers":  # bench.peers' workload B: its distinct queries, as its page asks
    texts = dict.fromkeys(item.get("q", "") for item in load_mix(Path(sys.argv[3])))
    reqs = [
        SearchRequest(q=q, per_page=10, facets=("outlet", "published"), interval="month",
                      as_typed=True)
        for q in texts if q.strip()
    ]
clock = time.process_time if sys.argv[4] == "cpu" else time.perf_counter
score_path = sys.argv[5] == "score"
print(json.dumps({"ready": True}), flush=True)
for line in sys.stdin:
    req = reqs[int(line)]
    if score_path:  # what matches and ranks: the query's mask and scores, then the page
        gen = svc._current()
        parsed = svc.parse(req.q, gen)
        t = clock()
        matched = gen.matcher.match(parsed, req)
        total = int(matched.final.sum())
        start = (req.page - 1) * req.per_page
        end = min(start + req.per_page, total)
        ranked = gen.ranking.page(
            parsed, req.sort, matched.final, start, end, matched.strict, matched.scored
        )
        ms = (clock() - t) * 1000
        hits = [(gen.searcher.stored_fields(d)["id"], s) for d, s in ranked]
        print(json.dumps({"ms": ms, "total": total, "hits": hits}), flush=True)
        continue
    t = clock()
    r = svc.search(req)
    ms = (clock() - t) * 1000
    facets = {k: [(v.value, v.count) for v in vs] for k, vs in r.facets.items()}
    hits = [(h.id, h.score) for h in r.hits]
    print(json.dumps({"ms": ms, "total": r.total, "hits": hits, "facets": facets}), flush=True)
"""


def _snapshot(rev: str, dest: Path, only: list[str]) -> Path:
    """The tree of `rev` (or HEAD with `only` those paths from `rev`), extracted: no checkout,
    the working tree is shared."""
    tree = "HEAD" if only else rev
    data = subprocess.run(["git", "archive", tree], cwd=REPO, check=True, capture_output=True)
    with tarfile.open(fileobj=BytesIO(data.stdout)) as tar:
        tar.extractall(dest, filter="data")
    for path in only:
        old = subprocess.run(["git", "show", f"{rev}:{path}"], cwd=REPO, capture_output=True)
        if old.returncode == 0:
            (dest / path).write_bytes(old.stdout)
        else:  # the file did not exist then
            (dest / path).unlink(missing_ok=True)
    return dest


class _Side:
    def __init__(
        self, name: str, tree: Path, index_dir: Path, clock: str, path: str, memos: str
    ) -> None:
        self.name = name
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-c",
                WORKER,
                str(tree),
                str(index_dir),
                str(BENCH / "queries.json"),
                clock,
                path,
                memos,
            ],
            cwd=tree,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self._stdin: IO[str] = self.proc.stdin  # type: ignore[assignment]
        self._stdout: IO[str] = self.proc.stdout  # type: ignore[assignment]
        if not json.loads(self._stdout.readline()).get("ready"):
            raise SystemExit(f"{name}: the worker did not start")

    def run(self, i: int) -> dict[str, Any]:
        self._stdin.write(f"{i}\n")
        self._stdin.flush()
        got: dict[str, Any] = json.loads(self._stdout.readline())
        return got

    def close(self) -> None:
        self._stdin.close()
        self.proc.wait(timeout=30)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("index_dir", type=Path)
    ap.add_argument("--base", default="HEAD", help="the git revision to compare against")
    ap.add_argument("--passes", type=int, default=3)
    ap.add_argument("--only", nargs="*", default=[], help="paths to take from --base")
    ap.add_argument(
        "--base-index",
        type=Path,
        help="the index the base side reads (default: index_dir): the same archive built by "
        "--base, when the two versions write different index formats",
    )
    ap.add_argument(
        "--cpu", action="store_true", help="time by the worker's CPU time (a busy machine)"
    )
    ap.add_argument(
        "--score-path",
        action="store_true",
        help="time matching and ranking only (no facets, snippets, suggestions)",
    )
    ap.add_argument(
        "--peers",
        action="store_true",
        help="time bench.peers' workload B: the mix's distinct queries as a page with the "
        "outlet list, the month histogram and 10 snippets",
    )
    ap.add_argument(
        "--cold",
        action="store_true",
        help="both sides without their per-generation memos (search/memo.py): every query as "
        "if new to the worker, as `bench.peers --cold`",
    )
    args = ap.parse_args()
    memos = "cold" if args.cold else "warm"
    mix = load_mix()
    clock = "cpu" if args.cpu else "wall"
    path = "score" if args.score_path else "peers" if args.peers else "search"
    if args.peers:
        texts = dict.fromkeys(item.get("q", "") for item in mix)
        mix = [{"q": q} for q in texts if q.strip()]
    with tempfile.TemporaryDirectory(prefix="ab-search-") as tmp:
        tree = _snapshot(args.base, Path(tmp), args.only)
        sides = [
            _Side("base", tree, args.base_index or args.index_dir, clock, path, memos),
            _Side("ours", REPO, args.index_dir, clock, path, memos),
        ]
        try:
            times: dict[str, list[list[float]]] = {s.name: [[] for _ in mix] for s in sides}
            differ = []
            for p in range(args.passes + 1):
                for i in range(len(mix)):
                    order = sides if (p + i) % 2 == 0 else sides[::-1]
                    out = {s.name: s.run(i) for s in order}
                    if p == 0:
                        a, b = ({k: v for k, v in out[s.name].items() if k != "ms"} for s in sides)
                        if a != b:
                            differ.append(mix[i])
                        continue
                    for s in sides:
                        times[s.name][i].append(out[s.name]["ms"])
        finally:
            for s in sides:
                s.close()
    medians = {name: [statistics.median(t) for t in ts] for name, ts in times.items()}
    stats = {name: percentiles(m) for name, m in medians.items()}
    report = {
        "base_rev": args.base,
        "base_only": args.only,
        "index": str(args.index_dir),
        "base_index": str(args.base_index or args.index_dir),
        "passes": args.passes,
        "clock": clock,
        "timed": path,
        "memos": memos,
        **stats,
        "ratio": {
            k: round(stats["ours"][k] / stats["base"][k], 3) for k in ("p50", "p95", "p99", "mean")
        },
        "differ": differ,
    }
    print(json.dumps(report, indent=1, ensure_ascii=False))
    slow = sorted(range(len(mix)), key=lambda i: -medians["ours"][i])[:10]
    for i in slow:
        print(
            f"  ours {medians['ours'][i]:7.1f}  base {medians['base'][i]:7.1f}  {mix[i]}",
            file=sys.stderr,
        )


if __name__ == "__main__":
    main()
