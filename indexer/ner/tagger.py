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
        self._types: dict[tuple[str, bool], np.ndarray] = {}

    def _vectors(self, word: str, cased: bool) -> np.ndarray:
        """Rows: the word's own label scores, then its contribution at each neighbour offset."""
        key = (word, cased)
        rows = self._types.get(key)
        if rows is None:
            own, views = word_features(word, cased)
            get = self._attr.get
            # One padded index matrix, one gather, one sum: unknown features hit the zero row.
            groups = [own, *(views[prefix] for _, prefix in WINDOW)]
            width = max(len(g) for g in groups)
            ids = np.full((len(groups), width), -1, dtype=np.intp)
            for r, feats in enumerate(groups):
                ids[r, : len(feats)] = [get(f, -1) for f in feats]
            rows = self._w[ids].sum(axis=1)
            if len(self._types) > 300_000:
                self._types.clear()
            self._types[key] = rows
        return rows

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
        n_labels = len(self.labels)
        v = np.zeros((len(sentences), width, 1 + len(WINDOW), n_labels))
        vectors = []
        for words in sentences:
            cased = is_cased(words)
            vectors += [self._vectors(w, cased) for w in words]
        sent_ids = np.repeat(np.arange(len(sentences)), lengths)
        positions = np.concatenate([np.arange(n) for n in lengths])
        v[sent_ids, positions] = np.stack(vectors)
        # WINDOW is (-2, -1, +1, +2): word j's row r scores the token at j - offset. Padding
        # rows are zero, so they add nothing to real tokens.
        emit = v[:, :, 0] + self._bias
        emit[:, 2:] += v[:, :-2, 1]
        emit[:, 1:] += v[:, :-1, 2]
        emit[:, :-1] += v[:, 1:, 3]
        emit[:, :-2] += v[:, 2:, 4]
        emit[:, 0] += self._edge_before
        for s, n in enumerate(lengths):
            if n:
                emit[s, n - 1] += self._edge_after
        # Viterbi over all sentences at once; a sentence's final scores are kept at its end.
        lens = np.array(lengths)
        score = emit[:, 0]
        final = score.copy()
        back = np.zeros((len(sentences), width, n_labels), dtype=np.intp)
        trans = self._trans[None]
        for t in range(1, width):
            cand = score[:, :, None] + trans
            back[:, t] = cand.argmax(axis=1)
            score = cand.max(axis=1) + emit[:, t]
            ended = lens == t + 1
            if ended.any():
                final[ended] = score[ended]
        out: list[list[str]] = []
        labels = self.labels
        last = final.argmax(axis=1).tolist()
        back_rows = back.tolist()
        for s, n in enumerate(lengths):
            if not n:
                out.append([])
                continue
            path = [last[s]]
            rows = back_rows[s]
            for i in range(n - 1, 0, -1):
                path.append(rows[i][path[-1]])
            out.append([labels[k] for k in reversed(path)])
        return out


@lru_cache(maxsize=1)
def packaged_tagger() -> Tagger:
    """The model shipped in this package; read once per process."""
    return Tagger((resources.files("indexer.ner") / MODEL_RESOURCE).read_bytes())
