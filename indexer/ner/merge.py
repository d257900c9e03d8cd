"""Turn tagged mentions of one article into entities with merged canonical names.

Steps, in order: strip titles and honorifics; drop non-names (Baca, weekdays, a title alone,
quoted sentences); apply the alias table; join an acronym with its expansion; join a short
person name with the full name it abbreviates; give every mention of one name one label;
normalise the canonical name's case and spacing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Set
from dataclasses import dataclass
from functools import lru_cache

from index_format.names import name_key
from indexer.ner.aliases import AliasTable
from indexer.ner.defined_acronyms import (
    contraction_after,
    defines,
    run_on_to_acronym,
    whole_names,
)
from indexer.ner.features import cap_rate_bucket
from indexer.ner.glued import (
    body_before_person,
    body_before_person_named,
    cut_at_country_code,
    group_after_name,
    person_after_body,
)
from indexer.ner.lexicon import (
    _ACRONYM,
    _ACRONYM_AFTER,
    _ACRONYM_LEAD,
    _ACRONYM_MAX,
    _ACRONYM_TAIL,
    _BODY_HEADS,
    _CITY,
    _GENERIC,
    _LETTER_RUN,
    _NOT_NAMES,
    _ORDINARY,
    _QUOTES,
    _TIE_ORDER,
    _TITLES_AT,
    _UPPER_RUN,
    _WEB_ADDRESS,
    _places,
)
from indexer.ner.lists import places_among_places, split_pairs
from indexer.ner.not_bodies import competition, glued_product, model_code, vehicle_models
from indexer.ner.refine import (
    BODY_LAST_WORDS,
    NAMED_AFTER_ENDS,
    ORG_TAILS,
    body_at_end,
    body_before_for,
    body_by_last_word,
    body_then_person,
    byline_start,
    common_acronyms,
    company_form,
    directorate_name,
    epithet,
    facility,
    flight_or_stray_code,
    given_name_is_word,
    index_names,
    law_title,
    legal_run_on,
    looks_like_body,
    looks_like_debris,
    named_after,
    national_body,
    not_a_person,
    not_a_place,
    not_entities,
    not_entity,
    place_keys,
    place_name,
    premises,
    registration_code,
    repair_spans,
    shouted_title,
    split_scores,
    stock_ticker,
    suspect_initials,
    thing_named,
    trim,
    trim_post,
    two_bodies,
    word_list,
)
from indexer.ner.regional_bodies import full_province_form, full_words
from indexer.ner.regions import district, regions
from indexer.ner.spans import split_dashes, untagged_position_holders
from indexer.ner.titles import after_title, royal_lead, split_known_prefix, strip_titles
from indexer.ner.type_cues import (
    _SOLO_WORDS,
    companies_by_kind,
    riders_before_teams,
    solo_sport_players,
)


@dataclass(slots=True)
class Mention:
    label: str
    start: int
    end: int
    canonical: str = ""
    namesake: bool = False  # an alias was held back: the article's context is another person's


def _capitalize_words(name: str) -> str:
    return _LETTER_RUN.sub(lambda m: m.group(0).capitalize(), name)


@lru_cache(maxsize=50_000)
def display_form(name: str) -> str:
    """Normalise spacing and shouting: "NUR-SULTAN" → "Nur-Sultan"; acronyms stay upper,
    runs of them too ("DPR RI", "TNI AU", "PDI-P")."""
    name = " ".join(name.split())
    letters = [c for c in name if c.isalpha()]
    if letters and all(c.isupper() for c in letters):
        runs = _LETTER_RUN.findall(name)
        if len(runs) > 1 and all(
            len(r) <= _ACRONYM_MAX and cap_rate_bucket(r.lower()) not in _ORDINARY for r in runs
        ):
            return name
        if len(letters) > 5 or len(runs) > 1:
            return _capitalize_words(name)
    if letters and all(c.islower() for c in letters):
        return _capitalize_words(name)
    return name


_REGION_KINDS = frozenset(("Kota", "Kabupaten", "Provinsi", "Kecamatan", "Kelurahan", "Desa"))
# A state company's category before its name: "Komisaris Utama BUMN PT Adhi Karya".
_CATEGORY_BEFORE = ("BUMN PT ", "BUMD PT ")


@lru_cache(maxsize=50_000)
def _is_name(text: str, label: str) -> bool:
    if not text or not any(c.isalpha() for c in text):
        return False
    key = name_key(text)
    if key in _NOT_NAMES or key in _GENERIC:
        return False
    if any(c in _QUOTES for c in text) or _WEB_ADDRESS.fullmatch(text):
        return False
    words = text.split()
    if len(words) > 1 and words[-1] in _REGION_KINDS:
        return False  # "DPRD Kota": a name cut before its region's ("DPRD Kota Tasikmalaya")
    if label == "PER" and len(words) == 1 and (text in BODY_LAST_WORDS or text in ORG_TAILS):
        return False  # "Korupsi" of a cut "Komisi Pemberantasan Korupsi", "FC" of a club's
    if len(words) == 2 and _WEB_ADDRESS.fullmatch(words[1]):
        return False  # an outlet's section ("Tekno Tempo.co"): the outlet facet has it
    # A person's name is short and capitalised; a long lower-case run is a sentence.
    if label == "PER" and (len(words) > 5 or sum(w[0].islower() for w in words) > 1):
        return False
    # Words news writes in lower case, capitalised after a title or at a sentence's start
    # ("Direktur Jenderal Perhubungan Udara", "Tsunami"), make no person's name.
    if label == "PER" and (
        cap_rate_bucket(text.lower()) == "0"
        if len(words) == 1  # (one word: only if never capitalised; Anggun and Via are names)
        else all(cap_rate_bucket(w.lower()) in _ORDINARY for w in words)
    ):
        return False
    return len(words) <= 10 and not looks_like_debris(text, words)


def _known_label(name: str, label: str, aliases: AliasTable) -> str:
    """The label of a known name split off the front of a span tagged `label`."""
    if _is_known_place(name):
        return "LOC"
    return "ORG" if aliases.has(name, "ORG") else label


def _is_known_place(name: str) -> bool:
    """A packaged place or a form of a region (refine.place_keys)."""
    return name_key(name) in place_keys()


def _acronym_label(acronym: str, aliases: AliasTable) -> str:
    """A place if it is a packaged place or a place alias (AS, RI), else an organisation."""
    if name_key(acronym) in _places() or aliases.lookup(acronym, "LOC"):
        return "LOC"
    return "ORG"


def _initials(acronym: str, aliases: AliasTable) -> bool:
    """Two capitals before a name are initials (BJ Habibie, AM Hendropriyono), unless a place
    (RI, AS); a body's acronym has more letters (DPR, KPK, PDI-P)."""
    return len(acronym) <= 2 and _acronym_label(acronym, aliases) != "LOC"


def _is_body(name: str) -> bool:
    """An organisation's name by its look: an acronym (TNI, KPK), a body's head word
    (Komisi Pemberantasan Korupsi) or closing word (Gojek Group); "Panglima TNI" names the
    body, not a person."""
    words = name.split()
    return bool(_UPPER_RUN.fullmatch(name)) or words[0] in _BODY_HEADS or words[-1] in ORG_TAILS


def _is_place_acronym(name: str, label: str, aliases: AliasTable) -> bool:
    """RI, AS, USA: a short acronym the alias file lists as a place and not with `label`."""
    return (
        len(name) <= 4
        and bool(_ACRONYM.match(name))
        and aliases.has(name, "LOC")
        and not aliases.has(name, label)
    )


def _looks_like_person(name: str) -> bool:
    words = name.split()
    return 1 <= len(words) <= 4 and all(w[0].isupper() for w in words)


def merge(text: str, tagged: list[tuple[str, int, int]], aliases: AliasTable) -> list[Mention]:
    """Mentions with canonical names, from (label, start, end) spans tagged in `text`."""
    extra = untagged_position_holders(text, tagged)
    if extra:
        tagged = sorted([*tagged, *extra], key=lambda t: t[1])
    tagged = repair_spans(text, tagged, aliases)
    tagged = split_pairs(text, tagged, aliases, place_keys())  # "Joko Widodo-Ma'ruf Amin"
    tagged = places_among_places(text, tagged, place_keys())  # "Borobudur, Mandalika, …"
    if " (" in text:  # "Uni Eropa (UE)" tagged as the place "Eropa": the body's whole name
        tagged = whole_names(text, tagged, _is_known_place, lambda a: _acronym_label(a, aliases))
        tagged = run_on_to_acronym(text, tagged)  # "[Indonesia Corruption] Watch (ICW)"
    tagged = split_scores(text, tagged, aliases)  # "Persib 2-2 Borneo FC"
    if tagged and text[-1:].isupper() and tagged[-1][2] > (byline := byline_start(text)):
        tagged = [t for t in tagged if t[2] <= byline]  # "…,IRSYAN HASYIM": the reporter
    stripped = []
    for label, a, b in split_dashes(text, tagged):
        if (
            label == "PER"
            and text.endswith(NAMED_AFTER_ENDS, 0, a)
            and (after := named_after(text, a)) is not None
        ):
            label, a = after  # "Jalan Gatot Subroto": a street named after him
            if not label:
                continue
        if label == "PER" and a >= 2 and text[a - 1] == "/" and not text[a - 2].isspace():
            continue  # "Pangdam XVII/Cenderawasih", "Korem 045/Gaya": a unit's name, no person
        while label == "PER" and a >= 2 and text[a - 1] == "." and text[a - 2].isupper():
            if a > 2 and text[a - 3].isalnum():
                break
            a -= 2  # "B.J. Habibie": initials written with dots are the person's
        if label == "PER":
            a = royal_lead(text, a, b)  # "Bupati Serang Ratu Tatu Chasanah": Ratu is hers
        s, e = strip_titles(text, a, b)
        if s != a and place_name(text[a:b]):
            s, e = a, b  # "Raja Ampat", "Kota Baru": a title word opening a region's name
        if text.find(" ", s, e) > 0:  # (one word: nothing to trim)
            s, e = trim(text, s, e, label)
            if label == "ORG":
                s = trim_post(text, s, e)
        if label == "ORG":
            e = legal_run_on(text, e)  # "Pertamina Energy Services Pte. Ltd"
            if text.startswith(_CATEGORY_BEFORE, s):
                s += 5  # "BUMN PT Adhi Karya": the company
        if label == "ORG" and text.endswith(("untuk ", "bagi "), 0, s):
            s = body_before_for(text, s)  # "Aliansi Masyarakat untuk Keadilan Demokrasi"
        stripped.append((label, s, e, a))
    mentions = _mentions(text, stripped, aliases)
    mentions = _canonical_names(text, mentions, aliases)
    _spouses(mentions, aliases)
    _join_short_names(mentions)
    mentions = _one_label_per_name(text, mentions, aliases)
    if "inisial" in text:
        initials = _declared_initials(text)
        mentions = [m for m in mentions if not _only_initials(m.canonical, initials)]
    return mentions


# "tersangka berinisial RUD, ZUL dan JOEL": people the article names by their initials only,
# which name no one across the archive (and the tagger reads as organisations).
_INITIALS_RUN = re.compile(
    r"inisial\s+((?:[A-Z]{1,5}(?:\s*\(\d+\))?(?:\s*,\s*|\s+dan\s+))*[A-Z]{1,5})\b"
)
_CAPS = re.compile(r"[A-Z]{1,5}")
_WORD = re.compile(r"\w+")


def _declared_initials(text: str) -> set[str]:
    return {w for run in _INITIALS_RUN.findall(text) for w in _CAPS.findall(run)}


def _only_initials(name: str, initials: set[str]) -> bool:
    words = set(_WORD.findall(name))
    return bool(words) and words <= initials


def _mentions(
    text: str, stripped: list[tuple[str, int, int, int]], aliases: AliasTable
) -> list[Mention]:
    """One mention per name of the stripped spans: titles' places and bodies split off."""
    # Names that stand alone somewhere in the article, with the packaged places and regions,
    # are what a run like "Presiden Kazakhstan Kassym-Jomart Tokayev" is split at.
    own = {
        name_key(text[s:e])
        for label, s, e, _ in stripped
        if label != "PER" and " " not in text[s:e]
    }
    places = place_keys()
    # Bodies of the alias file split such runs too: "Ketua Umum PDI Perjuangan Megawati". (Not
    # its people or places: "Prabowo" would split "Prabowo Subianto", the place "Nursultan"
    # "Nursultan Nazarbayev"; places.txt and regions.tsv hold the places to split at.)
    bodies = aliases.keys_with_label("ORG")
    # (Views, not unions: copying the ~2,700 place keys per article cost 0.1 ms.)
    static = aliases.derived.get("places_and_bodies")
    if static is None:
        static = aliases.derived["places_and_bodies"] = places | bodies
    known = _Either(static, own)
    known_last = _Either(_known_last(static), {k.rpartition(" ")[2] for k in own})
    spans = _SpanKeys(text, stripped)
    mentions: list[Mention] = []
    for i, (label, s, e, raw_start) in enumerate(stripped):
        if (
            not _is_name(text[s:e], label)
            or (
                label == "ORG"
                and (
                    (e - s == 2 and flight_or_stray_code(text, s, e, aliases))
                    or law_title(text, s, e, aliases)
                )
            )
            or (label != "LOC" and thing_named(text, s, e, label))
            or (label == "ORG" and registration_code(text, s))
            or (label != "LOC" and suspect_initials(text, s, e))
            or (label == "ORG" and shouted_title(text, s, e))
            or (label == "ORG" and epithet(text, s, e))
            or (label == "ORG" and model_code(text[s:e]))  # "Oppo A9", "YZR-M1"
        ):
            continue
        if label != "LOC" and (parts := cut_at_country_code(text, s, e)) is not None:
            # A results table's row: "Cal Crutchlow GBR LCR Honda", "ITA Petronas Yamaha".
            if parts.before is None and parts.after is None:
                continue
            if parts.before is not None:
                if parts.after is None:
                    s, e = parts.before  # "Anthony Sinisuka Ginting INA"
                else:
                    mentions.append(Mention("PER", *parts.before))
                    (s, e), label = parts.after, "ORG"
            elif parts.after is not None:
                s, e = parts.after  # "ITA Petronas Yamaha"
        if label == "ORG" and text.find(" ", s, e) > 0 and _UPPER_RUN.fullmatch(text, s, e):
            head, _, last = text[s:e].rpartition(" ")
            if len(last) <= 2 and _acronym_label(head, aliases) == "LOC":
                e = s + len(head)  # "Presiden ketiga RI BJ ,": BJ is the (cut) person's
        if label == "ORG" and " dan " in text[s:e] and (second := word_list(text, s, e, aliases)):
            if second < 0:
                continue  # "IOS dan Android": a list, not a name
            mentions.append(Mention("ORG", s, s + len(text[s:second].split()[0])))
            s = second  # "FIFA dan AFC": two bodies
        if (
            label == "ORG"
            and text.find(" ", s, e) > 0
            and (second := two_bodies(text, s, e, aliases))
        ):
            first = text[s:second].rstrip().removesuffix(" Fraksi")  # "DPR Fraksi Partai X"
            mentions.append(Mention("ORG", s, s + len(first)))
            s = second  # "Fraksi Partai Golkar DPR": Partai Golkar, DPR
        titled = (s != raw_start and bool(_TITLES_AT.match(text, raw_start, e))) or after_title(
            text, s, known, known_last
        )
        split = (
            split_known_prefix(text, s, e, known)
            if titled
            else _split_place_lead(text, s, e)
            if label == "PER" and text.find(" ", s, e) > 0
            else None
        )
        if split is None and label == "LOC" and _person_next(text, e, stripped[i + 1 : i + 2]):
            # "Kabupaten Bekasi Neneng" + "Rahmi Nurlaili": a region, then a person's name
            split = split_known_prefix(text, s, e, places)
        # A body of the alias file keeps its name and label ("PDI Perjuangan").
        listed_body = split is None and name_key(text[s:e]) in bodies
        person = (
            body_then_person(text, s, e, aliases)
            if not (split or listed_body) and text.count(" ", s, e) >= 2
            else None
        )
        if person is None and not (split or listed_body) and text.find(" ", s, e) > 0:
            if label == "ORG":
                # "Partai Buruh Jeremy Corbyn": a person the article names on its own
                person = person_after_body(text, s, e, spans.keys("PER"), spans.keys("ORG"), known)
            elif label == "PER" and not titled:
                # "Muhammadiyah Haedar Nashir": a body the article names on its own
                opens = body_before_person_named(text, s, e, spans.keys("ORG"), spans.keys("PER"))
                if opens is not None:
                    mentions.append(Mention("ORG", s, s + len(text[s:opens].rstrip())))
                    s = opens
        if split is not None:
            mentions.append(Mention(_known_label(text[s : split[0]], label, aliases), s, split[0]))
            if label == "LOC" and e - split[1] <= 3 and text[split[1] : e].isupper():
                continue  # "Wali Kota Solo FX" + "Hadi Rudyatmo": his initials, no name
            s, label = split[1], "PER" if label == "LOC" else label
        elif person is not None:
            mentions.append(Mention("ORG", s, s + len(text[s:person].rstrip())))
            s, label = person, "PER"
        elif (label == "PER" or titled) and not listed_body:
            # "Ketua DPR RI Puan Maharani", "Presiden AS Joe Biden": the acronyms lead the name.
            lead = _ACRONYM_LEAD.match(text, s, e)
            if lead and name_key(lead.group(1)) in _GENERIC:
                label = "ORG"  # "PT Jasa Marga": a company, whatever the tagger said
            elif (
                lead
                and _looks_like_person(text[lead.end() : e])
                and not _initials(lead.group(1), aliases)
            ):
                acronyms, person = lead.group(1), lead.end()
                head, _, last = acronyms.rpartition(" ")
                if head and _initials(last, aliases):
                    # "Presiden ke-3 RI BJ Habibie": the last two capitals are his initials.
                    acronyms, person = head.rstrip(), lead.start(1) + len(acronyms) - len(last)
                label_of = _acronym_label(acronyms, aliases)
                mentions.append(Mention(label_of, s, s + len(acronyms)))
                s, label = person, "PER"
        label = _label_of(text[s:e], label, titled and not listed_body, places, aliases)
        if label == "PER" and (body := body_at_end(text, s, e, aliases)) is not None:
            s, label = body, "ORG"  # "Perhubungan Udara Kemenhub": a unit of Kemenhub
        elif label == "PER" and directorate_name(text, s, e):
            continue  # "Direktur Jenderal Perhubungan Udara, Polana B Pramesti"
        if label != "LOC" and (cut := body_before_person(text, s, e)) is not None:
            mentions.append(Mention("ORG", s, cut[0]))  # "Lippo Group" + "James Riady"
            s, label = cut[1], "PER"
        group = group_after_name(text, s, e, own) if label == "PER" else None
        if group is not None:
            e = s + len(text[s : group[0]].rstrip())  # "Jungkook BTS": Jungkook, and BTS
        if label == "PER" and mentions and mentions[-1].label == "PER":
            _append(text, mentions, Mention(label, s, e), aliases)  # maybe one name in two
        else:
            mentions.append(Mention(label, s, e))
        if group is not None:
            mentions.append(Mention("ORG", *group))
    return mentions


class _SpanKeys:
    """The name keys of an article's tagged spans per label, worked out when first asked for."""

    def __init__(self, text: str, stripped: list[tuple[str, int, int, int]]) -> None:
        self.text, self.stripped = text, stripped
        self.by_label: dict[str, frozenset[str]] = {}

    def keys(self, label: str) -> frozenset[str]:
        got = self.by_label.get(label)
        if got is None:
            got = self.by_label[label] = frozenset(
                name_key(self.text[s:e]) for lbl, s, e, _ in self.stripped if lbl == label
            )
        return got


def _person_next(text: str, end: int, following: list[tuple[str, int, int, int]]) -> bool:
    """Does a person's name tagged on its own follow at once (only spaces between)?"""
    return bool(following) and following[0][0] == "PER" and not text[end : following[0][1]].strip()


class _Either(Set[str]):
    """Membership in either of two sets, without copying them."""

    def __init__(self, first: Set[str], second: Set[str]) -> None:
        self.first, self.second = first, second

    def __contains__(self, key: object) -> bool:
        return key in self.first or key in self.second

    def __iter__(self) -> Iterator[str]:
        yield from self.first
        yield from self.second

    def __len__(self) -> int:
        return len(self.first) + len(self.second)


def _split_place_lead(text: str, start: int, end: int) -> tuple[int, int] | None:
    """An untitled person's name that starts with a place: "Papua Lukas Enembe" (a headline's
    title on the line before) is Papua and Lukas Enembe. Only places of several words, packaged
    places and provinces: a one-word regency ("Bima") may be a person's first name."""
    first = text[start:end].split(None, 1)[0] if start < end else ""
    if name_key(first) not in _lead_words():
        return None
    return split_known_prefix(text, start, end, _lead_places())


@lru_cache(maxsize=1)
def _lead_places() -> frozenset[str]:
    return frozenset(k for k in place_keys() if " " in k or k in _places()) | frozenset(
        name_key(r.name) for r in regions().values() if r.kind == "provinsi"
    )


@lru_cache(maxsize=1)
def _lead_words() -> frozenset[str]:
    return frozenset(k.split(" ", 1)[0] for k in _lead_places())


@lru_cache(maxsize=4)
def _known_last(places: frozenset[str]) -> frozenset[str]:
    return frozenset(key.rpartition(" ")[2] for key in places)


def _label_of(surface: str, label: str, titled: bool, places: Set[str], aliases: AliasTable) -> str:
    """The label a name gets whatever the tagger said: a place if it is one, a person after a
    title, a body's acronym as a body."""
    if (
        titled
        and _looks_like_person(surface)
        and name_key(surface) not in places
        and not (label == "ORG" and _is_body(surface))
    ):
        label = "PER"
    if name_key(surface) in places or (
        len(surface) <= 4 and _is_place_acronym(surface, label, aliases)
    ):
        label = "LOC"
    return label


def _append(text: str, mentions: list[Mention], m: Mention, aliases: AliasTable) -> None:
    """Add `m`, or join it to the person just before when the tagger split one name in two."""
    prev = mentions[-1] if mentions else None
    if not (
        prev
        and prev.label == m.label == "PER"
        and not text[prev.end : m.start].strip()
        and "\n" not in text[prev.end : m.start]  # (a headline's last name, the body's first)
    ):
        mentions.append(m)
        return
    acronym = text[prev.start : prev.end]
    if (
        _UPPER_RUN.fullmatch(acronym)
        and not text[m.start : m.end].isupper()
        and not _initials(acronym, aliases)
    ):
        # "Presiden RI" + "Joko Widodo": the acronym before a name is not part of it.
        prev.label = _acronym_label(acronym, aliases)
        mentions.append(m)
    else:
        prev.end = m.end  # the tagger split one name in two: "Kassym-Jomart" "Tokayev"


def _canonical_names(text: str, mentions: list[Mention], aliases: AliasTable) -> list[Mention]:
    """Give each mention its canonical name: acronyms and their expansions, aliases (context
    permitting), a body's building, a region's name; drop names that are no entity."""
    # Acronyms: "Expansion (ACR)", "Expansion/ACR" and a bare "ACR" share the acronym.
    expansions: dict[str, str] = {}
    initials: dict[str, str] = {}
    tickers: dict[str, str] = {}  # a listed company's stock ticker → the company's name
    # The acronym an article defines for a body the alias file names → that body's name as
    # written: the article's bare acronym is that body ("UE" after "Uni Eropa (UE)").
    listed_short: dict[str, str] = {}
    # (Most articles name no airport, stadium or award: one scan tells.)
    bracketed = _BRACKETED.findall(text) if "(" in text and _DEFINING.search(text) else ()
    places_named = (
        _defined_by(text, bracketed, _PLACE_ACRONYM)
        if bracketed and _PLACE_WORD.search(text)
        else frozenset()
    )
    brackets = "(" in text
    for m in mentions:
        surface = text[m.start : m.end]
        tail = _ACRONYM_TAIL.match(surface) if "/" in surface else None
        # (Each rule below reads a bracket after the name: most names have none.)
        bracket = brackets and _BRACKET_NEXT.match(text, m.end) is not None
        after = _ACRONYM_AFTER.match(text, m.end) if bracket else None
        if tail:
            expansions[name_key(tail.group(1))] = tail.group(2)
            m.canonical = tail.group(2)
        elif after and not _ACRONYM.match(surface) and after.group(1) not in ORG_TAILS:
            # ("Bruno Matos (Bhayangkara FC)": a club's suffix is no acronym of the name)
            if m.label == "PER" and _looks_like_person(surface):
                initials[after.group(1)] = surface  # "Iwa Karniwa (IWK)": his initials
            elif ticker := stock_ticker(text, m.end, surface):
                tickers[ticker] = surface  # "PT Aneka Tambang Tbk (ANTM)"
            elif not (
                after.group(1) in not_entities() and _known_name(surface, aliases)
            ) and defines(surface, m.label, after.group(1), _is_known_place):
                # ("dolar Amerika Serikat (USD)": the country is no currency's expansion;
                # "Maskapai Inggris (BALPA)": nor is it the expansion of a body it ends)
                expansions[name_key(surface)] = after.group(1)
                if m.label == "ORG" and name_key(surface) in aliases.body_keys():
                    listed_short[after.group(1)] = surface  # "Uni Eropa (UE)"
        elif not bracket:
            continue
        elif m.label == "ORG" and (contracted := contraction_after(text, m.end, surface)):
            expansions[name_key(surface)] = contracted  # "Badan Pengawas Pemilu (Bawaslu)"
            if name_key(surface) in aliases.body_keys():
                listed_short[contracted] = surface
        elif ticker := stock_ticker(text, m.end, surface):
            tickers[ticker] = surface  # "PT Bank Negara Indonesia (Persero) Tbk. (BBNI)"
        elif surface.endswith(_LISTED_TAILS) and (short := _SHORT_AFTER.match(text, m.end)):
            expansions[name_key(surface)] = short.group(1)  # "PT Aneka Tambang Tbk (Antam)"
    drop = not_entities()
    if ("ndeks" in text or "Index (" in text) and (indexes := index_names(text)):
        drop = drop | indexes  # "indeks Nikkei", "Jakarta Islamic Index (JII)": no entity
    if models := vehicle_models(text):
        drop = drop | models  # "Toyota Calya", "Calya": a product
    if "(" in text and (common := common_acronyms(text)):
        drop = drop | common  # "harga jual eceran (HEJ)": no body's name in this article
    if (
        bracketed
        and _EVENT_WORD.search(text)
        and (events := _defined_by(text, bracketed, _EVENT_ACRONYM))
    ):
        drop = drop | events
    kept: list[Mention] = []
    # A name's canonical name depends on the article only through an alias's context words
    # or the article's own acronyms: others are worked out once for all articles.
    named: dict[tuple[str, str, str | None], tuple[str, str, bool]] = aliases.derived.setdefault(
        "named", {}
    )
    if len(named) > _NAMED_MAX:
        named.clear()
    cued = aliases.cued_keys()
    for m in mentions:
        if (
            not m.canonical
            and m.label == "ORG"
            and text.startswith("Pusat ", m.start)
            and text.endswith(("Pimpinan ", "Pengurus "), 0, m.start)
        ):
            # "Pimpinan Pusat Muhammadiyah" with its title word cut off: the central board, as
            # news writes it short (PP Muhammadiyah)
            m.canonical = "PP " + " ".join(text[m.start + 6 : m.end].split())
        if not m.canonical:
            surface = " ".join(text[m.start : m.end].split())
            if m.label == "LOC":
                surface = _CITY.sub("", surface)
            expansion = expansions.get(name_key(surface)) if expansions else None
            key = (surface, m.label, expansion)
            done = named.get(key)
            if done is None:
                _name(text, m, surface, aliases, expansion)
                if name_key(surface) not in cued and not surface.startswith(_PREMISE_HEADS):
                    named[key] = (m.canonical, m.label, m.namesake)
            else:
                m.canonical, m.label, m.namesake = done
        if places_named and m.canonical in places_named:
            m.label = "LOC"
        elif initials and m.canonical in initials and not aliases.lookup(m.canonical, "ORG"):
            m.label, m.canonical = "PER", initials[m.canonical]
        elif tickers and (company := tickers.get(text[m.start : m.end], tickers.get(m.canonical))):
            # (by its surface too: the alias file names codes, "PWON" → Pakuwon Jati, and the
            # article's own "PT Pakuwon Jati Tbk (PWON)" wins)
            m.label, m.canonical = "ORG", _company_name(text, company, mentions)
        elif listed_short and m.label != "PER" and (body := listed_short.get(m.canonical)):
            m.label, m.canonical = "ORG", aliases.lookup(body, "ORG", text) or body
        if not not_entity(m.canonical, drop) and not competition(m.canonical, place_keys()):
            kept.append(m)
    if kept and (glued := [m for m in kept if glued_product(m.canonical, kept)]):
        kept = [m for m in kept if m not in glued]  # "GrabCar" beside "Grab"
    if tickers:  # the company itself: named as the article names it elsewhere
        for m in kept:
            if m.label == "ORG" and m.canonical in tickers.values():
                m.canonical = _company_name(text, m.canonical, mentions)
    return kept


# A listed or state company's name ends so; a capitalised word in brackets after it is the
# short name news uses for it ("PT Aneka Tambang Tbk (Antam)", "PT Pertamina (Persero)").
_LISTED_TAILS = ("Tbk", "Tbk.", "(Persero)", "Persero")
# What _ACRONYM_AFTER, contraction_after, stock_ticker and _SHORT_AFTER read after a name
# before their first bracket: spaces, a "Tbk" and a dot at most.
_BRACKET_NEXT = re.compile(r"[\sTbk.]*\(")
_SHORT_AFTER = re.compile(r"\s*\((?!Persero\))([A-Z][a-z]{2,}[A-Za-z]*)\)")


def _known_name(surface: str, aliases: AliasTable) -> bool:
    """A place or body the packaged lists know (never renamed by the acronym after it)."""
    key = name_key(surface)
    return key in place_keys() or key in aliases.body_keys()


def _company_name(text: str, company: str, mentions: list[Mention]) -> str:
    """The company whose ticker an article gives: by the short name it defines for it, if
    any ("PT Aneka Tambang Tbk (Antam) ... (ANTM)"), else as written."""
    for m in mentions:
        if m.label == "ORG" and text[m.start : m.end] == company and m.canonical != company:
            return m.canonical
    return company


# An airport's or a stadium's name and the acronym it defines are a place's ("Jakarta
# International Stadium (JIS)", "Bandara Internasional New Yogyakarta (NYIA)"); an award's or
# an event's name and its acronym name no body ("Anugerah Pandu Negeri (APN) 2019"), nor do an
# index's, a programme's or a depot's ("Indeks Penjualan Riil (IPR)", "Antam Fresh Graduate
# Program (AFGP)", "Depot Pengisian Pesawat Udara (DPPU)"), nor, since round 11, a price's, a
# report's, a kind of power plant's or of power line's ("Harga Batubara Acuan (HBA)", "Laporan
# Hasil Pemeriksaan (LHP)", "Pembangkit Listrik Tenaga Diesel (PLTD)", "Saluran Udara
# Tegangan Ekstra Tinggi (SUTET)").
_PLACE_LAST = (" Airport", " Stadium", " Stadion", " Sport Complex", " Sports Complex")
_BRACKETED = re.compile(r"(?<=\S )\(([A-Z]{2,6})\)")
_PLACE_WORD = re.compile(r"Bandar|Stadion|Airport|Stadium|Complex")
# An event's kind after its name, in English ("Indonesia Human Resources Summit (IHRS)",
# "Asia Junior Championships 2019 (AJC)", "Kompas Travel Fair (KTF)"; not Convention or
# Exhibition: "Indonesia Convention Exhibition (ICE)" is a venue), and a programme named
# "One X One Y" ("One Village One Company (OVOC)").
_EVENT_KINDS_AFTER = (
    r"Summit|Championships?|Fair|Expo|Show|Conference|Festival"
    r"|Awards?|Games|Week"
)
_DEFINING = re.compile(
    r"Bandar|Stadion|Airport|Stadium|Complex|Anugerah|Festival|Kongres|Konferensi|Olimpiade"
    r"|Pekan|Penghargaan|Indeks|Index|Program|Depot|Harga|Laporan|Pembangkit|Saluran"
    rf"|{_EVENT_KINDS_AFTER}|One "
)
_EVENT_WORD = re.compile(
    r"Anugerah|Festival|Kongres|Konferensi|Olimpiade|Pekan|Penghargaan|Indeks|Index|Program"
    rf"|Depot|Harga|Laporan|Pembangkit|Saluran|{_EVENT_KINDS_AFTER}|One "
)
_PLACE_ACRONYM = re.compile(
    r"(?:\b(?:Bandara|Bandar Udara|Stadion)\s+[A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,5}"
    r"|\b(?:Airport|Stadium|Sports? Complex))\s+$"
)
_EVENT_ACRONYM = re.compile(
    r"(?:\b(?:Anugerah|Festival|Kongres|Konferensi|Olimpiade|Pekan|Penghargaan|Indeks|Index"
    r"|Depot|Harga|Laporan|Pembangkit|Saluran)(?:\s+[A-Z][\w-]*){1,5}"
    r"|\b(?:[A-Z][\w-]*\s+){1,5}Program"
    rf"|\b(?:[A-Z][\w&-]*\s+){{1,6}}(?:{_EVENT_KINDS_AFTER})(?:\s+\d{{4}})?"
    r"|\bOne\s+[A-Z]\w*\s+One\s+[A-Z]\w*)\s+$"
)


def _defined_by(text: str, bracketed: list[str], before: re.Pattern[str]) -> frozenset[str]:
    """The acronyms in brackets whose text before, on the same line, `before` matches."""
    found = set()
    for acronym in set(bracketed):
        at = text.find(f" ({acronym})")
        while at >= 0:
            line_start = max(text.rfind("\n", 0, at) + 1, at - 80)
            if before.search(text, line_start, at + 1):
                found.add(acronym)
                break
            at = text.find(f" ({acronym})", at + 1)
    return frozenset(found)


# First words of a geographical feature's name: what they open is a place.
_GEOGRAPHY_HEADS = frozenset(("Kepulauan", "Pulau", "Gunung", "Danau", "Selat", "Teluk", "Lembah"))
_NAMED_MAX = 200_000  # names remembered across articles before starting again
_PREMISE_HEADS = ("Gedung ", "Kantor ", "Kompleks ", "Komplek ")


def _name(text: str, m: Mention, surface: str, aliases: AliasTable, expansion: str | None) -> None:
    """Set m.canonical (and m.label where the name decides it) from its surface."""
    if (surface.endswith(" RI") or surface.startswith("Perum ")) and (
        body := national_body(surface, aliases)  # "KPU RI", "Perum Bulog"
    ) is not None:
        m.label, m.canonical = "ORG", body
        return
    alias = aliases.lookup(surface, m.label)
    if alias is not None and not aliases.agrees(surface, m.label, text):
        alias, m.namesake = None, True  # "Sri Mulyani" of Klaten, not the minister
    elif alias is None:
        if "," in surface:  # "Badan Meteorologi, Klimatologi dan Geofisika"
            alias = aliases.lookup(surface.replace(",", ""), m.label, text)
        if alias is None and (other := aliases.only_label(surface)) not in (None, m.label):
            alias = aliases.lookup(surface, other, text)  # "Tass" is an agency, not a place
            if alias is not None:
                m.label = other
    if alias is None and (branch := _regional_branch(surface, aliases)) is not None:
        alias, m.label = branch, "ORG"  # "NasDem Kalbar", "Gerindra Tasikmalaya"
    if alias is not None:
        m.canonical = alias
        return
    if (
        m.label == "PER"
        and (not_a_person(surface) or company_form(surface) or body_by_last_word(surface))
    ) or (
        m.label == "LOC"
        and (
            looks_like_body(surface)
            or not_a_place(surface, aliases)
            or company_form(surface)
            or body_by_last_word(surface)
        )
    ):
        m.label = "ORG"  # "APJII", "Leibniz Supercomputing Center", "Dinas Bina Marga", "ICJR"
    elif m.label != "LOC" and (
        (surface.split(None, 1)[0] in _GEOGRAPHY_HEADS and " " in surface)
        or surface.endswith(_PLACE_LAST)
        or facility(surface)  # "RSCM", "PLTU Cilacap", "Women's College Hospital"
    ):
        m.label = "LOC"  # "Kepulauan Mariana", "Azadi Sport Complex": islands, venues
    place = place_name(surface) if m.label != "PER" else None
    if place is not None:
        m.label, m.canonical = "LOC", place.name
    else:
        # A body the alias file names keeps that name over the article's own acronym for it.
        listed = name_key(surface) in aliases.body_keys()
        m.canonical = (
            premises(surface, m.label, aliases, text) or (None if listed else expansion) or surface
        )
        if m.label == "ORG" and m.canonical == surface:
            full = full_words(surface) or surface  # "Pengadilan Tipikor Jakarta"
            m.canonical = full_province_form(full) or full  # "Kemenag Jatim"


def _spouses(mentions: list[Mention], aliases: AliasTable) -> None:
    """A given name before a person the alias file names is another person, a wife named
    after her husband ("Iriana Joko Widodo", "Mufidah Jusuf Kalla"): named with the full
    form of his name, and kept apart from him (the archive merges neither). Before his
    nickname always ("Iriana Jokowi"); before his full name where the article names him too
    (else it is more likely his name misspelt or run into hers: "Hapsari Ainun Habibie")."""
    known = _known_people(aliases)
    people = {m.canonical for m in mentions if m.label == "PER"}
    for m in mentions:
        if m.label != "PER" or " " not in m.canonical:
            continue
        first, rest = m.canonical.split(" ", 1)
        key = name_key(rest)
        husband = known.get(key)
        if (
            husband is not None
            and name_key(m.canonical) != name_key(husband)  # his full name: him
            and (key != name_key(husband) or husband in people)
            and first.isalpha()
            and first.istitle()
            and not given_name_is_word(first)
            and not _is_known_place(first)
            and name_key(first) not in aliases.body_keys()
        ):
            m.canonical, m.namesake = f"{first} {husband}", True


def _known_people(aliases: AliasTable) -> dict[str, str]:
    """name_key of each person's name or nickname in the alias file → the person's full name
    (of two words or more), for lines that need no context words."""
    cached = aliases.derived.get("known_people")
    if cached is None:
        cued = aliases.cued_keys()
        # (A one-word short name is a word of his name, and other people's too: "Edhy Prabowo"
        # is no wife of Prabowo Subianto; a nickname is not: "Iriana Jokowi".)
        cached = {
            key: full
            for key in aliases.keys_with_label("PER")
            if key not in cued
            and (full := aliases.lookup(key, "PER")) is not None
            and " " in full
            and (" " in key or key not in name_key(full).split())
        }
        for full in set(cached.values()):
            cached.setdefault(name_key(full), full)
        aliases.derived["known_people"] = cached
    return cached


# Parties of the 2019 general election (kpu.go.id) whose names are no other body's or word:
# a party's regional branch is the party ("NasDem Kalbar"); a regional KPU, DPRD or Bawaslu is
# a body of its own, so only parties.
_PARTIES = frozenset(
    name_key(p)
    for p in (
        "PDIP", "PDI-P", "Gerindra", "Golkar", "PKB", "NasDem", "PKS", "Demokrat", "PAN",
        "PPP", "Hanura", "Perindo", "PSI", "Berkarya", "PKPI",
    )
)  # fmt: skip


def _regional_branch(surface: str, aliases: AliasTable) -> str | None:
    """A party, then a region ("NasDem Kalbar", "Gerindra Tasikmalaya"): the party's branch
    there, counted as the party (never a person, never a body of its own)."""
    body, _, region_name = surface.partition(" ")
    if not region_name or name_key(body) not in _PARTIES:
        return None
    if place_name(region_name) is None:
        return None
    return aliases.lookup(body, "ORG") or body


def _join_short_names(mentions: list[Mention]) -> None:
    """Short person names join the one full name they are the start or end of: of those, the
    one most mentioned, then the first seen. A region left alone is a place. A namesake kept
    apart (a spouse named after her husband) takes no short name."""
    full: dict[str, int] = {}  # (a plain dict: a Counter costs more to build than it saves)
    for m in mentions:
        if m.label == "PER" and not m.namesake:
            full[m.canonical] = full.get(m.canonical, 0) + 1
    ends = _full_names_by_end(list(full))
    for m in mentions:
        parts = m.canonical.split()
        if m.label != "PER" and not (len(parts) == 1 and m.canonical[0].isupper()):
            continue
        if m.label != "PER" and place_name(m.canonical):
            continue  # "Papua" is no person's first name
        if m.canonical in BODY_LAST_WORDS or m.canonical in ORG_TAILS:
            continue  # "FC", "Korupsi": the end of a body's name that ran into a person's
        # (An empty name, if an alias gave one, starts every name.)
        candidates = ends.get(tuple(parts)) if parts else [n for n in full if n.split()]
        if candidates:
            best = max(candidates, key=lambda n: (full[n], -candidates.index(n)))
            m.canonical, m.label = best, "PER"
        elif m.label == "PER" and (place := place_name(m.canonical)) is not None:
            m.canonical, m.label = place.name, "LOC"  # "Boven Digoel", "Supiori"
        elif m.label == "PER" and district_in(m.canonical, mentions):
            m.label = "LOC"  # "Tulung Selapan" in an article about Ogan Komering Ilir


def district_in(name: str, mentions: list[Mention]) -> bool:
    """`name` is a district or village of a regency the article names, or a district whose
    name is found in one province only, which the article names or names a region of
    (regions.districts)."""
    where = district(name)
    if where is None:
        return False
    # (Only a name found in one province: Gading, Kamal, Mayang are districts in several.)
    one_province = len(where.district_provinces) == 1 and all(
        code[:2] in where.district_provinces for code in where.regencies
    )
    for m in mentions:
        place = place_name(m.canonical) if m.label == "LOC" else None
        if place is not None and (
            place.code in where.regencies
            or (one_province and place.code[:2] in where.district_provinces)
        ):
            return True
    return False


def _people_listed(text: str, mentions: list[Mention], aliases: AliasTable, athletes: bool) -> None:
    """A name tagged as a body in a list of people, after a player's role or an athlete's
    event ("tunggal putra Indonesia, Jonatan Christie") or before a goal's minute is a person
    ("Paul Pogba, Aaron Wan-Bissaka, Jesse Lingard, Luke Shaw dan Anthony Martial"): two or
    three words, each capitalised, none a body's head or tail or a place, no acronym, no body
    the alias file knows (clubs are named with their town or their FC). So is a name tagged as
    a place there that no gazetteer knows (see below). `athletes`: _athletes(text)."""
    # (Most articles hold no goal's minute: one scan tells, and the regex then never runs.)
    scorers = "menit" in text or "')" in text or "’)" in text
    for i, m in enumerate(mentions):
        # (A place only with "dan" or "serta": a comma often ends the clause a place ends,
        # "di Technische Hochschule of Aachen, Habibie belajar".)
        joins = _LIST_JOINS if m.label == "ORG" else _AND_JOINS
        if m.label == "PER" or not (
            (i > 0 and _listed_with(text, mentions[i - 1], m, joins))
            or (i + 1 < len(mentions) and _listed_with(text, m, mentions[i + 1], joins))
            or text.endswith(_PLAYER_ROLES, max(0, m.start - 12), m.start)
            or (athletes and _ATHLETE_BEFORE.search(text, max(0, m.start - 50), m.start))
            or (scorers and _SCORER_AFTER.match(text, m.end))
        ):
            continue
        words = m.canonical.split()
        if m.label == "LOC":
            # "senjata dari Asmaizulfi dan Adnil", "saksi Asmaizulfi": a name that no
            # gazetteer (regions, districts, places.txt) or alias line knows as a place, beside
            # a person or after a person's role, is a person too; not after "di" or "ke"
            # ("di Abqaiq dan Khurais": the tagger read the other place as a person).
            if (
                len(words) <= 3
                and not text.endswith(_PLACE_PREPOSITIONS, max(0, m.start - 4), m.start)
                and all(w[:1].isupper() and not w.isupper() and w.isalpha() for w in words)
                and not _is_known_place(m.canonical)
                and district(m.canonical) is None
                and not aliases.has(m.canonical, "LOC")
                and not aliases.has(m.canonical, "ORG")
            ):
                m.label = "PER"
            continue
        if (
            2 <= len(words) <= 3
            and all(w[:1].isupper() and not w.isupper() for w in words)
            and not any(w in _BODY_FIRST_WORDS or w in ORG_TAILS for w in words)
            and not any(_is_known_place(w) for w in words)  # "Persija Jakarta"
            and not aliases.has(m.canonical, "ORG")
        ):
            m.label = "PER"


_LIST_JOINS = frozenset((", ", " dan ", ", dan ", " serta "))
_AND_JOINS = frozenset((" dan ", ", dan ", " serta "))
# A goal's minute after a name: "dikemas Boaz Solossa pada menit ke-70", "Simic (23')".
_SCORER_AFTER = re.compile(r"\s+(?:pada|di)\s+menit\s+(?:ke-?)?\d|\s*\(\d{1,3}['’]\)")
# An athlete's event or sport before a name, maybe with the country: "tunggal putra Indonesia,
# Jonatan Christie", "pebulu tangkis Anthony Sinisuka Ginting" (the tagger read a team).
_ATHLETE_BEFORE = re.compile(
    r"(?i:\b(?:tunggal|ganda)\s+(?:putra|putri|campuran)|\b(?:pebulu\s?tangkis|pebulutangkis"
    r"|petenis|pebalap|pegolf|perenang|lifter|atlet|pesepak\s?bola|pebasket|pecatur))"
    r"(?:\s+[A-Z][\w-]*){0,2},?\s+$"
)
# Every _ATHLETE_BEFORE match holds one of these in the lower-cased text (a case-blind regex
# search over a whole article costs ~0.1 ms); the letters its case-blind match equates with
# i and s that lower() leaves alone (or makes two characters) send every mention to it.
_ATHLETE_WORDS = (
    *("tunggal", "ganda", "pebulu", "petenis", "pebalap", "pegolf", "perenang", "lifter"),
    *("atlet", "pesepak", "pebasket", "pecatur"),
)
_SPORT_WORDS = tuple(dict.fromkeys((*_ATHLETE_WORDS, *_SOLO_WORDS)))
_ODD_CASES = frozenset("ıİſ")


def _athletes(text: str) -> bool:
    """Might the article name an athlete's event (_ATHLETE_BEFORE) or an individual sport
    (type_cues.solo_sport_players, whose words are among these)? Most articles: no, at once;
    the regexes then never run per mention."""
    low = text.lower()
    # (Three searches for the odd letters: isdisjoint made a string of each character.)
    return any(w in low for w in _SPORT_WORDS) or any(c in text for c in _ODD_CASES)


_PLACE_PREPOSITIONS = (" di ", " ke ", "\ndi ", "\nke ")
# A player's position or role before a name: "bek Axel Tuanzebe", "kiper Sergio Romero".
_PLAYER_ROLES = tuple(
    f"{w} "
    for w in (
        *("bek", "kiper", "gelandang", "penyerang", "striker", "winger", "pemain"),
        *("saksi", "tersangka", "terdakwa"),  # a case's people: "saksi Asmaizulfi"
    )
)
_BODY_FIRST_WORDS = frozenset(_BODY_HEADS) | {"Timnas", "Klub", "Tim", "Persatuan"}


def _listed_with(text: str, a: Mention, b: Mention, joins: frozenset[str]) -> bool:
    """Are a and b next to each other in a list (joined by one of `joins`), one of them a
    person?"""
    return (a.label == "PER" or b.label == "PER") and text[a.end : b.start] in joins


def _one_label_per_name(text: str, mentions: list[Mention], aliases: AliasTable) -> list[Mention]:
    """One name, one label within an article: the label most of its mentions got."""
    athletes = _athletes(text)
    _people_listed(text, mentions, aliases, athletes)
    if athletes:  # (its own first test looks for some of the same words)
        solo_sport_players(text, mentions, aliases, _is_known_place)
    riders_before_teams(text, mentions, aliases, _is_known_place)  # "Cal Crutchlow - LCR Honda"
    companies_by_kind(text, mentions, aliases, _is_known_place)
    _companies_without_form(mentions)
    _short_body_names(mentions)
    keys = [name_key(m.canonical) for m in mentions]
    votes: dict[tuple[str, str], int] = {}
    for m, key in zip(mentions, keys, strict=True):
        votes[key, m.label] = votes.get((key, m.label), 0) + 1
    winner: dict[str, tuple[int, int, str]] = {}
    for (key, label), n in votes.items():
        rank = (n, _TIE_ORDER[label], label)
        if key not in winner or rank > winner[key]:
            winner[key] = rank
    final: dict[tuple[str, str], str] = {}  # (canonical, label) → the displayed canonical
    for m, key in zip(mentions, keys, strict=True):
        m.label = winner[key][2]
        shown = final.get((m.canonical, m.label))
        if shown is None:
            alias = None if m.namesake else aliases.lookup(m.canonical, m.label, text)
            shown = final[m.canonical, m.label] = display_form(alias or m.canonical)
        m.canonical = shown
    return mentions


def _short_body_names(mentions: list[Mention]) -> None:
    """A word tagged as a place that no gazetteer knows, which starts the name of a body the
    article names ("Barito" of "Barito Putera", "Tira" of "PS Tira Persikabo"), is that body:
    a club's or a company's short name. (A known place stays one: "Bali" of "Bali United".)"""
    starts: dict[str, str] = {}
    for m in mentions:
        if m.label == "ORG" and " " in m.canonical:
            words = m.canonical.split()
            if words[0].isupper() and len(words) > 2:
                words = words[1:]  # "PS Tira Persikabo": the club's prefix
            starts.setdefault(words[0], m.canonical)
    if not starts:
        return
    for m in mentions:
        if (
            m.label == "LOC"
            and (body := starts.get(m.canonical)) is not None
            and not _is_known_place(m.canonical)
        ):
            m.label, m.canonical = "ORG", body


def _companies_without_form(mentions: list[Mention]) -> None:
    """A name written elsewhere in the article with a company's legal form after it is that
    company ("Kernel Oil Ltd" ... "pihak Kernel Oil"), whatever the tagger read it as."""
    companies = {
        name_key(m.canonical.rpartition(" ")[0]): m.canonical
        for m in mentions
        if m.label == "ORG" and company_form(m.canonical)
    }
    if companies:
        for m in mentions:
            if (company := companies.get(name_key(m.canonical))) is not None:
                m.label, m.canonical = "ORG", company


def _full_names_by_end(names: list[str]) -> dict[tuple[str, ...], list[str]]:
    """For each run of words that some of `names` start or end with and are longer than, those
    names in their order."""
    out: dict[tuple[str, ...], list[str]] = {}
    for name in names:
        words = name.split()
        for k in range(1, len(words)):
            for part in {tuple(words[:k]), tuple(words[-k:])}:
                out.setdefault(part, []).append(name)
    return out
