"""gunicorn settings for Telusur. No preload: each worker opens the index itself, lazily."""

import multiprocessing
import os

bind = os.environ.get("TELUSUR_BIND", "127.0.0.1:8000")
# Search is CPU-bound pure Python: one worker per core, plus one to cover I/O waits.
workers = int(os.environ.get("TELUSUR_WORKERS", multiprocessing.cpu_count() + 1))
worker_class = "sync"
preload_app = False
timeout = 60
graceful_timeout = 20
# The app logs each request as one JSON line with its request id and timing (webui/ops.py);
# gunicorn's own access log would only repeat it.
accesslog = None
errorlog = "-"


def post_worker_init(worker):  # type: ignore[no-untyped-def]
    """Open the index in the new worker (after the fork) before it takes requests, so the first
    visitor does not wait for the searcher, the facet arrays, the field lengths and the spelling
    index (~1 s at 22k articles)."""
    service = getattr(worker.wsgi, "extensions", {}).get("telusur.search")
    if service is None:
        return
    try:
        service.warm()
    except Exception as e:  # no index yet, or unreadable: the request path reports it properly
        worker.log.info("index not opened at worker start: %s", e)
