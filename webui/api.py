"""REST endpoints: GET /api/search and GET /api/articles/<id>. Read-only by design."""

from __future__ import annotations

from typing import Any

from flask import current_app, request
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import RAISE, ValidationError

from search.models import SearchRequest, SearchResult
from search.service import SearchService
from webui.schemas import SEARCH_ARGS, ApiErrorSchema, ArticleSchema, SearchResponseSchema
from webui.story_schemas import StorySchema

blp = Blueprint("api", __name__, url_prefix="/api", description="Search Indonesian news")


def service() -> SearchService:
    svc: SearchService = current_app.extensions["telusur.search"]
    return svc


@blp.route("/search")
class SearchResource(MethodView):
    @blp.arguments(SEARCH_ARGS, location="query", unknown=RAISE, error_status_code=400)
    @blp.response(200, SearchResponseSchema)
    @blp.alt_response(400, schema=ApiErrorSchema, description="Invalid parameters or query")
    @blp.alt_response(503, schema=ApiErrorSchema, description="No index has been built yet")
    def get(self, req: SearchRequest) -> SearchResult:
        """Search articles: ranked hits with snippets, and facet counts.

        `total`, the facets, the pages and the exports count the same articles: those that
        match the query under `match` and every filter. An outlet filter ORs its values and
        its own list counts as if it were not set; an entity filter (person, organisation,
        place) ANDs its values and its list counts within the results (who appears with them).
        """
        return service().search(req)

    @blp.arguments(SEARCH_ARGS, location="json", unknown=RAISE, error_status_code=400)
    @blp.response(200, SearchResponseSchema)
    @blp.alt_response(400, schema=ApiErrorSchema, description="Invalid parameters or query")
    @blp.alt_response(503, schema=ApiErrorSchema, description="No index has been built yet")
    def post(self, req: SearchRequest) -> SearchResult:
        """The same search with its parameters as a JSON object (lists for repeatable ones)."""
        return service().search(req)


@blp.before_request
def _json_body_or_nothing() -> None:
    """A POSTed search must say what it asks as a JSON object: anything else is refused, not
    read as an empty search of everything."""
    if request.method == "POST" and not isinstance(request.get_json(silent=True), dict):
        raise ValidationError({"_json": ["Expected a JSON object."]})


@blp.route("/articles/<path:doc_id>")
class ArticleResource(MethodView):
    @blp.response(200, ArticleSchema)
    @blp.alt_response(404, schema=ApiErrorSchema, description="No article with that id")
    def get(self, doc_id: str) -> Any:
        """One article with its clean body, metadata and entities."""
        view, _html = service().article(doc_id)
        return view


@blp.route("/stories/<path:story_id>")
class StoryResource(MethodView):
    @blp.response(200, StorySchema)
    @blp.alt_response(404, schema=ApiErrorSchema, description="No story with that id")
    def get(self, story_id: str) -> Any:
        """Every copy of a story (articles re-published with small edits), first one first,
        each with its outlet, date and the words it changed against the first."""
        return service().story(story_id)
