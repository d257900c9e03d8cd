"""Xapian (Debian's python3-xapian, for the system python): each of Telusur's tokens is one
posting at its position; body terms unprefixed, title terms `S`, exact terms `XE`; outlet and
month in value slots counted by ValueCountMatchSpy; the document data holds key and body.

Snippets: Xapian's own MSet.snippet over the body's token stream (no stemmer). Totals are exact:
every match is checked (checkatleast = the document count), as the match spies need anyway.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import xapian

PREFIX = {"body": "", "title": "S", "exact": "XE"}
TITLE_BOOST = 2.0
SNIPPETS = 10
OUTLET, MONTH = 0, 1
# Xapian refuses terms over 245 bytes; Telusur clips at 100 characters, which a non-ASCII
# token can exceed in UTF-8. Such tokens are left out (the build counts them).
MAX_TERM_BYTES = 245


class Builder:
    def __init__(self, workdir: Path) -> None:
        self.db = xapian.WritableDatabase(str(workdir), xapian.DB_CREATE_OR_OVERWRITE)

    def add(self, d: dict[str, Any]) -> None:
        doc = xapian.Document()
        for field, prefix in PREFIX.items():
            for pos, token in enumerate(d[field], 1):
                term = prefix + token
                if len(term.encode("utf-8")) <= MAX_TERM_BYTES:
                    doc.add_posting(term, pos)
        doc.add_value(OUTLET, d["outlet"])
        doc.add_value(MONTH, d["month"])
        doc.set_data(d["key"] + "\n" + " ".join(d["body"]))
        self.db.add_document(doc)

    def finish(self) -> None:
        self.db.commit()
        self.db.close()


class Engine:
    def __init__(self, workdir: Path) -> None:
        self.db = xapian.Database(str(workdir))
        self.docs = self.db.get_doccount()
        self.stem = xapian.Stem("none")

    def query(self, tree: list[Any]) -> Any:
        kind = tree[0]
        if kind == "term":
            q = xapian.Query(PREFIX[tree[1]] + tree[2])
            return (
                xapian.Query(xapian.Query.OP_SCALE_WEIGHT, q, TITLE_BOOST)
                if tree[1] == "title"
                else q
            )
        if kind == "phrase":
            terms = [PREFIX[tree[1]] + w for w in tree[2]]
            return xapian.Query(xapian.Query.OP_PHRASE, terms, len(terms))
        if kind in ("and", "or"):
            op = xapian.Query.OP_AND if kind == "and" else xapian.Query.OP_OR
            return xapian.Query(op, [self.query(t) for t in tree[1]])
        if kind == "andnot":
            return xapian.Query(xapian.Query.OP_AND_NOT, self.query(tree[1]), self.query(tree[2]))
        if kind == "all":
            return xapian.Query.MatchAll
        if kind == "none":
            return xapian.Query.MatchNothing
        raise ValueError(f"unknown node {kind!r}")

    def _mset(self, tree: list[Any], spies: list[Any] = ()) -> Any:  # type: ignore[assignment]
        enquire = xapian.Enquire(self.db)
        enquire.set_query(self.query(tree))
        for spy in spies:
            enquire.add_matchspy(spy)
        return enquire.get_mset(0, SNIPPETS, self.docs)

    def top(self, item: dict[str, Any]) -> tuple[int, list[str]]:
        mset = self._mset(item["tree"])
        keys = [m.document.get_data().decode("utf-8").split("\n", 1)[0] for m in mset]
        return mset.get_matches_estimated(), keys

    def page(self, item: dict[str, Any]) -> dict[str, Any]:
        outlets, months = xapian.ValueCountMatchSpy(OUTLET), xapian.ValueCountMatchSpy(MONTH)
        mset = self._mset(item["tree"], [outlets, months])
        keys, snippets = [], []
        for m in mset:
            key, body = m.document.get_data().decode("utf-8").split("\n", 1)
            keys.append(key)
            snippet = mset.snippet(
                body, 200, self.stem, xapian.MSet.SNIPPET_EXHAUSTIVE, "<mark>", "</mark>", "…"
            )
            snippets.append(snippet.decode("utf-8") if isinstance(snippet, bytes) else snippet)
        return {
            "total": mset.get_matches_estimated(),
            "top": keys,
            "outlets": _counts(outlets),
            "months": _counts(months),
            "snippets": snippets,
        }


def _counts(spy: Any) -> dict[str, int]:
    return {
        (v.term.decode("utf-8") if isinstance(v.term, bytes) else v.term): v.termfreq
        for v in spy.values()
        if v.term
    }


def open(workdir: Path) -> Engine:
    return Engine(workdir)


def version() -> str:
    return f"Xapian {xapian.version_string()}"
