"""An update groups again only the stories its changes can reach (index_format.story_changes):
the stories must be exactly those a full grouping of every article gives, whatever buckets the
new, replaced or deleted articles fall in or leave, and no update falls back to a full
grouping."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from index_format import stories
from index_format.stories import NUM_PERM, SIG_DTYPE, StoryTable, load_stories
from tests.stories import signatures
from tests.stories.signatures import signature


def _articles(n: int, seed: int, families: int = 12) -> list[tuple[str, int, np.ndarray]]:
    """(id, day, signature): copies of a few families (each copy changes some values, so
    some join their family and some only through another copy), unrelated articles and
    short ones (empty signatures)."""
    rnd = np.random.default_rng(seed)
    bases = signatures.families(rnd, families)
    out = []
    for i in range(n):
        sig = signature(rnd, bases)
        day = int(rnd.integers(-1, 30)) if rnd.random() < 0.9 else -1
        out.append((f"a{seed}-{i:04d}", day, sig))
    return out


def _full(articles: list[tuple[str, int, np.ndarray]]) -> dict[str, str]:
    table = StoryTable()
    for a in articles:
        table.add(*a)
    table.cluster()
    return dict(zip(table.ids, table.story, strict=True))


def _in_batches(batches: list[list[tuple[str, int, np.ndarray]]], tmp: Path) -> StoryTable:
    """Each batch added to the table saved after the one before (as update-index does)."""
    table = StoryTable()
    for batch in batches:
        for a in batch:
            table.add(*a)
        table.cluster()
        table.save(tmp)
        loaded = load_stories(tmp)
        assert loaded is not None
        table = loaded
    return table


@pytest.mark.parametrize("max_bucket", [200, 6, 2])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_adding_gives_the_stories_of_a_full_grouping(
    max_bucket: int, seed: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(stories, "MAX_BUCKET", max_bucket)
    articles = _articles(400, seed)
    batches = [articles[:250], articles[250:260], articles[260:261], articles[261:]]
    full_groupings = _count_full_groupings(monkeypatch)
    table = _in_batches(batches, tmp_path)
    assert full_groupings == [1]  # the first batch only: the others from what they reach
    assert dict(zip(table.ids, table.story, strict=True)) == _full(articles)
    assert len(set(table.story)) < len(table.ids), "some articles are copies"


def _count_full_groupings(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """A one-item list counting the full groupings (stories.joined_pairs) from now on."""
    calls = [0]
    real = stories.joined_pairs

    def spy(*args: object) -> np.ndarray:
        calls[0] += 1
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(stories, "joined_pairs", spy)
    return calls


def test_a_bucket_grown_past_the_limit_regroups_what_it_held(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """All pairs of a bucket of 5 articles, then neighbours only once it holds more: pairs
    among the old articles are lost, and the story they made splits."""
    monkeypatch.setattr(stories, "MAX_BUCKET", 5)
    rnd = np.random.default_rng(0)
    sigs = rnd.integers(0, 256, (8, NUM_PERM), dtype=np.uint16).astype(SIG_DTYPE)
    sigs[:, :4] = 9  # one band in common: one bucket
    sigs[2] = sigs[0]
    sigs[2, 4::4] += 1  # a copy of the first that shares no other band
    articles = [(f"c{i}", i, sigs[i]) for i in range(8)]
    before = _in_batches([articles[:5]], tmp_path)
    assert before.story[2] == "c0"  # a pair while the bucket held 5
    table = _in_batches([articles[:5], articles[5:]], tmp_path)
    assert table.story[2] == "c2"  # not neighbours once it holds 8
    assert dict(zip(table.ids, table.story, strict=True)) == _full(articles)


@pytest.mark.parametrize("change", ["replace", "delete"])
def test_a_changed_or_deleted_article_regroups_its_story(change: str) -> None:
    articles = _articles(200, 5)
    table = StoryTable()
    for a in articles:
        table.add(*a)
    table.cluster()
    copies = [r for r in range(len(table)) if table.story[r] != table.ids[r]]
    assert copies
    first = table.index[table.story[copies[0]]]
    if change == "replace":  # the story's first copy rewritten: it leaves the story
        other = np.full(NUM_PERM, 7, dtype=SIG_DTYPE)
        table.add(table.ids[first], table.days[first], other)
        articles[first] = (table.ids[first], table.days[first], other)
    else:
        gone = table.ids[first]
        table.remove([gone])
        articles = [a for a in articles if a[0] != gone]
    table.add("late", 3, articles[copies[0] if change == "replace" else 0][2].copy())
    table.cluster()
    articles.append(("late", 3, table.sigs[table.index["late"]]))
    assert dict(zip(table.ids, table.story, strict=True)) == _full(articles)


def _mutated(sig: np.ndarray, rnd: np.random.Generator) -> np.ndarray:
    """A replaced article's new signature: a copy nearly equal, one far from it, or empty."""
    kind = rnd.random()
    if kind < 0.5:
        out = sig.copy()
        changed = rnd.random(NUM_PERM) < rnd.choice([0.05, 0.4])
        out[changed] = rnd.integers(0, 256, int(changed.sum()))
        return out
    if kind < 0.9:
        return rnd.integers(0, 256, NUM_PERM, dtype=np.uint16).astype(SIG_DTYPE)
    return np.zeros(NUM_PERM, dtype=SIG_DTYPE)


@pytest.mark.parametrize("max_bucket", [200, 8, 3, 2])
@pytest.mark.parametrize("seed", range(10))
def test_any_sequence_of_changes_gives_the_stories_of_a_full_grouping(
    max_bucket: int, seed: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Random updates (added copies and unrelated articles, replaced articles, deleted ones,
    a deleted id added again), each saved and loaded as update-index does: after each, the
    stories equal a full grouping of the articles then in the index, and no update grouped
    in full."""
    monkeypatch.setattr(stories, "MAX_BUCKET", max_bucket)
    rnd = np.random.default_rng(seed)
    pool = _articles(600, 100 + seed, families=int(rnd.integers(3, 15)))
    now: dict[str, tuple[int, np.ndarray]] = {}  # what the index holds
    table = StoryTable()
    start = int(rnd.integers(20, 200))
    for doc_id, day, sig in pool[:start]:
        table.add(doc_id, day, sig)
        now[doc_id] = (day, sig)
    table.cluster()
    full_groupings = _count_full_groupings(monkeypatch)
    deleted: list[str] = []
    at = start
    for _ in range(8):
        table.save(tmp_path)
        loaded = load_stories(tmp_path)
        assert loaded is not None
        table = loaded
        for _ in range(int(rnd.integers(0, 25))):  # added
            if at < len(pool):
                doc_id, day, sig = pool[at]
                at += 1
                table.add(doc_id, day, sig)
                now[doc_id] = (day, sig)
        ids = list(now)
        for doc_id in rnd.choice(ids, int(rnd.integers(0, 8))).tolist():  # replaced
            day = int(rnd.integers(-1, 30))
            sig = _mutated(now[doc_id][1], rnd)
            table.add(doc_id, day, sig)
            now[doc_id] = (day, sig)
        gone = rnd.choice(ids, int(rnd.integers(0, 6)), replace=False).tolist()  # deleted
        table.remove(gone)
        for doc_id in gone:
            now.pop(doc_id, None)
        deleted += gone
        if deleted and rnd.random() < 0.3:  # a deleted id comes back, as another article
            doc_id = deleted.pop()
            if doc_id not in now:
                sig = _mutated(pool[int(rnd.integers(len(pool)))][2], rnd)
                table.add(doc_id, 5, sig)
                now[doc_id] = (5, sig)
        table.cluster()
        assert full_groupings == [0]
        expected = _full([(d, day, sig) for d, (day, sig) in now.items() if d in table.index])
        full_groupings[0] = 0  # (_full's own)
        assert sorted(table.ids) == sorted(now)
        assert dict(zip(table.ids, table.story, strict=True)) == expected


@pytest.mark.parametrize("max_bucket", [200, 2])
def test_a_replaced_article_joins_a_copy_it_shared_a_bucket_with_before(
    max_bucket: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pair (replaced article, other) was a candidate before and after (one band alike in
    both versions; neighbours in a bucket past MAX_BUCKET too), but only the new version is a
    copy: the other's story gains it."""
    monkeypatch.setattr(stories, "MAX_BUCKET", max_bucket)
    rnd = np.random.default_rng(3)
    base = rnd.integers(0, 256, NUM_PERM, dtype=np.uint16).astype(SIG_DTYPE)
    old = rnd.integers(0, 256, NUM_PERM, dtype=np.uint16).astype(SIG_DTYPE)
    old[:4] = base[:4]  # band 0 alike: a candidate, far from a copy
    new = base.copy()
    new[4::4] += 1  # a copy of base (97 values of 128) alike in band 0 only
    other = rnd.integers(0, 256, NUM_PERM, dtype=np.uint16).astype(SIG_DTYPE)
    table = _in_batches(
        [[("x", 1, base), ("y", 2, base.copy()), ("r", 3, old), ("o", 4, other)]], tmp_path
    )
    assert table.story == ["x", "x", "r", "o"]
    table.add("r", 3, new)
    table.cluster()
    assert table.story == ["x", "x", "x", "o"]
    assert dict(zip(table.ids, table.story, strict=True)) == _full(
        [("x", 1, base), ("y", 2, base), ("r", 3, new), ("o", 4, other)]
    )
