"""Telusur under a real gunicorn with the repo's gunicorn.conf.py: slow clients, streamed exports,
failures mid-stream, and gunicorn's own rejections all answer with the app's headers.

The server (tests/gunicorn_app.py: wsgi.py's app plus a fault to inject) serves SMALL_CORPUS on
a free port and is stopped at the end of the module."""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import REPO, SMALL_CORPUS, write_index
from webui import SECURITY_HEADERS

pytestmark = pytest.mark.slow

WORKERS = 3  # as many as the report's slow clients took


@dataclass
class Server:
    port: int
    log: Path
    proc: subprocess.Popen[bytes]
    conns: list[http.client.HTTPConnection] = field(default_factory=list)

    def get(
        self, path: str, headers: dict[str, str] | None = None, timeout: float = 5.0
    ) -> http.client.HTTPResponse:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        self.conns.append(conn)  # closed after each test
        conn.request("GET", path, headers=headers or {})
        return conn.getresponse()

    def raw(self, data: bytes) -> tuple[int, dict[str, str], bytes]:
        """Send `data` as it is; the status, headers (lower-case names) and body of the answer."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=5) as s:
            s.sendall(data)
            out = b""
            while chunk := s.recv(65536):
                out += chunk
        head, _, body = out.partition(b"\r\n\r\n")
        status_line, *lines = head.decode("latin-1").split("\r\n")
        headers = {k.strip().lower(): v.strip() for k, v in (h.split(":", 1) for h in lines)}
        return int(status_line.split()[1]), headers, body

    def logged(self, request_id: str) -> list[dict[str, object]]:
        """The JSON lines the server logged for `request_id` (waits briefly for them)."""
        for _ in range(50):
            found = [
                json.loads(line)
                for line in self.log.read_text(errors="replace").splitlines()
                if line.startswith("{") and f'"request_id":"{request_id}"' in line
            ]
            if found:
                return found
            time.sleep(0.05)
        return []


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("gunicorn")
    write_index(root / "index", SMALL_CORPUS)
    env = {k: v for k, v in os.environ.items() if not k.startswith("TELUSUR_")}
    env.update(
        TELUSUR_INDEX_DIR=str(root / "index"),
        TELUSUR_BIND="127.0.0.1:0",  # a free port; gunicorn logs which
        TELUSUR_WORKERS=str(WORKERS),
        PYTHONPATH=str(REPO),
    )
    log = root / "gunicorn.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [
                *(sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"),
                "--no-control-socket",  # gunicorn's default one lives in ~/.gunicorn, shared
                "tests.gunicorn_app:app",
            ],
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        port = _wait_until_serving(proc, log)
        yield Server(port, log, proc)
    finally:
        proc.send_signal(signal.SIGINT)  # quick shutdown: no waiting for slow clients
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(autouse=True)
def _close_connections(server: Server) -> Iterator[None]:
    yield
    while server.conns:
        server.conns.pop().close()


def _wait_until_serving(proc: subprocess.Popen[bytes], log: Path) -> int:
    deadline = time.monotonic() + 60
    port = None
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited:\n{log.read_text(errors='replace')}")
        text = log.read_text(errors="replace")
        if port is None and (m := re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", text)):
            port = int(m.group(1))
        # Every worker warms its index before it accepts (gunicorn.conf.py's post_worker_init).
        if port is not None and text.count("Booting worker") >= WORKERS:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=2) as s:
                    s.sendall(b"GET /healthz HTTP/1.0\r\n\r\n")
                    if re.match(rb"HTTP/1\.[01] 200", s.recv(64)):
                        time.sleep(0.5)  # the other workers finish warming
                        return port
            except OSError:
                pass
        time.sleep(0.1)
    raise RuntimeError(f"gunicorn did not come up:\n{log.read_text(errors='replace')}")


def _assert_app_headers(headers: dict[str, str]) -> str:
    lower = {k.lower(): v for k, v in headers.items()}
    for name, value in SECURITY_HEADERS.items():
        assert lower.get(name.lower()) == value, name
    request_id = lower.get("x-request-id", "")
    assert re.fullmatch(r"[0-9a-f]{32}", request_id), request_id
    return request_id


# -- slow clients -------------------------------------------------------------------------


def _slow_client(port: int, stop: threading.Event) -> None:
    """Sends its request one header byte every 2 s (and never finishes in the test's time)."""
    request = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"z" * 100 + b"\r\n\r\n"
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        for byte in request:
            s.sendall(bytes([byte]))
            if stop.wait(2):
                return


def test_slow_clients_do_not_stop_healthz(server: Server) -> None:
    stop = threading.Event()
    clients = [
        threading.Thread(target=_slow_client, args=(server.port, stop), daemon=True)
        for _ in range(WORKERS)
    ]
    try:
        for c in clients:
            c.start()
        time.sleep(1.0)  # each holds a connection the server has accepted
        for _ in range(5):
            started = time.monotonic()
            resp = server.get("/healthz", timeout=1.0)
            assert resp.status == 200
            assert json.loads(resp.read())["status"] == "ok"
            assert time.monotonic() - started < 1.0
    finally:
        stop.set()
        for c in clients:
            c.join(timeout=5)


# -- connections go to idle workers ---------------------------------------------------------


def test_a_long_search_does_not_hold_up_new_connections(server: Server, tmp_path: Path) -> None:
    """A worker runs one search at a time: while one is busy with a long search, new
    connections are answered by the idle workers, not queued behind it."""
    release = tmp_path / "release"
    held: dict[str, int] = {}

    def long_search() -> None:
        resp = server.get("/api/search?q=banjir", {"X-Test-Hold-Until": str(release)}, 40)
        held["status"] = resp.status

    thread = threading.Thread(target=long_search, daemon=True)
    thread.start()
    try:
        for _ in range(100):
            if Path(f"{release}.held").exists():
                break
            time.sleep(0.05)
        assert Path(f"{release}.held").exists()
        # Each on a new connection; one that landed on the busy worker would wait for it.
        for _ in range(8):
            resp = server.get("/api/search?q=banjir", timeout=10)
            assert resp.status == 200
            assert json.loads(resp.read())["total"] > 0
            assert thread.is_alive()  # the long search still holds its worker
    finally:
        release.touch()
        thread.join(timeout=35)
    assert held["status"] == 200


# -- exports ------------------------------------------------------------------------------


def test_export_is_streamed_with_the_app_headers(server: Server) -> None:
    resp = server.get("/api/export.jsonl", headers={"X-Request-Id": "stream-1"})
    assert resp.status == 200
    assert resp.getheader("Content-Length") is None
    assert resp.getheader("Transfer-Encoding") == "chunked"
    assert resp.getheader("X-Request-Id") == "stream-1"
    body = resp.read()
    assert len(body.splitlines()) == len(SMALL_CORPUS)
    (line,) = server.logged("stream-1")
    assert (line["status"], line["bytes"], line["complete"]) == (200, len(body), True)


def test_export_failing_before_its_first_byte_is_the_apps_500(server: Server) -> None:
    # One per worker and then some: a second failure in a worker answered gunicorn's raw 500.
    for n in range(WORKERS + 2):
        resp = server.get("/api/export.jsonl", headers={"X-Test-Fail-After": "0"})
        assert resp.status == 500
        request_id = _assert_app_headers(dict(resp.getheaders()))
        assert json.loads(resp.read())["code"] == "internal_error", n
        assert server.logged(request_id)[0]["status"] == 500


def test_export_failing_midway_is_cut_off_and_logged(server: Server) -> None:
    resp = server.get(
        "/api/export.jsonl?q=banjir", headers={"X-Test-Fail-After": "2", "X-Request-Id": "cut-1"}
    )
    assert resp.status == 200
    assert resp.getheader("X-Request-Id") == "cut-1"
    # The chunked body lacks its last chunk: the client knows the export is incomplete.
    with pytest.raises(http.client.IncompleteRead) as cut:
        resp.read()
    assert len(cut.value.partial.splitlines()) == 2
    (line,) = server.logged("cut-1")
    assert line["complete"] is False and "injected failure" in str(line["error"])
    assert line["bytes"] == len(cut.value.partial)
    assert "request cut-1" in server.log.read_text(errors="replace")  # gunicorn's own error line
    assert server.get("/healthz").status == 200  # the worker serves on


# -- gunicorn's own answers, redirects ------------------------------------------------------


@pytest.mark.parametrize(
    ("request_bytes", "status"),
    [
        (b"NONSENSE\r\n\r\n", 400),
        (b"GET /?q=" + b"a" * 5000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414),
        (b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 9000 + b"\r\n\r\n", 431),
        (
            b"GET / HTTP/1.1\r\nHost: x\r\n"
            + b"".join(b"X-H%d: 1\r\n" % i for i in range(120))
            + b"\r\n",
            431,
        ),
    ],
    ids=["bad-request-line", "uri-too-long", "header-too-large", "too-many-headers"],
)
def test_gunicorns_own_rejections_carry_the_app_headers(
    server: Server, request_bytes: bytes, status: int
) -> None:
    got, headers, _ = server.raw(request_bytes)
    assert got == status
    request_id = _assert_app_headers(headers)
    (line,) = server.logged(request_id)
    assert (line["event"], line["status"]) == ("rejected", status)


@pytest.mark.parametrize("path", ["//x", "//api//search", "///articles//a1", "/api//search"])
def test_redirects_stay_on_this_host(server: Server, path: str) -> None:
    status, headers, _ = server.raw(
        f"GET {path} HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n".encode()
    )
    _assert_app_headers(headers)
    location = headers.get("location")
    if location is not None:
        assert status in (301, 302, 303, 307, 308)
        assert location.startswith("/") and not location.startswith(("//", "/\\")), location
        assert "evil.example" not in location
