"""Hostile archives: each bad record is skipped and reported (file, line, reason) in the summary
and the JSON report, and every valid record is still indexed."""

from __future__ import annotations

import gzip
import json
import os
import random
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

import indexer.sources as sources
from indexer.build import rebuild_index
from indexer.cli import main
from indexer.models import Skipped
from search.models import SearchRequest
from search.service import SearchService

FIFTY_MB = 50 * 1024 * 1024
REPO = Path(__file__).resolve().parents[1]


def rec(id: str, title: str = "Judul", body: str = "Isi berita yang biasa saja.") -> bytes:
    return (json.dumps({"id": id, "title": title, "body": body}) + "\n").encode()


def make_archive(root: Path) -> tuple[Path, set[str]]:
    """A folder holding every kind of damage, and the ids that must be indexed."""
    a = root / "arsip"
    a.mkdir()
    valid: set[str] = set()

    (a / "good.jsonl").write_bytes(b"".join(rec(f"good-{i}") for i in range(5)))
    valid |= {f"good-{i}" for i in range(5)}

    # Truncated gzip: the records before the damage survive.
    whole = gzip.compress(
        b"".join(rec(f"gz-{i}", body=f"Berita ke-{i} tentang banjir. " * 30) for i in range(40))
    )
    (a / "truncated.jsonl.gz").write_bytes(whole[: len(whole) * 2 // 3])

    # Invalid UTF-8: one line in a jsonl, one whole .txt file.
    (a / "utf8.jsonl").write_bytes(
        rec("utf8-ok-1")
        + b'{"id": "utf8-bad", "title": "R\xe9sum\xe9", "body": "x"}\n'
        + rec("utf8-ok-2")
    )
    valid |= {"utf8-ok-1", "utf8-ok-2"}
    (a / "latin1.txt").write_bytes("Judul\nKafé dan résumé".encode("latin-1"))

    # Empty files of every type.
    for name in ("empty.jsonl", "empty.txt", "empty.csv", "nothing.json", "blank.txt"):
        (a / name).write_bytes(b"\n  \n" if name == "blank.txt" else b"")

    # A 50 MB article: as a jsonl line between two good ones, and as a .txt file.
    with (a / "huge.jsonl").open("wb") as fh:
        fh.write(rec("huge-before"))
        fh.write(rec("huge", body="a" * FIFTY_MB))
        fh.write(rec("huge-after"))
    valid |= {"huge-before", "huge-after"}
    with (a / "huge.txt").open("wb") as fh:
        fh.write(b"Judul raksasa\n")
        fh.write(b"kata " * (FIFTY_MB // 5))

    # Binary files: random bytes named .txt and .jsonl, a .gz that is not gzip, an image.
    noise = random.Random(6).randbytes(4096)
    (a / "noise.txt").write_bytes(b"\x00" + noise)
    (a / "noise.jsonl").write_bytes(noise + b"\n" + rec("after-noise"))
    valid.add("after-noise")
    (a / "fake.jsonl.gz").write_bytes(noise)
    (a / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + noise)

    # Duplicate ids: the last one wins.
    (a / "dups.jsonl").write_bytes(
        rec("dup", title="Versi lama") + rec("dup-x") + rec("dup", title="Versi baru")
    )
    valid |= {"dup", "dup-x"}

    # A symlink loop, and a folder of plain-text articles inside it.
    sub = a / "kliping"
    sub.mkdir()
    (sub / "satu.txt").write_text("Judul satu\nIsi berita satu.", encoding="utf-8")
    valid.add("kliping/satu.txt")
    os.symlink("..", sub / "loop")

    # A file that disappears while the archive is read (see the monkeypatch below).
    (a / "vanishing.jsonl").write_bytes(rec("vanish-1"))
    return a, valid


@pytest.fixture
def vanishing(monkeypatch: pytest.MonkeyPatch) -> None:
    """vanishing.jsonl is listed, then deleted just before it is opened, in the build's second
    (writing) pass over the archive: the first pass counted it, the second cannot read it."""
    real = sources.iter_files
    seen = {"n": 0}

    def iter_files(paths):  # type: ignore[no-untyped-def]
        for item in real(paths):
            if not isinstance(item, Skipped) and item[0].name == "vanishing.jsonl":
                seen["n"] += 1
                if seen["n"] == 2:
                    item[0].unlink(missing_ok=True)
            yield item

    monkeypatch.setattr(sources, "iter_files", iter_files)


def reasons(skipped: list[Skipped]) -> dict[str, list[tuple[str, int | None, str]]]:
    by_file: dict[str, list[tuple[str, int | None, str]]] = {}
    for s in skipped:
        by_file.setdefault(Path(s.source).name, []).append((s.source, s.line, s.reason))
    return by_file


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, set[str]]:
    return make_archive(tmp_path_factory.mktemp("hostile"))


@pytest.mark.slow
def test_every_valid_record_is_indexed_and_every_bad_one_reported(
    archive: tuple[Path, set[str]], tmp_path: Path, vanishing: None
) -> None:
    root, valid = archive
    report = tmp_path / "report.json"
    r = CliRunner().invoke(
        main,
        ["rebuild-index", str(root), "--index-dir", str(tmp_path / "ix"), "--report", str(report)],
    )
    assert r.exit_code == 0, r.output
    assert "Traceback" not in r.output

    # Every record that could be read is in the index, exactly once.
    svc = SearchService(tmp_path / "ix")
    result = svc.search(SearchRequest(q="", per_page=100))
    indexed = {h.id for h in result.hits}
    gz_kept = {i for i in indexed if i.startswith("gz-")}
    assert indexed - gz_kept == valid
    assert len(gz_kept) >= 10  # the first records of the truncated gzip survive
    assert gz_kept == {f"gz-{i}" for i in range(len(gz_kept))}
    assert svc.article("dup")[0].title == "Versi baru"
    svc.close()

    body = json.loads(report.read_text())
    assert body["indexed"] == len(indexed)
    by_file = reasons([Skipped(s["source"], s["line"], s["reason"]) for s in body["skipped"]])

    def one(name: str, needle: str, line: int | None = None) -> None:
        entries = by_file.get(name, [])
        assert any(needle in reason for _, _, reason in entries), (name, entries)
        if line is not None:
            assert any(ln == line for _, ln, _ in entries), (name, entries)
        assert all(src.endswith(name) for src, _, _ in entries)

    one("truncated.jsonl.gz", "file damaged after line")
    one("utf8.jsonl", "invalid UTF-8", line=2)
    one("latin1.txt", "invalid UTF-8")
    for name in ("empty.jsonl", "empty.txt", "empty.csv", "nothing.json", "blank.txt"):
        one(name, "empty file")
    one("huge.jsonl", "too large", line=2)
    one("huge.txt", "too large")
    one("noise.txt", "binary file")
    one("noise.jsonl", "invalid")
    one("fake.jsonl.gz", "file damaged")
    one("photo.png", "unsupported file type")
    one("dups.jsonl", "duplicate id 'dup'", line=1)
    one("loop", "symlink loop")
    one("vanishing.jsonl", "file disappeared")
    assert body["skipped_count"] == len(body["skipped"])

    # The summary on the terminal says the same.
    assert f"Indexed {len(indexed)} articles" in r.output
    for reason in ("empty file", "duplicate id", "symlink loop", "binary file", "file damaged"):
        assert reason in r.output


@pytest.mark.slow
def test_pathological_article_text_is_prepared_in_bounded_time() -> None:
    """Bodies that made the entity merger backtrack for minutes (fixed in b93d329) must not
    hang the indexer: many one-letter words, long lower-case runs, punctuation runs."""
    code = (
        "from indexer.prepare import prepare_article\n"
        "from indexer.models import RawRecord\n"
        "for body in ('x ' * 400, 'abcdefghij' * 40 + ' 1', '!' * 400 + ' a', 'x. ' * 300):\n"
        "    prepare_article(RawRecord('p', 's', 1, {'title': 'Judul', 'body': body}))\n"
    )
    try:
        subprocess.run([sys.executable, "-c", code], cwd=REPO, timeout=10, check=True)
    except subprocess.TimeoutExpired:
        pytest.fail("prepare_article took more than 10 s on 'x ' * 400")


def test_default_report_goes_next_to_the_index(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_bytes(rec("a") + b"{oops\n")
    r = CliRunner().invoke(
        main, ["rebuild-index", str(tmp_path / "a.jsonl"), "--index-dir", str(tmp_path / "ix")]
    )
    assert r.exit_code == 0, r.output
    body = json.loads((tmp_path / "ix" / "last-build-report.json").read_text())
    assert body["command"] == "rebuild-index"
    assert body["indexed"] == 1
    assert body["skipped"] == [
        {"source": str(tmp_path / "a.jsonl"), "line": 2, "reason": body["skipped"][0]["reason"]}
    ]
    assert body["skipped"][0]["reason"].startswith("invalid JSON")


def test_nothing_valid_fails_and_keeps_the_old_index(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_bytes(rec("a"))
    rebuild_index([tmp_path / "a.jsonl"], tmp_path / "ix")
    (tmp_path / "empty.jsonl").write_bytes(b"")
    r = CliRunner().invoke(
        main, ["rebuild-index", str(tmp_path / "empty.jsonl"), "--index-dir", str(tmp_path / "ix")]
    )
    assert r.exit_code == 1
    assert "previous index is still serving" in r.output
    assert "Traceback" not in r.output


def test_a_file_appearing_between_the_two_reads_is_indexed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The build reads the archive twice (duplicates, then writing): a file may change between."""
    folder = tmp_path / "a"
    folder.mkdir()
    (folder / "a.jsonl").write_bytes(rec("a"))
    real = sources.iter_files
    calls = {"n": 0}

    def iter_files(paths) -> Iterator:  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 2:
            (folder / "b.jsonl").write_bytes(rec("late"))
        yield from real(paths)

    monkeypatch.setattr(sources, "iter_files", iter_files)
    summary = rebuild_index([folder], tmp_path / "ix")
    assert summary.indexed == 2
