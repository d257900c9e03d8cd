"""Load the packaged CRF model and tag token sequences with it."""

from __future__ import annotations

import os
import tempfile
from functools import lru_cache
from importlib import resources

import numpy as np
import pycrfsuite

from indexer.ner.features import WINDOW, is_cased, word_features

MODEL_RESOURCE = "model.crfsuite"
_MAX_TYPES = 300_000  # word types scored and kept; past that the cache starts again


class Tagger:
    """BIO tags (PER/ORG/LOC) for sentences of words: a linear-chain CRF's Viterbi path.

    crfsuite trains the model; tagging runs here because a token's label scores are a sum of
    per-word-type vectors (its own features plus what its neighbours contribute), so each
    word type is scored once and a sentence costs a few array additions and a small Viterbi.
    This gives the same path as crfsuite's own tagger, several times faster.
    """

    def __init__(self, model: bytes) -> None:
        crf = pycrfsuite.Tagger()
        # crfsuite's model dump needs a file; the bytes come from the package.
        fd, path = tempfile.mkstemp(suffix=".crfsuite")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(model)
            crf.open(path)
            info = crf.info()
            self.labels: list[str] = list(crf.labels())
        finally:
            crf.close()
            os.unlink(path)
        index = {label: i for i, label in enumerate(self.labels)}
        n = len(self.labels)
        self._attr: dict[str, int] = {}
        rows: list[np.ndarray] = []
        for (attr, label), weight in info.state_features.items():
            k = self._attr.get(attr)
            if k is None:
                k = self._attr[attr] = len(rows)
                rows.append(np.zeros(n))
            rows[k][index[label]] = weight
        rows.append(np.zeros(n))  # row -1: what an unknown feature weighs
        self._w = np.stack(rows)
        self._trans = np.zeros((n, n))
        for (a, b), weight in info.transitions.items():
            self._trans[index[a], index[b]] = weight
        self._bias = self._w[self._attr.get("bias", -1)]
        self._edge_before = self._w[self._attr.get("-1=EDGE", -1)]
        self._edge_after = self._w[self._attr.get("+1=EDGE", -1)]
        self._types: dict[tuple[str, bool], int] = {}
        self._typemat = np.zeros((4096, 1 + len(WINDOW), n))
        self._keep = np.full((n, n), -np.inf)
        np.fill_diagonal(self._keep, 0.0)
        self._names = np.array(self.labels, dtype=object)

    def _type_id(self, word: str, cased: bool) -> int:
        """Row of `_typemat` holding the word's own label scores and what it adds to each
        neighbour (one row per WINDOW offset); scored on first sight."""
        key = (word, cased)
        k = self._types.get(key)
        if k is None:
            own, views = word_features(word, cased)
            get = self._attr.get
            # One padded index matrix, one gather, one sum: unknown features hit the zero row.
            groups = [own, *(views[prefix] for _, prefix in WINDOW)]
            width = max(len(g) for g in groups)
            ids = np.full((len(groups), width), -1, dtype=np.intp)
            for r, feats in enumerate(groups):
                ids[r, : len(feats)] = [get(f, -1) for f in feats]
            k = self._types[key] = len(self._types)
            if k >= len(self._typemat):
                grown = np.zeros((2 * len(self._typemat), *self._typemat.shape[1:]))
                grown[:k] = self._typemat[:k]
                self._typemat = grown
            self._typemat[k] = self._w[ids].sum(axis=1)
        return k

    def clear_cache(self) -> None:
        """Forget the scored word types (to time tagging from a cold start)."""
        self._types.clear()
        word_features.cache_clear()

    def tag(self, words: list[str]) -> list[str]:
        return self.tag_sentences([words])[0]

    def tag_sentences(self, sentences: list[list[str]]) -> list[list[str]]:
        """Tags for each sentence; an article's sentences share one batched Viterbi pass."""
        lengths = [len(words) for words in sentences]
        width = max(lengths, default=0)
        if width == 0:
            return [[] for _ in sentences]
        n_sent, n_labels = len(sentences), len(self.labels)
        if len(self._types) >= _MAX_TYPES:  # between calls: ids below stay valid in this one
            self._types.clear()
        type_ids: list[int] = []
        for words in sentences:
            cased = is_cased(words)
            type_ids += [self._type_id(w, cased) for w in words]
        lens = np.array(lengths)
        pad = np.arange(width)[None, :] >= lens[:, None]
        v = np.zeros((n_sent, width, 1 + len(WINDOW), n_labels))
        v[~pad] = self._typemat[type_ids]  # row-major order of ~pad is sentence, position
        # WINDOW is (-2, -1, +1, +2): word j's row r scores the token at j - offset.
        emit = v[:, :, 0] + self._bias
        emit[:, 2:] += v[:, :-2, 1]
        emit[:, 1:] += v[:, :-1, 2]
        emit[:, :-1] += v[:, 1:, 3]
        emit[:, :-2] += v[:, 2:, 4]
        emit[:, 0] += self._edge_before
        emit[np.arange(n_sent), np.maximum(lens - 1, 0)] += self._edge_after
        # Past a sentence's end every label keeps its score (no emission, identity
        # transitions), so all sentences run one Viterbi pass and end at the same step.
        emit[pad] = 0.0
        trans = np.where(pad[:, :, None, None], self._keep, self._trans)
        score = emit[:, 0]
        back = np.zeros((n_sent, width, n_labels), dtype=np.intp)
        for t in range(1, width):
            cand = score[:, :, None] + trans[:, t]
            back[:, t] = cand.argmax(axis=1)
            score = cand.max(axis=1) + emit[:, t]
        path = np.empty((n_sent, width), dtype=np.intp)
        path[:, -1] = score.argmax(axis=1)
        rows = np.arange(n_sent)
        for t in range(width - 1, 0, -1):
            path[:, t - 1] = back[rows, t, path[:, t]]
        names = self._names[path].tolist()
        return [names[s][:n] for s, n in enumerate(lengths)]


@lru_cache(maxsize=1)
def packaged_tagger() -> Tagger:
    """The model shipped in this package; read once per process."""
    return Tagger((resources.files("indexer.ner") / MODEL_RESOURCE).read_bytes())
