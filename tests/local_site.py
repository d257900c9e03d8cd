"""A web site on 127.0.0.1 that a test starts and stops: it serves the pages it is given and
keeps every request it was sent (path, User-Agent, time), so tests never touch the internet
and can check how politely they were asked."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Request:
    path: str
    user_agent: str
    at: float


@dataclass
class Site:
    """Pages by path: (status, content type, body). `base` is the site's address."""

    pages: dict[str, tuple[int, str, bytes]] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)
    base: str = ""

    def put(
        self,
        path: str,
        body: str | bytes,
        content_type: str = "text/html; charset=utf-8",
        status: int = 200,
    ) -> str:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.pages[path] = (status, content_type, data)
        return self.base + path

    def paths(self) -> list[str]:
        return [r.path for r in self.requests]


@contextmanager
def local_site() -> Iterator[Site]:
    site = Site()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            site.requests.append(
                Request(self.path, self.headers.get("User-Agent", ""), time.monotonic())
            )
            status, content_type, body = site.pages.get(self.path, (404, "text/plain", b"no"))
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
