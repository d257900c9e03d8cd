"""`telusur rebuild-index`: the sample archive, the summary, and failures that keep the old index."""

from __future__ import annotations

import json
import os
from pathlib import Path

from click.testing import CliRunner

from indexer.cli import main
from search.models import SearchRequest
from search.service import SearchService
from tests.conftest import REPO

SAMPLE = REPO / "sample_archive"
SAMPLE_PATHS = [SAMPLE / "nasional.jsonl", SAMPLE / "daerah.csv", SAMPLE / "kliping"]


def test_rebuild_sample_archive_prints_summary(runner: CliRunner, tmp_path: Path) -> None:
    index_dir = tmp_path / "ix"
    result = runner.invoke(
        main, ["rebuild-index", *map(str, SAMPLE_PATHS), "--index-dir", str(index_dir)]
    )
    assert result.exit_code == 0, result.output
    assert "Indexed 50 articles, skipped 0" in result.output
    assert (index_dir / "current").is_symlink()

    # The sample archive is what `make run` serves: many outlets, several months, recurring names.
    r = SearchService(index_dir).search(SearchRequest(q=""))
    assert r.total == 50
    assert len(r.facets["outlet"]) >= 5
    months = {fv.value[:7] for fv in r.facets["published"]}
    assert len(months) >= 3
    assert any(fv.count >= 3 for fv in r.facets["person"])
    assert any(fv.count >= 3 for fv in r.facets["place"])


def test_index_dir_comes_from_the_environment_and_the_option_wins(
    runner: CliRunner, tmp_path: Path
) -> None:
    env_dir, opt_dir = tmp_path / "env", tmp_path / "opt"
    args = ["rebuild-index", str(SAMPLE / "nasional.jsonl")]
    assert runner.invoke(main, args, env={"TELUSUR_INDEX_DIR": str(env_dir)}).exit_code == 0
    assert (env_dir / "current").exists()
    result = runner.invoke(
        main, [*args, "--index-dir", str(opt_dir)], env={"TELUSUR_INDEX_DIR": str(env_dir)}
    )
    assert result.exit_code == 0
    assert (opt_dir / "current").exists()


def test_skipped_records_are_counted_by_reason(runner: CliRunner, tmp_path: Path) -> None:
    archive = tmp_path / "arsip.jsonl"
    archive.write_text(
        '{"id": "1", "title": "Banjir", "body": "Banjir di kota."}\n{oops\n{"id": "2"}\n',
        encoding="utf-8",
    )
    result = runner.invoke(
        main, ["rebuild-index", str(archive), "--index-dir", str(tmp_path / "ix")]
    )
    assert result.exit_code == 0
    assert "Indexed 1 articles, skipped 2" in result.output
    assert "skipped 1: invalid JSON" in result.output
    assert "skipped 1: no title and no body" in result.output


def test_failed_build_exits_nonzero_and_keeps_the_old_index(
    runner: CliRunner, tmp_path: Path
) -> None:
    index_dir = tmp_path / "ix"
    ok = runner.invoke(
        main, ["rebuild-index", str(SAMPLE / "nasional.jsonl"), "--index-dir", str(index_dir)]
    )
    assert ok.exit_code == 0
    before = os.path.realpath(index_dir / "current")
    empty = tmp_path / "kosong"
    empty.mkdir()
    failed = runner.invoke(main, ["rebuild-index", str(empty), "--index-dir", str(index_dir)])
    assert failed.exit_code != 0
    assert "previous index is still serving" in failed.output
    assert os.path.realpath(index_dir / "current") == before
    assert not list(index_dir.glob(".building-*"))  # nothing half-built left behind


def _archive_with_a_link_out(tmp_path: Path) -> Path:
    """An archive holding one article and a symlink to an article outside it."""
    outside = tmp_path / "luar"
    outside.mkdir()
    (outside / "rahasia.jsonl").write_text(
        '{"id": "luar-1", "title": "Rahasia", "body": "Di luar arsip."}\n', encoding="utf-8"
    )
    archive = tmp_path / "arsip"
    archive.mkdir()
    (archive / "a.jsonl").write_text(
        '{"id": "a-1", "title": "Banjir", "body": "Banjir di kota."}\n', encoding="utf-8"
    )
    (archive / "tautan.jsonl").symlink_to(outside / "rahasia.jsonl")
    return archive


def test_links_out_of_the_archive_need_follow_links(runner: CliRunner, tmp_path: Path) -> None:
    archive = _archive_with_a_link_out(tmp_path)
    ix = ["--index-dir", str(tmp_path / "ix")]
    refused = runner.invoke(main, ["rebuild-index", str(archive), *ix])
    assert refused.exit_code == 0, refused.output
    assert "Indexed 1 articles, skipped 1" in refused.output
    assert "skipped 1: symlink to a file outside the archive" in refused.output
    assert "(read only with --follow-links)" in refused.output

    updated = runner.invoke(main, ["update-index", str(archive), *ix, "--follow-links"])
    assert updated.exit_code == 0, updated.output
    assert "Added 1, replaced 0, unchanged 1, skipped 0" in updated.output

    rebuilt = runner.invoke(main, ["rebuild-index", str(archive), *ix, "--follow-links"])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert "Indexed 2 articles, skipped 0" in rebuilt.output
    svc = SearchService(tmp_path / "ix")
    assert svc.article("luar-1")[0].title == "Rahasia"
    svc.close()


def test_inspect_refuses_links_out_and_survives_deep_json(
    runner: CliRunner, tmp_path: Path
) -> None:
    archive = _archive_with_a_link_out(tmp_path)
    with (archive / "a.jsonl").open("a", encoding="utf-8") as f:
        f.write('{"id": "deep", "title": "T", "x": ' + "[" * 3000 + "]" * 3000 + "}\n")
    result = runner.invoke(main, ["inspect", "--json", str(archive)])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["a-1"]
    assert "a.jsonl:2: JSON nested deeper than 100" in result.stderr
    assert "tautan.jsonl: symlink to a file outside the archive" in result.stderr

    followed = runner.invoke(main, ["inspect", "--json", "--follow-links", str(archive)])
    assert [json.loads(line)["id"] for line in followed.stdout.splitlines()] == ["a-1", "luar-1"]


def test_entities_on_invalid_utf8_is_a_one_line_error(runner: CliRunner) -> None:
    result = runner.invoke(main, ["entities", "-"], input=b"Presiden \xff Joko Widodo")
    assert result.exit_code == 1
    assert result.output == "Error: standard input is not UTF-8 text (invalid byte at 9)\n"
