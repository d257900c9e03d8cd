"""Transfer size of the search page, as sent with and without compression (issue 22).

    .venv/bin/python -m bench.page_size --index /path/to/index [--q presiden --q banjir]

For each query: the results page and the page with the full facet lists (facet_size=200), asked
with no Accept-Encoding, then with gzip, br and zstd; prints bytes on the wire per encoding, and
the median time each compressor takes on the page (at webui.compression's levels, 21 runs).
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

import brotli
import zstandard

from webui import create_app

ENCODINGS = ("identity", "gzip", "br", "zstd")
# flask-compress's defaults, which webui.compression keeps.
COMPRESSORS: dict[str, Callable[[bytes], bytes]] = {
    "gzip": lambda b: gzip.compress(b, 6),
    "br": lambda b: brotli.compress(b, quality=4, lgwin=22),
    "zstd": lambda b: zstandard.ZstdCompressor(level=3).compress(b),
}


def compress_ms(body: bytes, runs: int = 21) -> dict[str, float]:
    out = {}
    for name, compress in COMPRESSORS.items():
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            compress(body)
            times.append((time.perf_counter() - started) * 1000)
        out[name] = statistics.median(times)
    return out


def sizes(
    index_dir: Path, queries: list[str]
) -> list[tuple[str, dict[str, int], dict[str, float]]]:
    client = create_app({"INDEX_DIR": index_dir, "TESTING": True}).test_client()
    rows = []
    for q in queries:
        for extra in ({}, {"facet_size": "200"}):
            url = "/?" + urlencode({"q": q, **extra})
            row = {}
            plain = b""
            for enc in ENCODINGS:
                resp = client.get(url, headers={"Accept-Encoding": enc})
                assert resp.status_code == 200, (url, resp.status_code)
                got = resp.headers.get("Content-Encoding", "identity")
                row[enc if got == enc else f"{enc} (sent {got})"] = len(resp.get_data())
                plain = plain or resp.get_data()
            rows.append((url, row, compress_ms(plain)))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--index", type=Path, required=True)
    ap.add_argument("--q", action="append", default=None)
    args = ap.parse_args()
    for url, row, ms in sizes(args.index, args.q or ["presiden", "banjir"]):
        print(url, "  ".join(f"{k}={v:,}" for k, v in row.items()))
        print("   median ms to compress:", "  ".join(f"{k}={v:.2f}" for k, v in ms.items()))


if __name__ == "__main__":
    main()
