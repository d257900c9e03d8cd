"""What the `added` field (index_format.schema.AddedColumn) costs a rebuild per article, side
by side in one process: the same prepared documents written with and without it, alternately.

    python -m bench.ab_added [--sample 4000] [--rounds 5]

Extraction and tagging run once, untimed (they do not change); each round then writes the
documents into a fresh index through the build writer (index_format.pool) and commits, once
with the field and once without (the schema and the documents as before the field), in
alternating order. Prints the median CPU µs per article of each side (time.process_time:
this process only, so other work on a shared machine weighs less than on wall-clock time) and
the index sizes. The lookup a rebuild over an existing index adds is bench.added_lookup's.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from whoosh import index

from bench.run import NEWS, RESULTS
from index_format.pool import build_writer
from index_format.schema import build_schema
from indexer.models import RawRecord
from indexer.prepare import prepare_documents
from indexer.sources import read_archive


def _docs(sample: int) -> list[dict[str, Any]]:
    records = []
    for item in read_archive([NEWS]):
        if isinstance(item, RawRecord):
            records.append(item)
            if len(records) >= sample:
                break
    prepared, _ = prepare_documents(records)
    return [p.doc for p in prepared]


def _write(docs: list[dict[str, Any]], with_added: bool, work: Path) -> tuple[float, int]:
    """CPU seconds to write and commit `docs`, and the index's bytes."""
    target = work / ("with" if with_added else "without")
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir()
    schema = build_schema()
    if not with_added:
        schema.remove("added")
        docs = [{k: v for k, v in d.items() if k != "added"} for d in docs]
    ix = index.create_in(str(target), schema)
    t = time.process_time()
    writer = build_writer(ix)
    for doc in docs:
        writer.add_document(**doc)
    writer.commit()
    cpu = time.process_time() - t
    ix.close()
    return cpu, sum(f.stat().st_size for f in target.iterdir())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sample", type=int, default=4000)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    docs = _docs(args.sample)
    runs: dict[str, list[float]] = {"without": [], "with": []}
    sizes: dict[str, int] = {}
    with tempfile.TemporaryDirectory(prefix="ab-added-") as tmp:
        for r in range(args.rounds + 1):  # round 0 warms up, unrecorded
            for side in (True, False) if r % 2 else (False, True):
                cpu, size = _write(docs, side, Path(tmp))
                name = "with" if side else "without"
                if r:
                    runs[name].append(cpu / len(docs) * 1e6)
                sizes[name] = size
    out = {
        "articles": len(docs),
        "rounds": args.rounds,
        "cpu_us_per_article": {k: round(statistics.median(v), 1) for k, v in runs.items()},
        "index_bytes": sizes,
        "runs": runs,
    }
    med = out["cpu_us_per_article"]
    print(
        f"{len(docs)} articles, {args.rounds} rounds: write CPU µs/article without "
        f"{med['without']}, with {med['with']} (+{med['with'] - med['without']:.1f}); "
        f"index {sizes['without']:,} → {sizes['with']:,} bytes "
        f"(+{(sizes['with'] - sizes['without']) / len(docs):.1f} bytes/article)"
    )
    RESULTS.mkdir(exist_ok=True)
    dest = RESULTS / f"{datetime.now():%Y-%m-%d}-ab-added.json"
    dest.write_text(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
