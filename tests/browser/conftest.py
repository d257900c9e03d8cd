"""Browser fixtures: the app served on 127.0.0.1 and Debian's Chromium driven by playwright.

Never `playwright install`: the browser is the system's `chromium` (apt), found on PATH.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from werkzeug.serving import make_server

from indexer.build import rebuild_index
from tests.conftest import REPO
from webui import create_app

SAMPLE = [
    REPO / "sample_archive" / "nasional.jsonl",
    REPO / "sample_archive" / "daerah.csv",
    REPO / "sample_archive" / "kliping",
]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


class LiveServer:
    """The app on a free port of 127.0.0.1, in a thread (werkzeug's threaded server)."""

    def __init__(self, index_dir: Path) -> None:
        app = create_app({"INDEX_DIR": index_dir, "TESTING": True})
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


@pytest.fixture(scope="session")
def serve() -> Iterator[Callable[[Path], LiveServer]]:
    servers: list[LiveServer] = []

    def start(index_dir: Path) -> LiveServer:
        servers.append(LiveServer(index_dir))
        return servers[-1]

    yield start
    for s in servers:
        s.stop()


@pytest.fixture(scope="session")
def sample_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index built from the repository's sample archive, the way `telusur rebuild-index` does."""
    paths = [p for p in SAMPLE if p.exists()]
    if not paths:
        pytest.skip("sample_archive/ is missing")
    index_dir = tmp_path_factory.mktemp("sample") / "index"
    rebuild_index(paths, index_dir)
    return index_dir


@pytest.fixture(scope="session")
def site(serve: Callable[[Path], LiveServer], sample_index: Path) -> LiveServer:
    return serve(sample_index)


@pytest.fixture(scope="session")
def browser_context(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    executable = shutil.which("chromium")
    if executable is None:
        pytest.skip("no chromium on PATH (make test installs it with apt)")
    sync_api = pytest.importorskip("playwright.sync_api")
    user_data = tmp_path_factory.mktemp("chromium-profile")
    with sync_api.sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(user_data),
            executable_path=executable,
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 900},
            accept_downloads=True,
            locale="id-ID",
        )
        context.set_default_timeout(10_000)
        yield context
        context.close()


@pytest.fixture
def page(browser_context: Any) -> Iterator[Any]:
    """A fresh tab with no language cookie; console errors and dialogs are recorded."""
    browser_context.clear_cookies()
    tab = browser_context.new_page()
    tab.errors = []
    tab.dialogs = []
    tab.on("pageerror", lambda exc: tab.errors.append(str(exc)))
    tab.on("console", lambda msg: tab.errors.append(msg.text) if msg.type == "error" else None)

    def on_dialog(dialog: Any) -> None:
        tab.dialogs.append(dialog.message)
        dialog.dismiss()

    tab.on("dialog", on_dialog)
    yield tab
    tab.close()
