"""Names written in lists (issue #20, round 21): two names joined by a hyphen, and a name
listed among places.

- **A pair written as one.** News joins two names with a hyphen for a ticket, a rivalry or a
  route: "Joko Widodo-Ma'ruf Amin", "perang dagang AS-China", "pipa Gresik-Semarang". The
  tagger reads the whole as one person or place. When each side is a name in its own right
  (a packaged place or region, a person or body the alias file names, or a person the article
  tags on its own elsewhere) and the whole is no known place ("Guinea-Bissau",
  "Bosnia-Herzegovina"), the span is split into the two names, each with its own type.
- **A name listed among places.** "Danau Toba, Borobudur, Mandalika, Labuan Bajo dan
  Likupang", "di Arafah, Muzdalifah dan Mina": a single word the tagger reads as a person,
  with a place right before and right after it in the same list (only commas, "dan", "atau"
  between), is a place, when it or one of those places is a place the gazetteer or the
  districts know (a list of brands the tagger read as places is no list of places: "Homeco,
  Aukey, Colgate") and no age follows it ("dan Maryono (40), warga Desa Brebeg": a person).
  One word only: a person's full name beside places is a list's heading or an aside ("Jawa
  Barat, Ridwan Kamil, dan …"), and a full name is rarely a place.
"""

from __future__ import annotations

import re

from index_format.names import name_key
from indexer.ner.aliases import AliasTable
from indexer.ner.regions import district

# What may stand between two items of one list.
_SEPARATOR = re.compile(r"\s*,\s*(?:(?:dan|atau|serta)\s+)?|\s+(?:dan|atau|serta)\s+")
_LAST_SEPARATOR = re.compile(r"\s*,?\s+(?:dan|atau|serta)\s+")
_AGE_AFTER = re.compile(r"\s*\(\d")
# Head words of places, taken off a neighbour before it is looked up ("Kecamatan Sirimau").
_PLACE_HEADS = frozenset(
    ("Kecamatan", "Kelurahan", "Desa", "Kampung", "Kabupaten", "Kota", "Danau", "Candi", "Pulau",
     "Gunung", "Pantai")
)  # fmt: skip
_CAPITAL_SIDE = re.compile(r"[A-Z][\w'.]*(?:\s+[A-Z][\w'.]*)*")


def _person_keys(aliases: AliasTable) -> frozenset[str]:
    """name_key of every person the alias file names, variant or canonical."""
    cached = aliases.derived.get("person_keys")
    if cached is None:
        cached = aliases.derived["person_keys"] = frozenset(
            name_key(n) for n in aliases.names_with_label("PER")
        )
    return cached


def _side_label(
    side: str, aliases: AliasTable, places: frozenset[str], persons: set[str]
) -> str | None:
    """The type of one side of a pair, or None when it names nothing on its own."""
    if not _CAPITAL_SIDE.fullmatch(side):
        return None
    key = name_key(side)
    if key in places or aliases.has(side, "LOC"):
        return "LOC"
    if key in persons or key in _person_keys(aliases):
        return "PER"
    if key in aliases.body_keys():
        return "ORG"
    return None


def split_pairs(
    text: str,
    tagged: list[tuple[str, int, int]],
    aliases: AliasTable,
    places: frozenset[str],
) -> list[tuple[str, int, int]]:
    """The spans with each person or place written as "X-Y" of two names made two spans."""
    if "-" not in text:
        return tagged
    candidates = [
        i
        for i, (label, s, e) in enumerate(tagged)
        if label != "ORG" and text.find("-", s + 1, e - 1) > 0
    ]
    if not candidates:
        return tagged
    persons = {name_key(text[s:e]) for label, s, e in tagged if label == "PER"}
    out = list(tagged)
    for i in reversed(candidates):
        _, s, e = tagged[i]
        dash = text.find("-", s + 1, e - 1)
        if text.find("-", dash + 1, e) > 0 or text[dash - 1].isspace() or text[dash + 1].isspace():
            continue  # (several hyphens or a spaced dash: not a pair of two names)
        if name_key(text[s:e]) in places:
            continue  # "Guinea-Bissau": one place
        left = _side_label(text[s:dash], aliases, places, persons)
        right = _side_label(text[dash + 1 : e], aliases, places, persons) if left else None
        if left and right:
            out[i : i + 1] = [(left, s, dash), (right, dash + 1, e)]
    return out


def _known_place(name: str, places: frozenset[str]) -> bool:
    """A packaged place, region or district, with or without its head word."""
    head, _, rest = name.partition(" ")
    if rest and head in _PLACE_HEADS:
        name = rest
    return name_key(name) in places or district(name) is not None


def places_among_places(
    text: str, tagged: list[tuple[str, int, int]], places: frozenset[str]
) -> list[tuple[str, int, int]]:
    """The spans with a one-word person listed between two places, or after two places as
    the list's last item ("Arafah, Muzdalifah dan Mina"), made a place."""
    out = tagged
    for i in range(1, len(tagged)):
        label, s, e = tagged[i]
        if label != "PER" or text.find(" ", s, e) >= 0 or _AGE_AFTER.match(text, e):
            continue
        before = tagged[i - 1]
        if before[0] != "LOC" or not _SEPARATOR.fullmatch(text, before[2], s):
            continue
        after = tagged[i + 1] if i + 1 < len(tagged) else None
        first = tagged[i - 2] if i >= 2 else None
        if after is not None and after[0] == "LOC" and _SEPARATOR.fullmatch(text, e, after[1]):
            other = after  # "Borobudur, Mandalika, Labuan Bajo"
        elif (
            first is not None
            and first[0] == "LOC"
            and _LAST_SEPARATOR.fullmatch(text, before[2], s)
            and _SEPARATOR.fullmatch(text, first[2], before[1])
        ):
            other = first  # "Arafah, Muzdalifah dan Mina"
        else:
            continue
        if not any(_known_place(text[a:b], places) for _, a, b in (tagged[i], before, other)):
            continue  # (a list of names the tagger read as places: "Homeco, Aukey, Colgate")
        if out is tagged:
            out = list(tagged)
        out[i] = ("LOC", s, e)
    return out
