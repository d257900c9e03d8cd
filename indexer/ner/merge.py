"""Turn tagged mentions of one article into entities with merged canonical names.

Steps, in order: strip titles and honorifics; drop non-names (Baca, weekdays, a title alone,
quoted sentences); apply the alias table; join an acronym with its expansion; join a short
person name with the full name it abbreviates; give every mention of one name one label;
normalise the canonical name's case and spacing.
"""

from __future__ import annotations

import re
from collections.abc import Set
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from index_format.names import name_key
from indexer.ner.aliases import AliasTable
from indexer.ner.features import cap_rate_bucket


@dataclass(slots=True)
class Mention:
    label: str
    start: int
    end: int
    canonical: str = ""


_MINISTRIES = (
    "Luar Negeri|Dalam Negeri|Pertahanan|Keuangan|Kesehatan|Agama|Perdagangan|Perindustrian"
    "|BUMN|Sosial|Pendidikan|Hukum dan HAM|Koordinator|Sekretaris Negara|Pertanian|Perhubungan"
)
# Ranks written as abbreviations, never a name's own word (unlike Laksamana or Jenderal, which
# are also surnames and only titles when they lead).
_RANK_ABBREVIATIONS = (
    "Letjen|Mayjen|Brigjen|Letkol|Kombes|Irjen|Komjen|AKBP|Kompol|AKP|Iptu|Ipda|Aiptu|Aipda"
    "|Bripka|Brigpol|Briptu|Bripda"
)
_RANKS = f"Jenderal|Kolonel|Laksamana|Marsekal|{_RANK_ABBREVIATIONS}"
_TITLE_WORDS = (
    rf"(?:Wakil\s+)?(?:Perdana\s+)?Menteri(?:\s+(?:{_MINISTRIES}))?",
    r"(?:Wakil\s+)?Presiden(?:\s+Direktur)?",
    r"(?:Wakil\s+)?Sekretaris(?:\s+Jenderal)?",
    r"(?:Wakil\s+)?Ketua(?:\s+Umum)?",
    r"(?:Wakil\s+)?(?:Gubernur|Bupati|Wali\s*[Kk]ota|Wapres)",
    r"Sekjen|Menlu|Mendagri|Menhan|Menkeu|Menkes|PM|Kanselir|Raja|Ratu|Pangeran",
    r"Direktur(?:\s+Utama)?|Dirut|Juru\s+Bicara|Jubir|Kapolri|Kapolda|Kapolres|Panglima",
    # Ministers as news abbreviates them ("Menhub Budi Karya Sumadi", "Menko Polhukam Wiranto").
    r"Menhub|Mendikbud(?:ristek)?|Menpar(?:ekraf)?|Menag|Menpan(?:[\s-]*RB)?|Mentan|Menaker"
    r"|Menkominfo|Menkumham|Menpora|Mensos|Menperin|Mendag|Menristek(?:dikti)?|Mensesneg"
    r"|Menlhk|Menkop(?:UKM)?|Mendes(?:\s+PDTT)?|Menteri\s+ESDM|Menteri\s+PUPR"
    r"|Menko(?:\s+(?:Polhukam|Perekonomian|Maritim|Kemaritiman|PMK|Marves))?",
    r"Kiai|Ustaz|Ustad|Habib|Syekh|Sir",
    # Police and military ranks, as news writes them before names ("Kombes Argo Yuwono",
    # "Irjen Pol Agus Andrianto").
    rf"(?:{_RANKS})(?:\s+Pol\.?)?",
    r"Bapak|Ibu|Pak|Bu|Saudara|Saudari|Tuan|Nyonya|Mr\.?|Mrs\.?|Ms\.?|Sdr\.?|Ny\.?|Tn\.?",
    r"Prof\.?|Dr\.?|dr\.|Drs\.?|Dra\.?|Ir\.|H\.|Hj\.|KH\.?|K\.H\.",
)
# A rank after a body's name belongs to the person who follows: "Ditlantas Polda Metro Jaya
# AKBP" (Fahri Siregar) is the directorate.
_TRAILING_RANK = re.compile(rf"\s+(?:{_RANK_ABBREVIATIONS})(?:\s+Pol\.?)?$")
_TITLES = re.compile(rf"^(?:(?:{'|'.join(_TITLE_WORDS)})(?:\s+|$))+")
_TITLES_AT = re.compile(_TITLES.pattern[1:])  # the same at match(text, start, end): no slice
_LOWER_LEAD = re.compile(r"(?:[^A-Z\s]\S*\s+)+(?=[A-Z])")  # disjoint parts: linear time
_TITLE_WORD = re.compile("|".join(_TITLE_WORDS))
# A capitalised word just before, on the same line and with no punctuation after it.
_CAPITALISED_END = re.compile(r"[A-Z][\w'’-]*[ \t]+$")
# Every letter run in the title patterns: a title ends in one of them (a superset is safe).
_TITLE_FINALS = tuple(
    sorted({w for p in _TITLE_WORDS for w in re.findall(r"[A-Za-z]+", re.sub(r"\\[sS]", " ", p))})
)
# Where a title ending a text could start: a word's start, or a capital glued to a word.
_TITLE_STARTS = re.compile(r"(?<![^\s(])\S|(?<=[a-z])[A-Z]")
# Names that are never entities on their own: scraping debris and calendar words.
_NOT_NAMES = frozenset(
    name_key(w)
    for w in (
        "Baca", "Baca Juga", "Lihat", "Simak", "Klik", "Foto", "Video", "Advertisement",
        "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu", "Ahad",
        "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
        "September", "Oktober", "November", "Desember", "Presiden", "Menteri",
    )
)  # fmt: skip
# A body's or place's head word alone names nothing: "PT", "Stadion", "Kementerian".
_GENERIC = frozenset(
    name_key(w)
    for w in (
        "PT", "Persero", "Tbk", "CV", "Stadion", "Gedung", "Jalan", "Jalan Raya", "Kota",
        "Kabupaten", "Provinsi", "Kecamatan", "Kelurahan", "Desa", "Kampung", "Rumah Sakit", "RS",
        "RSUD", "Universitas", "Bandara", "Pelabuhan", "Kementerian", "Kejaksaan", "Pengadilan",
        "Pemerintah", "Pemprov", "Pemkot", "Pemkab", "Polda", "Polres", "Polsek", "Dinas",
        "Partai", "Komisi", "Badan", "Dewan", "Lembaga",
    )
)  # fmt: skip
_QUOTES = frozenset('"“”«»')
_DASHED = re.compile(r"\S+(?:\s+(?![-–—|]\s)\S+)*")
# Where _DASHED splits a span: a dash between spaces. Searched from the dash (a fast scan for a
# few characters); its look-behind may see just before a span, which only costs a slow path.
_DASH_GAP = re.compile(r"[-–—|](?<=\s[-–—|])(?=\s)")
_TIE_ORDER = {"LOC": 2, "ORG": 1, "PER": 0}  # a name seen once as a place, once as a person
_CITY = re.compile(r"^Kota\s+(?=[A-Z])")  # "Kota Almaty" is Almaty; Kabupaten X is not X
_ACRONYM_AFTER = re.compile(r"\s*\((?:[^()]*?[/\s])?([A-Z][A-Za-z]*[A-Z])\)")
_ACRONYM_TAIL = re.compile(r"^(.*\S)\s*/\s*([A-Z][A-Za-z]*[A-Z])$")
_ACRONYM = re.compile(r"^[A-Z][A-Za-z]*[A-Z]$")
# "Sekretaris Jenderal Organisasi Perjanjian Keamanan Kolektif Stanislav Zas": a position,
# the body it belongs to, then the holder's name, all capitalised. The tagger can miss the
# whole run; the name is the capitalised tail after the body's last ordinary word.
_POSITION = (
    r"(?<![\w-])(?:Sekretaris\s+Jenderal|Sekjen|Ketua(?:\s+Umum)?|Presiden|Wakil\s+Presiden"
    r"|Direktur(?:\s+(?:Utama|Jenderal|Eksekutif))?|Kepala|Juru\s+Bicara|Panglima|Gubernur"
    r"|(?:Perdana\s+)?Menteri|Duta\s+Besar|Komisaris|Rektor|Dekan|Pemimpin|Kanselir)"
)
_CAP_WORD = r"[A-Z][\w'’-]*"
_POSITION_RUN = re.compile(rf"{_POSITION}\s+((?:{_CAP_WORD}\s+){{2,}}{_CAP_WORD})")
# Where a run can start: a word of _POSITION (a superset of its first words). A search for
# these literals skips ahead fast; a search for the run itself tries it at every character.
_POSITION_WORDS = re.compile("|".join(sorted(set(re.findall(r"[A-Z][a-z]+", _POSITION)))))
_ORDINARY = frozenset({"0", "lo"})  # news writes these words in lower case (clusters.tsv)
_UPPER_WORD = r"[A-Z][A-Z-]*[A-Z]"
_ACRONYM_LEAD = re.compile(rf"((?:{_UPPER_WORD}\s+){{0,2}}{_UPPER_WORD})\s+(?=[A-Z][a-z])")
_UPPER_RUN = re.compile(rf"(?:{_UPPER_WORD}\s+){{0,2}}{_UPPER_WORD}")
_BODY_HEADS = frozenset(
    {
        "Komisi", "Badan", "Kementerian", "Partai", "Dewan", "Majelis", "Mahkamah",
        "Pengadilan", "Kejaksaan", "Kepolisian", "Polda", "Polres", "Dinas", "Lembaga", "Bank",
        "Universitas", "Institut", "Sekolah", "Rumah", "Pemerintah", "PT", "Perum", "Yayasan",
        "Asosiasi", "Ikatan", "Persatuan", "Perhimpunan", "Gerakan", "Front", "Tim", "Klub",
    }
)  # fmt: skip
_LETTER_RUN = re.compile(r"[^\W\d_]+")
_ACRONYM_MAX = 4  # letters in each word of a shouted name that is kept as acronyms: DPR RI
# A web address names an outlet (the outlet facet has those), not an organisation or person.
_WEB_ADDRESS = re.compile(
    r"(?:www\.)?[\w-]+(?:\.[\w-]+)*\.(?:com|net|org|id|co|tv|info|news|io)(?:\.[a-z]{2,3})?/?",
    re.IGNORECASE,
)


@lru_cache(maxsize=1)
def _places() -> frozenset[str]:
    lines = (resources.files("indexer.ner") / "places.txt").read_text(encoding="utf-8")
    return frozenset(name_key(w) for w in lines.splitlines() if w and not w.startswith("#"))


@lru_cache(maxsize=1)
def _places_last() -> frozenset[str]:
    """The last word of each packaged place's key."""
    return frozenset(key.rpartition(" ")[2] for key in _places())


@lru_cache(maxsize=100_000)
def is_known_place(word: str) -> bool:
    """Is `word` one of the packaged places (places.txt)?"""
    return name_key(word) in _places()


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


def _after_title(text: str, start: int, known: Set[str], known_last: Set[str]) -> bool:
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


def _split_known_prefix(text: str, start: int, end: int, known: Set[str]) -> tuple[int, int] | None:
    """(end of a leading known name, start of the rest) inside [start, end), if any."""
    if name_key(text[start:end]) in known:
        return None  # "Wali Kota Jakarta Selatan": the whole span is the place
    words = list(re.finditer(r"\S+", text[start:end]))
    for n in (3, 2, 1):
        if len(words) > n and name_key(" ".join(w.group(0) for w in words[:n])) in known:
            rest = words[n]
            if rest.group(0)[0].isupper():
                return start + words[n - 1].end(), start + rest.start()
    return None


def strip_titles(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink [start, end) past leading titles and surrounding punctuation."""
    # Lower-case debris before a name ("maiwanews- Presiden ...") is not part of it.
    if start < end and not "A" <= text[start] <= "Z":  # else no [^A-Z\s] to start it
        lead = _LOWER_LEAD.match(text, start, end)
        if lead and lead.end() < end:
            start = lead.end()
    m = _TITLES_AT.match(text, start, end)
    if m:
        start = m.end()
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
    # A person's name is short and capitalised; a long lower-case run is a sentence.
    if label == "PER" and (len(words) > 5 or sum(w[0].islower() for w in words) > 1):
        return False
    return len(words) <= 10


def _split_dashes(text: str, tagged: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """A spaced dash separates names (datelines: "KONTAN.CO.ID - NUR-SULTAN"), never joins them."""
    gaps = _DASH_GAP.search(text) is not None
    out: list[tuple[str, int, int]] = []
    for label, s, e in tagged:
        # A span with no space at either end and no spaced dash inside is one piece.
        if (
            s < e
            and not text[s].isspace()
            and not text[e - 1].isspace()
            and not (gaps and _DASH_GAP.search(text, s, e))
        ):
            out.append((label, s, e))
            continue
        for m in _DASHED.finditer(text, s, e):
            out.append((label, m.start(), m.end()))
    return out


def _position_runs(text: str) -> list[re.Match[str]]:
    """_POSITION_RUN.finditer(text), tried only where a position's word is."""
    runs: list[re.Match[str]] = []
    end = 0
    for word in _POSITION_WORDS.finditer(text):
        if word.start() >= end:
            run = _POSITION_RUN.match(text, word.start())
            if run:
                runs.append(run)
                end = run.end()
    return runs


def _untagged_position_holders(
    text: str, tagged: list[tuple[str, int, int]]
) -> list[tuple[str, int, int]]:
    """PER spans for names after "position + body" runs that no tagged span touches."""
    out: list[tuple[str, int, int]] = []
    for run in _position_runs(text):
        words = list(re.finditer(r"\S+", run.group(1)))
        ordinary = [cap_rate_bucket(w.group(0).lower()) in _ORDINARY for w in words]
        if True not in ordinary:
            continue  # "Presiden Kazakhstan Kassym-Jomart Tokayev": places split that run
        last = len(ordinary) - 1 - ordinary[::-1].index(True)
        name = words[last + 1 :]
        if not 2 <= len(name) <= 4:
            continue
        start, end = run.start(1) + name[0].start(), run.start(1) + name[-1].end()
        if any(name_key(w.group(0)) in _places() for w in name):
            continue
        if not any(s < end and start < e for _, s, e in tagged):
            out.append(("PER", start, end))
    return out


def _known_label(name: str, label: str, aliases: AliasTable) -> str:
    """The label of a known name split off the front of a span tagged `label`."""
    if name_key(name) in _places():
        return "LOC"
    return "ORG" if aliases.has(name, "ORG") else label


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
    """An organisation's name by its look: an acronym (TNI, KPK) or a body's head word
    (Komisi Pemberantasan Korupsi); "Panglima TNI" names the body, not a person."""
    return bool(_UPPER_RUN.fullmatch(name)) or name.split()[0] in _BODY_HEADS


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
    extra = _untagged_position_holders(text, tagged)
    if extra:
        tagged = sorted([*tagged, *extra], key=lambda t: t[1])
    stripped = [
        (label, *strip_titles(text, a, b), a) for label, a, b in _split_dashes(text, tagged)
    ]
    # Names that stand alone somewhere in the article, with the packaged places, are what a
    # run like "Presiden Kazakhstan Kassym-Jomart Tokayev" is split at.
    own = {
        name_key(text[s:e])
        for label, s, e, _ in stripped
        if label != "PER" and " " not in text[s:e]
    }
    places = _places()
    # Bodies of the alias file split such runs too: "Ketua Umum PDI Perjuangan Megawati". (Not
    # its people or places: "Prabowo" would split "Prabowo Subianto", the place "Nursultan"
    # "Nursultan Nazarbayev"; places.txt holds the places to split at.)
    bodies = aliases.keys_with_label("ORG")
    known = places | own | bodies
    known_last = _places_last() | {key.rpartition(" ")[2] for key in own | bodies}
    mentions: list[Mention] = []
    for label, s, e, raw_start in stripped:
        if not _is_name(text[s:e], label):
            continue
        titled = (s != raw_start and bool(_TITLES_AT.match(text, raw_start, e))) or _after_title(
            text, s, known, known_last
        )
        split = _split_known_prefix(text, s, e, known) if titled else None
        # A body of the alias file keeps its name and label ("PDI Perjuangan").
        listed_body = split is None and name_key(text[s:e]) in bodies
        if split is not None:
            mentions.append(Mention(_known_label(text[s : split[0]], label, aliases), s, split[0]))
            s = split[1]
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
                label_of = _acronym_label(lead.group(1), aliases)
                mentions.append(Mention(label_of, s, lead.end(1)))
                s, label = lead.end(), "PER"
        surface = text[s:e]
        if (
            titled
            and not listed_body
            and _looks_like_person(surface)
            and name_key(surface) not in places
            and not (label == "ORG" and _is_body(surface))
        ):
            label = "PER"
        if name_key(surface) in places or (
            len(surface) <= 4 and _is_place_acronym(surface, label, aliases)
        ):
            label = "LOC"
        prev = mentions[-1] if mentions else None
        if prev and prev.label == label == "PER" and not text[prev.end : s].strip():
            acronym = text[prev.start : prev.end]
            if (
                _UPPER_RUN.fullmatch(acronym)
                and not text[s:e].isupper()
                and not _initials(acronym, aliases)
            ):
                # "Presiden RI" + "Joko Widodo": the acronym before a name is not part of it.
                prev.label = _acronym_label(text[prev.start : prev.end], aliases)
                mentions.append(Mention(label, s, e))
            else:
                prev.end = e  # the tagger split one name in two: "Kassym-Jomart" "Tokayev"
        else:
            mentions.append(Mention(label, s, e))

    # Acronyms: "Expansion (ACR)", "Expansion/ACR" and a bare "ACR" share the acronym.
    expansions: dict[str, str] = {}
    for m in mentions:
        surface = text[m.start : m.end]
        tail = _ACRONYM_TAIL.match(surface) if "/" in surface else None
        after = _ACRONYM_AFTER.match(text, m.end)
        if tail:
            expansions[name_key(tail.group(1))] = tail.group(2)
            m.canonical = tail.group(2)
        elif after and not _ACRONYM.match(surface):
            expansions[name_key(surface)] = after.group(1)
    for m in mentions:
        if not m.canonical:
            surface = " ".join(text[m.start : m.end].split())
            if m.label == "LOC":
                surface = _CITY.sub("", surface)
            m.canonical = (
                aliases.lookup(surface, m.label) or expansions.get(name_key(surface)) or surface
            )

    # Short person names join the one full name they are the start or end of: of those, the
    # one most mentioned, then the first seen.
    full: dict[str, int] = {}  # (a plain dict: a Counter costs more to build than it saves)
    for m in mentions:
        if m.label == "PER":
            full[m.canonical] = full.get(m.canonical, 0) + 1
    ends = _full_names_by_end(list(full))
    for m in mentions:
        parts = m.canonical.split()
        if m.label != "PER" and not (len(parts) == 1 and m.canonical[0].isupper()):
            continue
        # (An empty name, if an alias gave one, starts every name.)
        candidates = ends.get(tuple(parts)) if parts else [n for n in full if n.split()]
        if candidates:
            best = max(candidates, key=lambda n: (full[n], -candidates.index(n)))
            m.canonical, m.label = best, "PER"

    # One name, one label within an article: the label most of its mentions got.
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
            alias = aliases.lookup(m.canonical, m.label)
            shown = final[m.canonical, m.label] = display_form(alias or m.canonical)
        m.canonical = shown
    return mentions


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
