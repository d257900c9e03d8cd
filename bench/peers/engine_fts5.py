"""SQLite FTS5 (the standard library's sqlite3): the tokens joined by spaces under
`unicode61` with Telusur's joiners as token characters, so each token is one FTS5 term.

Outlet and month live in a plain table joined on rowid; counts are one GROUP BY; snippets
come from FTS5's snippet() over the body column (the token stream), for the top 10 only.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

DB = "fts5.db"
TITLE_BOOST = 2.0
SNIPPETS = 10
# Telusur's tokens join words with - . ' ’ and may hold _ (TOKEN_PATTERN's \w): all token
# characters here; diacritics kept, as Telusur keeps them.
TOKENIZE = "unicode61 remove_diacritics 0 tokenchars '-.''’_'"
_RANK = f"bm25(docs, {TITLE_BOOST}, 1.0, 1.0)"


class Builder:
    """One transaction for the whole build, then FTS5's `optimize` (one b-tree, as the other
    engines end with their segments merged or committed)."""

    def __init__(self, workdir: Path) -> None:
        self.db = sqlite3.connect(workdir / DB, isolation_level=None)  # BEGIN/COMMIT below
        self.db.execute(
            f'CREATE VIRTUAL TABLE docs USING fts5(title, body, exact, tokenize="{TOKENIZE}")'
        )
        self.db.execute(
            "CREATE TABLE meta (id INTEGER PRIMARY KEY, key TEXT, outlet TEXT, month TEXT)"
        )
        self.db.execute("BEGIN")
        self.rowid = 0

    def add(self, d: dict[str, Any]) -> None:
        self.rowid += 1
        self.db.execute(
            "INSERT INTO docs (rowid, title, body, exact) VALUES (?, ?, ?, ?)",
            (self.rowid, " ".join(d["title"]), " ".join(d["body"]), " ".join(d["exact"])),
        )
        self.db.execute(
            "INSERT INTO meta VALUES (?, ?, ?, ?)", (self.rowid, d["key"], d["outlet"], d["month"])
        )

    def finish(self) -> None:
        self.db.execute("COMMIT")
        self.db.execute("INSERT INTO docs(docs) VALUES ('optimize')")
        self.db.close()


def _quoted(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def to_match(tree: list[Any]) -> str:
    """A tree as an FTS5 MATCH expression; ValueError for what FTS5 cannot say."""
    kind = tree[0]
    if kind == "term":
        return f"{tree[1]} : {_quoted(tree[2])}"
    if kind == "phrase":
        return f"{tree[1]} : {_quoted(' '.join(tree[2]))}"
    if kind in ("and", "or"):
        return "(" + f" {kind.upper()} ".join(to_match(t) for t in tree[1]) + ")"
    if kind == "andnot":
        return f"({to_match(tree[1])} NOT {to_match(tree[2])})"
    raise ValueError(f"FTS5 has no match expression for {kind!r}")


class Engine:
    def __init__(self, workdir: Path) -> None:
        self.db = sqlite3.connect(workdir / DB)

    def _top(self, match: str) -> list[tuple[int, str]]:
        return self.db.execute(
            f"SELECT docs.rowid, meta.key FROM docs JOIN meta ON meta.id = docs.rowid "
            f"WHERE docs MATCH ? ORDER BY {_RANK} LIMIT {SNIPPETS}",
            (match,),
        ).fetchall()

    def top(self, item: dict[str, Any]) -> tuple[int, list[str]]:
        if item["tree"][0] == "none":
            return 0, []
        match = to_match(item["tree"])
        (total,) = self.db.execute(
            "SELECT count(*) FROM docs WHERE docs MATCH ?", (match,)
        ).fetchone()
        return total, [key for _, key in self._top(match)]

    def page(self, item: dict[str, Any]) -> dict[str, Any]:
        if item["tree"][0] == "none":
            return {"total": 0, "top": [], "outlets": {}, "months": {}, "snippets": []}
        match = to_match(item["tree"])
        outlets: dict[str, int] = {}
        months: dict[str, int] = {}
        total = 0
        for outlet, month, n in self.db.execute(
            "SELECT meta.outlet, meta.month, count(*) FROM docs JOIN meta ON meta.id = docs.rowid "
            "WHERE docs MATCH ? GROUP BY 1, 2",
            (match,),
        ):
            total += n
            if outlet:
                outlets[outlet] = outlets.get(outlet, 0) + n
            if month:
                months[month] = months.get(month, 0) + n
        top = self._top(match)
        rowids = [rowid for rowid, _ in top]
        marks = ",".join("?" * len(rowids))
        snippets = (
            dict(
                self.db.execute(
                    f"SELECT rowid, snippet(docs, 1, '<mark>', '</mark>', '…', 24) FROM docs "
                    f"WHERE docs MATCH ? AND rowid IN ({marks})",
                    (match, *rowids),
                ).fetchall()
            )
            if rowids
            else {}
        )
        return {
            "total": total,
            "top": [key for _, key in top],
            "outlets": outlets,
            "months": months,
            "snippets": [snippets.get(r, "") for r in rowids],
        }


def open(workdir: Path) -> Engine:
    return Engine(workdir)


def version() -> str:
    return f"SQLite {sqlite3.sqlite_version} FTS5"
