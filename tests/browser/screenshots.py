"""The README's screenshots, from the browser tests' own set-up (`make screenshots`).

The sample archive indexed as the browser tests index it, served as they serve it, and shot in
Debian's Chromium at desktop (1280×900) and phone (390×844) sizes into docs/screenshots/.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from indexer.build import rebuild_index
from tests.browser.conftest import CHROMIUM_ARGS, SAMPLE, LiveServer
from tests.conftest import REPO

OUT = REPO / "docs" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
RESULTS = "/?q=banjir&outlet=Kabar+Nusantara&outlet=Warta+Timur&from=2025-11-01&to=2025-11-30"
# (file, viewport, path, open the phone's filter drawer)
SHOTS = [
    ("results-desktop.png", DESKTOP, RESULTS + "&lang=en", False),
    ("results-phone.png", PHONE, RESULTS + "&lang=en", False),
    ("filters-phone.png", PHONE, RESULTS + "&lang=en", True),
]


def main() -> int:
    chromium = shutil.which("chromium")
    if chromium is None:
        print("no chromium on PATH: make browser installs it", file=sys.stderr)
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        index_dir = Path(tmp) / "index"
        rebuild_index([p for p in SAMPLE if p.exists()], index_dir)
        server = LiveServer(index_dir)
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
                for name, viewport, path, drawer in SHOTS:
                    page = browser.new_page(viewport=viewport, locale="id-ID")
                    page.goto(server.url + path)
                    if drawer:
                        page.locator("#filter-toggle").click()
                        page.wait_for_timeout(300)  # the drawer's slide
                    page.screenshot(path=str(OUT / name))
                    page.close()
                    print(OUT / name)
                browser.close()
        finally:
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
