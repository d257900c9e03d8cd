"""The user's data files named in settings reach indexing and search."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from index_format.analysis import configure_stem_exceptions
from index_format.settings import Settings
from indexer.cli import main
from indexer.prepare import configure
from search.models import SearchRequest
from search.service import SearchService


def test_user_outlet_registry_is_used_by_rebuild(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(
        "Judul berita\n\nKORAN KAMPUNG, DEPOK - Warga kampung bergotong royong membersihkan sungai.",
        encoding="utf-8",
    )
    outlets = tmp_path / "outlets.json"
    outlets.write_text(
        json.dumps(
            [{"name": "Koran Kampung", "domains": ["koran.example"], "aliases": ["KORAN KAMPUNG"]}]
        ),
        encoding="utf-8",
    )
    index_dir = tmp_path / "ix"
    try:
        result = runner.invoke(
            main,
            ["rebuild-index", str(tmp_path / "a.txt"), "--index-dir", str(index_dir)],
            env={"TELUSUR_OUTLETS_FILE": str(outlets)},
        )
        assert result.exit_code == 0, result.output
    finally:
        configure(Settings())  # back to the packaged data for the other tests
    [hit] = SearchService(index_dir).search(SearchRequest(q="sungai")).hits
    assert hit.outlet == "Koran Kampung"


def test_settings_read_paths_from_the_environment(tmp_path: Path) -> None:
    settings = Settings.from_env({"TELUSUR_SYNONYMS_FILE": str(tmp_path / "s.tsv")})
    assert settings.synonyms_file == tmp_path / "s.tsv"
    assert settings.index_dir == Path("index_data")
    configure_stem_exceptions(None)
