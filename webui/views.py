"""HTML pages: the search page and the article page. Same parameter names as the API.

The whole state of a search lives in the URL (q, one parameter per facet of the registry,
from, to, sort, page, per_page, facet_size), so a page can be shared and reloaded. The page is one
GET form: it works without JavaScript; static/app.js only submits it as soon as something
changes, and adds the keyboard shortcuts and the histogram's drag-to-select.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from functools import lru_cache
from typing import Any
from urllib.parse import quote_plus, urlencode

from flask import Blueprint, Response, g, redirect, render_template, request, url_for
from marshmallow import ValidationError
from werkzeug.datastructures import MultiDict

from index_format import facets as registry
from search.errors import InvalidQuery, TelusurError
from search.models import SearchRequest, SearchResult
from webui import active_filters, empty_states, i18n, presets, zoom
from webui.api import service
from webui.corrections import allowed as corrections_allowed
from webui.errors import domain_body, validation_body
from webui.schemas import load_search_args
from webui.timeline import bars
from webui.timeline_labels import short_label

bp = Blueprint("views", __name__)

SHOWN_VALUES = 8  # values shown before "show more"
FULL_LIST = 200  # facet_size asked by "full list"
PAGE_ONLY_ARGS = ("lang",)  # understood by the pages, never by the API


# -- language -----------------------------------------------------------------------------


@bp.before_app_request
def _pick_language() -> None:
    g.lang = i18n.pick_lang(request.args.get("lang"), request.cookies.get(i18n.COOKIE))


@bp.after_app_request
def _remember_language(resp: Response) -> Response:
    asked = request.args.get("lang")
    if asked in i18n.LANGS and not request.path.startswith("/api/"):
        resp.set_cookie(i18n.COOKIE, asked, max_age=365 * 86400, samesite="Lax", httponly=True)
    return resp


@bp.app_context_processor
def _page_context() -> dict[str, Any]:
    lang = getattr(g, "lang", i18n.DEFAULT_LANG)
    other = "en" if lang == "id" else "id"
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
    return {
        "lang": lang,
        "t": i18n.translator(lang),
        "num": lambda n: i18n.number(n, lang),
        "day_label": lambda d: i18n.day_label(d, lang),
        "lang_url": request.path + "?" + urlencode([*args, ("lang", other)]),
    }


# -- URLs ---------------------------------------------------------------------------------


def _query_items(req: SearchRequest) -> list[tuple[str, str]]:
    """The request as URL parameters, in the API's names (defaults left out)."""
    items: list[tuple[str, str]] = []
    if req.q:
        items.append(("q", req.q))
    for name in registry.names():
        items.extend((name, v) for v in req.selected(name))
        items.extend((f"{name}_not", v) for v in req.exclude.get(name, ()))
    if req.date_from:
        items.append(("from", req.date_from.isoformat()))
    if req.date_to:
        items.append(("to", req.date_to.isoformat()))
    if req.sort != "relevance":
        items.append(("sort", req.sort))
    if req.match != "all":
        items.append(("match", req.match))
    if req.facets is not None:
        items.append(("facets", ",".join(req.facets)))
    if req.per_page != 10:
        items.append(("per_page", str(req.per_page)))
    if req.facet_size != 20:
        items.append(("facet_size", str(req.facet_size)))
    if req.as_typed:
        items.append(("as_typed", "1"))
    if req.since is not None:
        items.append(("since", req.since.isoformat()))
    if req.collapse:
        items.append(("collapse", req.collapse))
    if req.interval:
        items.append(("interval", req.interval))
    return items


@lru_cache(maxsize=8192)
def _encoded(key: str, value: str) -> str:
    """One parameter as urlencode writes it. A results page builds ~100 URLs from the same
    few parameters and facet values: each is quoted once per process, not once per URL."""
    return f"{quote_plus(str(key))}={quote_plus(str(value))}"


def _url(items: list[tuple[str, str]], **extra: str) -> str:
    """`items` with the parameters in `extra` replaced (an empty value removes one)."""
    items = [(k, v) for k, v in items if k not in extra] + [(k, v) for k, v in extra.items() if v]
    return "/?" + "&".join([_encoded(k, v) for k, v in items]) if items else "/"


def _without(items: list[tuple[str, str]], *names: str) -> list[tuple[str, str]]:
    return [(k, v) for k, v in items if k not in names]


def _toggle_url(items: list[tuple[str, str]], name: str, value: str) -> str:
    """The search with one facet value added or removed (back to the first page)."""
    items = _without(items, "page")
    if (name, value) in items:
        items.remove((name, value))
    else:
        items.append((name, value))
    return _url(items)


def _page_args(args: MultiDict[str, str]) -> MultiDict[str, str]:
    """The search arguments of a page URL: no page-only or empty ones (a form sends empties)."""
    clean: MultiDict[str, str] = MultiDict()
    for key, value in args.items(multi=True):
        if key not in PAGE_ONLY_ARGS and value.strip():
            clean.add(key, value)
    return clean


def _state(args: MultiDict[str, str]) -> SearchRequest | None:
    """The search state carried by an article page's URL (None when there is none or it is bad)."""
    try:
        return load_search_args(_page_args(args))
    except ValidationError:
        return None


# -- the search page ----------------------------------------------------------------------


def _facet_groups(req: SearchRequest, result: SearchResult, items: list) -> list[dict[str, Any]]:
    groups = []
    for name in registry.names():
        if name not in result.facets:
            continue
        values = result.facets.get(name, [])
        groups.append(
            {
                "name": name,
                "values": values,
                "shown": values[:SHOWN_VALUES],
                "more": values[SHOWN_VALUES:],
                "clear_url": _url(_without(items, name, "page")) if req.selected(name) else None,
                # The service lists the top facet_size values: there may be more to see.
                "full_url": (
                    _url(items, facet_size=str(FULL_LIST), page="")
                    if len([v for v in values if not v.selected]) >= req.facet_size
                    and req.facet_size < FULL_LIST
                    else None
                ),
            }
        )
    return groups


@bp.get("/")
def search_page() -> Any:
    args = _page_args(request.args)
    try:
        req = load_search_args(args)
    except ValidationError as e:
        body = validation_body(e.messages, g.lang)
        return render_template("search.html", error=body["message"], req=None), 400

    items = _query_items(req)
    items_with_page = [*items, ("page", str(req.page))] if req.page > 1 else items
    # A submitted form sends empty fields and defaults: show the short, canonical URL instead.
    given = sorted((k, v) for k, v in request.args.items(multi=True) if k not in PAGE_ONLY_ARGS)
    if given != sorted(items_with_page):
        target = _url(items_with_page)
        if "lang" in request.args:
            target = _url([*items_with_page, ("lang", request.args["lang"])])
        return redirect(target, code=303)

    try:
        stats = service().stats()
    except TelusurError:
        stats = {}
    if req.is_empty():
        return render_template("search.html", req=req, result=None, stats=stats)
    try:
        # A chosen range is drawn one interval finer (a year by months, a month by weeks...).
        finer = zoom.interval_for(
            req.date_from, req.date_to, stats.get("min_date"), stats.get("max_date")
        )
        result = service().search(replace(req, interval=req.interval or finer))
    except InvalidQuery as e:  # keep the typed query in the box, with the reason beside it
        message = domain_body(e, g.lang)["message"]
        return render_template("search.html", error=message, req=req, stats=stats), e.status

    rows = result.total if result.stories is None else result.stories  # collapse=story
    pages = -(-rows // req.per_page) if rows else 0
    t = i18n.translator(g.lang)
    day = lambda d: i18n.day_label(d, g.lang)  # noqa: E731
    empty = empty_states.explain(
        req,
        result,
        _parsed_or_none(req.q) if not result.total else None,
        day_label=day,
        facet_title=lambda name: t(f"facet_{name}"),
        remove_url=lambda name, value: _toggle_url(items, name, value),
        clear_dates_url=_url(_without(items, "from", "to", "page")),
        num=lambda n: i18n.number(n, g.lang),
    )
    within = _zoomed_range(req, stats)
    timeline = bars(
        result.facets.get("published", []),
        result.date_interval,
        *_dates(req),
        lang=g.lang,
        within=within,
    )
    out = zoom.zoom_out(*within) if within else None
    return render_template(
        "search.html",
        req=req,
        result=result,
        stats=stats,
        groups=_facet_groups(req, result, items),
        timeline=timeline,
        presets=presets.ranges(_without(items, "from", "to", "page"), stats, _url),
        toggle_url=lambda name, value: _toggle_url(items, name, value),
        clear_dates_url=_url(_without(items, "from", "to", "page")),
        bar_url=lambda bar: _url(items, **{"from": str(bar.start)}, to=str(bar.end), page=""),
        zoomed=within is not None,
        zoom_out_url=(
            _url(items, **{"from": str(out[0])}, to=str(out[1]), page="")
            if out
            else _url(_without(items, "from", "to", "page"))
        ),
        zoom_out_label=(
            short_label(out[0], out[1], "year" if out[0].month != out[1].month else "month", g.lang)
            if out
            else None
        ),
        page_url=lambda page: _url(items, page=str(page) if page > 1 else ""),
        suggestion_url=_url(items, q=result.suggestion or "", page="", as_typed=""),
        as_typed_url=_url(items, as_typed="1", page=""),
        corrected_url=_url(items, q=result.corrected or "", page="", as_typed=""),
        partial_url=_url(items, match="most", page=""),
        match_all_url=_url(items, match="", page=""),
        article_url=lambda doc_id: _article_url(doc_id, items_with_page),
        export_csv=_export_url("/api/export.csv", items),
        export_jsonl=_export_url("/api/export.jsonl", items),
        pages=pages,
        hidden=[
            (k, v) for k, v in items if k in ("per_page", "facet_size", "collapse", "interval")
        ],
        # The "report or correct" form under each entity facet, when the app may write.
        correctable=registry.entity_names() if corrections_allowed() else (),
        here=_url(items_with_page),
        collapse_url=_url(items, collapse="" if req.collapse else "story", page=""),
        story_url=lambda story_id: url_for("stories.story_page", story_id=story_id),
        empty_reasons=empty,
        chips=active_filters.chips(req, items, _url, t, day),
        clear_all_url=active_filters.clear_all_url(items, _url),
    )


def _parsed_or_none(q: str) -> Any:
    try:
        return service().parse(q) if q.strip() else None
    except InvalidQuery:
        return None


def _zoomed_range(req: SearchRequest, stats: dict[str, Any]) -> tuple[date, date] | None:
    """The range the timeline zooms into: the chosen dates, within the archive's own."""
    lo, hi = stats.get("min_date"), stats.get("max_date")
    if not (req.date_from or req.date_to) or lo is None or hi is None:
        return None
    start, end = max(req.date_from or lo, lo), min(req.date_to or hi, hi)
    return (start, end) if start <= end else None


def _dates(req: SearchRequest) -> tuple[date | None, date | None]:
    return req.date_from, req.date_to


def _export_url(path: str, items: list[tuple[str, str]]) -> str:
    exportable = _without(items, "page", "per_page", "facet_size", "collapse")
    return path + ("?" + urlencode(exportable) if exportable else "")


def _article_url(doc_id: str, items: list[tuple[str, str]]) -> str:
    base = url_for("views.article_page", doc_id=doc_id)
    return base + ("?" + urlencode(items) if items else "")


# -- the article page ---------------------------------------------------------------------


@bp.get("/articles/<path:doc_id>")
def article_page(doc_id: str) -> Any:
    state = _state(request.args)
    items = _query_items(state) if state else []
    if state and state.page > 1:  # "back to results" lands on the page the reader came from
        items.append(("page", str(state.page)))
    q = state.q if state else ""
    try:
        view, body_html = service().article(doc_id, q)
    except InvalidQuery:  # a bad query in the URL must not hide the article
        items, q = [], ""
        view, body_html = service().article(doc_id)
    search_items = _without(items, "page")
    related = service().related(doc_id, limit=5)
    return render_template(
        "article.html",
        req=state,
        article=view,
        body_html=body_html,
        q=q,
        back_url=_url(items) if items else "/",
        entity_url=lambda name, value: _url([(name, value)]),
        related=related,
        article_url=lambda other: _article_url(other, search_items),
        source_url=(
            view.url if view.url and view.url.lower().startswith(("http://", "https://")) else None
        ),
        date_source_key=_date_source_key(view.published, view.date_source),
    )


def _date_source_key(published: date | None, date_source: str) -> str | None:
    """The words saying where an inferred date came from; None for a metadata date (or a
    date_source this version has no words for)."""
    key = f"date_source_{date_source}"
    return key if published is not None and key in i18n.STRINGS else None
