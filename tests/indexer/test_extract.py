"""Raw record → Article: outlet, publication date, title and a clean body."""

from __future__ import annotations

import gzip
import json
import random
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.boilerplate import Cleaned, clean_paragraphs, normalise, split_paragraphs
from indexer.date_evidence import ArchiveYears
from indexer.extract import (
    DATELINE_SEPARATORS,
    _dateline_re,
    extract_article,
    find_dateline,
    strip_title_suffix,
)
from indexer.inspect_cmd import inspect_command
from indexer.models import RawRecord
from indexer.outlets import load_registry

TODAY = date(2026, 5, 1)


def clean_body(text: str) -> Cleaned:
    """`clean_paragraphs` over the paragraphs of `text` (as extraction cleans a body)."""
    return clean_paragraphs(split_paragraphs(text))


RAW = Path(__file__).parents[1] / "data" / "raw"
SHARED = Path(__file__).resolve().parents[3] / "shared"
SEEDS = SHARED / "seeds"
CLICKID = SHARED / "data" / "news-clickid.jsonl.gz"


def txt(title: str, body: str, **sidecar: str) -> RawRecord:
    return RawRecord("t", "t.txt", None, {"title": title, "body": body}, dict(sidecar))


def rec(**fields: str | None) -> RawRecord:
    return RawRecord("r", "r.jsonl", 1, dict(fields))


@dataclass
class Case:
    record: RawRecord
    outlet: str | None = None
    outlet_source: str = "none"
    published: date | None = None
    date_source: str = "none"
    removed: list[str] = field(default_factory=list)  # each must be in Article.removed
    kept: list[str] = field(default_factory=list)  # each must stay in the body
    title: str | None = None


LEAD = "Pemerintah daerah meresmikan jembatan baru yang menghubungkan dua kecamatan di pesisir."
SENT = "Jembatan itu dibangun selama dua tahun dengan anggaran daerah."

CASES: dict[str, Case] = {
    # -- outlet: metadata, URL, dateline, self-reference, quoted sources ------------------------
    "metadata outlet mapped to canonical": Case(
        rec(title="Judul", body=LEAD, outlet="kompas.com"),
        outlet="Kompas.com",
        outlet_source="metadata",
        kept=[LEAD],
    ),
    "unknown metadata outlet kept as given": Case(
        rec(title="Judul", body=LEAD, outlet="Harian Lokal"),
        outlet="Harian Lokal",
        outlet_source="metadata",
    ),
    "url domain": Case(
        rec(title="Judul", body=LEAD, url="https://nasional.sindonews.com/read/1"),
        outlet="SINDOnews",
        outlet_source="url",
    ),
    "metadata beats url": Case(
        rec(title="J", body=LEAD, url="https://www.tribunnews.com/x", outlet="Tribunnews"),
        outlet="Tribunnews.com",
        outlet_source="metadata",
    ),
    "dateline KONTAN.CO.ID - CITY.": Case(
        txt("Judul", f"KONTAN.CO.ID - NUR-SULTAN.\xa0{LEAD}\n\n{SENT}"),
        outlet="Kontan",
        outlet_source="dateline",
        removed=["KONTAN.CO.ID - NUR-SULTAN."],
        kept=[LEAD, SENT],
    ),
    "dateline MATA INDONESIA, CITY –": Case(
        txt("Judul", f"Baca Juga\n\nMATA INDONESIA, ALMATY – {LEAD}"),
        outlet="Mata Indonesia",
        outlet_source="dateline",
        removed=["MATA INDONESIA, ALMATY –", "Baca Juga"],
        kept=[LEAD],
    ),
    "dateline glued dash maiwanews-": Case(
        txt("Judul", f"maiwanews- {LEAD}"),
        outlet="Maiwa News",
        outlet_source="dateline",
        kept=[LEAD],
    ),
    "dateline CITY, KOMPAS.com -": Case(
        txt("Judul", f"JAKARTA, KOMPAS.com - {LEAD}"),
        outlet="Kompas.com",
        outlet_source="dateline",
        removed=["JAKARTA, KOMPAS.com -"],
    ),
    "dateline TEMPO.CO, City -": Case(
        txt("Judul", f"TEMPO.CO, Jakarta - {LEAD}"),
        outlet="Tempo.co",
        outlet_source="dateline",
    ),
    "dateline after credit, section and lead": Case(
        txt("Judul", f"AFP\nDunia\n\n{LEAD} {SENT} {LEAD}\n\nWowKeren - {SENT}"),
        outlet="WowKeren",
        outlet_source="dateline",
        removed=["AFP", "Dunia", "WowKeren -"],
        kept=[LEAD, SENT],
    ),
    "dateline on the title line": Case(
        txt("Intisari-Online.com - Beberapa waktu lalu terjadi kerusuhan.", SENT),
        outlet="Intisari Online",
        outlet_source="dateline",
        title="Beberapa waktu lalu terjadi kerusuhan.",
        kept=["Beberapa waktu lalu terjadi kerusuhan.", SENT],
    ),
    "self-reference Follow Berita … di Google News": Case(
        txt("Judul", f"{LEAD}\n\nFollow Berita WowKeren.com di Google News"),
        outlet="WowKeren",
        outlet_source="self-reference",
        removed=["Follow Berita WowKeren.com di Google News"],
    ),
    "quoted seperti dikutip Reuters is not the publisher": Case(
        txt(
            "Judul",
            f'"Kita bicara tentang kudeta," kata Tokayev, seperti dikutip Reuters.\n\n{SENT}',
        ),
        kept=["seperti dikutip Reuters."],
    ),
    "quoted Dilansir dari bbc.com is not the publisher": Case(
        txt("Judul", f"Dilansir dari bbc.com pada Selasa (11/1/2022), {LEAD}"),
        published=date(2022, 1, 11),
        date_source="text",
    ),
    "quoted Mengutip Reuters / melansir Tass": Case(
        txt("Judul", f"Mengutip Reuters, {LEAD}\n\nmelansir kantor berita Rusia, Tass, {SENT}"),
        kept=["Mengutip Reuters,", "Tass,"],
    ),
    "agency dateline is not a publisher": Case(
        txt("Judul", f"Reuters - {LEAD}"),
        kept=[f"Reuters - {LEAD}"],
    ),
    "outlet name inside a sentence is not a dateline": Case(
        txt("Judul", f"Menurut Kompas.com, {LEAD}"),
        kept=[f"Menurut Kompas.com, {LEAD}"],
    ),
    # -- dates ------------------------------------------------------------------------------
    "numeric full date with weekday": Case(
        txt("Judul", f"{LEAD} Selasa (11/1/2022)."),
        published=date(2022, 1, 11),
        date_source="text",
    ),
    "numeric zero-padded": Case(
        txt("Judul", f"Pertemuan berlangsung pada hari Senin (10/01/2022). {SENT}"),
        published=date(2022, 1, 10),
        date_source="text",
    ),
    "month name Indonesian": Case(
        txt("Judul", f"{LEAD} melansir Tass, Selasa, 11 Januari 2022."),
        published=date(2022, 1, 11),
        date_source="text",
    ),
    "month abbreviation": Case(
        txt("Judul", f"{LEAD} Diterbitkan 10 Jan 2022."),
        published=date(2022, 1, 10),
        date_source="text",
    ),
    "ISO in text": Case(
        txt("Judul", f"{LEAD} (diperbarui 2022-01-10)"),
        published=date(2022, 1, 10),
        date_source="text",
    ),
    # Monday 10 January: 2022, 2011, 2005…; nothing here says which (the archive's years,
    # tests/test_date_choice.py, would).
    "partial date alone: no date rather than a guess": Case(
        txt("Judul", f"Tokayev berbicara pada Senin (10/1). {SENT}"),
    ),
    "partial date uses the year of another full date": Case(
        txt("Judul", f"Aksi dimulai 2 September 2019. Polisi bertindak Senin (16/9). {SENT}"),
        published=date(2019, 9, 16),
        date_source="weekday-inferred",
    ),
    "metadata date wins": Case(
        rec(title="J", body=f"{LEAD} Senin (10/1).", published="2021-12-31"),
        published=date(2021, 12, 31),
        date_source="metadata",
    ),
    "unreadable metadata date falls back to text": Case(
        rec(title="J", body=f"{LEAD} Selasa (11/1/2022).", published="kemarin"),
        published=date(2022, 1, 11),
        date_source="text",
    ),
    "no date at all": Case(txt("Judul", LEAD), kept=[LEAD]),
    "standalone date line is removed and used": Case(
        txt("Judul", f"Senin, 3 Januari 2022 | 14:05 WIB\n\n{LEAD} Kamis (6/1/2022)."),
        published=date(2022, 1, 3),
        date_source="text",
        removed=["Senin, 3 Januari 2022 | 14:05 WIB"],
    ),
    # -- boilerplate --------------------------------------------------------------------------
    "Baca Juga with title": Case(
        txt(
            "Judul",
            f"{LEAD}\n\nBaca Juga: China-Rusia Sepakat akan Melindungi Kazakhstan\n\n{SENT}",
        ),
        removed=["Baca Juga: China-Rusia Sepakat akan Melindungi Kazakhstan"],
        kept=[LEAD, SENT],
    ),
    "comment form and teaser block": Case(
        txt(
            "Judul",
            f"{LEAD}\n\nTINGGALKAN KOMENTAR\n\nSilakan masukkan komentar anda!\n"
            "Silakan masukkan nama Anda di sini\n\nBerita Terbaru\n\n"
            "Tindakan OPM Semakin Keji, Negara Tegaskan Tidak Akan Kalah\n\n"
            "Organisasi Papua Merdeka (OPM) banyak melancarkan aksi. Maka dari itu, negara...\n"
            "- Advertisement -\n\nBaca berita yang ini",
        ),
        removed=[
            "TINGGALKAN KOMENTAR",
            "Silakan masukkan komentar anda!",
            "Silakan masukkan nama Anda di sini",
            "Berita Terbaru",
            "Tindakan OPM Semakin Keji, Negara Tegaskan Tidak Akan Kalah",
            "Organisasi Papua Merdeka (OPM) banyak melancarkan aksi. Maka dari itu, negara...",
            "- Advertisement -",
            "Baca berita yang ini",
        ],
        kept=[LEAD],
    ),
    "sharing, recommendations, editor tag": Case(
        txt(
            "Judul",
            f"{LEAD}\n\n(wk/elva)\n\nYou can share this post!\n\nRekomendasi Artikel\nBerita Terkait",
        ),
        removed=["(wk/elva)", "You can share this post!", "Rekomendasi Artikel", "Berita Terkait"],
    ),
    "trailing editor tag glued to the last sentence": Case(
        txt("Judul", f"{LEAD}\n\n{SENT} (Kremlin/z)"),
        removed=["(Kremlin/z)"],
        kept=[SENT],
    ),
    "image file name and caption": Case(
        txt(
            "Judul",
            "20220110-konferensi-video-csto-terkait-kazakhstan\n"
            "Konferensi video negara-negara anggota CSTO. Senin, 10 Januari 2022.\n\n"
            f"{LEAD}",
        ),
        removed=[
            "20220110-konferensi-video-csto-terkait-kazakhstan",
            "Konferensi video negara-negara anggota CSTO. Senin, 10 Januari 2022.",
        ],
        kept=[LEAD],
    ),
    "comma-joined paragraphs (news-clickid)": Case(
        rec(
            title="J",
            body=f'{LEAD},Baca juga:,,{SENT},"Kami senang," katanya.,,,loading...',
            url="https://www.posmetro-medan.com/x",
        ),
        outlet="Pos Metro Medan",
        outlet_source="url",
        removed=["Baca juga:", "loading..."],
        kept=[LEAD, SENT, '"Kami senang," katanya.'],
    ),
    "Baca juga title glued to the next paragraph": Case(
        rec(title="J", body=f"{LEAD},Baca juga: Layanan Error, Bos Minta Maaf,,{SENT}"),
        removed=["Baca juga: Layanan Error, Bos Minta Maaf"],
        kept=[LEAD, SENT],
    ),
    "quotes are never removed": Case(
        txt("Judul", '"Saya tidak ragu," katanya.\n\n“Ini serangan teror,” ungkapnya.\n\n"Ya."'),
        kept=['"Saya tidak ragu," katanya.', "“Ini serangan teror,” ungkapnya.", '"Ya."'],
    ),
    "one-word paragraph inside the article stays": Case(
        txt("Judul", f"{LEAD} {SENT} {LEAD}\n\nDunia\n\n{SENT}"),
        kept=["Dunia"],
    ),
    # -- title ------------------------------------------------------------------------------
    "title suffix - Kompas.com": Case(
        txt("Banjir Rendam Jakarta - Kompas.com", LEAD), title="Banjir Rendam Jakarta"
    ),
    "title suffix | Tempo.co": Case(
        rec(title="Banjir Rendam Jakarta | Tempo.co", body=LEAD), title="Banjir Rendam Jakarta"
    ),
    "title with a dash that is not an outlet": Case(
        txt("Jakarta - Bandung Ditempuh 2 Jam", LEAD), title="Jakarta - Bandung Ditempuh 2 Jam"
    ),
    "missing title falls back to the body": Case(rec(title=None, body=SENT), title=SENT),
    # -- sidecar ------------------------------------------------------------------------------
    "sidecar wins over inference": Case(
        txt(
            "Judul",
            f"JAKARTA, KOMPAS.com - {LEAD} Selasa (11/1/2022).",
            outlet="TEMPO.CO",
            published="2022-01-05",
        ),
        outlet="Tempo.co",
        outlet_source="metadata",
        published=date(2022, 1, 5),
        date_source="metadata",
        removed=["JAKARTA, KOMPAS.com -"],
    ),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_extract_cases(case: Case) -> None:
    article = extract_article(case.record, today=TODAY)
    assert (article.outlet, article.outlet_source) == (case.outlet, case.outlet_source)
    assert (article.published, article.date_source) == (case.published, case.date_source)
    for line in case.removed:
        assert line in article.removed
    for text in case.kept:
        assert text in article.body
    for line in article.removed:
        if line not in (case.removed or []) and len(line) > 40:
            assert line not in article.body
    if case.title is not None:
        assert article.title == case.title


def test_at_least_thirty_cases() -> None:
    assert len(CASES) >= 30


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Judul - Kompas.com", "Judul"),
        ("Judul | Tempo.co", "Judul"),
        ("Judul - Halaman all", "Judul"),
        ("Judul – KapanLagi.com", "Judul"),
        ("Judul - Tidak Dikenal", "Judul - Tidak Dikenal"),
    ],
)
def test_strip_title_suffix(title: str, expected: str) -> None:
    assert strip_title_suffix(title, load_registry()) == expected


def test_registry_parameter(tmp_path: Path) -> None:
    extra = tmp_path / "o.json"
    extra.write_text('[{"name": "Kabar Maluku", "aliases": ["KABAR MALUKU"]}]', encoding="utf-8")
    record = txt("Judul", f"KABAR MALUKU, AMBON - {LEAD}")
    assert extract_article(record, today=TODAY).outlet is None
    article = extract_article(record, today=TODAY, registry=load_registry(extra))
    assert (article.outlet, article.outlet_source) == ("Kabar Maluku", "dateline")


def test_never_raises_on_odd_fields() -> None:
    record = RawRecord("x", "x", None, {"title": None, "body": None, "published": "2022-99-99"})
    article = extract_article(record, today=TODAY)
    assert (article.id, article.body, article.published) == ("x", "", None)


# -- properties --------------------------------------------------------------------------------

_words = st.sampled_from(
    [
        "Baca Juga:",
        "KONTAN.CO.ID -",
        "Senin (10/1)",
        "(wk/elva)",
        "AFP",
        "Berita Terbaru",
        "Follow Berita WowKeren.com di Google News",
        "maiwanews-",
        "...",
        ",",
        ".,",
        ",,",
        "loading...",
        "- Advertisement -",
        "Selasa, 11 Januari 2022",
        "\n",
        "\n\n",
        "kata",
        "Tokayev",
        '"',
        "”",
        "(",
        ")",
        "2022",
        "31/2",
        "Reuters",
        "Kompas.com",
        "|",
        "–",
    ]
)
_text = st.one_of(
    st.text(max_size=300),
    st.lists(st.one_of(_words, st.text(max_size=12)), max_size=40).map(" ".join),
    st.lists(st.one_of(_words, st.text(max_size=12)), max_size=40).map("".join),
)


def _is_subsequence(kept: list[str], paragraphs: list[str]) -> bool:
    it = iter(paragraphs)
    return all(any(k == p for p in it) for k in kept)


def _in_order_within(kept: list[str], paragraphs: list[str]) -> bool:
    """Each kept paragraph is (part of) a distinct input paragraph, in order."""
    it = iter(paragraphs)
    return all(any(k in p for p in it) for k in kept)


@settings(max_examples=300, deadline=None)
@given(title=_text, body=_text, published=st.one_of(st.none(), st.text(max_size=20)))
def test_extraction_never_raises_and_keeps_a_subsequence(
    title: str, body: str, published: str | None
) -> None:
    record = RawRecord("h", "h", None, {"title": title, "body": body, "published": published})
    article = extract_article(record, today=TODAY)
    assert article.id == "h"
    assert article.outlet_source in ("metadata", "url", "dateline", "self-reference", "none")
    assert article.date_source in ("metadata", "text", "weekday-inferred", "none")
    kept = article.body.split("\n") if article.body else []
    # The body is the input's paragraphs, some dropped, none rewritten: only the outlet's
    # dateline may be cut from the front of one (and the title line may come back first).
    title_line = " ".join(normalise(title).split())  # a title is one line
    assert _in_order_within(kept, [title_line, *split_paragraphs(body)])


@settings(max_examples=300, deadline=None)
@given(body=_text)
def test_cleaning_keeps_a_subsequence_of_the_paragraphs(body: str) -> None:
    cleaned = clean_body(body)
    units = split_paragraphs(body)
    assert _is_subsequence(cleaned.kept, units)
    assert len(cleaned.kept) + len(cleaned.removed) == len(units)


# -- the user's seeds --------------------------------------------------------------------------

SEED_EXPECTED = {
    "000": ("Kontan", date(2022, 1, 10), "weekday-inferred"),
    "001": ("Intisari Online", date(2022, 1, 11), "text"),
    "002": ("Mata Indonesia", date(2022, 1, 11), "text"),
    "003": ("WowKeren", date(2022, 1, 10), "weekday-inferred"),
    "004": ("Maiwa News", date(2022, 1, 10), "text"),
}
LISTED_BOILERPLATE = [
    "Baca Juga",
    "Baca berita yang ini",
    "Berita Terbaru",
    "Berita Terkait",
    "Rekomendasi Artikel",
    "TINGGALKAN KOMENTAR",
    "Silakan masukkan",
    "Advertisement",
    "Google News",
    "You can share this post",
    "20220110-konferensi-video",
    "Konferensi video negara-negara anggota CSTO.",  # its caption
    "(wk/elva)",
    "(Kremlin/z)",
    "Tindakan OPM",
    "KONTAN.CO.ID",
    "MATA INDONESIA",
    "maiwanews-",
    "Intisari-Online.com",
    "WowKeren -",
]


def _seed_record(path: Path) -> RawRecord:
    lines = path.read_text(encoding="utf-8").split("\n")
    first = next(i for i, line in enumerate(lines) if line.strip())
    return RawRecord(
        path.name, str(path), None, {"title": lines[first], "body": "\n".join(lines[first + 1 :])}
    )


def _sentences(text: str) -> list[str]:
    out: list[str] = []
    for line in text.split("\n"):
        if line.rstrip().endswith("..."):  # a teaser of another article, cut off
            continue
        out.extend(s for s in re.split(r"(?<=[.!?”\"])\s+", " ".join(line.split())) if len(s) > 25)
    return out


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the user's seeds are not here")
@pytest.mark.parametrize("seed", sorted(SEED_EXPECTED))
def test_seed_acceptance(seed: str) -> None:
    # Kontan and WowKeren write only "Senin (10/1)": the year comes from the weekday and the
    # years the other seeds state, gathered as a rebuild gathers them.
    years = ArchiveYears(TODAY)
    years.observe_all(_seed_record(p) for p in SEEDS.glob("*.txt"))
    [path] = SEEDS.glob(f"{seed}_*.txt")
    record = _seed_record(path)
    article = extract_article(record, today=TODAY, dates=years.hint())
    outlet, published, source = SEED_EXPECTED[seed]
    assert (article.outlet, article.published, article.date_source) == (outlet, published, source)
    for junk in LISTED_BOILERPLATE:
        assert junk not in article.body, junk
    assert "\nAFP\n" not in f"\n{article.body}\n"
    # No sentence lost: every sentence of the input is in the body, except the boilerplate
    # the body must not keep, and datelines (cut from the sentence they start).
    body = " ".join(" ".join(article.body.split("\n")).replace("\xa0", " ").split())
    for sentence in _sentences(record.fields["body"] or ""):
        if any(junk in sentence for junk in LISTED_BOILERPLATE) or sentence.endswith("..."):
            continue
        assert sentence in body, sentence


# -- news-clickid: already clean bodies must stay whole ------------------------------------------


@pytest.mark.slow
@pytest.mark.skipif(not CLICKID.is_file(), reason="news-clickid is not here")
def test_clickid_bodies_keep_their_characters() -> None:
    registry = load_registry()
    original = kept = count = 0
    with gzip.open(CLICKID, "rt", encoding="utf-8") as f:
        for i, line in enumerate(f):
            d = json.loads(line)
            fields = {k: d.get(k) for k in ("id", "url", "title", "outlet", "published", "body")}
            article = extract_article(
                RawRecord(d["id"], "clickid", i + 1, fields), today=TODAY, registry=registry
            )
            original += len((d["body"] or "").strip())
            kept += len(article.body)
            count += 1
    assert count == 21_938
    assert kept / original >= 0.98


# -- telusur inspect ---------------------------------------------------------------------------


def test_inspect_json() -> None:
    result = CliRunner().invoke(inspect_command, ["--json", "--today", "2022-02-01", str(RAW)])
    assert result.exit_code == 0, result.output
    rows = {row["id"]: row for row in map(json.loads, result.stdout.splitlines())}
    assert set(rows["kontan_partial_date.txt"]) >= {
        "id",
        "title",
        "outlet",
        "outlet_source",
        "published",
        "date_source",
        "body",
        "removed",
    }
    kontan = rows["kontan_partial_date.txt"]
    assert (kontan["title"], kontan["outlet"], kontan["outlet_source"]) == (
        "Harga Minyak Naik Tajam",
        "Kontan",
        "dateline",
    )
    # Only "Senin (10/1)", and two articles of the archive state a year: no date, and why.
    assert (kontan["published"], kontan["date_source"]) == (None, "none")
    assert kontan["dating"]["no_date_because"] == "ambiguous-year"
    [candidate] = kontan["dating"]["candidates"]
    assert candidate["written"] == "Senin (10/1)" and "2022, 2011" in candidate["rejected"]
    assert "Baca Juga: Harga Emas Turun Tipis Pagi Ini" in kontan["removed"]
    wow = rows["wowkeren_selfref.txt"]
    assert (wow["outlet"], wow["outlet_source"]) == ("WowKeren", "self-reference")
    sidecar = next(r for r in rows.values() if r["title"] == "Pemerintah Umumkan Kebijakan Baru")
    assert (sidecar["outlet"], sidecar["published"]) == ("Tempo.co", "2022-01-05")
    assert rows["j2"]["published"] is None and rows["j2"]["date_source"] == "none"
    assert rows["j1"]["outlet"] == "Okezone" and rows["j1"]["title"] == "Judul Pertama"


def test_inspect_json_with_the_users_span() -> None:
    result = CliRunner().invoke(
        inspect_command,
        [
            "--json",
            "--dates-between",
            "2022-01-01..2022-12-31",
            str(RAW / "kontan_partial_date.txt"),
        ],
    )
    assert result.exit_code == 0, result.output
    [kontan] = map(json.loads, result.stdout.splitlines())
    assert (kontan["published"], kontan["date_source"]) == ("2022-01-10", "weekday-inferred")
    assert any("--dates-between" in line for line in kontan["dating"]["evidence"])


def test_inspect_text() -> None:
    result = CliRunner().invoke(
        inspect_command, ["--dates-between", "2022", str(RAW / "kontan_partial_date.txt")]
    )
    assert result.exit_code == 0, result.output
    assert "outlet:    Kontan  (dateline)" in result.stdout
    assert "published: 2022-01-10  (weekday-inferred)" in result.stdout
    plain = CliRunner().invoke(inspect_command, [str(RAW / "kontan_partial_date.txt")])
    assert "published: -  (none)" in plain.stdout
    assert "the evidence leaves two or more years open" in plain.stdout
    assert "  - Baca Juga: Harga Emas Turun Tipis Pagi Ini" in result.stdout


def test_inspect_nothing_readable(tmp_path: Path) -> None:
    result = CliRunner().invoke(inspect_command, [str(tmp_path / "absent")])
    assert result.exit_code != 0


def test_every_dateline_the_regex_finds_holds_a_separator_the_gate_looks_for() -> None:
    """find_dateline skips paragraphs without any of DATELINE_SEPARATORS before its regex: each
    dateline the regex matches must hold one, or it would silently be missed."""
    registry = load_registry(None)
    pieces = [
        *("KONTAN.CO.ID", "KOMPAS.com", "Kompas.com", "TEMPO.CO", "MATA INDONESIA", "Kontan"),
        *("JAKARTA", "Jakarta", "NUR-SULTAN", "ALMATY", "Presiden", "maiwanews", "antaranews"),
        *(" ", "  ", ",", " , ", "(", ")", ".", "-", " - ", "–", "—", "--", ":", "|", '"', "“"),
        *("\t", "Tokayev", "menyatakan", "X"),
    ]
    rnd = random.Random(5)
    texts = ["".join(rnd.choices(pieces, k=rnd.randint(1, 10))) for _ in range(30_000)]
    found = [m.group(0) for t in texts if (m := _dateline_re(registry).match(t))]
    assert len(found) > 100  # the pieces do make datelines
    assert all(any(c in dateline for c in DATELINE_SEPARATORS) for dateline in found)
    assert find_dateline("JAKARTA, KOMPAS.com - Harga minyak naik", registry) is not None
