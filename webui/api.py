"""REST endpoints: GET /api/search and GET /api/articles/<id>. Read-only by design."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import RAISE

from search.models import SearchRequest, SearchResult
from search.service import SearchService
from webui.schemas import ApiErrorSchema, ArticleSchema, SearchArgsSchema, SearchResponseSchema

blp = Blueprint("api", __name__, url_prefix="/api", description="Search Indonesian news")


def service() -> SearchService:
    svc: SearchService = current_app.extensions["telusur.search"]
    return svc


@blp.route("/search")
class SearchResource(MethodView):
    @blp.arguments(SearchArgsSchema, location="query", unknown=RAISE, error_status_code=400)
    @blp.response(200, SearchResponseSchema)
    @blp.alt_response(400, schema=ApiErrorSchema, description="Invalid parameters or query")
    @blp.alt_response(503, schema=ApiErrorSchema, description="No index has been built yet")
    def get(self, req: SearchRequest) -> SearchResult:
        """Search articles: ranked hits with snippets, and facet counts.

        Facet counts reflect the query and every *other* filter: values within one facet
        are OR-ed, filters across facets are AND-ed.
        """
        return service().search(req)


@blp.route("/articles/<path:doc_id>")
class ArticleResource(MethodView):
    @blp.response(200, ArticleSchema)
    @blp.alt_response(404, schema=ApiErrorSchema, description="No article with that id")
    def get(self, doc_id: str) -> Any:
        """One article with its clean body, metadata and entities."""
        view, _html = service().article(doc_id)
        return view
