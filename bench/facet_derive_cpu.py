"""Process CPU of one full derive of an index's current generation (the derived files'
contents from the segments' parts, no previous generation: what a rebuild's publish computes),
and of round 19's organisation type decision inside it (index_format.value_types.drop).

    cd TREE && python /path/to/bench/facet_derive_cpu.py INDEX_DIR

Runs the code of the tree it is started in (the working directory first on sys.path), so two
trees can alternate on one index (main's: `git archive main | tar -x -C /tmp/old`). Writes
nothing: prints one JSON line (cpu, wall, the organisation facet's rows, FORMAT, decision_cpu).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, ".")


def main(index_dir: Path) -> dict[str, Any]:
    from index_format import derived
    from index_format.generations import current_path, open_index

    spent = [0.0]
    try:
        from index_format import value_types
    except ImportError:  # (a tree before round 19)
        pass
    else:
        drop = value_types.drop

        def timed(out: Any) -> None:
            t = time.process_time()
            drop(out)
            spent[0] += time.process_time() - t

        value_types.drop = timed
    gen = current_path(index_dir).resolve()
    with open_index(gen).searcher() as searcher:
        cpu, wall = time.process_time(), time.perf_counter()
        got = derived.from_segments(gen, searcher, None)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return {
        "cpu": round(cpu, 3),
        "wall": round(wall, 3),
        "org_rows": int(got.facets.rows["organisation"].val.size),
        "format": derived.FORMAT,
        "decision_cpu": round(spent[0], 3),
    }


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]))))
