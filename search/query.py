"""The user's query text → a Whoosh query. Never the default QueryParser: it accepts anything.

Syntax (documented in the README and the page's help):
    kerusuhan kazakhstan     all words (each matched by its Sastrawi stem, in title or body)
    tokayev OR putin         either word
    -rusia                   exclude a word (or -"a phrase")
    "upaya kudeta"           the exact words, in that order (unstemmed field)
    judul:kudeta             only in the title (the only field users may name)
    (a OR b) c               grouping

Beyond the syntax (docs/query-syntax.md):
* question words (siapa, apa, kapan, ...) and stopwords are never required;
* names are not stemmed: a capitalised word that Sastrawi would change (Bekasi) is searched as
  written when the index knows it as a name (see index_format.analysis); a lowercase word the index
  knows as a name finds both the name and the stem;
* abbreviations and synonyms (search/data/synonyms.tsv) are expanded: DPR ↔ Dewan Perwakilan
  Rakyat;
* consecutive words found near each other rank higher (search.ranking.rerank_by_proximity,
  from `ParsedQuery.near`);
* `ParsedQuery.relaxed()` is the "most words" query the service falls back on when all words
  find too little.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from whoosh import query as wq

from index_format.analysis import (
    STOPWORDS,
    TOKEN_PATTERN,
    clip,
    exact_analyzer,
    stem,
    stemmed_analyzer,
)
from search.synonyms import SynonymTable, default_synonyms

MAX_QUERY_LENGTH = 500
MAX_DEPTH = 8
MAX_CLAUSES = 64
USER_FIELDS = {"judul": "title"}
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

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<neg>-)?(?P<lp>\()
      | (?P<rp>\))
      | (?P<or>OR)(?=[\s()]|$)
      | (?P<tneg>-)?(?:(?P<field>[^\W\d_]+):(?=\S))?(?:"(?P<phrase>[^"]*)"|(?P<word>[^\s()"]+))
      | (?P<quote>")
    )""",
    re.VERBOSE,
)

_stemmed = stemmed_analyzer()
_exact = exact_analyzer()
_WORD = re.compile(TOKEN_PATTERN)


class QuerySyntaxError(ValueError):
    """Why the text cannot be searched: a code (webui.i18n words it for the person who typed
    it) and the values its message needs."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(f"{code} {params}" if params else code)
        self.code = code
        self.params = params


@dataclass
class _Tok:
    kind: str  # lp | rp | or | term
    neg: bool = False
    field: str | None = None
    text: str = ""
    phrase: bool = False


@dataclass
class ParsedQuery:
    query: wq.Query | None  # None: an empty query (every article)
    highlight: frozenset[str] = frozenset()  # stemmed terms to mark in snippets
    words: list[str] = field(default_factory=list)  # the plain words typed, for suggestions
    required: list[wq.Query] = field(default_factory=list)  # the top-level clauses, ANDed
    excluded: wq.Query | None = None  # -words and -(groups), never matched
    near: list[tuple[str, str]] = field(default_factory=list)  # consecutive words' index terms

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


def _lex(text: str) -> list[_Tok]:
    toks: list[_Tok] = []
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise QuerySyntaxError("invalid_query.unreadable")
        pos = m.end()
        if m["lp"]:
            toks.append(_Tok("lp", neg=bool(m["neg"])))
        elif m["rp"]:
            toks.append(_Tok("rp"))
        elif m["or"]:
            toks.append(_Tok("or"))
        elif m["quote"]:
            raise QuerySyntaxError("invalid_query.unbalanced_quote")
        else:
            fname = m["field"]
            if fname is not None and fname.lower() not in USER_FIELDS:
                raise QuerySyntaxError("invalid_query.unknown_field", field=fname)
            is_phrase = m["phrase"] is not None
            word = m["phrase"] if is_phrase else m["word"]
            if not is_phrase and "*" in word:
                raise QuerySyntaxError("invalid_query.wildcard")
            toks.append(
                _Tok(
                    "term",
                    neg=bool(m["tneg"]),
                    field=USER_FIELDS[fname.lower()] if fname else None,
                    text=word,
                    phrase=is_phrase,
                )
            )
    return toks


def _merge_synonym_runs(toks: list[_Tok], synonyms: SynonymTable) -> list[_Tok]:
    """Join runs of plain words that spell a table entry ("Dewan Perwakilan Rakyat") into one."""
    out: list[_Tok] = []
    i = 0
    longest = synonyms.max_words

    def plain(j: int) -> bool:
        t = toks[j]
        return t.kind == "term" and not (t.neg or t.field or t.phrase)

    while i < len(toks):
        merged = False
        before_or = i > 0 and toks[i - 1].kind == "or"
        for n in range(min(longest, len(toks) - i), 1, -1):
            end = i + n
            if before_or or (end < len(toks) and toks[end].kind == "or"):
                continue
            if not all(plain(j) for j in range(i, end)):
                continue
            text = " ".join(t.text for t in toks[i:end])
            if synonyms.expansions(text):
                out.append(_Tok("term", text=text))
                i = end
                merged = True
                break
        if not merged:
            out.append(toks[i])
            i += 1
    return out


class _Parser:
    def __init__(
        self, toks: list[_Tok], known: Callable[[str], bool] | None, synonyms: SynonymTable
    ) -> None:
        self.toks = toks
        self.i = 0
        self.known = known
        self.synonyms = synonyms
        self.highlight: set[str] = set()
        self.words: list[str] = []
        self.clauses = 0
        self.required: list[wq.Query] = []
        self.excluded: list[wq.Query] = []
        # The index term of each top-level clause that is one plain word (None otherwise).
        self.sequence_terms: list[str | None] = []
        self._simple: str | None = None
        self.after_question = False
        first = next((t for t in toks if t.kind == "term" and not t.phrase), None)
        words = _WORD.findall(first.text) if first is not None else []
        self.first_word: str | None = None
        if toks and toks[0] is first and words and first is not None and not first.field:
            self.first_word = words[0]

    def peek(self) -> _Tok | None:
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
        if tok.kind == "lp":
            if depth + 1 > MAX_DEPTH:
                raise QuerySyntaxError("invalid_query.too_deep", max=MAX_DEPTH)
            inner = self.sequence(depth + 1)
            close = self.peek()
            if close is None or close.kind != "rp":
                raise QuerySyntaxError("invalid_query.unbalanced_open")
            self.i += 1
            return tok.neg, inner
        if tok.kind == "rp":  # pragma: no cover - sequence() stops before ')'
            raise QuerySyntaxError("invalid_query.unbalanced_close")
        return tok.neg, self.term(tok)

    def index_terms(self, word: str) -> list[str]:
        """The index terms one typed word is looked up by: its stem, or itself if a name."""
        low = clip(word).lower()
        stemmed = stem(low)
        if stemmed == low:
            return [low]
        # The query's first word is capitalised as a sentence's is: that says nothing.
        capitalised = word[:1].isupper() and word is not self.first_word
        if self.known is None:  # no index to ask: capitals mean a name
            return [low] if capitalised else [stemmed]
        if not self.known(low):
            return [stemmed]
        return [low] if capitalised else [low, stemmed]

    def term(self, tok: _Tok) -> wq.Query | None:
        if tok.phrase:
            if not tok.neg:
                self.highlight.update(t.text for t in _stemmed(tok.text))
            exact = _phrase("exact", [t.text for t in _exact(tok.text)])
            if tok.field == "title":
                # No unstemmed title field: the stems in the title, and the exact words in the
                # article (title or body), so judul:"dipindahkan" misses "memindahkan".
                in_title = _phrase("title", [t.text for t in _stemmed(tok.text)])
                both = [q for q in (in_title, exact) if q is not None]
                return wq.And(both) if len(both) > 1 else (both[0] if both else None)
            return exact
        said = [w.lower() for w in _WORD.findall(tok.text)]
        found = _WORD.findall(tok.text)
        if self.first_word is not None and tok is self.toks[0] and found:
            found[0] = self.first_word  # the very object, so index_terms knows it
        typed = [w for w in found if w.lower() not in STOPWORDS | QUESTION_WORDS]
        if self.after_question and typed and typed[0].lower() in QUESTION_FILLERS:
            typed = typed[1:]  # "Siapa nama ...": the name is asked for, not looked for
        self.after_question = bool(said) and said[-1] in QUESTION_WORDS
        fields = [tok.field] if tok.field else ["title", "body"]
        per_word = []
        for w in typed:
            terms = self.index_terms(w)
            if not tok.neg:
                self.highlight.update(terms)
            per_word.append(_any_of([wq.Term(f, t) for t in terms for f in fields]))
        if not tok.neg:
            self.words.extend(typed)
        q = (wq.And(per_word) if len(per_word) > 1 else per_word[0]) if per_word else None
        expansions = [] if tok.field else self.synonyms.expansions(tok.text)
        if expansions:
            alternatives = [q] if q is not None else []
            for spelling in expansions:
                if len(spelling) == 1:
                    alternatives.append(_any_of([wq.Term(f, stem(spelling[0])) for f in fields]))
                else:
                    alternatives.append(wq.Phrase("exact", list(spelling)))
                if not tok.neg:
                    self.highlight.update(stem(w) for w in spelling)
            return _any_of(alternatives)
        if len(typed) == 1 and len(self.index_terms(typed[0])) == 1 and not tok.field:
            self._simple = self.index_terms(typed[0])[0]
        return q


def _any_of(queries: list[wq.Query]) -> wq.Query:
    return wq.Or(queries) if len(queries) > 1 else queries[0]


def _phrase(fieldname: str, words: list[str]) -> wq.Query | None:
    if not words:
        return None
    if len(words) == 1:
        return wq.Term(fieldname, words[0])
    return wq.Phrase(fieldname, words)


def parse_query(
    text: str,
    *,
    known: Callable[[str], bool] | None = None,
    synonyms: SynonymTable | None = None,
) -> ParsedQuery:
    """Parse the user's text; raises QuerySyntaxError with a message for the user.

    `known(word)` says whether the index holds the lowercase `word` unstemmed (as a name); the
    service passes its reader's lexicon. Without it, capitalised words are taken as names.
    `synonyms` defaults to the built-in table.
    """
    if len(text) > MAX_QUERY_LENGTH:
        raise QuerySyntaxError("invalid_query.too_long", max=MAX_QUERY_LENGTH)
    if text.strip() in ("*", "*:*"):
        raise QuerySyntaxError("invalid_query.match_all")
    table = default_synonyms() if synonyms is None else synonyms
    parser = _Parser(_merge_synonym_runs(_lex(text), table), known, table)
    q = parser.parse()
    if q is None and text.strip():
        q = wq.NullQuery  # only stopwords or punctuation: nothing to find, not everything
    terms = parser.sequence_terms
    near = [(a, b) for a, b in pairwise(terms) if a and b and a != b]
    excluded = (
        None
        if not parser.excluded
        else (wq.Or(parser.excluded) if len(parser.excluded) > 1 else parser.excluded[0])
    )
    return ParsedQuery(
        q,
        frozenset(parser.highlight),
        parser.words,
        required=parser.required,
        excluded=excluded,
        near=list(dict.fromkeys(near)),
    )
