"""The cheap per-article and per-name tests merge.py runs before its costlier rules: each must
hold wherever the rule it guards could match, or that rule would silently stop firing."""

from __future__ import annotations

import random

from indexer.ner.defined_acronyms import _BRACKETED_WORD
from indexer.ner.glued import _THREE_CAPITALS
from indexer.ner.lexicon import _ACRONYM_AFTER
from indexer.ner.merge import _ATHLETE_BEFORE, _BRACKET_NEXT, _SHORT_AFTER, _athletes
from indexer.ner.not_bodies import _MAKER_SCAN, _MAKER_THEN_NAME
from indexer.ner.refine import _TICKER_AFTER, _WORD_BEFORE, word_before
from indexer.ner.type_cues import _SOLO_SPORT

# Pieces of the texts the rules look for, and of texts they must not be fooled by.
PIECES = [
    *("tunggal", "Tunggal", "GANDA", "putra", "campuran", "pebulu", "Pebulutangkis", "tangkis"),
    *("petenis", "ATLET", "atletik", "pesepak", "bola", "peCatur", "pegolf", "ſ", "ı"),
    *("Jonatan", "Christie", "Indonesia", ",", " ", "  ", "\n", ".", "(", ")", "Tbk", "ANTM"),
    *("(Persero)", "Persero", "Bawaslu", "Antam", "KPK", "Toyota", "Calya", "-", "Mercedes-Benz"),
    *("GLA", "Honda", "x", "Yamaha"),
]


def _texts(n: int, seed: int = 3) -> list[str]:
    rnd = random.Random(seed)
    return ["".join(rnd.choices(PIECES, k=rnd.randint(1, 14))) for _ in range(n)]


def test_the_sport_words_gate_every_athlete_and_solo_sport_match() -> None:
    texts = _texts(20_000)
    matched = [t for t in texts if _ATHLETE_BEFORE.search(t) or _SOLO_SPORT.search(t)]
    assert len(matched) > 100  # the pieces do make such texts
    assert all(_athletes(t) for t in matched)
    assert not all(_athletes(t) for t in texts)  # (and the gate does turn texts away)


def test_a_bracket_follows_wherever_a_bracket_rule_matches() -> None:
    rules = (_ACRONYM_AFTER, _TICKER_AFTER, _BRACKETED_WORD, _SHORT_AFTER)
    hits = 0
    for text in _texts(4_000, seed=5):
        for at in range(len(text)):
            if any(rule.match(text, at) for rule in rules):
                hits += 1
                assert _BRACKET_NEXT.match(text, at), (text, at)
    assert hits > 100


def test_the_maker_scan_finds_a_maker_wherever_vehicle_models_would() -> None:
    texts = _texts(20_000, seed=7)
    matched = [t for t in texts if _MAKER_THEN_NAME.search(t)]
    assert len(matched) > 20
    assert all(_MAKER_SCAN.search(t) for t in matched)


def test_word_before_is_the_regex_it_replaces() -> None:
    """refine.word_before gives what _WORD_BEFORE.search over the 16 characters before a span
    gave, line breaks, tabs and other spaces included."""
    rnd = random.Random(2)
    pieces = ["a", "Bc", "UU", " ", "  ", "\t", "\n", "\r", "\u00a0", ".", "-", "Proyek", "\n\n"]
    found = 0
    for _ in range(50_000):
        text = "".join(rnd.choices(pieces, k=rnd.randint(0, 12)))
        start = rnd.randint(0, len(text))
        m = _WORD_BEFORE.search(text, max(0, start - 16), start)
        assert word_before(text, start) == (m.group(1) if m else None), (text, start)
        found += m is not None
    assert found > 1_000  # (the texts do have words before their ends)


def test_a_title_case_span_holds_no_country_code() -> None:
    """cut_at_country_code skips spans in Title Case: no three capitals can stand together."""
    rnd = random.Random(4)
    pieces = ["Joko", "WNI", "ABC", "Ab", "aB", "x", "1", "É", " ", "-", "ǅ", "Σ", "AB", "'", "’"]
    texts = ["".join(rnd.choices(pieces, k=rnd.randint(1, 8))) for _ in range(50_000)]
    titled = [t for t in texts if t.istitle()]
    assert len(titled) > 1_000
    assert not any(_THREE_CAPITALS.search(t) for t in titled)
