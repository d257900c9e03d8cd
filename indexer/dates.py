"""Dates written in Indonesian news text: where they are, and metadata dates.

A focused regex parser rather than dateparser: news dates come in a handful of shapes
(`Selasa (11/1/2022)`, `Senin (10/1)`, `Selasa, 11 Januari 2022`, `10 Jan 2022`, ISO) and
indexing must cost well under a millisecond per article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_ENGLISH_MONTH_NAMES = frozenset(
    [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
        "Jan",
        "Feb",
        "Mar",
        "Apr",
        "Jun",
        "Jul",
        "Aug",
        "Sep",
        "Sept",
        "Oct",
        "Nov",
        "Dec",
    ]
)
MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        "januari january jan",
        "februari pebruari february feb peb",
        "maret march mar",
        "april apr",
        "mei may",
        "juni june jun",
        "juli july jul",
        "agustus august agu agt aug ags",
        "september sept sep",
        "oktober october okt oct",
        "november nopember nov nop",
        "desember december des dec",
    ),
    start=1,
):
    for _name in _names.split():
        MONTHS[_name] = _number

WEEKDAYS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        "senin monday",
        "selasa tuesday",
        "rabu wednesday",
        "kamis thursday",
        "jumat jum'at jum’at friday",
        "sabtu saturday",
        "minggu ahad sunday",
    )
):
    for _name in _names.split():
        WEEKDAYS[_name] = _number

_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_ENGLISH_MONTH = "|".join(
    sorted(
        (m.capitalize() for m in MONTHS if m.capitalize() in _ENGLISH_MONTH_NAMES),
        key=len,
        reverse=True,
    )
)
_WEEKDAY = "|".join(re.escape(w) for w in sorted(WEEKDAYS, key=len, reverse=True))

# Each alternative names its groups; the first that matches at a position wins. Every
# alternative starts with a digit or "(": the leading lookahead lets the scan skip other
# positions fast (a case-insensitive month alternation tried everywhere cost 10x more).
_DATE_RE = re.compile(
    rf"""
    (?=[\d(])
    (?:
    (?P<iso>(?<![\d/.-])(?P<iy>(?:19|20)\d\d)-(?P<im>[01]?\d)-(?P<id>[0-3]?\d)(?![\d/-]))
  | (?P<paren>\(\s*(?P<pd>[0-3]?\d)\s*/\s*(?P<pm>[01]?\d)(?:\s*/\s*(?P<py>\d{{4}}|\d\d))?\s*\))
  | (?P<num>(?<![\d/.])(?P<nd>[0-3]?\d)/(?P<nm>[01]?\d)/(?P<ny>(?:19|20)\d\d)(?![\d/]))
  | (?P<named>(?<![\d.])(?P<ad>[0-3]?\d)\s+(?P<am>(?i:{_MONTH}))\b\.?
      (?:,?\s+(?P<ay>(?:19|20)\d\d)(?!\d))?)
    )
    """,
    re.VERBOSE,
)
# "January 10, 2022": rarer in Indonesian text, so a separate pass, only for capitalised names.
_ENGLISH_DATE_RE = re.compile(
    rf"\b(?P<em>{_ENGLISH_MONTH})\.?\s+(?P<ed>[0-3]?\d)(?:st|nd|rd|th)?,?\s+(?P<ey>(?:19|20)\d\d)(?!\d)"
)
# A weekday just before a date: "Senin (10/1)", "Selasa, 11 Januari 2022", "Monday, Jan 10".
_WEEKDAY_BEFORE_RE = re.compile(rf"\b(?P<w>{_WEEKDAY})\s*,?\s*(?:\(\s*)?$", re.IGNORECASE)
_TIME_RE = re.compile(r"\b\d{1,2}[:.]\d{2}(?:[:.]\d{2})?\s*(?:WIB|WITA|WIT|GMT|UTC)?", re.I)
_DATE_LINE_FILLER_RE = re.compile(
    r"(?i)\b(?:diperbarui|diterbitkan|dipublikasikan|published|updated|terbit|pukul|jam|on|at)\b"
    r"|[\s|,:;()\-–—•/·.]+"
)


@dataclass(frozen=True)
class DateMention:
    """A date written in the text; `year` is None when the text leaves it out."""

    day: int
    month: int
    year: int | None
    weekday: int | None  # Monday = 0, as date.weekday()
    start: int
    end: int


def safe_date(year: int, month: int, day: int) -> date | None:
    """The date, or None when there is no such day (31 February)."""
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _year(text: str | None) -> int | None:
    if not text:
        return None
    y = int(text)
    return 2000 + y if y < 100 else y


def find_dates(text: str) -> list[DateMention]:
    """Every date written in `text`, in order, with the weekday written before it if any."""
    found: list[DateMention] = []
    matches = [*_DATE_RE.finditer(text), *_ENGLISH_DATE_RE.finditer(text)]
    matches.sort(key=lambda m: m.start())
    for m in matches:
        g = m.group
        if m.re is _DATE_RE and g("iso"):
            day, month, year = int(g("id")), int(g("im")), _year(g("iy"))
        elif m.re is _DATE_RE and g("paren"):
            day, month, year = int(g("pd")), int(g("pm")), _year(g("py"))
        elif m.re is _DATE_RE and g("num"):
            day, month, year = int(g("nd")), int(g("nm")), _year(g("ny"))
        elif m.re is _DATE_RE:
            day, month, year = int(g("ad")), MONTHS[g("am").lower()], _year(g("ay"))
        else:
            day, month, year = int(g("ed")), MONTHS[g("em").lower()], _year(g("ey"))
        if not (1 <= month <= 12 and 1 <= day <= 31):
            continue
        before = _WEEKDAY_BEFORE_RE.search(text, max(0, m.start() - 16), m.start())
        weekday = WEEKDAYS[before.group("w").lower()] if before else None
        start = before.start() if before else m.start()
        found.append(DateMention(day, month, year, weekday, start, m.end()))
    return found


def parse_date(value: str | None) -> date | None:
    """A metadata date: ISO (with or without time), `10/01/2022`, `Selasa, 11 Januari 2022`."""
    if not value or not value.strip():
        return None
    text = value.strip()
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        pass
    for mention in find_dates(text):
        if mention.year is not None:
            resolved = safe_date(mention.year, mention.month, mention.day)
            if resolved is not None:
                return resolved
    return None


def is_date_line(text: str) -> bool:
    """A paragraph that is only a date (and maybe a time): page furniture, not a sentence."""
    if len(text) > 80:
        return False
    mentions = [m for m in find_dates(text) if m.year is not None]
    if not mentions:
        return False
    rest = text
    for m in reversed(mentions):
        rest = rest[: m.start] + " " + rest[m.end :]
    rest = _TIME_RE.sub(" ", rest)
    return not _DATE_LINE_FILLER_RE.sub("", rest)
