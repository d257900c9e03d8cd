"""One merge of an index's first N segments, in place, by the codec-level merge
(index_format.codec.merge) or by Whoosh's own (its matchers and sorting pool): CPU seconds and
this process's peak RSS. The merge only (no publishing, no derived files): run it on a copy
made for it (`cp -a INDEX /tmp/copy`), each way on a copy of its own, alternating.

    .venv/bin/python -m bench.merge_time {ours,whoosh} INDEX_DIR [--segments N]
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from pathlib import Path
from typing import Any

from whoosh.reading import SegmentReader

from index_format.codec import PackedCodec
from index_format.codec.merge import commit_merge
from index_format.generations import current_path, open_index


def whoosh_merge(ix: Any, ids: set[str]) -> None:
    def policy(writer: Any, segments: list[Any]) -> list[Any]:
        for seg in segments:
            if seg.segment_id() in ids:
                reader = SegmentReader(writer.storage, writer.schema, seg)
                writer.add_reader(reader)
                reader.close()
        return [s for s in segments if s.segment_id() not in ids]

    ix.writer(codec=PackedCodec()).commit(mergetype=policy)


def run(kind: str, index_dir: Path, count: int) -> dict[str, Any]:
    ix = open_index(current_path(index_dir))
    try:
        chosen = ix._segments()[:count]
        ids = {s.segment_id() for s in chosen}
        wall, cpu = time.perf_counter(), time.process_time()
        if kind == "ours":
            commit_merge(ix, lambda segments: [s for s in segments if s.segment_id() in ids])
        else:
            whoosh_merge(ix, ids)
        return {
            "kind": kind,
            "segments": len(chosen),
            "docs": sum(s.doc_count_all() for s in chosen),
            "segments_after": len(ix._segments()),
            "wall_s": round(time.perf_counter() - wall, 1),
            "cpu_s": round(time.process_time() - cpu, 1),
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
        }
    finally:
        ix.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("kind", choices=("ours", "whoosh"))
    parser.add_argument("index_dir", type=Path)
    parser.add_argument("--segments", type=int, default=1 << 30, help="the first N (all)")
    args = parser.parse_args()
    print(json.dumps(run(args.kind, args.index_dir, args.segments)))


if __name__ == "__main__":
    main()
