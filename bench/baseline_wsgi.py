"""The baseline behind gunicorn for the HTTP bench: GET /api/search with the same arguments.

BENCH_BASELINE_INDEX=/tmp/... gunicorn -c gunicorn.conf.py bench.baseline_wsgi:app
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask, jsonify, request
from marshmallow import ValidationError

from search.query import QuerySyntaxError, parse_query
from webui.schemas import load_search_args

app = Flask(__name__)
_search: Any = None  # opened lazily in each worker, never before the fork


def _baseline() -> Any:
    global _search
    if _search is None:
        from bench.baseline import BaselineSearch

        _search = BaselineSearch(Path(os.environ["BENCH_BASELINE_INDEX"]))
    return _search


@app.get("/api/search")
def search() -> Any:
    try:
        req = load_search_args(request.args)
        parsed = parse_query(req.q)
    except (ValidationError, QuerySyntaxError) as e:
        return jsonify({"status": 400, "message": str(e)}), 400
    out = _baseline().search(parsed, req)
    return jsonify(
        {
            "total": out["total"],
            "hits": out["hits"],
            "facets": {
                k: [{"value": fv.value, "count": fv.count} for fv in v]
                for k, v in out["facets"].items()
            },
        }
    )
