"""CPU per article of `extract_entities_many` over chunks of 32, two code trees interleaved.

    python -m bench.ab_ner_speed OLD_TREE NEW_TREE [--sample 4000] [--rounds 3]

OLD_TREE and NEW_TREE are checkouts (e.g. `git archive <commit> | tar -x -C /tmp/old`, or the
working tree itself). Each round runs one fresh process per tree, in alternating order; the
process loads the model, aliases, clusters and places (not timed), then tags the first
`--sample` CLICK-ID articles (title + clean body, as `rebuild-index` does) in chunks of 32 twice:
a cold pass (empty word-type caches, as a rebuild worker starts) and a warm one. Prints the
median process CPU ms per article per tree and pass, and new/old ratios. The articles are
extracted once (with the current tree's code) and shared by both sides through a JSON file.
Needs ../shared/data/news-clickid.jsonl.gz; without it the bench says so and exits 0.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

from bench.run import NEWS

_CHILD = """\
import json, sys, time
from indexer.entities import _default_aliases, extract_entities_many
from indexer.ner.features import _clusters
try:
    from indexer.ner.lexicon import _places
except ImportError:  # trees before the lexicon was split out of merge.py
    from indexer.ner.merge import _places
from indexer.ner.tagger import packaged_tagger
texts = json.load(open(sys.argv[1], encoding="utf-8"))
packaged_tagger(); _default_aliases(); _clusters(); _places()
out = []
for _ in range(2):
    t = time.process_time()
    for i in range(0, len(texts), 32):
        extract_entities_many(texts[i : i + 32])
    out.append(1000 * (time.process_time() - t) / len(texts))
print(json.dumps(out))
"""


def _texts(n: int, path: Path) -> Path:
    if not path.exists():
        from bench.ner_same import texts

        path.write_text(json.dumps(list(texts(n)), ensure_ascii=False), encoding="utf-8")
    return path


def _run(tree: Path, texts: Path) -> list[float]:
    env = {**os.environ, "PYTHONPATH": str(tree), "OPENBLAS_NUM_THREADS": "1"}
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(texts)],
        cwd=tree,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return [float(x) for x in json.loads(done.stdout)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("old", type=Path)
    ap.add_argument("new", type=Path)
    ap.add_argument("--sample", type=int, default=4000)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    if not NEWS.exists():
        print(f"skipped: {NEWS} is absent")
        return
    texts = _texts(args.sample, Path(f"/tmp/ner-speed-texts-{args.sample}.json"))
    runs: dict[str, list[list[float]]] = {"old": [], "new": []}
    for r in range(args.rounds):
        order = ("old", "new") if r % 2 == 0 else ("new", "old")
        for side in order:
            ms = _run(args.old if side == "old" else args.new, texts)
            runs[side].append(ms)
            print(f"round {r + 1} {side}: cold {ms[0]:.3f}, warm {ms[1]:.3f} ms/article")
    med = {side: [statistics.median(x[p] for x in rs) for p in (0, 1)] for side, rs in runs.items()}
    for p, name in enumerate(("cold", "warm")):
        old, new = med["old"][p], med["new"][p]
        print(f"{name}: old {old:.3f}, new {new:.3f} ms/article, new/old {new / old:.3f}")


if __name__ == "__main__":
    main()
