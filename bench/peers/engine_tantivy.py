"""tantivy-py: the tokens joined by spaces under tantivy's `whitespace` tokenizer (each of
Telusur's tokens is one tantivy term, positions in order), outlet and month as fast fields.

Counts by outlet and month are tantivy terms aggregations; snippets come from its
SnippetGenerator over the stored body (the token stream: the engine never saw the raw text).
"""

from __future__ import annotations

import importlib.metadata
from pathlib import Path
from typing import Any

import tantivy

TITLE_BOOST = 2.0  # as Telusur's schema boosts its title field
SNIPPETS = 10
_AGGS = {
    "outlets": {"terms": {"field": "outlet", "size": 10_000}},
    "months": {"terms": {"field": "month", "size": 10_000}},
}


def schema() -> Any:
    b = tantivy.SchemaBuilder()
    b.add_text_field("key", stored=True, tokenizer_name="raw")
    for name in ("title", "body"):
        b.add_text_field(name, stored=True, tokenizer_name="whitespace")
    b.add_text_field("exact", tokenizer_name="whitespace")
    for name in ("outlet", "month"):
        b.add_text_field(name, fast=True, tokenizer_name="raw")
    return b.build()


class Builder:
    def __init__(self, workdir: Path) -> None:
        self.writer = tantivy.Index(schema(), path=str(workdir), reuse=False).writer()

    def add(self, d: dict[str, Any]) -> None:
        self.writer.add_document(
            tantivy.Document(
                key=d["key"],
                title=" ".join(d["title"]),
                body=" ".join(d["body"]),
                exact=" ".join(d["exact"]),
                outlet=d["outlet"],
                month=d["month"],
            )
        )

    def finish(self) -> None:
        self.writer.commit()
        self.writer.wait_merging_threads()


class Engine:
    def __init__(self, workdir: Path) -> None:
        self.index = tantivy.Index.open(str(workdir))
        self.schema = self.index.schema
        self.searcher = self.index.searcher()

    def query(self, tree: list[Any]) -> Any:
        kind = tree[0]
        if kind == "term":
            q = tantivy.Query.term_query(self.schema, tree[1], tree[2])
            return tantivy.Query.boost_query(q, TITLE_BOOST) if tree[1] == "title" else q
        if kind == "phrase":
            return tantivy.Query.phrase_query(self.schema, tree[1], tree[2])
        if kind in ("and", "or"):
            occur = tantivy.Occur.Must if kind == "and" else tantivy.Occur.Should
            return tantivy.Query.boolean_query([(occur, self.query(t)) for t in tree[1]])
        if kind == "andnot":
            return tantivy.Query.boolean_query(
                [
                    (tantivy.Occur.Must, self.query(tree[1])),
                    (tantivy.Occur.MustNot, self.query(tree[2])),
                ]
            )
        if kind == "all":
            return tantivy.Query.all_query()
        if kind == "none":
            return tantivy.Query.empty_query()
        raise ValueError(f"unknown node {kind!r}")

    def _top(self, q: Any) -> tuple[int, list[Any]]:
        result = self.searcher.search(q, limit=SNIPPETS, count=True)
        count: int = result.count  # type: ignore[attr-defined]  # missing from its stub
        return count, [self.searcher.doc(addr) for _, addr in result.hits]

    def top(self, item: dict[str, Any]) -> tuple[int, list[str]]:
        total, docs = self._top(self.query(item["tree"]))
        return total, [d["key"][0] for d in docs]

    def page(self, item: dict[str, Any]) -> dict[str, Any]:
        q = self.query(item["tree"])
        total, docs = self._top(q)
        aggs = self.searcher.aggregate(q, _AGGS)
        generator = tantivy.SnippetGenerator.create(self.searcher, q, self.schema, "body")
        return {
            "total": total,
            "top": [d["key"][0] for d in docs],
            "outlets": _buckets(aggs["outlets"]),
            "months": _buckets(aggs["months"]),
            "snippets": [generator.snippet_from_doc(d).to_html() for d in docs],
        }


def _buckets(agg: dict[str, Any]) -> dict[str, int]:
    return {b["key"]: b["doc_count"] for b in agg["buckets"] if b["key"]}


def open(workdir: Path) -> Engine:
    return Engine(workdir)


def version() -> str:
    return f"tantivy-py {importlib.metadata.version('tantivy')}"
