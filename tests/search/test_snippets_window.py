"""Snippets analyse a bounded window, found by a cheap substring scan, and stay escaped."""

from __future__ import annotations

from search.snippets import ANALYSED_CHARS, make_snippet

FILLER = "Warga <b>berkumpul</b> di balai desa. " * 200


def test_a_match_far_into_a_long_article_is_still_marked() -> None:
    body = FILLER + "Kebakaran hutan meluas ke Riau. " + FILLER
    assert len(body) > 4 * ANALYSED_CHARS
    out = make_snippet(body, frozenset({"bakar"}))
    assert '<mark class="hl t0">Kebakaran</mark>' in out
    assert "<b>" not in out and "&lt;b&gt;" in out


def test_no_match_gives_the_escaped_opening() -> None:
    out = make_snippet(FILLER, frozenset({"gempa"}))
    assert out.startswith("Warga &lt;b&gt;berkumpul&lt;/b&gt;")
    assert "<mark" not in out
