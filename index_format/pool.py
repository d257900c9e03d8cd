"""The build writer: a segment's postings held in memory as flat arrays (the TermPool) and
handed to the packed codec sorted, and the SegmentWriter that feeds it straight from analysis.
What `telusur rebuild-index`'s workers write with."""

from __future__ import annotations

from array import array
from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import numpy as np
from whoosh.writing import SegmentWriter

from index_format.analysis import NAME_MARK, index_tokens
from index_format.codec import PackedCodec
from index_format.codec.positions import IndonesianPositions
from index_format.codec.postings import PostingColumns
from index_format.codec.termdict import MAX_TERM_BYTES

_INDEXED_MAX = 50_000  # keyword and date values whose postings a build writer remembers
# Fields with a value of their own per article: remembering it would only push out the others.
_NOT_RECURRING = frozenset({"url"})


class _Columns:
    """A positions field's tokens in arrival order (documents in docnum order): each token's
    term, and per document its number, boost, count of tokens and first position (the others
    follow it one by one, as `index_tokens` gives them). `by_term` groups them into postings
    when the segment is written."""

    __slots__ = ("boosts", "docs", "field_boost", "firsts", "sizes", "terms")

    def __init__(self, field_boost: float) -> None:
        self.field_boost = field_boost
        self.terms: list[str] = []
        self.docs = array("i")
        self.sizes = array("i")
        self.firsts = array("i")
        self.boosts = array("d")

    def by_term(self) -> PostingColumns:
        """The postings sorted by term (str order is UTF-8 order), then document; a
        posting's positions ascending."""
        # Term ids in one pass without a Python loop per token: a new term gets the next id
        # as map looks it up (a defaultdict's factory, in C); numpy ranks the distinct terms.
        ids: defaultdict[str, int] = defaultdict()
        ids.default_factory = ids.__len__
        term_ids = np.fromiter(map(ids.__getitem__, self.terms), np.int32, len(self.terms))
        self.terms = []
        terms = list(ids)  # by id
        order = sorted(range(len(terms)), key=terms.__getitem__)
        rank = np.empty(len(terms), dtype=np.int32)
        rank[order] = np.arange(len(terms), dtype=np.int32)
        by_term = rank[term_ids]
        del ids, term_ids
        # A stable sort keeps documents in order within a term, positions within a document.
        o = stable_argsort(by_term, len(terms))
        sizes = np.frombuffer(self.sizes, dtype=np.int32)
        doc_of = np.repeat(np.arange(sizes.size, dtype=np.int32), sizes)  # a document's index
        positions = np.arange(by_term.size, dtype=np.int32)
        positions -= np.repeat((np.cumsum(sizes) - sizes).astype(np.int32), sizes)
        positions += np.repeat(np.frombuffer(self.firsts, dtype=np.int32), sizes)
        term_sorted, doc_sorted = by_term[o], doc_of[o]
        del by_term, doc_of
        # A posting is a run of one term in one document.
        new = np.empty(o.size, dtype=bool)
        new[:1] = True
        np.not_equal(term_sorted[1:], term_sorted[:-1], out=new[1:])
        new[1:] |= doc_sorted[1:] != doc_sorted[:-1]
        first = np.flatnonzero(new)
        del new
        freqs = np.diff(first, append=o.size).astype(np.int32)
        docs = doc_sorted[first]
        starts = np.zeros(len(terms) + 1, dtype=np.int64)
        np.cumsum(np.bincount(term_sorted[first], minlength=len(terms)), out=starts[1:])
        return PostingColumns(
            terms=[terms[i].encode("utf-8") for i in order],
            starts=starts,
            docs=np.frombuffer(self.docs, dtype=np.int32)[docs],
            freqs=freqs,
            weights=freqs * self.field_boost * np.frombuffer(self.boosts)[docs],
            positions=positions[o],
        )


def stable_argsort(keys: np.ndarray, bound: int) -> np.ndarray:
    """`np.argsort(keys, kind="stable")` of integers in [0, bound), bound <= 2**32. numpy
    radix-sorts 16-bit keys in linear time, but wider ones with timsort (3-4x slower on a
    segment's tokens): wider keys are sorted by their low 16 bits, then stably by their high."""
    if bound <= 1 << 16:
        return np.argsort(keys.astype(np.uint16), kind="stable")
    order = np.argsort((keys & 0xFFFF).astype(np.uint16), kind="stable")
    return order[np.argsort((keys >> 16).astype(np.uint16)[order], kind="stable")]


class TermPool:
    """A segment's postings in memory: what build writers use instead of Whoosh's
    PostingPool.

    Whoosh keeps one tuple per posting, sorts them all at the end and spills sorted runs to
    disk past `limitmb` (at 11,000 articles a worker spilled twice, then merged the runs in
    Python). Here the text fields' tokens (`add_tokens`) go into flat arrays, a few bulk
    appends per document, and are sorted by term with numpy when the segment is written;
    other fields' postings are kept term by term. `size` estimates the bytes held; the
    writer's owner starts a new segment past its budget.
    """

    def __init__(self) -> None:
        self._fields: dict[str, dict[bytes, tuple[array[int], array[float], list[bytes]]]] = {}
        self._columns: dict[str, _Columns] = {}
        self.size = 0

    def add(self, item: tuple[str, bytes, int, float, bytes | None]) -> None:
        fieldname, tbytes, docnum, weight, vbytes = item
        if fieldname in self._columns:
            raise ValueError(f"{fieldname}: postings added both ways")
        terms = self._fields.get(fieldname)
        if terms is None:
            terms = self._fields[fieldname] = {}
        entry = terms.get(tbytes)
        if entry is None:
            entry = terms[tbytes] = (array("I"), array("d"), [])
            self.size += 450 + len(tbytes)  # measured: a term's key, tuple, arrays, list
        entry[0].append(docnum)
        entry[1].append(weight)
        entry[2].append(vbytes or b"")
        self.size += 60 + len(vbytes or b"")  # measured: ~60 bytes a posting besides its value

    def add_tokens(
        self, fieldname: str, docnum: int, tokens: list[str], first: int, fmt: Any, boost: float
    ) -> int:
        """A document's postings of one field from `index_tokens` (what fmt.word_values would
        yield, each weight times `boost`); returns the field's length."""
        cols = self._columns.get(fieldname)
        if cols is None:
            if fieldname in self._fields:
                raise ValueError(f"{fieldname}: postings added both ways")
            cols = self._columns[fieldname] = _Columns(fmt.field_boost)
        cols.terms += tokens
        cols.docs.append(docnum)
        cols.sizes.append(len(tokens))
        cols.firsts.append(first)
        cols.boosts.append(boost)
        # Held: 8 bytes a token (terms are shared strings). Writing the segment groups and
        # encodes them in numpy arrays: a build worker's peak RSS grew by ~40 KB an article
        # of its segment (485 MB at 11,000 CLICK-ID articles, 850 MB at ~18,000), so the
        # budget counts several times what is held (as 52 bytes a posting and 17 a position
        # did, at CLICK-ID's ~1.6 tokens a posting).
        self.size += 50 * len(tokens)
        return len(tokens)

    def iter_postings(self) -> _PoolPostings:
        return _PoolPostings(self._fields, self._columns)

    def cleanup(self) -> None:
        self._fields = {}
        self._columns = {}
        self.size = 0


class _PoolPostings:
    """A TermPool's postings for our codec's writer (index_format.codec), field by field in order:
    a text field's as PostingColumns, the others' term by term."""

    def __init__(self, fields: dict[str, dict[bytes, Any]], columns: dict[str, _Columns]):
        self.fields = fields
        self.columns = columns

    def terms(self) -> Iterator[tuple[str, PostingColumns | Iterator[tuple[bytes, Any]]]]:
        for fieldname in sorted([*self.fields, *self.columns]):
            if fieldname in self.columns:
                yield fieldname, self.columns.pop(fieldname).by_term()  # one at a time
            else:
                terms = self.fields[fieldname]
                yield fieldname, ((t, terms[t]) for t in sorted(terms))


class _Tokens:
    """A text field's terms in position order, the first one's position (index_tokens) and
    the field's boost, ready for the pool."""

    __slots__ = ("boost", "first", "terms")

    def __init__(self, terms: tuple[list[str], int], boost: float) -> None:
        self.terms, self.first = terms
        self.boost = boost


class _BuildWriter(SegmentWriter):
    """Whoosh's SegmentWriter whose add_document hands IndonesianPositions fields straight
    from `index_tokens` to the TermPool: no generator per field, no tuple and call per
    posting. Other fields go Whoosh's way; the rest is SegmentWriter.add_document's code."""

    pool: TermPool
    _indexed: dict[tuple[str, Any], list[tuple[bytes, int, float, bytes]]]

    def add_document(self, **fields: Any) -> None:
        """Add one document. Everything that can fail on a document's content (analysis, a
        term the codec cannot hold, a column value) runs before anything is added, so a bad
        document raises and leaves the segment as it was: the caller skips it and goes on."""
        self._check_state()
        docnum = self.docnum
        prepared = self._prepare(fields)
        perdocwriter = self.perdocwriter
        perdocwriter.start_doc(docnum)
        try:
            for fieldname, field, postings, stored, column_value in prepared:
                length = 0
                if isinstance(postings, _Tokens):
                    length = self.pool.add_tokens(
                        fieldname,
                        docnum,
                        postings.terms,
                        postings.first,
                        field.format,
                        postings.boost,
                    )
                else:
                    for tbytes, freq, weight, vbytes in postings:
                        if field.scorable:
                            length += freq
                        self.pool.add((fieldname, tbytes, docnum, weight, vbytes))
                perdocwriter.add_field(fieldname, field, stored, length)
                if column_value is not None:
                    perdocwriter.add_column_value(fieldname, field.column_type, column_value)
        except Exception:  # not the document's content: the segment cannot be trusted
            perdocwriter.cancel_doc()
            raise
        perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1

    def _prepare(self, fields: dict[str, Any]) -> list[tuple[str, Any, Any, Any, Any]]:
        """Per field: (name, field, postings, stored value, column value), where postings are
        `_Tokens` for the fast text path, else (term bytes, frequency, weight, value) tuples."""
        schema = self.schema
        docboost = self._doc_boost(fields)
        fieldnames = sorted(name for name in fields if not name.startswith("_"))
        self._check_fields(schema, fieldnames)
        out: list[tuple[str, Any, Any, Any, Any]] = []
        # Each stemmed text's words in lower case, by its text without the marks of its names
        # (mark_words puts them at words' starts only), and the unstemmed texts, analysed
        # once the others are.
        lows: dict[str, list[str]] = {}
        unstemmed: list[tuple[int, str, float]] = []
        for fieldname in fieldnames:
            value = fields.get(fieldname)
            if value is None:
                continue
            field = schema[fieldname]
            if field.vector or field.separate_spelling():
                raise ValueError(f"{fieldname}: vectors and spelling are not supported here")
            customval = fields.get(f"_stored_{fieldname}", value)
            postings: Any = ()
            if field.indexed:
                boost = self._field_boost(fields, fieldname, docboost)
                fmt = field.format
                if isinstance(fmt, IndonesianPositions) and isinstance(value, str):
                    if fmt.stemmed:
                        words: list[str] = []
                        postings = _Tokens(index_tokens(value, True, words), boost)
                        lows[value.replace(NAME_MARK, "")] = words
                    else:
                        unstemmed.append((len(out), value, boost))
                else:
                    postings = [
                        (tbytes, freq, weight * boost, vbytes)
                        for tbytes, freq, weight, vbytes in self._index(field, fieldname, value)
                    ]
                    if any(len(p[0]) > MAX_TERM_BYTES for p in postings):
                        raise ValueError(f"{fieldname}: a value too long to index")
            column_value = None
            if field.column_type and customval is not None:
                column_value = field.to_column_value(customval)
            out.append(
                (fieldname, field, postings, customval if field.stored else None, column_value)
            )
        for at, value, boost in unstemmed:
            name, field, _, stored, column_value = out[at]
            out[at] = (
                name,
                field,
                _Tokens(_exact_tokens(value, lows), boost),
                stored,
                column_value,
            )
        return out

    def _index(self, field: Any, fieldname: str, value: Any) -> Any:
        """field.index(value), remembered for values that recur (outlets, days, names):
        Whoosh analyses each keyword and expands each date into several range terms."""
        if field.unique or fieldname in _NOT_RECURRING or not isinstance(value, str | datetime):
            return field.index(value)
        key = (fieldname, value)
        items = self._indexed.get(key)
        if items is None:
            if len(self._indexed) >= _INDEXED_MAX:
                self._indexed.clear()
            items = self._indexed[key] = list(field.index(value))
        return items


def _exact_tokens(text: str, lows: dict[str, list[str]]) -> tuple[list[str], int]:
    """`index_tokens(text, False)`. The exact field joins the title and body with a newline,
    which no token crosses: its terms are then the lowercase words the stemmed passes over
    those two texts found (a fifth of a document's analysis saved)."""
    if NAME_MARK not in text:
        for first in lows:
            if text.startswith(first) and text[len(first) : len(first) + 1] == "\n":
                rest = text[len(first) + 1 :]
                if rest in lows:
                    return lows[first] + lows[rest], 0
    return index_tokens(text, False)


def build_writer(ix: Any, **kwargs: Any) -> Any:
    """A SegmentWriter for building: our codec, the term pool (no spilled runs) and the
    direct path from analysis to pool.

    Takes SegmentWriter's arguments (`_lk=False` for a worker under its parent's lock).
    """
    writer = _BuildWriter(ix, codec=PackedCodec(), **kwargs)
    writer.pool = TermPool()
    writer._indexed = {}
    return writer
