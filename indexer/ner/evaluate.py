"""Entity-level P/R/F1 per label and tagging speed on each validation split (`make eval-ner`)."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from indexer.ner.corpora import CORPORA, read
from indexer.ner.features import word_features
from indexer.ner.scoring import score
from indexer.ner.tagger import Tagger, packaged_tagger
from indexer.ner.train import DEFAULT_DATA

LABELS = ("PER", "ORG", "LOC")


def evaluate(data: Path, tagger: Tagger) -> None:
    for corpus in CORPORA:
        sentences = list(read(data / corpus.folder / corpus.valid, corpus))
        tagger.tag(["warm", "up"])  # load the clusters before timing
        word_features.cache_clear()  # time feature extraction from a cold cache
        # CPU time of this process: one core's throughput, even on a busy machine.
        started, wall = time.process_time(), time.perf_counter()
        pred = [tagger.tag(words) for words, _ in sentences]
        elapsed, wall = time.process_time() - started, time.perf_counter() - wall
        n_tok = sum(len(words) for words, _ in sentences)
        s = score([tags for _, tags in sentences], pred)
        print(f"== {corpus.name} {corpus.valid} ({len(sentences)} sentences, {n_tok} tokens)")
        print(f"   {'label':<6} {'P':>6} {'R':>6} {'F1':>6} {'gold':>6}")
        for label in LABELS:
            p, r, f = s.prf(label)
            print(f"   {label:<6} {p:6.3f} {r:6.3f} {f:6.3f} {s.gold[label]:6d}")
        p, r, f = s.prf()
        print(f"   {'micro':<6} {p:6.3f} {r:6.3f} {f:6.3f} {s.gold.total():6d}")
        print(
            f"   speed: {n_tok / elapsed:,.0f} tokens/s of CPU time on one core, features included"
            f" ({n_tok / wall:,.0f} tokens/s wall clock)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--model", type=Path, help="a model file instead of the packaged one")
    args = parser.parse_args()
    tagger = Tagger(args.model.read_bytes()) if args.model else packaged_tagger()
    evaluate(args.data, tagger)


if __name__ == "__main__":
    main()
