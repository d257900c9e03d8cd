"""Make a bigger archive by replicating one: new ids, dates shifted by whole years per copy.

    python -m bench.gen_corpus SRC.jsonl.gz DEST.jsonl.gz --copies 10

Copy 0 is the original; copy k gets ids suffixed "-k" and dates moved k years back, so the
date histogram spreads over k+1 years. Text is unchanged (tagging and stemming cost the same).
"""

from __future__ import annotations

import argparse
import gzip
import json
from datetime import date
from pathlib import Path


def _shift(published: str | None, years: int) -> str | None:
    if not published or years == 0:
        return published
    try:
        d = date.fromisoformat(published[:10])
    except ValueError:
        return published
    try:
        return d.replace(year=d.year - years).isoformat()
    except ValueError:  # 29 February
        return d.replace(year=d.year - years, day=28).isoformat()


def replicate(src: Path, dest: Path, copies: int) -> int:
    """Write `copies` copies of the JSONL archive `src` into `dest`; returns the article count."""
    with gzip.open(src, "rt", encoding="utf-8") as f:
        lines = [line for line in f if line.strip()]
    n = 0
    with gzip.open(dest, "wt", encoding="utf-8", compresslevel=1) as out:
        for k in range(copies):
            for line in lines:
                rec = json.loads(line)
                if k:
                    rec["id"] = f"{rec['id']}-{k}"
                    rec["published"] = _shift(rec.get("published"), k)
                    if rec.get("url"):
                        rec["url"] = f"{rec['url']}?copy={k}"
                out.write(json.dumps(rec, ensure_ascii=False) + "\n")
                n += 1
    return n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("src", type=Path)
    ap.add_argument("dest", type=Path)
    ap.add_argument("--copies", type=int, default=10)
    args = ap.parse_args()
    print(replicate(args.src, args.dest, args.copies))


if __name__ == "__main__":
    main()
