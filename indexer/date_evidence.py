"""What fixes an article's year besides its own sentences: the date in its URL or file name,
the years the rest of the archive states, the user's `--dates-between`, and (only when the
user trusts them) file modification times.

A weekday fixes a day and month's year only up to a 5-, 6- or 11-year cycle, so a partial
date ("Minggu (21/8)") needs one of these to pick its year. `ArchiveYears` gathers the
archive's own years during the first read of the archive (indexer.build, indexer.update);
its `hint()` is the small picklable `ArchiveDates` that travels with each chunk of records to
the build workers, as `today` does.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta, timezone
from urllib.parse import urlsplit

from indexer.dates import find_dates, parse_date, safe_date
from indexer.models import RawRecord

# The archive's own years: a year stated by fewer than this share of a group's articles is
# taken for a typo or an outlier, not for a year the batch spans.
OUTLIER_SHARE = 0.02
# Fewer articles than this stating a year: the group's years are too thin to span on, and
# the whole archive's years are used instead.
MIN_GROUP_EVIDENCE = 3
# How far into an article the first pass looks for its year: the lead (~55 µs an article
# without metadata or URL, in the one process that reads the archive first).
LEAD_CHARS = 1000
_WIB = timezone(timedelta(hours=7))


@dataclass(frozen=True)
class DateSpan:
    """An inclusive range of dates, and where it comes from (shown in explanations)."""

    first: date
    last: date
    why: str = ""

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.first <= day <= self.last

    def label(self) -> str:
        if (self.first.month, self.first.day, self.last.month, self.last.day) == (1, 1, 12, 31):
            years = f"{self.first.year}" if self.first.year == self.last.year else ""
            return years or f"{self.first.year}–{self.last.year}"
        return f"{self.first.isoformat()}..{self.last.isoformat()}"


def year_span(first: int, last: int, why: str = "") -> DateSpan:
    return DateSpan(date(first, 1, 1), date(last, 12, 31), why)


def parse_span(text: str) -> DateSpan:
    """`2016-01-01..2017-12-31`, `2016..2017` or `2016`; raises ValueError."""
    left, sep, right = text.strip().partition("..")
    right = right if sep else left

    def bound(value: str, end: bool) -> date:
        value = value.strip()
        if re.fullmatch(r"\d{4}", value):
            return date(int(value), 12, 31) if end else date(int(value), 1, 1)
        return date.fromisoformat(value)

    first, last = bound(left, False), bound(right, True)
    if first > last:
        raise ValueError(f"{first} is after {last}")
    return DateSpan(first, last, "--dates-between")


# -- dates in URLs and file names ---------------------------------------------------------------

_YEAR = r"(?P<y>(?:19[89]|20[0-4])\d)"
# /2016/08/21/, /2016-08-21, _20160821_, /2016/08/ (a year and month), in one path.
_PATH_DATE_RE = re.compile(
    rf"(?<![\d])(?:{_YEAR}(?P<sep>[/_-]?)(?P<m>[01]\d)(?:(?P=sep)(?P<d>[0-3]\d))?)(?![\d])"
)
# SINDOnews and others end the slug with the publication time: "-1568124135".
_EPOCH_RE = re.compile(r"-(?P<t>1[0-9]{9})(?:\.[a-z]{2,5})?/?$")


@dataclass(frozen=True)
class AddressDate:
    """A date in an article's URL or file name: the day, or only the month or year."""

    year: int
    month: int | None
    day: int | None
    where: str  # "url" or "filename"
    text: str  # as written, e.g. "/2016/08/21/"

    def full(self) -> date | None:
        if self.month is None or self.day is None:
            return None
        return safe_date(self.year, self.month, self.day)

    def window(self) -> DateSpan:
        """The dates it allows for the publication (a report may name the day before)."""
        why = f"{self.where} {self.text}"
        if self.month is None:
            return DateSpan(date(self.year - 1, 12, 1), date(self.year, 12, 31), why)
        first = date(self.year, self.month, 1)
        nxt = date(self.year + self.month // 12, self.month % 12 + 1, 1)
        return DateSpan(first - timedelta(days=7), nxt - timedelta(days=1), why)


def _path_match(text: str, where: str) -> AddressDate | None:
    for m in _PATH_DATE_RE.finditer(text):
        year, month = int(m["y"]), int(m["m"])
        if not 1 <= month <= 12:
            continue
        if m["d"] is None and not m["sep"]:
            continue  # "201608" alone is as likely a number as a month
        day = int(m["d"]) if m["d"] else None
        if day is not None and safe_date(year, month, day) is None:
            continue
        return AddressDate(year, month, day, where, m.group(0))
    return None


def url_date(url: str | None) -> AddressDate | None:
    """The date in a URL's path: `/2016/08/21/`, `/20160821/`, `/2016/08/`, or a trailing
    publication time `-1568124135` (read in Western Indonesian Time)."""
    if not url:
        return None
    try:
        path = urlsplit(url.strip()).path
    except ValueError:
        return None
    if found := _path_match(path, "url"):
        return found
    if m := _EPOCH_RE.search(path):
        when = datetime.fromtimestamp(int(m["t"]), _WIB).date()
        if 2001 <= when.year <= 2049:
            return AddressDate(when.year, when.month, when.day, "url", m.group(0).strip("-/"))
    return None


_YEAR_FOLDER_RE = re.compile(rf"{_YEAR}")
_NUMBER_FOLDER_RE = re.compile(r"[0-3]?\d")


def path_date(source: str) -> AddressDate | None:
    """The date in a one-article file's name (`2016-08-21-slug.txt`, `20160821_x.txt`), or in
    the folders right above it (`2016/08/21/x.txt`, `2016/08/x.txt`, `2016/x.txt`).

    Only folders that are dates all the way down to the file count: a date in a folder
    higher up names the scrape or the backup as often as the publication.
    """
    parts = source.replace("\\", "/").split("/")
    name = parts[-1].rsplit(".", 1)[0]
    if found := _path_match(name, "filename"):
        return found
    chain: list[str] = []
    for folder in reversed(parts[-4:-1]):
        if _YEAR_FOLDER_RE.fullmatch(folder):
            chain.insert(0, folder)
            break
        if not _NUMBER_FOLDER_RE.fullmatch(folder) or len(chain) == 2:
            return None
        chain.insert(0, folder)
    if not chain or not _YEAR_FOLDER_RE.fullmatch(chain[0]):
        return None
    numbers = [int(p) for p in chain]
    year, month, day = [*numbers, 0, 0][:3]
    if (month and not 1 <= month <= 12) or (day and safe_date(year, month, day) is None):
        return None
    return AddressDate(year, month or None, day or None, "filename", "/".join(chain) + "/")


def address_date(record: RawRecord, url: str | None) -> AddressDate | None:
    """The URL's date, else (for a one-article file) the file name's."""
    return url_date(url) or (path_date(record.source) if record.line is None else None)


def mtime_window(record: RawRecord) -> DateSpan | None:
    """A one-article file is saved after it was published, and (`--trust-mtime`: the user
    says copies kept the times) within a year of it."""
    if record.line is not None:
        return None
    try:
        saved = datetime.fromtimestamp(os.stat(record.source).st_mtime, _WIB).date()
    except (OSError, ValueError, OverflowError):
        return None
    return DateSpan(saved - timedelta(days=366), saved, f"file time {saved.isoformat()}")


# -- the archive's own years ----------------------------------------------------------------------


def group_of(record: RawRecord) -> str:
    """The batch an article belongs to: its folder for one-article files, else its file."""
    if record.line is None:
        return os.path.dirname(record.source)
    return record.source


@dataclass(frozen=True)
class ArchiveDates:
    """What the archive as a whole, and the user, say about its articles' dates.

    `spans` maps a group (group_of) to the years its articles state; `whole` is the whole
    archive's, for groups that state too few. Small and picklable: sent with every chunk.
    """

    between: DateSpan | None = None
    spans: Mapping[str, DateSpan] = field(default_factory=dict)
    whole: DateSpan | None = None
    trust_mtime: bool = False

    def batch_span(self, record: RawRecord) -> DateSpan | None:
        return self.spans.get(group_of(record), self.whole)

    def or_whole(self, years: Callable[[], Counter[int]], why: str) -> ArchiveDates:
        """These dates, with `years()` as the whole archive's when it states too few itself."""
        if self.whole is not None:
            return self
        return replace(self, whole=span_of(years(), why))

    def for_records(self, records: Iterable[RawRecord]) -> ArchiveDates:
        """Only what `records` need: an archive of many folders sends little with a chunk."""
        groups = {group_of(r) for r in records}
        spans = {g: s for g, s in self.spans.items() if g in groups}
        return ArchiveDates(self.between, spans, self.whole, self.trust_mtime)


def stated_year(record: RawRecord, today: date) -> int | None:
    """The year an article states most plainly, cheaply: its metadata date, its URL or file
    name, else the commonest year among the full dates written with a matching weekday in
    its lead ("Senin (10/1/2022)"): a weekday that fits is a date someone checked."""
    fields = {**record.fields, **{k: v for k, v in record.sidecar.items() if v}}
    if (published := parse_date(fields.get("published"))) is not None:
        return published.year
    if (address := address_date(record, fields.get("url"))) is not None:
        return address.year
    text = f"{fields.get('title') or ''}\n{(fields.get('body') or '')[:LEAD_CHARS]}"
    years: Counter[int] = Counter()
    for m in find_dates(text):
        if m.year is None or m.weekday is None:
            continue
        when = safe_date(m.year, m.month, m.day)
        if when is not None and when.weekday() == m.weekday and when <= today:
            years[m.year] += 1
    if not years:
        return None
    return max(years, key=lambda y: (years[y], y))


def span_of(years: Counter[int], why: str) -> DateSpan | None:
    """The years a batch spans: first to last, leaving out years too rare to be more than
    typos (OUTLIER_SHARE). None when fewer than MIN_GROUP_EVIDENCE articles state a year."""
    total = sum(years.values())
    if total < MIN_GROUP_EVIDENCE:
        return None
    kept = [y for y, n in years.items() if n >= OUTLIER_SHARE * total]
    return year_span(min(kept), max(kept), why)


class ArchiveYears:
    """Collects the years an archive's articles state, group by group, in one pass."""

    def __init__(self, today: date | None = None) -> None:
        self.today = today or date.today()
        self.groups: dict[str, Counter[int]] = {}

    def observe(self, record: RawRecord) -> None:
        year = stated_year(record, self.today)
        if year is not None:
            self.groups.setdefault(group_of(record), Counter())[year] += 1

    def observe_all(self, records: Iterable[object]) -> None:
        for record in records:
            if isinstance(record, RawRecord):
                self.observe(record)

    def hint(self, *, between: DateSpan | None = None, trust_mtime: bool = False) -> ArchiveDates:
        spans = {}
        for group, years in self.groups.items():
            if (
                span := span_of(years, f"the years its folder states ({group or '.'})")
            ) is not None:
                spans[group] = span
        everything: Counter[int] = Counter()
        for years in self.groups.values():
            everything.update(years)
        whole = span_of(everything, "the years the archive states")
        return ArchiveDates(between=between, spans=spans, whole=whole, trust_mtime=trust_mtime)
