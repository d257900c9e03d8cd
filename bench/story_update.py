"""The stories' part of one update, alone: load a generation's stories, add or replace (or
delete) articles as update-index does, group, and print the seconds and peak RSS of each step.

    python -m bench.story_update GEN_DIR BATCH.jsonl.gz [--replace] [--delete N] [--seed 1]
                                 [--check]

GEN_DIR is only read (the grouped table is not saved). The batch's bodies give the signatures
(as indexer.syndication signs an update's articles); with --replace they are written over
articles of the generation chosen at random (an update that rewrites as many articles), else
added as new ones. --check also groups the result in full and says whether the stories are
the same (and the CPU seconds of both; a full grouping at 2.2M takes ~10 GB). Run it with another revision's code on the path (PYTHONPATH=DIR) to compare.
"""

from __future__ import annotations

import argparse
import gzip
import json
import resource
import time
from pathlib import Path

import numpy as np

from index_format.stories import StoryTable, load_stories, signature


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("gen_dir", type=Path)
    ap.add_argument("batch", type=Path)
    ap.add_argument("--replace", action="store_true")
    ap.add_argument("--delete", type=int, default=0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args()
    started = time.perf_counter()
    table = load_stories(args.gen_dir)
    if table is None:
        raise SystemExit(f"no stories in {args.gen_dir}")
    loaded = time.perf_counter() - started
    with gzip.open(args.batch, "rt", encoding="utf-8") as f:
        records = [json.loads(line) for line in f if line.strip()]
    rnd = np.random.default_rng(args.seed)
    chosen = rnd.choice(len(table), len(records) + args.delete, replace=False).tolist()
    targets = [table.ids[r] for r in chosen]
    for i, record in enumerate(records):
        doc_id = targets[i] if args.replace else str(record["id"])
        table.add(doc_id, 738000 + i % 30, signature(record.get("body") or ""))
    table.remove(targets[len(records) :])
    mark, cpu = time.perf_counter(), time.process_time()
    table.cluster()
    grouped, cpu = time.perf_counter() - mark, time.process_time() - cpu
    checked = {}
    if args.check:
        full = StoryTable()
        for row in zip(table.ids, table.days, table.sigs, strict=True):
            full.add(*row)
        started = time.process_time()
        full.cluster()
        checked = {"full_cpu_s": round(time.process_time() - started, 2)}
        checked["equal"] = full.story == table.story
    print(
        json.dumps(
            {
                "rows": len(table),
                "changed": len(records),
                "replace": args.replace,
                "deleted": args.delete,
                "load_s": round(loaded, 2),
                "group_s": round(grouped, 2),
                "group_cpu_s": round(cpu, 2),
                **checked,
                "peak_rss_mb": round(_peak_mb()),
            }
        )
    )


if __name__ == "__main__":
    main()
