"""Stories as rebuild-index writes them and update-index / delete keep them."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from index_format.generations import current_path
from index_format.stories import (
    LSH_BANDS,
    LSH_THRESHOLD,
    NUM_PERM,
    STORIES_NAME,
    StoryTable,
    fmix32,
    is_current,
    load_stories,
    lsh_bands,
    permutations,
    reference_signature,
    signature,
    similarity,
    word_bytes,
    words,
)
from index_format.zst_files import packed
from indexer.build import rebuild_index
from indexer.cli import main
from indexer.update import delete_articles, update_index
from tests.indexes import HISTORIES, given_entities, write_jsonl
from tests.stories.corpus import COPY_1, COPY_2, COPY_3, ORIGINAL, SYNDICATED

FLOOD = {ORIGINAL.id, COPY_1.id, COPY_2.id}


def _stories(index_dir: Path) -> dict[str, str]:
    table = load_stories(current_path(index_dir))
    assert table is not None
    return dict(zip(table.ids, table.story, strict=True))


@pytest.mark.parametrize("history", HISTORIES)
def test_rebuild_groups_copies_under_the_first(
    make_index: Callable[..., Path], history: str
) -> None:
    stories = _stories(make_index(SYNDICATED, history))
    assert sorted(stories) == sorted(a.id for a in SYNDICATED)  # deleted extras are gone
    # The three copies share the story of the first one published; the rest stand alone.
    assert {d: s for d, s in stories.items() if d in FLOOD} == dict.fromkeys(FLOOD, ORIGINAL.id)
    assert all(stories[d] == d for d in stories if d not in FLOOD)


def test_update_joins_a_new_copy_and_a_changed_one_leaves(
    make_index: Callable[..., Path], tmp_path: Path
) -> None:
    index_dir = make_index(SYNDICATED)
    with given_entities([*SYNDICATED, COPY_3]):
        update_index([write_jsonl(tmp_path / "new.jsonl", [COPY_3])], index_dir, grace_seconds=0)
        assert _stories(index_dir)[COPY_3.id] == ORIGINAL.id
        # The first copy rewritten into another story: it leaves, the story keeps the others
        # and takes the id of its next first copy.
        rewritten = type(ORIGINAL)(**{**ORIGINAL.__dict__, "body": SYNDICATED[4].body})
        update_index(
            [write_jsonl(tmp_path / "changed.jsonl", [rewritten])], index_dir, grace_seconds=0
        )
    stories = _stories(index_dir)
    assert stories[ORIGINAL.id] == SYNDICATED[4].id  # now a copy of the election article
    assert {stories[COPY_1.id], stories[COPY_2.id], stories[COPY_3.id]} == {COPY_1.id}
    delete_articles([COPY_1.id], index_dir, grace_seconds=0)
    stories = _stories(index_dir)
    assert COPY_1.id not in stories
    assert stories[COPY_2.id] == stories[COPY_3.id] == COPY_2.id


def test_a_short_body_joins_nothing() -> None:
    assert not signature("Banjir lagi.").any()
    assert similarity(signature("Banjir lagi."), signature("Banjir lagi.")) == 0.0
    assert similarity(signature(ORIGINAL.body), signature(COPY_1.body)) >= 0.5


@pytest.mark.parametrize("body", [ORIGINAL.body, COPY_2.body, SYNDICATED[3].body])
def test_signature_is_datasketch_minhash(body: str) -> None:
    # The vectorised signature equals datasketch's own MinHash.update_batch of the shingles.
    assert (signature(body) == reference_signature(body)).all()


# Whitespace str.split() knows and bytes.split() does not, separators beyond ASCII, letters
# whose lower case is longer, a lone surrogate (kept in its word as "?").
HOSTILE_BODIES = [
    "Banjir\xa0melanda\u3000Bekasi\x85lagi\x1cdan\u2028lagi\u202fsore",
    "\u201cKami bekerja\u201d \u2014 kata \u2018Ketua\u2019\u2026 2019\u20132020",
    "\u0130stanbul \u00c7ANAKKALE stra\u00dfe \u01c5 \u03a3\u0391\u03a3 Rp2.030,5 e-KTP",
    "kata\ud800kata lain_nya (x) [y] {z} a/b@c#d",
    "",
]


@pytest.mark.parametrize("body", [*HOSTILE_BODIES, ORIGINAL.body, SYNDICATED[3].body])
def test_shingles_are_made_of_the_same_words(body: str) -> None:
    # The bytes path splits exactly where `words` does, and hashes each word's UTF-8.
    assert word_bytes(body) == [w.encode("utf-8", "replace") for w in words(body)]
    long = f"{body} " * 20
    assert (signature(long) == reference_signature(long)).all()


def test_the_permutations_and_bands_are_datasketchs() -> None:
    # Computed without importing datasketch (it imports scipy), held equal to it here.
    from datasketch import MinHash, MinHashLSH
    from datasketch.minhash import _fmix

    proto = MinHash(num_perm=NUM_PERM, scheme="affine32")
    a, b = permutations()
    assert (a == proto.permutations[0]).all() and (b == proto.permutations[1]).all()
    values = np.random.default_rng(7).integers(0, 1 << 32, 10_000, dtype=np.uint32)
    assert (fmix32(values) == _fmix(values, 32)).all()
    lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    assert lsh_bands() == LSH_BANDS == (lsh.b, lsh.r)


def test_signatures_need_no_datasketch() -> None:
    code = (
        "import sys; from index_format.stories import signature, lsh_bands; "
        "from tests.stories.corpus import ORIGINAL; "
        "assert signature(ORIGINAL.body).any() and lsh_bands(); "
        "print(sorted(m for m in ('datasketch', 'scipy') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr


def test_a_rebuild_replays_stories_changed_while_it_ran(tmp_path: Path) -> None:
    # A copy added and the first copy deleted while a rebuild runs: the rebuilt index's stories
    # hold the copy and not the deleted article, as its documents do (indexer.journal).
    index_dir = tmp_path / "ix"
    archive = write_jsonl(tmp_path / "a.jsonl", SYNDICATED)
    update = write_jsonl(tmp_path / "u.jsonl", [COPY_3])
    done: list[str] = []

    def meanwhile(_: int) -> None:
        if not done:
            done.append("x")
            update_index([update], index_dir, grace_seconds=0)
            delete_articles([ORIGINAL.id], index_dir, grace_seconds=0)

    with given_entities([*SYNDICATED, COPY_3]):
        rebuild_index([archive], index_dir, grace_seconds=0)
        summary = rebuild_index([archive], index_dir, progress=meanwhile, grace_seconds=0)
    assert summary.replayed == (1, 1)
    stories = _stories(index_dir)
    assert ORIGINAL.id not in stories
    assert stories[COPY_3.id] == stories[COPY_1.id] == stories[COPY_2.id] == COPY_1.id


def test_commands_and_the_app_start_without_datasketch() -> None:
    # datasketch imports scipy (0.5 to 1 s): the CLI, the app and search load it only to make
    # signatures or to choose the LSH bands, never at start-up.
    code = (
        "import sys, indexer.cli, webui, search.service; "
        "print(sorted(m for m in ('datasketch', 'scipy') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_thousands_of_identical_copies_make_one_story_quickly() -> None:
    table = StoryTable()
    sig = signature(ORIGINAL.body)
    for i in range(5000):
        table.add(f"copy-{i:04d}", 738000 + i, sig)
    table.add("other", 738000, signature(SYNDICATED[4].body))
    table.cluster()
    assert set(table.story[:5000]) == {"copy-0000"}
    assert table.story[5000] == "other"


def _as_version(gen: Path, version: int) -> None:
    """Write the generation's stories file as Telusur wrote it in `version`: every signature
    as it is, each article's story as the row of its story (3) or as its id's text (2)."""
    path = gen / STORIES_NAME
    table = load_stories(gen)
    assert table is not None
    with np.load(path) as data:
        members = {"version": data["version"].copy(), "bands": data["bands"].copy()}
    members["version"][0] = version
    members["sigs"] = table.sigs.stacked()
    ids = "\n".join(table.ids).encode("utf-8")
    if version == 2:
        members["ids"] = np.frombuffer(ids, dtype=np.uint8)
        members["days"] = np.array(table.days, np.int32)
        members["story"] = np.frombuffer("\n".join(table.story).encode("utf-8"), np.uint8)
    else:
        members["ids_zst"] = packed(np.frombuffer(ids, dtype=np.uint8))
        members["days_zst"] = packed(np.array(table.days, np.int32))
        rows = np.array([table.index[s] for s in table.story], np.int32)
        members["story_zst"] = packed(rows - np.arange(len(rows), dtype=np.int32))
    path.unlink()  # (a link to the previous generation's file: never written in place)
    np.savez(path, **members)


def _signatures(index_dir: Path) -> dict[str, bytes]:
    table = load_stories(current_path(index_dir))
    assert table is not None
    return {d: sig.tobytes() for d, sig in zip(table.ids, table.sigs, strict=True)}


@pytest.mark.parametrize("history", HISTORIES)
def test_each_article_reads_back_its_own_signature(
    make_index: Callable[..., Path], history: str
) -> None:
    """Version 4 keeps a copy's signature as what differs from its first copy's: read back,
    every article has the signature of its body, copies included."""
    index_dir = make_index(SYNDICATED, history)
    with np.load(current_path(index_dir) / STORIES_NAME) as data:
        assert int(data["version"][0]) == 4
        assert len(data["sigs"]) == len(SYNDICATED) - 2  # the two copies kept as differences
        assert "copies_bits_zst" in data.files
    assert _signatures(index_dir) == {a.id: signature(a.body).tobytes() for a in SYNDICATED}


@pytest.mark.parametrize("version", [2, 3])
def test_stories_of_older_versions_read_the_same_and_optimize_upgrades_them(
    make_index: Callable[..., Path], runner: CliRunner, version: int
) -> None:
    index_dir = make_index(SYNDICATED, "updated")
    before = _stories(index_dir)
    sigs = _signatures(index_dir)
    serving = current_path(index_dir).resolve()
    _as_version(serving, version)
    assert not is_current(serving)
    assert _stories(index_dir) == before
    assert _signatures(index_dir) == sigs
    args = ["optimize", "--upgrade-only", "--index-dir", str(index_dir), "--grace", "0"]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    upgraded = current_path(index_dir).resolve()
    assert upgraded != serving and is_current(upgraded)
    with np.load(upgraded / STORIES_NAME) as data:
        assert "story_zst" in data.files and "story" not in data.files
        assert "copies_bits_zst" in data.files
    assert _stories(index_dir) == before
    assert _signatures(index_dir) == sigs
    assert {d: s for d, s in before.items() if d in FLOOD} == dict.fromkeys(FLOOD, ORIGINAL.id)
