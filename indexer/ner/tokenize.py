"""A tokenizer that keeps character offsets, tuned for scraped Indonesian news.

`words_and_starts` and `sentence_bounds` are the fast path extract_entities uses: plain lists,
no object per token. `tokenize` and `sentences` give the same tokens as Token tuples.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate, chain, pairwise
from operator import itemgetter
from typing import NamedTuple


class Token(NamedTuple):
    text: str
    start: int
    end: int


# Every non-space character belongs to exactly one token. The first three alternatives are a
# fast path: a plain (ASCII, then any) word followed by neither a word character nor . ' ’ -
# (most tokens), and one punctuation character. Each matches exactly where the full rules
# below would, so they change speed only. In the full rules order matters: web addresses
# (KONTAN.CO.ID, bbc.com) are one token; abbreviations and initials keep their dot so "Dr." or
# "H." stay one token; words may carry inner hyphens and apostrophes (Kassym-Jomart, Ma'ruf);
# numbers keep . , / :.
_TOKEN = re.compile(
    r"""
    [A-Za-z]++(?![\w.'’-])
  | [^\W\d_]++(?![\w.'’-])
  | [^\w\s]
  | (?i:[a-z][\w-]*(?:\.[a-z][\w-]*)*\.(?:com|id|net|org|co)\b)
  | (?:Dr|Drs|Dra|Hj|Ir|Prof|KH|Jl|No|St|Sdr|Tn|Ny|Mr|Mrs|Ms|dr)\.(?=\s)
  | [A-Z]\.(?=\s[A-Z])
  | \d+(?:[.,/:]\d+)*
  | [^\W\d_]+(?:['’-][^\W_]+)*(?:\d+)?
  | [^\W_]+
  | \S
    """,
    re.VERBOSE,
)
# Each token with the whitespace before it, as (space, token) pairs: findall builds no match
# objects, and the lengths of both give every token's start. No token starts with a space, so
# the leading \s* never changes which token matches.
_SPACED_TOKEN = re.compile(rf"(\s*)({_TOKEN.pattern})", re.VERBOSE)
_SECOND = itemgetter(1)
# Scraped text loses spaces before links: "diKazakhstan", "membuatPresiden".
_GLUED = re.compile(r"(?<=[a-z]{2})(?=[A-Z][a-z])")
# The same points, searched from their capital: much faster over a whole text.
_GLUED_CAPITAL = re.compile(r"[A-Z](?<=[a-z]{2}[A-Z])(?=[a-z])")
_LINE_SENT_END = frozenset({".", "!", "?"})


def words_and_starts(text: str) -> tuple[list[str], list[int]]:
    """The tokens of `text` and where each starts (a token ends at start + len(word)).

    A word that starts lower-case and has a glued capitalised word in it is split there.
    """
    pairs = _SPACED_TOKEN.findall(text)
    words = list(map(_SECOND, pairs))
    # Running lengths of space, token, space, token...: every other one is a token's start.
    starts = list(accumulate(map(len, chain.from_iterable(pairs))))[::2]
    # Glue points are rare: find them in the whole text, then split only the words holding one.
    glued = sorted(
        {bisect_right(starts, g.start()) - 1 for g in _GLUED_CAPITAL.finditer(text)}, reverse=True
    )
    for i in glued:
        word = words[i]
        if not word[0].islower() or word.islower():
            continue
        cuts = [0, *(g.start() for g in _GLUED.finditer(word)), len(word)]
        parts = [(word[a:b], starts[i] + a) for a, b in pairwise(cuts) if b > a]
        words[i : i + 1] = [p[0] for p in parts]
        starts[i : i + 1] = [p[1] for p in parts]
    return words, starts


def sentence_bounds(text: str, words: list[str], starts: list[int]) -> list[tuple[int, int]]:
    """[first, last + 1) token ranges of the sentences: a break after . ! ? (unless a
    lower-case word follows) and at line breaks."""
    n = len(words)
    if not n:
        return []
    breaks: set[int] = set()
    for mark in _LINE_SENT_END:  # list.index finds the few marks without a loop per word
        i = -1
        try:
            while True:
                i = words.index(mark, i + 1)
                if i + 1 == n or not words[i + 1][0].islower():
                    breaks.add(i + 1)
        except ValueError:
            pass
    # A line break between two tokens; whitespace is all that lies between tokens.
    pos = text.find("\n")
    while pos >= 0:
        breaks.add(bisect_right(starts, pos))
        pos = text.find("\n", pos + 1)
    breaks.discard(0)
    breaks.discard(n)
    return list(pairwise([0, *sorted(breaks), n]))


def tokenize(text: str) -> list[Token]:
    """Split `text` into tokens with [start, end) offsets; glued lowercase→Capital words split."""
    words, starts = words_and_starts(text)
    return [Token(w, s, s + len(w)) for w, s in zip(words, starts, strict=True)]


def sentences(text: str, tokens: list[Token]) -> list[list[Token]]:
    """Group tokens into sentences: break after . ! ? and at line breaks."""
    words = [t.text for t in tokens]
    starts = [t.start for t in tokens]
    return [tokens[a:b] for a, b in sentence_bounds(text, words, starts)]
