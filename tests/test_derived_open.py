"""Open in constant time: what a worker used to compute when it opened a generation (facet
arrays with the archive's merges and joins, field lengths, the spelling index, known names) is
written with the generation by rebuild-index, update-index and delete (index_format.derived)
and memory-mapped at open. Whatever the history, the written files must give exactly what
computing at open gives; an index without them (an older generation) still opens and answers
the same; update-index and delete write them anew, so a new article counts at once.
"""

from __future__ import annotations

import gzip
import json
import random
import shutil
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from index_format import derived, field_lengths
from index_format.corrections import Correction, append_correction
from index_format.derived import DERIVED
from index_format.facet_arrays import CountedRows
from index_format.facets import entity_names
from index_format.generations import current_path, open_index
from indexer.build import rebuild_index
from indexer.models import Article
from indexer.update import delete_articles, update_index
from search.facets import FacetData
from search.models import SearchRequest, SearchResult
from search.names import KnownNames
from search.service import SearchService
from search.suggest import SpellIndex, suggest
from tests.conftest import NEWS, article
from tests.indexes import HISTORIES, build_index, given_entities, write_jsonl

WORDS = [
    "banjir",
    "rob",
    "kapal",
    "nelayan",
    "pasar",
    "gempa",
    "bumi",
    "hujan",
    "deras",
    "warga",
    "pompa",
    "listrik",
    "jalan",
    "korupsi",
    "suap",
    "pejabat",
    "pelabuhan",
    "anggaran",
    "pajak",
    "sekolah",
    "guru",
    "rumah",
    "sakit",
    "bandara",
    "kereta",
    "harga",
    "beras",
]
PEOPLE = ["Anies Baswedan", "Sri Mulyani Indrawati", "Rahmat Hidayat", "Sari Wulandari"]
ORGS = ["Komisi Pemberantasan Korupsi", "BPBD", "Kementerian Keuangan", "PT Pertamina"]
PLACES = ["Jakarta", "Bekasi", "Makassar", "Kota Bekasi", "Maluku"]


def _corpus(n: int = 60, seed: int = 7) -> list[Article]:
    """Articles whose entities exercise the merges: "Anies" merged into "Anies Baswedan" by
    the articles that write both, "KPK" by its expansion, "Sri Mulyani" of Klaten kept apart
    from the minister, case variants, and dates over two years."""
    rnd = random.Random(seed)
    out = []
    for i in range(n):
        words = rnd.sample(WORDS, 8)
        person = rnd.sample(PEOPLE, rnd.randint(0, 2))
        variants: list[tuple[str, str, str]] = []
        if "Anies Baswedan" in person:
            variants.append(("person", "Anies", "Anies Baswedan"))
        elif i % 10 == 3:
            person.append("Anies")  # alone: merged by the others' evidence
        if "Sri Mulyani Indrawati" in person:
            variants.append(("person", "Sri Mulyani", "Sri Mulyani Indrawati"))
        org = rnd.sample(ORGS, rnd.randint(0, 2))
        if "Komisi Pemberantasan Korupsi" in org and rnd.random() < 0.7:
            org[org.index("Komisi Pemberantasan Korupsi")] = "KPK"
            variants.append(("organisation", "Komisi Pemberantasan Korupsi", "KPK"))
        place = rnd.sample(PLACES, rnd.randint(0, 2))
        if rnd.random() < 0.1:
            place.append("jakarta")  # a case variant
        a = article(
            f"d{i:03d}",
            f"{words[0].title()} {words[1]} di {place[0] if place else 'daerah'}",
            " ".join([*words, *words[::-1], *(p for p in person)]) + ".",
            outlet=rnd.choice(["Kabar Nusantara", "Warta Timur", "Suara Pesisir", None]),
            published=f"{rnd.choice([2024, 2025])}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"
            if rnd.random() < 0.9
            else None,
            person=tuple(person),
            organisation=tuple(org),
            place=tuple(place),
        )
        a.variants = variants
        out.append(a)
    klaten = article(
        "klaten",
        "Sri Mulyani siap maju pilkada Klaten",
        "Sri Mulyani mendaftar sebagai calon bupati Klaten.",
        person=("Sri Mulyani",),
        place=("Klaten",),
    )
    klaten.variants = [("person", "Sri Mulyani", "")]  # a namesake the article keeps apart
    return [*out, klaten]


QUERIES = [
    "",
    "banjir",
    "korupsi pejabat",
    "banjir OR gempa",
    '"harga beras"',
    "anies baswedan",
    "sri mulyani",
    "korupsu",  # misspelled: the spelling index answers
    "nelayen kapal",
]


def _requests(facets: FacetData) -> Iterator[SearchRequest]:
    for q in QUERIES:
        yield SearchRequest(q=q, per_page=20, facet_size=50)
    for f in ("outlet", *entity_names()):
        for name in facets.values[f].names[:6]:
            yield SearchRequest(q="", filters={f: (name,)}, per_page=20, facet_size=50)
    yield SearchRequest(q="", filters={"person": ("Anies",)}, per_page=20)  # a merged variant
    yield SearchRequest(q="", filters={"organisation": ("kpk",)}, per_page=20)  # case-blind


def _answer(r: SearchResult) -> tuple[object, ...]:
    hits = [(h.id, h.score, h.snippet, h.facets) for h in r.hits]
    partial = (r.partial.total, [h.id for h in r.partial.hits]) if r.partial else None
    return (r.total, hits, r.facets, r.suggestion, r.corrected, partial, r.date_interval)


def _without_files(index_dir: Path, dest: Path) -> Path:
    """A copy of the index whose generation has no written files (as an older one)."""
    shutil.copytree(index_dir, dest, symlinks=True)
    shutil.rmtree(current_path(dest).resolve() / DERIVED)
    return dest


def assert_files_equal_open(index_dir: Path, tmp: Path) -> None:
    """The written files give what computing at open gives: arrays, counts, spelling, names,
    and every answer of a search service."""
    gen = current_path(index_dir).resolve()
    ix = open_index(gen)
    try:
        found = derived.read(gen, ix)
        assert found is not None and found.facets is not None and found.spelling is not None
        assert found.names is not None
        assert set(found.lengths) == {"title", "body", "exact"}  # what BM25F scores
        person = found.facets.rows["person"]
        assert isinstance(person, CountedRows)  # its documents from its counts, when asked
        for mapped in (found.facets.day, person.val, person.start, found.lengths["body"]):
            assert isinstance(mapped.base, np.memmap) and not mapped.flags.writeable
        with ix.searcher() as searcher:
            reader = searcher.reader()
            written, computed = FacetData(reader, None, found.facets), FacetData(reader, None)
            _same_facets(written, computed)
            for fieldname, lengths in found.lengths.items():
                assert np.array_equal(lengths, field_lengths.derive(searcher, fieldname))
            spell_w, spell_c = SpellIndex(reader, found.spelling), SpellIndex(reader)
            assert spell_w.groups.keys() == spell_c.groups.keys()
            for key, codes in spell_c.groups.items():
                assert np.array_equal(spell_w.groups[key], codes), key
            for word in ["korupsu", "nelayen", "bnjir", "pejabt", "zzzz", *WORDS]:
                for d in (1, 2):
                    assert spell_w.near(word, d) == spell_c.near(word, d)
                assert suggest(reader, word, [word], spell_w) == suggest(
                    reader, word, [word], spell_c
                )
            names_w, names_c = KnownNames(written, found.names), KnownNames(computed)
            assert names_c.keys, "the corpus has names of two words"
            for key in names_c.keys:
                assert key in names_w
            for words in ["banjir rob", "anies hidayat", "bupati klaten", "kota jakarta"]:
                assert (words in names_w) == (words in names_c)
    finally:
        ix.close()
    _same_answers(index_dir, _without_files(index_dir, tmp / f"old-{index_dir.name}"))


def _same_answers(index_dir: Path, old: Path) -> None:
    """A service over the index answers as one over its copy without the files (an older
    generation: opened by computing them, as before)."""
    written, computed = SearchService(index_dir), SearchService(old)
    written.warm()
    computed.warm()
    assert written._gen is not None and written._gen.derived is not None
    assert computed._gen is not None and computed._gen.derived is None
    ids = []
    for req in _requests(computed._gen.facets):
        got, want = written.search(req), computed.search(req)
        assert _answer(got) == _answer(want), req
        ids += [h.id for h in want.hits]
    assert ids, "the queries find articles"
    for doc_id in dict.fromkeys(ids):
        assert written.article(doc_id, "banjir") == computed.article(doc_id, "banjir")


def _same_facets(a: FacetData, b: FacetData) -> None:
    assert a.size == b.size
    assert np.array_equal(a.day, b.day) and np.array_equal(a.live, b.live)
    assert np.array_equal(a._days, b._days) and (a.min_date, a.max_date) == (b.min_date, b.max_date)
    assert a.values.keys() == b.values.keys()
    for f, v in b.values.items():
        w = a.values[f]
        assert np.array_equal(w.doc, v.doc) and np.array_equal(w.val, v.val), f
        assert np.array_equal(w.start, v.start), f
        assert w.names == v.names and w.ids == v.ids, f
    assert dict(a.merged) == b.merged and dict(a._held) == b._held
    assert dict(a.per_doc) == b.per_doc and dict(a._variant_names) == b._variant_names
    assert dict(a.written) == b.written and np.array_equal(a.added, b.added)
    assert a.joined == b.joined
    rnd = np.random.default_rng(3)
    masks = [b.live, b.live & (rnd.random(b.size) < 0.5), b.live & (rnd.random(b.size) < 0.05)]
    for mask in masks:
        assert a.histogram(mask) == b.histogram(mask)
        for f in b.values:
            assert a.count(f, mask, limit=0) == b.count(f, mask, limit=0)
    for d in np.flatnonzero(b.live).tolist():
        assert a.entity_values(d) == b.entity_values(d)


@pytest.mark.parametrize("history", HISTORIES)
def test_written_files_equal_what_open_computes(history: str, tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    build_index(index_dir, _corpus(), history)
    ix = open_index(current_path(index_dir))
    with ix.searcher() as searcher:  # the corpus exercises the archive's merges
        facets = FacetData(searcher.reader())
        assert facets.merged["person"].get("Anies") == "Anies Baswedan"
        assert facets.merged["organisation"].get("Komisi Pemberantasan Korupsi") == "KPK"
        assert "Sri Mulyani" in facets._held["person"]
    ix.close()
    assert_files_equal_open(index_dir, tmp_path)


NEW = article(
    "new1",
    "Longsor menimpa desa Cibadak",
    "Longsor menimpa desa Cibadak. Budi Santoso memimpin evakuasi warga.",
    outlet="Warta Timur",
    published="2025-06-01",
    person=("Budi Santoso",),
    place=("Cibadak",),
)


def _counts(svc: SearchService, facet: str) -> dict[str, int]:
    got = svc.search(SearchRequest(q="", facet_size=1000)).facets[facet]
    return {v.value: v.count for v in got}


def _correction(svc: SearchService, q: str) -> str | None:
    """The query's correction, shown as a suggestion or (nothing found) searched for."""
    r = svc.search(SearchRequest(q=q))
    return r.suggestion or r.corrected


def test_update_and_delete_write_the_files_anew(tmp_path: Path) -> None:
    corpus = _corpus()
    index_dir = tmp_path / "index"
    build_index(index_dir, corpus, "fresh")
    svc = SearchService(index_dir)
    total = svc.search(SearchRequest(q="")).total
    assert "Budi Santoso" not in _counts(svc, "person")
    assert _correction(svc, "cibadk") is None
    with given_entities([*corpus, NEW]):
        update_index([write_jsonl(tmp_path / "new.jsonl", [NEW])], index_dir, grace_seconds=0)
    # The service already open moves to the new generation, and its files count the article.
    assert svc.search(SearchRequest(q="")).total == total + 1
    assert _counts(svc, "person")["Budi Santoso"] == 1
    assert _counts(svc, "place")["Cibadak"] == 1
    hits = svc.search(SearchRequest(q="", filters={"person": ("Budi Santoso",)})).hits
    assert [h.id for h in hits] == ["new1"]
    assert _correction(svc, "cibadk") == "cibadak"  # its words too
    assert svc._gen is not None and svc._gen.derived is not None  # read, not computed
    assert "budi santoso" in svc._gen.known_names()
    assert_files_equal_open(index_dir, tmp_path / "updated")

    delete_articles(["new1"], index_dir, grace_seconds=0)
    assert svc.search(SearchRequest(q="")).total == total
    assert "Budi Santoso" not in _counts(svc, "person")
    assert _correction(svc, "cibadk") is None
    assert svc._gen is not None and svc._gen.derived is not None
    assert_files_equal_open(index_dir, tmp_path / "deleted")
    svc.close()


def test_files_written_for_another_state_are_not_used(tmp_path: Path) -> None:
    corpus = _corpus()
    index_dir = tmp_path / "index"
    build_index(index_dir, corpus, "fresh")
    first = current_path(index_dir).resolve()
    shutil.copytree(first / DERIVED, tmp_path / "stale")
    with given_entities([*corpus, NEW]):
        update_index([write_jsonl(tmp_path / "new.jsonl", [NEW])], index_dir, grace_seconds=0)
    now = current_path(index_dir).resolve()
    assert now != first
    shutil.rmtree(now / DERIVED)
    shutil.copytree(tmp_path / "stale", now / DERIVED)  # the files of the generation before
    svc = SearchService(index_dir)
    assert _counts(svc, "person")["Budi Santoso"] == 1
    assert svc._gen is not None and svc._gen.derived is None  # computed at open instead
    svc.close()


def test_corrections_apply_to_the_written_files_without_a_rebuild(tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    build_index(index_dir, _corpus(), "segments")
    old = _without_files(index_dir, tmp_path / "old")
    written, computed = SearchService(index_dir), SearchService(old)
    assert _counts(written, "person") == _counts(computed, "person")
    for where in (index_dir, old):
        path = where / "corrections.jsonl"
        append_correction(path, Correction("rename", "Rahmat Hidayat", "Rahmat Hidayat S.H."))
        append_correction(path, Correction("merge", "Sari Wulandari", "Anies Baswedan"))
        append_correction(path, Correction("retype", "Maluku", "organisation", facet="place"))
    people = _counts(written, "person")
    assert "Rahmat Hidayat S.H." in people and "Rahmat Hidayat" not in people
    assert "Sari Wulandari" not in people
    assert "Maluku" in _counts(written, "organisation")
    assert written._gen is not None and written._gen.derived is not None
    assert "rahmat hidayat s.h." in written._gen.known_names()  # a name the correction added
    assert computed._gen is not None and computed._gen.derived is None
    _same_answers(index_dir, old)
    for f in ("person", "organisation", "place"):
        assert _counts(written, f) == _counts(computed, f)
    written.close()
    computed.close()


@pytest.mark.skipif(not NEWS.exists(), reason="needs ../shared/data/news-clickid.jsonl.gz")
def test_clickid_with_updates_and_deletes(tmp_path: Path) -> None:
    """CLICK-ID articles tagged by the real tagger (merges and short-name joins the archive
    decides), updated and deleted: the written files still equal what open computes."""
    with gzip.open(NEWS, "rt", encoding="utf-8") as news:
        lines = [next(news) for _ in range(700)]
    (tmp_path / "a.jsonl").write_text("".join(lines[:600]), encoding="utf-8")
    changed = []
    for line in lines[:40]:
        record = json.loads(line)
        record["body"] = record.get("body", "") + " Pembaruan redaksi."
        changed.append(json.dumps(record) + "\n")
    (tmp_path / "b.jsonl").write_text("".join(lines[600:] + changed), encoding="utf-8")
    index_dir = tmp_path / "index"
    rebuild_index([tmp_path / "a.jsonl"], index_dir, grace_seconds=0)
    update_index([tmp_path / "b.jsonl"], index_dir, grace_seconds=0)
    ids = [json.loads(line)["id"] for line in lines[100:130]]
    assert delete_articles(ids, index_dir, grace_seconds=0).deleted == len(ids)
    ix = open_index(current_path(index_dir))
    with ix.searcher() as searcher:
        facets = FacetData(searcher.reader())
        assert searcher.reader().has_deletions()
        assert any(facets.merged.values()), "the archive merges names"
    ix.close()
    assert_files_equal_open(index_dir, tmp_path)
