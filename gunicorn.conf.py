"""gunicorn settings for Telusur. No preload: each worker opens the index itself, lazily.

In production a buffering proxy (nginx, docs/nginx.conf) belongs in front: it reads whole
requests before passing them on, which no worker setting here can guarantee (README, Serving).
"""

import ctypes
import multiprocessing
import os

bind = os.environ.get("TELUSUR_BIND", "127.0.0.1:8000")
# Search is CPU-bound pure Python: one worker per core, plus one to cover I/O waits.
workers = int(os.environ.get("TELUSUR_WORKERS", multiprocessing.cpu_count() + 1))
# Threads, so that a client that sends its request slowly (or reads a long export slowly) holds
# one thread and not a whole worker: three such clients took all three sync workers, and
# /healthz timed out. Searches in one worker still run one at a time (search/service.py), so
# threads add no CPU, only room for waiting clients. The worker class is gunicorn's gthread
# with the app's headers on the error responses gunicorn writes itself (webui/worker.py).
worker_class = "webui.worker.ThreadWorker"
threads = int(os.environ.get("TELUSUR_THREADS", 8))
preload_app = False
# With threads the arbiter's timeout only catches a worker whose main loop is stuck: a long
# export to a slow reader is not killed mid-stream (a sync worker was, after `timeout`).
timeout = 60
graceful_timeout = 20
keepalive = 5
# gunicorn's defaults, spelled out: longer request lines get 414, more or larger header fields
# 431 (webui/worker.py adds X-Request-Id and the security headers to both).
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190
# The app logs each request as one JSON line with its request id and timing (webui/ops.py);
# gunicorn's own access log would only repeat it.
accesslog = None
errorlog = "-"


# glibc's malloc in a worker: one arena. Each thread that allocates gets an arena of its own
# (up to 8 per core), and each arena keeps the freed pages of the largest request it served
# (a search at 2.2M articles allocates archive-sized numpy arrays: masks, scores, postings):
# with 8 threads that multiplied a worker's private memory. Searches run one at a time
# (search/service.py), so the threads lose nothing by sharing one arena.
M_ARENA_MAX = -8  # mallopt's parameter number (malloc.h)
MALLOC_ARENAS = 1


def _one_malloc_arena() -> None:
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(M_ARENA_MAX, MALLOC_ARENAS)
    except (OSError, AttributeError):  # not glibc: its own allocator's policy stands
        pass


def post_worker_init(worker):  # type: ignore[no-untyped-def]
    """Open the index in the new worker (after the fork) before it takes requests, so the first
    visitor does not wait for the searcher, the facet arrays, the field lengths and the spelling
    index (~1 s at 22k articles)."""
    _one_malloc_arena()  # (before the worker's threads allocate)
    service = getattr(worker.wsgi, "extensions", {}).get("telusur.search")
    if service is None:
        return
    try:
        service.warm()
    except Exception as e:  # no index yet, or unreadable: the request path reports it properly
        worker.log.info("index not opened at worker start: %s", e)
