"""The straightforward implementation that `make bench` compares against.

Whoosh with `StemFilter(stemfn=<Sastrawi stem>)`, one serial writer, and facets counted by
`searcher.search(..., groupedby=...)` with `FieldFacet`s and a month `DateRangeFacet`.
Extraction and tagging are Telusur's own (`prepare_article`), so both builds do the same work.

    python -m bench.baseline build INDEX_DIR ARCHIVE... [--tag-cache FILE]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import pickle
import time
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from whoosh import highlight, index, sorting
from whoosh import query as wq
from whoosh.analysis import LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.fields import DATETIME, ID, KEYWORD, STORED, TEXT, Schema

from index_format import facets
from index_format.analysis import STOPWORDS, TOKEN_PATTERN
from indexer.models import Article, RawRecord
from indexer.prepare import prepare_article
from indexer.sources import read_archive
from search.models import FacetValue, SearchRequest
from search.query import ParsedQuery

ENTITY_FIELDS, FACET_FIELDS = facets.entity_names(), facets.names()

BOUNDS_FILE = "bench-bounds.json"
Merged = dict[str, dict[str, str]]  # facet → variant → canonical name (FacetData.merged)
# facet → (document, name) → the name it counts as there (FacetData.per_doc)
PerDoc = dict[str, dict[tuple[int, str], str]]
FACET_LIMIT = 20


@lru_cache(maxsize=1)
def _sastrawi() -> Any:
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    return StemmerFactory().create_stemmer()


def sastrawi_stem(word: str) -> str:
    """Module-level, so the pickled schema does not carry the dictionary."""
    stemmed: str = _sastrawi().stem(word)
    return stemmed or word


def baseline_schema() -> Schema:
    stemmed = (
        RegexTokenizer(TOKEN_PATTERN)
        | LowercaseFilter()
        | StopFilter(stoplist=STOPWORDS, minsize=1)
        | StemFilter(stemfn=sastrawi_stem)
    )
    exact = RegexTokenizer(TOKEN_PATTERN) | LowercaseFilter()
    return Schema(
        id=ID(unique=True, stored=True),
        url=STORED(),
        title=TEXT(analyzer=stemmed, stored=True, field_boost=2.0),
        body=TEXT(analyzer=stemmed, stored=True),
        exact=TEXT(analyzer=exact, phrase=True),
        outlet=ID(stored=True),
        published=DATETIME(stored=True),
        person=KEYWORD(stored=True, commas=True, lowercase=False, scorable=False),
        organisation=KEYWORD(stored=True, commas=True, lowercase=False, scorable=False),
        place=KEYWORD(stored=True, commas=True, lowercase=False, scorable=False),
    )


def _doc(a: Article) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "id": a.id,
        "url": a.url,
        "title": a.title,
        "body": a.body,
        "exact": f"{a.title}\n{a.body}",
    }
    if a.outlet:
        doc["outlet"] = a.outlet
    if a.published:
        doc["published"] = datetime.combine(a.published, datetime.min.time())
    for f in ENTITY_FIELDS:
        values = ",".join(v.replace(",", " ") for v in getattr(a, f) if v.strip())
        if values:
            doc[f] = values
    return doc


def _text_key(record: RawRecord) -> str:
    f = record.fields
    return hashlib.blake2b(
        f"{f.get('title')}\0{f.get('body')}".encode("utf-8", "replace"), digest_size=12
    ).hexdigest()


def build(paths: list[Path], index_dir: Path, tag_cache: Path | None = None) -> dict[str, Any]:
    """Serial build. With `tag_cache`, entities of already-seen texts are reused (and saved)."""
    cache: dict[str, tuple[list[str], list[str], list[str]]] = {}
    if tag_cache and tag_cache.exists():
        cache = pickle.loads(tag_cache.read_bytes())
    reused = 0
    started = time.perf_counter()
    last: dict[str, tuple[str, int | None]] = {}
    for item in read_archive(paths):
        if isinstance(item, RawRecord):
            last[item.doc_id] = (item.source, item.line)
    index_dir.mkdir(parents=True, exist_ok=True)
    ix = index.create_in(index_dir, baseline_schema())
    writer = ix.writer(limitmb=256)
    n = 0
    lo: date | None = None
    hi: date | None = None
    for item in read_archive(paths):
        if not isinstance(item, RawRecord) or last[item.doc_id] != (item.source, item.line):
            continue
        key = _text_key(item)
        if key in cache:
            from indexer.extract import extract_article

            a = extract_article(item)
            a.person, a.organisation, a.place = (list(v) for v in cache[key])
            reused += 1
        else:
            a = prepare_article(item)
            cache[key] = (a.person, a.organisation, a.place)
        writer.add_document(**_doc(a))
        n += 1
        if a.published:
            lo = a.published if lo is None else min(lo, a.published)
            hi = a.published if hi is None else max(hi, a.published)
    writer.commit()
    seconds = time.perf_counter() - started
    (index_dir / BOUNDS_FILE).write_text(
        json.dumps({"min": lo.isoformat() if lo else None, "max": hi.isoformat() if hi else None})
    )
    if tag_cache:
        tag_cache.write_bytes(pickle.dumps(cache))
    return {"indexed": n, "seconds": seconds, "tags_reused": reused}


# -- search -------------------------------------------------------------------------------


def _month_start(d: date) -> datetime:
    return datetime(d.year, d.month, 1)


def _next_month(d: datetime) -> datetime:
    return datetime(d.year + d.month // 12, d.month % 12 + 1, 1)


class BaselineSearch:
    """One searcher over a baseline (or Telusur) index; facets with groupedby."""

    def __init__(self, index_dir: Path) -> None:
        self.ix = index.open_dir(str(index_dir))
        self.searcher = self.ix.searcher()
        bounds_file = Path(index_dir) / BOUNDS_FILE
        if bounds_file.exists():
            b = json.loads(bounds_file.read_text())
            self.min_date = date.fromisoformat(b["min"]) if b["min"] else None
            self.max_date = date.fromisoformat(b["max"]) if b["max"] else None
        else:  # a Telusur index: read the bounds from its stored dates (the guard only)
            days = [
                f["published"].date()
                for f in self.searcher.all_stored_fields()
                if f.get("published") is not None
            ]
            self.min_date = min(days) if days else None
            self.max_date = max(days) if days else None

    def close(self) -> None:
        self.searcher.close()

    def facets(self) -> dict[str, sorting.FacetType]:
        groups: dict[str, sorting.FacetType] = {
            f: sorting.FieldFacet(f, allow_overlap=f in ENTITY_FIELDS) for f in FACET_FIELDS
        }
        if self.min_date and self.max_date:
            start = _month_start(self.min_date)
            end = _next_month(_month_start(self.max_date))
            groups["published"] = sorting.DateRangeFacet("published", start, end, gap=_MonthGap())
        return groups

    def filter_query(
        self, req: SearchRequest, but: str | None = None, merged: Merged | None = None
    ) -> wq.Query | None:
        """The filters of `req` as a query; with `merged` (FacetData.merged) a value also
        matches the names merged with it."""
        parts: list[wq.Query] = []
        for f, values in req.filters.items():
            if f == but:
                continue
            names = list(values)
            merges: dict[str, str] = {}
            if merged and merged.get(f):
                merges = merged[f]
                wanted = {merges.get(v, v) for v in values}
                names += [*wanted, *(n for n, c in merges.items() if c in wanted)]
            if f in ENTITY_FIELDS:  # every value (each with the names merged with it)
                for v in values:
                    canonical = merges.get(v, v) if merged and merged.get(f) else v
                    same = [
                        canonical,
                        *(n for n, c in (merged or {}).get(f, {}).items() if c == canonical),
                    ]
                    parts.append(wq.Or([wq.Term(f, n) for n in dict.fromkeys([v, *same])]))
                continue
            terms = [wq.Term(f, v) for v in dict.fromkeys(names)]
            parts.append(wq.Or(terms) if len(terms) > 1 else terms[0])
        if (req.date_from or req.date_to) and but != "published":
            start = datetime.combine(req.date_from, datetime.min.time()) if req.date_from else None
            end = (
                datetime.combine(req.date_to, datetime.max.time().replace(microsecond=0))
                if req.date_to
                else None
            )
            parts.append(wq.DateRange("published", start, end))
        if not parts:
            return None
        return wq.And(parts) if len(parts) > 1 else parts[0]

    def search(self, parsed: ParsedQuery, req: SearchRequest, snippets: bool = True) -> dict:
        """One page of hits with snippets, the total and every facet, the straightforward way."""
        q = parsed.query if parsed.query is not None else wq.Every()
        end = req.page * req.per_page
        kwargs: dict[str, Any] = {}
        if req.sort in ("newest", "oldest") or parsed.query is None:
            kwargs["sortedby"] = "published"
            kwargs["reverse"] = req.sort != "oldest"
        results = self.searcher.search(
            q, filter=self.filter_query(req), groupedby=self.facets(), limit=end, **kwargs
        )
        results.formatter = highlight.HtmlFormatter(tagname="mark", classname="hl")
        results.fragmenter = highlight.ContextFragmenter(maxchars=160, surround=60)
        hits = []
        for hit in results[(req.page - 1) * req.per_page : end]:
            fields = hit.fields()
            hits.append(
                {
                    "id": fields["id"],
                    "title": fields.get("title"),
                    "snippet": hit.highlights("body", top=2) if snippets else "",
                }
            )
        facets = {}
        for name in results.facet_names():
            groups = results.groups(name)
            counts = [(k, len(v)) for k, v in groups.items() if k is not None]
            if name == "published":
                facets[name] = [
                    FacetValue(k[0].strftime("%Y-%m"), c)
                    for k, c in sorted(counts, key=lambda kc: kc[0])
                ]
            else:
                counts.sort(key=lambda kc: (-kc[1], kc[0]))
                facets[name] = [FacetValue(k, c) for k, c in counts[:FACET_LIMIT]]
        return {"total": len(results), "hits": hits, "facets": facets}

    def _per_doc_filter(
        self, req: SearchRequest, but: str | None, merged: Merged | None, per_doc: PerDoc
    ) -> Any:
        """The filters as a set of document numbers, the person filter folded per document
        (a short name joined in one article only, a namesake kept apart)."""
        rest = SearchRequest(filters={f: v for f, v in req.filters.items() if not per_doc.get(f)},
                             date_from=req.date_from, date_to=req.date_to)  # fmt: skip
        query = self.filter_query(rest, but=but, merged=merged)
        docs = set(self.searcher.docs_for_query(query if query is not None else wq.Every()))
        for f, values in req.filters.items():
            if f == but or not per_doc.get(f):
                continue
            merges = (merged or {}).get(f, {})
            grouped = self.searcher.search(wq.Every(), groupedby={f: self.facets()[f]}, limit=None)
            for wanted in {merges.get(v, v) for v in values}:  # an entity's values: every one
                docs &= {
                    d
                    for k, ds in grouped.groups(f).items()
                    if k is not None
                    for d in ds
                    if _fold(d, k, merges, per_doc[f]) == wanted
                }
        return docs or {-1}  # (an empty set is no filter at all to Whoosh)

    def counts(
        self,
        q: wq.Query | None,
        req: SearchRequest,
        merged: Merged | None = None,
        per_doc: PerDoc | None = None,
    ) -> dict[str, Any]:
        """The guard's reference: hit set and full facet counts, the outlet and the dates each
        under every *other* filter and the entity facets under all of them (as Telusur counts
        them), all with groupedby. `merged` (FacetData.merged): the variants to count as their
        canonical name, each document once; `per_doc` (FacetData.per_doc): person names that
        count as another in one document only."""
        if per_doc:
            return self._counts(q, req, merged, per_doc)
        return self._counts(q, req, merged, {})

    def _filter(
        self, req: SearchRequest, but: str | None, merged: Merged | None, per_doc: PerDoc
    ) -> Any:
        if any(per_doc.get(f) for f in req.filters):
            return self._per_doc_filter(req, but, merged, per_doc)
        return self.filter_query(req, but=but, merged=merged)

    def _counts(
        self, q: wq.Query | None, req: SearchRequest, merged: Merged | None, per_doc: PerDoc
    ) -> dict[str, Any]:
        q = q if q is not None else wq.Every()
        # An exclusion goes in `mask=`: Whoosh's AndNot matcher let an excluded document
        # through on a two-segment index (found by this guard; see docs in bench/README.md).
        mask = None
        if isinstance(q, wq.AndNot):
            q, mask = q.a, q.b
        final = self.searcher.search(
            q,
            filter=self._filter(req, None, merged, per_doc),
            mask=mask,
            groupedby=self.facets(),
            limit=None,
        )
        out: dict[str, Any] = {"hits": {final.fields(i)["id"] for i in range(len(final))}}
        for name in (*FACET_FIELDS, "published"):
            own = (name in req.filters and name not in ENTITY_FIELDS) or (
                name == "published" and bool(req.date_from or req.date_to)
            )
            res = (
                self.searcher.search(
                    q,
                    filter=self._filter(req, name, merged, per_doc),
                    mask=mask,
                    groupedby={name: self.facets()[name]},
                    limit=None,
                )
                if own
                else final
            )
            if name not in res.facet_names():
                out[name] = {}
                continue
            groups = res.groups(name)
            if name == "published":
                out[name] = {k[0].strftime("%Y-%m"): len(v) for k, v in groups.items() if k}
            else:
                merges = (merged or {}).get(name, {})
                docs: dict[str, set[int]] = {}
                for k, v in groups.items():
                    if k is None:
                        continue
                    if per_doc.get(name):
                        for d in v:
                            docs.setdefault(_fold(d, k, merges, per_doc[name]), set()).add(d)
                    else:
                        docs.setdefault(merges.get(k, k), set()).update(v)
                out[name] = {k: len(v) for k, v in docs.items()}
        return out


def _fold(doc: int, name: str, merges: dict[str, str], per_doc: dict[tuple[int, str], str]) -> str:
    """The value `name` counts as in document `doc`: kept apart there, else merged across the
    archive, then joined to a full name there."""
    kept = per_doc.get((doc, name))
    if kept is not None:
        return kept
    merged = merges.get(name, name)
    return per_doc.get((doc, merged), merged)


class _MonthGap:
    """A calendar-month gap for DateRangeFacet (whoosh adds it to a datetime)."""

    def __radd__(self, other: datetime) -> datetime:
        return _next_month(other)

    def __add__(self, other: datetime) -> datetime:
        return _next_month(other)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    sub = ap.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build")
    b.add_argument("index_dir", type=Path)
    b.add_argument("paths", type=Path, nargs="+")
    b.add_argument("--tag-cache", type=Path)
    args = ap.parse_args()
    if args.cmd == "build":
        print(json.dumps(build(args.paths, args.index_dir, args.tag_cache)))


if __name__ == "__main__":
    # Through the package, so the pickled schema names bench.baseline.sastrawi_stem, not __main__.
    from bench.baseline import main as _main

    _main()
