"""Operations: GET /healthz, a request id on every request, and structured access logs.

Every response carries ``X-Request-Id`` (the caller's, when it is a sane token, else a new
one) and every request is logged as one JSON line on the ``telusur.access`` logger::

    {"event": "request", "request_id": "…", "method": "GET", "path": "/api/search",
     "status": 200, "ms": 12.3, "bytes": 4567, "remote": "127.0.0.1"}
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from typing import Any
from urllib.parse import unquote_to_bytes

from flask import Flask, Response, current_app, g, jsonify, request
from marshmallow import ValidationError

from search.errors import IndexUnavailable
from webui.errors import InvalidEncoding
from webui.schemas import LIST_ARGS, MAX_VALUES_PER_FILTER

access_log = logging.getLogger("telusur.access")
_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")
_BAD_PERCENT = re.compile(rb"%(?![0-9A-Fa-f]{2})")
# More parameters than every filter at its cap plus every single-valued one is never a person.
MAX_PARAMS = len(LIST_ARGS) * MAX_VALUES_PER_FILTER + 16


def check_query_string() -> None:
    """Reject what Werkzeug would silently repair or accept: broken percent-encoding,
    bytes that are not UTF-8, a single-valued parameter given twice, too many parameters.

    Raises InvalidEncoding or marshmallow's ValidationError (both become a 400)."""
    raw = request.query_string
    if not raw:
        return
    if _BAD_PERCENT.search(raw):
        raise InvalidEncoding("URL tidak valid: tanda % harus diikuti dua digit heksadesimal.")
    try:
        unquote_to_bytes(raw.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError as e:
        raise InvalidEncoding("URL tidak valid: parameter bukan teks UTF-8.") from e
    args = request.args
    count = sum(len(v) for v in args.listvalues())
    if count > MAX_PARAMS:
        raise ValidationError(
            {"_": [f"Terlalu banyak parameter ({count}; maksimal {MAX_PARAMS})."]}
        )
    repeated = {
        k: ["Given more than once."]
        for k in args
        if k not in LIST_ARGS and len(args.getlist(k)) > 1
    }
    if repeated:
        raise ValidationError(repeated)


class _JsonLines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            return json.dumps(fields, ensure_ascii=False, separators=(",", ":"))
        return json.dumps({"event": record.getMessage()}, ensure_ascii=False)


def _configure_logger() -> None:
    if not access_log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(_JsonLines())
        access_log.addHandler(handler)
    access_log.setLevel(logging.INFO)


def _healthz() -> Response:
    svc = current_app.extensions["telusur.search"]
    try:
        stats = svc.stats()
    except IndexUnavailable as e:
        resp = jsonify({"status": "unavailable", "message": e.message})
        resp.status_code = 503
        return resp
    built = float(stats["built_at"])
    resp = jsonify(
        {
            "status": "ok",
            "index": stats["index"],
            "generation": stats["generation"],
            "articles": stats["articles"],
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(built)),
            "age_seconds": round(max(0.0, time.time() - built), 1),
        }
    )
    resp.headers["Cache-Control"] = "no-store"
    return resp


def register_ops(app: Flask) -> None:
    """Add /healthz, request ids and the access log to `app`."""
    _configure_logger()
    app.add_url_rule("/healthz", "healthz", _healthz, methods=["GET"])

    @app.before_request
    def _start() -> None:
        given = request.headers.get("X-Request-Id", "")
        g.request_id = given if _REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        g.request_started = time.perf_counter()
        check_query_string()

    @app.after_request
    def _finish(resp: Response) -> Response:
        request_id = g.get("request_id") or uuid.uuid4().hex
        resp.headers["X-Request-Id"] = request_id
        started = g.get("request_started")
        fields: dict[str, Any] = {
            "event": "request",
            "request_id": request_id,
            "method": request.method,
            "path": request.path,
            "status": resp.status_code,
            "ms": round((time.perf_counter() - started) * 1000, 2) if started else None,
            "bytes": resp.calculate_content_length(),
            "remote": request.remote_addr,
        }
        access_log.info("request", extra={"fields": fields})
        return resp
