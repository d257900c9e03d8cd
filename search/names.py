"""What the index knows about names, for the query parser (search.query): how often the archive
writes a word as a name, and which runs of words are the name of an entity it tagged."""

from __future__ import annotations

from whoosh import query as wq

from index_format import facets as registry
from index_format import name_runs
from index_format.name_runs import NameRuns
from index_format.names import name_key
from search.facets import FacetData
from search.topk import TopK


def name_share(topk: TopK, word: str) -> float:
    """The share of the articles holding the lowercase `word` that hold it as a name.

    The stemmed fields keep a word unstemmed only where it reads as a name (index_format.
    analysis), so for a word Sastrawi would change, its own term there finds the articles that
    name it; the unstemmed `exact` field finds every article that holds it. Counted over the
    live articles (the postings' document frequencies count deleted ones too until a merge,
    and an update must not change what a word finds)."""
    named = topk.count(wq.Or([wq.Term("body", word), wq.Term("title", word)]))
    if not named:
        return 0.0
    reader = topk.searcher.reader()
    if reader.has_deletions():
        written = topk.count(wq.Term("exact", word))
    else:  # then the document frequency is exact, and costs nothing
        written = int(reader.doc_frequency("exact", word))
    return float(named / max(named, written))


class KnownNames:
    """The entity names of one index generation, and every run of two or more consecutive
    words of them (name_key form): "Sri Mulyani", as articles shorten "Sri Mulyani Indrawati",
    and "Joko Widodo" of "Iriana Joko Widodo" (index_format.name_runs).

    `written`: the runs of the generation's names as its build wrote them (index_format.
    derived); the names the user's corrections added are then the only ones to split here."""

    def __init__(self, facets: FacetData, written: NameRuns | None = None) -> None:
        if written is None:
            self.keys = name_runs.runs(
                v for f in registry.entity_names() for v in facets.values[f].names
            )
            self.runs: NameRuns | None = None
        else:
            added = facets.added_names()
            self.keys = name_runs.runs(added) if added else set()
            self.runs = NameRuns(written.hashed, self.keys)

    def __contains__(self, words: str) -> bool:
        if self.runs is not None:
            return words in self.runs
        return name_key(words) in self.keys
