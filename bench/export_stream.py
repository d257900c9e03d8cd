"""Whole-archive exports through gunicorn: time to first byte against total time, and how much the
serving worker's memory grows while it streams.

    python -m bench.export_stream [--index-dir /tmp/serve-22k] [--rounds 3] [--tree DIR ...]

Serves the index with the repo's gunicorn.conf.py and one worker (so that its RSS is the
export's), asks for /api/export.jsonl and /api/export.csv with an empty query (every article:
~45 MB of JSON Lines at 22k), reads them as fast as the socket gives them, and samples the
worker's VmRSS every 2 ms. With --tree, each DIR is a checkout of this repository served with its
own code and its own gunicorn.conf.py (e.g. `git archive <commit> | tar -x -C DIR`), alternated
round by round: a before/after on one machine. Targets (issue #16): the first byte before 10% of
the total time, worker RSS growth under 20 MB. Without --index-dir's index, `--archive` is
indexed into it first (~1 min for CLICK-ID's 21,938 articles).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from bench.run import NEWS, REPO, RESULTS, _children, log

TARGET_TTFB_SHARE = 0.10
TARGET_RSS_MB = 20.0


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class _Sampler(threading.Thread):
    """The peak VmRSS of one process while running."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak = _rss_mb(pid)
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.wait(0.002):
            self.peak = max(self.peak, _rss_mb(self.pid))

    def stop(self) -> float:
        self._done.set()
        self.join()
        return self.peak


def _get(port: int, path: str) -> dict[str, Any]:
    """One GET read to the end: seconds to the first byte and in all, body bytes, headers."""
    started = time.perf_counter()
    with socket.create_connection(("127.0.0.1", port), timeout=600) as s:
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n".encode())
        first = s.recv(65536)
        ttfb = time.perf_counter() - started
        size = len(first)
        head = first
        while chunk := s.recv(1 << 20):
            size += len(chunk)
            if b"\r\n\r\n" not in head:
                head += chunk
    total = time.perf_counter() - started
    status_line, *lines = head.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, v in (x.split(":", 1) for x in lines)}
    return {
        "status": int(status_line.split()[1]),
        "ttfb_s": round(ttfb, 4),
        "total_s": round(total, 4),
        "ttfb_share": round(ttfb / total, 4),
        "bytes": size,
        "content_length": headers.get("content-length"),
        "chunked": headers.get("transfer-encoding") == "chunked",
        "request_id": headers.get("x-request-id"),
    }


class _Gunicorn:
    """The tree's gunicorn.conf.py, one worker, a free port."""

    def __init__(self, tree: Path, index_dir: Path, logfile: Path) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("TELUSUR_")}
        env.update(
            TELUSUR_INDEX_DIR=str(index_dir),
            TELUSUR_BIND="127.0.0.1:0",
            TELUSUR_WORKERS="1",
            PYTHONPATH=str(tree),
        )
        self.logfile = logfile
        with logfile.open("wb") as out:
            self.proc = subprocess.Popen(
                [
                    *(sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"),
                    "--no-control-socket",
                    "wsgi:app",
                ],
                cwd=tree,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        self.port = self._wait()
        (self.worker,) = _children(self.proc.pid)

    def _wait(self) -> int:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"gunicorn exited:\n{self.logfile.read_text(errors='replace')}")
            m = re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", self.logfile.read_text())
            if m:
                try:
                    if _get(int(m.group(1)), "/healthz")["status"] == 200:
                        return int(m.group(1))
                except OSError:
                    pass
            time.sleep(0.2)
        raise SystemExit("gunicorn did not come up")

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def measure(tree: Path, index_dir: Path, fmt: str, work: Path) -> dict[str, Any]:
    """One fresh server per measurement: the worker's RSS starts where a new worker's does."""
    server = _Gunicorn(tree, index_dir, work / "gunicorn.log")
    try:
        _get(server.port, "/api/search?q=banjir")  # the search path's code and caches loaded
        _get(server.port, f"/api/export.{fmt}?q=banjir+bandang")  # the export path's code
        before = _rss_mb(server.worker)
        sampler = _Sampler(server.worker)
        sampler.start()
        res = _get(server.port, f"/api/export.{fmt}?q=")
        peak = sampler.stop()
        res.update(
            format=fmt,
            worker_rss_before_mb=round(before, 1),
            worker_rss_peak_mb=round(peak, 1),
            worker_rss_growth_mb=round(peak - before, 1),
        )
        return res
    finally:
        server.stop()


def _build(archive: Path, index_dir: Path) -> None:
    log(f"indexing {archive} into {index_dir}")
    cli = "from indexer.cli import main; main()"
    subprocess.run(
        [sys.executable, "-c", cli, "--index-dir", str(index_dir), "rebuild-index", str(archive)],
        check=True,
        cwd=REPO,
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--index-dir", type=Path, default=Path("/tmp/serve-22k"))
    ap.add_argument("--archive", type=Path, default=NEWS)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--tree", type=Path, action="append", help="a checkout to serve (repeatable)")
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/telusur-bench/export"))
    args = ap.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    if not (args.index_dir / "current").exists():
        _build(args.archive, args.index_dir)
    trees = [t.resolve() for t in args.tree] if args.tree else [REPO]
    runs: dict[str, list[dict[str, Any]]] = {}
    for r in range(args.rounds):
        for tree in trees if r % 2 == 0 else trees[::-1]:
            for fmt in ("jsonl", "csv"):
                res = measure(tree, args.index_dir, fmt, args.workdir)
                log(f"round {r + 1} {tree.name} {fmt}: {json.dumps(res)}")
                runs.setdefault(f"{tree}:{fmt}", []).append(res)
    summary = {}
    for key, rs in runs.items():
        med = {
            k: statistics.median(x[k] for x in rs)
            for k in ("ttfb_s", "total_s", "ttfb_share", "bytes", "worker_rss_growth_mb")
        }
        med["meets_targets"] = (
            med["ttfb_share"] < TARGET_TTFB_SHARE and med["worker_rss_growth_mb"] < TARGET_RSS_MB
        )
        med["content_length_sent"] = any(x["content_length"] is not None for x in rs)
        summary[key] = med
        print(
            f"{key}: first byte {med['ttfb_s'] * 1000:.0f} ms of {med['total_s'] * 1000:.0f} ms "
            f"({med['ttfb_share']:.1%}), {med['bytes'] / 1e6:.1f} MB, worker RSS "
            f"+{med['worker_rss_growth_mb']:.1f} MB (medians of {len(rs)})"
        )
    out = RESULTS / f"{datetime.now():%Y-%m-%d}-export-stream.json"
    out.write_text(
        json.dumps({"index_dir": str(args.index_dir), "summary": summary, "runs": runs}, indent=1)
        + "\n"
    )
    log(f"wrote {out}")


if __name__ == "__main__":
    main()
