"""Names the tagger reads as bodies that name a thing or an event (issue #20: no junk).

- A product's model code ("Oppo A9", "Galaxy A50", "YZR-M1", "CN-235", "UAV CH4", "V12", and
  "CO2" or "FP1", which are no products either): a word of one or two capitals and digits, or
  capitals, a hyphen and digits. A team's age group ("Timnas U-16") and the G20 forums are
  bodies; a band's name of three capitals ("JKT48", "GOT7") is not such a code.
- A sporting competition or race ("MotoGP San Marino", "Formula E", "GP Aragon", "Hong Kong
  Open", "Badminton Asia Championships") or a gathering named in English ("Indonesia Human
  Resources Summit", "Kompas Travel Fair"): an event, not a body, a person or a place.
"""

from __future__ import annotations

import re
from collections.abc import Set

from index_format.names import name_key

_MODEL_CODE = re.compile(
    r"(?<![\w-])(?:[A-Z]{1,2}\d{1,4}[A-Za-z]?|[A-Z]{1,3}-[A-Z]{0,2}\d{1,4}[A-Za-z]?)(?![\w-])"
)
_NOT_A_MODEL = re.compile(r"U-?\d{2}|G\d{1,2}")  # an age group; G7, G20: forums


def model_code(name: str) -> bool:
    """Does an organisation's name hold a product's model code?"""
    if _DIGIT.search(name) is None:  # (most names have no digit)
        return False
    return any(not _NOT_A_MODEL.fullmatch(m.group()) for m in _MODEL_CODE.finditer(name))


_DIGIT = re.compile(r"\d")


# A competition's name opens with its series (a race's adds the place) or ends with its kind.
# Series: MotoGP and its classes, Formula racing, a Grand Prix; leagues and cups by name.
_SERIES = re.compile(
    r"(?:MotoGP|Moto[23E]|F1|Formula(?: One| E| \d)?|Grand Prix|GP)(?: (.+))?"
    r"|(?:Serie A|Bundesliga|Premier League|La Liga|Liga Champions|Liga Europa|Copa America"
    r"|Piala Dunia|Piala AFF|Piala Asia|Piala Presiden|Asian Games|SEA Games)(?: .+)?"
)
_SERIES_FIRST = frozenset(
    (
        "MotoGP", "Moto2", "Moto3", "MotoE", "F1", "Formula", "Grand", "GP", "Serie",
        "Bundesliga", "Premier", "La", "Liga", "Copa", "Piala", "Asian", "SEA",
    )
)  # fmt: skip
_EVENT_KINDS = (
    "Open", "Masters", "Championship", "Championships", "E-Prix", "Grand Prix",
    # Gatherings named in English ("Indonesia Human Resources Summit", "Kompas Travel Fair").
    "Summit", "Fair", "Expo", "Conference",
)  # fmt: skip


def competition(name: str, places: Set[str]) -> bool:
    """Is `name` a sporting competition's or a race's? A series alone or with more after it
    ("MotoGP Aragon"; "GP" only with a place: "GP Ansor" is a youth movement), or a name
    ending with an event's kind after a word of its own ("Hong Kong Open")."""
    first, _, _ = name.partition(" ")
    m = _SERIES.fullmatch(name) if first in _SERIES_FIRST else None
    if m is not None:
        rest = m.group(1)
        return rest is None or not name.startswith("GP ") or name_key(rest) in places
    head, _, last = name.rpartition(" ")
    return bool(head) and last in _EVENT_KINDS
