"""The Indonesian analyzer: tokenizer | lowercase | short stopword list | Sastrawi stem.

The same analyzers are pickled into the index schema and used at query time. The stem
function is module-level and builds Sastrawi lazily, so the pickled schema stays small
(a bound stemmer would pickle its 1 MB dictionary into every searcher).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer, StopFilter, Token

# Words joined by hyphens, dots or apostrophes stay one token: "kota-kota", "Nur-Sultan", "2.030".
TOKEN_PATTERN = r"\w+(?:[-.'’]\w+)*"

# Our own short list: Sastrawi's list holds content words (hari, baru, besar, tidak).
STOPWORDS = frozenset(
    [
        "yang",
        "dan",
        "di",
        "ke",
        "dari",
        "ini",
        "itu",
        "dengan",
        "untuk",
        "pada",
        "dalam",
        "adalah",
        "oleh",
        "akan",
        "atau",
        "juga",
        "telah",
        "sudah",
        "para",
        "pun",
        "lah",
        "kah",
        "nya",
        "tersebut",
        "bahwa",
        "serta",
        "maupun",
        "yaitu",
        "yakni",
    ]
)

# Sastrawi only understands [a-z] words (it turns everything else into spaces).
_STEMMABLE = re.compile(r"[a-z]+(?:-[a-z]+)*")


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    from Sastrawi.Dictionary.ArrayDictionary import ArrayDictionary
    from Sastrawi.Stemmer.Stemmer import Stemmer
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    # The bare Stemmer: the factory's CachedStemmer keeps an unbounded cache.
    return Stemmer(ArrayDictionary(StemmerFactory().get_words_from_file()))


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Sastrawi's stem of one lowercase token; tokens it cannot handle come back unchanged."""
    if len(word) < 4 or not _STEMMABLE.fullmatch(word):
        return word
    stemmed: str = _stemmer().stem(word)
    return stemmed if stemmed and " " not in stemmed else word


class SastrawiStemFilter(Filter):
    """Replaces each token's text with its Sastrawi stem."""

    is_morph = True

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)

    def __hash__(self) -> int:
        return hash(type(self))

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for t in tokens:
            if not t.stopped:
                t.text = stem(t.text)
            yield t


def exact_analyzer() -> Any:
    """Unstemmed words, for "quoted phrases" and names. Keeps stopwords so phrases stay exact."""
    return RegexTokenizer(TOKEN_PATTERN) | LowercaseFilter()


def stemmed_analyzer() -> Any:
    return (
        RegexTokenizer(TOKEN_PATTERN)
        | LowercaseFilter()
        | StopFilter(stoplist=STOPWORDS, minsize=1)
        | SastrawiStemFilter()
    )
