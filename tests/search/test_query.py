"""The query parser: all words, OR, -word, "phrase", judul:, names, question words, synonyms."""

from __future__ import annotations

from pathlib import Path

import pytest
from whoosh import query as wq

from index_format.schema import url_term
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


@pytest.mark.parametrize(
    ("typed", "lower"),
    [
        ("koalisi Harapan", "koalisi harapan"),
        ("Harapan koalisi", "harapan koalisi"),
        ("UU KPK", "uu kpk"),  # KPK expands to Komisi Pemberantasan Korupsi in any case
        ("BIN", "bin"),
        ("Banjir BEKASI", "banjir bekasi"),
        ("Dewan Perwakilan Rakyat", "dewan perwakilan rakyat"),
    ],
)
def test_case_changes_nothing_that_is_searched(typed: str, lower: str) -> None:
    def share(word: str) -> float:
        return {"harapan": 0.3, "bekasi": 1.0}.get(word, 0.0)

    assert parse_query(typed, known=share).query == parse_query(lower, known=share).query


def test_the_index_decides_which_words_are_names() -> None:
    def share(word: str) -> float:  # of the articles holding the word, those naming it
        return {"harapan": 0.1, "pemangkat": 0.95}.get(word, 0.0)

    # Mostly written as a name (the town): only the name, never "mangkat" (to die).
    assert texts(parse_query("Pemangkat", known=share).query) == {"pemangkat"}
    assert texts(parse_query("banjir pemangkat", known=share).query) == {"banjir", "pemangkat"}
    # Mostly an ordinary word, sometimes a name: both.
    assert texts(parse_query("koalisi Harapan", known=share).query) == {
        "koalisi",
        "harapan",
        "harap",
    }
    # Never indexed as a name, or no index to ask: the stem.
    assert texts(parse_query("koalisi Kerusuhan", known=share).query) == {"koalisi", "rusuh"}
    assert texts(parse_query("Harapan").query) == {"harap"}
    assert texts(parse_query("Bekasi").query) == {"bekasi"}  # in the exception table


def test_abbreviations_expand_to_their_spelling_and_back() -> None:
    dpr = parse_query("DPR").query
    assert ("body", "dpr") in terms(dpr)
    assert ("exact", "perwakilan") in terms(dpr)
    full = parse_query("Dewan Perwakilan Rakyat setuju")
    assert ("body", "dpr") in terms(full.query)
    assert len(full.required) == 2  # the three words count as one clause


def test_short_abbreviations_expand_in_any_case() -> None:
    assert ("exact", "intelijen") in terms(parse_query("BIN").query)
    assert ("exact", "intelijen") in terms(parse_query("bin").query)


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


def test_a_users_spelling_longer_than_the_builtin_ones_is_recognised(tmp_path: Path) -> None:
    path = tmp_path / "mine.tsv"
    longest = "badan koordinasi nasional penanggulangan bencana alam kabupaten"  # 7 words
    path.write_text(f"BKNPBAK\t{longest}\n", encoding="utf-8")
    table = load_synonyms(path)
    assert texts(parse_query(longest, synonyms=table).query) >= {"bknpbak"}
    assert "bknpbak" not in texts(parse_query(longest).query)


@pytest.mark.parametrize("q", ['"upaya kudeta', "(a b", "a b)", "*", "banj*"])
def test_syntax_errors_say_what_is_wrong(q: str) -> None:
    with pytest.raises(QuerySyntaxError):
        parse_query(q)


@pytest.mark.parametrize(
    ("typed", "same_as"),
    [
        ("sri AND mulyani", "sri mulyani"),
        ("kudeta NOT rusia", "kudeta -rusia"),
        ("kudeta NOT (rusia OR ukraina)", "kudeta -(rusia OR ukraina)"),
        ('kudeta NOT "upaya kudeta"', 'kudeta -"upaya kudeta"'),
        ("title:kudeta", "judul:kudeta"),
        ("TITLE:kudeta", "judul:kudeta"),
        ('title:"upaya kudeta"', 'judul:"upaya kudeta"'),
        ("judul:(kpk OR dpr)", "(judul:kpk OR judul:dpr)"),
        ("judul:(kpk -dpr) banjir", "(judul:kpk -judul:dpr) banjir"),
        ("-judul:(kpk OR dpr) banjir", "banjir -(judul:kpk OR judul:dpr)"),
        ("banjir NOT", "banjir"),  # nothing to exclude
        ("AND banjir", "banjir"),
    ],
)
def test_capital_operators_and_the_title_field(typed: str, same_as: str) -> None:
    assert parse_query(typed).query == parse_query(same_as).query


def test_lowercase_and_or_not_are_words() -> None:
    assert texts(parse_query("rock and roll").query) == {"rock", "and", "roll"}
    assert texts(parse_query("not").query) == {"not"}


def test_a_field_group_never_searches_the_field_name() -> None:
    q = parse_query("judul:(kpk OR dpr)").query
    assert terms(q) == {("title", "kpk"), ("title", "dpr")}


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("sumber:antara", {"sumber", "antara"}),
        ("banjir pukul 10:30", {"banjir", "pukul", "10", "30"}),
        ("rahasia:(banjir OR rob)", {"rahasia", "banjir", "rob"}),
    ],
)
def test_other_field_names_are_words(typed: str, words: set[str]) -> None:
    assert texts(parse_query(typed).query) == words


@pytest.mark.parametrize(
    "url",
    [
        "https://regional.kompas.com/read/2019/09/10/21485171/diduga-pasok-sabu",
        "https://regional.kompas.com/read/2019/09/10/21485171/diduga-pasok-sabu/",
        "http://regional.kompas.com/read/2019/09/10/21485171/diduga-pasok-sabu?utm_source=wa",
        "regional.kompas.com/read/2019/09/10/21485171/diduga-pasok-sabu#komentar",
    ],
)
def test_a_pasted_url_looks_up_the_article_by_id_or_url(url: str) -> None:
    q = parse_query(url if "://" in url else "https://" + url).query
    key = "regional.kompas.com/read/2019/09/10/21485171/diduga-pasok-sabu"
    assert ("url", key) in terms(q)  # as an index written before issue 23 holds it
    assert ("url", url_term("https://" + key)) in terms(q)  # as indexes hold it since
    assert {f for f, _ in terms(q)} == {"id", "url"}  # no words of the URL


def test_punctuation_after_a_pasted_url_is_not_part_of_it() -> None:
    q = parse_query("lihat https://www.wowkeren.com/berita/tampil/00276207.html.").query
    assert ("url", "wowkeren.com/berita/tampil/00276207.html") in terms(q)
    assert ("body", "lihat") in terms(q)


def test_names_typed_as_the_whole_query_rank_by_the_name() -> None:
    def is_name(words: str) -> bool:
        return words == "sri mulyani"

    parsed = parse_query("Sri Mulyani", is_name=is_name)
    assert parsed.names[0] == wq.Phrase("exact", ["sri", "mulyani"])
    # A synonym spelling is a known name too; its other spellings count as the name.
    jokowi = parse_query("joko widodo").names
    assert jokowi[0] == wq.Or([wq.Phrase("exact", ["joko", "widodo"]), wq.Term("exact", "jokowi")])
    # In a longer query, names only add to the proximity of consecutive words.
    longer = parse_query("Sri Mulyani pajak", is_name=is_name)
    assert longer.names == [] and ("sri", "mulyani") in longer.near
