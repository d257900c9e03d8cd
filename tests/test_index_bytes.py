"""bench/index_bytes.py accounts for every byte of a generation: its categories add up to the
generation's size, and the postings split by field and stream add up to the postings files."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.index_bytes import (
    audit,
    dictionary_fields,
    exact_overlap,
    generation_dir,
    postings_streams,
)
from tests.indexes import build_index
from tests.test_derived_open import _corpus


@pytest.mark.parametrize("history", ["fresh", "updated"])
def test_categories_add_up_to_the_generation(tmp_path: Path, history: str) -> None:
    build_index(tmp_path / "ix", _corpus(30), history)
    gen = generation_dir(tmp_path / "ix")
    sizes = audit(gen)
    assert sum(sizes.values()) == sum(p.stat().st_size for p in gen.rglob("*") if p.is_file())
    for category in ("postings", "stored fields", "term dictionary", "column facets", "stories"):
        assert sizes[category] > 0, category
    streams = postings_streams(gen)
    assert sum(streams.values()) == sizes["postings"]
    assert streams["exact: positions"] > 0 and streams["body: ids"] > 0
    fields = dictionary_fields(gen)
    assert fields["exact"] > 0 and fields["body"] > 0 and fields["id"] > 0
    assert sum(fields.values()) < sizes["term dictionary"]  # (the rest: directories, footers)


def test_exact_overlap_counts_what_the_stemmed_fields_hold(tmp_path: Path) -> None:
    """A word that is its own stem and the only form of it is derivable; another form of
    its stem in the segment (membanjiri: banjir) makes it not; stopwords are never."""
    from index_format.analysis import stem
    from tests.conftest import article

    assert stem("membanjiri") == "banjir" == stem("banjir") != stem("menggenangi")
    first = article("a", "Banjir besar", "Banjir datang lagi di kota.")
    got = {}
    for name, verb in (("alone", "menggenangi"), ("other form", "membanjiri")):
        corpus = [first, article("b", "Hujan deras", f"Air {verb} desa di hulu.")]
        build_index(tmp_path / name, corpus, "fresh")
        got[name] = exact_overlap(generation_dir(tmp_path / name))
    for counts in got.values():
        assert counts["stopwords: records"] > 0  # "di"
        assert 0 < counts["derivable: records"] < counts["exact: records"]
        assert counts["derivable: positions"] <= counts["pure postings: positions"]
        assert counts["pure postings: positions"] <= counts["exact: positions"]
    # Only "banjir" changes: derivable alone, not beside "membanjiri" (neither verb is its
    # own stem, so neither is derivable).
    assert got["other form"]["derivable: records"] < got["alone"]["derivable: records"]
    assert got["other form"]["exact: records"] == got["alone"]["exact: records"]
