"""Entity-level P/R/F1 per label and tagging speed on each validation split (`make eval-ner`)."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from indexer.ner.corpora import CORPORA, read
from indexer.ner.scoring import score
from indexer.ner.tagger import Tagger, packaged_tagger
from indexer.ner.train import DEFAULT_DATA

LABELS = ("PER", "ORG", "LOC")
ARTICLE_SENTENCES = 16


def evaluate(data: Path, tagger: Tagger) -> None:
    for corpus in CORPORA:
        sentences = list(read(data / corpus.folder / corpus.valid, corpus))
        tagger.tag(["warm", "up"])  # load the clusters before timing
        tagger.clear_cache()  # time feature extraction from a cold cache
        # CPU time of this process: one core's throughput, even on a busy machine.
        started, wall = time.process_time(), time.perf_counter()
        # Batches of about an article's sentences, as extract_entities tags them.
        words_only = [words for words, _ in sentences]
        pred = [
            tags
            for i in range(0, len(words_only), ARTICLE_SENTENCES)
            for tags in tagger.tag_sentences(words_only[i : i + ARTICLE_SENTENCES])
        ]
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
