"""The tagger: the packaged model, its Viterbi and the scorer that `make eval-ner` prints."""

from __future__ import annotations

from importlib import resources

import pycrfsuite
import pytest

from indexer.ner.features import sequence_features
from indexer.ner.scoring import score
from indexer.ner.tagger import MODEL_RESOURCE, packaged_tagger

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
