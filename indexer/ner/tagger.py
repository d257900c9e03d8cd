"""Load the packaged CRF model and tag token sequences with it."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import pycrfsuite

from indexer.ner.features import sequence_features

MODEL_RESOURCE = "model.crfsuite"


class Tagger:
    """BIO tags (PER/ORG/LOC) for sentences of words."""

    def __init__(self, model: bytes) -> None:
        self._model = model  # crfsuite reads this buffer in place: keep it alive
        self._crf = pycrfsuite.Tagger()
        self._crf.open_inmemory(model)

    def tag(self, words: list[str]) -> list[str]:
        if not words:
            return []
        return list(self._crf.tag(sequence_features(words)))


@lru_cache(maxsize=1)
def packaged_tagger() -> Tagger:
    """The model shipped in this package; read once per process."""
    return Tagger((resources.files("indexer.ner") / MODEL_RESOURCE).read_bytes())
