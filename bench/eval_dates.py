"""Date inference on CLICK-ID with its metadata hidden (`make eval-dates`).

Every article of ../shared/data/news-clickid.jsonl.gz becomes a record as a scrape would hold
it: title, body and URL, with no outlet, no date and no id; then again without the URL. The
inferred date is compared with the metadata date (articles without one are left out):

- coverage: the share of articles that get a date;
- wrong year: among dated articles, the share whose year differs;
- ±1 / ±2 days: among dated articles, the share within that many days;
- exact: among dated articles, the share on the very day.

The archive is read as a rebuild reads it: a first pass gathers the years its articles state
(one file: one batch), then each article is dated. `--alone` dates each article on its own
evidence only, to show what that first pass is worth.

    python -m bench.eval_dates [--jsonl PATH] [--today YYYY-MM-DD] [--limit N] [--alone]

Skips (exit status 0) when the file is absent.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from indexer.date_evidence import ArchiveYears
from indexer.extract import extract_article
from indexer.models import Article, RawRecord
from indexer.outlets import load_registry

REPO = Path(__file__).resolve().parents[1]
DEFAULT_JSONL = REPO.parent / "shared" / "data" / "news-clickid.jsonl.gz"


@dataclass
class Score:
    """How inferred dates compare with the metadata dates of one run."""

    total: int = 0
    dated: int = 0
    wrong_year: int = 0
    exact: int = 0
    within_1: int = 0
    within_2: int = 0
    by_source: Counter[str] = field(default_factory=Counter)
    abstained: Counter[str] = field(default_factory=Counter)
    wrong_by_source: Counter[str] = field(default_factory=Counter)

    def add(self, truth: date, article: Article) -> None:
        self.total += 1
        self.by_source[article.date_source] += 1
        found = article.published
        if found is None:
            self.abstained[article.dating.reason if article.dating else "?"] += 1
            return
        self.dated += 1
        days = abs((found - truth).days)
        self.wrong_year += found.year != truth.year
        self.exact += days == 0
        self.within_1 += days <= 1
        self.within_2 += days <= 2
        if days > 2:
            self.wrong_by_source[article.date_source] += 1

    def as_dict(self) -> dict[str, object]:
        dated = self.dated or 1
        return {
            "articles": self.total,
            "coverage": round(self.dated / (self.total or 1), 4),
            "wrong_year": round(self.wrong_year / dated, 4),
            "within_1_day": round(self.within_1 / dated, 4),
            "within_2_days": round(self.within_2 / dated, 4),
            "exact": round(self.exact / dated, 4),
            "date_source": dict(self.by_source.most_common()),
            "no_date_because": dict(self.abstained.most_common()),
            "off_by_more_than_2_days": dict(self.wrong_by_source.most_common()),
        }


def read_clickid(path: Path, limit: int | None) -> Iterator[tuple[date, dict[str, str]]]:
    """(metadata date, the fields a scrape would hold) for each article with a date."""
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for i, line in enumerate(f):
            if limit is not None and i >= limit:
                return
            d = json.loads(line)
            if not d.get("published"):
                continue
            fields = {"title": d.get("title") or "", "body": d.get("body") or ""}
            if d.get("url"):
                fields["url"] = d["url"]
            yield date.fromisoformat(d["published"][:10]), fields


def as_scraped(n: int, fields: dict[str, str], with_url: bool) -> RawRecord:
    kept = {k: v for k, v in fields.items() if with_url or k != "url"}
    return RawRecord(f"article-{n:05d}", "news-clickid.jsonl", n + 1, dict(kept))


def evaluate(
    rows: list[tuple[date, dict[str, str]]], *, with_url: bool, today: date, alone: bool = False
) -> Score:
    """Infer as a rebuild does: one pass gathers the years the archive states, then each
    article is extracted with them (`alone`: without that pass)."""
    registry = load_registry()
    records = [as_scraped(n, fields, with_url) for n, (_, fields) in enumerate(rows)]
    years = ArchiveYears(today)
    if not alone:
        years.observe_all(records)
    hint = years.hint()
    score = Score()
    for (truth, _), record in zip(rows, records, strict=True):
        score.add(truth, extract_article(record, today=today, registry=registry, dates=hint))
    return score


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--jsonl", type=Path, default=DEFAULT_JSONL)
    parser.add_argument("--today", type=date.fromisoformat, default=date.today())
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--alone", action="store_true", help="no first pass over the archive")
    args = parser.parse_args(argv)
    if not args.jsonl.is_file():
        print(f"skipped: {args.jsonl} is not here")
        return 0
    rows = list(read_clickid(args.jsonl, args.limit))
    print(f"{len(rows):,} articles with a metadata date; ingestion date {args.today}")
    for with_url in (True, False):
        started = time.perf_counter()
        score = evaluate(rows, with_url=with_url, today=args.today, alone=args.alone)
        took = time.perf_counter() - started
        label = ("with URL" if with_url else "without URL") + (", alone" if args.alone else "")
        print(json.dumps({"run": label, **score.as_dict(), "seconds": round(took, 1)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
