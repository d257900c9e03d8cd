"""The user's query text → a Whoosh query. Never the default QueryParser: it accepts anything.

Syntax (documented in the README and docs/query-syntax.md; tokens: search.lexer):
    kerusuhan kazakhstan     all words (each matched by its Sastrawi stem, in title or body);
                             `sri AND mulyani` is the same as `sri mulyani`
    tokayev OR putin         either word (OR binds tighter than AND: `a OR b c` is `(a OR b) c`)
    -rusia, NOT rusia        exclude a word (or -"a phrase", NOT (a group))
    "upaya kudeta"           the exact words, in that order (unstemmed field)
    judul:kudeta             only in the title (`title:` is the same); judul:(kpk OR dpr)
    (a OR b) c               grouping
    https://…/artikel        the article with that URL (its id, or its URL's term:
                             index_format.schema.url_terms)
Any other `name:` is read as words, so `sumber:x`, `10:30` and URLs are never refused.

Beyond the syntax:
* matching is case-blind: `UU KPK` and `uu kpk` find the same articles;
* question words (siapa, apa, kapan, ...) and stopwords are never required;
* names are not stemmed: the index keeps a name as written (index_format.analysis), and a typed
  word that the archive mostly writes as a name (NAME_SHARE of its articles) is searched as that
  name only, so `bekasi` never finds "bekas"; a word the archive also writes as an ordinary word
  finds both;
* abbreviations and synonyms (search/data/synonyms.tsv) are expanded: DPR ↔ Dewan Perwakilan
  Rakyat;
* consecutive words that form a known name (a synonym spelling, or an entity of the index) are
  `ParsedQuery.names`: articles holding the name together rank above those holding its words
  apart; other consecutive words found near each other rank higher (`ParsedQuery.near`; both in
  search.ranking.rerank_by_proximity);
* `ParsedQuery.relaxed()` is the "most words" query the service falls back on when all words
  find too little.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import pairwise

from whoosh import query as wq

from index_format.analysis import (
    STOPWORDS,
    TOKEN_PATTERN,
    clip,
    exact_analyzer,
    stem,
    stemmed_analyzer,
)
from index_format.schema import url_terms
from search.lexer import QuerySyntaxError, Tok, lex
from search.synonyms import SynonymTable, default_synonyms

__all__ = ["IsName", "NameShare", "ParsedQuery", "QuerySyntaxError", "parse_query"]

MAX_QUERY_LENGTH = 500
MAX_DEPTH = 8
MAX_CLAUSES = 64
# Asked, not looked for: never required terms (whole words only; "apakah" is also one).
QUESTION_WORDS = frozenset(
    [
        "siapa",
        "siapakah",
        "apa",
        "apakah",
        "apaan",
        "kapan",
        "kapankah",
        "dimana",
        "dimanakah",
        "di",
        "mana",
        "manakah",
        "mana",
        "berapa",
        "berapakah",
        "berapakan",
        "mengapa",
        "kenapa",
        "bagaimana",
        "bagaimanakah",
        "bilamana",
        "adakah",
        "benarkah",
    ]
)
# Right after a question word, these ask rather than look: "Apa nama ...", "Berapa jumlah ...".
QUESTION_FILLERS = frozenset(["nama", "jumlah", "julukan", "sebutan", "istilah", "judul"])
# "Most words": when all words find too little, a document needs this share of them.
RELAX_SHARE = 0.01

_stemmed = stemmed_analyzer()
_exact = exact_analyzer()
_WORD = re.compile(TOKEN_PATTERN)


# A word is searched as a name only (never by its stem) when at least this share of the
# articles that hold it hold it as a name (capitalised in mid-sentence, or a tagged entity):
# "Pemangkat" the town is not "mangkat", but "harapan" is mostly the ordinary word.
NAME_SHARE = 0.8
# The longest run of typed words looked up as a name.
MAX_NAME_WORDS = 6
# A name's spelling is looked for in the title in at most this many forms (name or stem of
# each word).
MAX_TITLE_FORMS = 8

# The share of a lowercase word's articles that hold it as a name (the service's index).
NameShare = Callable[[str], float]
# Whether lowercase words joined by spaces are an entity name the index knows.
IsName = Callable[[str], bool]


@dataclass
class ParsedQuery:
    query: wq.Query | None  # None: an empty query (every article)
    highlight: frozenset[str] = frozenset()  # stemmed terms to mark in snippets
    words: list[str] = field(default_factory=list)  # the plain words typed, for suggestions
    required: list[wq.Query] = field(default_factory=list)  # the top-level clauses, ANDed
    excluded: wq.Query | None = None  # -words and -(groups), never matched
    near: list[tuple[str, str]] = field(default_factory=list)  # consecutive words' index terms
    # A query that is nothing but known names: what ranks its articles (search.ranking's
    # tiers): each name written together, and written together in the title.
    names: list[wq.Query] = field(default_factory=list)

    @property
    def relaxable(self) -> bool:
        return len(self.required) > 1

    @property
    def min_match(self) -> int:
        """The fewest required clauses a relaxed match may have."""
        return max(1, math.ceil(len(self.required) * RELAX_SHARE))

    def relaxed(self) -> wq.Query:
        """Any of the required clauses, scored (the more clauses match, the higher)."""
        q: wq.Query = wq.Or(self.required)
        if self.excluded is not None:
            q = wq.AndNot(q, self.excluded)
        return q


def _runs(
    toks: list[Tok], synonyms: SynonymTable, is_name: IsName | None
) -> tuple[list[Tok], list[str], int]:
    """Runs of plain words that spell a synonym table entry ("Dewan Perwakilan Rakyat") joined
    into one token; the runs that spell a known name (those too), as their typed text; and how
    many of `toks` the runs hold."""
    out: list[Tok] = []
    names: list[str] = []
    covered = 0
    i = 0
    longest = max(synonyms.max_words, MAX_NAME_WORDS if is_name else 1)
    while i < len(toks):
        n, synonym = _run_at(toks, i, longest, synonyms, is_name)
        if n > 1:
            text = " ".join(t.text for t in toks[i : i + n])
            names.append(text)
            covered += n
            out.extend([Tok("term", text=text)] if synonym else toks[i : i + n])
        else:
            out.append(toks[i])
        i += max(n, 1)
    return out, names, covered


def _run_at(
    toks: list[Tok], i: int, longest: int, synonyms: SynonymTable, is_name: IsName | None
) -> tuple[int, bool]:
    """The longest run of plain words from toks[i] that is a synonym spelling (True) or a
    known name (False); (1, False) when there is none. Next to an OR a word is an
    alternative, never part of a run."""
    if i > 0 and toks[i - 1].kind == "or":
        return 1, False
    for end in range(min(i + longest, len(toks)), i + 1, -1):
        if (end < len(toks) and toks[end].kind == "or") or not all(t.plain for t in toks[i:end]):
            continue
        text = " ".join(t.text for t in toks[i:end])
        if synonyms.expansions(text):
            return end - i, True
        if is_name is not None and end - i <= MAX_NAME_WORDS and is_name(text.lower()):
            return end - i, False
    return 1, False


class _Parser:
    def __init__(
        self, toks: list[Tok], share: NameShare | None, synonyms: SynonymTable, urls: bool
    ) -> None:
        self.toks = toks
        self.urls = urls
        self.i = 0
        self.share = share
        self.shares: dict[str, float] = {}
        self.synonyms = synonyms
        self.highlight: set[str] = set()
        self.words: list[str] = []
        self.clauses = 0
        self.required: list[wq.Query] = []
        self.excluded: list[wq.Query] = []
        # The index term of each top-level clause that is one plain word (None otherwise).
        self.sequence_terms: list[str | None] = []
        # Consecutive words within one clause (a synonym's spelling typed out), as index terms.
        self.inner_near: list[tuple[str, str]] = []
        self._simple: str | None = None
        self.after_question = False
        self.fields: list[str | None] = [None]  # the field of each open group: judul:( … )

    def peek(self) -> Tok | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def parse(self) -> wq.Query | None:
        q = self.sequence(depth=0)
        if self.peek() is not None:
            raise QuerySyntaxError("invalid_query.unbalanced_close")
        return q

    def sequence(self, depth: int) -> wq.Query | None:
        """Clauses joined by AND, with OR binding tighter; stops at ')' or the end."""
        positives: list[wq.Query] = []
        negatives: list[wq.Query] = []
        while (tok := self.peek()) is not None and tok.kind != "rp":
            if tok.kind == "or":  # a stray OR (leading, or doubled) is just ignored
                self.i += 1
                continue
            neg, q, simple = self.alternatives(depth)
            if q is not None:
                (negatives if neg else positives).append(q)
                if depth == 0 and not neg:
                    self.sequence_terms.append(simple)
        if depth == 0:
            self.required, self.excluded = positives, negatives
        if not positives and not negatives:
            return None
        pos: wq.Query = (
            wq.And(positives) if len(positives) > 1 else (positives[0] if positives else wq.Every())
        )
        if negatives:
            return wq.AndNot(pos, wq.Or(negatives) if len(negatives) > 1 else negatives[0])
        return pos

    def alternatives(self, depth: int) -> tuple[bool, wq.Query | None, str | None]:
        self._simple = None
        neg, first = self.unary(depth)
        simple = self._simple
        options = [first]
        while (tok := self.peek()) is not None and tok.kind == "or":
            self.i += 1
            if self.peek() is None or self.peek().kind == "rp":  # type: ignore[union-attr]
                break
            _, nxt = self.unary(depth)  # a minus after OR makes no sense; read it as the word
            options.append(nxt)
            simple = None
        kept = [o for o in options if o is not None]
        if not kept:
            return neg, None, None
        return neg, (wq.Or(kept) if len(kept) > 1 else kept[0]), simple

    def unary(self, depth: int) -> tuple[bool, wq.Query | None]:
        tok = self.toks[self.i]
        self.i += 1
        self.clauses += 1
        if self.clauses > MAX_CLAUSES:
            raise QuerySyntaxError("invalid_query.too_many_clauses", max=MAX_CLAUSES)
        if tok.kind == "not":
            nxt = self.peek()
            if nxt is None or nxt.kind in ("rp", "or"):
                return False, None  # nothing to exclude: ignored, as a stray OR is
            _, q = self.unary(depth)
            return True, q
        if tok.kind == "lp":
            if depth + 1 > MAX_DEPTH:
                raise QuerySyntaxError("invalid_query.too_deep", max=MAX_DEPTH)
            self.fields.append(tok.field or self.fields[-1])
            inner = self.sequence(depth + 1)
            self.fields.pop()
            close = self.peek()
            if close is None or close.kind != "rp":
                raise QuerySyntaxError("invalid_query.unbalanced_open")
            self.i += 1
            return tok.neg, inner
        if tok.kind == "rp":  # pragma: no cover - sequence() stops before ')'
            raise QuerySyntaxError("invalid_query.unbalanced_close")
        if tok.kind == "url":
            return tok.neg, _url(tok.text, self.urls)
        return tok.neg, self.term(tok)

    def index_terms(self, word: str) -> list[str]:
        """The index terms one typed word is looked up by, whatever its case: its stem; or,
        when the archive writes it as a name, the name too, or only the name if mostly so."""
        low = clip(word).lower()
        stemmed = stem(low)
        if stemmed == low:
            return [low]
        if low not in self.shares:  # asked once per word: the index counts its articles
            self.shares[low] = self.share(low) if self.share is not None else 0.0
        share = self.shares[low]
        if share <= 0.0:
            return [stemmed]
        return [low] if share >= NAME_SHARE else [low, stemmed]

    def term(self, tok: Tok) -> wq.Query | None:
        fieldname = tok.field or self.fields[-1]
        if tok.phrase:
            if not tok.neg:
                self.highlight.update(t.text for t in _stemmed(tok.text))
            exact = _phrase("exact", [t.text for t in _exact(tok.text)])
            if fieldname == "title":
                # No unstemmed title field: the stems in the title, and the exact words in the
                # article (title or body), so judul:"dipindahkan" misses "memindahkan".
                in_title = _phrase("title", [t.text for t in _stemmed(tok.text)])
                both = [q for q in (in_title, exact) if q is not None]
                return wq.And(both) if len(both) > 1 else (both[0] if both else None)
            return exact
        said = [w.lower() for w in _WORD.findall(tok.text)]
        typed = [w for w in _WORD.findall(tok.text) if w.lower() not in STOPWORDS | QUESTION_WORDS]
        if self.after_question and typed and typed[0].lower() in QUESTION_FILLERS:
            typed = typed[1:]  # "Siapa nama ...": the name is asked for, not looked for
        self.after_question = bool(said) and said[-1] in QUESTION_WORDS
        fields = [fieldname] if fieldname else ["title", "body"]
        per_word = []
        for w in typed:
            terms = self.index_terms(w)
            if not tok.neg:
                self.highlight.update(terms)
            per_word.append(_any_of([wq.Term(f, t) for t in terms for f in fields]))
        if not tok.neg:
            self.words.extend(typed)
            if not fieldname:
                single = [t[0] if len(t) == 1 else None for t in map(self.index_terms, typed)]
                self.inner_near += [(a, b) for a, b in pairwise(single) if a and b and a != b]
        q = (wq.And(per_word) if len(per_word) > 1 else per_word[0]) if per_word else None
        expansions = [] if fieldname else self.synonyms.expansions(tok.text)
        if expansions:
            alternatives = [q] if q is not None else []
            for spelling in expansions:
                alternatives.append(_spelling(spelling, fields))
                if not tok.neg:
                    self.highlight.update(stem(w) for w in spelling)
            return _any_of(alternatives)
        if len(typed) == 1 and len(self.index_terms(typed[0])) == 1 and not fieldname:
            self._simple = self.index_terms(typed[0])[0]
        return q


def _spelling(words: tuple[str, ...], fields: list[str]) -> wq.Query:
    """One spelling of a synonym: a word by its stem, or several as an exact phrase."""
    if len(words) == 1:
        return _any_of([wq.Term(f, stem(words[0])) for f in fields])
    return wq.Phrase("exact", list(words))


def _name_tiers(text: str, synonyms: SynonymTable) -> list[wq.Query]:
    """What ranks the articles of a query that is a name: the name written together (an exact
    phrase, or another spelling: Jokowi), and written together in the title. An article
    matching both ranks above one matching one, above one holding the words apart ("Joko
    Anwar" and, further on, "Widodo"; its title's "Joko" scored it first for `joko widodo`)."""
    spellings = [tuple(t.text for t in _exact(text)), *synonyms.expansions(text)]
    together = [_phrase("exact", list(words)) for words in spellings if words]
    # The title is stemmed except where a word reads as a name: either form of each word.
    forms = [[list(dict.fromkeys((w, stem(w)))) for w in words] for words in spellings if words]
    in_title = [
        _phrase("title", list(choice))
        for words in forms
        if math.prod(map(len, words)) <= MAX_TITLE_FORMS
        for choice in itertools.product(*words)
    ]
    tiers = [[q for q in together if q is not None], [q for q in in_title if q is not None]]
    return [_any_of(t) for t in tiers if t]


def _url(text: str, urls: bool) -> wq.Query:
    """The article with this URL: its id (ids are often the URL) or its indexed URL key."""
    by_id = wq.Term("id", text)
    return wq.Or([by_id, *(wq.Term("url", t) for t in url_terms(text))]) if urls else by_id


def _any_of(queries: list[wq.Query]) -> wq.Query:
    return wq.Or(queries) if len(queries) > 1 else queries[0]


def _all_of(queries: list[wq.Query]) -> wq.Query:
    return wq.And(queries) if len(queries) > 1 else queries[0]


def _phrase(fieldname: str, words: list[str]) -> wq.Query | None:
    if not words:
        return None
    if len(words) == 1:
        return wq.Term(fieldname, words[0])
    return wq.Phrase(fieldname, words)


def parse_query(
    text: str,
    *,
    known: NameShare | None = None,
    synonyms: SynonymTable | None = None,
    is_name: IsName | None = None,
    urls: bool = True,
) -> ParsedQuery:
    """Parse the user's text; raises QuerySyntaxError with a message for the user.

    `known(word)`: the share of the articles holding the lowercase `word` that hold it as a
    name (the service asks its index; without it, words are searched by their stems).
    `is_name(words)`: whether lowercase words are a name the index knows (for ranking).
    `urls`: whether the index's `url` field is indexed (else a URL is looked up by id only).
    `synonyms` defaults to the built-in table.
    """
    if len(text) > MAX_QUERY_LENGTH:
        raise QuerySyntaxError("invalid_query.too_long", max=MAX_QUERY_LENGTH)
    if text.strip() in ("*", "*:*"):
        raise QuerySyntaxError("invalid_query.match_all")
    table = default_synonyms() if synonyms is None else synonyms
    lexed = lex(text)
    toks, name_runs, covered = _runs(lexed, table, is_name)
    parser = _Parser(toks, known, table, urls)
    q = parser.parse()
    if q is None and text.strip():
        q = wq.NullQuery  # only stopwords or punctuation: nothing to find, not everything
    terms = parser.sequence_terms
    near = [(a, b) for a, b in pairwise(terms) if a and b and a != b] + parser.inner_near
    excluded = (
        None
        if not parser.excluded
        else (wq.Or(parser.excluded) if len(parser.excluded) > 1 else parser.excluded[0])
    )
    # Only a query that is nothing but names asks for them so strictly; in a longer one
    # ("Siapa nama suku yang dibantai Saddam Hussein"), an article may shorten the name
    # ("Saddam"): there the names' words only rank higher for standing close (`near`).
    names: list[wq.Query] = []
    if name_runs and covered == len(lexed):
        names = [q for r in dict.fromkeys(name_runs) for q in _name_tiers(r, table)]
        near = []  # the tiers say it already: every article of the first holds the words together
    return ParsedQuery(
        q,
        frozenset(parser.highlight),
        parser.words,
        required=parser.required,
        excluded=excluded,
        near=list(dict.fromkeys(near)),
        names=names,
    )
