"""Telusur's side: SearchService on an index built by `telusur rebuild-index`.

Workload A (top 10 + total) is the service's own matching and ranking without the rest of a
results page: parse, match, rank the first 10, read their ids. Workload B is
`SearchService.search` as the web app calls it for a page, with the outlet list and the month
histogram (its other facet lists off, as the peers count only these two) and 10 snippets.
The index is built by the runner (rebuild-index); `build` is not this module's.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from search.models import SearchRequest
from search.service import SearchService

SNIPPETS = 10
# `bench.peers --cold` (through the environment, to the engine's own process): every query as
# if met for the first time in the generation. SearchService keeps what a generation worked out
# per query and per word (search/memo.py); the bench repeats its queries, so its default
# figures are those of a worker that has seen them, the peers keeping only the OS page cache.
COLD = os.environ.get("TELUSUR_PEERS_COLD") == "1"


class Engine:
    def __init__(self, index_dir: Path) -> None:
        if COLD:
            from search import memo

            memo.Memo.get = lambda self, key: None  # type: ignore[method-assign]
            memo.Memo.__contains__ = lambda self, key: False  # type: ignore[method-assign]
        self.svc = SearchService(index_dir)

    def top(self, item: dict[str, Any]) -> tuple[int, list[str]]:
        req = SearchRequest(q=item["q"], per_page=SNIPPETS, facets=(), as_typed=True)
        parsed = self.svc.parse(req.q)
        gen = self.svc._current()  # the open generation, as search() takes it
        matched = gen.matcher.match(parsed, req)
        total = int(matched.final.sum())
        ranked = gen.ranking.page(
            parsed, req.sort, matched.final, 0, min(SNIPPETS, total), matched.strict, matched.scored
        )
        return total, [gen.searcher.stored_fields(d)["id"] for d, _ in ranked]

    def page(self, item: dict[str, Any]) -> dict[str, Any]:
        req = SearchRequest(
            q=item["q"],
            per_page=SNIPPETS,
            facets=("outlet", "published"),
            interval="month",
            as_typed=True,
        )
        result = self.svc.search(req)
        return {
            "total": result.total,
            "top": [h.id for h in result.hits],
            "outlets": {f.value: f.count for f in result.facets["outlet"]},
            "months": {f.value: f.count for f in result.facets["published"]},
            "snippets": [h.snippet for h in result.hits],
        }


def open(index_dir: Path) -> Engine:
    return Engine(index_dir)


def version() -> str:
    return "Telusur SearchService" + (" (memos off)" if COLD else "")
