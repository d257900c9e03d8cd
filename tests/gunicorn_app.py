"""What tests/webui/test_serving.py serves with gunicorn: wsgi.py's app, plus two faults to inject.

A request with `X-Test-Fail-After: N` gets an export whose article iterator raises after N
articles (N=0: before the first byte). A search with `X-Test-Hold-Until: PATH` is a long one: it
holds its worker's search lock (touching PATH.held) until PATH exists, at most 30 s. Exports are
sent a chunk per article (the test corpus is smaller than one real chunk). Nothing else differs
from `wsgi:app`."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

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
_search = _service.search


def _held_search(req: SearchRequest) -> object:
    hold = request.headers.get("X-Test-Hold-Until")
    if hold is None:
        return _search(req)
    with _service._reading:  # the lock a search holds (one search at a time per worker)
        Path(hold + ".held").touch()
        deadline = time.monotonic() + 30
        while not os.path.exists(hold) and time.monotonic() < deadline:
            time.sleep(0.01)
        return _search(req)


_service.search = _held_search

__all__ = ["app"]
