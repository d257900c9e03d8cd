"""The Indonesian analyzer: tokenizer | lowercase | short stopword list | Sastrawi stem.

The same analyzers are pickled into the index schema and used at query time. The stem
function is module-level and builds Sastrawi lazily, so the pickled schema stays small
(a bound stemmer would pickle its 1 MB dictionary into every searcher).

Names are never stemmed. Sastrawi turns names into words (Bekasi→bekas, Maluku→malu), so the
stemmed analyzer keeps a token's unstemmed, lowercased surface form when the token is a name:

* it carries NAME_MARK (the indexer puts it in front of the words of tagged entities, see
  `mark_names`), or
* it is capitalised in mid-sentence, in a sentence that is not written in Title Case.

Independently of that, the stem exception table (index_format/data/stem_exceptions.tsv, extendable
with `configure_stem_exceptions`) corrects the stems Sastrawi gets wrong for common words
(relawan→rawan) and keeps well-known names whole wherever they stand ("bekasi", "maluku").
The query side (search.query) applies the same rules with `is_name_candidate` and `stem`.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator
from functools import lru_cache, partial
from itertools import chain, compress, islice
from operator import is_not, itemgetter
from pathlib import Path
from typing import Any

from whoosh.analysis import Filter, LowercaseFilter, StopFilter, Token, Tokenizer

# Words joined by hyphens, dots or apostrophes stay one token: "kota-kota", "Nur-Sultan", "2.030".
TOKEN_PATTERN = r"\w+(?:[-.'’]\w+)*"
# A longer token is indexed and searched by its first MAX_TERM_CHARS characters (`clip`): the
# longest Indonesian words have ~30; a scraped blob of 70,000 letters must not become a term
# the codec cannot hold (2 bytes of length) nor one per distinct blob.
MAX_TERM_CHARS = 100
# Put in front of a word by the indexer: "this word belongs to a tagged entity".
# A private-use character: never in real text, and not a word character.
NAME_MARK = "\ue000"
_MARKED_TOKEN = re.compile(NAME_MARK + r"?" + TOKEN_PATTERN)
_TOKEN = re.compile(TOKEN_PATTERN)
# A token right after one of these is part of something else ("x-Bekasi", ".Bekasi").
_GLUED = NAME_MARK + "'’.-"
_JOINERS = "-.'’"  # join words into one token (TOKEN_PATTERN)
# Where a sentence starts: the text's start, or after . ! ? : a newline or an opening quote.
_SENTENCE_BREAK = re.compile(r"[.!?:;]['\"”’)]*\s+|\n|[\"“(]")
# A sentence with at least this many long words, this share of them capitalised, is Title Case
# (a headline): capitals there say nothing about names.
_TITLE_CASE_MIN_WORDS = 3
_TITLE_CASE_SHARE = 0.6

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

BUILTIN_STEM_EXCEPTIONS = Path(__file__).resolve().parent / "data" / "stem_exceptions.tsv"


def read_stem_exceptions(path: Path) -> dict[str, str]:
    """word → stem from a TSV file: `word<TAB>stem`, or `word` alone to keep it unstemmed.

    Blank lines and lines starting with # are ignored. Raises ValueError on a malformed line.
    """
    table: dict[str, str] = {}
    for n, raw in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = [p.strip().lower() for p in line.split("\t") if p.strip()]
        if len(parts) > 2 or not all(_STEMMABLE.fullmatch(p) for p in parts):
            raise ValueError(f"{path}:{n}: expected 'word<TAB>stem' or 'word', got {raw!r}")
        table[parts[0]] = parts[-1]
    return table


_exceptions: dict[str, str] = {}
_exceptions_loaded = False


def configure_stem_exceptions(extra_file: Path | None = None) -> dict[str, str]:
    """Use the built-in exception table plus `extra_file` (settings.stem_exceptions_file).

    Call it once at start-up, in the indexer and in the web app alike: index and queries must
    stem the same way (an index built with other exceptions needs a rebuild). Returns the table.
    """
    global _exceptions_loaded
    table = read_stem_exceptions(BUILTIN_STEM_EXCEPTIONS)
    if extra_file is not None:
        table.update(read_stem_exceptions(extra_file))
    _exceptions.clear()
    _exceptions.update(table)
    _exceptions_loaded = True
    stem.cache_clear()
    _name_words.cache_clear()
    _word_infos.clear()
    return dict(table)


def stem_exceptions() -> dict[str, str]:
    if not _exceptions_loaded:
        configure_stem_exceptions(None)
    return _exceptions


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    from index_format.stemmer import Stemmer, sastrawi_words

    # Our port of PySastrawi's Stemmer (same results, ~30x faster; tests/index_format/test_stemmer.py),
    # on its dictionary. No cache inside: `stem` has a bounded one.
    return Stemmer(sastrawi_words())


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The stem of one lowercase token: the exception table first, then Sastrawi.

    Tokens Sastrawi cannot handle come back unchanged.
    """
    fixed = stem_exceptions().get(word)
    if fixed is not None:
        return fixed
    if len(word) < 4 or not _STEMMABLE.fullmatch(word):
        return word
    stemmed: str = _stemmer().stem(word)
    return stemmed if stemmed and " " not in stemmed else word


def _capitalised(word: str) -> bool:
    return word[:1].isupper()


def _title_case(words: list[str]) -> bool:
    long = [w for w in words[1:] if len(w) >= 4 and w[:1].isalpha()]
    return _headline(len(long), sum(_capitalised(w) for w in long))


def clip(word: str) -> str:
    """`word` as the index holds it: its first MAX_TERM_CHARS characters (the text keeps it
    whole). The tokenizer, index_terms and the query parser all clip the same way."""
    return word[:MAX_TERM_CHARS]


def _headline(long: int, capitals: int) -> bool:
    """Title Case: enough long words after the first, and enough of them capitalised."""
    return long >= _TITLE_CASE_MIN_WORDS and capitals >= _TITLE_CASE_SHARE * long


class IndonesianTokenizer(Tokenizer):
    """Words as TOKEN_PATTERN, each flagged `t.name` when it reads as a name (see module doc).

    Stateless, so it pickles as its class name alone.
    """

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)

    def __hash__(self) -> int:
        return hash(type(self))

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            t.original = t.text = value
            t.boost = 1.0
            t.name = False
            if positions:
                t.pos = start_pos
            if chars:
                t.startchar = start_char
                t.endchar = start_char + len(value)
            yield t
            return
        pos = start_pos
        sent_start = 0
        for sentence_end in [*(m.end() for m in _SENTENCE_BREAK.finditer(value)), len(value)]:
            if sentence_end <= sent_start:
                continue
            matches = list(_MARKED_TOKEN.finditer(value, sent_start, sentence_end))
            sent_start = sentence_end
            words = [m.group(0).lstrip(NAME_MARK) for m in matches]
            headline = _title_case(words)
            for i, (m, word) in enumerate(zip(matches, words, strict=True)):
                marked = m.group(0)[0] == NAME_MARK
                t.text = clip(word)
                t.name = marked or (i > 0 and not headline and _capitalised(word))
                t.boost = 1.0
                t.stopped = False
                if keeporiginal:
                    t.original = word
                if positions:
                    t.pos = pos
                    pos += 1
                if chars:
                    t.startchar = start_char + m.start() + (1 if marked else 0)
                    t.endchar = start_char + m.end()
                yield t


class SastrawiStemFilter(Filter):
    """Replaces each token's text with its stem, except names (`t.name`), which stay whole."""

    is_morph = True

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)

    def __hash__(self) -> int:
        return hash(type(self))

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for t in tokens:
            if not t.stopped and not getattr(t, "name", False):
                t.text = stem(t.text)
            yield t


def is_name_candidate(word: str) -> bool:
    """True when `word` (as typed) is capitalised and its stem differs: it may be a name."""
    low = word.lower()
    return _capitalised(word) and stem(low) != low


def mark_names(text: str, names: Iterable[str]) -> str:
    """`text` with NAME_MARK before each capitalised occurrence of a word of `names`.

    Only words whose stem would change are marked (the others index the same either way).
    An occurrence is a whole token (TOKEN_PATTERN) not glued to a mark or to ' ’ . - before
    it. The indexer passes the entity names tagged in the article; the marks never reach the
    stored text (see indexer.document.to_document).
    """
    return mark_words(text, name_words(names))


def name_words(names: Iterable[str]) -> frozenset[str]:
    """The words of `names` that `mark_names` marks: capitalised, and changed by the stemmer.
    An article's title and body share them: the indexer finds them once (`mark_words`)."""
    return frozenset(chain.from_iterable(map(_name_words, names)))


@lru_cache(maxsize=100_000)
def _name_words(name: str) -> tuple[str, ...]:
    """`name_words` of one name (names recur from article to article)."""
    return tuple(
        w for w in _TOKEN.findall(name) if _capitalised(w) and stem(w.lower()) != w.lower()
    )


def mark_words(text: str, words: Collection[str]) -> str:
    """`mark_names` for the words `name_words` found."""
    if not words:
        return text
    # Each word's occurrences found with str.find, kept where they are a whole token: cheaper
    # than walking every token of the text for a handful of words.
    starts = []
    for word in words:
        i = text.find(word)
        while i >= 0:
            if (i == 0 or (not _word_char(text[i - 1]) and text[i - 1] not in _GLUED)) and not (
                _token_goes_on(text, i + len(word))
            ):
                starts.append(i)
            i = text.find(word, i + 1)
    if not starts:
        return text
    parts: list[str] = []
    last = 0
    for start in sorted(starts):
        parts += (text[last:start], NAME_MARK)
        last = start
    parts.append(text[last:])
    return "".join(parts)


def _word_char(c: str) -> bool:
    return c.isalnum() or c == "_"  # what \w matches


def _token_goes_on(text: str, end: int) -> bool:
    """Whether a TOKEN_PATTERN token reaching `end` would go on past it."""
    if end >= len(text):
        return False
    c = text[end]
    return _word_char(c) or (c in _JOINERS and end + 1 < len(text) and _word_char(text[end + 1]))


def exact_analyzer() -> Any:
    """Unstemmed words, for "quoted phrases" and names. Keeps stopwords so phrases stay exact."""
    return IndonesianTokenizer() | LowercaseFilter()


def stemmed_analyzer() -> Any:
    return (
        IndonesianTokenizer()
        | LowercaseFilter()
        | StopFilter(stoplist=STOPWORDS, minsize=1)
        | SastrawiStemFilter()
    )


# A text's words, a name's with the NAME_MARK before it, and its sentence breaks, in one
# regex pass: a break matches as "" (the group holds the word). No token holds a break's
# characters, nor starts with one, so the words between two ""s are a sentence's, as
# IndonesianTokenizer cuts them; one findall over the text costs half of one per sentence.
_WORDS_AND_BREAKS = re.compile(rf"{_SENTENCE_BREAK.pattern}|({_MARKED_TOKEN.pattern})")


def _sentence_bounds(words: list[str]) -> list[tuple[int, int]]:
    """[start, end) of each non-empty run of words between the ""s of `words`."""
    bounds = []
    start = 0
    end = len(words)
    while start < end:
        try:
            stop = words.index("", start)
        except ValueError:
            stop = end
        if stop > start:
            bounds.append((start, stop))
        start = stop + 1
    return bounds


# What index_tokens needs of a word as typed, kept per process (news repeats its words, and
# the postings keep these strings rather than a copy per occurrence): (lowercase form; its
# stem, None for a stopword; 1 if it counts for Title Case; capitalised; 1 if it counts and
# is capitalised; its term after a sentence's first word where capitals mark names: the
# lowercase form when capitalised, else the stem). A word with NAME_MARK before it is a
# name's: its own entry has the unmarked word's lowercase form as its term everywhere (the
# stem's place and the name's), so the marks need no pass of their own.
_WordInfo = tuple[str, str | None, int, bool, int, str | None]
_word_infos: dict[str, _WordInfo] = {}
_WORD_INFOS_MAX = 200_000  # as many as stem() keeps (both: ~33 MB per 100,000 words)
_LOW, _STEM, _LONG, _LONG_CAPITAL, _MID = (itemgetter(i) for i in (0, 1, 2, 4, 5))
_is_term = partial(is_not, None)  # not a stopword's stem (None)


# A sentence break's entry (_WORDS_AND_BREAKS gives it as ""): no term, not a word.
_BREAK_INFO: _WordInfo = ("", None, 0, False, 0, None)


def _word_info(word: str) -> _WordInfo:
    if len(_word_infos) >= _WORD_INFOS_MAX:
        _word_infos.clear()
    if not word:
        _word_infos[word] = _BREAK_INFO
        return _BREAK_INFO
    if word[:1] == NAME_MARK:
        plain = word[1:]
        low, stemmed, long, capital, long_capital, _ = _word_infos.get(plain) or _word_info(plain)
        term = None if stemmed is None else low
        info = (low, term, long, capital, long_capital, term)
        _word_infos[word] = info
        return info
    low = clip(word).lower()
    stemmed = None if low in STOPWORDS else stem(low)
    long = int(len(word) >= 4 and word[:1].isalpha())  # as _title_case counts
    capital = _capitalised(word)
    mid = low if capital and stemmed is not None else stemmed
    info = (low, stemmed, long, capital, long * capital, mid)
    _word_infos[word] = info
    return info


def _infos(words: list[str]) -> list[_WordInfo]:
    infos = list(map(_word_infos.get, words))
    if None in infos:
        return [info or _word_info(w) for info, w in zip(infos, words, strict=True)]
    return infos  # type: ignore[return-value]  # no None in it


def index_tokens(text: str, stemmed: bool, lows: list[str] | None = None) -> tuple[list[str], int]:
    """The terms `stemmed_analyzer()` (or `exact_analyzer()`) index `text` with, in position
    order, and the first one's position: the positions follow one another from there (the
    StopFilter renumbers the words it keeps). `lows`, if given, gets every word of `text` in
    lower case, stopwords included: the terms `exact_analyzer()` indexes it with (the pool
    reuses them for the exact field, whose text joins the title and body).

    The indexer's fast path (index_format.pool): one regex pass, a cached tuple per word type
    and a few map() calls per sentence instead of a Token per word through a chain of
    generators; the pool groups the terms into postings with numpy.
    tests/index_format/test_index_terms.py holds it equal to the analyzers.
    """
    terms: list[str]
    if not stemmed:
        terms = list(map(_LOW, _infos(_MARKED_TOKEN.findall(text))))
        if lows is not None:
            lows += terms
        return terms, 0
    terms = []
    first = -1  # the position of the first word kept
    pos = 0  # words before this sentence, stopwords included
    words = _WORDS_AND_BREAKS.findall(text)
    every = _infos(words)
    if lows is not None:
        lows += map(_LOW, compress(every, words))  # (a break's word is "")
    for a, b in _sentence_bounds(words):
        infos = every[a:b]
        # _title_case, from the infos: a headline's capitals say nothing about names.
        long = sum(map(_LONG, infos)) - infos[0][2]
        names = long < _TITLE_CASE_MIN_WORDS or not _headline(
            long, sum(map(_LONG_CAPITAL, infos)) - infos[0][4]
        )  # a capital after the sentence's first word marks a name
        if first < 0:
            first = next((pos + i for i, info in enumerate(infos) if info[1] is not None), -1)
        # A word's term: its stem; a name's (marked, or capitalised after the first word of
        # a sentence that is not a headline) is its lowercase form. Stopwords (stem None) go.
        # (A marked word's entry holds its lowercase form as both: _word_info.)
        if names:
            if infos[0][1] is not None:
                terms.append(infos[0][1])
            terms += filter(_is_term, map(_MID, islice(infos, 1, None)))
        else:
            terms += filter(_is_term, map(_STEM, infos))
        pos += b - a
    return terms, max(first, 0)


def index_terms(text: str, stemmed: bool) -> dict[str, list[int]]:
    """Term → positions, exactly as `stemmed_analyzer()` (or `exact_analyzer()`) index `text`:
    `index_tokens` grouped by term."""
    tokens, first = index_tokens(text, stemmed)
    terms: dict[str, list[int]] = {}
    for pos, term in enumerate(tokens, first):
        if term in terms:
            terms[term].append(pos)
        else:
            terms[term] = [pos]
    return terms
