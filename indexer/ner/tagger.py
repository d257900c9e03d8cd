"""Load the packaged CRF model and tag token sequences with it."""

from __future__ import annotations

import os
import tempfile
from functools import lru_cache
from importlib import resources
from itertools import repeat
from typing import cast

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
        # Scored word types, one table per casing: {word: row of _typemat}.
        self._types: dict[bool, dict[str, int]] = {True: {}, False: {}}
        self._n_types = 1  # row 0 stays zero: the padding between sentences
        self._typemat = np.zeros((4096, 1 + len(WINDOW), n))
        # One extra label, START, holds the padding before a sentence: from it every label
        # starts free (transition 0), and no real token can take it. Sentences are then
        # right-aligned in one batch with one fixed transition matrix.
        self._trans_start = np.full((n + 1, n + 1), -np.inf)
        self._trans_start[:n, :n] = self._trans
        self._trans_start[n, :] = 0.0
        self._names = np.array(self.labels, dtype=object)

    def _score_types(self, words: list[str], cased: bool) -> None:
        """Give each new word a row of `_typemat`: its own label scores and what it adds to
        each neighbour (one row per WINDOW offset)."""
        table = self._types[cased]
        get = self._attr.get
        new = list(dict.fromkeys(w for w in words if w not in table))
        # Feature ids of all new words in one flat list, one gather and one segmented sum;
        # unknown features hit the zero row (-1). No group is empty (the word is in each).
        flat: list[int] = []
        bounds: list[int] = []
        for word in new:
            own, views = word_features(word, cased)
            for feats in (own, *(views[prefix] for _, prefix in WINDOW)):
                bounds.append(len(flat))
                flat += map(get, feats, repeat(-1))
        scores = np.add.reduceat(self._w[flat], bounds, axis=0)
        first = self._n_types
        self._n_types += len(new)
        while self._n_types > len(self._typemat):
            grown = np.zeros((2 * len(self._typemat), *self._typemat.shape[1:]))
            grown[:first] = self._typemat[:first]
            self._typemat = grown
        self._typemat[first : self._n_types] = scores.reshape(len(new), 1 + len(WINDOW), -1)
        for k, word in enumerate(new, first):
            table[word] = k

    def clear_cache(self) -> None:
        """Forget the scored word types (to time tagging from a cold start)."""
        for table in self._types.values():
            table.clear()
        self._n_types = 1
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
        if self._n_types >= _MAX_TYPES:  # between calls: ids below stay valid in this one
            self.clear_cache()
        # All tokens in one row, each sentence followed by two zero rows so that neighbour
        # scores never cross a sentence end.
        type_ids: list[int] = []
        for words in sentences:
            cased = is_cased(words)
            table = self._types[cased]
            ids = list(map(table.get, words))
            if None in ids:
                self._score_types(words, cased)
                type_ids += map(table.__getitem__, words)
            else:
                type_ids += cast(list[int], ids)
            type_ids += (0, 0)
        v = self._typemat[type_ids]
        # WINDOW is (-2, -1, +1, +2): word j's row r scores the token at j - offset.
        emit = v[:, 0] + self._bias
        emit[2:] += v[:-2, 1]
        emit[1:] += v[:-1, 2]
        emit[:-1] += v[1:, 3]
        emit[:-2] += v[2:, 4]
        lens = np.array(lengths)
        first = np.cumsum(lens + 2) - lens - 2  # each sentence's first token in the row
        real = lens > 0
        emit[first[real]] += self._edge_before
        emit[(first + lens - 1)[real]] += self._edge_after
        # Right-aligned, time-major: sentence s's token i sits at step width - len + i.
        steps = np.full((width, n_sent, n_labels + 1), -np.inf)
        steps[:, :, n_labels] = 0.0  # padding: START only
        tok = np.arange(len(type_ids))
        sent = np.repeat(np.arange(n_sent), lens + 2)
        pos = tok - first[sent]
        keep = pos < lens[sent]
        step = (width - lens[sent] + pos)[keep]
        steps[step, sent[keep], :n_labels] = emit[keep]
        steps[step, sent[keep], n_labels] = -np.inf
        trans = self._trans_start
        score = steps[0]
        back = np.empty((width, n_sent, n_labels + 1), dtype=np.intp)
        for t in range(1, width):
            cand = score[:, :, None] + trans
            back[t] = cand.argmax(axis=1)
            score = cand.max(axis=1) + steps[t]
        path = np.empty((width, n_sent), dtype=np.intp)
        path[-1] = score.argmax(axis=1)
        rows = np.arange(n_sent)
        for t in range(width - 1, 0, -1):
            path[t - 1] = back[t, rows, path[t]]
        names = self._names[np.minimum(path.T, n_labels - 1)].tolist()
        return [names[s][width - n :] if n else [] for s, n in enumerate(lengths)]


@lru_cache(maxsize=1)
def packaged_tagger() -> Tagger:
    """The model shipped in this package; read once per process."""
    return Tagger((resources.files("indexer.ner") / MODEL_RESOURCE).read_bytes())
