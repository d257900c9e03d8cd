"""Titles before names: where a name after "Presiden Kazakhstan" starts, and what a span
keeps once its titles and debris are stripped."""

from __future__ import annotations

import re
from collections.abc import Set

from index_format.names import name_key
from indexer.ner.lexicon import (
    _CAPITALISED_END,
    _LOWER_LEAD,
    _TITLE_FINALS,
    _TITLE_STARTS,
    _TITLE_WORD,
    _TITLES_AT,
    _TRAILING_RANK,
    _places,
)
from indexer.ner.regions import regions


def _place_before(before: str, known: Set[str], known_last: Set[str]) -> int:
    """Length of a place name (or other known name) that `before` ends with, else 0.

    `known_last` holds the last word of each key of `known`: a key that `before` ends with
    ends with the key of its last word, so most calls end after one lookup.
    """
    words = before.rsplit(None, 3)[-3:]  # before.split()[-3:]
    last = name_key(words[-1]) if words else ""
    if last and last.rpartition(" ")[2] not in known_last:
        return 0
    for n in (3, 2, 1):
        if len(words) >= n and name_key(" ".join(words[-n:])) in known:
            return len(" ".join(words[-n:]))
    return 0


def after_title(text: str, start: int, known: Set[str], known_last: Set[str]) -> bool:
    """Is text[start:] the name after a title, as in "Presiden Rusia, Vladimir Putin"?"""
    before = text[max(0, start - 80) : start].rstrip().rstrip(",").rstrip()
    last = before.rsplit(None, 1)[-1] if before else ""
    if last.islower() or not last:
        return False  # titles are capitalised: a name after "di" or "kata" ends here
    before = before[: len(before) - _place_before(before, known, known_last)].rstrip()
    # A title ends in one of its literal words (and maybe a dot): most names fail this at once.
    if not before or not before.rsplit(None, 1)[-1].rstrip(".").endswith(_TITLE_FINALS):
        return False
    # Anchored tries at the last few word starts: a search over the alternation was slow. A
    # title inside a longer name ("Gedung Wisma Menpora, Senayan") is no title.
    return any(
        _TITLE_WORD.fullmatch(before, m.start())
        and not _CAPITALISED_END.search(before, 0, m.start())
        for m in _TITLE_STARTS.finditer(before, max(0, len(before) - 48))
    )


def split_known_prefix(text: str, start: int, end: int, known: Set[str]) -> tuple[int, int] | None:
    """(end of a leading known name, start of the rest) inside [start, end), if any."""
    if name_key(text[start:end]) in known:
        return None  # "Wali Kota Jakarta Selatan": the whole span is the place
    words = list(re.finditer(r"\S+", text[start:end]))
    for n in (4, 3, 2, 1):
        if len(words) > n and name_key(" ".join(w.group(0) for w in words[:n])) in known:
            if words[n].group(0) in _GROUP_WORDS:
                if len(words) == n + 1:
                    return None  # "Gojek Group": one body
                n += 1  # "Presiden Gojek Group Andre Soelistyo": the group is the company's
            rest = words[n]
            if rest.group(0)[0].isupper():
                return start + words[n - 1].end(), start + rest.start()
    return None


_GROUP_WORDS = ("Group", "Grup")


# "Ratu" and "Raja" open many Indonesian names (Ratu Tisha Destria, Ratu Atut Chosiyah, Raja
# Sapta Oktohari), and title a monarch named by one name ("Raja Salman", "Ratu Elizabeth II").
_NAME_WORD = re.compile(r"[A-Z][a-z'’-]+")


def _royal_name_start(text: str, start: int, titles_end: int, end: int) -> int:
    """Where the name starts after the titles [start, titles_end): at their last word when that
    is "Ratu" or "Raja" opening two or three name words (no numeral, no place first), else
    after them."""
    head = text[start:titles_end].rstrip()
    if not head.endswith(("Ratu", "Raja")):
        return titles_end
    at = start + len(head) - 4
    words = text[titles_end:end].split()
    if not 2 <= len(words) <= 3 or not all(_NAME_WORD.fullmatch(w) for w in words):
        return titles_end  # "Ratu Elizabeth II", "Raja Abdul Aziz Ali Su'ud", "Raja Salman"
    first = name_key(words[0])
    if first in _places() or name_key(f"{head[-4:]} {words[0]}") in regions():
        return titles_end  # "Raja Yordania Abdullah": the country's king; "Raja Ampat"
    return at


def royal_lead(text: str, start: int, end: int) -> int:
    """The start of a person's span [start, end) the tagger began after an opening "Ratu" or
    "Raja" ("Bupati Serang Ratu [Tatu Chasanah]"): that word, when it is part of the name."""
    if not text.endswith(("Ratu ", "Raja "), 0, start) or (start > 5 and text[start - 6].isalnum()):
        return start
    lead = start - 5
    return lead if _royal_name_start(text, lead, start, end) == lead else start


# Words a title of several words goes on after: a span that starts right after one may hold
# the title's end ("Kepala Staf [Kepresidenan Moeldoko]", "Kepala Kantor [Staf Presiden …]").
_TITLE_INSIDE = ("Kepala ", "Staf ", "Kantor ")


def _past_title_begun_before(text: str, start: int, end: int) -> int:
    """Where the name starts when a title begun up to three words before `start` runs into
    the span; `start` if none does."""
    before = start
    for _ in range(3):
        before = text.rfind(" ", 0, before - 1) + 1
        m = _TITLES_AT.match(text, before, end)
        if m is not None and start < m.end() < end:
            return m.end()
        if before == 0:
            break
    return start


def strip_titles(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink [start, end) past leading titles and surrounding punctuation."""
    # Lower-case debris before a name ("maiwanews- Presiden ...") is not part of it.
    if start < end and not "A" <= text[start] <= "Z":  # else no [^A-Z\s] to start it
        lead = _LOWER_LEAD.match(text, start, end)
        if lead and lead.end() < end:
            start = lead.end()
    if text.endswith(_TITLE_INSIDE, 0, start):
        start = _past_title_begun_before(text, start, end)
    m = _TITLES_AT.match(text, start, end)
    if m:
        start = _royal_name_start(text, m.start(), m.end(), end)
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and not (text[end - 1].isalnum() or text[end - 1] == "."):
        end -= 1
    # Half a parenthesis is scraping debris or a cut: "Persero) Tbk", "PT Jasa Marga (Persero".
    close = text.find(")", start, end)
    if close >= 0 and text.find("(", start, close) < 0:
        return strip_titles(text, close + 1, end)
    opened = text.rfind("(", start, end)
    if opened >= 0 and text.find(")", opened, end) < 0:
        return strip_titles(text, start, opened)
    rank = _TRAILING_RANK.search(text, start, end)
    if rank:
        end = rank.start()
    # A trailing dot belongs to an initial or title (H.), not to a name ending a sentence.
    if end - start > 2 and text[end - 1] == "." and text[end - 3] != ".":
        end -= 1
    return start, end
