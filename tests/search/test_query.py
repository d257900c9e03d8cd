"""The query parser: all words, OR, -word, "phrase", judul:, names, question words, synonyms."""

from __future__ import annotations

from pathlib import Path

import pytest
from whoosh import query as wq

from search.query import QuerySyntaxError, parse_query
from search.synonyms import load_synonyms, read_synonyms


def terms(q: wq.Query | None) -> set[tuple[str, str]]:
    assert q is not None
    return {(f, t if isinstance(t, str) else t.decode()) for f, t in q.iter_all_terms()}


def texts(q: wq.Query | None, field: str = "body") -> set[str]:
    return {t for f, t in terms(q) if f == field}


def test_all_words_are_required_by_stem() -> None:
    parsed = parse_query("kerusuhan kazakhstan")
    assert isinstance(parsed.query, wq.And)
    assert texts(parsed.query) == {"rusuh", "kazakhstan"}
    assert len(parsed.required) == 2 and parsed.relaxable


def test_or_exclude_and_title() -> None:
    parsed = parse_query("tokayev OR putin -rusia judul:kudeta")
    assert texts(parsed.query) == {"tokayev", "putin", "rusia"}
    assert ("title", "kudeta") in terms(parsed.query)
    assert ("body", "kudeta") not in terms(parsed.query)
    assert parsed.excluded is not None and texts(parsed.excluded) == {"rusia"}
    assert len(parsed.required) == 2  # (tokayev OR putin), judul:kudeta


def test_a_quoted_phrase_matches_the_exact_unstemmed_words() -> None:
    parsed = parse_query('"upaya kudeta"')
    assert parsed.query == wq.Phrase("exact", ["upaya", "kudeta"])
    inflected = parse_query('"kerusuhan berdarah"')
    assert inflected.query == wq.Phrase("exact", ["kerusuhan", "berdarah"])


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("Siapa presiden Kazakhstan?", {"presiden", "kazakhstan"}),
        ("Apakah nama ibu kota Kazakhstan?", {"ibu", "kota", "kazakhstan"}),
        ("kapan kerusuhan terjadi", {"rusuh", "jadi"}),
        ("Berapa jumlah korban", {"korban"}),
    ],
)
def test_question_words_are_never_required(q: str, expected: set[str]) -> None:
    assert texts(parse_query(q).query) == expected


def test_only_question_words_find_nothing() -> None:
    assert parse_query("siapa?").query is wq.NullQuery


def test_capitalised_words_that_sastrawi_would_change_are_names() -> None:
    assert texts(parse_query("banjir Bekasi").query) == {"banjir", "bekasi"}
    assert texts(parse_query("koalisi Harapan").query) == {"koalisi", "harapan"}
    assert texts(parse_query("koalisi harapan").query) == {"koalisi", "harap"}


def test_the_first_word_is_capitalised_like_a_sentence_start() -> None:
    # Keyboards capitalise the first letter: that alone does not make a name.
    assert texts(parse_query("Harapan koalisi").query) == {"harap", "koalisi"}
    assert texts(parse_query("Bekasi").query) == {"bekasi"}  # in the exception table


def test_the_index_decides_which_words_are_names() -> None:
    def known(word: str) -> bool:
        return word == "harapan"

    assert texts(parse_query("koalisi Harapan", known=known).query) == {"koalisi", "harapan"}
    # Lowercase, or first: the name and the ordinary word.
    assert texts(parse_query("harapan", known=known).query) == {"harapan", "harap"}
    assert texts(parse_query("Harapan", known=known).query) == {"harapan", "harap"}
    # Capitalised but never indexed as a name: the stem, so ordinary words still match.
    assert texts(parse_query("koalisi Kerusuhan", known=known).query) == {"koalisi", "rusuh"}


def test_abbreviations_expand_to_their_spelling_and_back() -> None:
    dpr = parse_query("DPR").query
    assert ("body", "dpr") in terms(dpr)
    assert ("exact", "perwakilan") in terms(dpr)
    full = parse_query("Dewan Perwakilan Rakyat setuju")
    assert ("body", "dpr") in terms(full.query)
    assert len(full.required) == 2  # the three words count as one clause


def test_short_capital_abbreviations_expand_only_when_typed_in_capitals() -> None:
    assert ("exact", "intelijen") in terms(parse_query("BIN").query)
    assert texts(parse_query("bin").query) == {"bin"}


def test_quoted_phrases_are_not_expanded() -> None:
    assert parse_query('"Komisi Pemberantasan Korupsi"').query == wq.Phrase(
        "exact", ["komisi", "pemberantasan", "korupsi"]
    )


def test_the_builtin_table_is_big_enough() -> None:
    table = load_synonyms(None)
    assert len(table) >= 40
    for abbr in ("DPR", "KPK", "Jokowi", "Polri", "TNI", "BI", "OJK", "Kemenkes"):
        assert table.expansions(abbr), abbr


def test_users_extend_the_synonym_table(tmp_path: Path) -> None:
    path = tmp_path / "mine.tsv"
    path.write_text("# mine\nTelusur\tmesin pencari berita\n", encoding="utf-8")
    table = load_synonyms(path)
    assert table.expansions("telusur") == [("mesin", "pencari", "berita")]
    assert table.expansions("KPK")  # the built-in entries stay
    assert ("exact", "pencari") in terms(parse_query("telusur", synonyms=table).query)
    assert not read_synonyms(path).expansions("KPK")


@pytest.mark.parametrize("q", ['"upaya kudeta', "(a b", "a b)", "sumber:x", "*"])
def test_syntax_errors_say_what_is_wrong(q: str) -> None:
    with pytest.raises(QuerySyntaxError):
        parse_query(q)
