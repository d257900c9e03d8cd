"""Train the CRF on the train splits of NER-Grit, idner-news-2k and NER-P (`make train-ner`)."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import pycrfsuite

from indexer.ner.corpora import CORPORA, read
from indexer.ner.features import sequence_features

DEFAULT_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "ner"
DEFAULT_OUT = Path(__file__).resolve().parent / "model.crfsuite"


def train(
    data: Path, out: Path, c1: float, c2: float, iterations: int, only: str | None = None
) -> None:
    trainer = pycrfsuite.Trainer(verbose=False)
    n_sent = n_tok = 0
    for corpus in CORPORA:
        if only and corpus.name not in only.split(","):
            continue
        for words, tags in read(data / corpus.folder / corpus.train, corpus):
            trainer.append(sequence_features(words), tags)
            n_sent += 1
            n_tok += len(words)
    print(f"training on {n_sent} sentences, {n_tok} tokens")
    trainer.set_params(
        {
            "c1": c1,
            "c2": c2,
            "max_iterations": iterations,
            # Keep only features seen at least twice: a much smaller model, same accuracy.
            "feature.minfreq": 2,
            "feature.possible_transitions": True,
        }
    )
    started = time.perf_counter()
    trainer.train(str(out))
    size = out.stat().st_size / 1e6
    print(f"wrote {out} ({size:.1f} MB) in {time.perf_counter() - started:.0f}s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--c1", type=float, default=0.15)
    parser.add_argument("--c2", type=float, default=0.02)
    parser.add_argument("--iterations", type=int, default=200)
    parser.add_argument("--only", help="comma-separated corpora to train on (experiments)")
    args = parser.parse_args()
    train(args.data, args.out, args.c1, args.c2, args.iterations, args.only)


if __name__ == "__main__":
    main()
