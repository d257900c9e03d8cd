"""Hostile archives: each bad record is skipped and reported (file, line, reason) in the summary
and the JSON report, and every valid record is still indexed."""

from __future__ import annotations

import codecs
import gzip
import json
import os
import random
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
from click.testing import CliRunner
from flask import url_for

import indexer.sources as sources
from indexer.build import rebuild_index
from indexer.cli import main
from indexer.models import RawRecord, Skipped
from indexer.sources import bounded, formats
from search.models import SearchRequest
from search.service import SearchService
from webui import create_app

FIFTY_MB = 50 * 1024 * 1024
REPO = Path(__file__).resolve().parents[2]


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

    def iter_files(paths, **kw):  # type: ignore[no-untyped-def]
        for item in real(paths, **kw):
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

    def iter_files(paths, **kw) -> Iterator:  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 2:
            (folder / "b.jsonl").write_bytes(rec("late"))
        yield from real(paths, **kw)

    monkeypatch.setattr(sources, "iter_files", iter_files)
    summary = rebuild_index([folder], tmp_path / "ix")
    assert summary.indexed == 2


# -- one archive holding every hostile case at once (issue #16) -------------------------------

GZ_BOMB_BYTES = 200 * 1024 * 1024  # one line of spaces: 200 KB on disk
BIG_FIELD_LINES = 3_000  # a quoted CSV field of 3,000 lines, ~30 MB: over MAX_LINE_BYTES
# Peak RSS reading the whole archive, which holds lines of 30 and 200 MB: the interpreter and
# numpy (~60 MB) and a few copies of one MAX_LINE_BYTES line at most.
RSS_LIMIT_MB = 200

# Peak RSS of this process since it started: VmHWM starts afresh at exec, while getrusage's
# ru_maxrss keeps the high-water mark of the pytest process the subprocess was forked from.
PEAK_RSS = """
def peak_rss_mb():
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmHWM")) / 1024
"""
# The reader's output as plain JSON, from a subprocess: it may hang (a FIFO) or blow up (a
# gzip bomb, /dev/zero), and its peak memory is its own.
READER = """
import json, sys, time
from indexer.sources import read_archive
started = time.perf_counter()
items = []
options = {"follow_links": True} if sys.argv[2] == "follow" else {}
for item in read_archive([sys.argv[1]], **options):
    if hasattr(item, "doc_id"):
        items.append({"id": item.doc_id, "source": item.source, "line": item.line,
                      "title": item.fields.get("title"), "body": item.fields.get("body"),
                      "repairs": list(getattr(item, "repairs", ()))})
    else:
        items.append({"source": item.source, "line": item.line, "reason": item.reason})
print(json.dumps({"items": items, "seconds": time.perf_counter() - started,
                  "peak_rss_mb": peak_rss_mb()}))
"""


@dataclass
class Hostile:
    """A hostile archive and what reading it must give."""

    root: Path
    outside: Path
    good: dict[str, tuple[str, str]] = field(default_factory=dict)  # id → (title, body) intact
    bad: list[tuple[str, int | None, str]] = field(default_factory=list)  # (file, line, reason)
    repaired: dict[str, tuple[str, str]] = field(default_factory=dict)  # id → (title, repair)
    locked: list[tuple[str, str]] = field(default_factory=list)  # (name, reason) when denied
    locks_work: bool = True  # False as root: chmod 000 does not deny reads

    def readable(self) -> set[str]:
        """The ids read_archive must give: the locked ones too where chmod cannot lock."""
        locked = set() if self.locks_work else {"locked", "terkunci/dalam.txt"}
        return set(self.good) | set(self.repaired) | locked

    def add(self, id: str, title: str = "Judul", body: str = "Isi berita biasa.") -> bytes:
        self.good[id] = (title, body)
        return rec(id, title, body)


def _deep(depth: int) -> str:
    return "[" * depth + "]" * depth


def make_hostile_archive(tmp: Path) -> Hostile:
    """Every hostile case of issue #16 beside good records (ENGINEERING.md §7)."""
    a, out = tmp / "arsip", tmp / "luar"
    a.mkdir()
    (out / "folder").mkdir(parents=True)
    h = Hostile(a, out)

    # JSON nested 2,000 deep, in a field the reader ignores.
    deep = json.dumps({"id": "deep", "title": "T", "body": "B", "raw": "X"})
    (a / "deep.jsonl").write_bytes(
        h.add("deep-before")
        + deep.replace('"X"', _deep(2000)).encode()
        + b"\n"
        + h.add("deep-after")
    )
    h.bad.append(("deep.jsonl", 2, "JSON nested deeper than 100"))

    # Ids that are not valid Unicode, too long, or cannot be opened at /articles/<id>; and ids
    # that look odd but can (a URL: "//" inside, "/" at the end).
    bad_ids = {
        "x\ud800": "not valid Unicode",
        "..": "not openable by URL",
        "/lead": "not openable by URL",
        "../x": "not openable by URL",
        "kanal/./x": "not openable by URL",
        "a" * 5000: "too long",
        "tab\there": "not printable",
    }
    lines = [rec(i, title=f"Judul id {n}") for n, i in enumerate(bad_ids)]
    lines.append(h.add("https://contoh.example/berita/1/"))
    lines.append(h.add("kanal/berita/2"))
    (a / "ids.jsonl").write_bytes(b"".join(lines))
    for n, (bad_id, problem) in enumerate(bad_ids.items()):
        h.repaired[sources.derived_id(bad_id)] = (f"Judul id {n}", f"id replaced: {problem}")

    # Lone surrogates in text: replaced with U+FFFD, counted.
    (a / "judul.jsonl").write_bytes(rec("sur", title="Banjir \udc80 judul", body="Isi \ud83d."))
    h.repaired["sur"] = ("Banjir \ufffd judul", "2 unencodable characters replaced (title, body)")

    # A file name that is not UTF-8.
    with open(os.path.join(os.fsencode(a), b"berita-\xff.txt"), "wb") as fh:
        fh.write(b"Judul berkas\nIsi berkas.")
    h.repaired[sources.derived_id(os.fsdecode(b"berita-\xff.txt"))] = (
        "Judul berkas",
        "id replaced: not valid Unicode",
    )

    # Files that are not regular: a device, a FIFO.
    os.symlink("/dev/zero", a / "nol.jsonl")
    h.bad.append(("nol.jsonl", None, "not a regular file: a character device"))
    os.mkfifo(a / "pipa.jsonl")
    h.bad.append(("pipa.jsonl", None, "not a regular file: a FIFO"))

    # Symlinks out of the archive, to a file and to a folder.
    (out / "rahasia.txt").write_text("RAHASIA\nIsi di luar arsip.", encoding="utf-8")
    os.symlink(out / "rahasia.txt", a / "passwd.txt")
    h.bad.append(("passwd.txt", None, "symlink to a file outside the archive"))
    (out / "folder" / "bocor.txt").write_text("BOCOR\nIsi di luar arsip.", encoding="utf-8")
    os.symlink(out / "folder", a / "luar")
    h.bad.append(("luar", None, "symlink to a folder outside the archive"))

    # A folder and a file nobody may read.
    (a / "terkunci").mkdir()
    (a / "terkunci" / "dalam.txt").write_text("Judul dalam\nIsi.", encoding="utf-8")
    (a / "terkunci.jsonl").write_bytes(rec("locked"))
    os.chmod(a / "terkunci", 0)
    os.chmod(a / "terkunci.jsonl", 0)
    h.locks_work = not os.access(a / "terkunci.jsonl", os.R_OK)
    h.locked = [
        ("terkunci", "cannot read folder: Permission denied"),
        ("terkunci.jsonl", "cannot read: Permission denied"),
    ]

    # A gzip bomb: 200 MB of spaces in one line between two good records.
    with gzip.open(a / "bom.jsonl.gz", "wb", compresslevel=9) as gz:
        gz.write(h.add("bom-before"))
        for _ in range(GZ_BOMB_BYTES // (1 << 20)):
            gz.write(b" " * (1 << 20))
        gz.write(b"\n" + h.add("bom-after"))
    h.bad.append(("bom.jsonl.gz", 2, "line too large"))

    # A CSV whose quoted field spans 3,000 lines and 30 MB, with good rows before and after.
    with (a / "besar.csv").open("w", encoding="utf-8", newline="") as f:
        f.write('id,title,body\ncsv-1,Judul csv 1,Isi satu.\ncsv-big,Besar,"awal ""kutip""\n')
        f.writelines(("kata " * 2000 + "\n") for _ in range(BIG_FIELD_LINES))
        f.write('akhir"\n')
        f.writelines(f"csv-{i},Judul csv {i},Isi {i}.\n" for i in (2, 3, 4))
    h.good["csv-1"] = ("Judul csv 1", "Isi satu.")
    h.good.update({f"csv-{i}": (f"Judul csv {i}", f"Isi {i}.") for i in (2, 3, 4)})
    h.bad.append(("besar.csv", 3, "row too large"))

    # UTF-16 with a BOM, both byte orders, and UTF-8 with a BOM.
    for name, encoding, bom in (
        ("utf16-le.txt", "utf-16-le", codecs.BOM_UTF16_LE),
        ("utf16-be.txt", "utf-16-be", codecs.BOM_UTF16_BE),
        ("utf8-bom.txt", "utf-8", codecs.BOM_UTF8),
    ):
        (a / name).write_bytes(bom + f"Judul {name} é\nIsi berita ü.\n".encode(encoding))
        h.good[name] = (f"Judul {name} é", "Isi berita ü.")

    # A word of 70,000 letters and an outlet as long: indexed clipped, the text kept whole.
    long_word = {"id": "long-word", "title": "Banjir panjang", "outlet": "O" * 70_000}
    long_word["body"] = "Banjir " + "a" * 70_000
    (a / "panjang.jsonl").write_text(json.dumps(long_word) + "\n", encoding="utf-8")
    h.good["long-word"] = (long_word["title"], long_word["body"])

    # Good records beside all that.
    (a / "good.jsonl").write_bytes(b"".join(h.add(f"good-{i}") for i in range(3)))
    (a / "kliping").mkdir()
    (a / "kliping" / "satu.txt").write_text("Judul satu\nIsi satu.", encoding="utf-8")
    h.good["kliping/satu.txt"] = ("Judul satu", "Isi satu.")
    return h


def read_in_subprocess(root: Path, *, follow_links: bool = False) -> dict[str, Any]:
    try:
        done = subprocess.run(
            [
                sys.executable,
                "-c",
                PEAK_RSS + READER,
                str(root),
                "follow" if follow_links else "no",
            ],
            cwd=REPO,
            env={**os.environ, "PYTHONPATH": str(REPO)},
            capture_output=True,
            timeout=60,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("reading the hostile archive did not finish in 60 s")
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-3000:]
    result: dict[str, Any] = json.loads(done.stdout)
    return result


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hostile]:
    h = make_hostile_archive(tmp_path_factory.mktemp("hostile-all"))
    yield h
    os.chmod(h.root / "terkunci", 0o755)  # so pytest can remove it


@pytest.fixture(scope="module")
def hostile_read(hostile: Hostile) -> dict[str, Any]:
    return read_in_subprocess(hostile.root)


def _records(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {i["id"]: i for i in result["items"] if "id" in i}


def _skips(result: dict[str, Any]) -> list[dict[str, Any]]:
    return [i for i in result["items"] if "reason" in i]


def _reported(skips: list[dict[str, Any]], name: str, line: int | None, reason: str) -> bool:
    return any(
        s["source"].endswith(name) and s["line"] == line and reason in s["reason"] for s in skips
    )


def test_hostile_archive_keeps_every_good_record_intact(
    hostile: Hostile, hostile_read: dict[str, Any]
) -> None:
    records = _records(hostile_read)
    for doc_id, (title, body) in hostile.good.items():
        assert doc_id in records, (doc_id, _skips(hostile_read))
        got = records[doc_id]
        assert (got["title"], got["body"]) == (title, body), doc_id
        assert got["repairs"] == []
    # Nothing from outside the archive, nothing from the records that had to be skipped.
    titles = {r["title"] for r in records.values()}
    assert not titles & {"RAHASIA", "BOCOR", "T", "Besar"}
    assert set(records) == hostile.readable()


def test_hostile_archive_reports_every_bad_record_and_repair(
    hostile: Hostile, hostile_read: dict[str, Any]
) -> None:
    skips = _skips(hostile_read)
    for name, line, reason in hostile.bad:
        assert _reported(skips, name, line, reason), (name, line, reason, skips)
    records = _records(hostile_read)
    for doc_id, (title, repair) in hostile.repaired.items():
        assert doc_id in records, (doc_id, title)
        assert records[doc_id]["title"] == title
        assert any(r.startswith(repair) for r in records[doc_id]["repairs"]), records[doc_id]
        assert doc_id == "sur" or doc_id.startswith(sources.DERIVED_ID_PREFIX)
    # The report shows a file name that is not UTF-8 readably, never as a lone surrogate.
    [xff] = [r for r in records.values() if r["title"] == "Judul berkas"]
    assert xff["source"].endswith("berita-\\xff.txt")
    # Every report line can be written out as UTF-8 (the JSON report, the terminal).
    json.dumps(hostile_read, ensure_ascii=False).encode("utf-8")


def test_hostile_archive_is_read_in_bounded_time_and_memory(
    hostile_read: dict[str, Any],
) -> None:
    assert hostile_read["seconds"] < 20
    assert hostile_read["peak_rss_mb"] < RSS_LIMIT_MB, hostile_read["peak_rss_mb"]


def test_unreadable_file_and_folder_are_reported(
    hostile: Hostile, hostile_read: dict[str, Any]
) -> None:
    if not hostile.locks_work:
        pytest.skip(
            "root with CAP_DAC_OVERRIDE: chmod 000 does not deny reads (the simulated test "
            "covers it; setpriv --inh-caps=-dac_override,-dac_read_search runs it for real)"
        )
    skips = _skips(hostile_read)
    for name, reason in hostile.locked:
        assert _reported(skips, name, None, reason), (name, skips)


def test_unreadable_file_and_folder_are_reported_simulated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What chmod 000 does for a user who is not root, simulated (tests may run as root)."""
    (tmp_path / "terkunci").mkdir()
    (tmp_path / "terkunci" / "dalam.txt").write_text("Judul\nIsi.", encoding="utf-8")
    (tmp_path / "terkunci.jsonl").write_bytes(rec("locked"))
    (tmp_path / "ok.jsonl").write_bytes(rec("ok"))
    denied = {str(tmp_path / "terkunci"), str(tmp_path / "terkunci.jsonl")}
    real_scandir, real_open = os.scandir, os.open

    def scandir(path: Any) -> Any:
        if os.fspath(path) in denied:
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    def os_open(path: Any, flags: int, *args: Any) -> int:
        if os.fspath(path) in denied:
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.setattr(os, "open", os_open)
    items = list(sources.read_archive([tmp_path]))
    assert [i.doc_id for i in items if isinstance(i, RawRecord)] == ["ok"]
    assert {(Path(s.source).name, s.reason) for s in items if isinstance(s, Skipped)} == {
        ("terkunci", "cannot read folder: Permission denied"),
        ("terkunci.jsonl", "cannot read: Permission denied"),
    }


def test_links_out_of_the_archive_are_read_with_follow_links(hostile: Hostile) -> None:
    result = read_in_subprocess(hostile.root, follow_links=True)
    titles = {r["title"] for r in _records(result).values()}
    assert {"RAHASIA", "BOCOR"} <= titles
    skips = _skips(result)
    assert not [s for s in skips if "outside the archive" in s["reason"]]
    assert _reported(skips, "nol.jsonl", None, "not a regular file")  # still never read


def test_rebuild_index_finishes_on_the_hostile_archive(hostile: Hostile, tmp_path: Path) -> None:
    """The real rebuild (parallel writer) indexes every good and repaired record, lists every
    bad one in the report, and each article opens in the app."""
    report = tmp_path / "report.json"
    args = ["rebuild-index", str(hostile.root), "--index-dir", str(tmp_path / "ix")]
    args += ["--report", str(report)]
    # A process of its own around the rebuild: its RUSAGE_CHILDREN peak is the largest of the
    # rebuild's processes (the workers included), nobody else's.
    measured = (
        "import resource, subprocess, sys\n"
        "done = subprocess.run(sys.argv[1:], capture_output=True)\n"
        "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
        "sys.stdout.buffer.write(done.stdout + done.stderr)\n"
        "print(f'PEAK-MB {peak:.0f}')\n"
        "sys.exit(done.returncode)\n"
    )
    try:
        done = subprocess.run(
            [sys.executable, "-c", measured, sys.executable, "-m", "indexer.cli", *args],
            cwd=REPO,
            env={**os.environ, "PYTHONPATH": str(REPO)},
            capture_output=True,
            timeout=120,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("rebuild-index did not finish in 120 s")
    output = done.stdout.decode(errors="replace") + done.stderr.decode(errors="replace")
    assert done.returncode == 0, output[-3000:]
    assert "Traceback" not in output
    assert "Indexed " in output and "indexed after a repair" in output  # the summary
    peak_mb = int(output.rsplit("PEAK-MB ", 1)[1].split()[0])
    assert peak_mb < 600, peak_mb

    body = json.loads(report.read_text(encoding="utf-8"))
    expected = hostile.readable()
    assert body["indexed"] == len(expected)
    for name, line, reason in hostile.bad:
        assert _reported(body["skipped"], name, line, reason), (name, reason)
    repairs = [r["reason"] for r in body["repaired"]]
    for _title, repair in hostile.repaired.values():
        assert any(repair in r for r in repairs), repair

    svc = SearchService(tmp_path / "ix")
    indexed = {h.id for h in svc.search(SearchRequest(q="", per_page=100)).hits}
    svc.close()
    assert indexed == expected
    app = create_app({"INDEX_DIR": tmp_path / "ix", "TESTING": True})
    client = app.test_client()
    for doc_id in sorted(expected):
        with app.test_request_context():
            url = url_for("views.article_page", doc_id=doc_id)
        # What a browser sends: "." and ".." segments resolved (RFC 3986).
        assert urljoin("http://telusur.test/", url) == "http://telusur.test" + url, doc_id
        assert client.get(url).status_code == 200, doc_id
        assert client.get("/api" + url).status_code == 200, doc_id
    assert client.get("/?q=banjir").status_code == 200  # finds the repaired title
    assert "Banjir \ufffd judul" in client.get("/api/export.jsonl?q=banjir").get_data(as_text=True)
    app.extensions["telusur.search"].close()


# -- limits and repairs, one at a time --------------------------------------------------------


def read(*paths: Path, **options: Any) -> tuple[list[RawRecord], list[Skipped]]:
    items = list(sources.read_archive(list(paths), **options))
    return [i for i in items if isinstance(i, RawRecord)], [
        i for i in items if isinstance(i, Skipped)
    ]


@pytest.mark.parametrize(
    ("doc_id", "problem"),
    [
        ("kanal/berita/2", None),
        ("https://contoh.example/a//b/", None),  # URLs are ids when there is no id
        (".hidden..x", None),
        ("judul berita — édisi ü", None),
        ("é" * 256, None),  # 512 bytes in UTF-8
        ("é" * 256 + "a", "too long (513 bytes; limit 512)"),
        ("/lead", "not openable by URL"),
        ("a/../b", "not openable by URL"),
        (".", "not openable by URL"),
        ("a/..", "not openable by URL"),
        ("nul\x00x", "not printable"),
        ("baris\u2028baru", "not printable"),
        ("x\udfff", "not valid Unicode"),
    ],
)
def test_ids_must_be_openable_by_url(tmp_path: Path, doc_id: str, problem: str | None) -> None:
    (tmp_path / "a.jsonl").write_bytes(rec(doc_id) + rec("lain"))
    (record, other), skipped = read(tmp_path / "a.jsonl")
    assert skipped == []
    assert other.doc_id == "lain"
    if problem is None:
        assert (record.doc_id, record.repairs) == (doc_id, ())
    else:
        assert record.doc_id == sources.derived_id(doc_id)
        assert record.repairs[0].startswith(f"id replaced: {problem} (")
        assert record.repairs[0].endswith(f"→ {record.doc_id!r}")


def test_a_replaced_id_is_stable_so_a_later_duplicate_still_wins(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_bytes(rec("../x", title="Lama") + rec("../x", title="Baru"))
    first, second = read(tmp_path / "a.jsonl")[0]
    assert first.doc_id == second.doc_id == read(tmp_path / "a.jsonl")[0][0].doc_id
    summary = rebuild_index([tmp_path / "a.jsonl"], tmp_path / "ix")
    assert summary.indexed == 1
    assert [s.reason.split(":")[0] for s in summary.skipped] == [f"duplicate id {first.doc_id!r}"]


@pytest.mark.parametrize(
    ("depth", "read_ok"),
    [(99, True), (100, True), (101, False), (100_000, False)],
)
def test_json_depth_limit(tmp_path: Path, depth: int, read_ok: bool) -> None:
    """Depth counts the record object itself; brackets inside strings do not count."""
    line = json.dumps({"id": "d", "title": "[{" * 500, "body": "x", "raw": "X"})
    nested = "[" * (depth - 1) + "]" * (depth - 1)
    (tmp_path / "a.jsonl").write_text(line.replace('"X"', nested) + "\n", encoding="utf-8")
    records, skipped = read(tmp_path / "a.jsonl")
    if read_ok:
        assert [r.fields["title"] for r in records] == ["[{" * 500]
    else:
        assert [(s.line, s.reason) for s in skipped] == [(1, "JSON nested deeper than 100")]


def test_deep_json_file_and_sidecar_are_reported(tmp_path: Path) -> None:
    deep = "[" * 150 + "]" * 150
    (tmp_path / "daftar.json").write_text(
        f'[{{"id": "a", "title": "T"}}, {{"id": "b", "title": "T", "raw": {deep}}}]',
        encoding="utf-8",
    )
    (tmp_path / "b.txt").write_text("Judul B\nIsi B.", encoding="utf-8")
    (tmp_path / "b.json").write_text('{"outlet": ' + "[" * 5000 + "]" * 5000 + "}")
    records, skipped = read(tmp_path)
    assert [(r.doc_id, r.sidecar) for r in records] == [("b.txt", {})]  # indexed without it
    assert {(Path(s.source).name, s.reason) for s in skipped} == {
        ("daftar.json", "JSON nested deeper than 100"),
        ("b.json", "sidecar ignored: JSON nested deeper than 100"),
    }


def test_sidecar_and_manifest_problems_are_reported_and_the_article_kept(tmp_path: Path) -> None:
    outside = tmp_path / "luar"
    outside.mkdir()
    (outside / "meta.json").write_text('{"outlet": "Rahasia"}', encoding="utf-8")
    a = tmp_path / "arsip"
    a.mkdir()
    (a / "a.txt").write_text("Judul A\nIsi A.", encoding="utf-8")
    os.symlink(outside / "meta.json", a / "a.json")
    (a / "b.txt").write_text("Judul B\nIsi B.", encoding="utf-8")
    (a / "b.json").write_bytes(b'{"outlet": "R\xe9"}')  # Latin-1
    os.mkfifo(a / "manifest.csv")
    records, skipped = read(a)
    assert [(r.doc_id, r.sidecar) for r in records] == [("a.txt", {}), ("b.txt", {})]
    reasons = {(Path(s.source).name, s.reason.split(" (")[0]) for s in skipped}
    assert reasons == {
        ("manifest.csv", "manifest ignored: not a regular file: a FIFO"),
        ("a.json", "sidecar ignored: symlink outside the archive"),
        ("b.json", "sidecar ignored: invalid UTF-8: at byte 13"),
    }


def test_utf16_with_a_lone_surrogate_is_repaired_and_broken_utf16_reported(
    tmp_path: Path,
) -> None:
    text = "Judul\nIsi \ud800 berita."
    (tmp_path / "a.txt").write_bytes(
        codecs.BOM_UTF16_LE + text.encode("utf-16-le", "surrogatepass")
    )
    (tmp_path / "b.txt").write_bytes(codecs.BOM_UTF16_BE + "Judul".encode("utf-16-be") + b"\x00")
    [record], [skip] = read(tmp_path)
    assert record.fields["body"] == "Isi \ufffd berita."
    assert record.repairs == ("1 unencodable character replaced (body)",)
    assert (Path(skip.source).name, skip.reason) == ("b.txt", "invalid UTF-16: at byte 12")


def test_a_file_over_the_size_limit_stops_with_a_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bounded, "MAX_FILE_BYTES", 2_000)
    (tmp_path / "a.jsonl.gz").write_bytes(
        gzip.compress(b"".join(rec(f"r{i}") for i in range(100)))  # ~6 KB inflated
    )
    records, [skip] = read(tmp_path / "a.jsonl.gz")
    n = len(records)
    assert 0 < n < 100
    assert [r.doc_id for r in records] == [f"r{i}" for i in range(n)]
    assert (skip.line, skip.reason) == (
        n + 1,
        f"file too large: stopped at line {n + 1} after 2,000 bytes "
        "(the records before it were read)",
    )


def test_a_bug_reading_one_record_or_file_costs_only_that(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_clean, real_decode = formats.clean_fields, formats.decode_text

    def clean(obj: dict[str, Any]) -> dict[str, str | None]:
        if obj.get("id") == "boom":
            raise RuntimeError("bug in one record")
        return real_clean(obj)

    def decode(data: bytes) -> str:
        if data.startswith(b"BOOM"):
            raise KeyError("bug in one file")
        return real_decode(data)

    monkeypatch.setattr(formats, "clean_fields", clean)
    monkeypatch.setattr(formats, "decode_text", decode)
    (tmp_path / "a.jsonl").write_bytes(rec("a1") + rec("boom") + rec("a2"))
    (tmp_path / "b.txt").write_bytes(b"BOOM\nisi")
    (tmp_path / "c.txt").write_bytes(b"Judul C\nisi")
    records, skipped = read(tmp_path)
    assert [r.doc_id for r in records] == ["a1", "a2", "c.txt"]
    assert [(Path(s.source).name, s.line, s.reason) for s in skipped] == [
        ("a.jsonl", 2, "unexpected error: RuntimeError('bug in one record')"),
        ("b.txt", None, "stopped reading: unexpected error: KeyError('bug in one file')"),
    ]


@pytest.mark.slow
def test_a_csv_larger_than_any_cap_is_streamed_to_its_last_row(tmp_path: Path) -> None:
    """210 MB: the old reader cut it at 200 MB, read it whole, and lost the rows after."""
    rows, body = 210, "kata " * 200_000  # 1 MB each
    with (tmp_path / "besar.csv").open("w", encoding="utf-8") as f:
        f.write("id,url,title,body\n")
        f.writelines(f"r{i},https://contoh.example/{i},Judul {i},{body}\n" for i in range(rows))
    code = PEAK_RSS + (
        "import json, sys\n"
        "from indexer.sources import read_archive\n"
        "urls = [getattr(i, 'fields', {}).get('url') for i in read_archive([sys.argv[1]])]\n"
        "print(json.dumps([len(urls), urls[-1], peak_rss_mb()]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "besar.csv")],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        timeout=60,
        check=True,
    )
    count, last_url, peak_mb = json.loads(done.stdout)
    assert count == rows
    assert last_url == f"https://contoh.example/{rows - 1}"
    assert peak_mb < RSS_LIMIT_MB
