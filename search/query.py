"""The user's query text → a Whoosh query. Never the default QueryParser: it accepts anything.

Syntax (documented in the README and the page's help):
    kerusuhan kazakhstan     all words (each matched by its Sastrawi stem, in title or body)
    tokayev OR putin         either word
    -rusia                   exclude a word (or -"a phrase")
    "upaya kudeta"           the exact words, in that order (unstemmed field)
    judul:kudeta             only in the title (the only field users may name)
    (a OR b) c               grouping
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from whoosh import query as wq

from indexer.analysis import exact_analyzer, stemmed_analyzer

MAX_QUERY_LENGTH = 500
MAX_DEPTH = 8
MAX_CLAUSES = 64
USER_FIELDS = {"judul": "title"}

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


class QuerySyntaxError(ValueError):
    """Why the text cannot be searched, in words for the person who typed it."""


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


def _lex(text: str) -> list[_Tok]:
    toks: list[_Tok] = []
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise QuerySyntaxError("Kueri tidak dapat dibaca.")
        pos = m.end()
        if m["lp"]:
            toks.append(_Tok("lp", neg=bool(m["neg"])))
        elif m["rp"]:
            toks.append(_Tok("rp"))
        elif m["or"]:
            toks.append(_Tok("or"))
        elif m["quote"]:
            raise QuerySyntaxError('Tanda kutip (") tidak berpasangan.')
        else:
            fname = m["field"]
            if fname is not None and fname.lower() not in USER_FIELDS:
                raise QuerySyntaxError(
                    f"Kolom '{fname}:' tidak dikenal; yang bisa dipakai hanya 'judul:'."
                )
            is_phrase = m["phrase"] is not None
            word = m["phrase"] if is_phrase else m["word"]
            if not is_phrase and "*" in word:
                raise QuerySyntaxError("Tanda bintang (*) tidak didukung; ketik kata lengkapnya.")
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


class _Parser:
    def __init__(self, toks: list[_Tok]) -> None:
        self.toks = toks
        self.i = 0
        self.highlight: set[str] = set()
        self.words: list[str] = []
        self.clauses = 0

    def peek(self) -> _Tok | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def parse(self) -> wq.Query | None:
        q = self.sequence(depth=0)
        if self.peek() is not None:
            raise QuerySyntaxError("Tanda kurung tutup ')' tanpa pasangan.")
        return q

    def sequence(self, depth: int) -> wq.Query | None:
        """Clauses joined by AND, with OR binding tighter; stops at ')' or the end."""
        positives: list[wq.Query] = []
        negatives: list[wq.Query] = []
        while (tok := self.peek()) is not None and tok.kind != "rp":
            if tok.kind == "or":  # a stray OR (leading, or doubled) is just ignored
                self.i += 1
                continue
            neg, q = self.alternatives(depth)
            if q is not None:
                (negatives if neg else positives).append(q)
        if not positives and not negatives:
            return None
        pos: wq.Query = (
            wq.And(positives) if len(positives) > 1 else (positives[0] if positives else wq.Every())
        )
        if negatives:
            return wq.AndNot(pos, wq.Or(negatives) if len(negatives) > 1 else negatives[0])
        return pos

    def alternatives(self, depth: int) -> tuple[bool, wq.Query | None]:
        neg, first = self.unary(depth)
        options = [first]
        while (tok := self.peek()) is not None and tok.kind == "or":
            self.i += 1
            if self.peek() is None or self.peek().kind == "rp":  # type: ignore[union-attr]
                break
            _, nxt = self.unary(depth)  # a minus after OR makes no sense; read it as the word
            options.append(nxt)
        kept = [o for o in options if o is not None]
        if not kept:
            return neg, None
        return neg, (wq.Or(kept) if len(kept) > 1 else kept[0])

    def unary(self, depth: int) -> tuple[bool, wq.Query | None]:
        tok = self.toks[self.i]
        self.i += 1
        self.clauses += 1
        if self.clauses > MAX_CLAUSES:
            raise QuerySyntaxError(f"Kueri terlalu rumit (lebih dari {MAX_CLAUSES} bagian).")
        if tok.kind == "lp":
            if depth + 1 > MAX_DEPTH:
                raise QuerySyntaxError(f"Tanda kurung bersarang lebih dari {MAX_DEPTH} tingkat.")
            inner = self.sequence(depth + 1)
            close = self.peek()
            if close is None or close.kind != "rp":
                raise QuerySyntaxError("Tanda kurung buka '(' tanpa pasangan.")
            self.i += 1
            return tok.neg, inner
        if tok.kind == "rp":  # pragma: no cover - sequence() stops before ')'
            raise QuerySyntaxError("Tanda kurung tutup ')' tanpa pasangan.")
        return tok.neg, self.term(tok)

    def term(self, tok: _Tok) -> wq.Query | None:
        stems = [t.text for t in _stemmed(tok.text)]
        if not tok.neg:
            self.highlight.update(stems)
            if not tok.phrase:
                self.words.append(tok.text)
        if tok.phrase:
            if tok.field == "title":
                return _phrase("title", stems)
            return _phrase("exact", [t.text for t in _exact(tok.text)])
        if not stems:
            return None  # a stopword alone
        fields = [tok.field] if tok.field else ["title", "body"]
        per_stem = [
            wq.Or([wq.Term(f, s) for f in fields]) if len(fields) > 1 else wq.Term(fields[0], s)
            for s in stems
        ]
        return wq.And(per_stem) if len(per_stem) > 1 else per_stem[0]


def _phrase(fieldname: str, words: list[str]) -> wq.Query | None:
    if not words:
        return None
    if len(words) == 1:
        return wq.Term(fieldname, words[0])
    return wq.Phrase(fieldname, words)


def parse_query(text: str) -> ParsedQuery:
    """Parse the user's text; raises QuerySyntaxError with a message for the user."""
    if len(text) > MAX_QUERY_LENGTH:
        raise QuerySyntaxError(f"Kueri terlalu panjang (maksimal {MAX_QUERY_LENGTH} karakter).")
    if text.strip() in ("*", "*:*"):
        raise QuerySyntaxError(
            "Tanda bintang (*) tidak didukung; kosongkan kueri untuk semua berita."
        )
    parser = _Parser(_lex(text))
    q = parser.parse()
    if q is None and text.strip():
        q = wq.NullQuery  # only stopwords or punctuation: nothing to find, not everything
    return ParsedQuery(q, frozenset(parser.highlight), parser.words)
