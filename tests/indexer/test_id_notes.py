"""Ids with an int each, in arrays (indexer.id_notes): what a rebuild's parent holds an entry
an article of (where each id last occurs, when each id first entered the index). A lookup
must answer exactly as a dict would, when hashes collide too."""

from __future__ import annotations

import random

import pytest

from indexer import id_notes
from indexer.id_notes import IdNotes

IDS = ["a", "b", "berita-1", "berita-10", "Ā-ünïcode", "", "b ", "a" * 300]


def _noted(pairs: list[tuple[str, int]]) -> IdNotes:
    notes = IdNotes()
    for doc_id, value in pairs:
        notes.note(doc_id, value)
    return notes


def _assert_as_dict(pairs: list[tuple[str, int]]) -> None:
    want = dict(pairs)  # (a later note of an id stands)
    notes = _noted(pairs)
    assert len(notes) == len(want)
    for doc_id in {*IDS, *want, "missing", "berita-100"}:
        assert notes.value(doc_id) == want.get(doc_id)
        assert (doc_id in notes) == (doc_id in want)


def test_a_lookup_answers_as_a_dict_the_last_note_standing() -> None:
    rng = random.Random(5)
    pairs = [(rng.choice(IDS), rng.randrange(-(2**40), 2**40)) for _ in range(200)]
    _assert_as_dict(pairs)
    _assert_as_dict([])


def test_colliding_hashes_are_told_apart_by_their_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(id_notes, "hash", lambda _: 7, raising=False)
    _assert_as_dict([(doc_id, i) for i, doc_id in enumerate(IDS)] + [("b", 99), ("a", -1)])


def test_notes_after_a_lookup_are_found() -> None:
    notes = _noted([("a", 1)])
    assert notes.value("a") == 1 and notes.value("b") is None
    notes.note("b", 2)
    notes.note("a", 3)
    assert (notes.value("a"), notes.value("b"), len(notes)) == (3, 2, 2)
