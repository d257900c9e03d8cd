"""Issue #20, round 16: error kinds the fresh sets share that rounds 13-15 left. A stock code
written alone ("saham HMSP") is its listed company, from the alias file's IDX lines, where the
market is the subject; "Ratu"/"Raja" opening a name of two or three words is the name's own
(Ratu Tisha Destria, Ratu Atut Chosiyah, Raja Sapta Oktohari), a title before one name, a
numeral or a country (Raja Salman, Ratu Elizabeth II, Raja Yordania); countries the places
list lacked are places; a toll road is one place under its names ("Jalan Tol X" is "Tol X",
contractions from the alias file: Japek, Cipali); kinds of people, units and trains and
market measures are no entity (CPNS, UMKM, KRL, WTI: indexer/data/not_entities.tsv, held by
tests/test_entity_rules.py's honesty test). The texts are the articles' own (CLICK-ID), cut to the sentences that
matter."""

from __future__ import annotations

from collections import Counter
from importlib import resources

import pytest

from index_format.names import name_key
from indexer.entities import load_aliases
from tests.entity_cases import check_case, facets_of

CASES = [
    pytest.param(
        "Adapun menu saham hari ini yang bisa dicermati adalah BBCA, BBNI, JSMR, BMRI, BBRI, "
        "TLKM, HMSP, UNVR, GGRM dan ICBP.",
        "organisation",
        ["BCA", "BNI", "Bank Mandiri", "BRI", "HM Sampoerna", "Gudang Garam"],
        ["BBCA", "BBNI", "BMRI", "BBRI", "HMSP", "GGRM"],
        id="stock-codes-alone-are-their-companies",
    ),
    pytest.param(
        "Adapun menu saham yang bisa dicermati investor pada hari ini adalah ASII, BBNI, BBCA, "
        "BJTM, PWON, ASRI, SMRA, BSDE dan PTPP.",
        "organisation",
        ["Bank Jatim", "Pakuwon Jati", "Bumi Serpong Damai"],
        ["BJTM", "PWON", "BSDE"],
        id="codes-of-regional-banks-and-developers",
    ),
    pytest.param(
        "Harga saham PT Pakuwon Jati Tbk (PWON) naik 2 persen. PWON juga membagikan dividen.",
        "organisation",
        ["PT Pakuwon Jati Tbk"],
        ["Pakuwon Jati", "PWON"],
        id="the-articles-own-company-for-its-code-wins",
    ),
    pytest.param(
        "Kami siap menyelenggarakan pertandingan sebaik-baiknya, kata Sekretaris Jenderal PSSI, "
        "Ratu Tisha Destria.",
        "person",
        ["Ratu Tisha Destria"],
        ["Tisha Destria"],
        id="ratu-opening-a-name",
    ),
    pytest.param(
        "Tatu juga menyampaikan kabar terkait gedung PMI Banten yang dihibahkan pada zaman "
        "gubernur Banten Ratu Atut Chosiyah.",
        "person",
        ["Ratu Atut Chosiyah"],
        ["Atut Chosiyah"],
        id="ratu-after-a-title-and-region",
    ),
    pytest.param(
        "Ketua Olimpiade Indonesia (KOI) Raja Sapta Oktohari tampak begitu antusias melihat "
        "sprinter andalan Indonesia berlatih.",
        "person",
        ["Raja Sapta Oktohari"],
        ["Sapta Oktohari"],
        id="raja-opening-a-name",
    ),
    # Guards: a monarch named by one name, a numeral or his country keeps "Raja" as a title.
    pytest.param(
        "Raja Salman menyambut baik solidaritas Raja Abdullah II.",
        "person",
        ["Salman", "Abdullah"],
        ["Raja Salman", "Raja Abdullah II"],
        id="raja-salman-is-king-salman",
    ),
    pytest.param(
        "Ratu Elizabeth II membuka sidang parlemen, dihadiri Raja Yordania Abdullah II.",
        "person",
        [],
        ["Ratu Elizabeth II", "Ratu Elizabeth", "Raja Yordania Abdullah II"],
        id="a-queen-and-a-king-of-a-country",
    ),
    pytest.param(
        "Bupati Raja Ampat Abdul Faris Umlati meninjau lokasi.",
        "place",
        ["Raja Ampat"],
        ["Raja Ampat Abdul Faris Umlati", "Ampat Abdul Faris Umlati"],
        id="raja-ampat-stays-a-regency",
    ),
    pytest.param(
        "Progres pekerjaan konstruksi Jalan Tol Jakarta-Cikampek II (Elevated) mencapai 96,5%. "
        "Jalan tol ini berfungsi untuk menambah kapasitas Jalan Tol Jakarta-Cikampek eksisting. "
        "Kemacetan masih terjadi di Tol Japek arah Jakarta.",
        "place",
        ["Tol Jakarta-Cikampek", "Tol Layang Jakarta-Cikampek II"],
        ["Jalan Tol Jakarta-Cikampek", "Tol Japek", "Jalan Tol Jakarta-Cikampek II"],
        id="a-toll-road-under-its-names",
    ),
    pytest.param(
        "Kecelakaan itu tepatnya terjadi di Jalan Tol Jagorawi dari arah Bogor. Arus mudik di "
        "Tol Cikopo-Palimanan dan Tol Cipali padat.",
        "place",
        ["Tol Jagorawi", "Tol Cipali", "Bogor"],
        ["Jalan Tol Jagorawi", "Tol Cikopo-Palimanan"],
        id="jalan-tol-and-contractions",
    ),
    pytest.param(
        "Menteri BUMN Rini Soemarno melakukan pertemuan dengan Presiden Madagaskar Andry "
        "Rajoelani di Antananarivo. Warga negara Mozambik dan Zimbabwe ditangkap di bandara.",
        "place",
        ["Madagaskar", "Mozambik", "Zimbabwe"],
        ["Madagaskar Andry Rajoelani"],
        id="countries-the-list-lacked",
    ),
]


@pytest.mark.parametrize(("text", "facet", "present", "absent"), CASES)
def test_round16_case(text: str, facet: str, present: list[str], absent: list[str]) -> None:
    check_case(text, facet, present, absent)


def test_a_code_without_market_context_keeps_its_own_value() -> None:
    """A code's line carries context words: an article that is not about the market does not
    read four capitals as a company."""
    got = facets_of("BBNI membuka kantor cabang baru di Jayapura, Papua.")
    assert "BNI" not in got["organisation"], got


def test_stock_code_lines_are_codes_of_one_company() -> None:
    text = (resources.files("indexer") / "data" / "aliases.tsv").read_text(encoding="utf-8")
    rows = [
        line.split("\t")
        for line in text.splitlines()
        if "\tIDX stock code;" in line and not line.startswith("#")
    ]
    assert len(rows) >= 60
    assert all(len(r[0]) == 4 and r[0].isupper() and r[2] == "ORG" and r[4] for r in rows)
    assert [c for c, n in Counter(r[0] for r in rows).items() if n > 1] == []
    table = load_aliases(None)
    assert table.lookup("TLKM", "ORG", "saham TLKM naik") == "Telkom Indonesia"


def test_places_list_has_no_duplicates_and_holds_the_un_states_sampled() -> None:
    text = (resources.files("indexer.ner") / "places.txt").read_text(encoding="utf-8")
    keys = [name_key(w) for w in text.splitlines() if w and not w.startswith("#")]
    assert [k for k, n in Counter(keys).items() if n > 1] == []
    sample = ["Madagaskar", "San Marino", "Pantai Gading", "Eswatini", "Makedonia Utara"]
    assert [s for s in sample if name_key(s) not in set(keys)] == []
