"""Operations: GET /healthz, a request id on every response, and structured access logs.

Every response of the app carries ``X-Request-Id`` (the caller's, when it is a sane token, else a
new one) and the security headers, whatever failed inside the app: `RequestGuard` wraps the WSGI
app and adds them as the response starts. Every request is logged as one JSON line on the
``telusur.access`` logger::

    {"event": "request", "request_id": "…", "method": "GET", "path": "/api/search",
     "status": 200, "ms": 12.3, "bytes": 4567, "remote": "127.0.0.1"}

A streamed response (the exports: no Content-Length) is logged when the server closes it, with
the bytes it accepted, the time to the end and ``"complete"``; a failure mid-stream adds
``"error"``.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
import sys
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any
from urllib.parse import unquote_to_bytes, urlsplit

from flask import Flask, Response, current_app, g, jsonify, request
from marshmallow import ValidationError
from werkzeug.wsgi import get_path_info

from search.errors import IndexUnavailable
from webui.errors import SERVER_ERROR_MESSAGE, InvalidEncoding, error_body
from webui.schemas import LIST_ARGS, MAX_VALUES_PER_FILTER

SERIES_LISTS = ("compare", "entity")  # /api/series and /tren repeat these (webui.analysis)

access_log = logging.getLogger("telusur.access")
_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")
REQUEST_ID_KEY = "telusur.request_id"  # the WSGI environ key RequestGuard puts the id under
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
        raise InvalidEncoding("broken percent-encoding", code="invalid_encoding.percent")
    try:
        unquote_to_bytes(raw.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError as e:
        raise InvalidEncoding("not UTF-8", code="invalid_encoding.utf8") from e
    args = request.args
    count = sum(len(v) for v in args.listvalues())
    if count > MAX_PARAMS:
        raise ValidationError({"_": [f"Too many parameters ({count}; at most {MAX_PARAMS})."]})
    repeated = {
        k: ["Given more than once."]
        for k in args
        if k not in LIST_ARGS and k not in SERIES_LISTS and len(args.getlist(k)) > 1
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
        resp = jsonify({"status": "unavailable", "code": e.code, "message": str(e)})
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


def new_request_id(given: str = "") -> str:
    """The caller's X-Request-Id when it is a sane token, else a new one."""
    return given if _REQUEST_ID.fullmatch(given) else uuid.uuid4().hex


def log_request(fields: dict[str, Any]) -> None:
    access_log.info("request", extra={"fields": fields})


StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


class StreamCut(Exception):
    """A streamed body failed after its first bytes were sent: the status cannot change any
    more, so the server cuts the connection (a chunked body then lacks its last chunk, which
    clients report) instead of ending the body as if it were complete."""


def relative_location(location: str) -> str:
    """A redirect target on this host, whatever Werkzeug built: Werkzeug's own redirects
    (merging `//x` into `/x`) are absolute URLs naming the Host header's host, and a path
    starting `//` or `/\\` is read by browsers as another host."""
    parts = urlsplit(location)
    if not (parts.scheme or parts.netloc or location.startswith(("//", "/\\"))):
        return location
    path = "/" + parts.path.lstrip("/\\")
    return path + (f"?{parts.query}" if parts.query else "")


def _failure(path: str) -> tuple[bytes, str]:
    """A 500 built without the app (it just failed): the API's error shape, or a bare page."""
    if path.startswith("/api/"):
        body = json.dumps(error_body(500, "internal_error", SERVER_ERROR_MESSAGE))
        return body.encode(), "application/json"
    page = (
        '<!doctype html><html lang="id"><meta charset="utf-8"><title>500</title>'
        f"<p>{SERVER_ERROR_MESSAGE}</p></html>"
    )
    return page.encode(), "text/html; charset=utf-8"


class _Body:
    """The app's body after its first chunk: counts what the server takes, logs a streamed
    response when the server closes it, and turns a failure mid-stream into StreamCut."""

    def __init__(
        self,
        first: bytes,
        rest: Iterator[bytes],
        body: Iterable[bytes],
        request_id: str,
        started: float,
        log: dict[str, Any] | None,
    ) -> None:
        self._first, self._rest, self._body = first, rest, body
        self._request_id, self._started = request_id, started
        self._log = log  # None: logged already (the length was known)
        self.sent = 0
        self.complete = False
        self.error: str | None = None

    def __iter__(self) -> Iterator[bytes]:
        try:
            if self._first:
                yield self._first
                self.sent += len(self._first)  # counted once the server took it
            for chunk in self._rest:
                yield chunk
                self.sent += len(chunk)
        except Exception as e:
            self.error = repr(e)
            raise StreamCut(
                f"body cut off after {self.sent} bytes (request {self._request_id})"
            ) from e
        self.complete = True

    def close(self) -> None:
        try:
            close = getattr(self._body, "close", None)
            if close is not None:
                close()
        finally:
            fields, self._log = self._log, None
            if fields is not None:
                fields["ms"] = round((time.perf_counter() - self._started) * 1000, 2)
                fields.update(bytes=self.sent, complete=self.complete)
                if self.error:
                    fields["error"] = self.error
                log_request(fields)


class RequestGuard:
    """WSGI middleware around the Flask app: whatever fails inside it, every response carries
    X-Request-Id and the security headers, a Location header stays on this host, and every
    request is logged once.

    The response starts only once the body's first chunk exists, so a failure before any byte
    (a streamed export failing on its first article, an error handler failing) is still a 500
    with these headers, logged with the request id."""

    def __init__(self, app: WSGIApp, headers: Mapping[str, str], logger: logging.Logger) -> None:
        self.app = app
        self.headers = dict(headers)
        self.logger = logger

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        started = time.perf_counter()
        request_id = new_request_id(environ.get("HTTP_X_REQUEST_ID", ""))
        environ[REQUEST_ID_KEY] = request_id
        path = get_path_info(environ)
        given: list[Any] = []

        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            given[:] = [status, headers]
            return self._no_write

        body: Iterable[bytes] | None = None
        try:
            body = self.app(environ, start)
            rest = iter(body)
            first = b""
            for first in rest:
                if first:
                    break
            if not given:
                raise RuntimeError("the app returned without starting a response")
        except Exception:
            self.logger.exception("unhandled error (request %s)", request_id)
            if body is not None and hasattr(body, "close"):
                with contextlib.suppress(Exception):  # the 500 below matters more
                    body.close()
            first, ctype = _failure(path)
            given[:] = [
                "500 INTERNAL SERVER ERROR",
                [("Content-Type", ctype), ("Content-Length", str(len(first)))],
            ]
            rest, body = iter(()), ()
        status, headers = given
        headers = self._headers(headers, request_id)
        start_response(status, headers)
        fields: dict[str, Any] = {
            "event": "request",
            "request_id": request_id,
            "method": environ.get("REQUEST_METHOD"),
            "path": path,
            "status": int(status.split(None, 1)[0]),
            "ms": round((time.perf_counter() - started) * 1000, 2),
            "bytes": None,
            "remote": environ.get("REMOTE_ADDR"),
        }
        length = next((v for k, v in headers if k.lower() == "content-length"), None)
        if length is None:  # streamed: logged when the server closes the body
            return _Body(first, rest, body, request_id, started, fields)
        fields["bytes"] = int(length)
        log_request(fields)
        return _Body(first, rest, body, request_id, started, None)

    def _headers(self, headers: list[tuple[str, str]], request_id: str) -> list[tuple[str, str]]:
        out = [
            (k, relative_location(v) if k.lower() == "location" else v)
            for k, v in headers
            if k.lower() != "x-request-id"
        ]
        present = {k.lower() for k, _ in out}
        out += [(k, v) for k, v in self.headers.items() if k.lower() not in present]
        out.append(("X-Request-Id", request_id))
        return out

    @staticmethod
    def _no_write(data: bytes) -> None:
        raise NotImplementedError("write() is not supported: return the body instead")


def register_ops(app: Flask, security_headers: Mapping[str, str]) -> None:
    """Add /healthz, request ids, the security headers and the access log to `app`."""
    _configure_logger()
    app.add_url_rule("/healthz", "healthz", _healthz, methods=["GET"])
    app.wsgi_app = RequestGuard(app.wsgi_app, security_headers, app.logger)  # type: ignore[method-assign]

    @app.before_request
    def _start() -> None:
        g.request_id = request.environ.get(REQUEST_ID_KEY) or new_request_id()
        check_query_string()
