"""`make bench-peers`: Telusur's SearchService, tantivy-py, SQLite FTS5 and Xapian side by side.

    python -m bench.peers [--archive A.jsonl.gz] [--sample N] [--index DIR] [--rounds 3]

1. Telusur's index: built from the archive (its first N records with --sample) by
   `telusur rebuild-index`, as production builds it; or an existing one (--index).
2. Tokens: every article of that index analysed as Telusur indexes it (tokens.py).
3. Queries: the distinct query strings of bench/queries.json (their filters, sorts and pages
   left out: the peers index no entities), parsed by the service into trees (trees.py).
4. Each peer builds its index from the tokens in a process of its own (driver.py); Xapian's
   under /usr/bin/python3 (Debian's python3-xapian), skipped with a message when missing.
5. Rounds: in each, every engine opens its index and runs workloads A and B in a fresh
   process, the engines one after the other; a query's time is its median over every pass of
   every round, then p50/p95 over the queries.
6. Agreement: totals per query equal to Telusur's (mismatches listed), outlet and month counts
   equal, mean top-10 overlap with Telusur's top 10 (over the queries with 10 hits or more).

Results: bench/results/<date>-peers[-label].json and bench/results/latest-peers[-label].md.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

from bench.common import BENCH, QUERIES, load_mix, percentiles
from bench.peers.driver import dir_mb, median_per_query
from bench.peers.tokens import write_tokens
from bench.peers.trees import Untranslatable, to_tree

REPO = BENCH.parent
DEFAULT_ARCHIVE = Path("/work/shared/data/news-clickid.jsonl.gz")
SYSTEM_PYTHON = "/usr/bin/python3"
PEERS = ("tantivy", "fts5", "xapian")
ENGINES = ("telusur", *PEERS)
TOP = 10


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def sample_archive(archive: Path, n: int, out: Path) -> Path:
    """The archive's first `n` JSON Lines records, gzipped."""
    with (
        gzip.open(archive, "rt", encoding="utf-8") as src,
        gzip.open(out, "wt", encoding="utf-8") as dst,
    ):
        for i, line in enumerate(src):
            if i >= n:
                break
            dst.write(line)
    return out


def build_telusur(archive: Path, sample: int, workdir: Path) -> tuple[Path, dict[str, Any]]:
    """`telusur rebuild-index` on the archive (or its sample) into workdir/telusur: timed whole,
    extraction, entity tagging and analysis included (the peers' build starts from tokens)."""
    if sample:
        archive = sample_archive(archive, sample, workdir / f"sample-{sample}.jsonl.gz")
    index_dir = workdir / "telusur"
    shutil.rmtree(index_dir, ignore_errors=True)
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "indexer.cli",
            "rebuild-index",
            "--index-dir",
            str(index_dir),
            str(archive),
        ],
        check=True,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
    )
    return index_dir, {"build_s": round(time.perf_counter() - started, 2)}


def query_items(index_dir: Path, mix: Path) -> tuple[list[dict[str, Any]], list[str]]:
    """The mix's distinct non-empty query strings with the service's parsed trees; and the
    queries left out (no peer translation)."""
    from search.service import SearchService

    svc = SearchService(index_dir)
    items, skipped = [], []
    for q in dict.fromkeys(item.get("q", "") for item in load_mix(mix)):
        if not q.strip():
            continue
        try:
            items.append({"q": q, "tree": to_tree(svc.parse(q).query)})
        except Untranslatable as e:
            skipped.append(f"{q}: {e}")
    svc.close()
    return items, skipped


def available(engine: str) -> str | None:
    """None when the engine can run, else why not."""
    if engine == "tantivy" and importlib.util.find_spec("tantivy") is None:
        return "tantivy-py is not installed (pip install -e '.[bench]')"
    if engine == "xapian":
        if not Path(SYSTEM_PYTHON).exists():
            return f"{SYSTEM_PYTHON} is missing"
        probe = subprocess.run([SYSTEM_PYTHON, "-c", "import xapian"], capture_output=True)
        if probe.returncode:
            return "python3-xapian is not installed for /usr/bin/python3 (apt-get install python3-xapian)"
    return None


def drive(
    engine: str, mode: str, inp: Path, workdir: Path, out: Path, passes: int, cpu: bool = False
) -> dict[str, Any]:
    """Run driver.py for one engine in a process of its own; its JSON answer."""
    python = SYSTEM_PYTHON if engine == "xapian" else sys.executable
    cmd = [python, "-m", "bench.peers.driver", mode, engine, str(inp), str(workdir), str(out)]
    cmd += ["--passes", str(passes), *(["--cpu"] if cpu else [])]
    subprocess.run(cmd, check=True, cwd=REPO)
    result: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return result


def agreement(
    items: list[dict[str, Any]], ours: dict[str, Any], theirs: dict[str, Any]
) -> dict[str, Any]:
    """Totals, counts and top 10 of one engine's first round against Telusur's."""
    totals, counts, overlaps = [], [], []
    for i, item in enumerate(items):
        a, b, ref_a, ref_b = theirs["a"][i], theirs["b"][i], ours["a"][i], ours["b"][i]
        if not a["total"] == b["total"] == ref_a["total"] == ref_b["total"]:
            totals.append(
                {"q": item["q"], "telusur": ref_a["total"], "engine": [a["total"], b["total"]]}
            )
        for facet in ("outlets", "months"):
            if b[facet] != ref_b[facet]:
                counts.append({"q": item["q"], "facet": facet})
        if ref_a["total"] >= TOP:  # else both top 10s are the whole, equal result set
            overlaps.append(len(set(a["top"]) & set(ref_a["top"])))
    return {
        "totals_equal": len(items) - len(totals),
        "total_mismatches": totals,
        "count_mismatches": counts,
        "top10_overlap_mean": round(statistics.mean(overlaps), 2) if overlaps else None,
        "top10_overlap_queries": len(overlaps),
    }


def summary(runs: list[dict[str, Any]], built: dict[str, Any]) -> dict[str, Any]:
    a = median_per_query([r["a_ms"] for r in runs])
    b = median_per_query([r["b_ms"] for r in runs])
    return {
        "version": runs[0]["version"],
        **built,
        "open_ms": round(statistics.median(r["open_ms"] for r in runs), 2),
        "search_peak_rss_mb": max(r["search_peak_rss_mb"] for r in runs),
        "a": percentiles(a),
        "b": percentiles(b),
        "totals": [answer["total"] for answer in runs[0]["a"]],
        "a_per_query_ms": [round(t, 3) for t in a],
        "b_per_query_ms": [round(t, 3) for t in b],
    }


def run(args: argparse.Namespace) -> dict[str, Any]:
    workdir: Path = args.workdir
    workdir.mkdir(parents=True, exist_ok=True)
    load_before = os.getloadavg()[1]  # the shared machine's load: timings are only as quiet
    telusur_build: dict[str, Any] = {}
    if args.index:
        index_dir = args.index
    else:
        log(f"telusur rebuild-index {args.archive} (sample {args.sample or 'all'}) ...")
        index_dir, telusur_build = build_telusur(args.archive, args.sample, workdir)
    tokens = workdir / "tokens.jsonl"
    started = time.perf_counter()
    docs = write_tokens(index_dir, tokens)
    log(f"{docs:,} articles' tokens in {time.perf_counter() - started:.1f} s")
    if telusur_build:
        telusur_build["build_docs_per_s"] = round(docs / telusur_build["build_s"], 1)
    telusur_build["index_mb"] = dir_mb(index_dir.resolve() / "current")
    items, untranslated = query_items(index_dir, args.queries)
    queries = workdir / "queries.json"
    queries.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    engines, skipped = ["telusur"], {}
    for engine in args.engines:
        if engine == "telusur":
            continue
        why = available(engine)
        if why:
            log(f"skipping {engine}: {why}")
            skipped[engine] = why
        else:
            engines.append(engine)
    built = {"telusur": telusur_build | {"docs": docs}}
    for engine in engines[1:]:
        log(f"building {engine} ...")
        where = workdir / engine
        shutil.rmtree(where, ignore_errors=True)
        built[engine] = drive(engine, "build", tokens, where, workdir / f"{engine}-build.json", 0)
    runs: dict[str, list[dict[str, Any]]] = {e: [] for e in engines}
    for r in range(args.rounds):
        for engine in engines:
            log(f"round {r + 1}/{args.rounds}: {engine}")
            where = index_dir if engine == "telusur" else workdir / engine
            out = workdir / f"{engine}-search.json"
            runs[engine].append(drive(engine, "search", queries, where, out, args.passes, args.cpu))
    results = {e: summary(runs[e], built[e]) for e in engines}
    for engine in engines[1:]:
        results[engine]["agreement"] = agreement(items, runs["telusur"][0], runs[engine][0])
    return {
        "date": date.today().isoformat(),
        "archive": str(args.archive) if not args.index else None,
        "index": str(index_dir),
        "sample": args.sample or None,
        "docs": docs,
        "queries": [item["q"] for item in items],
        "untranslated": untranslated,
        "rounds": args.rounds,
        "passes": args.passes,
        "clock": "cpu" if args.cpu else "wall",
        "skipped": skipped,
        "engines": results,
        "load_avg_5min": [round(load_before, 2), round(os.getloadavg()[1], 2)],
        "telusur_rev": subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=REPO
        ).stdout.strip(),
    }


def _ms(p: dict[str, float]) -> str:
    return f"{p['p50']:.2f} / {p['p95']:.2f}"


def table(result: dict[str, Any]) -> str:
    lines = [
        f"Peers on {result['docs']:,} articles, {len(result['queries'])} queries "
        f"(bench/queries.json's distinct query strings), {result['rounds']} rounds × "
        f"{result['passes']} passes ({result.get('clock', 'wall')} time), "
        f"Telusur at {result['telusur_rev']}, {result['date']}; "
        f"load average (5 min) {result['load_avg_5min'][0]} before, "
        f"{result['load_avg_5min'][1]} after, on {os.cpu_count()} cores.",
        "",
        "| engine | build docs/s | index MB | peak RSS MB build / search | A p50 / p95 ms "
        "| B p50 / p95 ms | open ms | totals = Telusur's | top-10 overlap |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, e in result["engines"].items():
        agree = e.get("agreement")
        build = f"{e['build_docs_per_s']:,.0f}" if e.get("build_docs_per_s") else "–"
        if name == "telusur" and e.get("build_docs_per_s"):
            build += " (rebuild-index, tagging included)"
        lines.append(
            f"| {e['version']} | {build} | {e['index_mb']} | {e.get('build_peak_rss_mb', '–')} / "
            f"{e['search_peak_rss_mb']} | {_ms(e['a'])} | {_ms(e['b'])} | {e['open_ms']} | "
            + (
                f"{agree['totals_equal']}/{len(result['queries'])} | {agree['top10_overlap_mean']} |"
                if agree
                else "– | – |"
            )
        )
    for name, why in result["skipped"].items():
        lines.append(f"\nSkipped {name}: {why}")
    for name, e in result["engines"].items():
        for m in (e.get("agreement") or {}).get("total_mismatches", []):
            lines.append(
                f"\nTotal mismatch, {name}: `{m['q']}` Telusur {m['telusur']}, {name} {m['engine']}"
            )
    if result["untranslated"]:
        lines.append("\nLeft out (no peer translation): " + "; ".join(result["untranslated"]))
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    ap.add_argument(
        "--archive", type=Path, default=DEFAULT_ARCHIVE, help="JSON Lines (.gz) archive"
    )
    ap.add_argument("--sample", type=int, default=0, help="only the archive's first N records")
    ap.add_argument("--index", type=Path, help="an existing Telusur index dir (no rebuild)")
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/telusur-peers"))
    ap.add_argument("--engines", nargs="+", choices=ENGINES, default=list(ENGINES))
    ap.add_argument("--queries", type=Path, default=QUERIES)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--passes", type=int, default=2)
    ap.add_argument("--cpu", action="store_true", help="time searches by CPU time (a busy machine)")
    ap.add_argument(
        "--cold",
        action="store_true",
        help="Telusur without its per-generation memos (every query as if new to the worker)",
    )
    ap.add_argument("--label", default="", help="suffix of the result files' names")
    ap.add_argument("--results", type=Path, default=BENCH / "results", help="where results go")
    ap.add_argument("--no-save", action="store_true", help="print the table, write no results")
    args = ap.parse_args(argv)
    if not args.index and not args.archive.exists():
        sys.exit(f"no archive at {args.archive} (--archive PATH, or --index DIR)")
    if args.cold:  # read by engine_telusur in the engine's own process
        os.environ["TELUSUR_PEERS_COLD"] = "1"
    result = run(args)
    suffix = f"-{args.label}" if args.label else ""
    if not args.no_save:
        args.results.mkdir(parents=True, exist_ok=True)
        (args.results / f"{result['date']}-peers{suffix}.json").write_text(
            json.dumps(result, indent=1, ensure_ascii=False)
        )
        (args.results / f"latest-peers{suffix}.md").write_text(table(result))
    print(table(result))
    return result


if __name__ == "__main__":
    main()
