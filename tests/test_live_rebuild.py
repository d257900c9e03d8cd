"""Live rebuild under gunicorn: searches never fail, and after the swap they all see the new index."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from indexer.build import rebuild_index

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
OLD_MARKER, NEW_MARKER = "kuskuslama", "kuskusbaru"
N_OLD, N_NEW = 4, 6
MAX_REQUESTS = 3000  # per client thread: the client stops by itself
MAX_SECONDS = 90.0

pytestmark = pytest.mark.slow


def write_archive(path: Path, n: int, marker: str) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            rec = {
                "id": f"{marker}-{i}",
                "title": f"Berita {marker} nomor {i}",
                "body": f"Warga kota membicarakan {marker} pada hari ke-{i}.",
                "outlet": "Warta Uji",
                "published": f"2025-04-{i + 1:02d}",
            }
            fh.write(json.dumps(rec) + "\n")
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=10) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as e:
        return e.code, {}
    except (urllib.error.URLError, OSError, ValueError) as e:
        return -1, {"error": repr(e)}


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    index_dir = tmp_path / "ix"
    rebuild_index([write_archive(tmp_path / "old.jsonl", N_OLD, OLD_MARKER)], index_dir)
    port = free_port()
    env = {
        **os.environ,
        "TELUSUR_BIND": f"127.0.0.1:{port}",
        "TELUSUR_INDEX_DIR": str(index_dir),
        "TELUSUR_WORKERS": "2",
    }
    log = (tmp_path / "gunicorn.log").open("w")
    proc = subprocess.Popen(
        [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "wsgi:app"],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while get(f"{base}/healthz")[0] != 200:
            assert proc.poll() is None, (tmp_path / "gunicorn.log").read_text()
            assert time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.2)
        yield base, index_dir
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        log.close()


@dataclass
class Sample:
    started: float
    status: int
    new_total: int
    old_total: int


def client(base: str, stop: threading.Event, out: list[Sample]) -> None:
    deadline = time.monotonic() + MAX_SECONDS
    for _ in range(MAX_REQUESTS):
        if stop.is_set() or time.monotonic() > deadline:
            return
        started = time.monotonic()
        status, body = get(f"{base}/api/search?q={NEW_MARKER}+OR+{OLD_MARKER}&per_page=20")
        hits = body.get("hits", [])
        new = sum(1 for h in hits if h["id"].startswith(NEW_MARKER))
        old = sum(1 for h in hits if h["id"].startswith(OLD_MARKER))
        out.append(Sample(started, status, new, old))


def telusur(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "telusur"), *args], cwd=REPO, capture_output=True, text=True, timeout=120
    )


def test_rebuild_while_serving(server: tuple[str, Path], tmp_path: Path) -> None:
    base, index_dir = server
    new_archive = write_archive(tmp_path / "new.jsonl", N_NEW, NEW_MARKER)
    old_gen = os.path.realpath(index_dir / "current")

    samples: list[Sample] = []
    stop = threading.Event()
    threads = [threading.Thread(target=client, args=(base, stop, samples)) for _ in range(2)]
    for t in threads:
        t.start()
    try:
        time.sleep(0.5)
        done = telusur("rebuild-index", str(new_archive), "--index-dir", str(index_dir))
        swapped = time.monotonic()
        assert done.returncode == 0, done.stderr
        time.sleep(1.0)
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=30)

    failed = [s for s in samples if s.status != 200]
    assert not failed, (failed[:5], (tmp_path / "gunicorn.log").read_text()[-3000:])
    before = [s for s in samples if s.started < swapped]
    after = [s for s in samples if s.started >= swapped]
    assert before and after
    assert all((s.new_total, s.old_total) in ((0, N_OLD), (N_NEW, 0)) for s in samples)
    assert any(s.old_total == N_OLD for s in before)
    assert all((s.new_total, s.old_total) == (N_NEW, 0) for s in after)

    # The old generation stays for its grace period, then goes with the next run.
    assert os.path.isdir(old_gen)
    done = telusur("rebuild-index", str(new_archive), "--index-dir", str(index_dir), "--grace", "0")
    assert done.returncode == 0, done.stderr
    assert not os.path.exists(old_gen)
    gens = [p for p in index_dir.iterdir() if p.name.startswith("gen-")]
    assert len(gens) == 1  # grace 0: the generation replaced just now went at once too
    for _ in range(10):
        status, body = get(f"{base}/api/search?q={NEW_MARKER}")
        assert status == 200 and body["total"] == N_NEW
    health = get(f"{base}/healthz")[1]
    assert health["index"] == gens[0].name and health["articles"] == N_NEW
