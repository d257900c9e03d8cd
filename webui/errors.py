"""One error shape for every API error, built by one function; pages show the same message.

Every error is a code and its parameters (index_format.errors.TelusurError, marshmallow's
validation, Werkzeug's HTTP errors); webui.messages words it in the reader's language.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, g, jsonify, render_template, request
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException

from index_format.errors import TelusurError
from webui.messages import error_message, field_message, request_lang


class InvalidEncoding(TelusurError):
    """The query string is not valid percent-encoded UTF-8 (codes invalid_encoding.*)."""

    status = 400
    code = "invalid_encoding"


# What a 500 says when even the app could not answer (webui.ops); English and Indonesian.
SERVER_ERROR_MESSAGE = "Terjadi kesalahan pada server. / Something went wrong on the server."
_HTTP_CODES = {400: "bad_request", 403: "forbidden", 404: "not_found", 405: "method_not_allowed"}


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


def validation_body(messages: Any, lang: str) -> dict[str, Any]:
    """The error body of invalid parameters: each field's messages in `lang`."""
    errors = {
        field: [field_message(m, lang) for m in msgs] for field, msgs in _flatten(messages).items()
    }
    details = "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in errors.items())
    message = error_message("invalid_parameters", {"details": details}, lang)
    return error_body(400, "invalid_parameters", message, errors)


def domain_body(e: TelusurError, lang: str) -> dict[str, Any]:
    """The error body of a domain error: its code's message in `lang`."""
    message = error_message(e.code, e.params, lang)
    return error_body(e.status, e.code, message, {e.field: [message]} if e.field else None)


def _respond(status: int, body: dict[str, Any]) -> Response | tuple[str, int]:
    if request.path.startswith("/api/"):
        resp = jsonify(body)
        resp.status_code = status
        return resp
    return render_template("error.html", error=body), status


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(TelusurError)
    def _domain(e: TelusurError) -> Any:
        return _respond(e.status, domain_body(e, request_lang()))

    @app.errorhandler(ValidationError)
    def _validation(e: ValidationError) -> Any:
        return _respond(400, validation_body(e.messages, request_lang()))

    @app.errorhandler(HTTPException)
    def _http(e: HTTPException) -> Any:
        status = e.code or 500
        data = getattr(e, "data", None) or {}
        if "messages" in data:  # webargs validation failure
            return _respond(400, validation_body(data["messages"], request_lang()))
        code = _HTTP_CODES.get(status, e.name.lower().replace(" ", "_"))
        message = error_message(code, {}, request_lang()) if code in _HTTP_CODES.values() else ""
        return _respond(status, error_body(status, code, message or e.description or e.name))

    @app.errorhandler(Exception)
    def _unexpected(e: Exception) -> Any:
        app.logger.exception("unhandled error (request %s)", g.get("request_id"))
        lang = request_lang()
        return _respond(
            500, error_body(500, "internal_error", error_message("internal_error", {}, lang))
        )
