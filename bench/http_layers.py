"""Where a request's time goes outside SearchService: the bench's query mix through the WSGI app
in process, each layer timed apart, for GET /api/search and for the search page.

    .venv/bin/python -m bench.http_layers --index /tmp/http-22k [--passes 7] [--rounds 3] [--ref main]

Each request is one WSGI call (environ built beforehand, body read to the end, closed), as
gunicorn makes it, minus the socket. Probes wrap the layers and time each one *exclusively* (a
layer's time excludes the layers inside it), so the rows add up to the total:

- guard + access log: webui.ops.RequestGuard (request id, headers, the JSON access log line);
- flask: routing, request and app contexts, dispatch, the response object, what no row names;
- before_request / after_request hooks (compression apart, as `compress`);
- args: webargs' parsing and marshmallow's load of the parameters;
- view: the view function's own code (the page's URLs, timeline, facet groups...);
- search service: SearchService.search/stats/parse, the part this bench leaves to bench.ab_search;
- dump: marshmallow's dump of the result; json: the JSON provider's dumps;
- template: Jinja rendering (context processors included).

Each side (this tree, and `--ref`'s code from `git archive`, first on PYTHONPATH) runs in fresh
processes that alternate, `--rounds` each; a process runs `--passes` passes over the mix after
one warm-up pass; a layer's µs per request is its mean over a pass, the median over all passes.
Layers are timed in the thread's CPU time by default (`--clock cpu`: other processes on a
shared machine do not count; each probe read costs ~1–2 µs, ~15 layers entered per request, the
same on both sides), or in elapsed time (`--clock wall`).

    .venv/bin/python -m bench.http_layers --index /tmp/http-22k --http [--rounds 3] [--seconds 10]

measures instead requests per second through gunicorn (the tree's own gunicorn.conf.py and
wsgi.py, run from the tree) driven by wrk (`make bench-tools`; bench/wrk.lua, 1 thread,
4 connections unless --connections, no Accept-Encoding, as bench.run does), for the API mix
and the same searches as pages, the two sides alternating (which goes first alternates too),
`--rounds` servers each; medians. It reports also the CPU time the workers spent per request
(user + system, /proc), which other load on a shared machine barely moves, unlike req/s.
The mix repeats, so after the warm-up the workers' memos (search/memo.py: facet lists, terms,
phrases...) answer what they kept from the same requests; `--cold` turns them off in every
worker (as `bench.ab_search --cold`): each request as if new to its worker.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
# A browser's Accept-Encoding (the page is compressed; wrk sends none, so the HTTP bench is not).
BROWSER_ENCODING = "gzip, deflate, br, zstd"
LAYERS = (
    "guard + access log",
    "flask",
    "before_request hooks",
    "args",
    "view",
    "search service",
    "dump",
    "json",
    "template",
    "after_request hooks",
    "compress",
)


class Probes:
    """Exclusive timers: a stack of open layers; a layer's time excludes its children's."""

    def __init__(self, clock: Callable[[], float] = time.perf_counter) -> None:
        self.clock = clock
        self.totals: dict[str, float] = defaultdict(float)
        self._stack: list[list[Any]] = []  # [name, start, time spent in children]

    def wrap(self, name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        stack, totals, clock = self._stack, self.totals, self.clock

        def timed(*args: Any, **kwargs: Any) -> Any:
            if stack and stack[-1][0] == name:  # re-entered (nested dumps): one region
                return fn(*args, **kwargs)
            frame = [name, clock(), 0.0]
            stack.append(frame)
            try:
                return fn(*args, **kwargs)
            finally:
                elapsed = clock() - frame[1]
                stack.pop()
                totals[name] += elapsed - frame[2]
                if stack:
                    stack[-1][2] += elapsed

        return timed

    def patch(self, owner: Any, attr: str, name: str) -> None:
        setattr(owner, attr, self.wrap(name, getattr(owner, attr)))


def _instrument(app: Any, probes: Probes) -> None:
    """Put probes around every layer of `app` (whichever version of the code built it)."""
    import flask.templating
    import marshmallow
    import webargs.core

    import search.service
    import webui.ops

    for method in ("search", "stats", "parse"):
        probes.patch(search.service.SearchService, method, "search service")
    probes.patch(webargs.core.Parser, "parse", "args")
    probes.patch(marshmallow.Schema, "load", "args")
    for schema_class in (marshmallow.Schema, *_subclasses(marshmallow.Schema)):
        if "dump" in vars(schema_class):  # marshmallow's, and any schema's own (compiled)
            probes.patch(schema_class, "dump", "dump")
    for method in ("dumps", "dumpb"):  # the app's provider, whatever its class
        if hasattr(app.json, method):
            probes.patch(app.json, method, "json")
    probes.patch(flask.templating, "_render", "template")
    probes.patch(webui.ops, "log_request", "guard + access log")
    for funcs, label in ((app.before_request_funcs, "before"), (app.after_request_funcs, "after")):
        for key, hooks in funcs.items():
            funcs[key] = [
                probes.wrap(
                    "compress"
                    if getattr(hook, "__self__", None).__class__.__name__ == "Compress"
                    else f"{label}_request hooks",
                    hook,
                )
                for hook in hooks
            ]
    for endpoint, view in list(app.view_functions.items()):
        app.view_functions[endpoint] = probes.wrap("view", view)
    guard = app.wsgi_app  # webui.ops.RequestGuard around Flask's own wsgi_app
    guard.app = probes.wrap("flask", guard.app)
    app.wsgi_app = probes.wrap("guard + access log", guard)


def _subclasses(cls: type) -> list[type]:
    return [sub for direct in cls.__subclasses__() for sub in (direct, *_subclasses(direct))]


def _canonical(app: Any, paths: list[str]) -> list[str]:
    """The paths, each page URL the app redirects (not canonical) replaced by its target."""
    client = app.test_client()
    out = []
    for path in paths:
        resp = client.get(path)
        if resp.status_code in (301, 302, 303, 308):
            path = resp.headers["Location"]
            resp = client.get(path)
        if resp.status_code != 200:
            raise SystemExit(f"{path}: status {resp.status_code}")
        out.append(path)
    return out


def _environs(app: Any, paths: list[str], encoding: str) -> list[dict[str, Any]]:
    """A WSGI environ per path (canonical)."""
    from werkzeug.test import EnvironBuilder

    headers = {"Accept-Encoding": encoding} if encoding else {}
    return [
        EnvironBuilder(path=path, headers=headers).get_environ() for path in _canonical(app, paths)
    ]


def _call(app: Any, environ: dict[str, Any]) -> int:
    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        return None

    body = app(dict(environ), start_response)
    size = sum(len(chunk) for chunk in body)
    close = getattr(body, "close", None)
    if close is not None:
        close()
    return size


CLOCKS = {"cpu": time.thread_time, "wall": time.perf_counter}


def worker(index_dir: Path, passes: int, encoding: str, clock: str) -> dict[str, Any]:
    """Measure in this process: for the API and the page, µs per request per layer, per pass."""
    import webui
    from bench.common import load_mix, to_path

    app = webui.create_app({"INDEX_DIR": index_dir})
    app.extensions["telusur.search"].warm()
    api_paths = [to_path(item) for item in load_mix()]
    targets = {
        "api": _environs(app, api_paths, encoding),
        "page": _environs(app, ["/" + p.removeprefix("/api/search") for p in api_paths], encoding),
    }
    probes = Probes(CLOCKS[clock])
    _instrument(app, probes)
    out: dict[str, Any] = {"code": str(Path(webui.__file__).resolve().parents[1])}
    for name, environs in targets.items():
        for env in environs:  # warm-up pass
            _call(app, env)
        per_pass: list[dict[str, float]] = []
        sizes = 0
        for _ in range(passes):
            probes.totals.clear()
            for env in environs:
                sizes += _call(app, env)
            per_pass.append({k: v * 1e6 / len(environs) for k, v in probes.totals.items()})
        out[name] = {
            "passes": per_pass,
            "bytes": sizes / (passes * len(environs)),
            "requests": len(environs),
        }
    return out


def _run(code: Path, args: argparse.Namespace) -> dict[str, Any]:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.http_layers",
            "--worker",
            "--index",
            str(args.index),
            "--passes",
            str(args.passes),
            "--encoding",
            args.encoding,
            "--clock",
            args.clock,
        ],
        # This script runs from this tree; the worker puts the measured tree first on sys.path
        # before it imports anything of Telusur's.
        env={**os.environ, "HTTP_LAYERS": str(code)},
        cwd=REPO,
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    if Path(result["code"]) != code.resolve():
        raise RuntimeError(f"measured {result['code']}, not {code}")
    return result


def _summary(runs: list[dict[str, Any]], target: str) -> dict[str, float]:
    passes = [p for run in runs for p in run[target]["passes"]]
    rows = {layer: statistics.median(p.get(layer, 0.0) for p in passes) for layer in LAYERS}
    totals = [sum(p.values()) for p in passes]
    outside = [sum(v for k, v in p.items() if k != "search service") for p in passes]
    rows["total"] = statistics.median(totals)
    rows["outside search service"] = statistics.median(outside)
    rows["bytes"] = statistics.median(run[target]["bytes"] for run in runs)
    return rows


def _cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of the processes (Linux /proc; clock ticks)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def _serve(code: Path, args: argparse.Namespace, paths: Path, log: Path) -> dict[str, Any]:
    """Start gunicorn on `code`'s tree, drive it with wrk through `paths`, stop it."""
    from bench.run import BIN, _children, _free_port, _wrk, stop_served, wait_served

    port = _free_port()
    path = str(code)  # before the editable install's finder
    if args.cold:  # a sitecustomize beside it, imported first by every process started
        cold = log.parent / "cold"
        cold.mkdir(exist_ok=True)
        (cold / "sitecustomize.py").write_text(COLD)
        path = f"{code}{os.pathsep}{cold}"
    env = {
        **os.environ,
        "PYTHONPATH": path,
        "TELUSUR_INDEX_DIR": str(args.index),
        "TELUSUR_BIND": f"127.0.0.1:{port}",
    }
    with log.open("a") as err:
        master = subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "wsgi:app"],
            cwd=code,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=err,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_served(url + "/healthz", master, 120, f" (see {log})")
        _wrk(url, paths, args.warmup, 10**6, 3)  # every worker opens the index
        workers = _children(master.pid)
        cpu_before = _cpu_seconds(workers)
        result: dict[str, Any] = _wrk(url, paths, args.seconds, 10**6, args.connections)
        # The workers' CPU per request: steady where req/s follows the machine's other load.
        cpu = _cpu_seconds(workers) - cpu_before
        result["cpu_ms_per_request"] = cpu * 1000 / max(result["requests"], 1)
        from bench.common import rss_split_mb

        rss = [rss_split_mb(pid).get("RssAnon", 0.0) for pid in workers]
        result["worker_rss_anon_mb"] = max(rss, default=0.0)  # the largest worker's, after
        return result
    finally:
        stop_served(master)


# --cold: every per-generation memo off in the workers (search/memo.py), as bench.ab_search
# --cold does: each request as if new to its worker, where the bench's repeated mix otherwise
# meets what the worker kept from the same requests before.
COLD = """from search import memo
memo.Memo.get = lambda self, key: None
memo.Memo.__contains__ = lambda self, key: False
"""

HTTP_KEYS = ("rps", "p50_ms", "p99_ms", "cpu_ms_per_request", "worker_rss_anon_mb")


def _line(res: dict[str, Any]) -> str:
    return (
        f"{res['rps']:8.1f} req/s  p50 {res['p50_ms']:6.2f} ms  p99 {res['p99_ms']:7.2f} ms  "
        f"workers' CPU {res['cpu_ms_per_request']:5.2f} ms/request"
        f"  worker RssAnon {res.get('worker_rss_anon_mb', 0.0):6.1f} MB"
        + (f"  non-2xx {res['errors_status']}" if res.get("errors_status") else "")
    )


def http(codes: dict[str, Path], args: argparse.Namespace, tmp: Path) -> None:
    """req/s, latency and the workers' CPU per request through gunicorn + wrk, the sides
    alternating; medians printed."""
    import webui
    from bench.common import load_mix, to_path

    api = [to_path(item) for item in load_mix()]
    app = webui.create_app({"INDEX_DIR": args.index})
    logging.getLogger("telusur.access").setLevel(logging.WARNING)  # this process's requests
    pages = _canonical(app, ["/" + p.removeprefix("/api/search") for p in api])
    app.extensions["telusur.search"].close()
    mixes = {"api": api, "page": pages}
    files = {}
    for name, paths in mixes.items():
        files[name] = tmp / f"{name}-paths.txt"
        files[name].write_text("\n".join(paths) + "\n")
    runs: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for round_ in range(args.rounds):
        for target, paths_file in files.items():
            order = list(codes.items())
            for side, code in order if round_ % 2 == 0 else order[::-1]:  # who goes first
                res = _serve(code, args, paths_file, tmp / "gunicorn.log")
                runs.setdefault((target, side), []).append(res)
                print(f"{target:<5} {side:<10} {_line(res)}", flush=True)
    print(
        f"\nmedians of {args.rounds} runs (wrk {args.seconds} s, {args.connections} connections):"
    )
    for target in files:
        rows = {}
        for side in codes:
            r = runs[(target, side)]
            rows[side] = {k: statistics.median(x[k] for x in r) for k in HTTP_KEYS}
            print(f"{target:<5} {side:<10} {_line(rows[side])}")
        if len(rows) == 2:
            old, new = rows.values()
            print(
                f"{target:<5} this tree ÷ {next(iter(codes))}: req/s {new['rps'] / old['rps']:.2f}×,"
                f" CPU per request {new['cpu_ms_per_request'] / old['cpu_ms_per_request']:.2f}×"
            )
    if args.json:
        args.json.write_text(json.dumps({f"{t}/{s}": r for (t, s), r in runs.items()}, indent=1))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--index", type=Path, required=True, help="an index directory (with current)")
    ap.add_argument("--passes", type=int, default=7, help="passes over the mix per process")
    ap.add_argument("--rounds", type=int, default=3, help="processes per side, alternating")
    ap.add_argument("--ref", default="main", help="the commit to compare with ('' for none)")
    ap.add_argument("--encoding", default=BROWSER_ENCODING, help="the Accept-Encoding sent")
    ap.add_argument(
        "--clock",
        choices=sorted(CLOCKS),
        default="cpu",
        help="cpu: the thread's CPU time (steady on a busy machine; ~2 µs per probe read); "
        "wall: elapsed time",
    )
    ap.add_argument("--json", type=Path, help="also write the results here")
    ap.add_argument("--http", action="store_true", help="req/s through gunicorn + wrk instead")
    ap.add_argument("--seconds", type=int, default=10, help="wrk's run (--http)")
    ap.add_argument("--warmup", type=int, default=3, help="wrk's warm-up run (--http)")
    ap.add_argument(
        "--cold",
        action="store_true",
        help="--http with the workers' memos off (search/memo.py): each request as if new",
    )
    ap.add_argument(
        "--connections",
        type=int,
        default=4,
        help="wrk's connections (--http; 4 as bench.run: a keep-alive connection stays on the "
        "worker that accepted it; webui.worker leaves new ones to idle workers)",
    )
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        sys.path.insert(0, os.environ.get("HTTP_LAYERS", str(REPO)))
        print(json.dumps(worker(args.index, args.passes, args.encoding, args.clock)))
        return
    with tempfile.TemporaryDirectory(prefix="http-layers-") as tmp:
        codes = {"this tree": REPO}
        if args.ref:
            from bench.open_time import export

            codes = {args.ref: export(args.ref, Path(tmp)), **codes}
        if args.http:
            http(codes, args, Path(tmp))
            return
        runs: dict[str, list[dict[str, Any]]] = {name: [] for name in codes}
        for _ in range(args.rounds):
            for name, code in codes.items():
                runs[name].append(_run(code, args))
    results = {
        target: {name: _summary(r, target) for name, r in runs.items()}
        for target in ("api", "page")
    }
    names = list(codes)
    for target, by_side in results.items():
        print(
            f"\n{target}: µs per request (median over {args.rounds}×{args.passes} passes of "
            f"{runs[names[0]][0][target]['requests']} queries; Accept-Encoding: {args.encoding!r})"
        )
        header = f"{'layer':<24}" + "".join(f"{n:>14}" for n in names)
        print(header + ("    ratio" if len(names) == 2 else ""))
        for layer in (*LAYERS, "outside search service", "total", "bytes"):
            vals = [by_side[n][layer] for n in names]
            line = f"{layer:<24}" + "".join(f"{v:>14.1f}" for v in vals)
            if len(vals) == 2 and vals[1]:
                line += f"{vals[0] / vals[1]:>8.2f}×"
            print(line)
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "args": vars(args) | {"index": str(args.index), "json": str(args.json)},
                    "results": results,
                },
                indent=1,
            )
        )


if __name__ == "__main__":
    main()
