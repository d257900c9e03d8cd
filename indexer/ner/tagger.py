"""Load the packaged CRF model and tag token sequences with it."""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable
from functools import lru_cache
from importlib import resources
from itertools import accumulate, chain, compress, repeat
from operator import is_
from pathlib import Path
from typing import cast

import numpy as np
import pycrfsuite

from indexer.ner.features import WINDOW, FeatureIds, is_cased, word_features

MODEL_RESOURCE = "model.crfsuite"
_MAX_TYPES = 300_000  # word types scored and kept; past that the cache starts again
_OUTSIDE, _BEGIN, _INSIDE = 0, 1, 2
_KINDS = {"O": _OUTSIDE, "B": _BEGIN, "I": _INSIDE}


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
            transitions, state_features = dump_weights(crf)
            self.labels: list[str] = list(crf.labels())
        finally:
            crf.close()
            os.unlink(path)
        index = {label: i for i, label in enumerate(self.labels)}
        n = len(self.labels)
        # Each attribute's row in the order the model first names it; the last row, all zero,
        # is what an unknown feature (id -1) weighs.
        attrs = [attr for attr, _, _ in state_features]
        self._attr: dict[str, int] = {attr: k for k, attr in enumerate(dict.fromkeys(attrs))}
        self._w = np.zeros((len(self._attr) + 1, n))
        self._w[
            list(map(self._attr.__getitem__, attrs)),
            [index[label] for _, label, _ in state_features],
        ] = [weight for _, _, weight in state_features]
        self._trans = np.zeros((n, n))
        for a, b, weight in transitions:
            self._trans[index[a], index[b]] = weight
        self._trans_t = np.ascontiguousarray(self._trans.T)  # [to, from], for the Viterbi
        self._feature_ids = FeatureIds(self._attr)  # word_features as ids, no strings
        self._bias = self._w[self._attr.get("bias", -1)]
        self._edge_before = self._w[self._attr.get("-1=EDGE", -1)]
        self._edge_after = self._w[self._attr.get("+1=EDGE", -1)]
        # Scored word types, one table per casing: {word: row of _typemat}. _typemat[0] holds
        # each type's own label scores, _typemat[1 + j] what it adds to the token at WINDOW[j]
        # from it: a contiguous table per offset, so each is gathered with one take().
        self._types: dict[bool, dict[str, int]] = {True: {}, False: {}}
        self._n_types = 1  # row 0 stays zero: the padding between sentences
        self._row_words = [""]  # each row's word
        self._flags: dict[str, np.ndarray] = {}  # type_flags' arrays, by name
        self._typemat = np.zeros((1 + len(WINDOW), 4096, n))
        self._names = np.array(self.labels, dtype=object)
        # Per label: B, I or O, and its type as a code (0 for O) with the type names by code.
        self._kind = np.array([_KINDS[label[0]] for label in self.labels], dtype=np.int8)
        types = sorted({label[2:] for label in self.labels if label != "O"})
        self._type_names = np.array(["", *types], dtype=object)
        self._kind_type = np.array(
            [0 if label == "O" else 1 + types.index(label[2:]) for label in self.labels],
            dtype=np.int8,
        )

    def _score_types(self, words: list[str], cased: bool) -> None:
        """Give each new word a row of `_typemat`: its own label scores and what it adds to
        each neighbour (one row per WINDOW offset)."""
        table = self._types[cased]
        new = list(dict.fromkeys(w for w in words if w not in table))
        if not new:
            return
        # Feature ids of all new words in one flat list, one gather and one segmented sum;
        # unknown features hit the zero row (-1). No group is empty (the word is in each).
        extend = self._feature_ids.extend
        flat: list[int] = []
        sizes: list[int] = []
        for word in new:
            sizes += extend(flat, word, cased)
        bounds = list(accumulate(sizes, initial=0))
        bounds.pop()
        scores = np.add.reduceat(self._w.take(flat, axis=0), bounds, axis=0)
        first = self._n_types
        self._n_types += len(new)
        while self._n_types > self._typemat.shape[1]:
            rows, capacity, n = self._typemat.shape
            grown = np.zeros((rows, 2 * capacity, n))
            grown[:, :first] = self._typemat[:, :first]
            self._typemat = grown
        by_offset = scores.reshape(len(new), 1 + len(WINDOW), -1).transpose(1, 0, 2)
        self._typemat[:, first : self._n_types] = by_offset
        for k, word in enumerate(new, first):
            table[word] = k
        self._row_words += new

    def clear_cache(self) -> None:
        """Forget the scored word types (to time tagging from a cold start)."""
        for table in self._types.values():
            table.clear()
        self._n_types = 1
        del self._row_words[1:]
        self._flags.clear()
        word_features.cache_clear()

    def type_flags(self, name: str, predicate: Callable[[str], bool]) -> np.ndarray:
        """`predicate` of each scored word type's word, by row (the rows `spans` gives each
        token): worked out once per type, as the types are, instead of once per token. `name`
        tells callers' predicates apart."""
        flags = self._flags.get(name)
        done = 0 if flags is None else len(flags)
        if flags is None or done < self._n_types:
            new = np.fromiter(
                map(predicate, self._row_words[done : self._n_types]),
                dtype=bool,
                count=self._n_types - done,
            )
            flags = self._flags[name] = new if flags is None else np.concatenate((flags, new))
        return flags

    def tag(self, words: list[str]) -> list[str]:
        return self.tag_sentences([words])[0]

    def _type_ids(self, sentences: list[list[str]], lens: np.ndarray) -> np.ndarray:
        """Rows of `_typemat` for all tokens in one array, each sentence followed by two zero
        rows so that neighbour scores never cross a sentence end. The tokens of each casing
        are looked up in one pass over the chunk (no list per sentence); new word types are
        scored together, one call per casing, in the order the tokens first name them."""
        casings = list(map(is_cased, sentences))
        n_tokens = int(lens.sum())
        # Each token's place in the padded sequence: its index plus two per sentence before.
        at = np.arange(n_tokens) + np.repeat(2 * np.arange(len(sentences)), lens)
        type_ids = np.zeros(n_tokens + 2 * len(sentences), dtype=np.intp)
        if all(casings):
            groups = [(True, list(chain.from_iterable(sentences)), at)]
        else:
            cased_token = np.repeat(np.array(casings, dtype=bool), lens)
            groups = [
                (
                    cased,
                    list(chain.from_iterable(compress(sentences, (c is cased for c in casings)))),
                    at[cased_token if cased else ~cased_token],
                )
                for cased in (True, False)
            ]
        looked = [
            (cased, words, list(map(self._types[cased].get, words))) for cased, words, _ in groups
        ]
        for cased, words, rows in looked:  # (scoring gives new rows; old ones stay)
            if None in rows:
                self._score_types(
                    list(dict.fromkeys(compress(words, map(is_, rows, repeat(None))))), cased
                )
        for (cased, words, rows), (_, _, where) in zip(looked, groups, strict=True):
            if None in rows:
                rows = list(map(self._types[cased].__getitem__, words))
            type_ids[where] = cast(list[int], rows)  # (no None left)
        return type_ids

    def tag_sentences(self, sentences: list[list[str]]) -> list[list[str]]:
        """Tags for each sentence; all of them share one batched Viterbi pass, so a caller
        with many texts (a rebuild worker's chunk) should pass all their sentences at once."""
        names = self._names[self.label_ids(sentences)].tolist()
        out: list[list[str]] = []
        at = 0
        for words in sentences:
            out.append(names[at : at + len(words)])
            at += len(words)
        return out

    def spans(
        self, sentences: list[list[str]]
    ) -> tuple[list[str], list[int], list[int], np.ndarray, np.ndarray]:
        """The entities of the sentences' BIO tags, as `scoring.spans` reads them (a stray I-
        opens one), in reading order over all the sentences' tokens taken as one sequence:
        (labels, first tokens, last tokens + 1, which tokens are tagged O, and each token's
        word-type row for `type_flags`; valid until the next call)."""
        ids, rows = self._label_ids(sentences)
        kind, kind_type = self._kind[ids], self._kind_type[ids]
        # A token's type code: 0 for O; an I- continues the previous token's entity when that
        # token is in the same sentence and has the same type.
        prev = np.zeros_like(kind_type)
        prev[1:] = kind_type[:-1]
        lens = np.fromiter(map(len, sentences), dtype=np.intp, count=len(sentences))
        firsts = np.cumsum(lens) - lens
        prev[firsts[lens > 0]] = 0
        inside = kind == _INSIDE
        opens = (kind == _BEGIN) | (inside & (prev != kind_type))
        goes_on = inside & ~opens  # the token continues the entity before it
        closes = kind != _OUTSIDE
        closes[:-1] &= ~goes_on[1:]
        first = np.flatnonzero(opens)
        labels = self._type_names[kind_type[first]].tolist()
        ends = (np.flatnonzero(closes) + 1).tolist()
        return labels, first.tolist(), ends, kind == _OUTSIDE, rows

    def label_ids(self, sentences: list[list[str]]) -> np.ndarray:
        """Each token's tag as an index into `labels`, the sentences' tokens in one array."""
        return self._label_ids(sentences)[0]

    def _label_ids(self, sentences: list[list[str]]) -> tuple[np.ndarray, np.ndarray]:
        """`label_ids`, and each token's row of `_typemat` (its word type)."""
        lengths = [len(words) for words in sentences]
        width = max(lengths, default=0)
        if width == 0:
            return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.intp)
        if self._n_types >= _MAX_TYPES:  # between calls: ids below stay valid in this one
            self.clear_cache()
        lens = np.array(lengths)
        type_ids = self._type_ids(sentences, lens)
        # WINDOW is (-2, -1, +1, +2): word j's table for an offset scores the token at
        # j - offset, the token that has word j as its previous-but-one word, and so on.
        own, as_prev2, as_prev1, as_next1, as_next2 = self._typemat
        emit = own.take(type_ids, axis=0)
        emit += self._bias
        emit[2:] += as_prev2.take(type_ids[:-2], axis=0)
        emit[1:] += as_prev1.take(type_ids[:-1], axis=0)
        emit[:-1] += as_next1.take(type_ids[1:], axis=0)
        emit[:-2] += as_next2.take(type_ids[2:], axis=0)
        first = np.cumsum(lens + 2) - lens - 2  # each sentence's first token in the row
        real = lens > 0
        emit[first[real]] += self._edge_before
        emit[(first + lens - 1)[real]] += self._edge_after
        # Viterbi over all sentences at once, longest first and left-aligned: at step t the
        # sentences still running are a prefix of that order (`active[t]` of them), so every
        # step works on slices, and no step touches padding. Step t's rows are laid out one
        # after another from `offset[t]`; a token's row is offset[position] + its sentence's
        # rank in that order.
        n_sent = len(sentences)
        order = sorted(range(n_sent), key=lengths.__getitem__, reverse=True)
        rank = np.empty(n_sent, dtype=np.intp)
        rank[order] = np.arange(n_sent)
        active = np.bincount(lens, minlength=width + 1)[::-1].cumsum()[::-1][1:]
        offset = np.concatenate(([0], np.cumsum(active)))
        tok = np.arange(len(type_ids))
        sent = np.repeat(np.arange(n_sent), lens + 2)
        pos = tok - first[sent]
        keep = pos < lens[sent]
        row = offset[pos[keep]] + rank[sent[keep]]
        steps = np.empty((int(offset[-1]), len(self.labels)))
        steps[row] = emit[keep]
        n_labels = len(self.labels)
        back = np.empty((int(offset[-1]), n_labels), dtype=np.int8)
        last = np.empty(n_sent, dtype=np.intp)  # each sentence's best final label, by rank
        ks, offs = active.tolist(), offset.tolist()
        # cand[s, j, i]: sentence s's score of label j after label i. Reducing over the last,
        # contiguous axis and gathering the maximum's own element (cand.ravel()[flat + best])
        # is faster than max and argmax over a middle axis this short; the same floats.
        flat = (np.arange(n_sent) * n_labels)[:, None] + np.arange(n_labels)
        flat *= n_labels
        trans = self._trans_t
        score = steps[: ks[0]]
        for t in range(1, width):
            k, ended = ks[t], ks[t - 1]
            if k < ended:  # sentences that ended at step t - 1
                last[k:ended] = score[k:].argmax(axis=1)
                score = score[:k]
            cand = score[:, None, :] + trans
            best = cand.argmax(axis=2)
            back[offs[t] : offs[t] + k] = best
            best += flat[:k]
            score = cand.ravel()[best]
            score += steps[offs[t] : offs[t] + k]
        last[: ks[-1]] = score.argmax(axis=1)
        path = np.empty(offs[-1], dtype=np.intp)
        path[offs[-2] :] = last[: ks[-1]]
        rows = np.arange(n_sent)
        for t in range(width - 1, 0, -1):
            k, here, before = ks[t], offs[t], offs[t - 1]
            path[before : before + k] = back[here : here + k][rows[:k], path[here : here + k]]
            path[before + k : here] = last[k : ks[t - 1]]
        ids: np.ndarray = path[row]
        return ids, type_ids[keep]


# A line of the TRANSITIONS or STATE_FEATURES section of crfsuite's model dump, as
# pycrfsuite's parser reads it: "(id) from-or-attribute --> label: weight".
_DUMP_SECTION = re.compile(
    r"^[^\S\n]*(TRANSITIONS|STATE_FEATURES) = \{\n(.*?)^[^\S\n]*\}\r?$", re.M | re.S
)
_DUMP_WEIGHT = re.compile(r"^[^\S\n]*\(\d+\) (.+) --> (.+): ([+-]?\d+\.\d+)", re.M)


def dump_weights(
    crf: pycrfsuite.Tagger,
) -> tuple[list[tuple[str, str, float]], list[tuple[str, str, float]]]:
    """(transitions, state features) of an open model, as (from label or attribute, label,
    weight) in the dump's order: what `crf.info()` gives as dicts, from one regex per section
    instead of a regex call per line (a third of a second at each model load)."""
    fd, path = tempfile.mkstemp(suffix=".txt")
    os.close(fd)
    try:
        crf.dump(path)
        text = Path(path).read_bytes().decode("utf8")
    finally:
        os.unlink(path)
    sections = {m.group(1): m.group(2) for m in _DUMP_SECTION.finditer(text)}
    transitions, state_features = (
        [(a, b, float(w)) for a, b, w in _DUMP_WEIGHT.findall(sections.get(name, ""))]
        for name in ("TRANSITIONS", "STATE_FEATURES")
    )
    return transitions, state_features


@lru_cache(maxsize=1)
def packaged_tagger() -> Tagger:
    """The model shipped in this package; read once per process."""
    return Tagger((resources.files("indexer.ner") / MODEL_RESOURCE).read_bytes())
