"""Responses compressed when the client accepts it (flask-compress: zstd, br, gzip, deflate).

A results page is 40–200 KB of HTML (long facet lists) that compresses ~10×. Exports stay
streamed as they are: a compressor on a stream buffers chunks and costs CPU per row.
"""

from __future__ import annotations

from flask import Flask
from flask_compress import Compress

MIMETYPES = [
    "text/html",
    "text/css",
    "text/javascript",
    "application/javascript",
    "application/json",
    "image/svg+xml",
]


def register_compression(app: Flask) -> None:
    for key, value in (
        ("COMPRESS_MIMETYPES", MIMETYPES),
        ("COMPRESS_MIN_SIZE", 500),  # smaller bodies fit in one packet anyway
        ("COMPRESS_STREAMS", False),
    ):
        app.config.setdefault(key, value)
    Compress(app)
