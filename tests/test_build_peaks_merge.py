"""bench.build_peaks --merge: one merge of a generation's segments, its peaks reported."""

from __future__ import annotations

import shutil
from pathlib import Path

from whoosh import index

from bench.build_peaks import merge_peak
from index_format.generations import current_path
from tests.conftest import SMALL_CORPUS, write_index


def test_merge_peak_merges_every_segment_and_reports_its_memory(tmp_path: Path) -> None:
    write_index(tmp_path / "index", SMALL_CORPUS, "segments")
    gen = tmp_path / "copy"
    shutil.copytree(current_path(tmp_path / "index"), gen)
    before = index.open_dir(str(gen))
    segments = len(before._segments())
    before.close()
    assert segments > 1
    got = merge_peak(gen)
    assert (got["segments"], got["documents"]) == (segments, len(SMALL_CORPUS))
    after = index.open_dir(str(gen))
    assert [s.doc_count_all() for s in after._segments()] == [len(SMALL_CORPUS)]
    after.close()
    assert got["peak_mb"] >= got["rss_before_mb"] > 0
    assert got["peak_rss_anon_mb"] >= got["rss_anon_before_mb"] > 0
