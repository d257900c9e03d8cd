"""Issue #20: names merged by their form alone (index_format.name_forms): an organisation's
legal and office forms, a person's initials and misspellings; and what must stay apart."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask.testing import FlaskClient

from index_format.entity_merge import company_merges, place_kind_merges
from index_format.name_forms import (
    initial_merges,
    old_spelling_merges,
    organisation_form_merges,
    organisation_key,
    spelling_merges,
)
from tests.archive_api import facet_and_hits, news, serve_archive


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ({"PT Pertamina": 30, "Pertamina": 200}, {"PT Pertamina": "Pertamina"}),
        ({"Semen Padang FC": 3, "Semen Padang": 20}, {"Semen Padang FC": "Semen Padang"}),
        (
            {"PT Astra International Tbk": 9, "PT Astra International": 2},
            {"PT Astra International": "PT Astra International Tbk"},
        ),
        (
            {"PN Jakarta Selatan": 10, "Pengadilan Negeri Jakarta Selatan": 30},
            {"PN Jakarta Selatan": "Pengadilan Negeri Jakarta Selatan"},
        ),
        ({"Bank BRI": 10, "BRI": 33}, {"Bank BRI": "BRI"}),
        # A police directorate with or without "Reserse" (round 9).
        (
            {
                "Direktorat Reserse Narkoba Polda Metro Jaya": 5,
                "Direktorat Narkoba Polda Metro Jaya": 6,
            },
            {"Direktorat Reserse Narkoba Polda Metro Jaya": "Direktorat Narkoba Polda Metro Jaya"},
        ),
        # An acronym after PT is left to company_merges: "PT PBB" is some company, not the UN.
        ({"PT PBB": 2, "PBB": 190}, {}),
        # "Bank Indonesia" is not the country.
        ({"Bank Indonesia": 300, "Indonesia": 40}, {}),
        # A club with or without its town or its "PS"; not a body named "Persatuan …".
        (
            {"Persebaya Surabaya": 9, "Persebaya": 40, "PSIS Semarang": 5, "PSIS": 3},
            {"Persebaya Surabaya": "Persebaya", "PSIS": "PSIS Semarang"},
        ),
        ({"PS Tira Persikabo": 4, "Tira Persikabo": 12}, {"PS Tira Persikabo": "Tira Persikabo"}),
        ({"Persatuan Wartawan Indonesia": 5, "Persatuan": 2, "PSSI": 50}, {}),
        # A party with or without "Partai"; Jakarta's office as "DKI" or "DKI Jakarta"; an
        # acronym's Indonesian office; an airline without its "Air" (round 8).
        ({"Partai Gelora": 15, "Gelora": 10}, {"Gelora": "Partai Gelora"}),
        (
            {"Pemprov DKI Jakarta": 43, "Pemprov DKI": 10, "Dinas Bina Marga DKI": 2},
            {"Pemprov DKI": "Pemprov DKI Jakarta"},
        ),
        ({"WWF Indonesia": 16, "WWF": 13}, {"WWF": "WWF Indonesia"}),
        (
            {"Lion Air": 81, "Lion": 13, "Lion Air Group": 54, "Tanah": 1},
            {"Lion": "Lion Air"},
        ),
        # A regional office without its region: the one such office the archive knows.
        (
            {
                "Dinas Bina Marga": 28,
                "Dinas Bina Marga DKI Jakarta": 33,
                "Dinas Bina Marga Hari Nugroho": 1,
                "Dinas Pendidikan": 9,
                "Dinas Pendidikan Jawa Barat": 5,
                "Dinas Pendidikan Kota Bandung": 4,
            },
            {"Dinas Bina Marga": "Dinas Bina Marga DKI Jakarta"},
        ),
        # Not a country's other bodies, nor "Air" closing a word that is no airline's.
        ({"Garuda Indonesia": 90, "Garuda": 30, "Bank Indonesia": 80}, {}),
    ],
)
def test_organisation_forms(counts: dict[str, int], expected: dict[str, str]) -> None:
    assert organisation_form_merges(counts, {}) == expected


def test_organisation_form_joins_what_the_name_is_merged_into() -> None:
    counts = {"PT Pertamina": 3, "Pertamina": 20, "Pertamina (Persero)": 1}
    merges = organisation_form_merges(counts, {"Pertamina": "PT Pertamina (Persero)"})
    assert merges["PT Pertamina"] == merges["Pertamina (Persero)"] == "PT Pertamina (Persero)"
    assert organisation_key("Pengadilan Negeri Jakarta Selatan") == "pn jakarta selatan"


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        (
            {"Basuki Tjahaja Purnama": 40, "Basuki T Purnama": 3},
            {"Basuki T Purnama": "Basuki Tjahaja Purnama"},
        ),
        # The archive writes the initial more often: the full form joins it.
        (
            {"Rini M. Soemarno": 35, "Rini Soemarno": 4, "Rini M Soemarno": 3},
            {"Rini Soemarno": "Rini M. Soemarno", "Rini M Soemarno": "Rini M. Soemarno"},
        ),
        # Two full names fit "Agus R": neither is chosen, whatever their counts.
        ({"Agus Rahardjo": 30, "Agus Riyanto": 3, "Agus R": 2}, {}),
        # Another first name is another person.
        ({"Bambang Soesatyo": 50, "Bamsoet S": 2}, {}),
        # A shorter form of the one full name is no second candidate (round 8).
        (
            {
                "Laode M Syarif": 87,
                "Laode Muhammad Syarif": 18,
                "Laode Syarif": 11,
                "Laode Muhamad Syarif": 3,
            },
            {"Laode Muhammad Syarif": "Laode M Syarif", "Laode Muhamad Syarif": "Laode M Syarif"},
        ),
        # Initials written together.
        (
            {"Bambang Brodjonegoro": 47, "Bambang P.S. Brodjonegoro": 4},
            {"Bambang P.S. Brodjonegoro": "Bambang Brodjonegoro"},
        ),
        (
            {
                "BJ Habibie": 748,
                "Baharuddin Jusuf Habibie": 12,
                "Bachruddin Jusuf Habibie": 3,
                "Ilham Akbar Habibie": 44,
                "Baharuddin Jusuf BJ Habibie": 1,
                "Bacharuddin Jusuf": 70,
                "Baharuddin Jusuf": 10,
                "Ilham Akbar": 3,
            },
            {
                "Baharuddin Jusuf Habibie": "BJ Habibie",
                "Bachruddin Jusuf Habibie": "BJ Habibie",
                "Baharuddin Jusuf BJ Habibie": "BJ Habibie",
                "Bacharuddin Jusuf": "BJ Habibie",
                "Baharuddin Jusuf": "BJ Habibie",
            },
        ),
        # Two full names, neither far rarer than the initials: two people.
        ({"AM Putra": 5, "Agus Mulyadi Putra": 3, "Andi Malik Putra": 4}, {}),
        # A full name written out rarely joins the one shorter form the archive uses; a short
        # name never joins a full one, nor does a full name that two shorter forms fit.
        (
            {"Ainun Habibie": 126, "Hasri Ainun Besari Habibie": 4},
            {"Hasri Ainun Besari Habibie": "Ainun Habibie"},
        ),
        ({"Budi Santoso": 30, "Agus Santoso": 20, "Budi Agus Santoso": 3}, {}),
        ({"Thareq Habibie": 7, "Thareq Kemal Habibie": 89}, {}),
    ],
)
def test_initials(counts: dict[str, int], expected: dict[str, str]) -> None:
    assert initial_merges(counts, {}) == expected


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        (
            {"Bambang Brodjonegoro": 60, "Bambang Brojonegoro": 5},
            {"Bambang Brojonegoro": "Bambang Brodjonegoro"},
        ),
        ({"Aziz Syamsuddin": 20, "Aziz Syamsudin": 6}, {"Aziz Syamsudin": "Aziz Syamsuddin"}),
        # As common as each other: two people, or no telling which is the misspelling.
        ({"Rudi Hartono": 10, "Rudy Hartono": 8}, {}),
        # Short words differ by a letter between different people.
        ({"Ade Putra": 30, "Ari Putra": 2}, {}),
        # One-word names are the short-name rule's (index_format.namesakes), not spelling's.
        ({"Suharto": 90, "Soeharto": 10}, {}),
    ],
)
def test_spellings(counts: dict[str, int], expected: dict[str, str]) -> None:
    assert spelling_merges(counts, {}) == expected


ARCHIVE = [
    *(news(f"p{i}", "Pertamina menaikkan harga BBM nonsubsidi mulai hari ini.") for i in range(3)),
    news("pt", "PT Pertamina menaikkan harga avtur di Jakarta."),
    *(
        news(f"b{i}", "Menteri PPN Bambang Brodjonegoro menjelaskan rencana ibu kota baru.")
        for i in range(3)
    ),
    news("typo", "Menteri PPN Bambang Brojonegoro meninjau lokasi ibu kota baru."),
    # Both spellings common (3 and 2 articles): no misspelling, the old and the new spelling.
    *(
        news(f"l{i}", "Menko Maritim Luhut Binsar Pandjaitan meninjau pelabuhan Belawan.")
        for i in range(3)
    ),
    *(
        news(f"n{i}", "Menko Maritim Luhut Binsar Panjaitan membuka rapat investasi.")
        for i in range(2)
    ),
]


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FlaskClient]:
    yield from serve_archive(tmp_path_factory.mktemp("forms"), ARCHIVE)


@pytest.mark.parametrize(
    ("facet", "name", "variant", "ids"),
    [
        ("organisation", "Pertamina", "PT Pertamina", {"p0", "p1", "p2", "pt"}),
        ("person", "Bambang Brodjonegoro", "Bambang Brojonegoro", {"b0", "b1", "b2", "typo"}),
        (
            "person",
            "Luhut Binsar Pandjaitan",
            "Luhut Binsar Panjaitan",
            {"l0", "l1", "l2", "n0", "n1"},
        ),
    ],
)
def test_one_value_and_either_name_finds_every_article(
    client: FlaskClient, facet: str, name: str, variant: str, ids: set[str]
) -> None:
    values, _ = facet_and_hits(client, facet)
    assert values.get(name) == len(ids) and variant not in values, values
    for filtered in (name, variant):
        _, hits = facet_and_hits(client, facet, **{facet: filtered})
        assert hits == ids, filtered


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        (
            {"Luhut Binsar Pandjaitan": 30, "Luhut Binsar Panjaitan": 20},
            {"Luhut Binsar Panjaitan": "Luhut Binsar Pandjaitan"},
        ),
        # The new spelling sorts first and is the commoner: the old one goes into it. (The old
        # j for y is not read: j is a letter of the new spelling too.)
        (
            {"Basuki Cahaya Purnama": 9, "Basuki Tjahaya Purnama": 2, "Basuki Tjahaja Purnama": 1},
            {"Basuki Tjahaya Purnama": "Basuki Cahaya Purnama"},
        ),
        ({"Moeldoko Santoso": 4, "Muldoko Santoso": 4}, {"Muldoko Santoso": "Moeldoko Santoso"}),
        # One-word names are the short-name rule's; other names stay apart.
        ({"Soeharto": 10, "Suharto": 90}, {}),
        ({"Djoko Susilo": 5, "Joko Santoso": 5, "Joko Widodo": 50}, {}),
    ],
)
def test_old_and_new_spelling(counts: dict[str, int], expected: dict[str, str]) -> None:
    assert old_spelling_merges(counts, {}) == expected


def test_a_name_merged_into_a_variant_follows_it() -> None:
    # "Bambang B" was merged into the misspelling before: it must end where the misspelling
    # goes, or its articles would be counted under a name the facet no longer lists.
    counts = {"Bambang Brodjonegoro": 60, "Bambang Brojonegoro": 5, "Menteri Bambang": 1}
    merges = spelling_merges(counts, {"Menteri Bambang": "Bambang Brojonegoro"})
    assert merges == {
        "Bambang Brojonegoro": "Bambang Brodjonegoro",
        "Menteri Bambang": "Bambang Brodjonegoro",
    }


def test_an_acronym_joins_the_one_company_it_spells() -> None:
    from index_format.entity_merge import company_merges

    counts = {"PT Dirgantara Indonesia": 20, "PT DI": 5, "DI": 4, "BNI": 90}
    counts |= {"PT Bank Negara Indonesia": 10, "PT Sinar Mas": 3, "PT Sumber Makmur": 3, "SM": 5}
    merges = company_merges(counts, {})
    assert merges["PT DI"] == merges["DI"] == "PT Dirgantara Indonesia"
    assert merges["PT Bank Negara Indonesia"] == "BNI"  # into the form most articles use
    assert "SM" not in merges  # two companies spell it: neither


def test_the_forms_of_a_company_follow_the_acronym_its_articles_define() -> None:
    """Round 9: "Pertamina Energy Service (PES)" made the archive merge that form into PES; its
    other legal forms go with it, however often they are written."""
    counts = {
        "PES": 25,
        "Pertamina Energy Service Pte. Ltd": 4,
        "Pertamina Energy Service Pte": 3,
        "Pertamina Energy Service": 1,
    }
    merged = organisation_form_merges(counts, {"Pertamina Energy Service": "PES"})
    assert {name: merged.get(name) for name in counts if name != "PES"} == {
        "Pertamina Energy Service Pte. Ltd": "PES",
        "Pertamina Energy Service Pte": "PES",
        "Pertamina Energy Service": "PES",
    }


def test_a_company_s_legal_forms_are_one_company_its_acronym_spells() -> None:
    """Round 9: "PT Bank Tabungan Negara" and "… Tbk" are one company, not two that BTN could
    spell (which would leave BTN apart)."""
    counts = {"BTN": 9, "PT Bank Tabungan Negara": 4, "PT Bank Tabungan Negara Tbk": 2}
    assert company_merges(counts, {}) == {
        "PT Bank Tabungan Negara": "BTN",
        "PT Bank Tabungan Negara Tbk": "BTN",
    }
    # Two companies that spell it as often as each other: neither.
    two = {"BTN": 9, "PT Bank Tabungan Negara": 4, "PT Bumi Tirta Nusantara": 4}
    assert company_merges(two, {}) == {}


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        (
            {"Stadion Patriot": 10, "Stadion Patriot Chandrabhaga": 6},
            {"Stadion Patriot Chandrabhaga": "Stadion Patriot"},
        ),
        (
            {"Hotel Fairmont Senayan Jakarta": 2, "Hotel Fairmont": 5},
            {"Hotel Fairmont Senayan Jakarta": "Hotel Fairmont"},
        ),
        # Misspelt, and the one longer name far commoner than any other (CLICK-ID's forms).
        (
            {
                "Stadion Patriot Chandrabhaga": 23,
                "Stadion Patriot Candrabhaga": 50,
                "Stadion Patriot": 18,
                "Stadion Patriot Bekasi": 1,
            },
            {
                "Stadion Patriot Chandrabhaga": "Stadion Patriot Candrabhaga",
                "Stadion Patriot": "Stadion Patriot Candrabhaga",
            },
        ),
        # Two places start so: which one "Gereja Katedral" is, the name does not say.
        ({"Gereja Katedral": 3, "Gereja Katedral Jakarta": 2, "Gereja Katedral Semarang": 1}, {}),
        # A word any city's venue has names no venue of its own.
        ({"Masjid Agung": 5, "Masjid Agung Semarang": 3}, {}),
    ],
)
def test_a_venue_and_its_longer_name(counts: dict[str, int], expected: dict[str, str]) -> None:
    assert place_kind_merges(counts, {}) == expected
