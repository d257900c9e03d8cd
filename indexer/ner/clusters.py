"""Build word clusters and capitalisation rates from unlabelled news (training time only).

Each word type gets k-means cluster ids at three granularities over PPMI-SVD context vectors,
plus how often it is written capitalised when not sentence-initial: a learned gazetteer that
also helps lower-cased input. Writes `clusters.tsv` next to this file; `make train-ner` runs it.
"""

from __future__ import annotations

import os

# One BLAS thread: the SVD and k-means products then give the same bits on every machine
# load and core count, so `make train-ner` rebuilds the committed clusters.tsv exactly.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import gzip  # noqa: E402
import json  # noqa: E402
from collections import Counter  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

from indexer.ner.tokenize import tokenize  # noqa: E402

DEFAULT_NEWS = (
    Path(__file__).resolve().parents[2].parent / "shared" / "data" / "news-clickid.jsonl.gz"
)
DEFAULT_OUT = Path(__file__).resolve().parent / "clusters.tsv"
GRANULARITIES = (64, 256, 1024)


def _sentences(path: Path) -> tuple[list[list[str]], int]:
    """Sentences of every title and body, and how many of them (the first ones) are titles."""
    titles: list[list[str]] = []
    out: list[list[str]] = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            titles.append([tok.text for tok in tokenize(rec.get("title") or "")])
            # Bodies join paragraphs with ",": treat those as breaks too.
            words: list[str] = []
            for tok in tokenize((rec.get("body") or "").replace(".,", ".\n")):
                words.append(tok.text)
                if tok.text in (".", "!", "?"):
                    out.append(words)
                    words = []
            if words:
                out.append(words)
    return titles + out, len(titles)


def _kmeans(x: np.ndarray, k: int, rng: np.random.Generator, iters: int = 12) -> np.ndarray:
    centres = x[rng.choice(len(x), k, replace=False)].copy()
    assign = np.zeros(len(x), dtype=np.int64)
    for _ in range(iters):
        assign = np.argmax(x @ centres.T, axis=1)  # rows are unit vectors: cosine k-means
        for c in range(k):
            members = x[assign == c]
            if len(members):
                v = members.sum(axis=0)
                centres[c] = v / (np.linalg.norm(v) + 1e-9)
    return assign


def build(news: Path, out: Path, vocab_size: int, n_context: int, dims: int) -> None:
    sents, n_titles = _sentences(news)
    freq: Counter[str] = Counter()
    caps: Counter[str] = Counter()
    inner: Counter[str] = Counter()
    for k, s in enumerate(sents):
        for i, w in enumerate(s):
            low = w.lower()
            freq[low] += 1
            # Capitalisation rates come from running text only: titles are in Title Case.
            if k >= n_titles and i > 0 and w[0].isalpha():
                inner[low] += 1
                if w[0].isupper():
                    caps[low] += 1
    # Ties broken by the word itself, not by first appearance: independent of input order.
    ranked = sorted(freq.items(), key=lambda wn: (-wn[1], wn[0]))
    vocab = [w for w, n in ranked[:vocab_size] if n >= 3]
    index = {w: i for i, w in enumerate(vocab)}
    n_ctx = min(n_context, len(vocab))
    # Context features: the neighbour word (top n_ctx) on the left and on the right, +-2.
    cooc = np.zeros((len(vocab), 2 * n_ctx), dtype=np.float32)
    for s in sents:
        ids = [index.get(w.lower(), -1) for w in s]
        for i, wi in enumerate(ids):
            if wi < 0:
                continue
            for off in (-2, -1, 1, 2):
                j = i + off
                if 0 <= j < len(ids) and 0 <= ids[j] < n_ctx:
                    cooc[wi, ids[j] + (0 if off < 0 else n_ctx)] += 1
    total = cooc.sum()
    row = cooc.sum(axis=1, keepdims=True) + 1e-9
    col = cooc.sum(axis=0, keepdims=True) ** 0.75
    col = col / col.sum() * total + 1e-9
    ppmi = np.maximum(np.log((cooc * total) / (row * col) + 1e-12), 0).astype(np.float32)
    u, sv, _ = np.linalg.svd(ppmi, full_matrices=False)
    vecs = u[:, :dims] * np.sqrt(sv[:dims])
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True) + 1e-9
    rng = np.random.default_rng(13)
    assigns = [_kmeans(vecs, k, rng) for k in GRANULARITIES]
    with out.open("w", encoding="utf-8") as fh:
        for i, w in enumerate(vocab):
            rate = caps[w] / inner[w] if inner[w] >= 3 else -1.0
            cols = "\t".join(str(int(a[i])) for a in assigns)
            fh.write(f"{w}\t{cols}\t{rate:.2f}\n")
    print(f"wrote {out}: {len(vocab)} words from {len(sents)} sentences")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--news", type=Path, default=DEFAULT_NEWS)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--vocab", type=int, default=40_000)
    parser.add_argument("--context", type=int, default=1_000)
    parser.add_argument("--dims", type=int, default=100)
    args = parser.parse_args()
    build(args.news, args.out, args.vocab, args.context, args.dims)


if __name__ == "__main__":
    main()
