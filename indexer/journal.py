"""The change journal: which articles `update-index` and `delete` changed, and when, so that a
rebuild that started before them replays them instead of undoing them.

A rebuild reads the archive as it was when it started; an update or delete acknowledged while
it runs would be lost when the rebuild swaps in. Each update and delete appends the ids it
changed (`record`), under the writer lock, after its swap. A rebuild, under the same lock just
before its own swap, asks for the ids changed since it started (`changed_since`) and copies
each one's current state into its new generation (`replay`): deleted ids stay deleted, and
updated ones keep the acknowledged version.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

from whoosh.filedb.filestore import FileStorage

from index_format.codec import PackedCodec
from index_format.schema import decode_facets, stored_date
from indexer.document import to_document
from indexer.models import Article

JOURNAL_NAME = "changes.jsonl"
# Entries older than this are dropped when a new one is written: no rebuild runs for a week.
KEEP_SECONDS = 7 * 24 * 3600


def _path(index_dir: Path) -> Path:
    return Path(index_dir) / JOURNAL_NAME


def record(index_dir: Path, command: str, ids: list[str]) -> None:
    """Note that `command` changed `ids` now (call it holding the writer lock)."""
    now = time.time_ns()
    entries = [e for e in _entries(index_dir) if now - e["ns"] < KEEP_SECONDS * 1_000_000_000]
    entries.append({"ns": now, "command": command, "ids": ids})
    path = _path(index_dir)
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    tmp.write_text("".join(json.dumps(e) + "\n" for e in entries), encoding="utf-8")
    os.replace(tmp, path)


def _entries(index_dir: Path) -> list[dict[str, Any]]:
    try:
        lines = _path(index_dir).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    return [json.loads(line) for line in lines if line.strip()]


def changed_since(index_dir: Path, ns: int) -> list[str]:
    """The ids changed by updates and deletes journalled at or after `ns`, each once."""
    ids: dict[str, None] = {}
    for entry in _entries(index_dir):
        if entry["ns"] >= ns:
            ids.update(dict.fromkeys(entry["ids"]))
    return list(ids)


def replay(building: Path, current: Path, ids: list[str]) -> tuple[int, int]:
    """Give the index in `building` the current state of `ids`: each article as `current`
    holds it, or none where `current` has none. Returns (copied, removed)."""
    copied = removed = 0
    # Plain reads, not maps: Whoosh copies each mapped part of a compound segment whole into
    # private memory (BufferFile), so looking a few ids up in a 2.2M index would hold its
    # stored fields and id terms in the rebuild's parent.
    source = FileStorage(str(current), supports_mmap=False).open_index()
    target = FileStorage(str(building), supports_mmap=False).open_index()
    with source.searcher() as searcher:
        writer = target.writer(codec=PackedCodec())
        try:
            column = searcher.reader().column_reader("facets")
            for doc_id in ids:
                writer.delete_by_term("id", doc_id)
                docnum = searcher.document_number(id=doc_id)
                if docnum is None:
                    removed += 1
                    continue
                article = article_of(searcher.stored_fields(docnum), column[docnum])
                writer.add_document(**to_document(article))
                copied += 1
        except BaseException:
            writer.cancel()
            raise
        writer.commit(merge=False)
    source.close()
    target.close()
    return copied, removed


def article_of(fields: dict[str, Any], column: bytes) -> Article:
    """The Article an index document was made from (its stored fields and facets column)."""
    values, variants = decode_facets(column)
    return Article(
        id=fields["id"],
        title=fields.get("title") or "",
        body=fields.get("body") or "",
        url=fields.get("url"),
        outlet=fields.get("outlet"),
        outlet_source=fields.get("outlet_source") or "none",
        published=stored_date(fields.get("published")),
        date_source=fields.get("date_source") or "none",
        person=values.get("person", []),
        organisation=values.get("organisation", []),
        place=values.get("place", []),
        variants=variants,
        added=fields.get("added"),
    )
