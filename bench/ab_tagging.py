"""What entity tagging costs a rebuild: `rebuild-index` with and without it, alternating.

    python -m bench.ab_tagging [--sample 4000] [--rounds 2] [--workdir /tmp/telusur-ab-tagging]
    python -m bench.ab_tagging --trees OLD_TREE NEW_TREE [--sample 4000] [--rounds 2]

Rebuilds the first `--sample` CLICK-ID articles with the real CLI (its parallel workers
included), once with tagging and once with it switched off, in alternating order each round.
"Without" replaces the tagging entry points of indexer.prepare (`tag_entities`, and where the
tree has them `tag_entities_many` and `warm_tagger`) by no-ops before the CLI starts: articles
keep empty person/organisation/place lists and the tagger is never loaded. CPU is user + sys of
the whole process tree (bench.measure: the CLI and the workers it waits for).

Prints and writes to bench/results/<date>-ab-tagging.json, per side, the medians of CPU seconds,
wall seconds and articles/s, and the slowdown tagging causes (CPU and wall, in %): the figure
of issue #4's target (at most +30%). With --trees each tree rebuilds with its own code (e.g.
`git archive <commit> | tar -x -C OLD_TREE`), all four sides interleaved in one run.
Needs ../shared/data/news-clickid.jsonl.gz; without it the bench says so and exits 0.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from bench.run import NEWS, REPO, RESULTS, _head, log, rebuild_figures

# Runs the CLI with tagging switched off when its first argument is "off".
_CLI = """\
import sys
import indexer.prepare as b
if sys.argv.pop(1) == "off":
    b.tag_entities = lambda article: article
    if hasattr(b, "tag_entities_many"):
        b.tag_entities_many = lambda articles: articles
    if hasattr(b, "warm_tagger"):
        b.warm_tagger = lambda: None
from indexer.cli import main
main()
"""


def rebuild(tree: Path, tagging: bool, archive: Path, work: Path) -> dict[str, Any]:
    """One measured `rebuild-index` of `archive` with the code of `tree`."""
    index_dir = work / "ix"
    shutil.rmtree(index_dir, ignore_errors=True)
    out = work / "m-rebuild.json"
    cmd = [sys.executable, "-c", _CLI, "on" if tagging else "off"]
    cmd += ["rebuild-index", "--index-dir", str(index_dir), str(archive)]
    env = {**os.environ, "PYTHONPATH": str(tree)}
    measure = [sys.executable, "-m", "bench.measure", str(out), "--", *cmd]
    subprocess.run(measure, check=True, cwd=tree, env=env)
    res = json.loads(out.read_text())
    if res["rc"] != 0:
        raise SystemExit(f"rebuild failed in {tree}:\n{res['stdout']}\n{res['stderr']}")
    figures = rebuild_figures(res, index_dir)
    figures["cpu_seconds"] = res["cpu_seconds"]
    return figures


def _pct(with_: float, without: float) -> float:
    return round(100 * (with_ / without - 1), 1)


def summarise(runs: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """Medians per side and, per tree, the slowdown of tagging against not tagging."""
    out: dict[str, Any] = {}
    for side, rs in runs.items():
        out[side] = {
            k: round(statistics.median(r[k] for r in rs), 2)
            for k in ("cpu_seconds", "seconds", "articles_per_s", "cpu_ms_per_article")
        }
    for side in runs:
        tree, _, mode = side.rpartition(":")
        if mode == "with":
            on, off = out[side], out[f"{tree}:without"]
            out[f"{tree}:slowdown"] = {
                "cpu_pct": _pct(on["cpu_seconds"], off["cpu_seconds"]),
                "wall_pct": _pct(on["seconds"], off["seconds"]),
                "tagging_cpu_ms_per_article": round(
                    on["cpu_ms_per_article"] - off["cpu_ms_per_article"], 2
                ),
            }
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sample", type=int, default=4000)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/telusur-ab-tagging"))
    ap.add_argument("--trees", type=Path, nargs="+", metavar="TREE")
    args = ap.parse_args()
    if not NEWS.exists():
        print(f"skipped: {NEWS} is absent")
        return
    work = args.workdir
    work.mkdir(parents=True, exist_ok=True)
    sample = work / "sample.jsonl.gz"
    _head(NEWS, sample, args.sample)
    trees = [t.resolve() for t in args.trees] if args.trees else [REPO]
    sides = [(tree, tagging) for tree in trees for tagging in (True, False)]
    runs: dict[str, list[dict[str, Any]]] = {}
    for r in range(args.rounds):
        for tree, tagging in sides if r % 2 == 0 else sides[::-1]:
            name = f"{tree}:{'with' if tagging else 'without'}"
            log(f"round {r + 1}: {name}")
            res = rebuild(tree, tagging, sample, work)
            log(f"  CPU {res['cpu_seconds']} s, wall {res['seconds']} s, {res['indexed']} articles")
            runs.setdefault(name, []).append(res)
    out: dict[str, Any] = {"sample": args.sample, "rounds": args.rounds, **summarise(runs)}
    out["runs"] = runs
    RESULTS.mkdir(exist_ok=True)
    dest = RESULTS / f"{datetime.now():%Y-%m-%d}-ab-tagging.json"
    dest.write_text(json.dumps(out, indent=1))
    print(json.dumps({k: v for k, v in out.items() if k != "runs"}, indent=1))


if __name__ == "__main__":
    main()
