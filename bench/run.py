"""`make bench`: rebuild, search latency, HTTP and scale, ours against the baseline, in one run.

    python -m bench.run [--quick] [--workdir /tmp/telusur-bench]

Writes bench/results/<date>.json and bench/results/latest.md. Big data stays in --workdir.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import Any

from bench import formats
from bench.common import BENCH, load_mix, rss_split_mb, to_path
from bench.gen_corpus import replicate

REPO = BENCH.parent
BIN = Path(sys.executable).parent
NEWS = REPO.parent / "shared" / "data" / "news-clickid.jsonl.gz"
RESULTS = BENCH / "results"


def log(msg: str) -> None:
    print(f"[bench {datetime.now():%H:%M:%S}] {msg}", file=sys.stderr, flush=True)


def measured(cmd: list[str], out: Path, env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run cmd under bench.measure; fail loudly if it fails."""
    subprocess.run(
        [sys.executable, "-m", "bench.measure", str(out), "--", *cmd],
        check=True,
        cwd=REPO,
        env={**os.environ, **(env or {})},
    )
    res: dict[str, Any] = json.loads(out.read_text())
    if res["rc"] != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{res['stdout']}\n{res['stderr']}")
    return res


def raw_text_bytes(archive: Path) -> int:
    n = 0
    with gzip.open(archive, "rt", encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            n += len((rec.get("title") or "").encode()) + len((rec.get("body") or "").encode())
    return n


def _head(src: Path, dest: Path, n: int) -> None:
    with (
        gzip.open(src, "rt", encoding="utf-8") as f,
        gzip.open(dest, "wt", encoding="utf-8") as out,
    ):
        for i, line in enumerate(f):
            if i >= n:
                break
            out.write(line)


def dir_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file())


# -- rebuild ------------------------------------------------------------------------------


def rebuild_ours(archive: Path, index_dir: Path, work: Path) -> dict[str, Any]:
    shutil.rmtree(index_dir, ignore_errors=True)
    res = measured(
        [str(BIN / "telusur"), "rebuild-index", "--index-dir", str(index_dir), str(archive)],
        work / "m-rebuild-ours.json",
    )
    return rebuild_figures(res, index_dir)


def rebuild_figures(res: dict[str, Any], index_dir: Path) -> dict[str, Any]:
    """Rate, CPU, memory and index size of a measured `telusur rebuild-index` run."""
    m = re.search(r"Indexed ([\d,]+) articles", res["stdout"])
    indexed = int(m.group(1).replace(",", "")) if m else 0
    return {
        "indexed": indexed,
        "seconds": res["seconds"],
        "articles_per_s": round(indexed / res["seconds"], 1),
        "cpu_ms_per_article": round(res["cpu_seconds"] * 1000 / max(indexed, 1), 2),
        "peak_rss_mb": res["peak_rss_mb"],
        "index_bytes": dir_bytes(Path(os.path.realpath(index_dir / "current"))),
        # Of which: what workers map instead of computing at open (index_format.derived).
        "derived_bytes": dir_bytes(Path(os.path.realpath(index_dir / "current")) / "derived"),
    }


def rebuild_baseline(archive: Path, index_dir: Path, work: Path, tags: Path) -> dict[str, Any]:
    shutil.rmtree(index_dir, ignore_errors=True)
    res = measured(
        [
            sys.executable,
            "-m",
            "bench.baseline",
            "build",
            str(index_dir),
            str(archive),
            "--tag-cache",
            str(tags),
        ],
        work / "m-rebuild-base.json",
    )
    info = json.loads(res["stdout"].strip().splitlines()[-1])
    return {
        "indexed": info["indexed"],
        "seconds": res["seconds"],
        "articles_per_s": round(info["indexed"] / res["seconds"], 1),
        "cpu_ms_per_article": round(res["cpu_seconds"] * 1000 / max(info["indexed"], 1), 2),
        "tags_reused": info["tags_reused"],
        "peak_rss_mb": res["peak_rss_mb"],
        "index_bytes": dir_bytes(index_dir),
    }


# -- search -------------------------------------------------------------------------------


def latency(kind: str, index_dir: Path, work: Path, passes: int) -> dict[str, Any]:
    out = work / f"lat-{kind}.json"
    measured(
        [
            sys.executable,
            "-m",
            "bench.latency",
            kind,
            str(index_dir),
            str(out),
            "--passes",
            str(passes),
        ],
        work / f"m-lat-{kind}.json",
    )
    res: dict[str, Any] = json.loads(out.read_text())
    return res


def guard(ours_dir: Path, work: Path) -> dict[str, Any]:
    out = work / "guard.json"
    measured([sys.executable, "-m", "bench.guard", str(ours_dir), str(out)], work / "m-guard.json")
    res: dict[str, Any] = json.loads(out.read_text())
    return res


# -- HTTP ---------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _children(pid: int) -> list[int]:
    kids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            kids.append(int(stat.parent.name))
    return kids


def _vm_hwm_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def _wrk(url: str, paths: Path, seconds: int, max_requests: int, conns: int) -> dict[str, Any]:
    proc = subprocess.run(
        [
            "wrk",
            "-t1",
            f"-c{conns}",
            f"-d{seconds}s",
            "--timeout",
            "30s",
            "-s",
            str(BENCH / "wrk.lua"),
            url,
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "WRK_PATHS": str(paths), "WRK_MAX": str(max_requests)},
        timeout=seconds + 60,
    )
    line = [x for x in proc.stdout.splitlines() if x.startswith("{")]
    if not line:
        raise SystemExit(f"wrk failed:\n{proc.stdout}\n{proc.stderr}")
    res: dict[str, Any] = json.loads(line[-1])
    return res


def stop_served(master: subprocess.Popen[bytes]) -> None:
    """Stop gunicorn `master` (and so its workers), killing it after 30 s."""
    master.send_signal(signal.SIGTERM)
    try:
        master.wait(timeout=30)
    except subprocess.TimeoutExpired:
        master.kill()


def wait_served(url: str, master: subprocess.Popen[bytes], seconds: float, log: str = "") -> None:
    """Wait until `url` answers (gunicorn `master` up and a worker serving), or exit saying so."""
    deadline = time.time() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=seconds).read()
            return
        except OSError:
            if time.time() > deadline or master.poll() is not None:
                raise SystemExit(f"gunicorn did not come up{log}") from None
            time.sleep(0.5)


MEMORY_PASSES = 3  # the mix served this many more times before the workers' memory is read


def _serve_mix(url: str, paths: list[str], passes: int, connections: int = 4) -> None:
    """Every path of the mix `passes` times, `connections` at a time. (Not by wrk: its
    `wrk.thread:stop()` does not end a run, wg/wrk#281.)"""

    def get(path: str) -> None:
        urllib.request.urlopen(url + path, timeout=300).read()

    with ThreadPoolExecutor(connections) as pool:
        list(pool.map(get, paths * passes))


def http(app: str, env: dict[str, str], work: Path, seconds: int, warmup: int) -> dict[str, Any]:
    """Serve `app` with gunicorn (the repo's config) and drive it with wrk from another process."""
    port = _free_port()
    paths = work / "paths.txt"
    mix = [to_path(item) for item in load_mix()]
    paths.write_text("\n".join(mix) + "\n")
    master = subprocess.Popen(
        [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "--access-logfile", "/dev/null", app],
        cwd=REPO,
        env={**os.environ, **env, "TELUSUR_BIND": f"127.0.0.1:{port}"},
        stdout=subprocess.DEVNULL,
        stderr=open(work / "gunicorn.log", "a"),  # noqa: SIM115
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_served(url + "/api/search?q=banjir", master, 300)
        _wrk(url, paths, warmup, 10**6, 3)  # every worker opens its index generation
        res = _wrk(url, paths, seconds, 10**6, 4)
        # Workers' memory is read after so many requests, not seconds: a timed run serves fewer
        # requests on a loaded machine (or at a larger scale) and would show less memory.
        _serve_mix(url, mix, MEMORY_PASSES)
        res["memory_after_mix_passes"] = MEMORY_PASSES
        workers = _children(master.pid)
        res["workers"] = len(workers)
        res["worker_peak_rss_mb"] = max((_vm_hwm_mb(p) for p in workers), default=0.0)
        res["worker_rss_anon_mb"] = max(
            (rss_split_mb(p).get("RssAnon", 0.0) for p in workers), default=0.0
        )
        return res
    finally:
        stop_served(master)


# -- one scale ----------------------------------------------------------------------------


def scale(label: str, archive: Path, work: Path, args: argparse.Namespace) -> dict[str, Any]:
    out: dict[str, Any] = {"archive": str(archive)}
    ours_dir, base_dir = work / f"ours-{label}", work / f"base-{label}"
    raw = raw_text_bytes(archive)
    out["raw_text_bytes"] = raw
    log(f"{label}: rebuild (ours)")
    out["rebuild_ours"] = rebuild_ours(archive, ours_dir, work)
    out["rebuild_ours"]["index_vs_raw"] = round(out["rebuild_ours"]["index_bytes"] / raw, 3)
    out["rebuild_ours"]["derived_vs_raw"] = round(out["rebuild_ours"]["derived_bytes"] / raw, 3)
    log(f"{label}: {out['rebuild_ours']}")
    big = label == "220k"
    # The serial baseline at 220k costs about an hour (bench/README.md): --ours-only-220k skips
    # it there, and the ratios come from 22k.
    with_base = not (big and args.ours_only_220k)
    out["rebuild_base"], out["search_base"], out["http_base"] = {}, {}, {}
    if with_base:
        log(f"{label}: rebuild (baseline)")
        base_archive, base_raw = archive, raw
        if args.baseline_sample:
            # The serial baseline takes hours on a busy machine: time it on the first N
            # articles, and measure its search path (groupedby, highlights) on our index, which
            # has the same fields; only the stem filter differs.
            base_archive = work / f"sample-{label}.jsonl.gz"
            _head(archive, base_archive, args.baseline_sample)
            base_raw = raw_text_bytes(base_archive)
        out["rebuild_base"] = rebuild_baseline(base_archive, base_dir, work, work / "tags.pkl")
        out["rebuild_base"]["index_vs_raw"] = round(
            out["rebuild_base"]["index_bytes"] / base_raw, 3
        )
        if args.baseline_sample:
            out["rebuild_base"]["sample"] = args.baseline_sample
            base_dir = Path(os.path.realpath(ours_dir / "current"))
        log(f"{label}: {out['rebuild_base']}")
    log(f"{label}: search latency")
    out["search_ours"] = latency("ours", ours_dir, work, args.passes)
    if with_base:
        out["search_base"] = latency("baseline", base_dir, work, 1 if big else args.passes)
    log(
        f"{label}: ours p50/p95 {out['search_ours']['p50']}/{out['search_ours']['p95']} ms, "
        f"baseline {out['search_base'].get('p50')}/{out['search_base'].get('p95')} ms"
    )
    if not big or args.guard_all:
        log(f"{label}: correctness guard")
        out["guard"] = guard(ours_dir, work)
        log(
            f"{label}: guard {out['guard']['queries']} queries, "
            f"{len(out['guard']['mismatches'])} mismatches"
        )
    log(f"{label}: HTTP")
    warm = 20 if big else 8
    out["http_ours"] = http(
        "wsgi:app", {"TELUSUR_INDEX_DIR": str(ours_dir)}, work, args.http_seconds, warm
    )
    if with_base:
        out["http_base"] = http(
            "bench.baseline_wsgi:app",
            {"BENCH_BASELINE_INDEX": str(base_dir)},
            work,
            args.http_seconds,
            warm,
        )
    log(
        f"{label}: HTTP ours {out['http_ours']['rps']} req/s, "
        f"baseline {out['http_base'].get('rps')}"
    )
    return out


# -- report -------------------------------------------------------------------------------

ROWS: list[tuple[str, str, str, str, bool]] = [
    # label, target text, section, key, higher is better
    ("rebuild, articles/s (tagging incl.)", "≥ 800 (22k)", "rebuild", "articles_per_s", True),
    ("rebuild, CPU ms per article (all processes)", "", "rebuild", "cpu_ms_per_article", False),
    ("rebuild, peak RSS of largest process (MB)", "", "rebuild", "peak_rss_mb", False),
    ("index size ÷ raw text", "≤ 1.5", "rebuild", "index_vs_raw", False),
    ("… of which open-time files (derived/)", "", "rebuild", "derived_vs_raw", False),
    ("search p50 (ms)", "≤ 15 (22k)", "search", "p50", False),
    ("search p95 (ms)", "≤ 50 (22k), ≤ 150 (220k)", "search", "p95", False),
    ("search p99 (ms)", "", "search", "p99", False),
    ("search process peak RSS (MB)", "≤ 400 (220k)", "search", "peak_rss_mb", False),
    ("… of which private (RssAnon, MB)", "", "search", "rss_anon_mb", False),
    ("open index: facets, lengths, spelling (ms)", "", "search", "open_ms", False),
    ("HTTP req/s", "≥ 150 (22k)", "http", "rps", True),
    ("HTTP p50 (ms)", "", "http", "p50_ms", False),
    ("HTTP p99 (ms)", "≤ 200 (22k)", "http", "p99_ms", False),
    ("HTTP worker peak RSS (MB)", "≤ 400 (220k)", "http", "worker_peak_rss_mb", False),
    ("… of which private (RssAnon, MB)", "", "http", "worker_rss_anon_mb", False),
]


def _speedup(ours: float, base: float, higher: bool) -> str:
    if not ours or not base:
        return "–"
    return f"{(ours / base if higher else base / ours):.2f}×"


def markdown(result: dict[str, Any]) -> str:
    labels = list(result["scales"])
    head = "| measure | target |"
    sep = "|---|---|"
    for lb in labels:
        head += f" ours {lb} | baseline {lb} | speed-up {lb} |"
        sep += "---:|---:|---:|"
    lines = [head, sep]
    for label, target, section, key, higher in ROWS:
        row = f"| {label} | {target} |"
        for lb in labels:
            s = result["scales"][lb]
            ours = s[f"{section}_ours"].get(key)
            base = s[f"{section}_base"].get(key)
            shown = ["–" if v is None else v for v in (ours, base)]
            row += f" {shown[0]} | {shown[1]} | {_speedup(ours or 0, base or 0, higher)} |"
        lines.append(row)
    notes = [
        "",
        f"Run {result['started']} on {result['machine']}; {result['command']}.",
        "Speed-up > 1 means ours is better (rates: ours ÷ baseline; times and sizes: "
        "baseline ÷ ours). Search latency: median over passes per query, then percentiles "
        f"over the {result['queries']} queries of bench/queries.json; HTTP: wrk, 1 thread, "
        "4 connections, gunicorn with the repo's gunicorn.conf.py.",
    ]
    for lb in labels:
        s = result["scales"][lb]
        if "guard" in s:
            g = s["guard"]
            notes.append(
                f"Correctness guard at {lb}: {g['queries']} queries, "
                f"{len(g['mismatches'])} mismatches (hit sets and facet counts vs groupedby)."
            )
        rb = s["rebuild_base"]
        if not rb:
            notes.append(f"Baseline at {lb}: not run (--ours-only-220k).")
        if rb.get("sample"):
            notes.append(
                f"Baseline at {lb}: rebuild timed on the first {rb['sample']:,} articles; its "
                "search and HTTP figures use our index (same fields, Sastrawi via our filter)."
            )
        if rb.get("tags_reused"):
            notes.append(
                f"Baseline rebuild at {lb} reused the entity tags of {rb['tags_reused']:,} "
                "identical texts from the 22k run (its rate excludes most tagging)."
            )
    return "\n".join(lines + notes + _formats_table(result.get("formats"))) + "\n"


def _formats_table(found: dict[str, Any] | None) -> list[str]:
    """Extraction speed per format (bench.formats): the same articles as .txt, .html.gz, .warc.gz."""
    if not found:
        return []
    rows = [
        "",
        "| format | articles | read ms/article (parent) | extract ms/article (workers) | total |",
        "|---|---:|---:|---:|---:|",
    ]
    for kind, f in found.items():
        rows.append(
            f"| {kind} | {f['articles']:,} | {f['read_ms']} | {f['extract_ms']} | "
            f"{f['ms_per_article']} |"
        )
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--quick", action="store_true", help="22k only")
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/telusur-bench"))
    ap.add_argument("--passes", type=int, default=3)
    ap.add_argument("--http-seconds", type=int, default=20)
    ap.add_argument(
        "--baseline-sample",
        type=int,
        default=0,
        help="time the baseline rebuild on the first N articles; its search runs on our index",
    )
    ap.add_argument("--guard-all", action="store_true", help="run the guard at 220k too")
    ap.add_argument(
        "--ours-only-220k", action="store_true", help="at 220k, measure ours only (no baseline)"
    )
    ap.add_argument("--archive", type=Path, default=NEWS)
    ap.add_argument("--label", default="22k", help="the name of the --archive scale in the table")
    ap.add_argument(
        "--formats-articles",
        type=int,
        default=1000,
        help="articles per format for extraction speed (.txt, .html.gz, .warc.gz)",
    )
    args = ap.parse_args()
    work = args.workdir
    work.mkdir(parents=True, exist_ok=True)
    (work / "tags.pkl").unlink(missing_ok=True)
    started = datetime.now()
    result: dict[str, Any] = {
        "started": started.isoformat(timespec="seconds"),
        "machine": f"{os.cpu_count()} cores, {os.uname().sysname} {os.uname().release}",
        "command": " ".join(["python -m bench.run", *sys.argv[1:]]),
        "git": subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=REPO
        ).stdout.strip(),
        "queries": len(load_mix()),
        "scales": {},
    }
    result["scales"][args.label] = scale(args.label, args.archive, work, args)
    log(f"extraction per format ({args.formats_articles:,} articles)")
    result["formats"] = formats.run(args.formats_articles, work / "formats")
    if not args.quick:
        big = work / "news-220k.jsonl.gz"
        if not big.exists():
            log("generating the 220k archive")
            replicate(args.archive, big, 10)
        result["scales"]["220k"] = scale("220k", big, work, args)
    result["seconds"] = round((datetime.now() - started).total_seconds(), 1)
    RESULTS.mkdir(exist_ok=True)
    stamp = started.strftime("%Y-%m-%d")
    suffix = "-quick" if args.quick else ""
    (RESULTS / f"{stamp}{suffix}.json").write_text(json.dumps(result, indent=1) + "\n")
    table = markdown(result)
    (RESULTS / f"latest{suffix}.md").write_text(table)
    print(table)
    log(f"done in {result['seconds']} s")


if __name__ == "__main__":
    main()
