"""What a rebuild over an existing index adds per article to keep each article's `added`
time (indexer.added): one id lookup in the generation it replaces, in the feeding process.

    python -m bench.added_lookup INDEX_DIR [ARCHIVE] [--passes 3]

Reads the archive's records (untimed), then times `with_added` over them against INDEX_DIR's
current generation; prints the median µs per article over the passes and how many it found.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from bench.run import NEWS
from indexer.added import previous_added, with_added
from indexer.models import RawRecord
from indexer.sources import read_archive


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("index_dir", type=Path)
    ap.add_argument("archive", type=Path, nargs="?", default=NEWS)
    ap.add_argument("--passes", type=int, default=3)
    args = ap.parse_args()
    records = [r for r in read_archive([args.archive]) if isinstance(r, RawRecord)]
    per_article = []
    found = 0
    for _ in range(args.passes):
        t = time.perf_counter()
        with previous_added(args.index_dir) as lookup:  # reading the old times: timed too
            kept = list(with_added(records, lookup))
        per_article.append((time.perf_counter() - t) / len(records) * 1e6)
        found = sum(1 for r in kept if isinstance(r, RawRecord) and r.added)
    print(
        f"{len(records)} records, {found} with a kept time: "
        f"{statistics.median(per_article):.1f} µs per article (median of {args.passes})"
    )


if __name__ == "__main__":
    main()
