"""A rebuild gathers its stories compactly (index_format.stories.StoryRows): the file it writes
must hold what StoryTable's add, cluster and save write for the same articles, member by
member, whatever the ids, days, copies and repeated ids."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from index_format import stories
from index_format.stories import (
    NUM_PERM,
    SIG_DTYPE,
    STORIES_NAME,
    StoryRows,
    StoryTable,
    load_stories,
)
from tests.stories import signatures
from tests.stories.signatures import signature


def _articles(n: int, seed: int) -> list[tuple[str, int, np.ndarray]]:
    """(id, day, signature): families of copies (some join only through another copy),
    unrelated and empty signatures, days missing or shared, ids whose string order is not
    their length's (a9 < a10 only by length) and non-ASCII ids."""
    rnd = np.random.default_rng(seed)
    bases = signatures.families(rnd, 9)
    out = []
    for i in range(n):
        sig = signature(rnd, bases)
        day = int(rnd.integers(0, 4)) if rnd.random() < 0.8 else -1  # many ties on the day
        name = rnd.choice(["a", "b", "é", "ž", "Z"])
        out.append((f"{name}{int(rnd.integers(0, 10 * n))}-{i}", day, sig))
    return out


def _members(directory: Path) -> dict[str, np.ndarray]:
    with np.load(directory / STORIES_NAME) as data:
        return {k: data[k] for k in data.files}


def _both(articles: list[tuple[str, int, np.ndarray]], tmp_path: Path) -> tuple[Path, Path]:
    old, new = tmp_path / "table", tmp_path / "rows"
    old.mkdir()
    new.mkdir()
    table, rows = StoryTable(), StoryRows()
    for a in articles:
        table.add(*a)
        rows.add(*a)
    table.cluster()
    table.save(old)
    rows.save(new)
    assert len(rows) == 0  # released once written
    return old, new


def _assert_same_file(old: Path, new: Path) -> None:
    a, b = _members(old), _members(new)
    assert list(a) == list(b)
    for key in a:
        assert a[key].dtype == b[key].dtype and np.array_equal(a[key], b[key]), key
    x, y = load_stories(old), load_stories(new)
    assert x is not None and y is not None
    assert x.ids == y.ids and x.story == y.story and x.days == y.days


@pytest.mark.parametrize("max_bucket", [200, 3])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_file_is_the_story_tables(
    seed: int, max_bucket: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(stories, "MAX_BUCKET", max_bucket)
    articles = _articles(400, seed)
    old, new = _both(articles, tmp_path)
    _assert_same_file(old, new)
    table = load_stories(new)
    assert table is not None
    assert len(set(table.story)) < len(table.ids) - 50  # copies were grouped: not trivial


def test_a_repeated_id_keeps_its_first_row_with_the_last_values(tmp_path: Path) -> None:
    articles = _articles(120, 4)
    again = [(articles[5][0], 3, articles[80][2]), (articles[90][0], -1, articles[7][2])]
    old, new = _both(articles + again, tmp_path)
    _assert_same_file(old, new)
    table = load_stories(new)
    assert table is not None and len(table.ids) == 120
    assert table.days[5] == 3 and np.array_equal(table.sigs[5], articles[80][2])


@pytest.mark.parametrize("n", [0, 1, 2])
def test_tiny_tables(n: int, tmp_path: Path) -> None:
    sig = np.full(NUM_PERM, 7, dtype=SIG_DTYPE)
    old, new = _both([(f"x{i}", 5 - i, sig) for i in range(n)], tmp_path)
    _assert_same_file(old, new)


def test_a_copy_chain_takes_the_earliest_copys_id(tmp_path: Path) -> None:
    """Copies joined only through one another (a ~ b ~ c, a !~ c) are one story, named by
    the earliest day, then the smallest id."""
    rnd = np.random.default_rng(9)
    a = rnd.integers(0, 256, NUM_PERM, dtype=np.uint16).astype(SIG_DTYPE)
    b, c = a.copy(), a.copy()
    b[:45] = rnd.integers(0, 256, 45)
    c[:45] = b[:45]
    c[45:90] = rnd.integers(0, 256, 45)
    rows = StoryRows()
    for doc_id, day, sig in [("c", 2, c), ("b", 1, b), ("a2", 1, a), ("a10", 1, a)]:
        rows.add(doc_id, day, sig)
    rows.save(tmp_path)
    table = load_stories(tmp_path)
    assert table is not None
    assert stories.similarity(a, c) < stories.THRESHOLD <= stories.similarity(b, c)
    assert table.story == ["a10", "a10", "a10", "a10"]
