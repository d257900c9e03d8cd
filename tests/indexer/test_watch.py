"""`telusur watch DIR`: a dropped file is indexed, with the id a rebuild of the folder gives it;
a file still being written is not read half-way."""

from __future__ import annotations

import gzip
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from indexer.build import rebuild_index
from indexer.watch import Watcher
from search.service import SearchService
from tests.conftest import REPO
from tests.sample_web import HAZE

SAMPLE = REPO / "sample_archive"


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_file_is_ready_only_once_it_has_settled(tmp_path: Path) -> None:
    clock = Clock()
    watcher = Watcher(tmp_path, settle=2.0, clock=clock)
    page = tmp_path / "kabut.html"
    page.write_text(HAZE[:500])  # the writer has written half of it
    assert watcher.poll() == []
    clock.now = 1.5
    with page.open("a") as fh:
        fh.write(HAZE[500:])  # …and now the rest: the clock starts again
    assert watcher.poll() == []
    clock.now = 3.0
    assert watcher.poll() == []  # 1.5 s unchanged
    clock.now = 3.6
    assert watcher.poll() == [page]
    clock.now = 10.0
    assert watcher.poll() == []  # read once, not again while unchanged


def test_temporary_names_are_never_read_and_a_rename_is(tmp_path: Path) -> None:
    clock = Clock()
    watcher = Watcher(tmp_path, settle=1.0, clock=clock)
    for name in ("a.html.part", "b.jsonl.tmp", ".c.txt", "~d.txt", "e.html.crdownload", "f.pdf"):
        (tmp_path / name).write_text("x")
    assert watcher.poll() == []
    clock.now = 5.0
    assert watcher.poll() == []
    (tmp_path / "a.html.part").rename(tmp_path / "a.html")
    assert watcher.poll() == []
    clock.now = 6.0
    assert watcher.poll() == [tmp_path / "a.html"]


def test_a_changed_sidecar_or_manifest_rereads_its_articles(tmp_path: Path) -> None:
    clock = Clock()
    watcher = Watcher(tmp_path, settle=0.0, clock=clock)
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text("Judul\n\nIsi berita.")
    watcher.poll()
    assert watcher.poll() == [tmp_path / "a.txt", tmp_path / "b.txt"]
    (tmp_path / "a.json").write_text('{"outlet": "Warta Timur"}')
    watcher.poll()
    assert watcher.poll() == [tmp_path / "a.txt"]
    (tmp_path / "manifest.csv").write_text("file,outlet\nb.txt,Kabar Nusantara\n")
    watcher.poll()
    assert watcher.poll() == [tmp_path / "a.txt", tmp_path / "b.txt"]


def _wait_for(index_dir: Path, doc_id: str, seconds: float) -> str | None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        svc = SearchService(index_dir)
        try:
            return svc.article(doc_id)[0].title
        except Exception:
            time.sleep(0.2)
        finally:
            svc.close()
    return None


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_watch_picks_up_a_dropped_file(tmp_path: Path) -> None:
    folder = tmp_path / "arsip"
    (folder / "kliping").mkdir(parents=True)
    index_dir = tmp_path / "ix"
    rebuild_index([SAMPLE / "nasional.jsonl"], index_dir)
    watch = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "indexer.cli",
            "watch",
            str(folder),
            "--index-dir",
            str(index_dir),
            "--settle",
            "0.5",
            "--new-only",
        ],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        # As from a terminal: a suite started in the background (`make test &`) ignores SIGINT,
        # the watcher would inherit that, and Ctrl-C below would never stop it.
        preexec_fn=_default_sigint,
    )
    try:
        assert watch.stdout is not None
        first = watch.stdout.readline()  # printed once it took stock of the (empty) folder
        assert first.startswith(f"Watching {folder}"), first
        dropped = folder / "kliping" / "kabut.html.gz"
        part = dropped.with_name(dropped.name + ".part")
        part.write_bytes(gzip.compress(HAZE.encode()))
        part.rename(dropped)  # as a download finishes
        title = _wait_for(index_dir, "kliping/kabut.html.gz", 60)
        assert title == "Kabut Asap Kembali Selimuti Pontianak, Sekolah Diliburkan"
    finally:
        # Ctrl-C may come while the update still merges or groups stories (slow on a loaded
        # machine): wait for it, and never leave the process running when it does not stop.
        watch.send_signal(signal.SIGINT)
        try:
            out, _ = watch.communicate(timeout=120)
        except subprocess.TimeoutExpired:
            watch.kill()
            out = "(did not stop within 120 s of Ctrl-C)\n" + watch.communicate()[0]
    assert watch.returncode == 0, out
    assert "1 new or changed files" in out
    assert "Added 1, replaced 0, unchanged 0, skipped 0" in out
