"""Saved web pages and web archives (WARC), as `telusur rebuild-index` reads them beside .txt
and .jsonl: each article's title, outlet, date and its source, and a clean body; every bad
page or record reported with its reason, and nothing good lost."""

from __future__ import annotations

import gzip
import json
import shutil
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from index_format.settings import Settings
from indexer.cli import main
from indexer.extract import extract_article
from indexer.prepare import configure
from indexer.sources import read_archive
from search.service import SearchService
from tests.conftest import REPO
from tests.sample_web import HAZE, STARTUP, STARTUP_URL, Capture, write_warc

SAMPLE = REPO / "sample_archive"
OUTLETS = SAMPLE / "outlets.json"

# Every web article of the sample archive: what a reader of the page sees in it.
WEB_ARTICLES: dict[str, dict[str, Any]] = {
    "halaman/pompa-mobile-bekasi-utara.html.gz": {
        "title": "Pompa Mobile Dikerahkan ke Bekasi Utara, Genangan Mulai Surut",
        "url": "https://kabarnusantara.example/daerah/pompa-mobile-dikerahkan-ke-bekasi-utara",
        "outlet": ("Kabar Nusantara", "og:site_name"),
        "published": ("2025-11-06", "html-metadata"),
        "first": "Badan Penanggulangan Bencana Daerah (BPBD) Kota Bekasi mengerahkan delapan",
        "last": "dijadwalkan dimulai setelah musim hujan berakhir.",
        "paragraphs": 6,
    },
    "halaman/harga-tuna-ambon.htm": {
        "title": "Harga Tuna di Ambon Anjlok Usai Kebakaran Kapal",
        "url": "https://wartatimur.example/ekonomi/harga-tuna-ambon-anjlok",
        "outlet": ("Warta Timur", "og:site_name"),
        "published": ("2025-10-14", "html-metadata"),
        "first": "Harga ikan tuna di tingkat nelayan di Ambon turun hingga sepertiga",
        "last": "dibandingkan periode yang sama tahun lalu.",
        "paragraphs": 5,
    },
    "halaman/debat-ketiga-pilkada-makassar.html": {
        "title": "Debat Ketiga Pilkada Makassar Bahas Banjir dan Pelabuhan",
        "url": "https://hariancendana.example/politik/debat-ketiga-pilkada-makassar",
        "outlet": ("Harian Cendana", "url"),
        "published": ("2025-09-22", "html-metadata"),
        "first": "MAKASSAR – Tiga pasangan calon wali kota Makassar beradu gagasan",
        "last": "Debat terakhir dijadwalkan pada pertengahan Oktober.",
        "paragraphs": 4,
    },
    "halaman/festival-laut-banda-dibuka.html.gz": {
        "title": "Festival Laut Banda Dibuka, Ribuan Warga Padati Pantai",
        "url": "https://suarapesisir.example/budaya/festival-laut-banda-dibuka",
        "outlet": ("Suara Pesisir", "og:site_name"),
        "published": ("2025-10-25", "text"),  # no date in its metadata: its dateline's
        "first": "Banda Neira, Sabtu (25/10/2025) – Ribuan warga dan wisatawan memadati pantai",
        "last": "pameran kuliner, dan bersih pantai bersama.",
        "paragraphs": 4,
    },
    "https://lintasborneo.example/kalbar/kabut-asap-pontianak-sekolah-diliburkan": {
        "title": "Kabut Asap Kembali Selimuti Pontianak, Sekolah Diliburkan",
        "url": "https://lintasborneo.example/kalbar/kabut-asap-pontianak-sekolah-diliburkan",
        "outlet": ("Lintas Borneo", "og:site_name"),
        "published": ("2025-09-18", "html-metadata"),
        "first": "Kabut asap dari kebakaran lahan gambut kembali menyelimuti Kota Pontianak",
        "last": "segera memeriksakan diri ke puskesmas bila mengalami sesak napas.",
        "paragraphs": 4,
    },
    STARTUP_URL: {
        "title": "Lumbung Digital Buka Kantor Cabang di Makassar",
        "url": STARTUP_URL,
        "outlet": ("Media Khatulistiwa", "og:site_name"),
        "published": ("2025-10-02", "html-metadata"),
        "first": "Perusahaan rintisan agritech asal Bandung, PT Lumbung Digital Indonesia",
        "last": "hingga akhir tahun depan.",
        "paragraphs": 4,
    },
}
# What a page holds around its article, and what Telusur's own rules take out of the text.
NOT_IN_ANY_BODY = [
    "Baca Juga",
    "Baca juga",
    "ADVERTISEMENT",
    "Advertisement",
    "Beranda",
    "Tulis Komentar",
    "Hak Cipta",
    "Copyright",
    "©",
    "Berita Terkait",
    "Terpopuler",
    "Bagikan",
    "Editor:",
    "Reporter:",
    "(yl/wt)",
    "HARIAN CENDANA |",
    "Diterbitkan",
    "KABAR NUSANTARA, BEKASI",
    "WARTA TIMUR, AMBON",
]


@pytest.fixture
def sample_registry() -> Iterator[None]:
    """The CLI loads the user's outlet registry into this process: put the default back."""
    yield
    configure(Settings.from_env({}))


def _mixed_archive(tmp_path: Path) -> Path:
    archive = tmp_path / "arsip"
    shutil.copytree(SAMPLE / "halaman", archive / "halaman")
    shutil.copytree(SAMPLE / "kliping", archive / "kliping")
    (archive / "web").mkdir()
    shutil.copy(SAMPLE / "web" / "arsip-2025-11.warc.gz", archive / "web")
    shutil.copy(SAMPLE / "nasional.jsonl", archive)
    return archive


def test_rebuild_reads_txt_html_warc_and_jsonl_with_every_field_right(
    runner: CliRunner, tmp_path: Path, sample_registry: None
) -> None:
    archive = _mixed_archive(tmp_path)
    index_dir = tmp_path / "ix"
    result = runner.invoke(
        main,
        ["rebuild-index", str(archive), "--index-dir", str(index_dir)],
        env={"TELUSUR_OUTLETS_FILE": str(OUTLETS)},
    )
    assert result.exit_code == 0, result.output
    svc = SearchService(index_dir)
    for doc_id, want in WEB_ARTICLES.items():
        view, _ = svc.article(doc_id)
        assert view.title == want["title"], doc_id
        assert view.url == want["url"], doc_id
        assert (view.outlet, view.outlet_source) == want["outlet"], doc_id
        assert (str(view.published), view.date_source) == want["published"], doc_id
        paragraphs = view.body.split("\n")
        assert paragraphs[0].startswith(want["first"]), (doc_id, paragraphs[0])
        assert paragraphs[-1].endswith(want["last"]), (doc_id, paragraphs[-1])
        assert len(paragraphs) == want["paragraphs"], (doc_id, paragraphs)
        for junk in NOT_IN_ANY_BODY:
            assert junk not in view.body, (doc_id, junk)
    # The other formats beside them, as before.
    txt, _ = svc.article("kn-2025-0014")
    assert txt.title.startswith("Bahari FC") and txt.outlet == "Kabar Nusantara"
    jsonl, _ = svc.article("kn-2025-0001")
    assert (str(jsonl.published), jsonl.date_source) == ("2025-08-04", "metadata")
    svc.close()

    report = json.loads((index_dir / "last-build-report.json").read_text())
    assert report["skipped_by_reason"] == {
        "not an HTML page": 2,
        "HTTP status 404": 1,
        "revisit (captured before, not indexed twice)": 1,
    }
    repaired = {r["source"].rsplit("/", 1)[-1]: r["reason"] for r in report["repaired"]}
    assert repaired == {
        "debat-ketiga-pilkada-makassar.html": "charset: declared utf-8 but the bytes are "
        "Windows-1252; read as such"
    }
    assert report["dates"]["by_source"]["html-metadata"] == 5


def test_inspect_says_where_each_field_of_a_page_came_from(runner: CliRunner) -> None:
    page = SAMPLE / "halaman" / "pompa-mobile-bekasi-utara.html.gz"
    result = runner.invoke(main, ["inspect", str(page)])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "(og:title)" in out
    assert "(canonical link)" in out
    assert "Kabar Nusantara  (og:site_name)" in out
    assert "2025-11-06  (html-metadata: JSON-LD datePublished)" in out
    assert "(trafilatura)" in out
    assert "Baca Juga: KRL dan Tol Lumpuh Akibat Banjir Bekasi" in out  # listed as removed
    as_json = runner.invoke(main, ["inspect", "--json", str(page)])
    found = json.loads(as_json.output.splitlines()[0])["found"]
    assert found["published"] == "JSON-LD datePublished"


# -- bad input, all at once, beside good pages -----------------------------------------------------

NAV_ONLY = """<html><head><title>Indeks Berita - Kabar Nusantara</title></head><body>
<nav><a href="/">Beranda</a> <a href="/nasional">Nasional</a></nav>
<ul><li><a href="/a">Banjir</a></li><li><a href="/b">Pilkada</a></li></ul>
<footer>© 2025 Kabar Nusantara</footer></body></html>"""


def _page(title: str, sentence: str, charset: str = "utf-8") -> str:
    paragraphs = "".join(
        f"<p>{sentence} Kalimat ke-{i} dari berita ini ditulis untuk pengujian.</p>"
        for i in range(5)
    )
    return (
        f'<html><head><meta charset="{charset}"><title>{title}</title></head><body>'
        f"<article><h1>{title}</h1>{paragraphs}</article></body></html>"
    )


def _hostile_archive(tmp_path: Path) -> Path:
    archive = tmp_path / "arsip"
    archive.mkdir()
    (archive / "baik.html").write_text(_page("Berita baik", "Warga menanam pohon."))
    (archive / "tanpa-teks.html").write_text(NAV_ONLY)
    mislabelled = _page("Harga “cabai” naik", "Harga cabai naik — kata pedagang.")
    (archive / "salah-label.html").write_bytes(mislabelled.encode("cp1252"))
    (archive / "besar.html").write_text(_page("Besar", "Kata " * 30_000))
    (archive / "gambar.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10)
    good_gz = gzip.compress(_page("Berita gz", "Nelayan melaut lagi.").encode())
    (archive / "terpotong.html.gz").write_bytes(good_gz[: len(good_gz) // 2])
    (archive / "kosong.htm").write_bytes(b"")
    captures = [
        Capture("https://a.example/1", _page("Satu", "Sungai meluap.").encode()),
        Capture("https://a.example/logo.png", b"\x89PNG....", "image/png"),
        Capture("https://a.example/pindah", b"", status="301 Moved Permanently"),
        Capture("https://a.example/2", _page("Dua versi lama", "Jalan rusak.").encode()),
        Capture("https://a.example/3", STARTUP.encode(), "application/xhtml+xml"),
        Capture("https://a.example/2", _page("Dua versi baru", "Jalan diperbaiki.").encode()),
        Capture("https://a.example/1", b"", revisit=True),
        Capture("https://a.example/4", NAV_ONLY.encode()),
    ]
    write_warc(archive / "crawl.warc.gz", captures)
    whole = write_warc(
        tmp_path / "whole.warc",
        [Capture(f"https://b.example/{i}", HAZE.encode()) for i in (1, 2, 3)],
        gzip=False,
    )
    data = whole.read_bytes()
    (archive / "putus.warc").write_bytes(data[: len(data) - 400])  # the last record cut short
    (archive / "bukan.warc.gz").write_bytes(b"ini bukan arsip web sama sekali\n" * 20)
    return archive


def test_bad_pages_and_records_each_get_a_reason_and_good_ones_are_indexed(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("indexer.sources.web.MAX_PAGE_BYTES", 100_000)
    archive = _hostile_archive(tmp_path)
    index_dir = tmp_path / "ix"
    result = runner.invoke(main, ["rebuild-index", str(archive), "--index-dir", str(index_dir)])
    assert result.exit_code == 0, result.output
    report = json.loads((index_dir / "last-build-report.json").read_text())
    reasons = {(s["source"].rsplit("/", 1)[-1], s["line"]): s["reason"] for s in report["skipped"]}
    assert reasons.pop(("tanpa-teks.html", None)).startswith("no main text")
    assert reasons.pop(("besar.html", None)).startswith("page too large: 750,")
    assert reasons.pop(("gambar.html", None)) == "binary file, not text"
    assert reasons.pop(("terpotong.html.gz", None)).startswith("damaged gzip file")
    assert reasons.pop(("kosong.htm", None)) == "empty page"
    assert reasons.pop(("crawl.warc.gz", 5)).startswith("not an HTML page: image/png")
    assert reasons.pop(("crawl.warc.gz", 7)) == "HTTP status 301: https://a.example/pindah"
    assert reasons.pop(("crawl.warc.gz", 9)).startswith("duplicate id 'https://a.example/2'")
    assert reasons.pop(("crawl.warc.gz", 15)).startswith("revisit (captured before")
    assert reasons.pop(("crawl.warc.gz", 17)).startswith("no main text")
    assert reasons.pop(("putus.warc", 7)).startswith("file damaged: record cut short")
    assert reasons.pop(("bukan.warc.gz", None)).startswith("not a WARC file")
    assert reasons == {}

    svc = SearchService(index_dir)
    assert svc.article("baik.html")[0].title == "Berita baik"
    assert svc.article("https://a.example/1")[0].title == "Satu"
    assert svc.article("https://a.example/2")[0].title == "Dua versi baru"  # the later capture
    assert svc.article("https://a.example/3")[0].outlet == "MediaKhatulistiwa.com"
    assert svc.article("https://b.example/2")[0].title.startswith("Kabut Asap")
    repaired, _ = svc.article("salah-label.html")
    assert repaired.title == "Harga “cabai” naik"
    assert "naik — kata pedagang" in repaired.body
    svc.close()
    assert report["indexed"] == 7
    assert [r["reason"] for r in report["repaired"]] == [
        "charset: declared utf-8 but the bytes are Windows-1252; read as such"
    ]


def test_a_warc_is_read_in_memory_flat_in_its_size(tmp_path: Path) -> None:
    page = HAZE.encode()

    def peak(pages: int) -> int:
        warc = write_warc(
            tmp_path / f"{pages}.warc.gz",
            (Capture(f"https://b.example/{i}", page) for i in range(pages)),
        )
        tracemalloc.start()
        count = sum(1 for item in read_archive([warc]) if not hasattr(item, "reason"))
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert count == pages
        return top

    small, large = peak(100), peak(2000)
    assert large < small * 1.5 + 200_000, (small, large)


def test_a_crawled_page_was_published_by_the_day_it_was_captured(tmp_path: Path) -> None:
    text = (
        "<p>Ambon, Senin (23/9/2019) – Nelayan di Teluk Ambon kembali melaut setelah "
        "cuaca buruk mereda selama sepekan terakhir.</p>"
        "<p>Harga ikan di pasar tradisional mulai turun karena pasokan kembali normal.</p>"
    )
    html = f"<html><head><title>Nelayan melaut</title></head><body><article>{text}</article></body></html>"
    warc = write_warc(
        tmp_path / "c.warc.gz",
        [
            Capture("https://a.example/later", html.encode(), date="2019-09-30T01:00:00Z"),
            Capture("https://a.example/before", html.encode(), date="2019-09-20T01:00:00Z"),
        ],
    )
    later, before = [
        extract_article(r)  # today: the real day, years after the crawl
        for r in read_archive([warc])
        if not hasattr(r, "reason")
    ]
    assert (str(later.published), later.date_source) == ("2019-09-23", "text")
    assert before.published is None  # a date after its capture is not its publication
