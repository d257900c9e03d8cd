"""Tagging many texts at once (a rebuild worker's chunk) gives what tagging each alone gives."""

from __future__ import annotations

from pathlib import Path

import pytest

import indexer.build
from indexer.build import tag_entities, tag_entities_many, tagging_batch
from indexer.entities import extract_entities, extract_entities_many
from indexer.models import Article

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"

TEXTS = [
    "Presiden Joko Widodo meresmikan Bendungan Sei Gong di Batam, Kepulauan Riau.",
    "",
    "...",
    "Jakarta",
    # A long sentence next to short ones: the batch's sentences end at different steps.
    "KPK memeriksa Gubernur Papua Lukas Enembe, Ketua DPR RI Puan Maharani, Menteri Luar "
    "Negeri Retno Marsudi, Presiden Kazakhstan Kassym-Jomart Tokayev dan Wali Kota Surabaya "
    "Tri Rismaharini di Jakarta, Bandung, Medan, Makassar, Surabaya, Denpasar dan Ambon pada "
    "Senin (12/9) tanpa jeda sama sekali sebelum sore hari.\nAmbon.",
    "menteri luar negeri retno marsudi bertemu antony blinken di washington",
    "JAKARTA, KOMPAS.com - Anies Baswedan bertemu Ganjar Pranowo.\n\nAnies menolak. Ganjar diam.",
]


def _seed_texts() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]


def _rows(texts: list[str]) -> list[list[tuple[str, str, int, int, str]]]:
    return [
        [(e.text, e.label, e.start, e.end, e.canonical) for e in extract_entities(t)] for t in texts
    ]


@pytest.mark.parametrize("with_seeds", [False, True])
def test_many_texts_get_the_entities_each_gets_alone(with_seeds: bool) -> None:
    texts = TEXTS + (_seed_texts() if with_seeds else [])
    if with_seeds and len(texts) == len(TEXTS):
        pytest.skip("../shared/seeds is absent")
    alone = _rows(texts)
    assert any(alone), "the texts must hold entities for this test to mean anything"
    together = extract_entities_many(texts)
    assert [
        [(e.text, e.label, e.start, e.end, e.canonical) for e in ents] for ents in together
    ] == alone
    # Order does not matter either: the same texts reversed give the same lists reversed.
    assert extract_entities_many(texts[::-1]) == together[::-1]


def _articles() -> list[Article]:
    return [Article(id=str(i), title=t.split("\n")[0], body=t) for i, t in enumerate(TEXTS)]


def _facets(articles: list[Article]) -> list[tuple[list[str], list[str], list[str]]]:
    return [(a.person, a.organisation, a.place) for a in articles]


def test_a_tagging_batch_tags_its_articles_when_it_ends() -> None:
    expected = _facets([tag_entities(a) for a in _articles()])
    assert any(p for p, _, _ in expected)
    articles = _articles()
    with tagging_batch() as failed:
        for article in articles:
            tag_entities(article)
        assert not any(a.person or a.place for a in articles)  # not yet
    assert not failed
    assert _facets(articles) == expected
    assert _facets(tag_entities_many(_articles())) == expected


def test_an_article_whose_tagging_fails_costs_only_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    real = indexer.build.extract_entities_many

    def flaky(texts: list[str], **kw: object) -> object:
        if any("Blinken" in t or "blinken" in t for t in texts):
            raise ValueError("boom")
        return real(texts, **kw)  # type: ignore[arg-type]

    expected = _facets([tag_entities(a) for a in _articles()])
    monkeypatch.setattr(indexer.build, "extract_entities_many", flaky)
    articles = _articles()
    with tagging_batch() as failed:
        for article in articles:
            tag_entities(article)
    bad = [a for a in articles if "blinken" in a.body]
    assert [id(a) for a in bad] == list(failed) and "boom" in str(failed[id(bad[0])])
    assert _facets([a for a in articles if a not in bad]) == [
        f for a, f in zip(articles, expected, strict=True) if a not in bad
    ]
