"""The query language does what people type (#18): each case as a user typed it, through
GET /api/search and the search page, on an index written the production way in every history.

The corpus copies what CLICK-ID showed: Joko Anwar stories that say "Joko" often and "Presiden
Joko Widodo" once, or "Widodo" apart; a town Sastrawi would stem into another word (Pemangkat →
mangkat); articles that spell KPK out; ids that are not the article's URL.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup
from flask.testing import FlaskClient

from indexer.models import Article
from tests.conftest import article
from tests.indexes import HISTORIES, build_index
from webui import create_app

KOMPAS = "https://regional.kompas.com/read/2019/09/10/21485171/diduga-pasok-sabu-di-anambas"
WOWKEREN = "https://www.wowkeren.com/berita/tampil/00276207.html"


def _corpus() -> list[Article]:
    out = [
        article("kd1", "Upaya kudeta di Rusia", "Upaya kudeta gagal di Rusia."),
        article("kd2", "Kudeta militer di Myanmar", "Militer melakukan kudeta di Myanmar."),
        article("kd3", "Tuduhan kudeta", "Presiden menuduh ada upaya kudeta. Rusia membantah."),
        article("kd4", "Persik kudeta puncak klasemen", "Persik Kediri menggeser Mitra Kukar."),
        article("kd5", "Analisis politik", "Kudeta tidak pernah menjadi jalan keluar."),
        article("dp1", "DPR tunda RKUHP", "Rapat paripurna DPR menunda pengesahan RKUHP."),
        article("jd1", "Film baru tayang", "Judul film itu disebut dalam sidang KPK."),
        article(
            "url1",
            "Diduga pasok sabu di Anambas",
            "Polisi menangkap pemasok.",
            url=KOMPAS,
            outlet="Kompas.com",
            published="2019-09-10",  # as its URL says (extraction reads it there)
        ),
        article(WOWKEREN, "Franda absen main Instagram", "Franda jarang mengunggah foto."),
        article("pst", "Jadwal siaran", "Siaran dimulai pukul 10:30 menurut sumber Antara."),
        article("mk0", "Raja mangkat", "Raja itu mangkat pada usia 90 tahun. Rakyat berduka."),
        article("mk1", "Sultan mangkat", "Sultan mangkat kemarin. Warga berduka."),
    ]
    return out


def _kpk() -> list[Article]:
    """Articles naming KPK, and articles spelling it out (no "KPK" in them)."""
    out = [
        article(
            f"kp{i}",
            f"Revisi UU KPK disahkan {i}",
            f"DPR mengesahkan revisi UU KPK ke-{i}.",
            organisation=("KPK", "DPR"),
        )
        for i in range(8)
    ]
    out += [
        article(
            f"kf{i}",
            f"UU Komisi Pemberantasan Korupsi digugat {i}",
            f"Mahasiswa menggugat UU Komisi Pemberantasan Korupsi ke-{i} ke MK.",
        )
        for i in range(4)
    ]
    return out


def _names() -> list[Article]:
    """Names written together, and their words apart in articles BM25 favours."""
    # The name once, in long articles (as news names a person once, then shortens).
    filler = " ".join(["Pemerintah menyiapkan anggaran tambahan untuk daerah."] * 6)
    out = [
        article(
            f"sm{i}",
            f"Menkeu bicara pajak {i}",
            f"Menteri Keuangan Sri Mulyani Indrawati menjelaskan pajak. {filler}",
            person=("Sri Mulyani Indrawati",),
        )
        for i in range(10)
    ]
    out += [
        article(
            f"jw{i}",
            f"Jokowi resmikan bendungan {i}" if i < 3 else f"Presiden resmikan bendungan {i}",
            f"Presiden Joko Widodo meresmikan bendungan. {filler}",
            person=("Joko Widodo",),
        )
        for i in range(6)
    ]
    # "Joko" often, in a short title and body: BM25 favours them.
    anwar = "Sutradara Joko Anwar membalas cuitan Rachel. Joko menyindir. Joko menulis lagi. "
    out += [
        # As CLICK-ID's first hit for `joko widodo`: the president once.
        article(
            "ja0",
            "Joko Anwar 'perang' dengan Rachel",
            anwar + "Cuitan itu soal Presiden Joko Widodo.",
            person=("Joko Anwar", "Rachel Maryam", "Joko Widodo"),
        ),
        *(
            article(
                f"ja{i}",
                f"Joko Anwar garap film {i}",
                anwar + "Film itu dibintangi aktor Widodo Santoso.",
                person=("Joko Anwar", "Widodo Santoso"),
            )
            for i in (1, 2)
        ),
    ]
    out.append(
        # "Sri" and "Mulyani" apart, in a short title and body: BM25 favours it.
        article(
            "sx1",
            "Sri Sultan sapa pedagang Mulyani",
            "Sri Sultan menyapa Mulyani. Mulyani dan pedagang lain menyambut Sri Sultan.",
            person=("Sri Sultan", "Mulyani"),
        )
    )
    out += [
        article(
            f"pm{i}",
            f"Banjir di Pemangkat {i}",
            "Banjir merendam Kecamatan Pemangkat, Sambas. Warga Pemangkat mengungsi.",
            place=("Pemangkat", "Sambas"),
        )
        for i in range(4)
    ]
    return out


CORPUS = _corpus() + _kpk() + _names()
TEXT = {a.id: f"{a.title}\n{a.body}" for a in CORPUS}


@pytest.fixture(scope="module", params=HISTORIES)
def client(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[FlaskClient]:
    index_dir = tmp_path_factory.mktemp(f"qlang-{request.param}") / "index"
    build_index(index_dir, CORPUS, request.param)
    app = create_app({"INDEX_DIR": index_dir, "TESTING": True})
    yield app.test_client()
    app.extensions["telusur.search"].close()


def api(client: FlaskClient, q: str, **params: Any) -> dict[str, Any]:
    resp = client.get("/api/search", query_string={"q": q, "per_page": 50, **params})
    assert resp.status_code == 200, resp.get_json()
    body: dict[str, Any] = resp.get_json()
    return body


def page(client: FlaskClient, q: str, lang: str = "id") -> tuple[int, list[str]]:
    """The page's total and its hits' article ids, in order."""
    resp = client.get("/", query_string={"q": q, "per_page": 50, "lang": lang})
    assert resp.status_code == 200, resp.get_data(as_text=True)[:500]
    soup = BeautifulSoup(resp.get_data(as_text=True), "html.parser")
    ids = [
        unquote(urlsplit(a["href"]).path.removeprefix("/articles/"))
        for a in soup.select("#hits li.hit h3 a")
    ]
    return int(soup.select_one("#total")["data-total"]), ids


def both(client: FlaskClient, q: str) -> list[str]:
    """The hits' ids, the same on the API and the page (and the totals too)."""
    body = api(client, q)
    ids = [h["id"] for h in body["hits"]]
    assert page(client, q) == (body["total"], ids), q
    return ids


def holding(pattern: str) -> set[str]:
    return {i for i, text in TEXT.items() if re.search(pattern, text, re.IGNORECASE)}


def test_not_in_capitals_excludes(client: FlaskClient) -> None:
    body = api(client, "kudeta NOT rusia")
    assert body["partial"] is None  # NOT is no word: nothing to relax
    assert {h["id"] for h in body["hits"]} == {"kd2", "kd4", "kd5"}
    assert set(both(client, "kudeta NOT rusia")) == set(both(client, "kudeta -rusia"))


def test_and_in_capitals_is_and(client: FlaskClient) -> None:
    body = api(client, "sri AND mulyani")
    assert body["total"] > 0 and body["partial"] is None
    assert {h["id"] for h in body["hits"]} == holding(r"\bsri\b") & holding(r"\bmulyani\b")
    assert both(client, "sri AND mulyani") == both(client, "sri mulyani")


@pytest.mark.parametrize("lang", ["id", "en"])
def test_title_is_judul(client: FlaskClient, lang: str) -> None:
    headers = {"Accept-Language": lang}
    resp = client.get("/api/search", query_string={"q": "title:kudeta"}, headers=headers)
    assert resp.status_code == 200
    ids = {h["id"] for h in resp.get_json()["hits"]}
    assert ids == {"kd1", "kd2", "kd3", "kd4"}  # not kd5: kudeta in its body only
    total, page_ids = page(client, "title:kudeta", lang=lang)
    assert (total, set(page_ids)) == (4, ids)


def test_a_field_applies_to_a_group(client: FlaskClient) -> None:
    ids = set(both(client, "judul:(kpk OR dpr)"))
    assert ids == {f"kp{i}" for i in range(8)} | {"dp1"}
    assert "jd1" not in ids  # "Judul" in its body, KPK too, but not in its title


@pytest.mark.parametrize(
    "pasted",
    [
        KOMPAS,
        KOMPAS + "/",
        KOMPAS.replace("https://", "http://") + "?utm_source=whatsapp",
    ],
)
def test_a_pasted_url_finds_its_article(client: FlaskClient, pasted: str) -> None:
    assert both(client, pasted) == ["url1"]


def test_a_url_pasted_with_other_words_is_offered(client: FlaskClient) -> None:
    """Counts are strict: no article holds "lihat" and the URL, but the article of the URL is
    offered apart, and counted with match=most."""
    body = api(client, f"Lihat {KOMPAS}.")
    assert body["total"] == 0 and body["partial"]["total"] == 1
    assert [h["id"] for h in api(client, f"Lihat {KOMPAS}.", match="most")["hits"]] == ["url1"]


def test_a_pasted_url_that_is_the_id_finds_its_article(client: FlaskClient) -> None:
    assert both(client, WOWKEREN) == [WOWKEREN]


def test_a_url_of_no_article_finds_nothing_and_is_no_error(client: FlaskClient) -> None:
    assert api(client, "https://example.com/berita/tidak-ada")["total"] == 0


@pytest.mark.parametrize(
    ("typed", "as_words"),
    [("sumber:antara", "sumber antara"), ("pukul 10:30", "pukul 10 30")],
)
def test_other_colons_are_words(client: FlaskClient, typed: str, as_words: str) -> None:
    assert both(client, typed) == both(client, as_words) == ["pst"]


def test_case_does_not_change_totals(client: FlaskClient) -> None:
    upper = api(client, "UU KPK")
    lower = api(client, "uu kpk")
    # The spelled-out articles count in both: KPK is Komisi Pemberantasan Korupsi in any case.
    assert upper["total"] == lower["total"] == 12
    assert {h["id"] for h in upper["hits"]} == {h["id"] for h in lower["hits"]}


@pytest.mark.parametrize("q", ["Pemangkat", "pemangkat", "PEMANGKAT", "banjir pemangkat"])
def test_names_stay_names_in_any_case(client: FlaskClient, q: str) -> None:
    # Sastrawi stems "pemangkat" to "mangkat" (to die): the town never finds the king.
    assert set(both(client, q)) == {f"pm{i}" for i in range(4)}


def test_a_name_ranks_articles_holding_it_first(client: FlaskClient) -> None:
    ids = both(client, "joko widodo")
    assert set(ids[:5]) <= holding(r"joko widodo|jokowi")
    assert set(ids[:3]) == {"jw0", "jw1", "jw2"}  # the name in the title
    # Written together above written apart ("Joko Anwar … Widodo Santoso").
    together = [i for i, d in enumerate(ids) if d in holding("joko widodo")]
    apart = [i for i, d in enumerate(ids) if d in {"ja1", "ja2"}]
    assert max(together) < min(apart)


def test_an_entity_name_ranks_articles_holding_it_first(client: FlaskClient) -> None:
    ids = both(client, "sri mulyani")
    assert set(ids[:10]) == {f"sm{i}" for i in range(10)}
    assert ids[10:] == ["sx1"]  # "Sri Sultan … Mulyani": the words apart, last


def test_an_index_of_the_previous_format_finds_urls_by_id_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An index built before the url field was indexed (url only STORED) answers a pasted URL
    without an error: by id when the id is the URL, else nothing (a rebuild indexes URLs)."""
    from whoosh.fields import STORED

    from index_format import schema
    from indexer import build

    def old_schema() -> Any:
        s = schema.build_schema()
        s.remove("url")
        s.add("url", STORED())
        return s

    with monkeypatch.context() as mp:
        mp.setattr(build, "build_schema", old_schema)
        build_index(tmp_path / "index", CORPUS)
    app = create_app({"INDEX_DIR": tmp_path / "index", "TESTING": True})
    old = app.test_client()
    assert api(old, WOWKEREN)["total"] == 1
    assert api(old, KOMPAS)["total"] == 0
    app.extensions["telusur.search"].close()
