"""The tagger: the packaged model, its Viterbi and the scorer that `make eval-ner` prints."""

from __future__ import annotations

import random
from importlib import resources
from pathlib import Path

import numpy as np
import pycrfsuite
import pytest

from indexer.ner.features import (
    WINDOW,
    FeatureIds,
    _shape,
    is_cased,
    sequence_features,
    word_features,
)
from indexer.ner.scoring import score, spans
from indexer.ner.tagger import MODEL_RESOURCE, dump_weights, packaged_tagger
from indexer.ner.tokenize import words_and_starts

TEXTS = (
    "Presiden Joko Widodo meresmikan Bendungan Sei Gong di Batam , Kepulauan Riau .",
    "",
    "Jakarta",
    "menteri luar negeri retno marsudi bertemu antony blinken di washington",
    "KPK memeriksa Gubernur Papua Lukas Enembe pada Senin ( 12/9 ) .",
    "Kassym-Jomart Tokayev",
)
SENTENCES = [text.split() for text in TEXTS]


def test_batched_viterbi_gives_crfsuites_own_paths() -> None:
    model = (resources.files("indexer.ner") / MODEL_RESOURCE).read_bytes()
    reference = pycrfsuite.Tagger()
    reference.open_inmemory(model)
    expected = [list(reference.tag(sequence_features(w))) if w else [] for w in SENTENCES]
    tagger = packaged_tagger()
    assert tagger.tag_sentences(SENTENCES) == expected
    assert [tagger.tag(w) for w in SENTENCES] == expected
    reference.close()


def test_tagger_finds_people_and_places() -> None:
    tags = packaged_tagger().tag(SENTENCES[0])
    assert tags[1:3] == ["B-PER", "I-PER"]
    assert tags[8] == "B-LOC"


@pytest.mark.parametrize(
    ("gold", "pred", "f1"),
    [
        ([["B-PER", "I-PER", "O"]], [["B-PER", "I-PER", "O"]], 1.0),
        ([["B-PER", "I-PER", "O"]], [["B-PER", "O", "O"]], 0.0),  # a partial span is wrong
        ([["B-PER", "O", "B-LOC"]], [["B-PER", "O", "B-ORG"]], 0.5),  # so is a wrong label
    ],
)
def test_scorer_counts_exact_spans_only(
    gold: list[list[str]], pred: list[list[str]], f1: float
) -> None:
    assert score(gold, pred).prf()[2] == pytest.approx(f1)


def test_feature_ids_are_the_ids_of_word_features() -> None:
    """The tagger scores new words through FeatureIds; it must name exactly the features
    word_features builds (the model was trained on those), in the same order."""
    tagger = packaged_tagger()
    attr = tagger._attr
    fast = FeatureIds(attr)
    seeds = Path(__file__).resolve().parents[3] / "shared" / "seeds"
    words = {w for s in SENTENCES for w in s}
    for path in sorted(seeds.glob("*.txt")):
        words.update(words_and_starts(path.read_text(encoding="utf-8"))[0])
    # Odd ones: "=" inside a word, one letter, non-ASCII shapes and digits, hyphens, shouting.
    words.update(["=", "a=b", "x", "A", "ÉCOLE", "İstanbul", "٣٣", "Kassym-Jomart", "COVID-19"])
    for cased in (True, False):
        for word in sorted(words):
            own, views = word_features(word, cased)
            groups = [own, *(views[prefix] for _, prefix in WINDOW)]
            expected = [[attr.get(f, -1) for f in group] for group in groups]
            assert list(fast(word, cased)) == expected, (word, cased)


def test_spans_read_the_tags_as_the_scorer_does(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tagger.spans (what extract_entities uses) finds, over many sentences at once, the
    entities scoring.spans finds in each: stray I- tags, type changes, sentence ends."""
    tagger = packaged_tagger()
    rng = random.Random(7)
    lengths = [rng.choice((0, 1, 2, 5, 9)) for _ in range(300)]
    ids = [rng.randrange(len(tagger.labels)) for _ in range(sum(lengths))]
    rows = np.zeros(len(ids), dtype=np.intp)
    monkeypatch.setattr(tagger, "_label_ids", lambda sentences: (np.array(ids), rows))
    sentences = [["w"] * n for n in lengths]
    labels, firsts, ends, outside, _ = tagger.spans(sentences)
    expected: list[tuple[str, int, int]] = []
    at = 0
    for n in lengths:
        tags = [tagger.labels[i] for i in ids[at : at + n]]
        expected += sorted(((lab, at + a, at + b) for lab, a, b in spans(tags)), key=lambda s: s[1])
        at += n
    assert list(zip(labels, firsts, ends, strict=True)) == expected
    assert any(tagger.labels[ids[f]].startswith("I-") for f in firsts)  # stray I- tags met
    assert outside.tolist() == [tagger.labels[i] == "O" for i in ids]


@pytest.mark.parametrize(
    ("word", "shape"),
    [
        ("jakarta", "x"),
        ("Jakarta", "Xx"),
        ("KPK", "X"),
        ("A", "X"),
        ("a", "x"),
        ("iPhone", "xXx"),
        ("McDonald", "XxXx"),
        ("COVID-19", "X-d"),
        ("Kassym-Jomart", "Xx-Xx"),
        ("aBcDeFgH", "xXxXxX"),  # at most 6 long
        ("ÉCOLE", "ÉX"),  # non-ASCII letters keep themselves, as the regexes had it
        ("12/9", "d/d"),
    ],
)
def test_word_shape(word: str, shape: str) -> None:
    assert _shape(word) == shape


@pytest.mark.parametrize(
    ("words", "cased"),
    [
        ([], False),
        (["menteri", "luar", "negeri"], False),
        (["menteri", "Luar"], True),
        (["12/9", "-", "."], False),
        (["ς"], False),  # a final small sigma lower-cases to itself
        (["ΑΣ"], True),
        (["σ", "Σ"], True),
    ],
)
def test_a_sentence_is_cased_when_a_word_has_a_capital(words: list[str], cased: bool) -> None:
    assert is_cased(words) is cased


def test_model_weights_are_read_as_pycrfsuite_reads_them(tmp_path: Path) -> None:
    """The tagger parses crfsuite's model dump itself (faster); it must read the same weights,
    in the same order, as pycrfsuite's own parser."""
    path = tmp_path / "model.crfsuite"
    path.write_bytes((resources.files("indexer.ner") / MODEL_RESOURCE).read_bytes())
    crf = pycrfsuite.Tagger()
    crf.open(str(path))
    try:
        info = crf.info()
        transitions, state_features = dump_weights(crf)
    finally:
        crf.close()
    assert len(state_features) > 10_000
    assert [((a, b), w) for a, b, w in transitions] == list(info.transitions.items())
    assert [((a, b), w) for a, b, w in state_features] == list(info.state_features.items())


def test_type_flags_give_each_tokens_word_its_flag() -> None:
    """Tagger.type_flags by the rows Tagger.spans gives each token is the predicate of that
    token's word, over batches that bring new word types and after the type cache is cleared
    (a cold rebuild worker, or one past the cache's limit)."""
    tagger = packaged_tagger()

    def capitalised(word: str) -> bool:
        return word[:1].isupper()

    batches = [
        [["Presiden", "Joko", "Widodo", "tiba", "di", "Batam", "."], ["menteri", "datang"]],
        [["Zyxqvw", "bertemu", "Qwzyx", "di", "Vwxqz", "."], ["Batam", "ramai"]],
    ]
    for clear in (False, True, False):
        if clear:
            tagger.clear_cache()
        for sentences in batches:
            rows = tagger.spans(sentences)[4]
            words = [w for sentence in sentences for w in sentence]
            flags = tagger.type_flags("capitalised", capitalised)[rows]
            assert flags.tolist() == [capitalised(w) for w in words]
            assert any(flags) and not all(flags)
