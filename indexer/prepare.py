"""One record's way to an index document: extract the article, tag its entities, and turn
it into the document the index stores. A bad record costs itself only: `prepare_documents`
returns it as skipped, with its reason."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from index_format.analysis import configure_stem_exceptions
from index_format.settings import Settings
from indexer.date_evidence import ArchiveDates
from indexer.document import to_document
from indexer.entities import (
    AliasTable,
    entity_facets,
    entity_variants,
    extract_entities_many,
    load_aliases,
)
from indexer.extract import NotAnArticle, extract_article
from indexer.models import Article, RawRecord, Skipped
from indexer.outlets import OutletRegistry, load_registry


@dataclass(frozen=True)
class _Resources:
    """The user's data files the settings name, loaded once per process (before any fork)."""

    registry: OutletRegistry | None = None  # None: the packaged outlet registry
    aliases: AliasTable | None = None  # None: the packaged alias file


_resources = _Resources()


def configure(settings: Settings) -> None:
    """Load the outlet registry, entity aliases and stem exceptions that `settings` name.

    Call once at start-up; forked build workers inherit what is loaded here.
    """
    global _resources
    configure_stem_exceptions(settings.stem_exceptions_file)
    _resources = _Resources(
        registry=load_registry(settings.outlets_file) if settings.outlets_file else None,
        aliases=load_aliases(settings.aliases_file) if settings.aliases_file else None,
    )


def extract(
    record: RawRecord, today: date | None = None, dates: ArchiveDates | None = None
) -> Article:
    """The article of `record`, with the configured outlet registry; entities not yet tagged.

    `dates`: what the archive and the user say about dates (indexer.date_evidence)."""
    return extract_article(record, today=today, registry=_resources.registry, dates=dates)


def date_outcome(article: Article) -> str:
    """How the article got its date, as the build report counts it: its date_source, or
    `none:<why>` (indexer.date_choice.ABSTAIN) when it has none."""
    if article.published is None and article.dating is not None and article.dating.reason:
        return f"none:{article.dating.reason}"
    return article.date_source


# Articles whose tagging is put off to the end of a `tagging_batch` block, when one is open.
_queued: list[Article] | None = None


def tag_entities(article: Article) -> Article:
    """Fill the article's person, organisation and place lists (canonical names).

    Inside a `tagging_batch` block the lists are filled when the block ends.
    """
    if _queued is not None:
        _queued.append(article)
        return article
    return tag_entities_many([article])[0]


def tag_entities_many(articles: list[Article]) -> list[Article]:
    """`tag_entities` of each article, all tagged together (cheaper per article)."""
    texts = [f"{a.title}\n\n{a.body}" for a in articles]
    for article, entities in zip(
        articles, extract_entities_many(texts, aliases=_resources.aliases), strict=True
    ):
        facets = entity_facets(entities)
        article.person = facets["person"]
        article.organisation = facets["organisation"]
        article.place = facets["place"]
        article.variants = entity_variants(entities)
    return articles


@contextmanager
def tagging_batch() -> Iterator[dict[int, Exception]]:
    """Tag the articles that `tag_entities` (so `prepare_article`) sees in this block all at
    once when the block ends: the tagger's Viterbi then runs once over the sentences of all
    of them, which for a rebuild worker's chunk of a few dozen costs a third less.

    Until the block ends those articles have empty entity lists. If tagging one of them
    raises, it stays untagged and the yielded dict maps `id(article)` to the exception; the
    others are tagged. Nothing is tagged when the block itself raises.
    """
    global _queued
    outer = _queued
    queued: list[Article] = []
    errors: dict[int, Exception] = {}
    _queued = queued
    try:
        yield errors
    finally:
        _queued = outer
    try:
        tag_entities_many(queued)
    except Exception:  # find the article at fault; tag the others
        for article in queued:
            try:
                tag_entities_many([article])
            except Exception as e:
                errors[id(article)] = e


def prepare_article(
    record: RawRecord, today: date | None = None, dates: ArchiveDates | None = None
) -> Article:
    """Extract the article and tag its entities: everything but writing it."""
    return tag_entities(extract(record, today, dates))


class Prepared(NamedTuple):
    record: RawRecord
    doc: dict[str, Any]  # the index document
    date_outcome: str  # date_outcome(article), for the build report


def prepare_documents(
    records: list[RawRecord], today: date | None = None, dates: ArchiveDates | None = None
) -> tuple[list[Prepared], list[Skipped]]:
    """Each record with its index document, tagged together (a third cheaper than one at a
    time), and the records skipped with their reason: an extraction or tagging bug costs one
    article, not the build. What the write pipeline (indexer.pipeline) writes per chunk."""
    skipped: list[Skipped] = []
    prepared: list[tuple[RawRecord, Article]] = []
    with tagging_batch() as failed:
        for record in records:
            try:
                article = prepare_article(record, today, dates)
                article.added = record.added  # a rebuild keeps when it first came in
                prepared.append((record, article))
            except Exception as e:
                skipped.append(skipped_for(record, e))
    docs: list[Prepared] = []
    for record, article in prepared:
        try:
            if id(article) in failed:
                raise failed[id(article)]
            docs.append(Prepared(record, to_document(article), date_outcome(article)))
        except Exception as e:
            skipped.append(skipped_for(record, e))
    return docs, skipped


def skipped_for(record: RawRecord, e: Exception) -> Skipped:
    """The report's entry for a record whose extraction or tagging raised `e`."""
    if isinstance(e, NotAnArticle):  # a page without an article: its own reason
        return Skipped(record.source, record.line, str(e))
    return Skipped(record.source, record.line, f"extraction failed: {e!r}")
