"""The gunicorn worker Telusur runs (gunicorn.conf.py): gunicorn's threaded worker, that leaves a
new connection to an idle worker, and whose own error responses also carry X-Request-Id and the
security headers.

A worker runs one search at a time (search/service.py), but gunicorn's threaded worker accepts
every connection it sees, busy or not: wrk's 4 keep-alive connections landed 4/0/0 or 3/1/0 on
the 3 workers as often as 2/1/1, and a worker holding them all answered 36 req/s where three
answered 150 (220k articles). With `AcceptPolicy` a busy worker leaves a new connection to the
idle ones, and takes it itself only if it still waits after `HOLD_SECONDS`: a new connection
waits that long at most when every worker is busy (a long export, slow clients).

gunicorn answers some requests itself, before the app sees them: a malformed request line or
header (400), a request line over `limit_request_line` (414), too many or too large header
fields (431), an unsupported transfer coding (501). Those responses come from
`Worker.handle_error`, which has no hook: this worker lets gunicorn write the response into a
buffer, adds the headers after its status line, sends it, and logs the rejection as one JSON
line with the request id. What gunicorn drops without answering (a client that disconnects or
stalls) has no response to carry anything.
"""

from __future__ import annotations

import select
import socket
import time
from typing import Any

from gunicorn import util
from gunicorn.workers.gthread import ThreadWorker as GunicornThreadWorker

from webui import SECURITY_HEADERS
from webui.allocator import limit_malloc_arenas, release_free_memory


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


# A search at 220k articles takes 12-30 ms (p99 ~100 ms under load): a busy worker leaves a new
# connection this long to the idle ones, then takes it itself if it still waits.
HOLD_SECONDS = 0.25
# A worker this long without a request hands the memory its searches freed back (webui.allocator).
IDLE_SECONDS = 1.0


class AcceptPolicy:
    """When a worker takes a waiting connection: at once when it has no request in flight;
    when busy, only after the connection has waited `hold` seconds for an idle worker.

    Times are time.monotonic() values; every method runs on the worker's main thread."""

    def __init__(self, hold: float = HOLD_SECONDS) -> None:
        self.hold = hold
        self.in_flight = 0  # requests handed to the threads and not yet finished
        self.waiting_since: float | None = None  # a busy worker saw a connection wait then

    def started(self) -> None:
        self.in_flight += 1

    def finished(self) -> None:
        self.in_flight = max(0, self.in_flight - 1)
        if self.in_flight == 0:
            self.waiting_since = None

    def takes(self, now: float) -> bool:
        """Whether a connection seen waiting now is accepted (else: step_back)."""
        if self.in_flight == 0:
            return True
        return self.waiting_since is not None and now - self.waiting_since >= self.hold

    def took(self) -> None:
        self.waiting_since = None

    def step_back(self, now: float) -> None:
        if self.waiting_since is None:
            self.waiting_since = now

    def listens(self) -> bool:
        """Whether to watch the listening socket: not while stepping back (it stays readable
        until some worker accepts)."""
        return self.in_flight == 0 or self.waiting_since is None

    def hold_left(self, now: float) -> float | None:
        """Seconds until a connection stepped back from has waited `hold` (0: it has), None
        when not stepping back."""
        if self.listens() or self.waiting_since is None:
            return None
        return max(0.0, self.waiting_since + self.hold - now)


def _readable(listener: Any) -> bool:
    """Whether a connection waits on `listener` now (poll: any descriptor number)."""
    poller = select.poll()
    poller.register(listener, select.POLLIN)
    return bool(poller.poll(0))


class ThreadWorker(GunicornThreadWorker):
    """gunicorn's gthread worker: a slow client holds one thread, not the whole worker, and a new
    connection goes to an idle worker when there is one (AcceptPolicy).

    The policy hooks into gthread's main loop (gunicorn 27: accept, enqueue_req, finish_request,
    set_accept_enabled and wait_for_and_dispatch_events all run on the worker's main thread)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.accept_policy = AcceptPolicy()
        self.idle_since: float | None = None  # None: busy, or idle and memory handed back

    def init_process(self) -> None:
        limit_malloc_arenas(1)  # before the thread pool starts any thread (webui.allocator)
        super().init_process()

    def accept(self, listener: Any) -> None:
        if self.accept_policy.takes(time.monotonic()):
            self.accept_policy.took()
            super().accept(listener)
        else:  # leave it to an idle worker for a while
            self.accept_policy.step_back(time.monotonic())
            super().set_accept_enabled(False)

    def enqueue_req(self, conn: Any) -> None:
        self.accept_policy.started()
        self.idle_since = None
        super().enqueue_req(conn)

    def finish_request(self, conn: Any, fs: Any) -> None:
        self.accept_policy.finished()  # (a read-ahead request is enqueued again inside)
        if self.accept_policy.in_flight == 0:
            self.idle_since = time.monotonic()
        super().finish_request(conn, fs)

    def set_accept_enabled(self, enabled: bool) -> None:
        # The run loop calls this on each turn where `enabled` (room for more connections)
        # differs from what the poller does, so a worker stepping back is asked again each turn.
        super().set_accept_enabled(enabled and self.accept_policy.listens())

    def wait_for_and_dispatch_events(self, timeout: float) -> None:
        now = time.monotonic()
        if self.idle_since is not None and now - self.idle_since >= IDLE_SECONDS:
            self.idle_since = None
            release_free_memory()  # the loop wakes at least once a second to get here
        left = self.accept_policy.hold_left(now)
        if left == 0:  # the connection stepped back from waited long enough, if still there
            self.accept_policy.took()
            for listener in self.sockets:
                if _readable(listener):
                    super().accept(listener)
            self.set_accept_enabled(self.nr_conns < self.worker_connections)
            left = None
        super().wait_for_and_dispatch_events(timeout if left is None else min(timeout, left))

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
