"""SearchService: the one entry point for searching; owns the searcher's lifetime.

One service per worker process. The index is opened lazily on first use and reopened when
`current` points somewhere new or the index gets a new generation; never `Searcher.refresh()`
(it returned deleted and duplicate documents after merges) and never across a fork.

A worker's threads share the service: one search reads the index at a time (see `_one_at_a_time`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import os
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar

import numpy as np
from whoosh import index
from whoosh import query as wq

from index_format import facets as registry
from index_format import worker_maps
from index_format.corrections import CORRECTIONS_NAME
from index_format.derived import DERIVED, Derived
from index_format.derived import read as read_derived
from index_format.generations import current_path, open_index
from index_format.schema import split_keywords, stored_date
from search import cooccurrence, entity_page
from search import series as coverage
from search.added import as_datetime, newest_first
from search.errors import (
    ArticleNotFound,
    IndexUnavailable,
    InvalidQuery,
    RebuildNeeded,
    StoryNotFound,
)
from search.facets import FacetData
from search.matching import Matched, Matcher
from search.memo import Memo
from search.models import ArticleView, FacetValue, Hit, Partial, SearchRequest, SearchResult
from search.names import KnownNames, name_share
from search.query import IsName, NameShare, ParsedQuery, QuerySyntaxError, parse_query
from search.ranking import Ranking
from search.snippets import highlight_full, make_snippets
from search.stored import StoredFields
from search.stories import (
    StoryData,
    StoryView,
    collapsed_page,
    load_story_data,
    story_count,
    story_docs,
    story_hit,
    story_view,
)
from search.suggest import SpellIndex, suggest
from search.synonyms import load_synonyms
from search.topk import TopK

# The best articles of the "most words" section, when all words find few.
PARTIAL_HITS = 10


@dataclass
class _QueryFacts:
    """What one generation worked out for a query text."""

    parsed: ParsedQuery
    suggested: bool = False  # whether `suggestion` has been worked out
    suggestion: str | None = None


@dataclass
class _Generation:
    """An open index generation with its searcher and facet arrays."""

    realpath: str
    generation: int
    seen: _DirState | None  # what `current` showed when this generation was last checked
    ix: Any
    searcher: Any
    facets: FacetData
    topk: TopK
    matcher: Matcher
    ranking: Ranking
    spell: SpellIndex | None = None  # built by warm(), or for the first word to correct
    names: KnownNames | None = None  # built by warm(), or for the first query of two words
    stories: StoryData | None = None  # built for the first search collapsed to stories
    derived: Derived | None = None  # what the generation's build wrote for workers to map
    stored: StoredFields | None = None  # made for the first hit shown
    # Query texts as this generation parsed them (its name shares and names), and their
    # suggestions: a query comes back as its pages and filters are clicked.
    queries: Memo[str, _QueryFacts] = dataclasses.field(default_factory=Memo)

    def stored_many(self, docnums: list[int]) -> list[dict[str, Any]]:
        if self.stored is None:
            self.stored = StoredFields(self.searcher)
        return self.stored.many(docnums)

    def spelling(self) -> SpellIndex:
        if self.spell is None:
            groups = self.derived.spelling if self.derived else None
            self.spell = SpellIndex(self.searcher.reader(), groups)
        return self.spell

    def story_data(self) -> StoryData:
        if self.stories is None:
            self.stories = load_story_data(self.realpath, self.searcher)
        return self.stories

    def known_names(self) -> KnownNames:
        if self.names is None:
            self.names = KnownNames(self.facets, self.derived.names if self.derived else None)
        return self.names


# The served directory's identity and last change: (st_dev, st_ino, st_mtime_ns) of what
# `current` points to. A swap points it at another directory (another inode); a commit into the
# directory itself (a new table of contents) changes its mtime.
_DirState = tuple[int, int, int]
# A directory changed less than this long ago may change again within the same tick of the
# filesystem's clock, unseen in its mtime: it is then checked in full (realpath and Whoosh's
# generation), as git re-reads files modified within a second of its index ("racy git").
_RACY_NS = 1_000_000_000


def _dir_state(link: str) -> _DirState | None:
    try:
        st = os.stat(link)
    except OSError:
        return None
    return st.st_dev, st.st_ino, st.st_mtime_ns


def _settled(state: _DirState) -> bool:
    """Whether a later change to the directory must show in its mtime."""
    return time.time_ns() - state[2] > _RACY_NS


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


class _DocsOf:
    """Each mask's document numbers (np.flatnonzero), found once for a request."""

    def __init__(self) -> None:
        self._found: dict[int, tuple[np.ndarray, np.ndarray]] = {}

    def __call__(self, mask: np.ndarray) -> np.ndarray:
        got = self._found.get(id(mask))
        if got is None:  # (the mask is held beside its documents: its id stays its own)
            got = self._found[id(mask)] = (mask, np.flatnonzero(mask))
        return got[1]


def _kept(values: list[FacetValue]) -> tuple[tuple[str, int, bool], ...]:
    """A facet list as FacetData.lists keeps it: plain tuples, which no caller can change."""
    return tuple((v.value, v.count, v.selected) for v in values)


def _values_of(kept: Sequence[Any]) -> list[FacetValue]:
    """A kept facet list as new FacetValue objects (a request may change its own)."""
    return [FacetValue(value, count, selected) for value, count, selected in kept]


def _facet_values(
    fields: dict[str, Any], facet_data: FacetData, docnum: int
) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """A document's values of every facet as the facets count them (entity values merged,
    joined and corrected as search.facets counts them, not the stored ones), and of its entity
    facets alone (the same lists), each in the registry's order."""
    entities = facet_data.entity_values(docnum)
    out = {}
    of_entities = {}
    for f in registry.FACETS:
        values = entities.get(f.name)
        if values is None:
            stored = fields.get(f.name)
            values = ([stored] if stored else []) if f.single else split_keywords(stored)
        out[f.name] = values
        if f.entity:
            of_entities[f.name] = values
    return out, of_entities


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
        self._link = str(current_path(self.index_dir))
        self._lock = threading.Lock()
        self._reading = threading.RLock()  # held by every method that reads the index

    # -- index lifetime -------------------------------------------------------------------

    def _current(self) -> _Generation:
        """The generation `current` serves, opened anew when it changed since the last call.

        One stat of the link answers most calls: the same directory, unchanged since it was
        last checked in full (and not changed within the last second, which its mtime might
        not show), serves the same generation. Otherwise the link's realpath and Whoosh's
        latest generation in it say."""
        seen = _dir_state(self._link)
        with self._lock:
            gen = self._gen
            if gen is not None and seen is not None and seen == gen.seen and _settled(seen):
                gen.facets.check_corrections()
                return gen
            real = os.path.realpath(self._link)
            try:
                if (
                    gen is not None
                    and gen.realpath == real
                    and gen.ix.latest_generation() == gen.generation
                ):
                    gen.seen = seen
                    gen.facets.check_corrections()
                    return gen
                if not index.exists_in(real):
                    raise IndexUnavailable(f"no index in {self.index_dir}: run rebuild-index")
                ix = open_index(real)
                searcher = ix.searcher()
            except (OSError, index.EmptyIndexError, RebuildNeeded) as e:
                if gen is not None and os.path.exists(gen.realpath):
                    return gen  # keep serving the generation we have
                if isinstance(e, RebuildNeeded):
                    raise
                raise IndexUnavailable(
                    f"the index cannot be opened: {e}",
                    code="index_unreadable",
                    params={"reason": str(e)},
                ) from e
            # Built with the generation (index_format.derived); else computed here.
            derived = read_derived(real, ix)
            maps = None
            if derived is not None and derived.facets is not None:
                maps = worker_maps.read(Path(real) / DERIVED, derived.facets)
            facets = FacetData(
                searcher.reader(),
                self.corrections_file,
                derived.facets if derived else None,
                derived.by_value if derived else None,
                maps,
            )
            topk = TopK(searcher, facets.live)
            if derived is not None:
                topk.use_lengths(derived.lengths)
            matcher = Matcher(searcher, topk, facets)
            ranking = Ranking(searcher, topk, facets.day)
            new = _Generation(
                real, ix.latest_generation(), seen, ix, searcher, facets, topk, matcher, ranking
            )
            new.derived = derived
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
            gen.known_names()

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
            # Presets of the page: ranges of days that hold articles, and the years present.
            "recent_from": {n: gen.facets.recent_from(n) for n in (7, 30, 365)},
            "years": gen.facets.years(),
        }

    # -- search ---------------------------------------------------------------------------

    @_one_at_a_time
    def parse(self, text: str, gen: _Generation | None = None) -> ParsedQuery:
        """`text` parsed with what the index knows (`gen`: the generation the caller holds
        already, else the current one); once per generation."""
        if gen is None:
            with contextlib.suppress(IndexUnavailable):  # (then words by their stems)
                gen = self._current()
        facts = gen.queries.get(text) if gen is not None else None
        if facts is None:
            facts = _QueryFacts(self._parse(text, gen))
            if gen is not None:
                gen.queries.put(text, facts)
        return facts.parsed

    def _parse(self, text: str, gen: _Generation | None) -> ParsedQuery:
        known, is_name, urls = self._index_facts(gen)
        try:
            return parse_query(
                text, known=known, synonyms=self.synonyms, is_name=is_name, urls=urls
            )
        except QuerySyntaxError as e:
            raise InvalidQuery(e.code, **e.params) from e
        except RecursionError as e:  # belt and braces: the parser caps depth itself
            raise InvalidQuery("invalid_query.too_complex") from e

    def _index_facts(self, gen: _Generation | None) -> tuple[NameShare | None, IsName | None, bool]:
        """What the parser asks the generation: the share of a word's articles that hold it
        as a name, whether words are an entity's name (search.names), and whether it indexes
        URLs (an index written before #18 only stores them). Without an index: words by their
        stems, no names."""
        if gen is None:
            return None, None, True
        schema = gen.searcher.schema

        def is_name(words: str) -> bool:
            with self._lock:
                names = gen.known_names()
            return words in names

        urls = "url" in schema and schema["url"].indexed
        return functools.partial(name_share, gen.topk), is_name, urls

    @_one_at_a_time
    def search(self, req: SearchRequest) -> SearchResult:
        started = time.perf_counter()
        try:
            gen = self._current()
        except IndexUnavailable:
            self.parse(req.q)  # an invalid query says so first, as without an index
            raise
        parsed = self.parse(req.q, gen)  # (one look at the index directory a request)
        matched = gen.matcher.match(parsed, req)
        final = matched.final
        total = int(np.count_nonzero(final))
        facets: dict[str, list[FacetValue]] = {}
        docs = _DocsOf()  # the lists count the same documents, mostly: found once
        lists = gen.facets.lists  # (what an earlier request with the same articles counted)
        for fname in registry.names():
            if req.wants(fname):
                selected = req.selected(fname)
                key = (fname, matched.counted_keys[fname], selected, req.facet_size)
                kept = lists.get(key)
                if kept is None:
                    counted = matched.counted_under[fname]
                    got = gen.facets.count(
                        fname, counted, selected, limit=req.facet_size, docs=docs(counted)
                    )
                    kept = _kept(got)
                    lists.put(key, kept)
                facets[fname] = _values_of(kept)
        interval = "month"
        if req.wants("published"):
            timeline = ("published", matched.counted_keys["published"], req.interval)
            kept = lists.get(timeline)
            if kept is None:
                counted = matched.counted_under["published"]
                interval, got = gen.facets.histogram(counted, req.interval, docs=docs(counted))
                kept = (interval, *_kept(got))
                lists.put(timeline, kept)
            interval, facets["published"] = kept[0], _values_of(kept[1:])
        start = (req.page - 1) * req.per_page
        end = min(start + req.per_page, total)
        if req.collapse == "story":
            stories, ranked, annotate = self._collapsed(gen, parsed, req, matched)
        else:
            stories, annotate = None, None
            shown = docs(final) if start < end else None  # (found once: the facets' too)
            ranked = gen.ranking.page(
                parsed, req.sort, final, start, end, matched.strict, matched.scored, shown
            )
        suggestion = self._suggestion(gen, req, parsed, matched)
        partial = self._partial(gen, parsed, req, matched)
        took = (time.perf_counter() - started) * 1000
        # Nothing at all to show (not even most of the words): the correction's results.
        if total == 0 and partial is None and suggestion is not None and not req.as_typed:
            return self._corrected(req, suggestion, took)
        hits = self._hits(gen, ranked, parsed)
        if annotate is not None:
            annotate(hits, [d for d, _ in ranked])
        return SearchResult(
            total,
            req.page,
            req.per_page,
            round(took, 2),
            hits,
            facets,
            date_interval=interval,
            match=req.match,
            words=matched.words,
            partial=partial,
            suggestion=suggestion,
            warnings=matched.warnings,
            stories=stories,
        )

    def _collapsed(
        self, gen: _Generation, parsed: ParsedQuery, req: SearchRequest, matched: Matched
    ) -> tuple[int, list[tuple[int, Any]], Callable[[list[Hit], list[int]], None]]:
        """The page of the result collapsed to stories: the story count, the rows (each
        story's best-ranked article), and what gives each row's hit its story."""
        with self._lock:
            data = gen.story_data()
        final = matched.final
        count, sizes = story_count(data, final)
        start = (req.page - 1) * req.per_page
        end = min(start + req.per_page, count)

        def ranked(k: int) -> list[tuple[int, Any]]:
            return gen.ranking.page(parsed, req.sort, final, 0, k, matched.strict, matched.scored)

        rows = collapsed_page(data, ranked, int(np.count_nonzero(final)), start, end)

        def annotate(hits: list[Hit], docnums: list[int]) -> None:
            for hit, docnum in zip(hits, docnums, strict=True):
                number = int(data.story_of[docnum])
                stored = gen.searcher.stored_fields
                hit.story = story_hit(data, number, docnum, sizes[number], stored, gen.facets)

        return count, rows, annotate

    @_one_at_a_time
    def story(self, story_id: str) -> StoryView:
        """Every copy of a story, with what each changed against the first."""
        gen = self._current()
        with self._lock:
            data = gen.story_data()
        docs = story_docs(data, story_id, lambda i: gen.searcher.document_number(id=i))
        if docs is None:
            raise StoryNotFound(f"no story {story_id!r}", params={"id": story_id})
        return story_view(story_id, [gen.searcher.stored_fields(d) for d in docs.tolist()])

    def _partial(
        self, gen: _Generation, parsed: ParsedQuery, req: SearchRequest, matched: Matched
    ) -> Partial | None:
        """Under match=all, when few articles have every word: the best of what most words
        find, apart from the result (never in its counts)."""
        more, words = gen.matcher.partial(parsed, req, matched)
        if more is None or not more.any():
            return None
        known = matched.scored.leaves if matched.scored is not None else None
        tiers = gen.ranking.tiers(parsed, known)
        best = gen.ranking.best_of_most(parsed, more, PARTIAL_HITS, tiers, known)
        hits = self._hits(gen, best, parsed)
        return Partial("most", int(np.count_nonzero(more)), words, hits)

    def _suggestion(
        self, gen: _Generation, req: SearchRequest, parsed: ParsedQuery, matched: Matched
    ) -> str | None:
        """Did-you-mean: the query with its words that find few articles corrected (None when
        none needs it); once per query text and generation."""
        if not parsed.words:
            return None
        facts = gen.queries.get(req.q)
        if facts is not None and facts.suggested:
            return facts.suggestion
        suggestion = self._suggest(gen, req, parsed, matched)
        if facts is not None:
            facts.suggestion, facts.suggested = suggestion, True
        return suggestion

    def _suggest(
        self, gen: _Generation, req: SearchRequest, parsed: ParsedQuery, matched: Matched
    ) -> str | None:

        def spelling() -> SpellIndex:  # only when a word is rare enough to correct
            with self._lock:
                return gen.spelling()

        reader = gen.searcher.reader()
        deletions = reader.has_deletions()
        # The terms the request's evaluation read: their live articles are counted already.
        known = matched.scored.leaves if matched.scored is not None else None

        def count(fieldname: str, text: str) -> int:  # live articles: alike in every history
            if known is not None and (scored := known.get(("t", fieldname, text))) is not None:
                return int(np.count_nonzero(scored.mask))
            if not deletions:
                return int(reader.doc_frequency(fieldname, text))
            return gen.topk.count(wq.Term(fieldname, text))

        return suggest(reader, req.q, parsed.words, spelling, count)

    def _corrected(self, req: SearchRequest, suggestion: str, took: float) -> SearchResult:
        """The query as typed found nothing: the results of its correction, which say so
        (`corrected`; the request's `as_typed` asks for the query as typed instead)."""
        result = self.search(dataclasses.replace(req, q=suggestion, as_typed=True))
        result.corrected = suggestion
        result.took_ms = round(result.took_ms + took, 2)
        return result

    @_one_at_a_time
    def iter_all(self, req: SearchRequest) -> Iterator[ArticleView]:
        """Every matching article (not one page) in the requested order, for export.

        The order is fixed before the first article is yielded; the articles are read through a
        searcher of their own, so a reload of the index mid-stream cannot close it under us.
        """
        parsed = self.parse(req.q)
        gen = self._current()
        matched = gen.matcher.match(parsed, req)
        total = int(np.count_nonzero(matched.final))
        order = gen.ranking.page(
            parsed, req.sort, matched.final, 0, total, matched.strict, matched.scored
        )
        if total == 0 and not req.as_typed:  # what the page shows: maybe its correction's
            shown = self.search(dataclasses.replace(req, page=1, per_page=1)).corrected
            if shown is not None:
                return self.iter_all(dataclasses.replace(req, q=shown, as_typed=True))
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
            raise ArticleNotFound(f"no article {doc_id!r}", params={"id": doc_id})
        results = gen.searcher.more_like(docnum, "body", top=limit, numterms=12)
        empty = ParsedQuery(None)
        return self._hits(gen, [(hit.docnum, hit.score) for hit in results], empty)

    def _hits(
        self, gen: _Generation, ranked: Sequence[tuple[int, float | None]], parsed: ParsedQuery
    ) -> list[Hit]:
        """The hits of a page: their stored fields read first, together (StoredFields.many),
        then their snippets, together (make_snippets)."""
        pages = gen.stored_many([d for d, _ in ranked])
        snippets = make_snippets([f.get("body") or "" for f in pages], parsed.highlight)
        return [
            _hit(gen, d, s, fields, snippet)
            for (d, s), fields, snippet in zip(ranked, pages, snippets, strict=True)
        ]

    # -- analyses (search.entity_page, search.cooccurrence) -------------------------------

    @_one_at_a_time
    def entity(
        self, etype: str, name: str, *, latest: int = 10, **options: Any
    ) -> entity_page.EntityPage:
        """An entity's page (search.entity_page): raises EntityNotFound for an unknown one."""
        gen = self._current()
        page, mask = entity_page.entity_page(gen.facets, etype, name, **options)
        ranked = gen.ranking.page(ParsedQuery(None), "newest", mask, 0, min(latest, page.count))
        empty = ParsedQuery(None)
        page.latest = self._hits(gen, [(d, None) for d, _ in ranked], empty)
        return page

    @_one_at_a_time
    def cooccurrence(self, req: SearchRequest, **options: Any) -> cooccurrence.CoGraph:
        """The co-occurrence graph of the articles `req` counts (search.cooccurrence)."""
        gen = self._current()
        matched = gen.matcher.match(self.parse(req.q), req)
        return cooccurrence.cooccurrence(gen.facets, matched.final, **options)

    @_one_at_a_time
    def series(
        self,
        req: SearchRequest,
        queries: tuple[str, ...] = (),
        entities: tuple[tuple[str, str], ...] = (),
        split: str | None = None,
        top: int = 5,
        interval: str | None = None,
    ) -> coverage.SeriesResult:
        """Coverage over time (search.series): each query, or each entity within `req`'s
        search, or `req`'s search split by its top outlets; `req`'s filters and dates apply to
        all. Raises EntityNotFound for an entity the index does not know."""
        gen = self._current()
        masks: list[tuple[str, Any]] = []
        if split == "outlet":
            base = gen.matcher.match(self.parse(req.q), req).final
            masks = coverage.outlet_masks(gen.facets, base, top)
        for text in queries or ((req.q,) if not entities and split is None else ()):
            one = dataclasses.replace(req, q=text)
            masks.append((text, gen.matcher.match(self.parse(text), one).final))
        for etype, name in entities:
            canonical, _ = entity_page.entity_mask(gen.facets, etype, name)
            filters = {**req.filters, etype: (*req.selected(etype), canonical)}
            one = dataclasses.replace(req, filters=filters)
            masks.append((f"{etype}:{canonical}", gen.matcher.match(self.parse(req.q), one).final))
        everything = gen.facets.live & gen.facets.date_mask(req.date_from, req.date_to)
        return coverage.series(gen.facets, masks, everything, interval)

    @_one_at_a_time
    def newest(self, req: SearchRequest, limit: int) -> list[Hit]:
        """The articles `req` counts, the most recently added to the index first (a feed)."""
        gen = self._current()
        parsed = self.parse(req.q)
        final = gen.matcher.match(parsed, req).final
        docs = newest_first(gen.facets.added, gen.facets.day, final, limit)
        return self._hits(gen, [(d, None) for d in docs], parsed)

    # -- articles -------------------------------------------------------------------------

    @_one_at_a_time
    def article(self, doc_id: str, q: str = "") -> tuple[ArticleView, str]:
        """One article and its body as HTML with the query's words marked."""
        gen = self._current()
        docnum = gen.searcher.document_number(id=doc_id)
        if docnum is None:
            raise ArticleNotFound(f"no article {doc_id!r}", params={"id": doc_id})
        fields = gen.searcher.stored_fields(docnum)
        terms = self.parse(q).highlight if q else frozenset()
        view = _view(fields, gen.facets, docnum)
        return view, highlight_full(view.body, terms)


def _hit(
    gen: _Generation, docnum: int, score: float | None, fields: dict[str, Any], snippet: str
) -> Hit:
    values, entities = _facet_values(fields, gen.facets, docnum)
    return Hit(
        id=fields["id"],
        title=fields.get("title") or "",
        url=fields.get("url"),
        outlet=fields.get("outlet"),
        published=stored_date(fields.get("published")),
        snippet=snippet,
        entities=entities,
        facets=values,
        score=score,
        added=as_datetime(fields.get("added")),
    )


def _view(fields: dict[str, Any], facet_data: FacetData, docnum: int) -> ArticleView:
    values, entities = _facet_values(fields, facet_data, docnum)
    return ArticleView(
        id=fields["id"],
        title=fields.get("title") or "",
        url=fields.get("url"),
        outlet=fields.get("outlet"),
        published=stored_date(fields.get("published")),
        date_source=fields.get("date_source") or "none",
        outlet_source=fields.get("outlet_source") or "none",
        body=fields.get("body") or "",
        entities=entities,
        facets=values,
    )
