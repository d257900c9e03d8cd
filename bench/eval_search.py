"""Ranking quality on FacQA: does each question find its own passage? (`make eval-search`)

Every distinct passage of ../shared/data/facqa-train.csv (columns question, passage, seq_label;
the first two are Python-literal token lists) becomes an article. Each question is searched
through SearchService, as a user would type it, and the rank of its passage is recorded.

In the same run, a baseline: plain BM25 (rank_bm25's BM25Okapi) over Sastrawi stems of the same
passages, with OR semantics. Prints MRR@10 and Recall@10 for both.

    python -m bench.eval_search [--csv PATH] [--limit N]
"""

from __future__ import annotations

import argparse
import ast
import csv
import re
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from whoosh import index

from index_format.analysis import STOPWORDS, TOKEN_PATTERN, _stemmer
from index_format.generations import swap_current
from index_format.pool import build_writer
from index_format.schema import build_schema
from indexer.document import to_document
from indexer.models import Article
from indexer.prepare import tag_entities
from search.errors import InvalidQuery
from search.models import SearchRequest
from search.query import QUESTION_WORDS
from search.service import SearchService

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CSV = REPO.parent / "shared" / "data" / "facqa-train.csv"
K = 10
# Characters that are query syntax, not words, in a typed question: "(", ")", a quote.
_SYNTAX = re.compile(r"[\"()]")


@dataclass
class Pair:
    question: str
    passage_id: str


def read_facqa(path: Path) -> tuple[dict[str, str], list[Pair]]:
    """Distinct passages (id → text) and the (question, passage id) pairs."""
    passages: dict[str, str] = {}
    ids: dict[str, str] = {}
    pairs: list[Pair] = []
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            question = " ".join(ast.literal_eval(row["question"]))
            passage = " ".join(ast.literal_eval(row["passage"]))
            if passage not in ids:
                ids[passage] = f"p{len(ids):05d}"
                passages[ids[passage]] = passage
            pairs.append(Pair(question, ids[passage]))
    return passages, pairs


def as_typed(question: str) -> str:
    """The question as a user would type it into the box: no stray syntax characters."""
    words = [w.lstrip("-") for w in _SYNTAX.sub(" ", question).split()]
    return " ".join(w if w != "OR" else "or" for w in words if w)


def build(passages: dict[str, str], index_dir: Path) -> None:
    gen = index_dir / "gen-facqa"
    gen.mkdir(parents=True)
    ix = index.create_in(gen, build_schema())
    w = build_writer(ix)  # rebuild-index's writer: the packed codec, as production serves
    for pid, text in passages.items():
        # As rebuild-index does: tagged names are indexed unstemmed.
        article = Article(id=pid, title="", body=text, url=None, outlet=None, published=None)
        w.add_document(**to_document(tag_entities(article)))
    w.commit()
    swap_current(index_dir, gen)


def score(ranks: Sequence[int | None]) -> tuple[float, float]:
    """MRR@K and Recall@K of 1-based ranks (None: not in the top K)."""
    n = len(ranks) or 1
    mrr = sum(1.0 / r for r in ranks if r is not None and r <= K) / n
    recall = sum(1 for r in ranks if r is not None and r <= K) / n
    return mrr, recall


def rank_of(found: list[str], wanted: str) -> int | None:
    return found.index(wanted) + 1 if wanted in found else None


def evaluate_service(
    index_dir: Path, pairs: list[Pair]
) -> tuple[list[int | None], int, list[str | None]]:
    """Rank of each question's passage, questions rejected, and each question's first hit."""
    service = SearchService(index_dir)
    ranks: list[int | None] = []
    firsts: list[str | None] = []
    errors = 0
    try:
        for p in pairs:
            try:
                result = service.search(SearchRequest(q=as_typed(p.question), per_page=K))
            except InvalidQuery:
                errors += 1
                ranks.append(None)
                firsts.append(None)
                continue
            # What the page lists: the counted hits, then the articles with most of the words
            # offered apart when few have them all.
            shown = result.hits + (result.partial.hits if result.partial else [])
            ranks.append(rank_of([h.id for h in shown], p.passage_id))
            firsts.append(shown[0].id if shown else None)
    finally:
        service.close()
    return ranks, errors, firsts


def lexical_ties(
    passages: dict[str, str], pairs: list[Pair], firsts: list[str | None]
) -> tuple[int, int]:
    """Of the questions whose passage is not first: how many have a first hit holding every
    question word (by stem) that their own passage holds: by the words asked, the first hit is
    as good a match, which bounds what word-based ranking signals can still gain."""
    tokens = baseline_tokens()
    asked = set(map(_stemmer().stem, QUESTION_WORDS))
    misses = ties = 0
    for p, first in zip(pairs, firsts, strict=True):
        if first is None or first == p.passage_id:
            continue
        misses += 1
        words = set(tokens(p.question)) - asked
        if words & set(tokens(passages[first])) >= words & set(tokens(passages[p.passage_id])):
            ties += 1
    return misses, ties


def baseline_tokens() -> Callable[[str], list[str]]:
    """Plain Sastrawi: our tokenizer and short stoplist, every word stemmed, no exceptions."""
    stemmer = _stemmer()
    cache: dict[str, str] = {}

    def tokens(text: str) -> list[str]:
        out = []
        for w in re.findall(TOKEN_PATTERN, text.lower()):
            if w in STOPWORDS:
                continue
            if w not in cache:
                s = stemmer.stem(w) if len(w) >= 4 and re.fullmatch(r"[a-z-]+", w) else w
                cache[w] = s or w
            out.append(cache[w])
        return out

    return tokens


def evaluate_baseline(passages: dict[str, str], pairs: list[Pair]) -> list[int | None]:
    import numpy as np
    from rank_bm25 import BM25Okapi

    tokens = baseline_tokens()
    ids = list(passages)
    bm25 = BM25Okapi([tokens(passages[i]) for i in ids])
    ranks: list[int | None] = []
    for p in pairs:
        scores = bm25.get_scores(tokens(p.question))
        top = np.argsort(-scores, kind="stable")[:K]
        found = [ids[i] for i in top if scores[i] > 0]
        ranks.append(rank_of(found, p.passage_id))
    return ranks


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv", type=Path, default=DEFAULT_CSV)
    parser.add_argument("--limit", type=int, default=0, help="only the first N questions")
    args = parser.parse_args(argv)
    if not args.csv.exists():
        print(f"eval-search: {args.csv} not found; skipped.")
        return 0
    passages, pairs = read_facqa(args.csv)
    if args.limit:
        pairs = pairs[: args.limit]
    print(f"FacQA: {len(pairs)} questions, {len(passages)} distinct passages")
    with tempfile.TemporaryDirectory(prefix="telusur-eval-") as tmp:
        started = time.perf_counter()
        build(passages, Path(tmp))
        built = time.perf_counter() - started
        started = time.perf_counter()
        ours, errors, firsts = evaluate_service(Path(tmp), pairs)
        searched = time.perf_counter() - started
    started = time.perf_counter()
    base = evaluate_baseline(passages, pairs)
    base_time = time.perf_counter() - started
    mrr, recall = score(ours)
    bmrr, brecall = score(base)
    print(f"{'':28} {'MRR@10':>7} {'Recall@10':>9}")
    print(f"{'Telusur (SearchService)':28} {mrr:7.4f} {recall:9.4f}")
    print(f"{'baseline BM25+Sastrawi, OR':28} {bmrr:7.4f} {brecall:9.4f}")
    print(f"difference: MRR@10 {mrr - bmrr:+.4f}, Recall@10 {recall - brecall:+.4f}")
    misses, ties = lexical_ties(passages, pairs, firsts)
    print(
        f"{misses} questions do not find their passage first; for {ties} of them the first hit "
        "holds every question word their passage holds (by the words asked, it matches as well)"
    )
    print(
        f"index {built:.1f}s; {searched / max(len(pairs), 1) * 1000:.1f} ms/query "
        f"(baseline {base_time / max(len(pairs), 1) * 1000:.1f} ms); "
        f"{errors} questions rejected as invalid queries"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
