"""Syndication signatures of the articles being written, and the stories of a generation
kept in step with its changes (index_format.stories holds the grouping and the file)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

from index_format.generations import open_index
from index_format.schema import stored_date
from index_format.stories import StoryRows, StoryTable, load_stories, signature

# An article's id, day (date.toordinal(), -1: no date) and MinHash signature.
Signed = tuple[str, int, np.ndarray]


def sign(doc: dict[str, Any]) -> Signed:
    """The signature of an index document (indexer.document.to_document), from the body as
    stored: what a copy's reader compares."""
    published = doc.get("published")
    day = published.toordinal() if isinstance(published, datetime) else -1
    return doc["id"], day, signature(doc.get("_stored_body") or "")


def add_signed(table: StoryTable | StoryRows, signed: Iterable[Signed]) -> None:
    for doc_id, day, sig in signed:
        table.add(doc_id, day, sig)


def update_stories(directory: Path, ids: Iterable[str]) -> None:
    """After `ids` were added, replaced or deleted in the index in `directory`: give each its
    signature as the index now holds it (or none), group again and save. A generation without
    stories (written before them) stays without: every article is its own story there."""
    wanted = list(dict.fromkeys(ids))
    table = load_stories(directory)
    if table is None or not wanted:
        return
    ix = open_index(directory)  # plain reads: a map is copied into private memory
    try:
        with ix.searcher() as searcher:
            gone = []
            for doc_id in wanted:
                docnum = searcher.document_number(id=doc_id)
                if docnum is None:
                    gone.append(doc_id)
                    continue
                fields = searcher.stored_fields(docnum)
                day = stored_date(fields.get("published"))
                sig = signature(fields.get("body") or "")
                table.add(doc_id, day.toordinal() if day else -1, sig)
            table.remove(gone)
    finally:
        ix.close()
    table.cluster()
    table.save(directory)
