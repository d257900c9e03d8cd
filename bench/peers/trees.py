"""Telusur's parsed queries as plain JSON trees, for the peers to translate.

The service parses each query (search.query through SearchService.parse: synonyms, names and
the index's name shares included) into a Whoosh query; `to_tree` writes that tree as nested
lists any engine can read, with the standard library alone:

    ["term", field, text]   ["phrase", field, [word, ...]]   ["and", [tree, ...]]
    ["or", [tree, ...]]     ["andnot", tree, tree]           ["all"]   ["none"]

Fields are the index's: title and body (stemmed), exact (title and body unstemmed).
"""

from __future__ import annotations

from typing import Any

from whoosh import query as wq

TEXT_FIELDS = ("title", "body", "exact")


class Untranslatable(ValueError):
    """A query node the peers have no counterpart for (a URL lookup by id, say)."""


def to_tree(q: Any) -> list[Any]:
    if q is None or isinstance(q, wq.Every):
        return ["all"]
    if q is wq.NullQuery or isinstance(q, type(wq.NullQuery)):
        return ["none"]
    if isinstance(q, wq.Term):
        _text_field(q.fieldname)
        return ["term", q.fieldname, q.text]
    if isinstance(q, wq.Phrase):
        _text_field(q.fieldname)
        return ["phrase", q.fieldname, list(q.words)]
    if isinstance(q, wq.AndNot):
        return ["andnot", to_tree(q.a), to_tree(q.b)]
    if isinstance(q, wq.And):
        return ["and", [to_tree(s) for s in q.subqueries]]
    if isinstance(q, wq.Or):
        return ["or", [to_tree(s) for s in q.subqueries]]
    raise Untranslatable(f"no peer translation for {q!r}")


def _text_field(name: str) -> None:
    if name not in TEXT_FIELDS:
        raise Untranslatable(f"field {name!r} is not one the peers index")
