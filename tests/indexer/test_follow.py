"""`telusur follow`: feeds into a served index without a restart; link-only entries fetched
politely, and only with --fetch; bad feeds reported. Feeds and pages come from a site on
127.0.0.1 that each test starts (tests/local_site.py)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer.build import rebuild_index
from indexer.cli import main
from indexer.feeds import entry_date, read_feed
from indexer.fetch import FetchError, PoliteFetcher
from indexer.follow import every, parse_every
from tests.conftest import REPO
from tests.local_site import Site, local_site
from tests.sample_web import HAZE
from webui import create_app

SAMPLE_FEED = REPO / "sample_archive" / "web" / "umpan-kabar-nusantara.xml"


def rss(title: str, items: list[str]) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        f"<title>{title}</title><link>http://127.0.0.1/</link>{''.join(items)}</channel></rss>"
    )


def item(link: str, title: str, date: str, content: str | None = None) -> str:
    full = f"<content:encoded><![CDATA[{content}]]></content:encoded>" if content else ""
    return (
        f"<item><title>{title}</title><link>{link}</link><pubDate>{date}</pubDate>"
        f"<description>Ringkasan singkat.</description>{full}</item>"
    )


PARAGRAPHS = (
    "<p>Ribuan warga menyaksikan lomba perahu kora-kora di Teluk Ambon pada Minggu pagi.</p>"
    "<p>Panitia mencatat dua belas tim dari desa-desa pesisir ikut dalam lomba tahun ini.</p>"
)


@pytest.fixture
def site() -> Iterator[Site]:
    with local_site() as s:
        s.put("/robots.txt", "User-agent: *\nDisallow: /rahasia/\n", "text/plain")
        yield s


@pytest.fixture
def index_dir(tmp_path: Path) -> Path:
    ix = tmp_path / "ix"
    rebuild_index([REPO / "sample_archive" / "nasional.jsonl"], ix)
    return ix


def hits(client: object, q: str) -> list[dict[str, object]]:
    answer = client.get(f"/api/search?q={q}")  # type: ignore[attr-defined]
    assert answer.status_code == 200
    result: list[dict[str, object]] = answer.get_json()["hits"]
    return result


def test_follow_adds_a_new_entry_to_a_served_index_without_a_restart(
    site: Site, index_dir: Path, runner: CliRunner
) -> None:
    client = create_app({"INDEX_DIR": index_dir, "TESTING": True}).test_client()
    assert hits(client, "kora-kora") == []
    first = item(
        site.base + "/budaya/lomba-kora-kora",
        "Lomba Kora-kora Meriahkan Teluk Ambon",
        "Sun, 02 Nov 2025 06:30:00 +0900",
        PARAGRAPHS,
    )
    feed = site.put(
        "/rss.xml", rss("Suara Pesisir - Berita Maluku", [first]), "application/rss+xml"
    )

    result = runner.invoke(main, ["follow", feed, "--index-dir", str(index_dir)])
    assert result.exit_code == 0, result.output
    assert "Added 1, replaced 0, unchanged 0, skipped 0" in result.output
    found = hits(client, "kora-kora")  # the same app, no restart
    assert [h["title"] for h in found] == ["Lomba Kora-kora Meriahkan Teluk Ambon"]
    assert found[0]["outlet"] == "Suara Pesisir"
    assert found[0]["published"] == "2025-11-02"  # 06:30 WIT, not UTC's 1 November
    assert found[0]["id"] == site.base + "/budaya/lomba-kora-kora"

    # The next run: one new entry, one changed, nothing twice.
    changed = first.replace("dua belas tim", "empat belas tim")
    second = item(
        site.base + "/budaya/festival-pala",
        "Festival Pala Banda Dibuka",
        "Mon, 03 Nov 2025 09:00:00 +0900",
        PARAGRAPHS.replace("kora-kora", "pala"),
    )
    site.put("/rss.xml", rss("Suara Pesisir", [second, changed]), "application/rss+xml")
    again = runner.invoke(main, ["follow", feed, "--index-dir", str(index_dir)])
    assert "Added 1, replaced 1, unchanged 0" in again.output, again.output
    assert "empat belas tim" in client.get(  # type: ignore[attr-defined]
        "/api/articles/" + site.base + "/budaya/lomba-kora-kora"
    ).get_data(as_text=True)
    same = runner.invoke(main, ["follow", feed, "--index-dir", str(index_dir)])
    assert "Added 0, replaced 0, unchanged 2" in same.output, same.output
    assert all("Telusur" in r.user_agent for r in site.requests)


def test_link_only_entries_are_fetched_politely_and_only_with_fetch(
    site: Site, index_dir: Path, runner: CliRunner
) -> None:
    page = site.put("/kalbar/kabut-asap", HAZE)
    secret = site.put("/rahasia/berita", HAZE)
    items = [
        item(page, "Kabut Asap", "Thu, 18 Sep 2025 07:45:00 +0700"),
        item(secret, "Rahasia", "Thu, 18 Sep 2025 08:00:00 +0700"),
    ]
    feed = site.put("/feed", rss("Lintas Borneo", items), "application/rss+xml")
    ix = ["--index-dir", str(index_dir)]

    without = runner.invoke(main, ["follow", feed, *ix])
    assert without.exit_code == 0, without.output
    assert "skipped 2: link only" in without.output
    assert "/kalbar/kabut-asap" not in site.paths()

    site.requests.clear()
    fetched = runner.invoke(main, ["follow", feed, "--fetch", *ix])
    assert fetched.exit_code == 0, fetched.output
    assert "Added 1," in fetched.output and "fetched 1 pages" in fetched.output
    assert "skipped 1: robots.txt disallows" in fetched.output
    assert site.paths() == ["/robots.txt", "/feed", "/kalbar/kabut-asap"]  # never /rahasia/
    gaps = [b.at - a.at for a, b in zip(site.requests, site.requests[1:], strict=False)]
    assert min(gaps) >= 0.95, gaps  # one request per host per second
    assert all(r.user_agent.startswith("Telusur/") for r in site.requests)
    report = json.loads((index_dir / "last-update-report.json").read_text())
    assert report["command"] == "follow" and report["added"] == 1
    article = (
        create_app({"INDEX_DIR": index_dir, "TESTING": True})
        .test_client()
        .get("/api/articles/" + page)
        .get_json()
    )
    assert article["title"] == "Kabut Asap Kembali Selimuti Pontianak, Sekolah Diliburkan"
    assert (article["published"], article["date_source"]) == ("2025-09-18", "html-metadata")

    site.requests.clear()
    again = runner.invoke(main, ["follow", feed, "--fetch", *ix])
    assert "not fetched again: 1 links already indexed" in again.output, again.output
    assert "/kalbar/kabut-asap" not in site.paths()


def test_bad_feeds_are_reported_and_good_ones_still_read(
    site: Site, index_dir: Path, runner: CliRunner, tmp_path: Path
) -> None:
    broken = site.put("/rusak.xml", "<rss><channel><item><title>Putus", "application/rss+xml")
    page = site.put("/bukan-feed", "<html><body><p>Halo</p></body></html>")
    missing = site.base + "/tidak-ada.xml"
    ix = ["--index-dir", str(index_dir)]
    result = runner.invoke(main, ["follow", broken, page, missing, str(SAMPLE_FEED), *ix])
    assert result.exit_code == 0, result.output
    assert "read 2 of 4 feeds" in result.output  # the broken one as far as it goes
    assert "Added 1," in result.output  # the sample feed's entry with its full text
    report = json.loads((index_dir / "last-update-report.json").read_text())
    reasons = {s["source"]: s["reason"] for s in report["skipped"] if s["line"] is None}
    assert reasons[broken].startswith("malformed feed")
    assert reasons[page] == "not an RSS or Atom feed"
    assert reasons[missing] == f"HTTP status 404: {missing}"

    none = runner.invoke(main, ["follow", page, str(tmp_path / "hilang.xml"), *ix])
    assert none.exit_code != 0
    assert "no feed could be read" in none.output


def test_a_feed_date_is_read_in_the_feeds_own_time_zone() -> None:
    feed = read_feed(
        rss(
            "X", [item("http://127.0.0.1/a", "A", "Wed, 12 Nov 2025 06:20:00 +0700", PARAGRAPHS)]
        ).encode(),
        "feed.xml",
    )
    (record,) = feed.records
    assert record.fields["published"] == "2025-11-12"
    assert entry_date({"published": "2025-11-12T01:00:00+07:00"}).isoformat() == "2025-11-12"
    assert entry_date({"published": "kemarin"}) is None


def test_robots_txt_that_fails_keeps_telusur_away_and_one_that_is_missing_allows(
    site: Site,
) -> None:
    site.put("/robots.txt", "rusak", "text/plain", status=503)
    fetcher = PoliteFetcher(per_host=0)
    with pytest.raises(FetchError, match=r"robots\.txt .* answered 503"):
        fetcher.fetch(site.put("/a", HAZE))
    del site.pages["/robots.txt"]  # 404: no rules
    assert PoliteFetcher(per_host=0).fetch(site.base + "/a").status == 200
    with pytest.raises(FetchError, match="not an http"):
        fetcher.fetch("file:///etc/passwd")


def test_every_runs_again_after_the_interval_from_the_start_of_the_last_run() -> None:
    assert parse_every("15m") == 900 and parse_every("1h") == 3600 and parse_every("90") == 90
    for bad in ("0", "soon", "-5m"):
        with pytest.raises(ValueError):
            parse_every(bad)
    now = [0.0]
    slept: list[float] = []

    def run() -> None:
        now[0] += 2.0  # each run takes 2 s

    def sleep(s: float) -> None:
        slept.append(s)
        now[0] += s

    every(10.0, run, sleep=sleep, clock=lambda: now[0], runs=3)
    assert slept == [8.0, 8.0]


def test_the_cli_rejects_a_bad_interval(runner: CliRunner, index_dir: Path) -> None:
    result = runner.invoke(main, ["follow", str(SAMPLE_FEED), "--every", "kadang"])
    assert result.exit_code == 2
    assert "not a duration" in result.output
    assert not os.path.exists(index_dir / "last-update-report.json")


def test_saved_entries_come_back_in_a_rebuild(
    site: Site, index_dir: Path, runner: CliRunner, tmp_path: Path
) -> None:
    page = site.put("/kalbar/kabut-asap", HAZE)
    items = [
        item(
            site.base + "/budaya/lomba-kora-kora",
            "Lomba Kora-kora",
            "Sun, 02 Nov 2025 06:30:00 +0900",
            PARAGRAPHS,
        ),
        item(page, "Kabut Asap", "Thu, 18 Sep 2025 07:45:00 +0700"),
    ]
    feed = site.put("/feed", rss("Suara Pesisir", items), "application/rss+xml")
    kept = tmp_path / "umpan"
    result = runner.invoke(
        main, ["follow", feed, "--fetch", "--save", str(kept), "--index-dir", str(index_dir)]
    )
    assert "Added 2," in result.output, result.output
    followed = create_app({"INDEX_DIR": index_dir, "TESTING": True}).test_client()
    items_ids = [site.base + "/budaya/lomba-kora-kora", page]
    before = {i: followed.get("/api/articles/" + i).get_json() for i in items_ids}

    rebuilt = tmp_path / "ix2"
    again = runner.invoke(main, ["rebuild-index", str(kept), "--index-dir", str(rebuilt)])
    assert "Indexed 2 articles, skipped 0" in again.output, again.output
    client = create_app({"INDEX_DIR": rebuilt, "TESTING": True}).test_client()
    for doc_id in items_ids:
        after = client.get("/api/articles/" + doc_id).get_json()
        for key in ("title", "published", "body", "outlet"):
            assert after[key] == before[doc_id][key], (doc_id, key)
