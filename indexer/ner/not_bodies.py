"""Names the tagger reads as bodies that name a thing or an event (issue #20: no junk).

- A product's model code ("Oppo A9", "Galaxy A50", "YZR-M1", "CN-235", "UAV CH4", "V12", and
  "CO2" or "FP1", which are no products either): a word of one or two capitals and digits, or
  capitals, a hyphen and digits. A team's age group ("Timnas U-16") and the G20 forums are
  bodies; a band's name of three capitals ("JKT48", "GOT7") is not such a code.
- A sporting competition or race ("MotoGP San Marino", "Formula E", "GP Aragon", "Hong Kong
  Open", "Badminton Asia Championships") or a gathering named in English ("Indonesia Human
  Resources Summit", "Kompas Travel Fair"): an event, not a body, a person or a place.
- A vehicle's model after its maker ("Toyota Calya", "Daihatsu Sigra", "Nissan Leaf",
  "Toyota Corolla Altis", "Lamborghini Sian"): a product, and so is the model's name alone in
  that article ("Calya dan Sigra"). The maker alone stays a company; a maker's company or team
  ("Toyota Motor Manufacturing", "Yamaha Factory Racing", "Honda Indonesia") is no model.
- A company's service or product named by gluing a word to the company's name ("GrabCar",
  "GrabFood", "GrabKitchen", "UberEats"; Gojek's "GoFood", "GoPay"), where the article names
  the company itself: a product, not a second body or a place.
"""

from __future__ import annotations

import re
from collections.abc import Sequence, Set
from typing import Protocol

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


# Vehicle makers whose models Indonesian news names after them.
_MAKERS = (
    "Toyota", "Daihatsu", "Honda", "Suzuki", "Nissan", "Mitsubishi", "Hyundai", "Wuling",
    "Mazda", "Datsun", "Isuzu", "Lexus", "BMW", "Mercedes-Benz", "Audi", "Volkswagen",
    "Chevrolet", "Tesla", "Lamborghini", "Ferrari", "Porsche", "Renault", "Peugeot", "DFSK",
    "Chery", "Volvo", "Subaru", "Kia", "Kawasaki", "Yamaha",
)  # fmt: skip
_MAKER_THEN_NAME = re.compile(
    rf"(?<![\w-])(?:{'|'.join(_MAKERS)}) ([A-Z][\w-]*(?: [A-Z][\w-]*)?)"
)  # fmt: skip
# The same without its leading look-behind, which keeps re from skipping ahead to a maker's
# first letter: a whole article's search in a quarter of the time, and None whenever the
# other is.
_MAKER_SCAN = re.compile(_MAKER_THEN_NAME.pattern.removeprefix(r"(?<![\w-])"))
# Words after a maker that name its company, its unit or its team, never a model.
_MAKER_COMPANY_WORDS = frozenset(
    (
        "Motor", "Motors", "Indonesia", "Astra", "Prospect", "Indomobil", "Group", "Grup",
        "Corporation", "Corp", "Company", "Co", "Tbk", "Financial", "Finance", "Foundation",
        "Club", "Racing", "Team", "Factory", "Motorsport", "Motorsports", "Sport", "Sports",
        "Ecstar", "Manufacturing", "Sales", "Auto", "Automobile", "Automotive", "International",
        "Global", "Japan", "Jepang", "Asia", "Center", "Centre", "Dealer", "Mobil", "Marine",
        "Engineering", "Research", "Academy", "Fans", "Owners", "Community", "Komunitas",
        "Klub", "Museum", "Pusat", "Mandala", "Kalla", "Trans", "Daya", "Adira", "Bank",
    )
)  # fmt: skip
_MAKER_WORDS = frozenset(_MAKERS)


# Racing news writes a rider or a driver after his maker's team ("Yamaha Valentino Rossi",
# "Ferrari Charles Leclerc"): there the words after a maker are no model.
_RACING = ("pembalap", "pebalap", "motogp", "formula", "balapan", "rider", "sirkuit", "grand prix")


# A post before the maker: the name after it is its holder's ("CEO Tesla Elon Musk", "bos
# Nissan Carlos Ghosn", "Presiden Direktur Toyota Warih Andang").
_POST_BEFORE = re.compile(
    r"(?i:\b(?:ceo|cto|coo|cfo|direktur|dirut|bos|pendiri|founder|presiden|president|chairman"
    r"|ketua|komisaris|manajer|manager|head|chief|pimpinan|petinggi|eksekutif|executive"
    r"|utama|juru bicara|jubir|perwakilan|insinyur|desainer|pemilik|officer|of)(?: \w+)?)\s+$"
)


def vehicle_models(text: str) -> frozenset[str]:
    """The vehicle products the article names: each maker's name with the model after it
    ("Toyota Calya", "Toyota Corolla Altis") and the model alone ("Calya", "Corolla Altis").
    None in a racing article (see _RACING)."""
    found: set[str] = set()
    if _MAKER_SCAN.search(text) is None:  # (most articles: at once)
        return frozenset()
    low = text.lower()
    if any(w in low for w in _RACING):
        return frozenset()
    for m in _MAKER_THEN_NAME.finditer(text):  # (most articles: none)
        if _POST_BEFORE.search(text, max(0, m.start() - 40), m.start()) is not None:
            continue  # "CEO Tesla Elon Musk": a person
        words = m.group(1).split()
        while words and words[-1] in _MAKER_COMPANY_WORDS | _MAKER_WORDS:
            words.pop()  # "Toyota Calya Indonesia"? the model is what comes before
        if not words or words[0] in _MAKER_COMPANY_WORDS or words[0] in _MAKER_WORDS:
            continue
        model = " ".join(words)
        maker = m.group(0)[: m.start(1) - m.start()].rstrip()
        found.update((model, f"{maker} {model}", f"{maker} {words[0]}", words[0]))
    return frozenset(found)


# One word, a capitalised name and a capitalised word run together: "GrabFood", "UberEats".
_GLUED = re.compile(r"([A-Z][a-z]+)([A-Z][a-z]{2,})")
_GO_MAKERS = frozenset(("Gojek", "Go-Jek", "GoJek"))  # its own products are "Go…": GoFood


class _Named(Protocol):
    label: str
    canonical: str


def glued_product(name: str, mentions: Sequence[_Named]) -> bool:
    """Is `name` a product named by gluing a word to its company's name, a company the
    article names on its own ("GrabCar" beside "Grab")? (A brand of that shape whose first
    part names no body of the article, "PayPal", "YouTube", "WhatsApp", stays a name.)"""
    m = _GLUED.fullmatch(name)
    if m is None or name in _GO_MAKERS:
        return False
    brand = m.group(1)
    bodies = {x.canonical for x in mentions if x.label == "ORG"}
    return brand in bodies or (brand == "Go" and not bodies.isdisjoint(_GO_MAKERS))
