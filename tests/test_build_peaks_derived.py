"""bench.build_peaks --derived: a generation's derived files written as a rebuild's publish
writes them (the same files), each step's peaks and CPU reported."""

from __future__ import annotations

import shutil
from pathlib import Path

from bench.build_peaks import derived_peak
from index_format.derived import DERIVED
from index_format.generations import current_path
from tests.conftest import SMALL_CORPUS, write_index


def test_derived_peak_writes_the_same_files_and_reports_each_step(tmp_path: Path) -> None:
    write_index(tmp_path / "index", SMALL_CORPUS, "segments")
    gen = tmp_path / "copy"
    shutil.copytree(current_path(tmp_path / "index"), gen)
    published = {p.name: p.read_bytes() for p in (gen / DERIVED).iterdir()}
    shutil.rmtree(gen / DERIVED)
    got = derived_peak(gen)
    assert {p.name: p.read_bytes() for p in (gen / DERIVED).iterdir()} == published
    steps = {row["step"].strip(): row for row in got["steps"]}
    for step in ("derived.write", "compute", "read the segments' parts", "entity merges"):
        assert steps[step]["peak_mb"] >= steps[step]["rss_start_mb"] > 0
    assert (
        steps["derived.write"]["peak_mb"]
        == got["peak_mb"]
        == max(row["peak_mb"] for row in got["steps"])
    )
    assert steps["entity merges"]["calls"] == 3  # person, organisation, place: one row
    assert got["cpu_s"] + 0.05 >= steps["compute"]["cpu_s"] >= 0  # (rounded to 0.1, 0.01)
