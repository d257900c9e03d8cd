"""Entity-level precision, recall and F1: exact span and label, as seqeval does."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

Span = tuple[str, int, int]  # label, first token, last token + 1


def spans(tags: list[str]) -> set[Span]:
    """Entities in a BIO sequence; a stray I- opens an entity, as in conlleval."""
    out: set[Span] = set()
    label, start = None, 0
    for i, tag in enumerate([*tags, "O"]):
        kind, _, lab = tag.partition("-")
        if label is not None and (kind != "I" or lab != label):
            out.add((label, start, i))
            label = None
        if kind == "B" or (kind == "I" and label is None):
            label, start = lab, i
    return out


@dataclass
class Scores:
    tp: Counter[str]
    pred: Counter[str]
    gold: Counter[str]

    def prf(self, label: str | None = None) -> tuple[float, float, float]:
        tp = self.tp.total() if label is None else self.tp[label]
        pred = self.pred.total() if label is None else self.pred[label]
        gold = self.gold.total() if label is None else self.gold[label]
        p = tp / pred if pred else 0.0
        r = tp / gold if gold else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score(gold: list[list[str]], pred: list[list[str]]) -> Scores:
    s = Scores(Counter(), Counter(), Counter())
    for g, p in zip(gold, pred, strict=True):
        gs, ps = spans(g), spans(p)
        s.gold.update(lab for lab, _, _ in gs)
        s.pred.update(lab for lab, _, _ in ps)
        s.tp.update(lab for lab, _, _ in gs & ps)
    return s
