"""What tests/webui/test_serving.py serves with gunicorn: wsgi.py's app, plus one fault to inject.

A request with `X-Test-Fail-After: N` gets an export whose article iterator raises after N
articles (N=0: before the first byte). Exports are sent a chunk per article (the test corpus is
smaller than one real chunk). Nothing else differs from `wsgi:app`."""

from __future__ import annotations

from collections.abc import Iterator

from flask import request

import webui.export
from search.models import ArticleView, SearchRequest
from wsgi import app

webui.export.CHUNK_CHARS = 1

_service = app.extensions["telusur.search"]
_iter_all = _service.iter_all


def _failing_iter_all(req: SearchRequest) -> Iterator[ArticleView]:
    articles = _iter_all(req)
    fail_after = request.headers.get("X-Test-Fail-After")
    if fail_after is None:
        return articles

    def failing() -> Iterator[ArticleView]:
        for n, a in enumerate(articles):
            if n >= int(fail_after):
                raise OSError("injected failure while reading articles")
            yield a

    return failing()


_service.iter_all = _failing_iter_all

__all__ = ["app"]
