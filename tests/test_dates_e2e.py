"""Dates the production way: `rebuild-index` and `update-index` read the archive once for the
years its articles state, `--dates-between` bounds the rest, and the report counts how
articles got their dates and why some have none; the article page says where an inferred
date came from. At the end, CLICK-ID scored as `make eval-dates` scores it (slow)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from bench import eval_dates
from indexer.build import REPORT_NAME, rebuild_index
from indexer.cli import main
from search.models import SearchRequest
from search.service import SearchService
from tests.conftest import DATA, NEWS, article
from webui import create_app

TODAY = date(2026, 5, 1)
DATES = DATA / "dates"
TRUTH = json.loads((DATES / "truth.json").read_text(encoding="utf-8"))


def _dates_in(index_dir: Path) -> dict[str, str | None]:
    """Every article's id and publication date, as the API serves them."""
    service = SearchService(index_dir)
    try:
        hits = service.search(SearchRequest(q="", per_page=100)).hits
        return {h.id: h.published.isoformat() if h.published else None for h in hits}
    finally:
        service.close()


def _truth(folder: str) -> dict[str, str | None]:
    return {
        name.split("/", 1)[1]: t["published"]
        for name, t in TRUTH.items()
        if name.startswith(f"{folder}/")
    }


def test_a_2016_archive_takes_its_weekday_only_dates_from_its_explicit_years(
    tmp_path: Path,
) -> None:
    summary = rebuild_index([DATES / "batch2016"], tmp_path / "ix", today=TODAY)
    assert _dates_in(tmp_path / "ix") == _truth("batch2016")
    assert all(d.startswith("2016-") for d in _truth("batch2016").values() if d)
    assert summary.to_dict()["dates"] == {
        "by_source": {"text": 4, "weekday-inferred": 4},
        "no_date_because": {},
    }


def test_weekday_only_datelines_get_no_date_unless_the_user_gives_the_span(
    runner: CliRunner, tmp_path: Path
) -> None:
    archive, index_dir = str(DATES / "weekday2016"), str(tmp_path / "ix")
    plain = runner.invoke(main, ["rebuild-index", archive, "--index-dir", index_dir])
    assert plain.exit_code == 0, plain.output
    assert "Indexed 4 articles" in plain.output  # an unknown date never drops an article
    assert "no date (4 ambiguous-year)" in plain.output
    report = json.loads((tmp_path / "ix" / REPORT_NAME).read_text(encoding="utf-8"))
    assert report["dates"]["no_date_because"] == {"ambiguous-year": 4}
    assert set(_dates_in(tmp_path / "ix").values()) == {None}

    hinted = runner.invoke(
        main,
        ["rebuild-index", archive, "--index-dir", index_dir, "--dates-between", "2016..2017"],
    )
    assert hinted.exit_code == 0, hinted.output
    assert "dates: 4 weekday-inferred" in hinted.output
    assert _dates_in(tmp_path / "ix") == _truth("weekday2016")


def test_a_bad_span_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    args = ["rebuild-index", str(DATES / "weekday2016"), "--index-dir", str(tmp_path / "ix")]
    result = runner.invoke(main, [*args, "--dates-between", "2017..2016"])
    assert result.exit_code == 2
    assert "--dates-between" in result.output and "2016-01-01..2017-12-31" in result.output


def test_an_update_takes_the_years_of_the_index_when_it_brings_too_few(
    runner: CliRunner, tmp_path: Path
) -> None:
    index_dir = tmp_path / "ix"
    rebuild_index([DATES / "batch2016"], index_dir, today=TODAY)
    update = ["update-index", str(DATES / "weekday2016"), "--index-dir", str(index_dir)]
    # The same three weekday-only articles keep their 2016 dates (unchanged); the new one,
    # "Selasa (14/2)", falls on no day of 2016: added without a date.
    first = runner.invoke(main, update)
    assert first.exit_code == 0, first.output
    assert "Added 1, replaced 0, unchanged 3" in first.output
    assert "no date (1 weekday-conflict)" in first.output
    assert _dates_in(index_dir)["print-valentine.txt"] is None
    # The user's span says 2016-2017: Tuesday 14 February 2017.
    second = runner.invoke(main, [*update, "--dates-between", "2016-01-01..2017-12-31"])
    assert "Added 0, replaced 1, unchanged 3" in second.output, second.output
    assert _dates_in(index_dir)["print-valentine.txt"] == "2017-02-14"


def test_the_article_page_says_where_an_inferred_date_came_from(tmp_path: Path) -> None:
    rebuild_index([DATES / "batch2016"], tmp_path / "ix", today=TODAY)
    client = create_app({"INDEX_DIR": tmp_path / "ix", "TESTING": True}).test_client()
    weekday = client.get("/articles/kontan-ekspor.txt?lang=en").get_data(as_text=True)
    assert "21 Aug 2016" in weekday
    assert "year inferred from the weekday and the archive&#39;s other years" in weekday
    text = client.get("/articles/detik-tarif.txt?lang=id").get_data(as_text=True)
    assert "tanggal dibaca dari teks berita" in text


def test_a_metadata_date_says_nothing_more(make_index: Callable[..., Path]) -> None:
    index_dir = make_index([article("m1", "Judul", "Isi berita.", published="2020-05-01")])
    client = create_app({"INDEX_DIR": index_dir, "TESTING": True}).test_client()
    html = client.get("/articles/m1?lang=en").get_data(as_text=True)
    assert "1 May 2020" in html and 'class="date-source"' not in html


# -- CLICK-ID with its metadata hidden (make eval-dates) ----------------------------------------


@pytest.mark.slow
@pytest.mark.skipif(not NEWS.is_file(), reason="../shared/data/news-clickid.jsonl.gz is not here")
def test_clickid_dates_with_metadata_hidden() -> None:
    """The issue's bar: with the URL, wrong year ≤ 0.5% of dated articles, ≥ 90% within two
    days and coverage above the 77% of before; without it, wrong year ≤ 1%."""
    rows = list(eval_dates.read_clickid(NEWS, None))[::3]  # a third: the bar holds, 3x faster
    with_url = eval_dates.evaluate(rows, with_url=True, today=TODAY).as_dict()
    assert with_url["wrong_year"] <= 0.005
    assert with_url["within_2_days"] >= 0.90
    assert with_url["coverage"] > 0.77
    without = eval_dates.evaluate(rows, with_url=False, today=TODAY).as_dict()
    assert without["wrong_year"] <= 0.01
