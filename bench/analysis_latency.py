"""Latency of the analyses (issue #21) beside the search itself, in one process and one run,
through the API as a client calls it (Flask's test client: routing, validation, the service,
serialisation; no network):

    python -m bench.analysis_latency INDEX_DIR [--passes 3] [--entities 20]

- /api/search and /api/cooccurrence: the 70 queries of queries.json (their filters too);
- /api/entities/<type>/<name>: the `--entities` most named people, organisations and places
  of the index (the broadest pages: the most articles to count and rank);
- /api/series: the queries two by two (compare=a&compare=b).
One warm-up pass, then `passes` measured passes; each request's time is its median over the
passes; p50/p95/p99 over the requests. Writes bench/results/<date>-analysis-latency.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from bench.common import load_mix, percentiles
from index_format import facets

RESULTS = Path(__file__).resolve().parent / "results"


def _params(item: dict[str, Any]) -> list[tuple[str, str]]:
    out = [("q", item.get("q", ""))]
    for name in facets.names():
        out += [(name, v) for v in item.get(name, ())]
    out += [(k, item[k]) for k in ("from", "to") if item.get(k)]
    return out


def run(index_dir: Path, passes: int, entities: int) -> dict[str, Any]:
    from webui import create_app

    app = create_app({"INDEX_DIR": index_dir, "TESTING": True})
    client = app.test_client()
    mix = load_mix()
    top = client.get(f"/api/search?facets=person,organisation,place&facet_size={entities}").json
    urls: dict[str, list[str]] = {
        "search": [f"/api/search?{urlencode(_params(i))}" for i in mix],
        "cooccurrence": [f"/api/cooccurrence?{urlencode(_params(i))}" for i in mix],
        "entities": [
            f"/api/entities/{etype}/{quote(v['value'], safe='')}"
            for etype in facets.entity_names()
            for v in top["facets"][etype]
        ],
        "series": [
            "/api/series?" + urlencode([("compare", a["q"]), ("compare", b["q"])])
            for a, b in zip(mix[::2], mix[1::2], strict=False)
            if a.get("q") and b.get("q")
        ],
    }
    times: dict[str, list[list[float]]] = {k: [[] for _ in v] for k, v in urls.items()}
    for p in range(passes + 1):
        for kind, batch in urls.items():  # kinds interleaved within each pass
            for i, url in enumerate(batch):
                t = time.perf_counter()
                resp = client.get(url)
                ms = (time.perf_counter() - t) * 1000
                if resp.status_code != 200:
                    raise SystemExit(f"{url}: {resp.status_code} {resp.get_data(as_text=True)}")
                if p:
                    times[kind][i].append(ms)
    app.extensions["telusur.search"].close()
    return {kind: percentiles([statistics.median(t) for t in per]) for kind, per in times.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("index_dir", type=Path)
    ap.add_argument("--passes", type=int, default=3)
    ap.add_argument("--entities", type=int, default=20)
    args = ap.parse_args()
    result = run(args.index_dir, args.passes, args.entities)
    print("| endpoint | requests | p50 ms | p95 ms | p99 ms |")
    print("|---|---|---|---|---|")
    for kind, p in result.items():
        print(f"| {kind} | {p['n']} | {p['p50']} | {p['p95']} | {p['p99']} |")
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"{datetime.now():%Y-%m-%d}-analysis-latency.json"
    out.write_text(json.dumps({"index": str(args.index_dir), **result}, indent=1))


if __name__ == "__main__":
    main()
