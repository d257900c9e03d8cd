"""Run one command and report its wall time and the peak RSS of its largest process.

    python -m bench.measure OUT.json -- CMD ...

A process of its own, so RUSAGE_CHILDREN covers only CMD (and the children it waited for).
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path

from bench.common import children_peak_rss_mb


def main() -> None:
    out = Path(sys.argv[1])
    cmd = sys.argv[3:] if sys.argv[2] == "--" else sys.argv[2:]
    t = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    seconds = time.perf_counter() - t
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    out.write_text(
        json.dumps(
            {
                "rc": proc.returncode,
                "seconds": round(seconds, 2),
                # CPU of CMD and the children it waited for: steadier than wall time on a
                # shared machine (wall time is what a user waits for on an idle one).
                "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2),
                "peak_rss_mb": children_peak_rss_mb(),
                "stdout": proc.stdout[-4000:],
                "stderr": proc.stderr[-4000:],
            }
        )
    )


if __name__ == "__main__":
    main()
