"""A tokenizer that keeps character offsets, tuned for scraped Indonesian news."""

from __future__ import annotations

import re
from itertools import pairwise
from typing import NamedTuple


class Token(NamedTuple):
    text: str
    start: int
    end: int


# Order matters: web addresses (KONTAN.CO.ID, bbc.com) are one token; abbreviations and
# initials keep their dot so "Dr." or "H." stay one token; words may carry inner hyphens and
# apostrophes (Kassym-Jomart, Ma'ruf); numbers keep . , / :.
_TOKEN = re.compile(
    r"""
    (?i:[a-z][\w-]*(?:\.[a-z][\w-]*)*\.(?:com|id|net|org|co)\b)
  | (?:Dr|Drs|Dra|Hj|Ir|Prof|KH|Jl|No|St|Sdr|Tn|Ny|Mr|Mrs|Ms|dr)\.(?=\s)
  | [A-Z]\.(?=\s[A-Z])
  | \d+(?:[.,/:]\d+)*
  | [^\W\d_]+(?:['’-][^\W_]+)*(?:\d+)?
  | [^\W_]+
  | \S
    """,
    re.VERBOSE,
)
# Scraped text loses spaces before links: "diKazakhstan", "membuatPresiden".
_GLUED = re.compile(r"(?<=[a-z]{2})(?=[A-Z][a-z])")
_LINE_SENT_END = frozenset({".", "!", "?"})


def tokenize(text: str) -> list[Token]:
    """Split `text` into tokens with [start, end) offsets; glued lowercase→Capital words split."""
    out: list[Token] = []
    make = tuple.__new__  # Token(...) costs a Python-level __new__ per token
    for m in _TOKEN.finditer(text):
        word = m.group()
        if word[0].islower() and not word.islower():  # starts lower-case, has a capital
            start = m.start()
            cuts = [0, *(g.start() for g in _GLUED.finditer(word)), len(word)]
            for a, b in pairwise(cuts):
                if b > a:
                    out.append(Token(word[a:b], start + a, start + b))
        else:
            out.append(make(Token, (word, *m.span())))
    return out


def sentences(text: str, tokens: list[Token]) -> list[list[Token]]:
    """Group tokens into sentences: break after . ! ? and at line breaks."""
    out: list[list[Token]] = []
    current: list[Token] = []
    for i, tok in enumerate(tokens):
        if current and "\n" in text[current[-1].end : tok.start]:
            out.append(current)
            current = []
        current.append(tok)
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if tok.text in _LINE_SENT_END and (nxt is None or not nxt.text[0].islower()):
            out.append(current)
            current = []
    if current:
        out.append(current)
    return out
