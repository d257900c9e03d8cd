"""Syndication clusters measured on CLICK-ID (issue 21): what `make eval-syndication` prints.

    python -m bench.syndication [--sample 4000] [--rounds 3] [--passes 3] [--workdir DIR]
    python -m bench.syndication --pairs OUT.txt   # the pairs to label, with their texts

1. Stories: rebuild-index of the whole of CLICK-ID; how many stories of two or more, how many
   articles they hold, the distribution of their sizes.
2. Precision on hand labels (bench/syndication_labels.tsv): pairs the clustering joined and
   near misses it kept apart (estimated Jaccard just below the threshold), each labelled
   after reading both texts: copy, rewrite (the same story, rewritten) or different.
3. The added rebuild cost: rebuilds of a sample with and without stories, alternately, in
   one run; medians.
4. Search latency over the bench query mix with collapse=story and without, each query
   alternately; p50 and p95 of the per-query medians.

Skips (exit 0) without ../shared. Results go to bench/results/<date>-syndication.json.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import dataclasses
import gzip
import json
import random
import resource
import shutil
import statistics
import sys
import time
from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

from bench.common import load_mix, percentiles, to_request
from index_format import stories
from index_format.generations import current_path
from indexer import pipeline
from indexer.build import rebuild_index

REPO = Path(__file__).resolve().parents[1]
NEWS = REPO.parent / "shared" / "data" / "news-clickid.jsonl.gz"
LABELS = Path(__file__).resolve().parent / "syndication_labels.tsv"
RESULTS = Path(__file__).resolve().parent / "results"
LABEL_KINDS = ("copy", "rewrite", "different")
PAIRS_PER_KIND = 200
NEAR_BELOW = 0.30  # near misses: estimated Jaccard in [NEAR_BELOW, THRESHOLD)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# -- stories ---------------------------------------------------------------------------------


def build(archive: Path, index_dir: Path) -> float:
    return timed_build(archive, index_dir)[0]


def _cpu() -> float:
    own, kids = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def timed_build(archive: Path, index_dir: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process and its build workers) of one rebuild."""
    shutil.rmtree(index_dir, ignore_errors=True)
    started, cpu = time.perf_counter(), _cpu()
    rebuild_index([archive], index_dir, grace_seconds=0)
    return time.perf_counter() - started, _cpu() - cpu


def story_figures(table: stories.StoryTable) -> dict[str, Any]:
    sizes = Counter(Counter(table.story).values())
    grouped = {s: n for s, n in sizes.items() if s > 1}
    return {
        "articles": len(table),
        "stories": len(set(table.story)),
        "stories_of_two_or_more": sum(grouped.values()),
        "articles_in_them": sum(s * n for s, n in grouped.items()),
        "size_distribution": {str(s): n for s, n in sorted(sizes.items())},
        "largest": max(sizes),
        "empty_signatures": int(sum(1 for s in table.sigs if not s.any())),
    }


# -- pairs and labels ------------------------------------------------------------------------


def pairs_to_label(table: stories.StoryTable, seed: int = 21) -> list[tuple[str, str, str, float]]:
    """(kind, id a, id b, estimated Jaccard): PAIRS_PER_KIND random pairs the clustering joined,
    and as many near misses, the pairs just below the threshold (found with looser LSH bands)."""
    sigs = np.stack(table.sigs)
    joined = stories.joined_pairs(sigs)
    loose = stories.candidate_pairs(sigs, stories.lsh_bands(0.2))
    agree = (sigs[loose[:, 0]] == sigs[loose[:, 1]]).mean(axis=1)
    near = loose[(agree >= NEAR_BELOW) & (agree < stories.THRESHOLD)]
    near = np.array([p for p in near if table.story[p[0]] != table.story[p[1]]])
    rng = random.Random(seed)
    out = []
    for kind, pairs in (("joined", joined), ("near", near)):
        picked = rng.sample(range(len(pairs)), min(PAIRS_PER_KIND, len(pairs)))
        for i in sorted(picked):
            a, b = (int(x) for x in pairs[i])
            sim = stories.similarity(sigs[a], sigs[b])
            out.append((kind, table.ids[a], table.ids[b], round(sim, 3)))
    return out


def read_labels(path: Path = LABELS) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as f:
        lines = (line for line in f if not line.startswith("#"))
        rows = [r for r in csv.DictReader(lines, delimiter="\t") if r["kind"] and r["label"]]
    bad = [r for r in rows if r["label"] not in LABEL_KINDS]
    if bad:
        raise SystemExit(f"unknown labels in {path}: {bad[:3]}")
    return rows


def precision(rows: list[dict[str, str]], table: stories.StoryTable) -> dict[str, Any]:
    """Of the joined pairs, the share labelled the same story (copy or rewrite) and copy
    alone; of the near misses, the share that were the same story (what the threshold
    misses). Also whether the current clustering still joins / parts each labelled pair."""
    out: dict[str, Any] = {}
    for kind in ("joined", "near"):
        labelled = [r for r in rows if r["kind"] == kind]
        counts = Counter(r["label"] for r in labelled)
        n = len(labelled)
        same = counts["copy"] + counts["rewrite"]
        still = sum(
            1
            for r in labelled
            if r["a"] in table.index
            and r["b"] in table.index
            and (table.story[table.index[r["a"]]] == table.story[table.index[r["b"]]])
            == (kind == "joined")
        )
        out[kind] = {
            "pairs": n,
            "labels": dict(counts),
            "same_story_share": round(same / n, 3) if n else None,
            "copy_share": round(counts["copy"] / n, 3) if n else None,
            "as_clustered_now": still,
        }
    return out


def write_pairs(path: Path, table: stories.StoryTable, archive: Path) -> None:
    """The pairs to label with both texts, for reading (labels go to syndication_labels.tsv)."""
    pairs = pairs_to_label(table)
    wanted = {i for _, a, b, _ in pairs for i in (a, b)}
    articles = {}
    with gzip.open(archive, "rt", encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            if rec["id"] in wanted:
                articles[rec["id"]] = rec
    with path.open("w", encoding="utf-8") as out:
        for n, (kind, a, b, sim) in enumerate(pairs):
            out.write(f"=== {n} {kind} {sim} {a} {b}\n")
            for doc_id in (a, b):
                rec = articles.get(doc_id, {})
                head = f"[{rec.get('outlet')} {rec.get('published')}] {rec.get('title')}"
                out.write(f"{head}\n{(rec.get('body') or '')[:700]}\n--\n")
    with LABELS.with_suffix(".todo.tsv").open("w", encoding="utf-8") as f:
        f.write("kind\ta\tb\tjaccard\tlabel\n")
        for kind, a, b, sim in pairs:
            f.write(f"{kind}\t{a}\t{b}\t{sim}\t\n")


# -- the rebuild cost ------------------------------------------------------------------------


@contextlib.contextmanager
def without_stories() -> Iterator[None]:
    """A rebuild that computes no signature and groups nothing (the forked workers inherit)."""
    empty = np.zeros(stories.NUM_PERM, dtype=stories.SIG_DTYPE)
    sign, cluster, save = pipeline.sign, stories.StoryTable.cluster, stories.StoryTable.save
    pipeline.sign = lambda doc: (doc["id"], -1, empty)  # type: ignore[assignment]
    stories.StoryTable.cluster = lambda self: None  # type: ignore[method-assign]
    stories.StoryTable.save = lambda self, directory: None  # type: ignore[method-assign]
    try:
        yield
    finally:
        pipeline.sign = sign  # type: ignore[assignment]
        stories.StoryTable.cluster = cluster  # type: ignore[method-assign]
        stories.StoryTable.save = save  # type: ignore[method-assign]


def sample_archive(archive: Path, n: int, out: Path) -> Path:
    with gzip.open(archive, "rt", encoding="utf-8") as f, out.open("w", encoding="utf-8") as o:
        for i, line in enumerate(f):
            if i >= n:
                break
            o.write(line)
    return out


def rebuild_cost(sample: Path, n: int, work: Path, rounds: int) -> dict[str, Any]:
    """Rebuilds of `sample` with and without stories, alternately. On a shared machine the
    wall clock varies with the neighbours' load; the CPU time (all processes) less so."""
    wall: dict[str, list[float]] = {"with": [], "without": []}
    cpu: dict[str, list[float]] = {"with": [], "without": []}
    for r in range(rounds):
        for side in ("with", "without") if r % 2 == 0 else ("without", "with"):
            ctx = without_stories() if side == "without" else contextlib.nullcontext()
            with ctx:
                seconds, cpu_seconds = timed_build(sample, work / f"ab-{side}")
            wall[side].append(seconds)
            cpu[side].append(cpu_seconds)
            log(f"rebuild {side} stories, round {r + 1}: {seconds:.1f} s, CPU {cpu_seconds:.1f} s")
    out: dict[str, Any] = {"articles": n, "rounds": rounds}
    for name, runs in (("wall", wall), ("cpu", cpu)):
        med = {k: statistics.median(v) for k, v in runs.items()}
        out[name] = {
            "seconds": {k: [round(x, 2) for x in v] for k, v in runs.items()},
            "median_ms_per_article": {k: round(v / n * 1000, 3) for k, v in med.items()},
            "added_ms_per_article": round((med["with"] - med["without"]) / n * 1000, 3),
            "added_share": round((med["with"] - med["without"]) / med["without"], 4),
        }
    return out


def component_cost(table: stories.StoryTable, archive: Path, n: int = 3000) -> dict[str, Any]:
    """The two pieces a rebuild adds, timed on their own (one core): a signature per article
    (in the build workers) and grouping every article (once, at commit)."""
    bodies = []
    with gzip.open(archive, "rt", encoding="utf-8") as f:
        for line in f:
            bodies.append(json.loads(line)["body"])
            if len(bodies) >= n:
                break
    runs = []
    for _ in range(3):
        t = time.perf_counter()
        for body in bodies:
            stories.signature(body)
        runs.append((time.perf_counter() - t) / len(bodies) * 1e6)
    grouping = []
    for _ in range(3):
        copy = dataclasses.replace(table, story=list(table.story))
        t = time.perf_counter()
        copy.cluster()
        grouping.append(time.perf_counter() - t)
    return {
        "signature_us_per_article": round(statistics.median(runs), 1),
        "grouping_seconds": round(statistics.median(grouping), 3),
        "grouping_articles": len(table),
    }


# -- search latency --------------------------------------------------------------------------


def latency(index_dir: Path, passes: int) -> dict[str, Any]:
    from search.service import SearchService

    svc = SearchService(index_dir)
    svc.warm()
    reqs = [to_request(item) for item in load_mix()]
    times: dict[str, list[list[float]]] = {"flat": [[] for _ in reqs], "story": [[] for _ in reqs]}
    rows: dict[str, int] = {"flat": 0, "story": 0}
    for p in range(passes + 1):  # pass 0 warms (the story arrays, caches)
        for i, req in enumerate(reqs):
            sides = ("flat", "story") if (i + p) % 2 == 0 else ("story", "flat")
            for side in sides:
                asked = dataclasses.replace(req, collapse="story" if side == "story" else None)
                t = time.perf_counter()
                result = svc.search(asked)
                ms = (time.perf_counter() - t) * 1000
                if p:
                    times[side][i].append(ms)
                elif side == "story":
                    rows["story"] += result.stories or 0
                else:
                    rows["flat"] += result.total
    svc.close()
    out: dict[str, Any] = {"queries": len(reqs), "passes": passes}
    for side, per in times.items():
        out[side] = percentiles([statistics.median(t) for t in per])
    out["summed_rows"] = {"articles": rows["flat"], "stories": rows["story"]}
    return out


# -- main ------------------------------------------------------------------------------------


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sample", type=int, default=4000, help="articles rebuilt for the cost")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--passes", type=int, default=3)
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/telusur-syndication"))
    ap.add_argument("--index", type=Path, help="a CLICK-ID index already built (skips step 1)")
    ap.add_argument("--pairs", type=Path, help="write the pairs to label with their texts")
    ap.add_argument("--skip-cost", action="store_true", help="no rebuild A/B (step 3)")
    args = ap.parse_args()
    if not NEWS.exists():
        print(f"skipped: {NEWS} not found (CLICK-ID lives in ../shared)")
        return
    work = args.workdir
    work.mkdir(parents=True, exist_ok=True)
    index_dir = args.index or work / "clickid"
    result: dict[str, Any] = {"date": datetime.now().isoformat(timespec="seconds")}
    result["settings"] = {
        "shingle_words": stories.SHINGLE_WORDS,
        "num_perm": stories.NUM_PERM,
        "threshold": stories.THRESHOLD,
        "lsh_threshold": stories.LSH_THRESHOLD,
        "bands_rows": stories.lsh_bands(),
        "min_shingles": stories.MIN_SHINGLES,
    }
    if args.index is None:
        log("rebuilding CLICK-ID with stories …")
        result["full_rebuild_seconds"] = round(build(NEWS, index_dir), 1)
    table = stories.load_stories(current_path(index_dir))
    if table is None:
        raise SystemExit(f"{index_dir} has no stories: rebuild it with this version")
    if args.pairs:
        write_pairs(args.pairs, table, NEWS)
        log(f"wrote {args.pairs} and {LABELS.with_suffix('.todo.tsv')}")
        return
    result["stories"] = story_figures(table)
    print(json.dumps({"stories": result["stories"]}, indent=1))
    if LABELS.exists():
        result["precision"] = precision(read_labels(), table)
        print(json.dumps({"precision": result["precision"]}, indent=1))
    result["components"] = component_cost(table, NEWS)
    print(json.dumps({"components": result["components"]}, indent=1))
    if not args.skip_cost:
        sample = sample_archive(NEWS, args.sample, work / "sample.jsonl")
        result["rebuild"] = rebuild_cost(sample, args.sample, work, args.rounds)
        print(json.dumps({"rebuild": result["rebuild"]}, indent=1))
    result["latency_ms"] = latency(index_dir, args.passes)
    print(json.dumps({"latency_ms": result["latency_ms"]}, indent=1))
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"{datetime.now():%Y-%m-%d}-syndication.json"
    out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    log(f"wrote {out}")


if __name__ == "__main__":
    main()
