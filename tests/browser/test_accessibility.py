"""axe-core in Chromium on every kind of page (issue 22): home, results, zero results, errors,
an article and the analyses' pages (entity, map, series, story), in both languages, at phone
and desktop sizes, with the phone's filter drawer open too. Every rule axe runs by default
(WCAG 2.0–2.2 A/AA and best practices): 0 violations.

axe-core is vendored (tests/browser/vendor/axe-core, MPL-2.0) and evaluated into the page
through the browser's devtools protocol, which the page's CSP does not govern; nothing is
fetched at run time.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import LiveServer
from tests.conftest import REPO

pytestmark = pytest.mark.browser

AXE = REPO / "tests" / "browser" / "vendor" / "axe-core" / "axe.min.js"
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
PAGES = {
    "home": ("/", 200),
    "results": ("/?q=banjir", 200),
    "results-filtered": ("/?q=banjir&outlet=Kabar+Nusantara&from=2025-11-01&to=2025-11-30", 200),
    "zero-results": ("/?q=zzqqxxyy&as_typed=1", 200),
    "stopwords": ("/?q=yang", 200),
    "bad-query": ('/?q="', 400),
    "not-found": ("/articles/no-such-article", 404),
    "article": ("/articles/kn-2025-0001?q=banjir&page=2", 200),
    # The analyses (issue 21): an entity page, the co-occurrence map, coverage over time and
    # a story page.
    "entity": ("/entitas/place/Bekasi", 200),
    "map": ("/peta?q=banjir", 200),
    "series": ("/tren?compare=banjir&compare=gempa", 200),
    "story": ("/cerita/kn-2025-0008", 200),
}
RUN_AXE = """async () => {
  const result = await axe.run(document, {
    resultTypes: ["violations"],
    rules: { "target-size": { enabled: true } },  // WCAG 2.2: touch targets of 24 px or more
  });
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + " — " + n.failureSummary)
  }));
}"""


def violations(page: Any) -> list[dict[str, Any]]:
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    result: list[dict[str, Any]] = page.evaluate(RUN_AXE)
    return result


def test_axe_is_vendored_with_its_licence() -> None:
    folder = AXE.parent
    assert AXE.stat().st_size > 100_000
    assert "Mozilla Public License, version 2.0" in (folder / "LICENSE").read_text()


def test_axe_finds_what_it_should(page: Any, site: LiveServer) -> None:
    """The harness is live: a control without a label and a tiny target are reported."""
    page.goto(site.url + "/?q=banjir")
    page.evaluate(
        """() => {
          const box = document.createElement("input");
          box.type = "checkbox";
          box.style.cssText = "width:8px;height:8px;margin:0";
          const link = document.createElement("a");
          link.href = "/"; link.textContent = "x";
          link.style.cssText = "display:inline-block;width:8px;height:8px;font-size:6px";
          document.querySelector("#results").prepend(box, link);
        }"""
    )
    assert {"label", "target-size"} <= {v["id"] for v in violations(page)}


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("name", list(PAGES))
def test_no_axe_violations(page: Any, site: LiveServer, name: str, lang: str, size: str) -> None:
    path, status = PAGES[name]
    page.set_viewport_size(SIZES[size])
    sep = "&" if "?" in path else "?"
    response = page.goto(f"{site.url}{path}{sep}lang={lang}")
    assert response.status == status
    assert page.locator("html").get_attribute("lang") == lang
    assert page.locator("h1").count() == 1
    found = violations(page)
    assert found == [], found
    if name.startswith("results") and size == "phone":
        page.locator("#filter-toggle").click()
        assert page.locator("#facets").is_visible()
        found = violations(page)
        assert found == [], found
    # The error pages' own status is logged by the browser; nothing else may be.
    expected = f"status of {status} "
    assert [e for e in page.errors if status == 200 or expected not in e] == [], page.errors
