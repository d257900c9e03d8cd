"""One error shape for every API error, built by one function; pages show the same message."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, g, jsonify, render_template, request
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException

from search.errors import TelusurError


class InvalidEncoding(TelusurError):
    """The query string is not valid percent-encoded UTF-8."""

    status = 400
    code = "invalid_encoding"


SERVER_ERROR_MESSAGE = "Terjadi kesalahan pada server."
_HTTP_MESSAGES = {
    400: "Permintaan tidak valid.",
    404: "Halaman tidak ditemukan.",
    405: "Metode tidak diizinkan.",
    500: SERVER_ERROR_MESSAGE,
}


def _flatten(messages: Any) -> dict[str, list[str]]:
    """webargs nests messages by location ({"query": {"page": [...]}}): keep field → messages."""
    if not isinstance(messages, dict):
        return {"_": [str(messages)]}
    if len(messages) == 1 and next(iter(messages)) in ("query", "json", "view_args", "form"):
        messages = next(iter(messages.values()))
    out: dict[str, list[str]] = {}
    for key, value in messages.items():
        if isinstance(value, list):
            out[str(key)] = [str(v) for v in value]
        elif isinstance(value, dict):  # list items: {"0": ["..."]}
            out[str(key)] = [
                str(m)
                for msgs in value.values()
                for m in (msgs if isinstance(msgs, list) else [msgs])
            ]
        else:
            out[str(key)] = [str(value)]
    return out


def error_body(
    status: int, code: str, message: str, errors: dict[str, list[str]] | None = None
) -> dict[str, Any]:
    return {"status": status, "code": code, "message": message, "errors": errors or {}}


def validation_message(errors: dict[str, list[str]]) -> str:
    parts = [f"{field}: {' '.join(msgs)}" for field, msgs in errors.items()]
    return "Parameter tidak valid — " + "; ".join(parts)


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def _respond(status: int, body: dict[str, Any]) -> Response | tuple[str, int]:
    if _wants_json():
        resp = jsonify(body)
        resp.status_code = status
        return resp
    return render_template("error.html", error=body), status


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(TelusurError)
    def _domain(e: TelusurError) -> Any:
        return _respond(e.status, error_body(e.status, e.code, e.message, e.errors))

    @app.errorhandler(ValidationError)
    def _validation(e: ValidationError) -> Any:
        errors = _flatten(e.messages)
        return _respond(
            400, error_body(400, "invalid_parameters", validation_message(errors), errors)
        )

    @app.errorhandler(HTTPException)
    def _http(e: HTTPException) -> Any:
        status = e.code or 500
        data = getattr(e, "data", None) or {}
        if "messages" in data:  # webargs validation failure
            errors = _flatten(data["messages"])
            return _respond(
                400, error_body(400, "invalid_parameters", validation_message(errors), errors)
            )
        message = _HTTP_MESSAGES.get(status, e.description or e.name)
        return _respond(status, error_body(status, e.name.lower().replace(" ", "_"), message))

    @app.errorhandler(Exception)
    def _unexpected(e: Exception) -> Any:
        app.logger.exception("unhandled error (request %s)", g.get("request_id"))
        return _respond(500, error_body(500, "internal_error", _HTTP_MESSAGES[500]))
