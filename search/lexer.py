"""The user's query text → tokens: words, "phrases", URLs, ( ), OR, NOT, and the title field.

What people type decides what a token is, never a guess that fails: only `judul:` and
`title:` are fields, so `sumber:x`, `10:30` and `https://…` are words (a URL is one token of
its own); AND, OR and NOT are operators only in capitals; an unpaired quote is an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

# The field names people may type, and the schema field each searches.
USER_FIELDS = {"judul": "title", "title": "title"}

_FIELD = r"(?:(?P<{name}>(?i:judul|title)):)"
_TOKEN = re.compile(
    r"""\s*(?:
        (?P<neg>-)?"""
    + _FIELD.format(name="lpfield")
    + r"""?(?P<lp>\()
      | (?P<rp>\))
      | (?P<op>OR|AND|NOT)(?=[\s()]|$)
      | (?P<uneg>-)?(?P<url>(?:https?://|www\.)[^\s()"<>]+)
      | (?P<tneg>-)?"""
    + _FIELD.format(name="field")
    + r"""?(?=\S)
        (?:"(?P<phrase>[^"]*)"|(?P<word>[^\s()"]+))
      | (?P<quote>")
    )""",
    re.VERBOSE,
)
# Sentence punctuation pasted along with a URL is not part of it.
_URL_TAIL = ".,;:!?'’"


class QuerySyntaxError(ValueError):
    """Why the text cannot be searched: a code (webui.messages words it for the person who
    typed it) and the values its message needs."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(f"{code} {params}" if params else code)
        self.code = code
        self.params = params


@dataclass
class Tok:
    kind: str  # lp | rp | or | not | term | url
    neg: bool = False
    field: str | None = None  # a schema field (USER_FIELDS' values)
    text: str = ""
    phrase: bool = False

    @property
    def plain(self) -> bool:
        """A word as typed: not excluded, fielded or quoted (it may join a name or synonym)."""
        return self.kind == "term" and not (self.neg or self.field or self.phrase)


def _field(name: str | None) -> str | None:
    return USER_FIELDS[name.lower()] if name else None


def lex(text: str) -> list[Tok]:
    """The tokens of `text`; raises QuerySyntaxError for an unpaired quote or a wildcard.

    AND adds nothing (all words are required anyway) and is dropped here."""
    toks: list[Tok] = []
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise QuerySyntaxError("invalid_query.unreadable")
        pos = m.end()
        if m["lp"]:
            toks.append(Tok("lp", neg=bool(m["neg"]), field=_field(m["lpfield"])))
        elif m["rp"]:
            toks.append(Tok("rp"))
        elif m["op"]:
            if m["op"] != "AND":
                toks.append(Tok(m["op"].lower()))
        elif m["url"]:
            url = m["url"].rstrip(_URL_TAIL)
            pos -= len(m["url"]) - len(url)  # give the trailing punctuation back
            toks.append(Tok("url", neg=bool(m["uneg"]), text=url))
        elif m["quote"]:
            raise QuerySyntaxError("invalid_query.unbalanced_quote")
        else:
            is_phrase = m["phrase"] is not None
            word = m["phrase"] if is_phrase else m["word"]
            if not is_phrase and "*" in word:
                raise QuerySyntaxError("invalid_query.wildcard")
            toks.append(
                Tok(
                    "term",
                    neg=bool(m["tneg"]),
                    field=_field(m["field"]),
                    text=word,
                    phrase=is_phrase,
                )
            )
    return toks
