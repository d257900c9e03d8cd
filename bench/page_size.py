"""Transfer size of the search page, as sent with and without compression (issue 22).

    .venv/bin/python -m bench.page_size --index /path/to/index [--q presiden --q banjir]

For each query: the results page and the page with the full facet lists (facet_size=200), asked
with no Accept-Encoding, then with gzip, br and zstd; prints bytes on the wire per encoding.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from urllib.parse import urlencode

from webui import create_app

ENCODINGS = ("identity", "gzip", "br", "zstd")


def sizes(index_dir: Path, queries: list[str]) -> list[tuple[str, dict[str, int]]]:
    client = create_app({"INDEX_DIR": index_dir, "TESTING": True}).test_client()
    rows = []
    for q in queries:
        for extra in ({}, {"facet_size": "200"}):
            url = "/?" + urlencode({"q": q, **extra})
            row = {}
            for enc in ENCODINGS:
                resp = client.get(url, headers={"Accept-Encoding": enc})
                assert resp.status_code == 200, (url, resp.status_code)
                got = resp.headers.get("Content-Encoding", "identity")
                row[enc if got == enc else f"{enc} (sent {got})"] = len(resp.get_data())
            rows.append((url, row))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--index", type=Path, required=True)
    ap.add_argument("--q", action="append", default=None)
    args = ap.parse_args()
    for url, row in sizes(args.index, args.q or ["presiden", "banjir"]):
        print(url, "  ".join(f"{k}={v:,}" for k, v in row.items()))


if __name__ == "__main__":
    main()
