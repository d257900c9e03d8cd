"""Analyses beyond the result list: an entity's page (`/entitas/<type>/<name>`,
`GET /api/entities/<type>/<name>`) and the co-occurrence map of any search (`/peta`,
`GET /api/cooccurrence`, also as GraphML and CSV edges). Read-only, like the rest of the API."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any
from urllib.parse import quote, urlencode

from flask import Blueprint, Response, render_template, request
from flask.views import MethodView
from flask_smorest import Blueprint as ApiBlueprint
from marshmallow import RAISE

from index_format import facets as registry
from webui import cograph, coverage
from webui.analysis_schemas import (
    CoGraphSchema,
    EntityArgsSchema,
    EntityPageSchema,
    MapArgsSchema,
    MapRequest,
    SeriesArgsSchema,
    SeriesRequest,
    SeriesResponseSchema,
    load_args,
)
from webui.api import service
from webui.filenames import download_name
from webui.schemas import ApiErrorSchema
from webui.timeline import bars
from webui.views import _page_args, _query_items, _url

blp = ApiBlueprint(
    "analysis", __name__, url_prefix="/api", description="Entities and who appears with whom"
)
pages = Blueprint("analysis_pages", __name__)

MAP_TYPES = {"graphml": "application/graphml+xml", "csv": "text/csv"}
# The 200 of /api/cooccurrence: JSON, or a download with format=graphml|csv.
MAP_RESPONSE = {
    "description": "The graph (JSON), or GraphML, or its edges as CSV (`format`)",
    "content": {
        "application/json": {"schema": {"$ref": "#/components/schemas/CoGraph"}},
        **{t: {"schema": {"type": "string"}} for t in MAP_TYPES.values()},
    },
}
SERIES_RESPONSE = {
    "description": "The series (JSON), or CSV with a column per series (`format`)",
    "content": {
        "application/json": {"schema": {"$ref": "#/components/schemas/SeriesResponse"}},
        "text/csv": {"schema": {"type": "string"}},
    },
}


@lru_cache(maxsize=8192)  # a results page links each entity value it lists: quoted once
def entity_page_url(etype: str, name: str) -> str:
    """The page of an entity (any name of it: the page shows its canonical name)."""
    return f"/entitas/{quote(etype, safe='')}/{quote(name, safe='')}"


@pages.app_context_processor
def _links() -> dict[str, Any]:
    return {"entity_page_url": entity_page_url, "entity_types": registry.entity_names()}


# -- API ----------------------------------------------------------------------------------


@blp.route("/entities/<etype>/<path:name>")
class EntityResource(MethodView):
    @blp.arguments(EntityArgsSchema, location="query", unknown=RAISE, error_status_code=400)
    @blp.response(200, EntityPageSchema)
    @blp.alt_response(400, schema=ApiErrorSchema, description="Invalid parameters")
    @blp.alt_response(404, schema=ApiErrorSchema, description="No such entity")
    def get(self, args: dict[str, Any], etype: str, name: str) -> Any:
        """An entity: its canonical name and merged variants, its article count and timeline,
        the outlets naming it most, the entities named with it (count, lift, PMI) and its
        latest articles. `etype` is a facet name: person, organisation or place."""
        return service().entity(etype, name, **args)


@blp.route("/cooccurrence")
class CooccurrenceResource(MethodView):
    @blp.arguments(MapArgsSchema, location="query", unknown=RAISE, error_status_code=400)
    @blp.response(200, CoGraphSchema)
    @blp.doc(responses={"200": MAP_RESPONSE})
    @blp.alt_response(400, schema=ApiErrorSchema, description="Invalid parameters or query")
    def get(self, args: MapRequest) -> Any:
        """Who appears with whom in a search's articles (the search's parameters): the most
        named entities as nodes, and edges weighted by the articles naming both.
        `format=graphml` or `format=csv` (edges) downloads it for Gephi."""
        graph = service().cooccurrence(args.search, nodes=args.nodes, min_weight=args.min_weight)
        if args.format == "json":
            return cograph.as_json(graph)
        body = cograph.graphml(graph) if args.format == "graphml" else cograph.edges_csv(graph)
        resp = Response(body, mimetype=MAP_TYPES[args.format])
        name = download_name(f"peta {args.search.q}", date.today(), args.format)
        resp.headers["Content-Disposition"] = f'attachment; filename="{name}"'
        return resp


@blp.route("/series")
class SeriesResource(MethodView):
    @blp.arguments(SeriesArgsSchema, location="query", unknown=RAISE, error_status_code=400)
    @blp.response(200, SeriesResponseSchema)
    @blp.doc(responses={"200": SERIES_RESPONSE})
    @blp.alt_response(400, schema=ApiErrorSchema, description="Invalid parameters or query")
    @blp.alt_response(404, schema=ApiErrorSchema, description="An entity the index lacks")
    def get(self, args: SeriesRequest) -> Any:
        """Coverage over time: up to five queries (`compare`) or entities (`entity=type:name`)
        on one axis, or the search split by its top outlets (`split=outlet`), as counts or as
        shares of all articles per interval (`normalize=share`). The search's filters and
        dates apply to every series; each series' counts plus its `undated` add up to its
        `total`. `format=csv` downloads it."""
        result = _series(args)
        if args.format == "csv":
            resp = Response(coverage.series_csv(result, args.normalize), mimetype="text/csv")
            name = download_name(
                f"tren {' '.join(args.compare) or args.search.q}", date.today(), "csv"
            )
            resp.headers["Content-Disposition"] = f'attachment; filename="{name}"'
            return resp
        return coverage.as_json(result, args.normalize)


def _series(args: SeriesRequest) -> Any:
    return service().series(
        args.search,
        queries=args.compare,
        entities=args.entity,
        split=args.split,
        top=args.top,
        interval=args.interval,
    )


# -- pages --------------------------------------------------------------------------------


@pages.get("/entitas/<etype>/<path:name>")
def entity_view(etype: str, name: str) -> Any:
    args = load_args(EntityArgsSchema(), _page_args(request.args))
    page = service().entity(etype, name, **args)
    return render_template(
        "entity.html",
        req=None,
        page=page,
        search_url=_url([(etype, page.name)]),
        timeline=bars(page.timeline, page.interval),
        bar_url=lambda bar: _url([(etype, page.name)], **{"from": str(bar.start)}, to=str(bar.end)),
        map_url="/peta?" + _encode([(etype, page.name)]),
        series_url="/tren?" + _encode([(etype, page.name), ("split", "outlet")]),
        filter_url=lambda t, n: _url([(etype, page.name), (t, n)]),
        article_url=lambda doc_id: f"/articles/{quote(doc_id, safe='')}",
    )


@pages.get("/peta")
def map_view() -> Any:
    args: MapRequest = load_args(MapArgsSchema(), _page_args(request.args))
    items = _query_items(args.search)
    graph = service().cooccurrence(args.search, nodes=args.nodes, min_weight=args.min_weight)
    nodes, edges = cograph.layout(graph)
    export = [(k, v) for k, v in request.args.items(multi=True) if k not in ("format", "lang")]
    return render_template(
        "map.html",
        req=args.search,
        graph=graph,
        nodes=nodes,
        edges=edges,
        width=cograph.WIDTH,
        height=cograph.HEIGHT,
        filter_url=lambda t, n: _url([*items, (t, n)]),
        search_url=_url(items),
        graphml_url="/api/cooccurrence?" + _encode([*export, ("format", "graphml")]),
        csv_url="/api/cooccurrence?" + _encode([*export, ("format", "csv")]),
        json_url="/api/cooccurrence?" + _encode(export),
    )


def _encode(items: list[tuple[str, str]]) -> str:
    return urlencode(items)


@pages.get("/tren")
def series_view() -> Any:
    args: SeriesRequest = load_args(SeriesArgsSchema(), _page_args(request.args))
    result = _series(args) if (args.compare or args.entity or args.search.q) else None
    stacked = args.split == "outlet"
    lines, top = coverage.chart(result, args.normalize, stacked) if result else ([], 0.0)
    export = [(k, v) for k, v in request.args.items(multi=True) if k not in ("format", "lang")]
    return render_template(
        "series.html",
        req=args.search,
        args=args,
        result=result,
        lines=lines,
        top=top,
        stacked=stacked,
        width=coverage.WIDTH,
        height=coverage.HEIGHT,
        pad=coverage.PAD,
        slots=list(range(5)),
        csv_url="/api/series?" + _encode([*export, ("format", "csv")]),
        json_url="/api/series?" + _encode(export),
    )
