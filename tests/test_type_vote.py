"""Issue #20, round 13: a name's type is the archive's, not one article's. A name that the
articles tag as one type far more often than as another (a badminton player read as a body in
results lists, a club read as its town) is counted, listed and filtered under that type in
every article; a name typed both ways about as often, or in too few articles to tell, stays as
each article typed it. Checked through the search service on indexes built the way production
builds them, in each history an index can have."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from index_format import type_vote
from indexer.models import Article
from search.models import SearchRequest
from search.service import SearchService
from tests.conftest import article
from tests.indexes import HISTORIES, build_index


def _articles() -> list[Article]:
    out = []
    n = 0

    def add(
        person: tuple[str, ...] = (),
        organisation: tuple[str, ...] = (),
        place: tuple[str, ...] = (),
    ) -> None:
        nonlocal n
        n += 1
        out.append(
            article(
                f"t{n:02d}",
                f"Berita olahraga {n}",
                "Laga berlangsung ketat di babak pertama.",
                person=person,
                organisation=organisation,
                place=place,
            )
        )

    # A player: a person in 6 articles, a body in 2 ("Shesar Singkirkan Jonatan Christie").
    for _ in range(6):
        add(person=("Jonatan Christie",))
    for _ in range(2):
        add(organisation=("Jonatan Christie", "PBSI"))
    # A club: a body in 4 articles, its town in 1.
    for _ in range(4):
        add(organisation=("Watford",), place=("London",))
    add(place=("Watford",))
    # Typed both ways about as often: each article keeps its type.
    for _ in range(3):
        add(organisation=("Bulog",))
    for _ in range(2):
        add(place=("Bulog",))
    # Too few articles to tell: 2 against none.
    for _ in range(2):
        add(place=("Tokopedia",))
    add(organisation=("Tokopedia",))
    return out


ARTICLES = _articles()


@pytest.fixture(scope="module", params=HISTORIES)
def service(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SearchService]:
    index_dir = tmp_path_factory.mktemp(f"vote-{request.param}") / "index"
    build_index(index_dir, ARTICLES, request.param)
    svc = SearchService(index_dir)
    yield svc
    svc.close()


def _facets(svc: SearchService, **filters: list[str]) -> tuple[dict[str, dict[str, int]], set[str]]:
    res = svc.search(
        SearchRequest(
            q="", per_page=100, facet_size=100, filters={f: tuple(v) for f, v in filters.items()}
        )
    )
    counts = {f: {v.value: v.count for v in vals} for f, vals in res.facets.items()}
    return counts, {h.id for h in res.hits}


def _ids(
    person: tuple[str, ...] = (), organisation: tuple[str, ...] = (), place: tuple[str, ...] = ()
) -> set[str]:
    return {
        a.id
        for a in ARTICLES
        if set(person) & set(a.person)
        or set(organisation) & set(a.organisation)
        or set(place) & set(a.place)
    }


def test_a_name_the_archive_types_otherwise_moves_with_all_its_articles(
    service: SearchService,
) -> None:
    counts, _ = _facets(service)
    assert counts["person"].get("Jonatan Christie") == 8, counts["person"]
    assert "Jonatan Christie" not in counts["organisation"], counts["organisation"]
    assert counts["organisation"].get("Watford") == 5, counts["organisation"]
    assert "Watford" not in counts["place"], counts["place"]
    _, hits = _facets(service, person=["Jonatan Christie"])
    assert hits == _ids(person=("Jonatan Christie",), organisation=("Jonatan Christie",))
    _, hits = _facets(service, organisation=["Watford"])
    assert hits == _ids(organisation=("Watford",), place=("Watford",))


def test_a_name_typed_both_ways_or_in_few_articles_keeps_each_article_s_type(
    service: SearchService,
) -> None:
    counts, _ = _facets(service)
    assert counts["organisation"].get("Bulog") == 3 and counts["place"].get("Bulog") == 2
    assert counts["place"].get("Tokopedia") == 2 and counts["organisation"].get("Tokopedia") == 1
    # The other values of the moved articles stay where they were.
    assert counts["organisation"].get("PBSI") == 2 and counts["place"].get("London") == 4


@pytest.mark.parametrize(
    ("counts", "moves"),
    [
        (
            {"person": {"A B": 9}, "organisation": {"A B": 3}, "place": {}},
            {"organisation": {"A B": "person"}},
        ),
        ({"person": {"A B": 8}, "organisation": {"A B": 3}, "place": {}}, {}),  # under 3×
        ({"person": {"A B": 2}, "organisation": {}, "place": {"A B": 0}}, {}),
        (
            {"person": {}, "organisation": {"A B": 1}, "place": {"A B": 3}},
            {"organisation": {"A B": "place"}},
        ),
        ({"person": {}, "organisation": {"A B": 1}, "place": {"A B": 2}}, {}),  # too few
    ],
)
def test_the_vote(counts: dict[str, dict[str, int]], moves: dict[str, dict[str, str]]) -> None:
    got = {f: m for f, m in type_vote.retypes(counts).items() if m}
    assert got == moves
