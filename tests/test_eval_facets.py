"""bench/eval_facets.py judges a duplicate against what the facet list shows: the value its
label names may have been merged into another one by the index, and the duplicate is one
while that other value is listed beside it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from bench.eval_facets import dup_targets, read_index, score
from tests.conftest import article

# Labels as bench/facet_labels.tsv holds them: (query or *, facet, value) → label.
LABELS = {
    ("*", "person", "Airlangga Hartarto"): "right",
    ("*", "person", "Menko Airlangga"): "dup:Airlangga Hartaro",
    ("*", "person", "Bahlil Lahadalia"): "right",
}


def _articles() -> list:
    """Three articles write Airlangga Hartarto, one misspells him (the archive merges the
    misspelling into the far commoner spelling), one writes him with his title glued."""
    body = "Menteri Koordinator Perekonomian berbicara tentang industri nasional."
    out = [
        article(f"a{i}", "Industri", body, person=("Airlangga Hartarto", "Bahlil Lahadalia"))
        for i in range(4)
    ]
    out.append(article("b1", "Industri", body, person=("Airlangga Hartaro",)))
    out.append(article("b2", "Industri", body, person=("Menko Airlangga",)))
    return out


def _kinds(report: dict) -> dict[str, str]:
    return {value: kind for _, _, _, value, kind in report["wrong"]}


def test_a_duplicate_of_a_merged_name_is_judged_against_the_name_shown(
    make_index: Callable[..., Path],
) -> None:
    index_dir = make_index(_articles())
    tops, shown = read_index(index_dir, ["industri"], dup_targets(LABELS))
    listed = tops["industri"]["person"]
    # The index merged the misspelling: the page lists one Airlangga Hartarto and the glued form.
    assert "Airlangga Hartaro" not in listed
    assert {"Airlangga Hartarto", "Menko Airlangga"} <= set(listed)
    assert shown["person"]["Airlangga Hartaro"] == "Airlangga Hartarto"

    # What the page shows: the glued form stands beside the name its label's value became.
    followed = score(tops, LABELS, 30, shown)
    assert _kinds(followed) == {"Menko Airlangga": "dup"}
    assert followed["facets"]["person"]["p@30"] == round(2 / 3, 3)
    assert followed["dups_in_top10"] == [["industri", "person", 3, "Menko Airlangga"]]
    # As written (the scorer before): the misspelling is listed nowhere, so the dup looked right.
    assert _kinds(score(tops, LABELS, 30)) == {}


def test_a_duplicate_is_right_once_its_other_name_is_merged_into_it_or_listed_nowhere() -> None:
    tops = {
        "q": {"person": ["Joko Widodo", "Jokowi Tinjau", "Iriana"], "organisation": [], "place": []}
    }
    labels = {
        ("*", "person", "Joko Widodo"): "dup:Jokowi",
        ("*", "person", "Jokowi Tinjau"): "junk",
        ("*", "person", "Iriana"): "dup:Iriana Joko Widodo",
    }
    # Jokowi was merged into Joko Widodo itself; Iriana's other form is no value at all.
    shown: dict[str, dict[str, str | None]] = {
        "person": {"Jokowi": "Joko Widodo", "Iriana Joko Widodo": None}
    }
    assert _kinds(score(tops, labels, 30, shown)) == {"Jokowi Tinjau": "junk"}
