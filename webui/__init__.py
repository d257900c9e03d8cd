"""The Flask app: a search page and a REST API over the search service."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, request

from index_format.settings import Settings

SECURITY_HEADERS = {
    # No inline script anywhere: article text can never run as code.
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app: defaults, then settings from the environment, then `config` overrides."""
    from flask_smorest import Api

    from index_format.analysis import configure_stem_exceptions
    from search.service import SearchService
    from webui import analysis, api, corrections, export, feeds, stories, views
    from webui.compression import register_compression
    from webui.errors import register_error_handlers
    from webui.json_provider import OrjsonProvider
    from webui.ops import register_ops
    from webui.responses import TelusurResponse

    app = Flask(__name__)
    app.response_class = TelusurResponse
    app.json = OrjsonProvider(app)
    settings = Settings.from_env(index_dir=(config or {}).get("INDEX_DIR"))
    app.config.update(
        API_TITLE="Telusur",
        API_VERSION="1.0",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/api",
        OPENAPI_JSON_PATH="openapi.json",
        JSON_SORT_KEYS=False,
        TELUSUR_SETTINGS=settings,
    )
    app.config.update(config or {})
    app.json.sort_keys = False
    # Text as UTF-8, not \u escapes: the response class can then show a lone surrogate as U+FFFD.
    app.json.ensure_ascii = False

    # One service per process; it opens the index lazily on the first request.
    configure_stem_exceptions(settings.stem_exceptions_file)  # queries stem as the index did
    app.extensions["telusur.search"] = SearchService(
        settings.index_dir,
        synonyms_file=settings.synonyms_file,
        corrections_file=settings.corrections_path,
    )

    from webui.schemas import ApiErrorSchema

    class TelusurApi(Api):
        # The error every endpoint documents by default is the one it answers with (status
        # an integer, code a string), not flask-smorest's own (code an integer).
        ERROR_SCHEMA = ApiErrorSchema

    smorest = TelusurApi(app)
    smorest.register_blueprint(api.blp)
    smorest.register_blueprint(export.blp)
    smorest.register_blueprint(analysis.blp)
    app.register_blueprint(views.bp)
    app.register_blueprint(analysis.pages)
    app.register_blueprint(feeds.bp)
    app.register_blueprint(stories.bp)
    if corrections.allowed(app):  # otherwise the app stays read-only: no route writes
        app.register_blueprint(corrections.bp)
    register_error_handlers(app)
    register_ops(app, SECURITY_HEADERS)  # request ids and these headers on every response
    _allow_origins(app, settings.cors_origins)
    register_compression(app)
    return app


def _allow_origins(app: Flask, origins: tuple[str, ...]) -> None:
    """Let pages of the configured origins call the API from a browser (CORS); no origin is
    allowed unless configured (settings.cors_origins)."""
    if not origins:
        return

    @app.after_request
    def _cors(resp: Response) -> Response:
        origin = request.headers.get("Origin", "")
        if request.path.startswith("/api/") and origin.rstrip("/") in origins:
            resp.headers["Access-Control-Allow-Origin"] = origin
            resp.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
            resp.headers["Access-Control-Allow-Headers"] = "Content-Type, Accept-Language"
            resp.headers["Access-Control-Expose-Headers"] = "X-Request-Id"
            resp.headers["Vary"] = "Origin"
        return resp
