"""Which date an article was published on, or none: the year is anchored before a weekday is
used, the inference abstains when the evidence leaves two years open, and the publication
date wins over event dates (indexer.date_choice, indexer.date_evidence)."""

from __future__ import annotations

import json
import os
from collections import Counter
from datetime import date, datetime
from pathlib import Path

import pytest

from indexer.date_evidence import (
    ArchiveDates,
    ArchiveYears,
    DateSpan,
    parse_span,
    path_date,
    span_of,
    url_date,
    year_span,
)
from indexer.extract import extract_article
from indexer.models import RawRecord
from indexer.sources import read_archive

TODAY = date(2026, 5, 1)
DATA = Path(__file__).parents[1] / "data" / "dates"
TRUTH = json.loads((DATA / "truth.json").read_text(encoding="utf-8"))
Outcome = tuple[date | None, str, str | None]  # published, date_source, why none


def txt(
    body: str, *, source: str = "arsip/berita.txt", line: int | None = None, **sidecar: str
) -> RawRecord:
    return RawRecord("a", source, line, {"title": "Judul Berita", "body": body}, dict(sidecar))


def dated(record: RawRecord, hint: ArchiveDates | None = None) -> Outcome:
    article = extract_article(record, today=TODAY, dates=hint)
    reason = article.dating.reason if article.dating else None
    return article.published, article.date_source, reason


def batch(first: int, last: int) -> ArchiveDates:
    """What the first pass finds in an archive whose articles state these years."""
    return ArchiveDates(whole=year_span(first, last, "the years the archive states"))


def between(text: str) -> ArchiveDates:
    return ArchiveDates(between=parse_span(text))


SUNDAY = "Warga berkumpul di alun-alun pada Minggu (21/8)."  # 21 Aug: a Sunday in 2016 and 2022

# -- the year, anchored before the weekday is used ------------------------------------------

YEARS: dict[str, tuple[RawRecord, ArchiveDates | None, Outcome]] = {
    # A weekday fixes the year only up to a 5-, 6- or 11-year cycle: 2005, 2011, 2016, 2022.
    "weekday alone: no date": (txt(SUNDAY), None, (None, "none", "ambiguous-year")),
    "the batch's years": (
        txt(SUNDAY),
        batch(2016, 2017),
        (date(2016, 8, 21), "weekday-inferred", None),
    ),
    "--dates-between": (
        txt(SUNDAY),
        between("2016-01-01..2017-12-31"),
        (date(2016, 8, 21), "weekday-inferred", None),
    ),
    "a year and month in the URL": (
        txt(SUNDAY, url="https://kabar.example/read/2016/08/warga-berkumpul"),
        None,
        (date(2016, 8, 21), "weekday-inferred", None),
    ),
    "the article's own full dates": (
        txt(f"{SUNDAY} Perayaan dibuka pada 17 Agustus 2016 oleh wali kota."),
        None,
        (date(2016, 8, 21), "weekday-inferred", None),
    ),
    "the URL beats the batch": (
        txt(SUNDAY, url="https://kabar.example/2011/08/warga"),
        batch(2016, 2017),
        (date(2011, 8, 21), "weekday-inferred", None),
    ),
    "a weekday that fits no year of the batch": (
        txt("Warga berkumpul di alun-alun pada Senin (21/8)."),
        batch(2016, 2016),
        (None, "none", "weekday-conflict"),
    ),
    "a wide batch leaves several years open": (
        txt(SUNDAY),
        batch(2005, 2025),
        (None, "none", "ambiguous-year"),
    ),
    "day and month without weekday: the URL's year": (
        txt("Warga berkumpul di alun-alun (21/8)."),
        ArchiveDates(),
        (None, "none", "no-year"),
    ),
    "day and month with the URL's month": (
        txt("Warga berkumpul di alun-alun (21/8).", url="https://kabar.example/2016/08/warga"),
        None,
        (date(2016, 8, 21), "year-inferred", None),
    ),
    # A full date in the URL or a one-article file's name is the publication date itself.
    "full date in the URL": (
        txt(SUNDAY, url="https://kabar.example/read/2016/08/22/warga-berkumpul"),
        None,
        (date(2016, 8, 22), "url", None),
    ),
    "date folders above the file": (
        txt(SUNDAY, source="arsip/2016/08/21/warga.txt"),
        None,
        (date(2016, 8, 21), "filename", None),
    ),
    "date in the file name": (
        txt(SUNDAY, source="arsip/20160821-warga.txt"),
        None,
        (date(2016, 8, 21), "filename", None),
    ),
    "a date in a folder higher up names the scrape, not the article": (
        txt(SUNDAY, source="backup-2023-11-01/kompas/warga.txt"),
        None,
        (None, "none", "ambiguous-year"),
    ),
    "a many-article file's name dates none of them": (
        txt(SUNDAY, source="arsip/2016-08-21.jsonl", line=3),
        None,
        (None, "none", "ambiguous-year"),
    ),
    "a written date outside --dates-between is not taken": (
        txt("Rapat digelar pada Selasa (11/1/2022)."),
        between("2016..2017"),
        (None, "none", "outside-dates-between"),
    ),
    "a written year far outside the batch is history, not the day of writing": (
        txt("Pelaku ditangkap pada Kamis (17/9/2015)."),
        batch(2019, 2019),
        (None, "none", "weak"),
    ),
}


@pytest.mark.parametrize(("record", "hint", "expected"), YEARS.values(), ids=YEARS.keys())
def test_the_year_is_anchored_before_the_weekday_is_used(
    record: RawRecord, hint: ArchiveDates | None, expected: Outcome
) -> None:
    assert dated(record, hint) == expected


# -- the publication date, not an event date -------------------------------------------------

EVENTS: dict[str, tuple[str, Outcome]] = {
    "the dateline's date over a later hearing": (
        "Jakarta, Senin (10/1/2022) - Hakim membacakan dakwaan.\n\n"
        "Sidang lanjutan digelar Kamis (20/1/2022) di ruang yang sama.",
        (date(2022, 1, 10), "text", None),
    ),
    "a reporting date over a scheduled hearing": (
        '"Kami siap membuktikan dakwaan," kata jaksa, Selasa (10/9/2019).\n\n'
        "Sidang akan dilanjutkan pada Kamis (26/9/2019) dengan agenda pemeriksaan saksi.",
        (date(2019, 9, 10), "text", None),
    ),
    "(ANTARA) dateline": (
        "Jakarta, 10/1/2022 (ANTARA) - Harga cabai rawit naik di pasar tradisional.",
        (date(2022, 1, 10), "text", None),
    ),
    "a line that is only a date": (
        "Senin, 3 Januari 2022 | 10:05 WIB\n\nRapat digelar Kamis (6/1/2022) pekan lalu.",
        (date(2022, 1, 3), "text", None),
    ),
    "the latest past date in the lead over history": (
        "Polisi menangkap pelaku pada Jumat (13/9/2019).\n\n"
        "Pelaku pernah ditahan pada 2 Februari 2015 silam.",
        (date(2019, 9, 13), "text", None),
    ),
    "a range only: no date": (
        "Festival kuliner digelar 10-12 Maret 2021 di Lapangan Merdeka.",
        (None, "none", "only-events"),
    ),
    "history only: no date": (
        "Pemilu pertama Indonesia digelar pada 29 September 1955 silam.",
        (None, "none", "only-events"),
    ),
    "a plan only: no date": (
        "Pemerintah akan meresmikan jembatan itu pada Senin (10/1/2022).",
        (None, "none", "only-events"),
    ),
    "a bare date deep in the body: no date": (
        "\n\n".join(f"Paragraf {n} tentang jembatan desa tanpa tanggal apa pun." for n in range(5))
        + "\n\nData jembatan dirilis 3 Januari 2022 oleh dinas pekerjaan umum",
        (None, "none", "weak"),
    ),
    "only a date after the ingestion day": (
        "Pertemuan para menteri berlangsung Senin (10/1/2028).",
        (None, "none", "after-today"),
    ),
    "no date at all": ("Warga berkumpul di alun-alun.", (None, "none", "no-date")),
}


@pytest.mark.parametrize(("body", "expected"), EVENTS.values(), ids=EVENTS.keys())
def test_the_publication_date_not_an_event_date(body: str, expected: Outcome) -> None:
    assert dated(txt(body)) == expected


def test_the_explanation_lists_candidates_and_evidence() -> None:
    record = txt(
        '"Kami siap," kata jaksa, Selasa (10/9/2019).\n\nSidang akan dilanjutkan Kamis (26/9).'
    )
    dating = extract_article(record, today=TODAY, dates=batch(2019, 2019)).dating
    assert dating is not None
    explained = dating.as_json()
    assert explained["date_source"] == "text" and explained["published"] == "2019-09-10"
    written = {c["written"]: c for c in explained["candidates"]}
    assert written["Kamis (26/9)"]["date"] == "2019-09-26"
    assert "plan" in written["Kamis (26/9)"]["cues"]
    assert "report" in written["Selasa (10/9/2019)"]["cues"]
    assert any("Selasa (10/9/2019)" in line for line in explained["evidence"])
    assert any("2019" in line for line in explained["evidence"])


def test_file_times_count_only_when_trusted(tmp_path: Path) -> None:
    path = tmp_path / "berita.txt"
    path.write_text(f"Judul\n\n{SUNDAY}\n", encoding="utf-8")
    saved = datetime(2016, 9, 1, 12).timestamp()
    os.utime(path, (saved, saved))
    record = txt(SUNDAY, source=str(path))
    assert dated(record, ArchiveDates()) == (None, "none", "ambiguous-year")
    trusted = ArchiveDates(trust_mtime=True)
    assert dated(record, trusted) == (date(2016, 8, 21), "weekday-inferred", None)


# -- our own archive: outlets' datelines, 2005-2025 --------------------------------------------


def _archive_dates(folder: Path, hint: DateSpan | None = None) -> dict[str, Outcome]:
    """Each article of `folder` dated as a rebuild dates it: a first pass over the archive
    for the years it states, then extraction."""
    records = [r for r in read_archive([folder]) if isinstance(r, RawRecord)]
    years = ArchiveYears(TODAY)
    years.observe_all(records)
    archive = years.hint(between=hint)
    return {Path(r.source).relative_to(DATA).as_posix(): dated(r, archive) for r in records}


def _truth(folder: str) -> dict[str, Outcome]:
    out = {}
    for name, t in TRUTH.items():
        if name.startswith(f"{folder}/"):
            published = date.fromisoformat(t["published"]) if t["published"] else None
            out[name] = (published, t["date_source"], t.get("no_date_because"))
    return out


@pytest.mark.parametrize("folder", ["styles", "batch2016"])
def test_our_archive_gets_every_date_right(folder: str) -> None:
    assert _archive_dates(DATA / folder) == _truth(folder)


def test_weekday_only_datelines_need_the_users_span() -> None:
    alone = _archive_dates(DATA / "weekday2016")
    assert set(alone.values()) == {(None, "none", "ambiguous-year")}
    hinted = _archive_dates(DATA / "weekday2016", parse_span("2016-01-01..2017-12-31"))
    assert hinted == _truth("weekday2016")


# -- evidence --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://regional.kompas.com/read/2019/09/10/21485171/judul", (2019, 9, 10)),
        ("https://kabar.example/news/20160821/judul", (2016, 8, 21)),
        ("https://kabar.example/berita/2016-08-21-judul.html", (2016, 8, 21)),
        ("https://www.posmetro-medan.com/2019/10/judul.html", (2019, 10, None)),
        ("https://daerah.sindonews.com/read/1439718/174/judul-1568474327", (2019, 9, 14)),
        ("https://bisnis.tempo.co/read/1249068/judul", None),
        ("https://news.okezone.com/read/2104689/judul", None),
        ("https://kabar.example/read?tanggal=2016-08-21", None),  # the query is not the path
        ("https://kabar.example/berita/201608/judul", None),  # six digits: a number
        (None, None),
    ],
)
def test_url_dates(url: str | None, expected: tuple[int, int, int | None] | None) -> None:
    found = url_date(url)
    assert (found and (found.year, found.month, found.day)) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("arsip/2016/08/21/judul.txt", (2016, 8, 21)),
        ("arsip/2016/08/judul.txt", (2016, 8, None)),
        ("arsip/2016/judul.txt", (2016, None, None)),
        ("arsip/kompas_2016-08-21_judul.txt", (2016, 8, 21)),
        ("2016/kompas/judul.txt", None),  # a year above a folder that is not a date
        ("arsip/judul.txt", None),
        ("arsip/2016/13/judul.txt", None),
    ],
)
def test_file_name_dates(source: str, expected: tuple[int, int | None, int | None] | None) -> None:
    found = path_date(source)
    assert (found and (found.year, found.month, found.day)) == expected


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("2016-01-01..2017-12-31", date(2016, 1, 1), date(2017, 12, 31)),
        ("2016..2017", date(2016, 1, 1), date(2017, 12, 31)),
        ("2016", date(2016, 1, 1), date(2016, 12, 31)),
        (" 2016-03-01..2016-06-30 ", date(2016, 3, 1), date(2016, 6, 30)),
    ],
)
def test_parse_span(text: str, first: date, last: date) -> None:
    span = parse_span(text)
    assert (span.first, span.last) == (first, last)


@pytest.mark.parametrize("text", ["2017..2016", "kemarin", "2016-02-30..2016-03-01", ""])
def test_parse_span_refuses(text: str) -> None:
    with pytest.raises(ValueError):
        parse_span(text)


def test_the_batch_span_leaves_out_rare_years_and_thin_groups() -> None:
    typos = span_of(Counter({2019: 300, 2020: 20, 2010: 2}), "batch")
    assert typos is not None and (typos.first.year, typos.last.year) == (2019, 2020)
    assert span_of(Counter({2016: 2}), "batch") is None


def _record(source: str, line: int | None, body: str) -> RawRecord:
    return RawRecord(f"{source}:{line}", source, line, {"title": "Judul", "body": body})


def test_archive_years_are_gathered_per_folder_and_file() -> None:
    years = ArchiveYears(TODAY)
    explicit16 = [_record(f"a/{n}.txt", None, "Hujan turun Senin (4/7/2016).") for n in range(3)]
    explicit22 = [_record("b.jsonl", n, "Hujan turun Selasa (11/1/2022).") for n in range(3)]
    few = [_record("c/1.txt", None, "Hujan turun Senin (4/7/2016).")]
    for record in [*explicit16, *explicit22, *few]:
        years.observe(record)
    hint = years.hint()
    assert hint.batch_span(explicit16[0]) == year_span(2016, 2016, hint.spans["a"].why)
    assert hint.batch_span(explicit22[0]) == year_span(2022, 2022, hint.spans["b.jsonl"].why)
    whole = hint.batch_span(few[0])  # one article states a year: the whole archive's span
    assert whole is not None and (whole.first.year, whole.last.year) == (2016, 2022)
    assert hint.for_records(explicit16).spans.keys() == {"a"}
