"""Shared pieces of the bench: the query mix, requests, percentiles and RSS."""

from __future__ import annotations

import json
import resource
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import numpy as np

from index_format import facets
from search.models import SearchRequest

BENCH = Path(__file__).resolve().parent
QUERIES = BENCH / "queries.json"


def load_mix(path: Path = QUERIES) -> list[dict[str, Any]]:
    queries: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))["queries"]
    return queries


def to_request(item: dict[str, Any]) -> SearchRequest:
    def d(key: str) -> date | None:
        return date.fromisoformat(item[key]) if item.get(key) else None

    return SearchRequest(
        q=item.get("q", ""),
        filters={name: tuple(item.get(name, ())) for name in facets.names()},
        date_from=d("from"),
        date_to=d("to"),
        sort=item.get("sort", "relevance"),
        page=int(item.get("page", 1)),
        per_page=10,
    )


def to_path(item: dict[str, Any]) -> str:
    """The API URL of one query of the mix."""
    params: list[tuple[str, str]] = []
    for key, value in item.items():
        for v in value if isinstance(value, list) else [value]:
            params.append((key, str(v)))
    return "/api/search?" + urlencode(params)


def percentiles(ms: list[float]) -> dict[str, float]:
    a = np.asarray(ms, dtype=float)
    return {
        "p50": round(float(np.percentile(a, 50)), 2),
        "p95": round(float(np.percentile(a, 95)), 2),
        "p99": round(float(np.percentile(a, 99)), 2),
        "mean": round(float(a.mean()), 2),
        "n": len(ms),
    }


def peak_rss_mb() -> float:
    """This process's peak RSS (Linux reports kilobytes)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def children_peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)


def rss_split_mb(pid: int | str = "self") -> dict[str, float]:
    """Current RSS of a process split into private (anonymous) and file-backed pages: Whoosh
    maps segment files, and the pages it touches count in RSS though the page cache shares them
    between workers and can drop them."""
    out = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key = line.split(":")[0]
        if key in ("RssAnon", "RssFile", "VmHWM"):
            out[key] = round(int(line.split()[1]) / 1024, 1)
    return out
