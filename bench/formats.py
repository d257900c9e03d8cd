"""Extraction speed per format: the same CLICK-ID articles as scraped .txt files, as saved news
pages (.html.gz) and as one web archive (.warc.gz), each read (indexer.sources) and extracted
(indexer.extract: for pages trafilatura, the metadata and the date) in one process.

    python -m bench.formats [--articles 1000] [--workdir /tmp/telusur-bench/formats]

Prints, and returns to bench.run, ms per article for each format: `read` (the archive reader,
in the rebuild's parent process) and `extract` (in the build workers). The pages are those of
bench.formats.page: a news page's usual furniture (menus, JSON-LD, scripts, related links)
around the article, ~70 KB (news sites' pages are 50-300 KB, mostly scripts).
"""

from __future__ import annotations

import argparse
import gzip
import html
import json
import shutil
import time
from datetime import date
from pathlib import Path
from typing import Any

from bench.common import BENCH
from indexer.extract import extract_article
from indexer.models import RawRecord
from indexer.sources import read_archive

NEWS = BENCH.parent.parent / "shared" / "data" / "news-clickid.jsonl.gz"
SAMPLE = BENCH.parent / "sample_archive" / "nasional.jsonl"
TODAY = date(2026, 12, 1)

_MENU = "".join(
    f'<li class="menu__item"><a class="menu__link" href="/kanal/{i}">Kanal {i}</a></li>'
    for i in range(150)
)
_SCRIPT = "var _cfg = " + json.dumps({f"k{i}": "x" * 40 for i in range(800)}) + ";"
_RELATED = "".join(
    f'<li><a href="/berita/{i}">Judul berita terkait nomor {i} tentang kota</a>'
    f'<time datetime="2019-01-{1 + i % 28:02d}">{1 + i % 28} Januari 2019</time></li>'
    for i in range(60)
)


def page(rec: dict[str, Any]) -> str:
    """A saved news page holding `rec`'s article."""
    esc = html.escape
    body = "".join(f"<p>{esc(p)}</p>" for p in (rec.get("body") or "").split("\n") if p.strip())
    meta = json.dumps(
        {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": rec.get("title"),
            "datePublished": rec.get("published"),
            "publisher": {"name": rec.get("outlet")},
        }
    )
    return (
        f'<!DOCTYPE html><html lang="id"><head><meta charset="utf-8">'
        f"<title>{esc(rec.get('title') or '')} - {esc(rec.get('outlet') or '')}</title>"
        f'<meta property="og:site_name" content="{esc(rec.get("outlet") or "")}">'
        f'<link rel="canonical" href="{esc(rec.get("url") or "")}">'
        f'<script type="application/ld+json">{meta}</script><script>{_SCRIPT}</script>'
        f"<style>{'.c{color:#333}' * 300}</style></head><body>"
        f'<header><nav><ul class="menu">{_MENU}</ul></nav></header><main><article>'
        f"<h1>{esc(rec.get('title') or '')}</h1><div class='share'>Bagikan: Facebook Twitter</div>"
        f"{body}<p>Baca Juga: Berita lain yang terkait</p></article>"
        f"<aside><h3>Berita Terkait</h3><ul>{_RELATED}</ul></aside></main>"
        f"<footer><p>© 2019 {esc(rec.get('outlet') or '')}. Hak cipta dilindungi.</p></footer>"
        "</body></html>"
    )


def load(n: int) -> list[dict[str, Any]]:
    source = NEWS if NEWS.exists() else SAMPLE
    opener = gzip.open if source.suffix == ".gz" else open
    out: list[dict[str, Any]] = []
    with opener(source, "rt", encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            rec["body"] = (rec.get("body") or "").replace("\n\n", "\n")
            out.append(rec)
            if len(out) >= n:
                break
    return out


def write_archives(records: list[dict[str, Any]], work: Path) -> dict[str, Path]:
    from tests.sample_web import Capture, write_warc

    shutil.rmtree(work, ignore_errors=True)
    (work / "txt").mkdir(parents=True)
    (work / "html").mkdir()
    for i, rec in enumerate(records):
        text = f"{rec.get('title') or ''}\n\n{rec['body']}\n"
        (work / "txt" / f"{i:05d}.txt").write_text(text, encoding="utf-8")
        (work / "html" / f"{i:05d}.html.gz").write_bytes(gzip.compress(page(rec).encode()))
    captures = (
        Capture(rec.get("url") or f"https://example.invalid/{i}", page(rec).encode())
        for i, rec in enumerate(records)
    )
    warc = write_warc(work / "crawl.warc.gz", captures)
    return {"txt": work / "txt", "html": work / "html", "warc": warc}


def measure(path: Path) -> dict[str, float]:
    started = time.perf_counter()
    records = [r for r in read_archive([path]) if isinstance(r, RawRecord)]
    read_s = time.perf_counter() - started
    started = time.perf_counter()
    for record in records:
        extract_article(record, today=TODAY)
    extract_s = time.perf_counter() - started
    n = max(len(records), 1)
    return {
        "articles": len(records),
        "read_ms": round(read_s * 1000 / n, 3),
        "extract_ms": round(extract_s * 1000 / n, 3),
        "ms_per_article": round((read_s + extract_s) * 1000 / n, 3),
    }


def run(articles: int, work: Path) -> dict[str, Any]:
    paths = write_archives(load(articles), work)
    extract_article(next(r for r in read_archive([paths["txt"]]) if isinstance(r, RawRecord)))
    return {kind: measure(path) for kind, path in paths.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/telusur-bench/formats"))
    args = ap.parse_args()
    print(json.dumps(run(args.articles, args.workdir), indent=1))


if __name__ == "__main__":
    main()
