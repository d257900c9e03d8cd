"""The records that flow through the indexer: raw records in, articles out."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from indexer.date_choice import DateChoice

# How an article's date was found: its metadata; written in full in its text; in its URL or
# file name; day and month from the text with the year from the weekday and the evidence
# (indexer.date_evidence), or from the evidence alone; none.
# A saved web page's own metadata (JSON-LD, meta tags, <time>: indexer.html) is "html-metadata".
DateSource = Literal[
    "metadata",
    "html-metadata",
    "text",
    "url",
    "filename",
    "weekday-inferred",
    "year-inferred",
    "none",
]


@dataclass(frozen=True)
class RawRecord:
    """One article as read from an archive file, before any interpretation.

    `fields` holds what the file gave: for .txt files only `title` and `body`
    (the first non-empty line and the rest); for JSON/CSV the record's own
    columns (id, url, title, outlet, published, body), each possibly missing; for a
    web page (.html, a WARC record, a fetched link) the decoded page as `html`, and its
    `url` when known (a WARC record's also `captured`, its WARC-Date): the page is read in
    the build workers (indexer.html). A feed's entries
    carry the outlet the feed's title names as `site_name` (indexer.feeds).
    `sidecar` holds metadata from a NAME.json or manifest.csv next to a .txt file.
    `repairs` says, one short reason each, what the reader changed so the record could be
    indexed ("2 unencodable characters replaced (title)", "id replaced: …"); empty for most.
    """

    doc_id: str
    source: str  # the file it came from
    line: int | None  # 1-based line (jsonl/csv) or list index (json); None for .txt
    fields: dict[str, str | None]
    sidecar: dict[str, str | None] = field(default_factory=dict)
    repairs: tuple[str, ...] = ()
    # When the article first entered the index (UTC epoch seconds), when a rebuild found it
    # in the generation it replaces: it keeps that time (index_format.schema.AddedColumn).
    added: int | None = None


@dataclass(frozen=True)
class Skipped:
    """A record or file that could not be read, kept for the summary."""

    source: str
    line: int | None
    reason: str


@dataclass
class Article:
    """An article ready to index."""

    id: str
    title: str
    body: str
    url: str | None = None
    outlet: str | None = None
    # metadata | og:site_name | JSON-LD publisher | url | dateline | self-reference | none
    outlet_source: str = "none"
    published: date | None = None
    date_source: DateSource = "none"
    removed: list[str] = field(default_factory=list)  # boilerplate lines taken out of the body
    # How the date was inferred from the text, or why there is none (None for metadata dates).
    dating: DateChoice | None = None
    person: list[str] = field(default_factory=list)  # canonical entity names
    organisation: list[str] = field(default_factory=list)
    place: list[str] = field(default_factory=list)
    # (facet, name as written, canonical name) for each name this article merged into another
    # ("Komisi Pemberantasan Korupsi" → KPK, "Tokayev" → "Kassym-Jomart Tokayev"): the
    # evidence search.entity_merge uses to merge the same names across the archive.
    variants: list[tuple[str, str, str]] = field(default_factory=list)
    # For a web page: where each field was found ("title": "og:title", "published":
    # "JSON-LD datePublished", "body": "trafilatura"), for `telusur inspect`; not indexed.
    found: dict[str, str] = field(default_factory=dict)
    # When it first entered the index (UTC epoch seconds); None: now, as it is written.
    added: int | None = None
