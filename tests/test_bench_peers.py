"""`make bench-peers` on small archives: every peer that is installed finds exactly Telusur's
articles (totals, outlet and month counts) for each query of the mix; a missing one is skipped
with the reason, never silently."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from bench.peers import runner
from indexer.cli import main
from tests.conftest import REPO

SAMPLE = REPO / "sample_archive"
# What `make index` indexes.
SAMPLE_PATHS = [
    SAMPLE / "nasional.jsonl",
    SAMPLE / "daerah.csv",
    SAMPLE / "kliping",
    SAMPLE / "halaman",
    SAMPLE / "web" / "arsip-2025-11.warc.gz",
]
# Words of the sample archive, through each kind of node the parser makes: stems in title or
# body, an exact phrase, an exclusion, OR, a title-only word, synonyms (KPK ↔ its full name,
# a phrase), and only stopwords (nothing to find).
SAMPLE_QUERIES = [
    "banjir",
    "kebakaran hutan",
    '"kabut asap"',
    "banjir -jakarta",
    "jakarta OR pemilu",
    "judul:banjir",
    "kpk",
    "korupsi dpr",
    "yang dan",
]


def run(tmp_path: Path, queries: list[str] | None, *args: str) -> dict[str, Any]:
    argv = ["--workdir", str(tmp_path / "work"), "--rounds", "1", "--passes", "1", "--no-save"]
    if queries is not None:
        mix = tmp_path / "queries.json"
        mix.write_text(json.dumps({"queries": [{"q": q} for q in queries]}), encoding="utf-8")
        argv += ["--queries", str(mix)]
    return runner.main([*argv, *args])


def assert_agreement(result: dict[str, Any]) -> None:
    telusur = result["engines"]["telusur"]
    assert any(telusur["totals"]), "no query finds anything: nothing was compared"
    assert "fts5" in result["engines"]  # the standard library's: always there
    for peer in runner.PEERS:
        why = runner.available(peer)
        if why is not None:
            assert result["skipped"][peer] == why
            continue
        agreement = result["engines"][peer]["agreement"]
        assert agreement["total_mismatches"] == []
        assert agreement["totals_equal"] == len(result["queries"])
        assert agreement["count_mismatches"] == []
        assert result["engines"][peer]["b"]["n"] == len(result["queries"])


@pytest.mark.slow
def test_peers_find_telusurs_articles_on_the_sample_archive(tmp_path: Path) -> None:
    index_dir = tmp_path / "ix"
    built = CliRunner().invoke(
        main, ["rebuild-index", *map(str, SAMPLE_PATHS), "--index-dir", str(index_dir)]
    )
    assert built.exit_code == 0, built.output

    result = run(tmp_path, SAMPLE_QUERIES, "--index", str(index_dir))

    assert result["docs"] == 56
    assert result["queries"] == SAMPLE_QUERIES
    assert_agreement(result)


CLICKID = Path("/work/shared/data/news-clickid.jsonl.gz")


@pytest.mark.slow
@pytest.mark.skipif(not CLICKID.exists(), reason="../shared/data is absent")
def test_peers_on_a_sample_of_clickid_built_by_rebuild_index(tmp_path: Path) -> None:
    result = run(tmp_path, None, "--archive", str(CLICKID), "--sample", "300")

    assert result["docs"] == 300
    assert result["engines"]["telusur"]["build_docs_per_s"] > 0
    assert_agreement(result)
