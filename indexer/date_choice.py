"""Which date an article was published on, or none when the evidence does not say.

A wrong date is worse than none: it puts an article in the wrong year of every chart and
nobody sees it. So each date written in the article becomes a candidate; a partial one
("Minggu (21/8)") gets a year only when the evidence leaves exactly one open
(indexer.date_evidence); and the publication date is chosen by the part the date plays:

- a line that is only a date, or the date in the dateline ("Jakarta, Senin (10/1) -");
- a reporting date: "…," kata Rusli, Rabu (11/9/2019)." (a reporting verb before it, less
  so when it only ends the sentence), with a weekday, in the lead paragraphs;
- any other past date, less so;
- never a date in a plan, a schedule or a range ("akan digelar pada…", "hingga 30 Desember",
  "14-22 September"), nor history ("…2015 silam"), nor one after the ingestion day.

Among equals the latest wins (a report comes after what it reports); a bare date later than
every other one in the article is suspect (a weekday or a reporting verb says it is a report).
When the best candidate is only a bare date in the body, there is no date. A full date in the
URL or file name (`/2016/08/21/`) is the publication date itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from indexer.date_evidence import (
    AddressDate,
    ArchiveDates,
    DateSpan,
    address_date,
    mtime_window,
)
from indexer.dates import DateMention, find_dates, safe_date
from indexer.models import DateSource, RawRecord

# Scores (see _score): a candidate needs at least ACCEPT to be the publication date.
ACCEPT = 4
# Partial dates are looked for this far back from the ingestion day.
LOOKBACK_YEARS = 60
# Characters of the paragraph before a date that its cues are read from.
_CONTEXT = 80

# A plan or schedule: a future word anywhere earlier in the sentence ("akan menggelar rapat
# evaluasi pada …"), or a word of starting, ending or validity right before the date
# ("mulai 1 Januari", "sejak Sabtu", "berlaku 9 September"; "mulai memadati jalan tol,
# Senin (4/7)" is a report).
_PLAN_RE = re.compile(
    r"(?i)\b(?:akan|bakal|dijadwalkan|jadwal(?:nya)?|rencana(?:nya)?|direncanakan|berencana|"
    r"hendak)\b[^.!?]{0,40}$"
    r"|\b(?:hingga|sampai|s\.d\.?|s/d|mulai|dimulai|berlaku|batas|paling\s+lambat|tenggat|"
    r"sejak|tanggal|tertanggal|pada\s+tahun|per)\b(?:\s+(?:pada|hari|tanggal))?[\s,]*$"
)
_RANGE_RE = re.compile(r"(?i)(?:\d\s*[-–—]\s*|\b(?:hingga|sampai|s/d|s\.d\.?|dan)\s+)$")
_REPORT_RE = re.compile(
    r"(?i)\b(?:kata|ujar|ucap|tutur|ungkap|jelas|terang|sebut|tegas|imbuh|tambah|papar|"
    r"katanya|ujarnya|ucapnya|tuturnya|ungkapnya|jelasnya|terangnya|dikutip|dilansir|"
    r"melansir|mengutip|dihubungi|ditemui|keterangan|wartawan|konferensi\s+pers|mengatakan|"
    r"menjelaskan|menyampaikan|mengungkapkan|said|told)\b[^.!?]{0,80}$"
)
_HISTORY_RE = re.compile(r"(?i)[\s,)]*(?:lalu|silam|yang\s+lalu)\b")
_FUTURE_RE = re.compile(r"(?i)[\s,)]*(?:mendatang|nanti|depan)\b")
_SENTENCE_END_RE = re.compile(r"[.!?]\s")
_ENDS_SENTENCE_RE = re.compile(r"[\s)\]]*(?:[.!?;]|$)")
# "Jakarta, Senin (10/1) -", "JAKARTA, 10/1 (ANTARA) -": a city, the date, then the dash.
_DATELINE_BEFORE_RE = re.compile(r"\s*(?:[A-Z][\w.'’ -]{1,30},\s*)?$")
_DATELINE_AFTER_RE = re.compile(r"\s*(?:\([^()]{1,30}\)\s*)?[-–—:]")


@dataclass(frozen=True)
class Candidate:
    """A date written in the article, what year it got, and what it looks like it is."""

    written: str
    when: date | None
    how: str  # its year: "written", or from the evidence with the "weekday" or without ("year")
    cues: tuple[str, ...]  # its part: dateline, report, lead, plan, history, …
    year_from: str = ""  # the evidence that gave a partial date its year
    rejected: str = ""  # why it has no date, or cannot be the publication date
    score: int = 0

    @property
    def usable(self) -> bool:
        return self.when is not None and not self.rejected

    def as_json(self) -> dict[str, Any]:
        return {
            "written": self.written,
            "date": self.when.isoformat() if self.when else None,
            "year": self.how,
            "year_from": self.year_from,
            "cues": list(self.cues),
            "score": self.score,
            "rejected": self.rejected,
        }


@dataclass(frozen=True)
class DateChoice:
    """The publication date found (or None and why), with the evidence for inspect."""

    published: date | None
    source: DateSource
    reason: str | None = None  # why there is no date (an ABSTAIN key), else None
    evidence: tuple[str, ...] = ()
    candidates: tuple[Candidate, ...] = field(default_factory=tuple)

    def as_json(self) -> dict[str, Any]:
        return {
            "date_source": self.source,
            "published": self.published.isoformat() if self.published else None,
            "no_date_because": self.reason,
            "evidence": list(self.evidence),
            "candidates": [c.as_json() for c in self.candidates],
        }


# Why an article has no date: the build report counts articles by these keys.
ABSTAIN = {
    "no-date": "no date written in the text",
    "no-year": "day and month only, and nothing fixes the year",
    "ambiguous-year": "the evidence leaves two or more years open",
    "weekday-conflict": "no year the evidence allows falls on the weekday written",
    "only-events": "only dates of plans, schedules, ranges or history",
    "weak": "only bare dates deep in the body",
    "after-today": "only dates after the ingestion day",
    "outside-dates-between": "only dates outside --dates-between",
}


@dataclass(frozen=True)
class _Anchors:
    """The windows a date must fall in (hard), and the years of the article's own full dates
    (soft: used when a weekday fits one of them)."""

    hard: tuple[DateSpan, ...]
    own_years: frozenset[int]
    today: date
    # The batch's years are a hard window for partial dates only: a full date written outside
    # them is demoted, not refused (an archive may hold an article older than its batch).
    batch: DateSpan | None = None

    def refusing(self, day: date) -> DateSpan | None:
        """The window (not the batch's) that `day`, written in full, falls outside of."""
        return next((s for s in self.hard if s is not self.batch and day not in s), None)

    def years_for(self, mention: DateMention) -> tuple[list[date], str]:
        """The dates `mention` (no year written) can be, and what narrowed them."""
        first_year = self.today.year - LOOKBACK_YEARS
        days = [
            d
            for y in range(self.today.year, first_year - 1, -1)
            if (d := safe_date(y, mention.month, mention.day)) is not None and d <= self.today
        ]
        if mention.weekday is not None:
            days = [d for d in days if d.weekday() == mention.weekday]
        for span in self.hard:
            days = [d for d in days if d in span]
        used = ", ".join(s.why for s in self.hard)
        near = [d for d in days if any(abs(d.year - y) <= 1 for y in self.own_years)]
        if mention.weekday is not None and near and len(days) > 1:
            own = "/".join(str(y) for y in sorted(self.own_years))
            return near, f"{used}, the article's own dates ({own})".lstrip(", ")
        return days, used


def _candidate(m: DateMention, text: str, cues: tuple[str, ...], anchors: _Anchors) -> Candidate:
    """The candidate for one mention: its date, or why it has none."""
    written = " ".join(text[m.start : m.end].split())
    if m.year is not None:
        when = safe_date(m.year, m.month, m.day)
        return Candidate(written, when, "written", cues, rejected="" if when else "not a real day")
    how = "weekday" if m.weekday is not None else "year"
    if m.weekday is None and not anchors.hard:
        return Candidate(written, None, how, cues, rejected="no-year")
    days, used = anchors.years_for(m)
    if len(days) == 1:
        return Candidate(written, days[0], how, cues, year_from=used)
    if not days:
        return Candidate(written, None, how, cues, rejected="weekday-conflict")
    years = ", ".join(str(d.year) for d in days[:4]) + (", …" if len(days) > 4 else "")
    return Candidate(written, None, how, cues, rejected=f"ambiguous-year: {years} fit")


def _cues(text: str, m: DateMention, unit: int, lead: int | None) -> tuple[str, ...]:
    """What the words around a date say it is."""
    before = text[max(0, m.start - _CONTEXT) : m.start]
    before = _SENTENCE_END_RE.split(before)[-1]
    after = text[m.end : m.end + 24]
    cues: list[str] = []
    near_start = m.start <= 40 and unit <= 3
    if (
        near_start
        and _DATELINE_BEFORE_RE.fullmatch(text[: m.start])
        and _DATELINE_AFTER_RE.match(after)
    ):
        cues.append("dateline")
    if unit <= 3 or unit == lead:
        cues.append("lead")
    if _REPORT_RE.search(before):
        cues.append("report")
    elif _ENDS_SENTENCE_RE.match(after):  # "…di Istana, Senin (16/9/2019)." weaker than a verb
        cues.append("sentence-end")
    if _RANGE_RE.search(before):
        cues.append("range")
    elif _PLAN_RE.search(before) or _FUTURE_RE.match(after):
        cues.append("plan")
    if _HISTORY_RE.match(after):
        cues.append("history")
    if m.weekday is not None:
        cues.append("weekday")
        when = safe_date(m.year, m.month, m.day) if m.year is not None else None
        if when is not None and when.weekday() != m.weekday:
            cues.append("weekday-mismatch")
    return tuple(cues)


def _score(cues: tuple[str, ...]) -> int:
    """How much a date with these cues looks like the publication date (ACCEPT: enough).
    The weights follow what each cue was worth on CLICK-ID (bench/eval_dates.py)."""
    if "date-line" in cues or "dateline" in cues:
        return 9
    if "plan" in cues or "range" in cues:
        return 1
    has = set(cues).__contains__
    score = 2 + 2 * has("weekday") + 2 * has("report") + has("sentence-end") + has("lead")
    score += 2 * has("dateline-paragraph")
    score -= 3 * has("history") + has("weekday-mismatch")
    score -= 4 * has("outside-span") + has("latest-of-all")
    return score


Found = list[tuple[str, list[DateMention]]]  # each text with the dates written in it


def _candidates(lines: Found, units: Found, lead: int | None, anchors: _Anchors) -> list[Candidate]:
    found: list[Candidate] = []
    for line, mentions in lines:
        found.extend(_candidate(m, line, ("date-line",), anchors) for m in mentions)
    for i, (text, mentions) in enumerate(units):
        for k, m in enumerate(mentions):
            cues = _cues(text, m, i, lead)
            if i == lead and k == 0:  # "KONTAN.CO.ID - … pada Senin (10/1)": the report's day
                cues += ("dateline-paragraph",)
            found.append(_candidate(m, text, cues, anchors))
    return found


def _judge(found: list[Candidate], anchors: _Anchors) -> list[Candidate]:
    """Each candidate with its score, or with the reason it cannot be the date."""
    dated = [c.when for c in found if c.when is not None and c.when <= anchors.today]
    judged: list[Candidate] = []
    for c in found:
        cues, rejected = c.cues, c.rejected
        if c.when is not None:
            if c.when > anchors.today:
                rejected = "after-today"
            elif outside := anchors.refusing(c.when):
                rejected = f"outside {outside.why}"
            elif anchors.batch is not None and c.when not in anchors.batch:
                cues += ("outside-span",)
            others = [d for d in dated if d != c.when]
            # A bare date after every other one is a plan more often than the day of writing
            # (a weekday or a reporting verb says it is a report; measured on CLICK-ID).
            later = bool(others) and c.when > max(others) + timedelta(days=2)
            if later and not {"report", "sentence-end", "weekday"} & set(cues):
                cues += ("latest-of-all",)
        judged.append(replace(c, cues=cues, rejected=rejected, score=_score(cues)))
    return judged


def _abstention(judged: list[Candidate]) -> str:
    """Why none of the candidates is the publication date (an ABSTAIN key)."""
    if not judged:
        return "no-date"
    usable = [c for c in judged if c.usable]
    if usable:
        events = {"plan", "range", "history"}
        return "only-events" if all(events & set(c.cues) for c in usable) else "weak"
    reasons = [c.rejected.split(":")[0] for c in judged]
    for key in ("weekday-conflict", "ambiguous-year", "no-year", "after-today"):
        if key in reasons:
            return key
    if any(r.startswith("outside --dates-between") for r in reasons):
        return "outside-dates-between"
    return "no-date"


_SOURCE: dict[str, DateSource] = {
    "written": "text",
    "weekday": "weekday-inferred",
    "year": "year-inferred",
}


def _anchors(
    record: RawRecord,
    address: AddressDate | None,
    hint: ArchiveDates,
    own: frozenset[int],
    today: date,
) -> _Anchors:
    """The windows a date must fall in, strongest first: the user's span, the URL's or file
    name's, the file time's (trusted only on request), else the batch's years."""
    hard: list[DateSpan] = []
    if hint.between is not None:
        hard.append(hint.between)
    if address is not None:
        hard.append(address.window())
    if hint.trust_mtime and (saved := mtime_window(record)) is not None:
        hard.append(saved)
    batch = hint.batch_span(record)
    if batch is not None and not hard:
        hard.append(batch)
    else:
        batch = None
    return _Anchors(tuple(hard), own, today, batch)


def choose_date(
    units: list[str],
    *,
    record: RawRecord,
    url: str | None,
    today: date,
    date_lines: list[str] | None = None,
    lead: int | None = None,
    hint: ArchiveDates | None = None,
) -> DateChoice:
    """The publication date of an article whose metadata has none.

    `units` are its title and paragraphs, `date_lines` the paragraphs that are only a date,
    `lead` the index in `units` of the paragraph that follows the outlet's dateline.
    """
    hint = hint or ArchiveDates()
    address = address_date(record, url)
    lines = [(text, find_dates(text)) for text in date_lines or []]
    found = [(text, find_dates(text)) for text in units]
    own = frozenset(m.year for _, ms in [*lines, *found] for m in ms if m.year is not None)
    anchors = _anchors(record, address, hint, own, today)
    judged = _judge(_candidates(lines, found, lead, anchors), anchors)
    if address is not None and (full := address.full()) is not None and full <= today:
        source: DateSource = "url" if address.where == "url" else "filename"
        return DateChoice(full, source, None, (f"{address.where} {address.text}",), tuple(judged))
    evidence = [f"{s.why}: {s.label()}" for s in anchors.hard]
    usable = [c for c in judged if c.usable and c.score >= ACCEPT]
    if not usable:
        return DateChoice(None, "none", _abstention(judged), tuple(evidence), tuple(judged))
    best = max(usable, key=lambda c: (c.score, c.when, c.how == "written"))
    why = [f"chosen: {best.written} ({', '.join(best.cues) or 'no cue'})", *evidence]
    if best.year_from:
        why.append(f"its year from {best.year_from}")
    assert best.when is not None
    return DateChoice(best.when, _SOURCE[best.how], None, tuple(why), tuple(judged))
