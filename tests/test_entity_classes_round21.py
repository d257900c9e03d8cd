"""Issue #20, round 21: person and place error kinds the fresh facet sets fresh..fresh8 share
(bench/results/2026-12-07-facet-error-kinds-round21.md), each rule a test through
extract_entities that fails without it, and through /api/search on an indexed archive; guards
keep what was right. The texts are CLICK-ID's own sentences, cut to what matters. (fresh9 was
labelled before these rules and chose none of them: its figures after the round are held out.)"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask.testing import FlaskClient

from tests.archive_api import facet_and_hits, news, serve_archive
from tests.entity_cases import check_case

CASES = [
    # Two names joined by a hyphen: a rivalry of two countries, a ticket of two people.
    pytest.param(
        "Harga minyak naik di tengah perang perdagangan AS-China yang berkepanjangan.",
        "place",
        ["Amerika Serikat", "China"],
        ["AS-China"],
        id="two-countries-joined-by-a-hyphen",
    ),
    pytest.param(
        "PAN resmi bergabung ke koalisi partai politik pendukung Joko Widodo-Ma'ruf Amin.",
        "person",
        ["Joko Widodo", "Ma'ruf Amin"],
        ["Joko Widodo-Ma'ruf Amin"],
        id="a-ticket-of-two-people",
    ),
    # A one-word "person" listed between places, or after two of them, is a place.
    pytest.param(
        "Pemerintah menetapkan lima destinasi super prioritas, yakni Danau Toba, Borobudur, "
        "Mandalika, Labuan Bajo, dan Likupang.",
        "place",
        ["Mandalika", "Labuan Bajo"],
        [],
        id="a-name-listed-among-places",
    ),
    pytest.param(
        "Empat destinasi itu meliputi Danau Toba, Candi Borobudur, Labuan Bajo, dan Mandalika.",
        "place",
        ["Mandalika"],
        [],
        id="a-name-ending-a-list-of-places",
    ),
    # Guards: a hyphenated name of one person or one place, people beside places.
    pytest.param(
        "Presiden Kazakhstan Kassym-Jomart Tokayev tiba di Jakarta. Tokayev bertemu Jokowi.",
        "person",
        ["Kassym-Jomart Tokayev"],
        ["Kassym", "Jomart Tokayev"],
        id="guards-a-hyphenated-first-name",
    ),
    pytest.param(
        "Tim nasional Guinea-Bissau tiba di Jakarta. Penumpang tiba di Bandara Soekarno-Hatta.",
        "place",
        ["Guinea-Bissau", "Bandara Soekarno-Hatta"],
        ["Guinea", "Bissau", "Soekarno", "Hatta"],
        id="guards-a-hyphenated-place",
    ),
    pytest.param(
        "Bupati Bogor, Ade Yasin, meninjau lokasi di Cibinong dan Citeureup. Kepala desa "
        "Sutrisno datang.",
        "person",
        ["Ade Yasin", "Sutrisno"],
        [],
        id="guards-people-beside-places",
    ),
]


@pytest.mark.parametrize(("text", "facet", "present", "absent"), CASES)
def test_round21_case(text: str, facet: str, present: list[str], absent: list[str]) -> None:
    check_case(text, facet, present, absent)


ARCHIVE = [
    news("t1", "Harga minyak naik di tengah perang perdagangan AS-China yang berkepanjangan."),
    news(
        "t2",
        "Penguatan itu didukung perkembangan positif pada perdagangan AS-China dan janji "
        "stimulus lanjutan.",
    ),
    news("t3", "Presiden Donald Trump menyatakan Amerika Serikat siap berunding dengan China."),
    news(
        "d1",
        "Pemerintah menetapkan lima destinasi super prioritas, yakni Danau Toba, Borobudur, "
        "Mandalika, Labuan Bajo, dan Likupang.",
    ),
]


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FlaskClient]:
    yield from serve_archive(tmp_path_factory.mktemp("round21"), ARCHIVE)


def test_a_rivalry_of_two_countries_counts_each_country(client: FlaskClient) -> None:
    people, _ = facet_and_hits(client, "person")
    places, _ = facet_and_hits(client, "place")
    assert "AS-China" not in people and "AS-China" not in places
    assert places["Amerika Serikat"] == 3 and places["China"] == 3
    _, hits = facet_and_hits(client, "place", place="China")
    assert hits == {"t1", "t2", "t3"}


def test_a_place_listed_among_places_is_found_by_the_place_facet(client: FlaskClient) -> None:
    people, _ = facet_and_hits(client, "person")
    assert "Mandalika" not in people
    _, hits = facet_and_hits(client, "place", place="Mandalika")
    assert hits == {"d1"}
