"""Tagging many texts at once (a rebuild worker's chunk) gives what tagging each alone gives."""

from __future__ import annotations

from pathlib import Path

import pytest

import indexer.prepare
from indexer.build import BuildSummary
from indexer.document import to_document
from indexer.entities import extract_entities, extract_entities_many
from indexer.models import Article, RawRecord
from indexer.ner.tagger import packaged_tagger
from indexer.pipeline import write_chunk
from indexer.prepare import prepare_article, tag_entities, tag_entities_many, tagging_batch

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"

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
    real = indexer.prepare.extract_entities_many

    def flaky(texts: list[str], **kw: object) -> object:
        if any("Blinken" in t or "blinken" in t for t in texts):
            raise ValueError("boom")
        return real(texts, **kw)  # type: ignore[arg-type]

    expected = _facets([tag_entities(a) for a in _articles()])
    monkeypatch.setattr(indexer.prepare, "extract_entities_many", flaky)
    articles = _articles()
    with tagging_batch() as failed:
        for article in articles:
            tag_entities(article)
    bad = [a for a in articles if "blinken" in a.body]
    assert [id(a) for a in bad] == list(failed) and "boom" in str(failed[id(bad[0])])
    assert _facets([a for a in articles if a not in bad]) == [
        f for a, f in zip(articles, expected, strict=True) if a not in bad
    ]


def test_the_one_process_build_tags_in_chunks_and_skips_only_the_failing_article(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """write_chunk (what every writer of the pipeline runs) tags a chunk at a time: the same
    entities as one article at a time, and an article whose tagging fails is skipped with its
    reason while the rest of its chunk is indexed."""
    real = indexer.prepare.extract_entities_many
    records = [
        RawRecord(doc_id=f"r{n}", source="t.jsonl", line=n, fields={"title": f"T {n}", "body": t})
        for k in range(3)
        for n, t in enumerate(TEXTS, k * len(TEXTS))
        if t.strip(". ")
    ]
    chunks = [records[i : i + 4] for i in range(0, len(records), 4)]  # the last one short
    assert len(records) % 4

    class Writer:
        def __init__(self) -> None:
            self.docs: dict[str, dict[str, object]] = {}

        def add_document(self, **doc: object) -> None:
            self.docs[str(doc["id"])] = doc

    def build() -> tuple[Writer, BuildSummary]:
        writer, summary = Writer(), BuildSummary()
        for chunk in chunks:
            summary.skipped += write_chunk(writer, chunk, None)
        summary.indexed = len(writer.docs)
        return writer, summary

    clean, summary = build()
    assert summary.indexed == len(records) and not summary.skipped
    alone = {r.doc_id: prepare_article(r) for r in records}
    assert {i: d.get("person") for i, d in clean.docs.items()} == {
        i: to_document(a).get("person") for i, a in alone.items()
    }
    assert any(d.get("person") for d in clean.docs.values())

    def flaky(texts: list[str], **kw: object) -> object:
        if any("blinken" in t for t in texts):
            raise ValueError("boom")
        return real(texts, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(indexer.prepare, "extract_entities_many", flaky)
    writer, summary = build()
    bad = {r.line for r in records if "blinken" in str(r.fields["body"])}
    assert sorted(s.line for s in summary.skipped) == sorted(bad)
    assert all("extraction failed" in s.reason and "boom" in s.reason for s in summary.skipped)
    assert set(writer.docs) == {r.doc_id for r in records if r.line not in bad}
    assert all(writer.docs[i] == clean.docs[i] for i in writer.docs)


# Packaged places (places.txt) the tagger tags O: entities.py adds them, by word type.
LEFT_OUT = [
    ("Ia terbang ke ibu kota, Nur-Sultan.", "Nur-Sultan"),
    ("PEMERINTAH KAZAKHSTAN PINDAHKAN IBU KOTA KE NUR-SULTAN", "NUR-SULTAN"),  # truecased
]


@pytest.mark.parametrize("cold", [False, True])
def test_packaged_places_the_tagger_left_out_are_places(cold: bool) -> None:
    if cold:
        packaged_tagger().clear_cache()
    texts = [t for t, _ in LEFT_OUT]
    for (text, written), entities in zip(LEFT_OUT, extract_entities_many(texts), strict=True):
        start = text.index(written)
        found = [(e.label, e.start, e.end, e.canonical) for e in entities]
        assert ("LOC", start, start + len(written), "Nur-Sultan") in found, found
