"""Names glued to what stands beside them, split apart (issue #20: names end where names end).

- A results table writes a competitor's country code between his name and his team ("Cal
  Crutchlow GBR LCR Honda (RC213V) 88", "ITA Petronas Yamaha"): the code is no part of either
  name, and before it stands a person, after it a team.
- A title before a company and its head writes them as one run ("CEO Lippo Group James
  Riady", "Kepala Riset Reliance Sekuritas Lanjar Nafi"): a body's closing word (Group,
  Foundation, Tbk, Sekuritas) inside the run ends the body, and the person follows.
- Fan news names an idol with her group ("Jungkook BTS", "Lisa BLACKPINK"): where the article
  names the group on its own too, the group is no part of her name ("Mahfud MD" and "Titi DJ",
  whose capitals are their own, stay whole).
"""

from __future__ import annotations

import re
from collections.abc import Set
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

from index_format.names import name_key


@lru_cache(maxsize=1)
def country_codes() -> frozenset[str]:
    """The codes of indexer/data/country_codes.tsv."""
    data = resources.files("indexer") / "data" / "country_codes.tsv"
    return frozenset(
        line.split("\t", 1)[0]
        for line in data.read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    )


_THREE_CAPITALS = re.compile(r"\b[A-Z]{3}\b")


class Parts(NamedTuple):
    """A span cut at a country code: the name before it and the name after it, as (start,
    end) pairs; None where the code opens or ends the span."""

    before: tuple[int, int] | None
    after: tuple[int, int] | None


def cut_at_country_code(text: str, start: int, end: int) -> Parts | None:
    """The span text[start:end] cut at the first country code inside it, or None without one.
    A code alone gives Parts(None, None): a country's code, no body's or person's name."""
    if text[start:end].istitle():
        return None  # "Joko Widodo": a capital only after a non-letter, so no run of three
    for m in _THREE_CAPITALS.finditer(text, start, end):  # (most names: none at all)
        if m.group() in country_codes():
            head = text[start : m.start()].rstrip()
            tail_start = m.end() + (len(text[m.end() : end]) - len(text[m.end() : end].lstrip()))
            return Parts(
                (start, start + len(head)) if head else None,
                (tail_start, end) if tail_start < end else None,
            )
    return None


# A group's name: capitals (and digits), not a roman numeral ("Sultan Hamengku Buwono X").
_ROMAN = re.compile(r"[IVXLC]+")


def group_after_name(
    text: str, start: int, end: int, standalone: Set[str]
) -> tuple[int, int] | None:
    """The group's name glued after a person's ("Jungkook BTS Gila-Gilaan": BTS), when the
    article names that group on its own (`standalone`: keys of its one-word non-person names).
    What follows the group is a headline's words, no name."""
    if not standalone:
        return None
    for m in _GROUP_AFTER.finditer(text, start, end):  # (most names: none at all)
        word = m.group(1)
        if not _ROMAN.fullmatch(word) and name_key(word) in standalone:
            if text[start:end].isupper():
                return None
            return m.start(1), m.end(1)
    return None


_WORD = re.compile(r"\S+")
# A group's name after a word: capitals (and digits) alone.
_GROUP_AFTER = re.compile(r" ([A-Z][A-Z0-9]+)(?!\S)")


# Words that close a body's name, never inside a person's.
_BODY_CLOSERS = frozenset(
    (
        "Group", "Grup", "Foundation", "Corporation", "Company", "Inc", "Inc.", "Ltd", "Tbk",
        "Tbk.", "Sekuritas", "Securities",
    )
)  # fmt: skip


def body_before_person(text: str, start: int, end: int) -> tuple[int, int] | None:
    """(end of the body, start of the person) for a span that holds a body's closing word
    after a name of its own and before a name of two words or more."""
    if _CLOSER.search(text, start, end) is None:  # (most names: at once)
        return None
    words = list(_WORD.finditer(text, start, end))
    for i in range(1, len(words) - 2):
        if words[i].group() in _BODY_CLOSERS:
            rest = [w.group() for w in words[i + 1 :]]
            if len(rest) <= 4 and all(w[:1].isupper() and w not in _NOT_IN_NAMES for w in rest):
                return words[i].end(), words[i + 1].start()
            return None  # "SIAM Group Holding Ltd": the body runs on
    return None


_CLOSER = re.compile(
    r" (?:Group|Grup|Foundation|Corporation|Company|Inc|Ltd|Tbk|Sekuritas|Securities)\b"
)
_NOT_IN_NAMES = _BODY_CLOSERS | {"Holding", "Holdings", "Indonesia", "International"}


# A body's name that names someone after the body's kind: "Universitas Gadjah Mada", "Yayasan
# Habibie", "Rumah Sakit Fatmawati". A person the article names on its own may stand there. And
# a company's legal form, which names no body alone ("PT" + "Toko Modal Mitra").
_NAMED_FOR = frozenset(
    (
        "Universitas", "Institut", "Sekolah", "Akademi", "Politeknik", "Yayasan", "Rumah", "Sakit",
        "RS", "RSUD", "RSUP", "Museum", "Stadion", "Bandara", "Masjid", "Pesantren", "Ponpes",
        "Piala", "Penghargaan", "Anugerah", "Taman", "Jalan", "Gedung", "Kampus", "Monumen",
        "Makam", "Perpustakaan", "Balai", "Pusat", "Center", "Centre", "Foundation", "UIN",
        "IAIN", "STAI", "Kodam", "Korem", "Lanud", "Kapal", "KRI", "Teater", "Pondok",
        "PT", "CV", "UD", "Perum", "Persero", "Tbk", "Tbk.",
    )
)  # fmt: skip
# Words that end or extend a body's name, never a person's, whatever the tagger called them
# on their own: "Lion Air Group" is no "Group" after Lion Air.
_BODY_WORDS = _NOT_IN_NAMES | {
    "Air", "Airlines", "Airways", "Bank", "Club", "FC", "Racing", "Team", "United", "City",
    "Media", "Party", "Energy", "Resources", "Capital", "Studios", "Peduli",
}  # fmt: skip
_MAX_PERSON_WORDS = 4
_MIN_ACRONYM = 3  # letters of a one-word body's name in capitals that is a body's on its own


def _names_a_body(head: list[str]) -> bool:
    """Can `head` (the words before a person's name) be a body's whole name? Two words or more,
    or one acronym or hyphenated name ("WWF-Indonesia"): a single capitalised word is as likely
    a person's first name (a player the tagger read as a club)."""
    if head[-1] in _NAMED_FOR or head[0] in _NAMED_FOR:
        return False
    if head[-1].lower() in ("dan", "of", "and", "untuk", "&"):
        return False
    one = head[0]
    return len(head) >= 2 or "-" in one or (one.isupper() and len(one) >= _MIN_ACRONYM)


def person_after_body(
    text: str, start: int, end: int, people: Set[str], bodies: Set[str], other: Set[str]
) -> int | None:
    """Where the person starts in a body's span that runs on into a person's name: one the
    article gives a person on its own (`people`: keys of its person spans), as in "Partai
    Buruh Jeremy Corbyn", "WWF-Indonesia Lukas Adhyakso" (Lukas), "Partai Gerindra Daddy"
    (Daddy, whose surname the tagger tagged apart); or two words or more after a body of two
    words or more the article names on its own (`bodies`: keys of its organisation spans; a
    one-word body runs on into its sponsor or unit too: "KTM Red Bull"). The person's words are
    none of a known place's or body's (`other`: their keys) nor the article's bodies'. The
    longest such tail of one to four capitalised words wins; the body keeps a name that can be
    a body's whole name."""
    words = list(_WORD.finditer(text, start, end))
    if len(words) < 2:
        return None
    for k in range(min(_MAX_PERSON_WORDS, len(words) - 1), 0, -1):
        tail = words[len(words) - k :]
        if not all(w.group()[:1].isupper() and not w.group().isupper() for w in tail):
            continue
        tail_key = name_key(text[tail[0].start() : end])
        first = name_key(tail[0].group())
        head_end = words[len(words) - k - 1].end()
        # The person as the article names them on its own: the whole tail, its first word or
        # its first two ("Eka Rini" of "… Sragen Eka Rini Mumpuni").
        named = tail_key in people or (
            k >= 3 and name_key(f"{tail[0].group()} {tail[1].group()}") in people
        )
        if not (
            named
            or (k >= 2 and first in people)
            or (
                k >= 2
                and text.count(" ", start, head_end) >= 1  # "Partai Buruh", not "KTM" (Red Bull)
                and name_key(text[start:head_end]) in bodies
            )
        ):
            continue
        wrong = [
            w
            for w in tail
            if w.group() in _NAMED_FOR
            or w.group() in _BODY_WORDS
            or name_key(w.group()) in other
            or name_key(w.group()) in bodies
        ]
        if wrong == [tail[0]] and k >= 3 and name_key(tail[0].group()) in other:
            continue  # "Dinas Pertanian Kabupaten Sragen Eka Rini Mumpuni": Sragen is the body's
        if tail_key in bodies or wrong:
            return None
        head = [w.group() for w in words[: len(words) - k]]
        if len(head) > 1 and _INITIAL.fullmatch(head[-1]):
            # "Garuda Indonesia M Ikhsan Rosan": the initial is the person's
            head, tail = head[:-1], words[len(words) - k - 1 :]
        if _names_a_body(head):
            return tail[0].start()
        # One word that the article names as a body on its own, before a person of two words or
        # more it names on its own too: "Kaskus Andrew Darwis" (founder of Kaskus).
        if len(head) == 1 and k >= 2 and named and name_key(head[0]) in bodies:
            return tail[0].start()
        return None
    return None


_INITIAL = re.compile(r"[A-Z]\.?")


def body_before_person_named(
    text: str, start: int, end: int, bodies: Set[str], people: Set[str]
) -> int | None:
    """Where the person starts in a person's span that opens with a body the article names on
    its own (`bodies`: keys of its organisation spans) and ends with a person it names too
    (`people`: keys of its person spans, the rest or its first word): "Muhammadiyah Haedar
    Nashir" (Ketua Umum PP, cut off before; "Haedar" later). The person keeps two words or
    more: a one-word rest may be the body's own last word."""
    words = list(_WORD.finditer(text, start, end))
    for n in range(1, len(words) - 1):
        if name_key(text[start : words[n - 1].end()]) in bodies:
            rest = words[n:]
            if (
                all(w.group()[:1].isupper() and not w.group().isupper() for w in rest)
                and (
                    name_key(text[rest[0].start() : end]) in people
                    or name_key(rest[0].group()) in people
                )
                and words[0].group() not in _NAMED_FOR
            ):
                return rest[0].start()
            return None
    return None
