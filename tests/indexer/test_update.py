"""`telusur update-index` and `telusur delete`: incremental changes, serialised, seen at once."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from index_format.generations import IndexBusy, lock_current
from indexer.build import rebuild_index
from indexer.cli import WAITING, main
from indexer.update import UpdateError, delete_articles, update_index
from search.models import SearchRequest
from search.service import SearchService
from webui import create_app

REPO = Path(__file__).resolve().parents[2]


def record(id: str, title: str, body: str, **extra: Any) -> dict[str, Any]:
    return {"id": id, "title": title, "body": body, "published": "2025-03-01", **extra}


def write_jsonl(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


BASE = [
    record("b1", "Banjir di Bekasi", "Banjir besar melanda kota Bekasi."),
    record("b2", "Gempa di Maluku", "Gempa kecil terasa di Ambon."),
    record("b3", "Pasar murah", "Pasar murah digelar di alun-alun."),
]


@pytest.fixture
def index_dir(tmp_path: Path) -> Path:
    ix = tmp_path / "ix"
    rebuild_index([write_jsonl(tmp_path / "base.jsonl", BASE)], ix)
    return ix


def ids(index_dir: Path, q: str = "") -> set[str]:
    svc = SearchService(index_dir)
    try:
        return {h.id for h in svc.search(SearchRequest(q=q, per_page=100)).hits}
    finally:
        svc.close()


def test_update_adds_new_replaces_changed_and_skips_unchanged(
    index_dir: Path, tmp_path: Path
) -> None:
    before = os.path.realpath(index_dir / "current")
    batch = write_jsonl(
        tmp_path / "batch.jsonl",
        [
            BASE[0],  # unchanged
            record("b2", "Gempa di Maluku", "Gempa zebrakuda terasa di Ambon."),  # changed
            record("n1", "Kereta cepat", "Kereta cepat berangkat dari Halim."),  # new
        ],
    )
    summary = update_index([batch], index_dir)
    assert (summary.added, summary.replaced, summary.unchanged) == (1, 1, 1)
    assert ids(index_dir) == {"b1", "b2", "b3", "n1"}
    assert ids(index_dir, "zebrakuda") == {"b2"}
    assert ids(index_dir, "kecil") == set()  # the old text of b2 is gone, not duplicated
    assert ids(index_dir, "kereta") == {"n1"}
    after = os.path.realpath(index_dir / "current")
    assert after != before and os.path.isdir(before)  # a new generation; the old one in grace

    # The same batch again changes nothing, so no new generation is made.
    again = update_index([batch], index_dir)
    assert (again.added, again.replaced, again.unchanged) == (0, 0, 3)
    assert os.path.realpath(index_dir / "current") == after


def test_update_duplicates_in_a_batch_last_wins_and_is_reported(
    index_dir: Path, tmp_path: Path
) -> None:
    batch = write_jsonl(
        tmp_path / "dups.jsonl",
        [
            record("d1", "Versi pertama", "Kata pertamaunik."),
            record("d1", "Versi kedua", "Kata keduaunik."),
        ],
    )
    summary = update_index([batch], index_dir)
    assert summary.added == 1
    assert [s.line for s in summary.skipped] == [1]
    assert "duplicate id 'd1'" in summary.skipped[0].reason
    assert ids(index_dir, "keduaunik") == {"d1"}
    assert ids(index_dir, "pertamaunik") == set()


def test_delete_removes_and_reports_missing_ids(index_dir: Path) -> None:
    summary = delete_articles(["b1", "nope"], index_dir)
    assert summary.deleted == 1 and summary.not_found == ["nope"]
    assert ids(index_dir) == {"b2", "b3"}
    assert delete_articles(["nope"], index_dir).deleted == 0


def test_update_without_an_index_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(UpdateError, match="rebuild-index"):
        update_index([write_jsonl(tmp_path / "a.jsonl", BASE)], tmp_path / "none")


def test_cli_update_and_delete(index_dir: Path, tmp_path: Path, runner: CliRunner) -> None:
    batch = write_jsonl(tmp_path / "new.jsonl", [record("n2", "Baru", "Berita baru sekali.")])
    report = tmp_path / "update-report.json"
    r = runner.invoke(
        main, ["update-index", str(batch), "--index-dir", str(index_dir), "--report", str(report)]
    )
    assert r.exit_code == 0, r.output
    assert "Added 1, replaced 0, unchanged 0" in r.output
    assert json.loads(report.read_text())["added"] == 1

    r = runner.invoke(main, ["delete", "n2", "b1", "--index-dir", str(index_dir)])
    assert r.exit_code == 0, r.output
    assert "Deleted 2 articles" in r.output
    r = runner.invoke(main, ["delete", "ghost", "--index-dir", str(index_dir)])
    assert r.exit_code == 1
    assert "not found: ghost" in r.output
    assert "Traceback" not in r.output


def test_update_waits_for_the_writer_lock_with_a_message(
    index_dir: Path, tmp_path: Path, runner: CliRunner
) -> None:
    batch = write_jsonl(tmp_path / "w.jsonl", [record("w1", "Menunggu", "Menunggu giliran.")])
    args = ["update-index", str(batch), "--index-dir", str(index_dir)]

    # Held for longer than --wait: a clear message and exit status 1, never a traceback.
    with lock_current(index_dir):
        r = runner.invoke(main, [*args, "--wait", "0.3"])
    assert r.exit_code == 1
    assert WAITING in r.output
    assert "still running" in r.output and "unchanged" in r.output
    assert r.exception is None or isinstance(r.exception, SystemExit)
    assert "Traceback" not in r.output

    # Held for a moment: it waits, says so once, then runs.
    released = threading.Event()

    def hold() -> None:
        with lock_current(index_dir):
            started.set()
            time.sleep(0.5)
        released.set()

    started = threading.Event()
    t = threading.Thread(target=hold)
    t.start()
    started.wait(5)
    r = runner.invoke(main, [*args, "--wait", "10"])
    t.join(5)
    assert r.exit_code == 0, r.output
    assert r.output.count(WAITING) == 1
    assert released.is_set()
    assert "w1" in ids(index_dir)


def test_lock_current_raises_index_busy(index_dir: Path) -> None:
    with lock_current(index_dir), pytest.raises(IndexBusy), lock_current(index_dir, wait=0.1):
        pass


@pytest.mark.slow
def test_two_concurrent_update_processes_serialise_and_lose_nothing(
    index_dir: Path, tmp_path: Path
) -> None:
    batches = [
        write_jsonl(
            tmp_path / f"c{n}.jsonl",
            [
                record(f"c{n}-{i}", f"Berita {n} {i}", f"Isi berita {n} nomor {i}.")
                for i in range(20)
            ],
        )
        for n in range(2)
    ]
    telusur = [sys.executable, "-c", "from indexer.cli import main; main()"]
    procs = [
        subprocess.Popen(
            [*telusur, "update-index", str(b), "--index-dir", str(index_dir), "--wait", "60"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=REPO,
        )
        for b in batches
    ]
    outputs = [p.communicate(timeout=120) for p in procs]
    for p, (out, err) in zip(procs, outputs, strict=True):
        assert p.returncode == 0, out + err
        assert "Traceback" not in err
    got = ids(index_dir)
    assert {f"c{n}-{i}" for n in range(2) for i in range(20)} <= got
    assert len(got) == 3 + 40


def test_running_app_sees_a_committed_update_within_two_seconds(
    index_dir: Path, tmp_path: Path
) -> None:
    client = create_app({"INDEX_DIR": index_dir, "TESTING": True}).test_client()
    assert client.get("/api/search?q=komodo").get_json()["total"] == 0
    update_index(
        [write_jsonl(tmp_path / "k.jsonl", [record("k1", "Komodo", "Komodo lepas di pulau.")])],
        index_dir,
    )
    committed = time.monotonic()
    while True:
        total = client.get("/api/search?q=komodo").get_json()["total"]
        if total == 1 or time.monotonic() - committed > 2:
            break
        time.sleep(0.05)
    assert total == 1
    assert time.monotonic() - committed <= 2
    delete_articles(["k1"], index_dir)
    assert client.get("/api/search?q=komodo").get_json()["total"] == 0


def test_service_reopens_when_the_generation_changes_in_place(index_dir: Path) -> None:
    """Another writer committing into the serving directory itself (not our way, but Whoosh's
    normal one) is seen on the next request too: the service compares ix.latest_generation()."""
    from whoosh import index as windex

    from index_format.codec import PackedCodec
    from indexer.document import to_document
    from tests.conftest import article

    client = create_app({"INDEX_DIR": index_dir, "TESTING": True}).test_client()
    assert client.get("/api/search?q=trenggiling").get_json()["total"] == 0
    real = os.path.realpath(index_dir / "current")
    ix = windex.open_dir(real)
    with ix.writer(codec=PackedCodec()) as w:
        w.add_document(**to_document(article("t1", "Trenggiling", "Trenggiling ditemukan.")))
    assert os.path.realpath(index_dir / "current") == real  # same directory, new generation
    assert client.get("/api/search?q=trenggiling").get_json()["total"] == 1


def test_an_update_that_changes_nothing_still_clears_a_killed_runs_leftovers(
    index_dir: Path, tmp_path: Path
) -> None:
    stale = index_dir / ".building-gen-killed"
    stale.mkdir()
    batch = write_jsonl(tmp_path / "same.jsonl", BASE)
    summary = update_index([batch], index_dir, grace_seconds=0)
    assert summary.changed == 0
    assert not stale.exists()


def _stored_hashes(index_dir: Path) -> list[object]:
    """The live documents' stored content hashes."""
    from index_format.generations import current_path, open_index

    ix = open_index(current_path(index_dir))
    try:
        with ix.searcher() as s:
            return [fields.get("content_hash") for fields in s.all_stored_fields()]
    finally:
        ix.close()


@pytest.mark.parametrize("form", ["hex", "bytes"])
def test_an_index_storing_the_hash_sees_the_same_articles_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, form: str
) -> None:
    """Before issue 23 the hash was stored as 20 hex digits, then as its 10 bytes, and since
    size6 not at all. An update of such an index still tells unchanged articles from changed
    ones, and writes no hash."""
    from indexer import document, prepare

    def with_hash(article: Any) -> dict[str, Any]:
        h = hashlib.sha256()
        for part in (article.title, article.body, article.url or "", article.outlet or ""):
            h.update(part.encode("utf-8", "replace") + b"\0")
        h.update((article.published.isoformat() if article.published else "").encode())
        digest = h.digest()[:10]
        return {
            **document.to_document(article),
            "content_hash": digest.hex() if form == "hex" else digest,
        }

    monkeypatch.setattr(prepare, "to_document", with_hash)
    old = tmp_path / "old"
    rebuild_index([write_jsonl(tmp_path / "base.jsonl", BASE)], old)
    monkeypatch.undo()
    kind = "str" if form == "hex" else "bytes"
    assert [type(h).__name__ for h in _stored_hashes(old)] == [kind] * len(BASE)
    batch = write_jsonl(
        tmp_path / "batch.jsonl",
        [BASE[0], record("b2", "Gempa di Maluku", "Gempa zebrakuda terasa di Ambon.")],
    )
    summary = update_index([batch], old)
    assert (summary.added, summary.replaced, summary.unchanged) == (0, 1, 1)
    assert sorted(type(h).__name__ for h in _stored_hashes(old)) == sorted(["NoneType", kind, kind])
    again = update_index([batch], old)
    assert (again.added, again.replaced, again.unchanged) == (0, 0, 2)


def test_a_new_index_stores_no_hash_and_an_update_compares_what_it_covered(
    index_dir: Path, tmp_path: Path
) -> None:
    """New documents store no content hash (the fields it covered are stored): an update
    still skips an unchanged article and replaces one whose title, body, URL, outlet or day
    changed."""
    assert _stored_hashes(index_dir) == [None] * len(BASE)
    same = update_index([write_jsonl(tmp_path / "same.jsonl", BASE)], index_dir)
    assert (same.added, same.replaced, same.unchanged) == (0, 0, len(BASE))
    b1 = BASE[0]
    changes: list[dict[str, Any]] = [
        {"title": b1["title"] + " lagi"},
        {"body": b1["body"] + " Air surut."},
        {"url": "https://contoh.id/banjir"},
        {"outlet": "Kabar Kota"},
        {"published": "2025-03-02"},
    ]
    for n, change in enumerate(changes):
        batch = write_jsonl(tmp_path / f"changed-{n}.jsonl", [{**b1, **change}, *BASE[1:]])
        summary = update_index([batch], index_dir)
        assert (summary.replaced, summary.unchanged) == (1, len(BASE) - 1), change
        b1 = {**b1, **change}
        again = update_index([batch], index_dir)
        assert (again.replaced, again.unchanged) == (0, len(BASE)), change
