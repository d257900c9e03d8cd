"""truecase: headline capitals and shouting undone as the corpus writes the words; the words it
keeps are the very strings it was given (extract_entities_many finds the recased ones by
identity)."""

from __future__ import annotations

import pytest

from indexer.ner.features import cap_rate_bucket
from indexer.ner.truecase import truecase

_LOWER = frozenset({"0", "lo"})


def _reference(words: list[str]) -> list[str]:
    """truecase as it was written before the fast paths (one loop over every word)."""
    initials = [w[0] for w in words if len(w) > 3 and w[0].isalpha()]
    headline = len(initials) >= 3 and sum(map(str.isupper, initials)) >= 0.75 * len(initials)
    out: list[str] = []
    for i, w in enumerate(words):
        if w.isupper() and len(w) >= 5 and w.replace("-", "").isalpha():
            low = w.lower()
            bucket = cap_rate_bucket(low)
            if bucket in _LOWER:
                w = low
            elif bucket != "?":
                w = "-".join(p.capitalize() for p in low.split("-"))
        elif headline and i > 0 and w[:1].isupper() and cap_rate_bucket(w.lower()) in _LOWER:
            w = w.lower()
        out.append(w)
    return out


SENTENCES = [
    "Tokayev Paparkan Situasi pada Pertemuan CSTO di Almaty",
    "PEMERINTAH KAZAKHSTAN PINDAHKAN IBU KOTA KE NUR-SULTAN",
    "Ketua KPK mengatakan bahwa pemeriksaan akan dilanjutkan pekan depan .",
    "Presiden Joko Widodo meresmikan jalan tol di Jawa Tengah",
    "KPK Periksa Tiga Saksi Kasus Suap DPRD",  # short acronyms in a headline
    "Rapat DPR RI membahas APBN-P bersama Menteri Keuangan",
    "JAKARTA , KOMPAS.com - Harga minyak dunia naik",
    "Di Ibu Kota Baru",  # too few long words for a headline
    "ini kalimat biasa tanpa huruf besar sama sekali",
    "",
]


@pytest.mark.parametrize("sentence", SENTENCES)
def test_truecase_matches_the_plain_loop_and_keeps_unchanged_words(sentence: str) -> None:
    words = sentence.split()
    for variant in (words, [w.upper() for w in words], [w.title() for w in words]):
        got, want = truecase(variant), _reference(variant)
        assert got == want
        assert [g is w for g, w in zip(got, variant, strict=True)] == [
            r is w for r, w in zip(want, variant, strict=True)
        ]


def test_truecase_lowers_a_headline_and_unshouts_words() -> None:
    assert truecase(["Tokayev", "Paparkan", "Situasi", "pada", "Pertemuan", "CSTO"])[1:3] == [
        "paparkan",
        "situasi",
    ]
    shouted = truecase(["PEMERINTAH", "KAZAKHSTAN", "PINDAHKAN", "IBU", "KOTA"])
    assert shouted[0] != "PEMERINTAH" and shouted[0].lower() == "pemerintah"
