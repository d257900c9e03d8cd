"""`make bench-scale`: Telusur at 220k and 2.2M articles of the realistic archive
(bench.gen_realistic), with the 10× copy of CLICK-ID (bench.gen_corpus) and CLICK-ID itself
(22k) beside them.

    python -m bench.scale --scale 220k [--part build|search|http|update|all] [--workdir DIR]
    python -m bench.scale --report          # the table of every part measured so far
    python -m bench.scale --scale 2.2M --part search|http --cold   # each query new to its worker

Each scale lives in WORKDIR/<scale>/ (archive.jsonl.gz, index/, one JSON per part), so a part
can run alone, days apart, on the index an earlier `build` left: a 2.2M build takes hours on
2 cores. Every run merges what it measured into bench/results/<date>-scale.json and rewrites
bench/results/latest-scale.md from all parts found in WORKDIR. Run `update` last: it changes
the index the other parts measure. The search and HTTP parts repeat the bench's query mix, so a
worker meets each query again and answers from what it kept (search.memo: facet lists, phrases);
`--cold` runs them with every memo off, in this process and in every process it starts (as
`bench.http_layers --cold`), into search-cold.json and http-cold.json: each query new to its
worker.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from bench import open_time
from bench.gen_corpus import replicate
from bench.run import (
    BIN,
    NEWS,
    REPO,
    RESULTS,
    http,
    latency,
    log,
    measured,
    raw_text_bytes,
    rebuild_figures,
)

WORKDIR = Path("/tmp/telusur-scale")
# scale → (articles, how its archive is made)
SCALES: dict[str, tuple[int, str]] = {
    "22k": (21_938, "CLICK-ID"),
    "220k": (220_000, "realistic"),
    "2.2M": (2_200_000, "realistic"),
    "copy-220k": (219_380, "CLICK-ID ×10"),
}
PARTS = ("build", "search", "http", "update")
COLD_PARTS = ("search-cold", "http-cold")  # (--cold: search and http with every memo off)
GEN_SEED = 1
UPDATE_ARTICLES = 1_000


def archive_of(scale: str, work: Path) -> Path:
    """The scale's archive, made if absent (CLICK-ID itself at 22k)."""
    n, kind = SCALES[scale]
    if kind == "CLICK-ID":
        return NEWS
    path = work / "archive.jsonl.gz"
    if path.exists():
        return path
    tmp = path.with_suffix(".tmp")
    if kind == "realistic":
        log(f"{scale}: generating {n:,} realistic articles")
        gen = ["-m", "bench.gen_realistic", str(tmp), "--articles", str(n)]
        subprocess.run(
            [sys.executable, *gen, "--seed", str(GEN_SEED), "--no-measure"], check=True, cwd=REPO
        )
    else:
        log(f"{scale}: replicating CLICK-ID 10×")
        replicate(NEWS, tmp, 10)
    os.replace(tmp, path)
    return path


# -- parts --------------------------------------------------------------------------------


def part_build(scale: str, work: Path) -> dict[str, Any]:
    """`telusur rebuild-index` of the archive: rate, CPU, peak RSS, index size ÷ raw text."""
    archive = archive_of(scale, work)
    index = work / "index"
    res = measured(
        [str(BIN / "telusur"), "rebuild-index", "--index-dir", str(index), str(archive)],
        work / "m-build.json",
    )
    out = rebuild_figures(res, index)
    out["raw_text_bytes"] = raw_text_bytes(archive)
    out["index_vs_raw"] = round(out["index_bytes"] / out["raw_text_bytes"], 3)
    out["derived_vs_raw"] = round(out["derived_bytes"] / out["raw_text_bytes"], 3)
    return out


def part_search(work: Path, passes: int, starts: int) -> dict[str, Any]:
    """The query mix through SearchService (bench.latency: all facets, 10 snippets), and a
    worker's start (bench.open_time's child, `starts` fresh processes, medians)."""
    index = work / "index"
    out = latency("ours", index, work, passes)
    out.pop("per_query_ms", None)
    out.pop("totals", None)
    runs = [open_time.run_child(index, REPO) for _ in range(starts)]
    start = {k: round(statistics.median(r[k] for r in runs), 1) for k in runs[0] if k != "code"}
    # From the worker's first import to its first answer (the interpreter's own start aside).
    start["first_answer_ms"] = round(
        statistics.median(r["import_ms"] + r["open_ms"] + r["first_ms"] for r in runs), 1
    )
    out["worker_start"] = {**start, "runs": starts}
    return out


def part_http(work: Path, seconds: int) -> dict[str, Any]:
    """req/s through gunicorn (the repo's config), driven by wrk with the query mix."""
    return http("wsgi:app", {"TELUSUR_INDEX_DIR": str(work / "index")}, work, seconds, 20)


def _holds(svc: Any, doc_id: str) -> bool:
    from search.errors import ArticleNotFound

    try:
        svc.article(doc_id)
    except ArticleNotFound:
        return False
    return True


def timed_update(
    cmd: list[str], m_out: Path, svc: Any, last: str
) -> tuple[float | None, dict[str, Any]]:
    """Run the update command `cmd` under bench.measure (its figures written to `m_out`):
    seconds until `svc` finds the article `last` (None if it never does), and the figures."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "bench.measure", str(m_out), "--", *cmd], cwd=REPO
    )
    searchable = None
    while searchable is None:
        exited = proc.poll() is not None  # before the look: a published index is then seen
        if _holds(svc, last):
            searchable = time.perf_counter() - started
        elif exited:
            break
        else:
            time.sleep(0.1)
    proc.wait()
    res: dict[str, Any] = json.loads(m_out.read_text())
    if res["rc"] != 0:
        raise SystemExit(f"update-index failed:\n{res['stdout']}\n{res['stderr']}")
    return searchable, res


def part_update(work: Path) -> dict[str, Any]:
    """`telusur update-index` with UPDATE_ARTICLES new realistic articles, dated the day after
    the archive's last: seconds from its start until a worker that had the index open finds the
    last of them."""
    from search.service import SearchService

    index = work / "index"
    svc = SearchService(index)
    svc.warm()
    before = svc.stats()
    runs = len(list(work.glob("update-*.jsonl.gz")))
    seed = 1000 + runs  # new articles at each run (the same ones again would be unchanged)
    # An index copied from another workdir may hold that seed's articles already.
    while _holds(svc, f"g{seed}-{UPDATE_ARTICLES - 1:08d}"):
        seed += 1
    batch = work / f"update-{seed - 1000}.jsonl.gz"
    day = (before["max_date"] or date.today()) + timedelta(days=1)
    gen = [str(batch), "--articles", str(UPDATE_ARTICLES), "--seed", str(seed), "--no-measure"]
    subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.gen_realistic",
            *gen,
            "--end",
            day.isoformat(),
            "--days",
            "1",
        ],
        check=True,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
    )
    last = f"g{seed}-{UPDATE_ARTICLES - 1:08d}"
    cmd = [str(BIN / "telusur"), "update-index", "--index-dir", str(index), str(batch)]
    searchable, res = timed_update(cmd, work / "m-update.json", svc, last)
    after = svc.stats()
    return {
        "articles_before": before["articles"],
        "added": after["articles"] - before["articles"],
        "searchable_s": None if searchable is None else round(searchable, 2),
        "command_s": res["seconds"],
        "cpu_s": res["cpu_seconds"],
        "peak_rss_mb": res["peak_rss_mb"],
        "summary": [x for x in res["stdout"].splitlines() if x.startswith("Added")],
    }


PART_FUNCS: dict[str, Callable[[str, Path, argparse.Namespace], dict[str, Any]]] = {
    "build": lambda scale, work, args: part_build(scale, work),
    "search": lambda scale, work, args: part_search(work, args.passes, args.starts),
    "http": lambda scale, work, args: part_http(work, args.http_seconds),
    "update": lambda scale, work, args: part_update(work),
}


# -- results ------------------------------------------------------------------------------


def collect(root: Path) -> dict[str, dict[str, Any]]:
    """Every part measured so far, per scale."""
    found: dict[str, dict[str, Any]] = {}
    for scale in SCALES:
        for part in (*PARTS, *COLD_PARTS):
            path = root / scale / f"{part}.json"
            if path.exists():
                found.setdefault(scale, {})[part] = json.loads(path.read_text())
    return found


def save(root: Path) -> None:
    results = collect(root)
    RESULTS.mkdir(exist_ok=True)
    stamp = date.today().isoformat()
    (RESULTS / f"{stamp}-scale.json").write_text(
        json.dumps({"workdir": str(root), "scales": results}, indent=1) + "\n"
    )
    table = markdown(results)
    (RESULTS / "latest-scale.md").write_text(table)
    print(table)


# label, issue #23's target, part, key (a dotted path into the part's JSON)
ROWS: list[tuple[str, str, str, str]] = [
    ("articles indexed", "", "build", "indexed"),
    ("rebuild, articles/s (tagging incl.)", "≥ 1,000", "build", "articles_per_s"),
    ("rebuild, CPU ms per article (all processes)", "", "build", "cpu_ms_per_article"),
    ("rebuild, peak RSS of largest process (MB)", "≤ 2,048", "build", "peak_rss_mb"),
    ("index size ÷ raw text", "≤ 1.3", "build", "index_vs_raw"),
    ("… of which open-time files (derived/)", "", "build", "derived_vs_raw"),
    ("search p50 (ms)", "≤ 30 (2.2M)", "search", "p50"),
    ("search p95 (ms)", "≤ 150 (2.2M)", "search", "p95"),
    ("search p99 (ms)", "", "search", "p99"),
    ("search process private RSS (RssAnon, MB)", "", "search", "rss_anon_mb"),
    ("worker start: first answer (ms)", "< 1,000", "search", "worker_start.first_answer_ms"),
    ("… of which open (warm(), ms)", "", "search", "worker_start.open_ms"),
    ("worker private RSS after 3 answers (MB)", "≤ 300", "search", "worker_start.rss_anon_mb"),
    ("… each query new to its worker (--cold): p50 / p95", "", "search-cold", "p50|p95"),
    ("HTTP req/s", "≥ 150 (220k), ≥ 80 (2.2M)", "http", "rps"),
    ("… each request new to its worker (--cold)", "", "http-cold", "rps"),
    ("HTTP p50 / p99 (ms)", "", "http", "p50_ms|p99_ms"),
    ("HTTP worker private RSS (RssAnon, MB)", "≤ 300", "http", "worker_rss_anon_mb"),
    ("update 1,000 articles: searchable after (s)", "≤ 30 (2.2M)", "update", "searchable_s"),
    ("… update-index command (s) / peak RSS (MB)", "", "update", "command_s|peak_rss_mb"),
]


def _cell(part: dict[str, Any] | None, key: str) -> str:
    if part is None:
        return "–"
    shown = []
    for one in key.split("|"):
        value: Any = part
        for step in one.split("."):
            value = value.get(step) if isinstance(value, dict) else None
        shown.append(
            "–" if value is None else f"{value:,}" if isinstance(value, int) else str(value)
        )
    return " / ".join(shown)


def markdown(results: dict[str, dict[str, Any]]) -> str:
    scales = list(results)
    lines = [
        "| measure | target | " + " | ".join(f"{s} ({SCALES[s][1]})" for s in scales) + " |",
        "|---|---|" + "---:|" * len(scales),
    ]
    for label, target, part, key in ROWS:
        cells = [_cell(results[s].get(part), key) for s in scales]
        lines.append(f"| {label} | {target} | " + " | ".join(cells) + " |")
    lines.append("")
    for s in scales:
        when = ", ".join(
            f"{part} {got['started']} ({got['git']})" for part, got in results[s].items()
        )
        lines.append(f"- {s}: {when}.")
    lines.append(
        "\nSearch: bench.latency (median of the passes per query, percentiles over the mix); "
        "worker start: bench.open_time's child in fresh processes, medians (import + warm() + "
        "first query `banjir`); HTTP: wrk -t1 -c4 through gunicorn.conf.py (the workers' memory read after "
        "the mix served 3 more times, whatever the load); update: "
        "`telusur update-index` of 1,000 new realistic articles, timed until an open "
        "SearchService finds the last one. Machine: 2 cores shared with other work."
    )
    return "\n".join(lines) + "\n"


def _cold(workdir: Path) -> None:
    """Every memo off here and, through a sitecustomize on PYTHONPATH, in every process this
    one starts (bench.http_layers.COLD)."""
    from bench.http_layers import COLD

    where = workdir / "cold"
    where.mkdir(parents=True, exist_ok=True)
    (where / "sitecustomize.py").write_text(COLD)
    os.environ["PYTHONPATH"] = os.pathsep.join(
        [str(where), *filter(None, [os.environ.get("PYTHONPATH")])]
    )
    exec(COLD, {})


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scale", choices=list(SCALES), action="append", default=[])
    ap.add_argument("--part", choices=[*PARTS, "all"], default="all")
    ap.add_argument("--workdir", type=Path, default=WORKDIR)
    ap.add_argument("--passes", type=int, default=3, help="measured passes of the query mix")
    ap.add_argument("--starts", type=int, default=3, help="fresh worker starts to time")
    ap.add_argument("--http-seconds", type=int, default=20)
    ap.add_argument("--report", action="store_true", help="only write the table")
    ap.add_argument("--cold", action="store_true", help="search and http with every memo off")
    args = ap.parse_args()
    if args.cold:
        _cold(args.workdir)
    for scale in args.scale:
        work = args.workdir / scale
        work.mkdir(parents=True, exist_ok=True)
        for part in PARTS if args.part == "all" else (args.part,):
            log(f"{scale}: {part}")
            started = datetime.now()
            git = subprocess.run(
                ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=REPO
            ).stdout.strip()
            res = PART_FUNCS[part](scale, work, args)
            res["started"] = started.isoformat(timespec="seconds")
            res["git"] = git  # the code that ran (HEAD may move during a long build)
            name = f"{part}-cold" if args.cold else part
            (work / f"{name}.json").write_text(json.dumps(res, indent=1) + "\n")
            log(f"{scale}: {part}: {json.dumps(res)[:400]}")
    save(args.workdir)


if __name__ == "__main__":
    main()
