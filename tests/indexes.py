"""Test indexes written the way production writes them, in each state an index can be in.

Every index here is made by `rebuild_index`, `update_index` and `delete_articles`, the
functions behind `telusur rebuild-index`, `update-index` and `delete`: the packed codec, the
serial or the parallel writer, generations and the swap. Only entity tagging is replaced: the
test corpora say which people, organisations and places an article names, so that every facet
count is known.

The three histories hold the same articles in the end:
    fresh      one segment (the serial writer, as on one core);
    segments   three segments (the parallel writer, as on two cores and more);
    updated    `segments` built with stale versions of some articles and extra articles,
               then `update-index` replaced the stale versions and `delete` removed the
               extras: segments with deleted documents.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from whoosh import index

from index_format.generations import current_path
from indexer import build, pipeline, prepare
from indexer.build import rebuild_index
from indexer.models import Article
from indexer.update import delete_articles, update_index

HISTORIES = ("fresh", "segments", "updated")
STALE_NOTE = " Versi lama: paragraf ini kemudian dihapus redaksi."
EXTRA_PREFIX = "zz-deleted-"


def _record(a: Article) -> dict[str, str | None]:
    return {
        "id": a.id,
        "url": a.url,
        "title": a.title,
        "outlet": a.outlet,
        "published": a.published.isoformat() if a.published else None,
        "body": a.body,
    }


def write_jsonl(path: Path, articles: Iterable[Article]) -> Path:
    with path.open("w", encoding="utf-8") as f:
        for a in articles:
            f.write(json.dumps(_record(a), ensure_ascii=False) + "\n")
    return path


@contextmanager
def given_entities(articles: Iterable[Article]) -> Iterator[None]:
    """Tag each article with the entities its test Article names (others with none)."""
    table = {a.id: a for a in articles}

    def tag(batch: list[Article]) -> list[Article]:
        for art in batch:
            given = table.get(art.id)
            art.person = list(given.person) if given else []
            art.organisation = list(given.organisation) if given else []
            art.place = list(given.place) if given else []
            art.variants = list(given.variants) if given else []
        return batch

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(prepare, "tag_entities_many", tag)
        yield


@contextmanager
def _writers(history: str, count: int) -> Iterator[None]:
    """The serial writer (one segment), or the parallel one writing three segments."""
    with pytest.MonkeyPatch.context() as mp:
        if history == "fresh":
            mp.setattr(pipeline, "worker_count", lambda: 1)
        else:
            mp.setattr(pipeline, "worker_count", lambda: 2)
            mp.setattr(pipeline, "CHUNK", max(1, math.ceil(count / 3)))
            mp.setattr(build, "SEGMENT_MB", 0)  # a writer starts a new segment at each chunk
        yield


def _stale(a: Article) -> Article:
    return Article(**{**a.__dict__, "body": a.body + STALE_NOTE})


def build_index(index_dir: Path, articles: list[Article], history: str = "fresh") -> Path:
    """Index `articles` into `index_dir` with the given history; returns `current`."""
    if history not in HISTORIES:
        raise ValueError(f"unknown history {history!r}")
    index_dir.mkdir(parents=True, exist_ok=True)
    work = index_dir.parent / f".{index_dir.name}-archive"
    work.mkdir(exist_ok=True)
    first = list(articles)
    replaced: list[Article] = []
    extras: list[Article] = []
    if history == "updated":
        # Every third article first indexed in a stale version; copies under other ids
        # (which match what the originals match) deleted afterwards.
        replaced = articles[::3]
        stale_ids = {a.id for a in replaced}
        first = [_stale(a) if a.id in stale_ids else a for a in articles]
        extras = [Article(**{**a.__dict__, "id": f"{EXTRA_PREFIX}{a.id}"}) for a in articles[1::3]]
        first += extras
    tagged = [*articles, *extras]
    with given_entities(tagged), _writers(history, len(first)):
        rebuild_index([write_jsonl(work / "archive.jsonl", first)], index_dir, grace_seconds=0)
        if history == "updated":
            summary = update_index(
                [write_jsonl(work / "update.jsonl", replaced)], index_dir, grace_seconds=0
            )
            assert summary.replaced == len(replaced), summary.to_dict()
            deleted = delete_articles([a.id for a in extras], index_dir, grace_seconds=0)
            assert deleted.deleted == len(extras), deleted.to_dict()
    _check(index_dir, articles, history)
    return current_path(index_dir)


def _check(index_dir: Path, articles: list[Article], history: str) -> None:
    """The index holds exactly `articles`, as given, in the state `history` names."""
    ix = index.open_dir(str(current_path(index_dir)))
    with ix.searcher() as s:
        segments = len(s.leaf_searchers()) if not s.is_atomic() else 1
        stored = {f["id"]: f for f in s.all_stored_fields()}
        deletions = s.reader().has_deletions()
    ix.close()
    assert sorted(stored) == sorted(a.id for a in articles)
    for a in articles:
        got = stored[a.id]
        want = (a.title, a.body, a.outlet, a.published)
        published = got.get("published")
        assert (got["title"], got["body"], got.get("outlet"), published and published.date()) == (
            want
        ), f"extraction changed test article {a.id}"
    if history == "fresh":
        assert segments == 1 and not deletions
    elif history == "segments":
        assert segments >= 2 and not deletions, (segments, deletions)
    elif len(articles) >= 2:
        assert segments >= 2 and deletions, (segments, deletions)
