"""Names merged across the archive: what articles merged themselves decides for the others."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.guard import compare
from index_format.entity_merge import archive_merges, may_merge
from index_format.names import name_key
from indexer.build import rebuild_index
from indexer.models import Article
from search.models import SearchRequest, SearchResult
from search.service import SearchService
from tests.conftest import article, write_index


def votes(**by_canonical: int) -> Counter[str]:
    return Counter(by_canonical)


def test_a_name_other_articles_merge_is_merged() -> None:
    counts = {"KPK": 40, "Komisi Pemberantasan Korupsi": 6, "Anies Baswedan": 20, "Anies": 5}
    evidence = {
        "komisi pemberantasan korupsi": votes(KPK=30),
        "anies": Counter({"Anies Baswedan": 12, "Anies Matta": 1}),
    }
    assert archive_merges(counts, evidence) == {
        "Komisi Pemberantasan Korupsi": "KPK",
        "Anies": "Anies Baswedan",
    }


@pytest.mark.parametrize(
    ("counts", "evidence", "why"),
    [
        # A few articles about Iriana against many that name the president alone.
        (
            {"Joko Widodo": 1600, "Iriana Joko Widodo": 1700},
            {"joko widodo": Counter({"Iriana Joko Widodo": 7})},
            "the evidence is small beside the articles where the name stands alone",
        ),
        (
            {"Amerika Serikat": 30, "USD": 29},
            {"amerika serikat": Counter({"USD": 29})},
            "the canonical name is rarer than the name",
        ),
        (
            {"Agus": 20, "Agus Rahardjo": 50, "Agus Wibowo": 13},
            {"agus": Counter({"Agus Rahardjo": 12, "Agus Wibowo": 8})},
            "no canonical name has most of the votes",
        ),
        (
            {"Rudi": 1, "Rudi Hartono": 5},
            {"rudi": Counter({"Rudi Hartono": 2})},
            "fewer than three articles say so",
        ),
        (
            {"Tokayev": 3},
            {"tokayev": Counter({"Kassym-Jomart Tokayev": 5})},
            "the canonical name is no facet value",
        ),
    ],
)
def test_weak_or_wrong_evidence_merges_nothing(
    counts: dict[str, int], evidence: dict[str, Counter[str]], why: str
) -> None:
    assert archive_merges(counts, evidence) == {}, why


def test_chains_end_at_the_last_name_and_cycles_merge_nothing() -> None:
    counts = {"Dewan Perwakilan Rakyat": 5, "DPR RI": 10, "DPR": 50}
    evidence = {"dewan perwakilan rakyat": votes(**{"DPR RI": 5}), "dpr ri": votes(DPR=10)}
    assert archive_merges(counts, evidence) == {"Dewan Perwakilan Rakyat": "DPR", "DPR RI": "DPR"}
    counts = {"A B": 4, "C D": 4}
    evidence = {"a b": votes(**{"C D": 4}), "c d": votes(**{"A B": 4})}
    assert archive_merges(counts, evidence) == {}


@pytest.mark.parametrize(
    "name", ["Kassym-Jomart", "KASSYM JOMART", "Kassym‐Jomart", "Kassym – Jomart", "kassym jomart"]
)
def test_the_quick_prefilter_keeps_every_name_with_evidence(name: str) -> None:
    evidence = {name_key("Kassym Jomart"): Counter({"Kassym-Jomart Tokayev": 3})}
    names = {name: 1, "Kassym-Jomart Tokayev": 9, "Tokayev": 2}
    assert may_merge(names, evidence) == {name, "Kassym-Jomart Tokayev"}


def _with_variants(a: Article, *variants: tuple[str, str, str]) -> Article:
    a.variants = list(variants)
    return a


KPK_DEFINED = ("organisation", "Komisi Pemberantasan Korupsi", "KPK")
# k1-k3 define the acronym (merged in each article); k4 names the commission in full only;
# k5 names both without defining (two values); k6 has neither.
CORPUS = [
    *(
        _with_variants(
            article(f"k{i}", "Penyidik KPK", "Komisi Pemberantasan Korupsi (KPK) memeriksa saksi."),
            KPK_DEFINED,
        )
        for i in (1, 2, 3)
    ),
    article(
        "k4",
        "Komisi Pemberantasan Korupsi",
        "Komisi Pemberantasan Korupsi menahan tersangka.",
        organisation=("Komisi Pemberantasan Korupsi",),
    ),
    article(
        "k5",
        "KPK dan Komisi Pemberantasan Korupsi",
        "KPK, yakni Komisi Pemberantasan Korupsi, memanggil saksi.",
        organisation=("KPK", "Komisi Pemberantasan Korupsi"),
    ),
    article("k6", "Banjir", "Banjir di Bekasi.", organisation=("BPBD",)),
]
for a in CORPUS[:3]:
    a.organisation = ["KPK"]


@pytest.fixture
def merged_service(tmp_path: Path) -> Iterator[SearchService]:
    index_dir = tmp_path / "index"
    write_index(index_dir, CORPUS)
    svc = SearchService(index_dir)
    yield svc
    svc.close()


def orgs(result: SearchResult) -> dict[str, int]:
    return {fv.value: fv.count for fv in result.facets["organisation"]}


def test_facet_counts_a_merged_name_as_its_canonical_name_once_per_article(
    merged_service: SearchService,
) -> None:
    r = merged_service.search(SearchRequest(q=""))
    # k1-k5 mention the commission; k5 holds both names and counts once.
    assert orgs(r) == {"KPK": 5, "BPBD": 1}


def test_a_filter_on_either_name_finds_every_article_of_the_entity(
    merged_service: SearchService,
) -> None:
    for name in ("KPK", "Komisi Pemberantasan Korupsi"):
        r = merged_service.search(SearchRequest(q="", filters={"organisation": (name,)}))
        assert {h.id for h in r.hits} == {"k1", "k2", "k3", "k4", "k5"}, name
        selected = [(fv.value, fv.count) for fv in r.facets["organisation"] if fv.selected]
        assert selected == [("KPK", 5)], name


def test_hits_and_articles_show_the_canonical_name(merged_service: SearchService) -> None:
    r = merged_service.search(SearchRequest(q="menahan tersangka"))
    assert [h.entities["organisation"] for h in r.hits] == [["KPK"]]
    view, _ = merged_service.article("k5")
    assert view.entities["organisation"] == ["KPK"]


def test_guard_folds_merged_names_like_the_service(tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    write_index(index_dir, CORPUS)
    requests = [
        SearchRequest(q=""),
        SearchRequest(q="saksi"),
        SearchRequest(q="", filters={"organisation": ("KPK",)}),
        SearchRequest(q="", filters={"organisation": ("Komisi Pemberantasan Korupsi", "BPBD")}),
    ]
    assert compare(index_dir, requests) == []


def test_rebuild_merges_a_name_the_tagged_articles_define(tmp_path: Path) -> None:
    """End to end: the tagger's own merges become the archive's."""
    defined = "Komisi Pemberantasan Korupsi (KPK) memeriksa {} sebagai saksi di Jakarta."
    records = [
        {"id": f"d{i}", "title": f"Pemeriksaan saksi {i}", "body": defined.format(name)}
        for i, name in enumerate(["Budi Santoso", "Rina Marlina", "Agus Salim"])
    ]
    records.append(
        {
            "id": "plain",
            "title": "Penahanan tersangka",
            "body": "Komisi Pemberantasan Korupsi menahan tersangka di Jakarta.",
        }
    )
    archive = tmp_path / "a.jsonl"
    archive.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    index_dir = tmp_path / "index"
    rebuild_index([archive], index_dir)
    svc = SearchService(index_dir)
    try:
        plain = svc.search(SearchRequest(q="", filters={"organisation": ("KPK",)}))
        assert {h.id for h in plain.hits} == {"d0", "d1", "d2", "plain"}
        assert orgs(plain)["KPK"] == 4
        assert "Komisi Pemberantasan Korupsi" not in orgs(plain)
    finally:
        svc.close()
