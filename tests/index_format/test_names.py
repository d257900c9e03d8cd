"""Measured: no place, person or organisation name collapses onto another word when stemmed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from index_format.analysis import STOPWORDS, TOKEN_PATTERN, stem, stemmed_analyzer

NAMES_FILE = Path(__file__).resolve().parents[1] / "data" / "names.txt"

# Ordinary words inside organisation names, stemmed correctly: "Kementerian Kesehatan" should
# match "kesehatan" in any form, so these are meant to stem.
ORDINARY_WORDS = frozenset(
    [
        "bangsa-bangsa",
        "harapan",
        "keadilan",
        "keamanan",
        "kebangkitan",
        "kementerian",
        "kepolisian",
        "kepulauan",
        "kesehatan",
        "keuangan",
        "pegunungan",
        "pemberantasan",
        "pemeriksa",
        "pemilihan",
        "penanggulangan",
        "pengawas",
        "perjanjian",
        "perjuangan",
        "permusyawaratan",
        "perserikatan",
        "perusahaan",
        "perwakilan",
        "seribu",
    ]
)


def names() -> list[str]:
    lines = NAMES_FILE.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def words_of(name: str) -> set[str]:
    return {w.lower() for w in re.findall(TOKEN_PATTERN, name)} - ORDINARY_WORDS - STOPWORDS


def name_words() -> set[str]:
    return {w for n in names() for w in words_of(n)}


def test_the_list_is_long_enough_and_has_no_duplicates() -> None:
    assert len(names()) >= 300
    assert len(set(names())) == len(names())


def test_zero_names_collapse_onto_another_word() -> None:
    collisions = {w: stem(w) for w in name_words() if stem(w) != w}
    assert collisions == {}, f"{len(collisions)} names collide: add them to stem_exceptions.tsv"


@pytest.mark.parametrize("template", ["{}", "Kota {} hari ini", "di {} kemarin", "{} menang"])
def test_every_name_indexes_as_itself_in_any_position(template: str) -> None:
    analyzer = stemmed_analyzer()
    for name in names():
        got = {t.text for t in analyzer(template.format(name))}
        assert words_of(name) <= got, name


def test_bekasi_and_bekas_stay_apart() -> None:
    assert stem("bekasi") != stem("bekas")
    assert {t.text for t in stemmed_analyzer()("barang bekas")} == {"barang", "bekas"}
