"""The gunicorn worker Telusur runs (gunicorn.conf.py): gunicorn's threaded worker, whose own error
responses also carry X-Request-Id and the security headers.

gunicorn answers some requests itself, before the app sees them: a malformed request line or
header (400), a request line over `limit_request_line` (414), too many or too large header
fields (431), an unsupported transfer coding (501). Those responses come from
`Worker.handle_error`, which has no hook: this worker lets gunicorn write the response into a
buffer, adds the headers after its status line, sends it, and logs the rejection as one JSON
line with the request id. What gunicorn drops without answering (a client that disconnects or
stalls) has no response to carry anything.
"""

from __future__ import annotations

import socket
from typing import Any

from gunicorn import util
from gunicorn.workers.gthread import ThreadWorker as GunicornThreadWorker

from webui import SECURITY_HEADERS


class _Captured:
    """Stands in for the client socket while gunicorn writes its error response."""

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock
        self.data = b""

    def gettimeout(self) -> float:
        return 0.0  # gunicorn's write_nonblock then writes straight away

    def setblocking(self, flag: bool) -> None:
        pass

    def sendall(self, data: bytes) -> None:
        self.data += data

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sock, name)


def with_headers(response: bytes, request_id: str) -> bytes:
    """A raw HTTP/1.x response with X-Request-Id and the security headers after its status line."""
    status_line, sep, rest = response.partition(b"\r\n")
    head = rest.partition(b"\r\n\r\n")[0]
    names = {line.split(b":", 1)[0].strip().lower() for line in head.split(b"\r\n")}
    ours = {**SECURITY_HEADERS, "X-Request-Id": request_id}
    added = b"".join(
        f"{name}: {value}\r\n".encode("latin-1")
        for name, value in ours.items()
        if name.lower().encode() not in names
    )
    return status_line + sep + added + rest


class ThreadWorker(GunicornThreadWorker):
    """gunicorn's gthread worker: a slow client holds one thread, not the whole worker."""

    def handle_error(self, req: Any, client: Any, addr: Any, exc: BaseException) -> None:
        from webui.ops import log_request, new_request_id

        captured = _Captured(client)
        super().handle_error(req, captured, addr, exc)
        if not captured.data:
            return
        request_id = new_request_id()
        status = captured.data.split(b" ", 2)[1:2]
        try:
            util.write_nonblock(client, with_headers(captured.data, request_id))
        except Exception:
            self.log.debug("Failed to send error message.")
        log_request(
            {
                "event": "rejected",
                "request_id": request_id,
                "status": int(status[0]) if status and status[0].isdigit() else None,
                "error": f"{type(exc).__name__}: {exc}"[:300],
                "remote": (addr or ("",))[0],
            }
        )
