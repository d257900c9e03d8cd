"""bench.build_peaks --parent-trace: each phase's row names what the parent holds at its end."""

from __future__ import annotations

import tracemalloc

from bench.build_peaks import Phases

_KEPT: list[bytes] = []


def _keep_blocks() -> None:
    _KEPT.extend(bytes(1000) + bytes([i % 256]) for i in range(20_000))  # ~20 MB, one line


def test_a_phase_row_names_its_largest_holder() -> None:
    phases = Phases(trace=True)
    try:
        phases.wrap("hold", _keep_blocks)()
    finally:
        tracemalloc.stop()
        _KEPT.clear()
    row = phases.rows[0]
    assert row["phase"] == "hold" and row["anon_end_mb"] > 0
    top = row["traced"]["holders"][0]
    assert top["blocks"] >= 20_000 and top["mb"] >= 19
    assert "test_build_peaks_trace.py" in top["where"]
