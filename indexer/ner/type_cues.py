"""Words of the article that settle a name's type where the tagger read it wrongly.

- **Individual sports.** In an article about badminton, tennis, golf or chess (it names a
  "tunggal putra", "ganda campuran", a "pebulu tangkis", a "petenis"…), players are the
  names: the tagger read "Jonatan Christie", "Anthony Sinisuka Ginting" and "Shesar Hiren
  Rhustavito" as teams in results lists and headlines ("Shesar Singkirkan Jonatan Christie").
  There a name of two to four capitalised words that no body, venue, event or place word marks
  is a person, and so is one word of a person the article names ("Shesar").
- **Riders before their team.** In a racing article (a "pembalap", MotoGP), a name written
  right before a team the alias file knows, after a dash, a bracket or a country's code
  ("10. Cal Crutchlow - LCR Honda (RC213V)", "Francesco Bagnaia (Pramac Racing)", "Cal
  Crutchlow GBR LCR Honda"), is its rider, in the whole article. (Not every name of such an
  article: circuits, streets and sponsors are named there as often as people.)
- **Companies by their kind.** A name written right after the kind of company it is
  ("perusahaan e-commerce seperti Tokopedia", "startup Botika", "aplikasi Gojek"), or in the
  list such a kind opens ("unicorn dan decacorn yaitu Gojek, Tokopedia, Bukalapak"), or a
  "place" after a company's people ("karyawan Bukalapak", "CEO Tokopedia"), is a body in the
  whole article, though "di Tokopedia" made the tagger read a place.

Both leave alone what a gazetteer or the alias file knows (places, clubs, bodies).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Sequence
from itertools import pairwise
from typing import Protocol

from index_format.names import name_key
from indexer.ner.aliases import AliasTable
from indexer.ner.lexicon import _BODY_HEADS
from indexer.ner.refine import ORG_TAILS, body_by_last_word, company_form, looks_like_body
from indexer.ner.regions import district


class _Mention(Protocol):
    label: str
    start: int
    end: int
    canonical: str


_IsPlace = Callable[[str], bool]  # a packaged place or a form of a region (merge._is_known_place)

# An individual sport's event or athlete, anywhere in the article.
_SOLO_SPORT = re.compile(
    r"(?i:\b(?:tunggal|ganda)\s+(?:putra|putri|campuran)\b|\bpebulu\s?tangkis\b"
    r"|\bpebulutangkis\b|\bpetenis\b|\bpegolf\b|\bpecatur\b)"
)
_SOLO_WORDS = ("tunggal", "ganda", "pebulu", "petenis", "pegolf", "pecatur")
# Words of venues, events, teams and bodies in such articles: what they are in is no person.
_NOT_PERSON_WORDS = frozenset(
    {
        *_BODY_HEADS, *ORG_TAILS, "Timnas", "Persatuan", "Perkumpulan", "PB",
        "Sports", "Sport", "Gymnasium", "Arena", "Hall", "Istora", "Stadion", "Stadium", "GOR",
        "Open", "Masters", "Championship", "Championships", "Cup", "Piala", "Series", "Tour",
        "Super", "World", "Final", "Finals", "Olympic", "Olimpiade", "Games", "Badminton",
        "Tennis", "Golf", "Chess", "Federation", "Federasi", "League", "Liga", "Kejuaraan",
        "Grand", "Prix", "Asian", "SEA", "International", "Internasional", "Indonesia",
        # motor racing's teams, makers, sponsors and circuits ("Petronas Yamaha", "Red Bull")
        "Racing", "Team", "Motor", "Motors", "Academy", "Sirkuit", "Circuit", "Yamaha",
        "Honda", "Ducati", "Suzuki", "Aprilia", "Kawasaki", "Kalex", "Petronas", "Repsol",
        "Monster", "Energy", "Bull", "Ecstar", "Pramac", "Avintia", "Gresini", "Tech3",
    }
)  # fmt: skip


def solo_sport_players(
    text: str, mentions: Sequence[_Mention], aliases: AliasTable, is_place: _IsPlace
) -> None:
    """In an article about an individual sport, names tagged as bodies or places that look
    like a person's are people (see the module's docstring)."""
    # (A plain substring test first: most articles name no individual sport.)
    low = text.lower()
    if not any(word in low for word in _SOLO_WORDS) or _SOLO_SPORT.search(text) is None:
        return
    for m in mentions:
        words = m.canonical.split()
        if m.label != "PER" and 2 <= len(words) <= 4 and _a_persons(m.canonical, aliases, is_place):
            m.label = "PER"
    people = {w for m in mentions if m.label == "PER" for w in m.canonical.split() if len(w) > 2}
    for m in mentions:
        if (
            m.label != "PER"
            and m.canonical in people
            and _a_persons(m.canonical, aliases, is_place)
        ):
            m.label = "PER"  # "Shesar" beside "Shesar Hiren Rhustavito"


_RACING_WORDS = ("pembalap", "pebalap", "motogp", "moto2", "moto3")
# Between a rider and the team after them: a dash, a bracket, or a country's three capitals.
_RIDER_TO_TEAM = re.compile(r"\s*(?:[-–]|\(|[A-Z]{3})\s*")


def riders_before_teams(
    text: str, mentions: Sequence[_Mention], aliases: AliasTable, is_place: _IsPlace
) -> None:
    """In a racing article, a name tagged as a body or place right before a known team is a
    rider (see the module's docstring)."""
    low = text.lower()
    if not any(w in low for w in _RACING_WORDS):
        return
    riders: set[str] = set()
    for a, b in pairwise(mentions):
        if (
            a.label != "PER"
            and b.label == "ORG"
            and _RIDER_TO_TEAM.fullmatch(text, a.end, b.start) is not None
            and aliases.has(b.canonical, "ORG")
            and 2 <= len(a.canonical.split()) <= 4
            and _a_persons(a.canonical, aliases, is_place)
        ):
            riders.add(name_key(a.canonical))
    if riders:
        for m in mentions:
            if m.label != "PER" and name_key(m.canonical) in riders:
                m.label = "PER"


def _a_persons(name: str, aliases: AliasTable, is_place: _IsPlace) -> bool:
    """Could `name` be a person's: capitalised words of letters (no acronym), none a body's,
    venue's or event's word or a place, no body or place the alias file or gazetteers know."""
    words = name.split()
    return (
        all(
            w[:1].isupper()
            and not w.isupper()
            and w.replace("-", "").replace("'", "").isalpha()
            and w not in _NOT_PERSON_WORDS
            and not is_place(w)
            for w in words
        )
        and not is_place(name)
        and district(name) is None
        and not aliases.has(name, "ORG")
        and not aliases.has(name, "LOC")
        and not looks_like_body(name)
        and not company_form(name)
        and not body_by_last_word(name)
    )


# The kind of company right before its name, maybe qualified, maybe opening a list: "perusahaan
# e-commerce seperti", "perusahaan rintisan (startup), yaitu", "unicorn dan decacorn yaitu".
_KINDS = r"perusahaan|e-?commerce|marketplace|start-?up|unicorn|decacorn|aplikasi|platform|situs"
_COMPANY_BEFORE = re.compile(
    rf"(?i:\b(?:{_KINDS})(?:,?\s+(?:{_KINDS}|rintisan|teknologi|digital|daring|online|dan|atau"
    r"|seperti|yakni|yaitu|antara\s+lain|milik|asal\s+\w+|\(\w+\)))*,?\s+"
    # the names listed before this one: "yaitu Nodeflux, Botika, DuitHape, Grab, Tokopedia"
    r"(?:[A-Z][\w-]*(?:\s[A-Z][\w-]*)?(?:,\s+|,?\s+dan\s+))*)$"
)
# A company's people right before its name (a place has no employees or founders): "karyawan
# Bukalapak", "CEO Tokopedia", "AVP of Business Tokopedia". Not for a person: "pendiri X" is
# as often a founder named after what he founded.
_STAFF_BEFORE = re.compile(
    r"(?:\b(?i:karyawan|pegawai|pendiri|co-?founder|founder)|\bCEO|\bCTO|\bCOO|\bVP"
    r"|\bAVP|\bof Business|\bof Corporate Communications?)\s+$"
)
_LIST_JOINS = (", ", " dan ", ", dan ", " serta ")
# Where to look at all: a kind's word (lower case), and any of a company's people's words.
_KIND_WORDS = (
    *("perusahaan", "commerce", "marketplace", "startup", "start-up", "unicorn", "decacorn"),
    *("aplikasi", "platform", "situs"),
)
_STAFF_LOWER = ("karyawan", "pegawai", "pendiri", "founder")
_STAFF_CASED = ("CEO", "CTO", "COO", "VP", "of Business", "of Corporate")


def _find_all(text: str, word: str) -> list[int]:
    out = []
    at = text.find(word)
    while at >= 0:
        out.append(at)
        at = text.find(word, at + len(word))
    return out


def companies_by_kind(
    text: str, mentions: Sequence[_Mention], aliases: AliasTable, is_place: _IsPlace
) -> None:
    """A name tagged as a place or a person, written once right after the kind of company it
    is (or the list that kind opens), or a place after a company's people, is a body in the
    whole article (see the module's docstring)."""
    # Where a kind's word ends, and whether any company's people are named: plain substring
    # scans (a case-insensitive regex over every article cost ~0.3 ms of its ~1.5).
    low = text.lower()
    kinds = sorted(at + len(w) for w in _KIND_WORDS for at in _find_all(low, w))
    has_staff = any(w in low for w in _STAFF_LOWER) or any(w in text for w in _STAFF_CASED)
    if not kinds and not has_staff:
        return
    named: set[str] = set()
    listed = False  # the mention before was such a company, in a list
    for i, m in enumerate(mentions):
        # Only where a kind's word ends in the 160 characters before the name.
        near = bisect_left(kinds, m.start - 160) < bisect_left(kinds, m.start + 1)
        after_kind = near and _COMPANY_BEFORE.search(text, max(0, m.start - 160), m.start)
        in_list = listed and text[mentions[i - 1].end : m.start] in _LIST_JOINS
        staff = has_staff and m.label == "LOC" and _after_staff(text, m.canonical)
        listed = False
        if not (after_kind or in_list or staff) or not _may_be_company(m, aliases, is_place):
            continue
        listed = bool(after_kind) or in_list
        if m.label != "ORG":
            named.add(name_key(m.canonical))
    if named:
        for m in mentions:
            if m.label != "ORG" and name_key(m.canonical) in named:
                m.label = "ORG"


def _after_staff(text: str, name: str) -> bool:
    """Is `name` written somewhere in `text` right after a company's people (the tagger may
    have left that mention out: "Karyawan Bukalapak Kena PHK")?"""
    at = text.find(name)
    while at >= 0:
        if _STAFF_BEFORE.search(text, max(0, at - 40), at) is not None:
            return True
        at = text.find(name, at + len(name))
    return False


def _may_be_company(m: _Mention, aliases: AliasTable, is_place: _IsPlace) -> bool:
    return (
        not is_place(m.canonical)
        and district(m.canonical) is None
        and not aliases.has(m.canonical, "LOC")
        and not aliases.has(m.canonical, "PER")
    )
