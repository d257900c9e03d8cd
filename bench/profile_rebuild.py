"""Where a rebuild's CPU goes, by stage, workers and parent, from a py-spy raw profile.

    pip install --target /tmp/tools py-spy
    /tmp/tools/bin/py-spy record --subprocesses -r 50 -f raw -o prof.raw -- \
        .venv/bin/python -c "from indexer.cli import main; main()" rebuild-index \
        --index-dir /tmp/ix ARCHIVE
    python -m bench.profile_rebuild prof.raw [--ms-per-article 3.6] [--detail STAGE ...]

A sample's stage is the innermost of the stage functions below on its stack (so a stage's
share excludes the stages nested in it). Samples of a worker's queue feeder thread waiting
(threading.Condition.wait) are not CPU and are left out. py-spy samples wall time while a
thread runs or waits for a core: on a loaded machine read the shares, not the seconds;
`--ms-per-article` (the CPU a plain rebuild measured, bench.measure) turns shares into ms.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter, defaultdict
from pathlib import Path

# (stage, file the function is in, function): the innermost one on a stack names its stage.
STAGES = [
    ("parent: feed (read, judge, send)", "indexer/build.py", "_feed"),
    ("parent: warm-up and fork", "indexer/pipeline.py", "_Workers.__init__"),
    ("parent: commit (stories, tier merges)", "indexer/pipeline.py", "PipelineWriter.commit"),
    ("worker: extract (read, clean, dates)", "indexer/prepare.py", "extract"),
    ("worker: tagging", "indexer/prepare.py", "tag_entities_many"),
    ("worker: to_document", "indexer/document.py", "to_document"),
    ("worker: add_document (analysis, pool, stored)", "indexer/pipeline.py", "write_chunk"),
    ("worker: syndication signature", "indexer/syndication.py", "sign"),
    ("worker: segment write (postings, termdict)", "indexer/pipeline.py", "finalize_segment"),
    ("worker: segment parts", "index_format/segment_parts.py", "derive"),
]
_FRAME = re.compile(r"^(.*) \((.*?):(\d+)\)$")
_IDLE = ("Condition.wait", "threading.py")


def read(path: Path) -> tuple[Counter[str], dict[str, Counter[str]]]:
    """Samples per stage, and per stage the files its samples were in."""
    stages: Counter[str] = Counter()
    files: dict[str, Counter[str]] = defaultdict(Counter)
    for line in path.read_text().splitlines():
        stack, count = line.rsplit(" ", 1)
        frames = stack.split(";")
        role = "worker" if sum(f.startswith("process ") for f in frames) > 1 else "parent"
        parsed = [m.group(1, 2) for m in map(_FRAME.match, frames) if m]
        if parsed and parsed[-1] == _IDLE:
            continue
        stage = f"{role}: other"
        for func, file in parsed:
            for name, where, fn in STAGES:
                if func == fn and file.endswith(where):
                    stage = name
        stages[stage] += int(count)
        if parsed:
            files[stage][parsed[-1][1]] += int(count)
    return stages, files


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("raw", type=Path)
    ap.add_argument("--ms-per-article", type=float)
    ap.add_argument("--detail", nargs="*", default=[], help="stages to break down by file")
    args = ap.parse_args()
    stages, files = read(args.raw)
    total = sum(stages.values())
    print(f"{total} samples")
    for name, n in stages.most_common():
        ms = f"{args.ms_per_article * n / total:6.3f} ms" if args.ms_per_article else ""
        print(f"{100 * n / total:5.1f}% {ms}  {name}")
    for name in args.detail:
        print(f"\n{name}, by file (own samples):")
        for file, n in files[name].most_common(15):
            ms = f"{args.ms_per_article * n / total:6.3f} ms" if args.ms_per_article else ""
            print(f"{100 * n / total:5.1f}% {ms}  {file}")


if __name__ == "__main__":
    main()
