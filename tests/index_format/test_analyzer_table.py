"""The Indonesian analyzer: the stems users' words are matched by."""

import pytest

from index_format.analysis import exact_analyzer, stem, stemmed_analyzer


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("kerusuhan", "rusuh"),
        ("mengungkapkan", "ungkap"),
        ("pemerintahan", "perintah"),
        ("dikoordinasikan", "koordinasi"),
        ("kota-kota", "kota"),
        ("kazakhstan", "kazakhstan"),  # not in the dictionary: unchanged
        ("tokayev", "tokayev"),
        ("2.030", "2.030"),  # numbers are not words to stem
        ("bbc.com", "bbc.com"),
    ],
)
def test_stem(word: str, expected: str) -> None:
    assert stem(word) == expected


def test_stemmed_analyzer_lowercases_drops_stopwords_and_stems() -> None:
    tokens = [t.text for t in stemmed_analyzer()("Kerusuhan yang terjadi di Kazakhstan")]
    assert tokens == ["rusuh", "jadi", "kazakhstan"]


def test_exact_analyzer_keeps_every_word_unstemmed() -> None:
    tokens = [t.text for t in exact_analyzer()("Upaya kudeta di Nur-Sultan")]
    assert tokens == ["upaya", "kudeta", "di", "nur-sultan"]


def test_query_and_index_use_the_same_stems() -> None:
    # A user's inflected query word meets the article's differently inflected word.
    index_side = {t.text for t in stemmed_analyzer()("pemerintah mengerahkan pasukan")}
    query_side = {t.text for t in stemmed_analyzer()("pengerahan")}
    assert query_side <= index_side
