"""SearchService: the one entry point for searching; owns the searcher's lifetime.

One service per worker process. The index is opened lazily on first use and reopened when
`current` points somewhere new or the index gets a new generation; never `Searcher.refresh()`
(it returned deleted and duplicate documents after merges) and never across a fork.

A worker's threads share the service: one search reads the index at a time (see `_one_at_a_time`).
"""

from __future__ import annotations

import contextlib
import functools
import os
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar

import numpy as np
from whoosh import index
from whoosh import query as wq

from index_format import facets as registry
from index_format.corrections import CORRECTIONS_NAME
from index_format.generations import current_path, open_index
from index_format.schema import split_keywords, stored_date
from search.errors import ArticleNotFound, IndexUnavailable, InvalidQuery, RebuildNeeded
from search.facets import FacetData, query_mask
from search.models import ArticleView, FacetValue, Hit, SearchRequest, SearchResult
from search.query import (
    RERANK_DEPTH,
    ParsedQuery,
    QuerySyntaxError,
    parse_query,
    rerank_by_proximity,
)
from search.snippets import highlight_full, make_snippet
from search.suggest import SpellIndex, suggest
from search.synonyms import load_synonyms
from search.topk import Scored, ScoreUnsupported, TopK

FACET_LIMIT = 20
# When all words find fewer articles than this, the query relaxes to "most words".
RELAX_BELOW = 10


@dataclass
class _Generation:
    """An open index generation with its searcher and facet arrays."""

    realpath: str
    generation: int
    ix: Any
    searcher: Any
    facets: FacetData
    topk: TopK
    spell: SpellIndex | None = None  # built by warm(), or for the first word to correct

    def spelling(self) -> SpellIndex:
        if self.spell is None:
            self.spell = SpellIndex(self.searcher.reader())
        return self.spell


_P = ParamSpec("_P")
_R = TypeVar("_R")


def _one_at_a_time(
    method: Callable[Concatenate[SearchService, _P], _R],
) -> Callable[Concatenate[SearchService, _P], _R]:
    """Run `method` holding the service's read lock.

    The segment files are read through file objects the searcher shares (seek, then read: no
    mmap), the packed readers keep caches, and a new generation closes the old searcher: two
    threads searching at once read each other's positions (zstd "did not decompress full frame",
    wrong hits). One search at a time costs nothing measurable under the GIL; a searcher per
    thread measured ~6% fewer searches/s, p95 36 -> 47 ms and +15 MB (4 threads) to +32 MB
    (8 threads) per worker at 22k articles. Exports read their articles through a searcher of
    their own, unlocked."""

    @functools.wraps(method)
    def locked(self: SearchService, /, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        with self._reading:
            return method(self, *args, **kwargs)

    return locked


def _docset(mask: np.ndarray) -> set[int]:
    return set(np.flatnonzero(mask).tolist())


def _facet_values(
    fields: dict[str, Any], facet_data: FacetData, docnum: int
) -> dict[str, list[str]]:
    """A document's values of every facet as the facets count them (entity values merged,
    joined and corrected as search.facets counts them)."""
    out = {}
    for f in registry.FACETS:
        stored = fields.get(f.name)
        out[f.name] = ([stored] if stored else []) if f.single else split_keywords(stored)
    return out | facet_data.entity_values(docnum)


def _entities(values: dict[str, list[str]]) -> dict[str, list[str]]:
    return {name: values[name] for name in registry.entity_names()}


class SearchService:
    def __init__(
        self,
        index_dir: Path,
        synonyms_file: Path | None = None,
        corrections_file: Path | None = None,
    ) -> None:
        self.index_dir = Path(index_dir)
        self.synonyms = load_synonyms(synonyms_file)  # settings.synonyms_file
        # The user's corrections of entity values, applied to every generation (no rebuild).
        self.corrections_file = corrections_file or self.index_dir / CORRECTIONS_NAME
        self._gen: _Generation | None = None
        self._lock = threading.Lock()
        self._reading = threading.RLock()  # held by every method that reads the index

    # -- index lifetime -------------------------------------------------------------------

    def _current(self) -> _Generation:
        link = current_path(self.index_dir)
        real = os.path.realpath(link)
        with self._lock:
            gen = self._gen
            try:
                if (
                    gen is not None
                    and gen.realpath == real
                    and gen.ix.latest_generation() == gen.generation
                ):
                    gen.facets.check_corrections()
                    return gen
                if not index.exists_in(real):
                    raise IndexUnavailable(
                        "Indeks belum dibuat. Jalankan `telusur rebuild-index PATH` terlebih dahulu."
                    )
                ix = open_index(real)
                searcher = ix.searcher()
            except (OSError, index.EmptyIndexError, RebuildNeeded) as e:
                if gen is not None and os.path.exists(gen.realpath):
                    return gen  # keep serving the generation we have
                if isinstance(e, RebuildNeeded):
                    raise
                raise IndexUnavailable(f"Indeks tidak dapat dibuka: {e}") from e
            facets = FacetData(searcher.reader(), self.corrections_file)
            new = _Generation(
                real, ix.latest_generation(), ix, searcher, facets, TopK(searcher, facets.live)
            )
            self._gen = new
        if gen is not None:
            gen.searcher.close()
        return new

    @_one_at_a_time
    def warm(self) -> None:
        """Open the current generation and build what its first searches would otherwise wait
        for (facet arrays, field lengths for scoring, the spelling index)."""
        gen = self._current()
        for fieldname in ("title", "body"):
            gen.topk.lengths(fieldname)
        with self._lock:
            gen.spelling()

    @_one_at_a_time
    def close(self) -> None:
        with self._lock:
            if self._gen is not None:
                self._gen.searcher.close()
                self._gen = None

    def __del__(self) -> None:
        # Segment files are read with plain file handles (no mmap): close them with the service.
        with contextlib.suppress(Exception):
            self.close()

    @_one_at_a_time
    def stats(self) -> dict[str, Any]:
        gen = self._current()
        return {
            "articles": gen.searcher.doc_count(),
            "generation": gen.generation,
            "index": os.path.basename(gen.realpath),
            "built_at": os.path.getmtime(gen.realpath),
            "min_date": gen.facets.min_date,
            "max_date": gen.facets.max_date,
        }

    # -- search ---------------------------------------------------------------------------

    def parse(self, text: str) -> ParsedQuery:
        try:
            return parse_query(text, known=self._knows_name, synonyms=self.synonyms)
        except QuerySyntaxError as e:
            raise InvalidQuery(str(e)) from e
        except RecursionError as e:  # belt and braces: the parser caps depth itself
            raise InvalidQuery("Kueri terlalu rumit.") from e

    @_one_at_a_time
    def _knows_name(self, word: str) -> bool:
        """Whether the index holds `word` unstemmed in title or body, i.e. as a name."""
        try:
            reader = self._current().searcher.reader()
        except IndexUnavailable:
            return False
        return bool(reader.doc_frequency("body", word) or reader.doc_frequency("title", word))

    def _relax(
        self, gen: _Generation, parsed: ParsedQuery, final: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray] | None:
        """When all words find fewer than RELAX_BELOW articles: (strict final, most-words base)."""
        if not parsed.relaxable or int(final.sum()) >= RELAX_BELOW:
            return None
        counts = np.zeros(gen.facets.size, dtype=np.int32)
        for clause in parsed.required:
            counts += self._matching(gen, clause)
        if parsed.excluded is not None:
            counts[self._matching(gen, parsed.excluded)] = 0
        # As many words as it takes to find RELAX_BELOW articles, down to parsed.min_match.
        for need in range(len(parsed.required) - 1, parsed.min_match - 1, -1):
            most = counts >= need
            if int(most.sum()) >= RELAX_BELOW:
                break
        return (final, most) if int(most.sum()) > int(final.sum()) else None

    def _scored(self, gen: _Generation, parsed: ParsedQuery, req: SearchRequest) -> Scored | None:
        """For a relevance-sorted query: its matching mask and numpy scores in one pass over the
        postings (None when the numpy scorer does not model the query: Whoosh ranks it)."""
        if parsed.query is None or req.sort != "relevance":
            return None
        try:
            return gen.topk.evaluate(parsed.query)
        except ScoreUnsupported:
            return None

    def _matching(self, gen: _Generation, q: wq.Query | None) -> np.ndarray:
        """A boolean mask of the documents matching q (unscored: counting needs no scores)."""
        if q is None:
            return gen.facets.live.copy()
        # Block-wise postings into numpy: broad terms cost microseconds per block, not per hit
        # (the scorer's reading: ids decoded with numpy, phrases from positions).
        try:
            return gen.topk.evaluate(q).mask
        except ScoreUnsupported:
            return query_mask(gen.searcher, q, gen.facets.live)

    def _masks(
        self,
        gen: _Generation,
        parsed: ParsedQuery,
        req: SearchRequest,
        base: np.ndarray | None = None,
    ) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """The matching documents, and for each filtered facet the documents matching the query
        and every *other* filter (what that facet counts under). The bench guard checks both."""
        fd = gen.facets
        if base is None:
            base = self._matching(gen, parsed.query)
        filter_masks: dict[str, np.ndarray] = {
            f: fd.value_mask(f, values) for f, values in req.filters.items()
        }
        if req.date_from or req.date_to:
            filter_masks["published"] = fd.date_mask(req.date_from, req.date_to)

        def all_but(name: str | None) -> np.ndarray:
            m = base.copy()
            for other, fm in filter_masks.items():
                if other != name:
                    m &= fm
            return m

        return all_but(None), {name: all_but(name) for name in filter_masks}

    @_one_at_a_time
    def search(self, req: SearchRequest) -> SearchResult:
        started = time.perf_counter()
        parsed = self.parse(req.q)
        gen = self._current()
        fd = gen.facets
        scored = self._scored(gen, parsed, req)
        final, facet_masks = self._masks(
            gen, parsed, req, base=scored.mask.copy() if scored is not None else None
        )
        strict = None
        if (relaxed := self._relax(gen, parsed, final)) is not None:
            strict = relaxed[0]
            final, facet_masks = self._masks(gen, parsed, req, base=relaxed[1])
        total = int(final.sum())

        # Each facet counts under the query and every *other* filter.
        facets: dict[str, list[FacetValue]] = {}
        for fname in registry.names():
            mask = facet_masks.get(fname, final)
            facets[fname] = fd.count(fname, mask, req.selected(fname), limit=req.facet_size)
        interval, facets["published"] = fd.histogram(facet_masks.get("published", final))

        start = (req.page - 1) * req.per_page
        docnums_scores = self._page(gen, parsed, req, final, start, total, strict, scored)
        hits = [self._hit(gen, d, s, parsed) for d, s in docnums_scores]
        suggestion = None
        if parsed.words:

            def spelling() -> SpellIndex:  # only when a word is rare enough to correct
                with self._lock:
                    return gen.spelling()

            suggestion = suggest(gen.searcher.reader(), req.q, parsed.words, spelling)
        took = (time.perf_counter() - started) * 1000
        return SearchResult(
            total,
            req.page,
            req.per_page,
            round(took, 2),
            hits,
            facets,
            interval,
            strict is not None,
            suggestion,
        )

    @_one_at_a_time
    def iter_all(self, req: SearchRequest) -> Iterator[ArticleView]:
        """Every matching article (not one page) in the requested order, for export.

        The order is fixed before the first article is yielded; the articles are read through a
        searcher of their own, so a reload of the index mid-stream cannot close it under us.
        """
        parsed = self.parse(req.q)
        gen = self._current()
        scored = self._scored(gen, parsed, req)
        final, _ = self._masks(
            gen, parsed, req, base=scored.mask.copy() if scored is not None else None
        )
        total = int(final.sum())
        every = replace(req, per_page=max(total, 1))
        order = self._page(gen, parsed, every, final, 0, total, scored=scored)
        return self._stream(gen, [d for d, _ in order])

    def _stream(self, gen: _Generation, docnums: list[int]) -> Iterator[ArticleView]:
        own = gen.ix.searcher()
        if own.reader().generation() != gen.generation:  # the index moved on meanwhile
            own.close()
            own = gen.searcher
        try:
            for docnum in docnums:
                if own is gen.searcher:  # shared with the other threads
                    with self._reading:
                        fields = own.stored_fields(docnum)
                else:
                    fields = own.stored_fields(docnum)
                yield _view(fields, gen.facets, docnum)
        finally:
            if own is not gen.searcher:
                own.close()

    @_one_at_a_time
    def related(self, doc_id: str, limit: int = 5) -> list[Hit]:
        """Articles like this one (Whoosh's more-like-this over the body's key terms)."""
        gen = self._current()
        docnum = gen.searcher.document_number(id=doc_id)
        if docnum is None:
            raise ArticleNotFound(f"Artikel '{doc_id}' tidak ditemukan.")
        results = gen.searcher.more_like(docnum, "body", top=limit, numterms=12)
        empty = ParsedQuery(None)
        return [self._hit(gen, hit.docnum, hit.score, empty) for hit in results]

    def _page(
        self,
        gen: _Generation,
        parsed: ParsedQuery,
        req: SearchRequest,
        final: np.ndarray,
        start: int,
        total: int,
        strict: np.ndarray | None = None,
        scored: Scored | None = None,
    ) -> list[tuple[int, float | None]]:
        if start >= total:
            return []
        end = min(start + req.per_page, total)
        sort = req.sort
        if parsed.query is None and sort == "relevance":
            sort = "newest"  # nothing to rank by: show the latest first
        if sort == "relevance" and strict is not None and scored is not None:
            try:
                return self._relaxed_page(gen, parsed, scored, final, strict, end)[start:end]
            except ScoreUnsupported:
                pass  # Whoosh's collector below
        if sort == "relevance" and strict is not None:  # relaxed: all words first, then most
            ranked = self._whoosh_ranked(gen, parsed, parsed.query, strict, total)
            if len(ranked) < end:
                more, limit = final & ~strict, max(end, RERANK_DEPTH) - len(ranked)
                ranked += self._whoosh_ranked(gen, parsed, parsed.relaxed(), more, limit)
            return ranked[start:end]
        if sort == "relevance" and scored is not None:
            try:
                top = gen.topk.top(parsed.query, scored, final, max(end, RERANK_DEPTH))
            except ScoreUnsupported:
                pass  # Whoosh's collector below
            else:
                ranked_top: list[tuple[int, float | None]] = list(top)
                return rerank_by_proximity(gen.searcher, parsed, ranked_top)[start:end]
        if sort == "relevance":
            limit = max(end, RERANK_DEPTH)
            return self._whoosh_ranked(gen, parsed, parsed.query, final, limit)[start:end]
        docs = np.flatnonzero(final)
        days = gen.facets.day[docs]
        # Undated articles go last in both orders; ties keep index order.
        key = np.where(days < 0, np.iinfo(np.int32).max, days if sort == "oldest" else -days)
        # One int64 per document (day, then document number), and only the first `end` sorted.
        combined = key.astype(np.int64) * gen.facets.size + docs
        if end < combined.size:
            first = np.argpartition(combined, end - 1)[:end]
            order = first[np.argsort(combined[first])]
        else:
            order = np.argsort(combined)
        return [(int(d), None) for d in docs[order[start:end]]]

    def _whoosh_ranked(
        self, gen: _Generation, parsed: ParsedQuery, q: Any, allow: np.ndarray, limit: int
    ) -> list[tuple[int, float | None]]:
        """q's best `limit` `allow`ed documents ranked by Whoosh's collector, re-ranked by
        proximity (as TopK.top and the re-rank rank them): the path for queries the numpy
        scorer does not model. Always filtered by the exact mask
        (Whoosh's AndNot let excluded documents through on a multi-segment index), and
        unlimited: with a limit, Whoosh's block-quality skipping dropped a document of an Or
        holding a phrase (score 12.4, ranked 3rd; tests/test_index_histories.py). An empty
        filter set means no filter to Whoosh, so none allowed finds nothing here."""
        if not allow.any():
            return []
        results = gen.searcher.search(q, filter=_docset(allow), limit=None)
        ranked: list[tuple[int, float | None]] = [(h.docnum, h.score) for h in results[:limit]]
        return rerank_by_proximity(gen.searcher, parsed, ranked)

    def _relaxed_page(
        self,
        gen: _Generation,
        parsed: ParsedQuery,
        scored: Scored,
        final: np.ndarray,
        strict: np.ndarray,
        end: int,
    ) -> list[tuple[int, float | None]]:
        """A relaxed query's ranking with numpy: the documents with all words first, then those
        with most words, each part ranked by its own query (as the Whoosh path below)."""
        first: list[tuple[int, float | None]] = list(
            gen.topk.top(parsed.query, scored, strict, int(strict.sum()))
        )
        ranked = rerank_by_proximity(gen.searcher, parsed, first)
        if len(ranked) < end:
            relaxed = parsed.relaxed()
            more: list[tuple[int, float | None]] = list(
                gen.topk.top(
                    relaxed,
                    gen.topk.evaluate(relaxed),
                    final & ~strict,
                    max(end, RERANK_DEPTH) - len(ranked),
                )
            )
            ranked += rerank_by_proximity(gen.searcher, parsed, more)
        return ranked

    def _hit(self, gen: _Generation, docnum: int, score: float | None, parsed: ParsedQuery) -> Hit:
        fields = gen.searcher.stored_fields(docnum)
        snippet = make_snippet(fields.get("body") or "", parsed.highlight)
        values = _facet_values(fields, gen.facets, docnum)
        return Hit(
            id=fields["id"],
            title=fields.get("title") or "",
            url=fields.get("url"),
            outlet=fields.get("outlet"),
            published=stored_date(fields.get("published")),
            snippet=snippet,
            entities=_entities(values),
            facets=values,
            score=score,
        )

    # -- articles -------------------------------------------------------------------------

    @_one_at_a_time
    def article(self, doc_id: str, q: str = "") -> tuple[ArticleView, str]:
        """One article and its body as HTML with the query's words marked."""
        gen = self._current()
        docnum = gen.searcher.document_number(id=doc_id)
        if docnum is None:
            raise ArticleNotFound(f"Artikel '{doc_id}' tidak ditemukan.")
        fields = gen.searcher.stored_fields(docnum)
        terms = self.parse(q).highlight if q else frozenset()
        view = _view(fields, gen.facets, docnum)
        return view, highlight_full(view.body, terms)


def _view(fields: dict[str, Any], facet_data: FacetData, docnum: int) -> ArticleView:
    values = _facet_values(fields, facet_data, docnum)
    return ArticleView(
        id=fields["id"],
        title=fields.get("title") or "",
        url=fields.get("url"),
        outlet=fields.get("outlet"),
        published=stored_date(fields.get("published")),
        date_source=fields.get("date_source") or "none",
        outlet_source=fields.get("outlet_source") or "none",
        body=fields.get("body") or "",
        entities=_entities(values),
        facets=values,
    )
