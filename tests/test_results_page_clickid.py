"""The results page on real news (issue 22): CLICK-ID's riot and Kazakhstan articles (2019) and
the five seeds (January 2022), as the issue tried it. Presets count days that hold articles, the
years offered are the years present, and the timeline zooms into September 2019. Skips without
../shared."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from flask.testing import FlaskClient

from tests.conftest import NEWS, SEEDS
from tests.test_counts_clickid import kazakhstan  # noqa: F401 (the module's index, built again)
from tests.webui.pages import qs, soup_of

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not NEWS.exists() or not SEEDS.exists(), reason="needs ../shared"),
]


def total(soup: BeautifulSoup) -> int:
    return int(soup.select_one("#total")["data-total"])


def test_presets_reach_back_past_the_seeds(kazakhstan: FlaskClient) -> None:  # noqa: F811
    soup = soup_of(kazakhstan, "/?q=kerusuhan&lang=en")
    presets = {a.get_text(): a["href"] for a in soup.select(".presets a")}
    # The years that hold articles: not 2020 and 2021, which hold none.
    assert [k for k in presets if k.isdigit()] == ["2019", "2022"]
    # The seeds hold only a few days of 2022: the last 30 days with articles reach into 2019
    # and find far more than the seeds.
    last_30 = qs(presets["Last 30 days with articles"])
    assert last_30["from"][0].startswith("2019-") and last_30["to"][0].startswith("2022-01-")
    assert total(soup_of(kazakhstan, presets["Last 30 days with articles"])) > 5


def test_zoom_into_september_2019(kazakhstan: FlaskClient) -> None:  # noqa: F811
    soup = soup_of(kazakhstan, "/?q=kerusuhan&from=2019-01-01&to=2019-12-31&lang=en")
    assert soup.select_one("#histogram a.slot")["data-interval"] == "month"
    september = soup.select_one("#histogram a.slot[data-from='2019-09-01']")
    assert september["aria-label"].startswith("1–30 Sep 2019: ")
    soup = soup_of(kazakhstan, september["href"] + "&lang=en")
    weeks = soup.select("#histogram a.slot")
    assert {a["data-interval"] for a in weeks} == {"week"} and len(weeks) >= 4
    in_september = total(soup)
    # Every article of September sits in one of the weeks drawn (edge weeks reach outside).
    counted = sum(
        int(a["aria-label"].rsplit(": ", 1)[1].split()[0].replace(",", "")) for a in weeks
    )
    assert counted >= in_september > 0
    assert qs(soup.select_one("#zoom-out")["href"])["from"] == ["2019-01-01"]
