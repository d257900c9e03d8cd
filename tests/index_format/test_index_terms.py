"""The indexer's fast analysis pass yields exactly the terms, frequencies and positions of the
analyzers the queries use (stemmed title/body with names whole, unstemmed `exact`)."""

from __future__ import annotations

import gzip
import json
import re
from itertools import islice

import pytest
from whoosh.formats import Positions

from index_format.analysis import (
    NAME_MARK,
    exact_analyzer,
    index_terms,
    mark_names,
    stemmed_analyzer,
)
from index_format.schema import build_schema
from indexer.document import to_document
from indexer.models import RawRecord
from indexer.sources import read_archive
from tests.conftest import NEWS, REPO, SEEDS, article

TEXTS = [
    "",
    "   \n\n  ",
    "Di Jakarta",  # the first word a stopword: positions start after it
    "yang dan di ke",  # only stopwords
    "Presiden Joko Widodo meresmikan jalan tol di Bekasi dan Maluku.",
    "Banjir Melanda Kota Bekasi Hari Ini",  # Title Case: capitals are not names
    'Ia berkata: "Relawan menangis." Lalu pergi (ke Bali) bersama Milan.',
    "Kota-kota di Nur-Sultan, Rp2.030 triliun; 1.500 orang ke-2 tahun 2019.",
    "Jum'at pagi, Ma’ruf Amin dan O'Brien di AS. Pemilu 2019 berikan hasil!",
    "KPK menangkap 3 orang. Ketua KPK: \u201cKami bekerja.\u201d\nBaris baru\ndi sini",
    "Pemerintah-nya berbalas-balasan; meniru-nirukan anak-anak, pemberitahuan-pemberitahuan.",
    "İstanbul ÇANAKKALE straße Ünal — ½ ² x² 3rd 10km",  # Unicode letters, digits, casing
    "berikan relawan pemilu bekasi maluku bali milan menangis pengering",
    f"Warga {NAME_MARK}Bekasi dan {NAME_MARK}Maluku menangis. {NAME_MARK}Milan juara.",
    "a. b? c! d: e; f\u201d g' h) i",  # sentence breaks after every word
    # Breaks glued to words, at both ends, one after another (one regex pass finds both).
    '\n"Kata"Lain(Bekasi)Maluku.\n\n\n\u201cKota\u201d Bekasi Jaya.  \n(Milan)\n',
    f'({NAME_MARK}Bekasi) "{NAME_MARK}Maluku:" Relawan 2.030. Kota.Bekasi!Maluku ?\n',
]


def chain_terms(text: str, stemmed: bool) -> dict[str, list[int]]:
    analyzer = stemmed_analyzer() if stemmed else exact_analyzer()
    out: dict[str, list[int]] = {}
    for t in analyzer(text, positions=True, mode="index"):
        out.setdefault(t.text, []).append(t.pos)
    return out


def word_values(field: object, text: str) -> list[tuple[str, int, float, list[int]]]:
    """(term, frequency, weight, positions) as the field's format indexes `text`."""
    fmt = field.format  # type: ignore[attr-defined]
    values = fmt.word_values(text, field.analyzer, mode="index")  # type: ignore[attr-defined]
    return sorted((w, f, wt, fmt.decode_positions(v)) for w, f, wt, v in values)


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("stemmed", [True, False])
def test_varied_texts(text: str, stemmed: bool) -> None:
    assert index_terms(text, stemmed) == chain_terms(text, stemmed)


def _corpus_documents() -> list[dict[str, object]]:
    """Documents as the indexer builds them from the sample archive, the seeds and the first
    400 CLICK-ID articles; each article's capitalised title words stand in for tagged names."""
    from indexer.prepare import extract

    # ../shared (seeds, CLICK-ID) may be absent: then the sample archive alone.
    paths = [REPO / "sample_archive", *([SEEDS] if SEEDS.exists() else [])]
    records = [r for r in read_archive(paths) if isinstance(r, RawRecord)]
    if NEWS.exists():
        with gzip.open(NEWS, "rt", encoding="utf-8") as f:
            for n, line in enumerate(islice(f, 400)):
                rec = json.loads(line)
                fields = {k: rec.get(k) for k in ("title", "body", "url", "outlet", "published")}
                records.append(RawRecord(doc_id=f"news-{n}", source="news", line=n, fields=fields))
    docs = []
    for r in records:
        a = extract(r)
        a.person = re.findall(r"\b[A-Z][a-z]+(?: [A-Z][a-z]+)*", a.title)
        docs.append(to_document(a))
    return docs


def test_schema_fields_on_the_corpus() -> None:
    """Every text field of the schema indexes like Whoosh's Positions run over its analyzer."""
    docs = _corpus_documents()
    assert len(docs) > (400 if NEWS.exists() else 40)
    assert any(NAME_MARK in d["body"] for d in docs)  # type: ignore[operator]
    schema = build_schema()
    for name in ("title", "body", "exact"):
        field = schema[name]
        standard = Positions(field_boost=field.format.field_boost)
        for doc in docs:
            text = doc[name]
            assert isinstance(text, str)
            values = standard.word_values(text, field.analyzer, mode="index")
            expected = sorted((w, f, wt, standard.decode_positions(v)) for w, f, wt, v in values)
            assert word_values(field, text) == expected, (name, doc["id"])


def test_marked_text_stems_all_but_the_names() -> None:
    text = mark_names("Warga Bekasi berikan bantuan di Bekasi.", ["Bekasi"])
    terms = index_terms(text, stemmed=True)
    assert terms == {"warga": [0], "bekasi": [1, 4], "beri": [2], "bantu": [3]}


def test_title_field_weights_carry_its_boost() -> None:
    schema = build_schema()
    doc = to_document(article("x", "Banjir banjir", "Banjir melanda."))
    title = dict((w, (f, wt)) for w, f, wt, _ in word_values(schema["title"], doc["title"]))
    assert title == {"banjir": (2, 4.0)}


def test_pre_tokenized_values_still_index() -> None:
    field = build_schema()["exact"]
    assert [w for w, *_ in word_values(field, ["alfa", "beta"])] == ["alfa", "beta"]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "positions",
    [
        [0],
        [5],
        [127],
        [128],
        [16383],
        [16384],
        [0, 1, 2],
        [3, 130, 131, 20_000],
        [70_000, 2**31],
        list(range(0, 5000, 7)),
    ],
)
def test_positions_round_trip(positions: list[int]) -> None:
    fmt = build_schema()["body"].format
    value = fmt.encode(positions)
    assert fmt.decode_positions(value) == positions
    assert fmt.decode_frequency(value) == len(positions)
    assert fmt.decode_weight(value) == len(positions) * fmt.field_boost
    assert fmt.combine([value, fmt.encode([1, 6])]) == fmt.encode(sorted({1, 6, *positions}))


def test_one_small_position_is_one_byte() -> None:
    assert build_schema()["exact"].format.encode([42]) == bytes([42])
