"""HTML pages: the search page and the article page. Same parameter names as the API."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, render_template, request
from marshmallow import ValidationError

from search.errors import InvalidQuery
from search.models import SearchRequest
from webui.api import service
from webui.errors import _flatten, validation_message
from webui.schemas import LIST_ARGS, load_search_args

bp = Blueprint("views", __name__)

FACET_TITLES = {
    "outlet": "Media",
    "published": "Tanggal terbit",
    "person": "Tokoh",
    "organisation": "Organisasi",
    "place": "Tempat",
}


def _query_items(req: SearchRequest) -> list[tuple[str, str]]:
    """The request as URL parameters, in the API's names."""
    items: list[tuple[str, str]] = []
    if req.q:
        items.append(("q", req.q))
    for name in LIST_ARGS:
        items.extend((name, v) for v in getattr(req, name))
    if req.date_from:
        items.append(("from", req.date_from.isoformat()))
    if req.date_to:
        items.append(("to", req.date_to.isoformat()))
    if req.sort != "relevance":
        items.append(("sort", req.sort))
    if req.per_page != 10:
        items.append(("per_page", str(req.per_page)))
    return items


def _url(items: list[tuple[str, str]], **extra: str) -> str:
    items = [(k, v) for k, v in items if k not in extra] + [(k, v) for k, v in extra.items() if v]
    return "/?" + urlencode(items) if items else "/"


def _toggle_url(req: SearchRequest, name: str, value: str) -> str:
    items = _query_items(req)
    if (name, value) in items:
        items.remove((name, value))
    else:
        items.append((name, value))
    return _url(items)


def _bucket_range(value: str) -> tuple[str, str]:
    """A published bucket (YYYY, YYYY-MM or YYYY-MM-DD) as inclusive from/to dates."""
    import calendar

    parts = value.split("-")
    if len(parts) == 3:
        return value, value
    if len(parts) == 2:
        y, m = int(parts[0]), int(parts[1])
        return f"{value}-01", f"{value}-{calendar.monthrange(y, m)[1]:02d}"
    return f"{value}-01-01", f"{value}-12-31"


@bp.get("/")
def search_page() -> Any:
    try:
        req = load_search_args(request.args)
    except ValidationError as e:
        errors = _flatten(e.messages)
        return render_template("search.html", error=validation_message(errors), req=None), 400
    if req.is_empty():
        return render_template("search.html", req=req, result=None)
    try:
        result = service().search(req)
    except InvalidQuery as e:  # keep the typed query in the box, with the reason beside it
        return render_template("search.html", error=e.message, req=req), e.status
    items = _query_items(req)
    pages = -(-result.total // req.per_page) if result.total else 0
    return render_template(
        "search.html",
        req=req,
        result=result,
        titles=FACET_TITLES,
        toggle_url=lambda name, value: _toggle_url(req, name, value),
        bucket_url=lambda value: _url(
            items, **dict(zip(("from", "to"), _bucket_range(value), strict=True)), page=""
        ),
        page_url=lambda page: _url(items, page=str(page)),
        clear_dates_url=_url([(k, v) for k, v in items if k not in ("from", "to")]),
        sort_url=lambda sort: _url(items, sort=sort if sort != "relevance" else ""),
        pages=pages,
    )


@bp.get("/articles/<path:doc_id>")
def article_page(doc_id: str) -> Any:
    q = request.args.get("q", "")
    view, body_html = service().article(doc_id, q)
    return render_template(
        "article.html",
        article=view,
        body_html=body_html,
        q=q,
        titles=FACET_TITLES,
        entity_url=lambda name, value: _url([(name, value)]),
    )
