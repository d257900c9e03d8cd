"""Stories in search: results collapsed to one row per story (`collapse=story`), and a story's
copies with the text each changed.

The generation's stories (index_format.stories) become one array: `story_of[docnum]` is a
story number, the document's own number for an article alone in its story (and for every
article of a generation without stories), a number past the last document for a story of
two or more. Counting the stories of a result is then one np.unique.
"""

from __future__ import annotations

import difflib
import html
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from index_format.schema import stored_date
from index_format.stories import load_story_ids

# Unchanged words between two changes of a copy: longer runs show their ends around "…".
KEEP_CONTEXT = 8
# A collapsed row lists at most this many of its story's other copies (the story page, all).
LISTED_COPIES = 20
# A row of a story with more copies than this reads the stored fields of the copies it lists
# only; its outlets and dates come from the facet arrays (an archive may hold one page
# thousands of times).
READ_ALL_UP_TO = 64
_TOKENS = re.compile(r"\S+|\s+")


@dataclass
class StoryData:
    """The stories of one generation, as document numbers."""

    story_of: np.ndarray  # int64 per document: its story number
    labels: dict[int, str]  # story number (of two or more) → story id
    numbers: dict[str, int]  # story id → story number (stories of two or more)
    members: dict[int, np.ndarray]  # story number → its live documents, ascending
    firsts: dict[int, int] = field(default_factory=dict)  # story number → its first copy

    def docs_of(self, number: int) -> np.ndarray:
        return self.members.get(number, np.array([number], dtype=np.int64))


def load_story_data(directory: str | Path, searcher: Any) -> StoryData:
    """The stories of the generation in `directory`, opened as `searcher` (a generation
    without stories: every article its own)."""
    n = searcher.reader().doc_count_all()
    story_of = np.arange(n, dtype=np.int64)
    labels: dict[int, str] = {}
    members: dict[int, np.ndarray] = {}
    firsts: dict[int, int] = {}
    stored = load_story_ids(Path(directory))
    grouped: dict[str, list[str]] = {}
    for doc_id, story in zip(*(stored or ((), ())), strict=True):
        grouped.setdefault(story, []).append(doc_id)
    for label, ids in grouped.items():
        if len(ids) < 2:
            continue
        found = {doc_id: searcher.document_number(id=doc_id) for doc_id in ids}
        docs = np.array(sorted(d for d in found.values() if d is not None), dtype=np.int64)
        if docs.size < 2:
            continue
        number = n + len(labels)
        story_of[docs] = number
        labels[number] = label
        members[number] = docs
        if found.get(label) is not None:
            firsts[number] = found[label]
    numbers = {v: k for k, v in labels.items()}
    return StoryData(story_of, labels, numbers, members, firsts)


@dataclass
class StoryMember:
    """Another copy of a collapsed row's story."""

    id: str
    title: str
    outlet: str | None
    published: date | None


@dataclass
class StoryHit:
    """What a collapsed row says about its story."""

    id: str  # the story's id: the id of its first copy (GET /api/stories/<id>)
    matched: int  # its articles in this result (this one included): the rows add up to total
    articles: int  # its articles in the index
    other_outlets: int  # outlets other than this row's that carried it
    first_outlet: str | None  # where and when it first appeared
    first_published: date | None
    # Its other copies, first published first (at most LISTED_COPIES).
    others: list[StoryMember] = field(default_factory=list)


@dataclass
class StoryCopy:
    id: str
    title: str
    url: str | None
    outlet: str | None
    published: date | None
    first: bool  # the first copy: the others' changes are counted against it
    changed_words: int  # words added or removed against the first copy
    diff: str  # HTML, escaped: the copy's text, <ins> what it added, <del> what it dropped


@dataclass
class StoryView:
    id: str
    copies: list[StoryCopy]


def story_count(data: StoryData, mask: np.ndarray) -> tuple[int, dict[int, int]]:
    """How many stories the masked articles belong to, and how many of them each holds."""
    numbers, counts = np.unique(data.story_of[mask], return_counts=True)
    return int(numbers.size), dict(zip(numbers.tolist(), counts.tolist(), strict=True))


def collapsed_page(
    data: StoryData,
    ranked: Callable[[int], list[tuple[int, Any]]],
    total: int,
    start: int,
    end: int,
) -> list[tuple[int, Any]]:
    """Rows `start:end` of the result collapsed to each story's best-ranked article.

    `ranked(k)` gives the first k (document, score) of the result in its order; it is asked
    for more until `end` stories are found or the result is exhausted (copies are few: twice
    the page nearly always suffices)."""
    k = min(total, max(2 * end, 20))
    while True:
        rows: list[tuple[int, Any]] = []
        seen: set[int] = set()
        for docnum, score in ranked(k):
            number = int(data.story_of[docnum])
            if number not in seen:
                seen.add(number)
                rows.append((docnum, score))
        if len(rows) >= end or k >= total:
            return rows[start:end]
        k = min(total, k * 4)


def _first_key(f: dict[str, Any]) -> tuple[bool, date, str]:
    day = stored_date(f.get("published"))
    return day is None, day or date.min, f["id"]


def _first(fields: list[dict[str, Any]]) -> dict[str, Any]:
    """The copy that appeared first (earliest date, then id), as stories are labelled."""
    return min(fields, key=_first_key)


def story_hit(
    data: StoryData,
    number: int,
    docnum: int,
    matched: int,
    stored: Callable[[int], Any],
    facets: Any,
) -> StoryHit:
    """The row of the story `number` shown as its document `docnum`; `facets` is the
    generation's search.facets.FacetData (days and outlets of a story's many copies)."""
    docs = data.docs_of(number)
    me = stored(docnum)
    if docs.size <= READ_ALL_UP_TO:
        fields = [stored(d) for d in docs.tolist()]
        first = _first(fields)
        outlets = {f.get("outlet") for f in fields} - {None}
        others = sorted((f for f in fields if f["id"] != me["id"]), key=_first_key)
    else:  # the earliest copies only, by the day the facet arrays hold
        day = facets.day[docs].astype(np.int64)
        order = np.lexsort((docs, day, day < 0))
        listed = [int(d) for d in docs[order][: LISTED_COPIES + 1] if d != docnum]
        others = sorted((stored(d) for d in listed[:LISTED_COPIES]), key=_first_key)
        first = stored(data.firsts.get(number, int(docs[order][0])))
        mask = np.zeros(facets.size, dtype=bool)
        mask[docs] = True
        names = facets.values["outlet"].names
        outlets = {names[v] for v in np.unique(facets.values["outlet"].matching(mask))}
    return StoryHit(
        id=data.labels.get(number, first["id"]),
        matched=matched,
        articles=int(docs.size),
        other_outlets=len(outlets - {me.get("outlet")}),
        first_outlet=first.get("outlet"),
        first_published=stored_date(first.get("published")),
        others=[
            StoryMember(
                f["id"], f.get("title") or "", f.get("outlet"), stored_date(f.get("published"))
            )
            for f in others[:LISTED_COPIES]
        ],
    )


def story_docs(data: StoryData, story_id: str, docnum_of: Callable[[str], int | None]) -> Any:
    """The documents of the story `story_id`, or None when there is no such story (an
    article that is a copy in another story is not a story of its own)."""
    number = data.numbers.get(story_id)
    if number is not None:
        return data.members[number]
    docnum = docnum_of(story_id)
    if docnum is None or int(data.story_of[docnum]) != docnum:
        return None
    return np.array([docnum], dtype=np.int64)


def story_view(story_id: str, fields: Iterable[dict[str, Any]]) -> StoryView:
    """Every copy, first one first, then by date, with what each changed against the first."""
    copies = list(fields)
    first = _first(copies)
    copies.sort(key=lambda f: (f is not first, *_first_key(f)))
    out = []
    for f in copies:
        changed, diff = word_diff(first.get("body") or "", f.get("body") or "")
        out.append(
            StoryCopy(
                id=f["id"],
                title=f.get("title") or "",
                url=f.get("url"),
                outlet=f.get("outlet"),
                published=stored_date(f.get("published")),
                first=f is first,
                changed_words=changed,
                diff=diff if f is not first else html.escape(f.get("body") or ""),
            )
        )
    return StoryView(story_id, out)


def word_diff(before: str, after: str) -> tuple[int, str]:
    """(words added or removed, `after` as escaped HTML with <ins> for what it added and
    <del> for what it dropped), unchanged stretches shortened around "…"."""
    if before == after:  # a page archived many times over: no diff to make
        return 0, _shortened(_TOKENS.findall(after), first=True, last=True)
    a, b = _TOKENS.findall(before), _TOKENS.findall(after)
    parts: list[str] = []
    changed = 0
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(_shortened(b[j1:j2], first=j1 == 0, last=j2 == len(b)))
            continue
        if i2 > i1:
            changed += sum(1 for t in a[i1:i2] if not t.isspace())
            parts.append(f"<del>{html.escape(''.join(a[i1:i2]))}</del>")
        if j2 > j1:
            changed += sum(1 for t in b[j1:j2] if not t.isspace())
            parts.append(f"<ins>{html.escape(''.join(b[j1:j2]))}</ins>")
    return changed, "".join(parts)


def _shortened(tokens: list[str], *, first: bool, last: bool) -> str:
    """An unchanged stretch: its last words before a change, its first after one."""
    words = [i for i, t in enumerate(tokens) if not t.isspace()]
    keep = KEEP_CONTEXT
    if len(words) <= 2 * keep:
        return html.escape("".join(tokens))
    head = "" if first else "".join(tokens[: words[keep - 1] + 1])
    tail = "" if last else "".join(tokens[words[-keep] :])
    return html.escape(head) + " … " + html.escape(tail)
