"""Names survive stemming; the stem exception table corrects Sastrawi's wrong stems."""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index_format.analysis import (
    NAME_MARK,
    configure_stem_exceptions,
    exact_analyzer,
    is_name_candidate,
    mark_names,
    read_stem_exceptions,
    stem,
    stemmed_analyzer,
)


def words(text: str) -> list[str]:
    return [t.text for t in stemmed_analyzer()(text)]


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("relawan", "relawan"),  # Sastrawi: rawan
        ("menangis", "tangis"),  # menang
        ("berikan", "beri"),  # ikan
        ("pengering", "kering"),  # ering
        ("pemilu", "pemilu"),  # milu
        ("bekasi", "bekasi"),  # bekas
        ("maluku", "maluku"),  # malu
        ("bali", "bali"),  # bal
        ("milan", "milan"),  # mil
        ("kerusuhan", "rusuh"),  # ordinary words still stem
        ("bekas", "bekas"),
    ],
)
def test_exception_table_corrects_wrong_stems(word: str, expected: str) -> None:
    assert stem(word) == expected


def test_builtin_exception_file_parses_and_every_entry_is_lowercase() -> None:
    table = configure_stem_exceptions(None)
    assert len(table) >= 30
    assert all(k == k.lower() and v == v.lower() for k, v in table.items())


@pytest.fixture
def user_exceptions(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "mine.tsv"
    path.write_text("# mine\nkerusuhan\tkerusuhan\n\npenantian\n", encoding="utf-8")
    yield path
    configure_stem_exceptions(None)


def test_users_extend_the_table_with_a_file(user_exceptions: Path) -> None:
    assert stem("kerusuhan") == "rusuh"
    configure_stem_exceptions(user_exceptions)
    assert stem("kerusuhan") == "kerusuhan"
    assert stem("penantian") == "penantian"
    assert stem("relawan") == "relawan"  # the built-in entries stay


def test_a_malformed_exception_line_is_reported_with_its_place(tmp_path: Path) -> None:
    path = tmp_path / "bad.tsv"
    path.write_text("ok\nthree\tcolumns\there\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad.tsv:2"):
        read_stem_exceptions(path)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Capitalised in mid-sentence: a name, kept whole (Harapan → not "harap").
        (
            "koalisi Pakatan Harapan menang dalam pemilihan umum",
            ["koalisi", "pakatan", "harapan", "menang", "pilih", "umum"],
        ),
        # The same word in lowercase, or opening a sentence, is an ordinary word.
        ("Harapan warga besar", ["harap", "warga", "besar"]),
        ("warga punya harapan. Harapan itu", ["warga", "punya", "harap", "harap"]),
        # A Title Case headline says nothing about names.
        ("Jokowi Berikan Bantuan kepada Relawan", ["jokowi", "beri", "bantu", "kepada", "relawan"]),
        ("Pasar barang bekas di Bekasi", ["pasar", "barang", "bekas", "bekasi"]),
    ],
)
def test_names_are_not_stemmed(text: str, expected: list[str]) -> None:
    assert words(text) == expected


def test_tagged_entity_words_are_marked_and_indexed_whole() -> None:
    text = "Harapan menang. Kata Pakatan Harapan, Nur-Sultan tenang."
    marked = mark_names(text, ["Pakatan Harapan", "Nur-Sultan"])
    assert (
        marked == f"{NAME_MARK}Harapan menang. Kata Pakatan {NAME_MARK}Harapan, Nur-Sultan tenang."
    )
    assert words(marked) == [
        "harapan",
        "menang",
        "kata",
        "pakatan",
        "harapan",
        "nur-sultan",
        "tenang",
    ]
    # Character offsets point into the unmarked text (what is stored and highlighted).
    tokens = [(t.text, t.startchar) for t in exact_analyzer()(marked, chars=True)]
    assert tokens[0] == ("harapan", 1)


def test_marks_are_only_added_where_the_stem_would_change() -> None:
    assert mark_names("Kota Jakarta", ["Jakarta"]) == "Kota Jakarta"
    assert mark_names("barang bekas", ["Bekas"]) == "barang bekas"  # lowercase: not the name


@pytest.mark.parametrize(
    ("word", "expected"),
    [("Harapan", True), ("harapan", False), ("Jakarta", False), ("Kerusuhan", True)],
)
def test_is_name_candidate(word: str, expected: bool) -> None:
    assert is_name_candidate(word) is expected


def test_analyzers_pickle_small() -> None:
    # The schema (analyzers included) is unpickled by every searcher: no stemmer, no table.
    assert len(pickle.dumps(stemmed_analyzer())) < 1000
    assert pickle.loads(pickle.dumps(stemmed_analyzer())) == stemmed_analyzer()


def _mark_names_by_regex(text: str, names: list[str]) -> str:
    """The first implementation of mark_names: one regex of the words, for reference."""
    import re

    from index_format.analysis import TOKEN_PATTERN

    words = {
        w
        for name in names
        for w in re.findall(TOKEN_PATTERN, name)
        if w[:1].isupper() and stem(w.lower()) != w.lower()
    }
    if not words:
        return text
    pattern = re.compile(
        r"(?<![\w"
        + NAME_MARK
        + r"'’.-])("
        + "|".join(map(re.escape, sorted(words, key=len, reverse=True)))
        + r")(?![\w]|[-.'’]\w)"
    )
    return pattern.sub(NAME_MARK + r"\1", text)


@pytest.mark.parametrize(
    "text",
    [
        "Bekasi, Bekasi-Timur, x-Bekasi, .Bekasi, 'Bekasi', ’Bekasi, Bekasi's, Bekasi.com",
        "Nur-Sultan dan Nur Sultan; Nur-Sultan-nya. Harapan Harapan2 _Harapan Harapan_",
        f'{NAME_MARK}Harapan Harapan. (Harapan) "Harapan" —Harapan– Harapan…',
        "Pakatan Harapan menang di Kerusuhan Bekasi 2019; Kerusuhan.",
        "",
        "tanpa nama sama sekali",
    ],
)
def test_mark_names_marks_the_same_occurrences_as_a_regex_would(text: str) -> None:
    names = ["Pakatan Harapan", "Nur-Sultan", "Bekasi", "Kerusuhan", "Nur Sultan", "Harapan2"]
    assert mark_names(text, names) == _mark_names_by_regex(text, names)


# Texts pieced together from name words, their near misses and what may glue to them.
_PIECES = st.sampled_from(
    [
        "Bekasi",
        "Harapan",
        "Nur-Sultan",
        "Nur",
        "Sultan",
        "Kerusuhan",
        "bekasi",
        "Harapan2",
        "é",
        "x",
        "_",
        "2",
        " ",
        "  ",
        "\n",
        "-",
        ".",
        "'",
        "’",
        ",",
        "(",
        ")",
        '"',
        "—",
        NAME_MARK,
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=30).map("".join))
def test_mark_names_agrees_with_the_regex_on_any_text(text: str) -> None:
    names = ["Pakatan Harapan", "Nur-Sultan", "Bekasi", "Kerusuhan", "Nur Sultan", "Harapan2"]
    assert mark_names(text, names) == _mark_names_by_regex(text, names)
