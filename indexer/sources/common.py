"""What every part of the archive reader shares: the fields, the limits and why, and how a
file is named in a report."""

from __future__ import annotations

import csv
import os
from pathlib import Path

FIELDS = ("id", "url", "title", "outlet", "published", "body")
MANIFEST = "manifest.csv"

# -- limits ---------------------------------------------------------------------------------
# One article larger than this is almost certainly a mis-scrape (a whole site in one file).
MAX_ARTICLE_BYTES = 5_000_000
# A .jsonl line or a CSV row (with its metadata and JSON escapes): twice the largest article.
# Longer lines are skipped to their end without being held in memory.
MAX_LINE_BYTES = 2 * MAX_ARTICLE_BYTES
# Bytes read from one .jsonl/.jsonl.gz/.csv file after decompression: ~4 million articles of
# CLICK-ID's ~2 KB, more than any one scraped file holds, and a gzip bomb stops after ~5 s of
# inflating instead of running for minutes.
MAX_FILE_BYTES = 8 * 1024**3
# A .txt file is one article: up to 4 bytes a character in UTF-8 (2 in UTF-16).
MAX_TEXT_FILE_BYTES = 4 * MAX_ARTICLE_BYTES
# A .json file is parsed whole, and Python's objects take ~3x the file: larger archives
# belong in .jsonl, which is streamed.
MAX_JSON_FILE_BYTES = 100_000_000
# Article records nest 2-5 deep; Python's JSON parser and repr() fail near 1,000.
MAX_JSON_DEPTH = 100
# An id is part of the article's URL (/articles/<id>): 512 UTF-8 bytes are at most 1,536
# characters percent-encoded, well inside gunicorn's 4,094-byte request line with the search
# carried in the query string.
MAX_ID_BYTES = 512
# A saved web page: its markup, scripts and styles around the article take several times the
# article's text; a page larger than this is a mis-save (a whole site, a video).
MAX_PAGE_BYTES = 2 * MAX_ARTICLE_BYTES
# Bytes read through one WARC (the sum of its records' lengths, decompressed): a crawl's WARC is
# ~1 GB compressed, ~5 GB of records; a gzip bomb stops after a minute of inflating.
MAX_WARC_BYTES = 4 * MAX_FILE_BYTES
# NAME.json sidecars hold one article's metadata.
MAX_SIDECAR_BYTES = 1_000_000
# Piece size for reading lines; also what an over-long line costs in memory while skipped.
READ_CHUNK = 1024 * 1024

# The csv module refuses fields over its (process-wide) limit; rows are already capped at
# MAX_LINE_BYTES before they reach it, so it only needs to be at least that.
csv.field_size_limit(max(csv.field_size_limit(), MAX_LINE_BYTES))

SUPPORTED = (
    ".txt",
    ".jsonl",
    ".jsonl.gz",
    ".json",
    ".csv",
    ".html",
    ".htm",
    ".html.gz",
    ".htm.gz",
    ".warc",
    ".warc.gz",
)
_COMPOUND = tuple(s for s in SUPPORTED if s.count(".") > 1)
# Prefix of the ids that replace ids which cannot serve as one.
DERIVED_ID_PREFIX = "id-sha1-"


class Unreadable(Exception):
    """Why a file (or one record in it) cannot be read: reported, and reading goes on.

    Reasons read "kind: detail"; the build summary counts them by the part before the colon.
    """


def suffix(path: Path) -> str:
    name = path.name.lower()
    for compound in _COMPOUND:
        if name.endswith(compound):
            return compound
    return path.suffix.lower()


def display(path: str | os.PathLike[str]) -> str:
    """A path as reports show it: bytes that are not UTF-8 in a file name become \\xNN."""
    name = os.fsdecode(path)
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
