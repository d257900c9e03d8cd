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
accesslog = "-"
