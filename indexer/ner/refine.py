"""Rules that make a tagged name a name an analyst can cite (issue #20), used by merge.py.

- Names end where names end: a connective before a name ("Kemudian Tolikara") and a headline
  verb after a person ("Jokowi Tinjau", "Sri Mulyani Siap") are not part of it.
- A comma inside a known body's name does not split it ("Badan Meteorologi, Klimatologi, dan
  Geofisika"): the alias file's bodies with commas are found in the text first.
- A known body before a person is split off ("Kementerian Komunikasi dan Informatika
  Ferdinandus Setu").
- "Gedung X" and "Kantor X" of a body X are X's building (a place) or X itself, never a new
  organisation.
- A known region (regions.tsv) is a place, named as the gazetteer names it.
- Acronyms that are no entity in news use (indexer/data/not_entities.tsv) are no facet value.
"""

from __future__ import annotations

import re
from collections.abc import Set
from functools import lru_cache
from importlib import resources

from index_format.names import name_key
from indexer.ner.aliases import AliasTable
from indexer.ner.body_run_on import run_on_bodies
from indexer.ner.cut_names import join_cut_names
from indexer.ner.features import cap_rate_bucket
from indexer.ner.lexicon import (
    _ACRONYM_TAIL,
    _BODY_HEADS,
    _MINISTRIES,
    _ORDINARY,
    _UPPER_RUN,
    _places,
)
from indexer.ner.regions import Region, region, regions

# Capitalised at a sentence's start, never a name's first word.
_CONNECTIVES = frozenset(
    (
        "Adapun", "Akan", "Apalagi", "Bagi", "Bahkan", "Bersama", "Dalam", "Dari",
        "Demikian", "Dengan", "Di", "Hingga", "Ini", "Itu", "Jika", "Juga", "Kata",
        "Kemudian", "Kepada", "Ketika", "Lalu", "Maka", "Meski", "Meskipun", "Menurut",
        "Namun", "Oleh", "Pada", "Para", "Saat", "Sedangkan", "Sejak", "Selain",
        "Selama", "Sementara", "Semua", "Setelah", "Sebelum", "Soal", "Tapi", "Terkait",
        "Tetapi", "Untuk", "Walaupun", "Yakni", "Yaitu", "Yang"
    )
)  # fmt: skip
# Title Case headline words news writes in lower case elsewhere but capitalised often enough
# that clusters.tsv does not say so ("Jokowi Tinjau Penanganan Karhutla").
_HEADLINE_WORDS = frozenset(
    (
        "tinjau", "tolak", "desak", "kerek", "bolehkan", "resmikan", "jadi", "terima",
        "pimpin", "tunjuk", "lantik", "copot", "senin", "selasa", "rabu", "kamis",
        "jumat", "sabtu", "minggu", "catat"
    )
)  # fmt: skip
_WORD_AT_START = re.compile(r"(\S+)\s+")
# Last words of ministries' names (lexicon._MINISTRIES) and of bodies news names before their
# people: KPK (Komisi Pemberantasan Korupsi), a coordinating minister's field (Kemaritiman,
# Maritim, Investasi), a directorate general (Perhubungan Udara, Perdagangan Luar Negeri).
BODY_LAST_WORDS = frozenset(
    {w.split()[-1] for w in _MINISTRIES.split("|") if " " in w and not w.split()[-1].isupper()}
    | {"Keuangan", "Kesehatan", "Pertahanan", "Perdagangan", "Perindustrian", "Pertanian",
       "Perhubungan", "Pariwisata", "Ketenagakerjaan", "Korupsi", "Kemaritiman", "Maritim",
       "Investasi", "Udara", "Polhukam", "Perekonomian", "Sekuritas"}
)  # fmt: skip
_LAST_WORD = re.compile(r"\s+(\S+)$")
# "Gedung KPK", "Gedung Merah Putih KPK", "Kantor Kemenkominfo": a body's building.
_PREMISES = re.compile(r"(?:Gedung|Kantor|Kompleks|Komplek)(?:\s+Merah[\s-]+Putih)?\s+(\S.*)")


# The last word of a ministry's name after "dan" (lexicon._MINISTRIES): a title's, not a name's.
_TITLE_TAILS = frozenset(
    (
        "Informatika", "Rakyat", "Mineral", "Kehutanan", "Perikanan", "Olahraga",
        "Ruang", "Kebudayaan", "Teknologi", "HAM", "UKM"
    )
)  # fmt: skip
# A flight number after an airline ("Wings Air IW 1296"): no part of the name.
_FLIGHT = re.compile(r"\s+[A-Z][A-Z0-9]\s?-?\s?\d{2,4}$")
# Words before a person's name that make it a place's or a body's named after them ("Jalan
# Gatot Subroto", "Bandara Soekarno-Hatta", "Universitas Cenderawasih").
_NAMED_AFTER = {
    **dict.fromkeys(
        (
            "Jalan", "Jl.", "Jl", "Jln.", "Jln", "Bandara", "Stadion", "Taman", "Lapangan",
            "Masjid", "Museum", "Monumen", "Tol", "Pelabuhan", "Terminal", "Stasiun", "Gedung",
            "Kampus", "RSPAD", "RSUD", "RSUP", "RS",
        ),
        "LOC",
    ),
    **dict.fromkeys(
        ("Universitas", "Institut", "UIN", "IAIN", "Yayasan", "Kodam", "Korem", "Kodim",
         "Polres", "Polda"),
        "ORG",
    ),
}  # fmt: skip


_NAMED_AFTER_WORDS = tuple(_NAMED_AFTER)
# A hero's rank or title between the head word and the name ("Jl. Jenderal Gatot Subroto").
# ("Si": a legend's article, as in "Stadion Si Jalak Harupat", which titles strip.)
_HERO_TITLES = ("Jenderal", "Jend.", "Letjen", "Mayjen", "Brigjen", "Kolonel", "Laksamana",
                "Marsekal", "Pahlawan", "Dr.", "Prof.", "Ir.", "KH", "KH.", "H.", "Si")  # fmt: skip
# A street written in lower case ("ruas jalan Gatot Subroto"): no person, and no value either.
_LOWER_STREET = (" jalan", " jl.", " jln.", " ruas", " tol")
_HOSPITAL_COMMA = ("RSPAD,", "RSUD,", "RSUP,", "(RSPAD),")
# What the text before such a name ends with: one C-level test before named_after.
NAMED_AFTER_ENDS = (
    *(f"{w} " for w in (*_NAMED_AFTER, *_HERO_TITLES)),
    *(f"{w} " for w in _LOWER_STREET),
    *(f"{w} " for w in _HOSPITAL_COMMA),
    ") ",
)


def named_after(text: str, start: int) -> tuple[str, int] | None:
    """(label, start of the head word) when the name at `start` follows a place's or body's
    head word on the same line ("Jalan Gatot Subroto", "Jl. Jenderal Gatot Subroto"); ("",
    start) when it is such a name with no value of its own."""
    at = max(0, start - 24)
    before = text[at:start].rstrip(" ")
    if before.endswith(_LOWER_STREET):
        return "", start
    for title in _HERO_TITLES:
        if before.endswith(f" {title}"):
            before = before[: -len(title)].rstrip(" ")
            break
    if before.endswith(_HOSPITAL_COMMA):  # "RSPAD, Gatot Subroto": one hospital's name
        before = before[:-1]
    bracketed = before.endswith(")")  # "Rumah Sakit Pusat Angkatan Darat (RSPAD) Gatot Subroto"
    if bracketed:
        before = before[:-1]
    if not before.endswith(_NAMED_AFTER_WORDS):  # (most names: one C-level test)
        return None
    head = before.rsplit(None, 1)[-1].lstrip("(") if before.strip() else ""
    label = _NAMED_AFTER.get(head)
    if label is None:
        return None
    if bracketed:
        return "", start  # the rest of a name written around its acronym: no name of its own
    return label, at + before.rfind(head)


def _pair(text: str, s: int, e: int, aliases: AliasTable) -> int | None:
    """Where "TNI-Polri" (two bodies written as one) splits, if it is such a pair."""
    dash = text.find("-", s, e)
    if (
        dash > s
        and text.find(" ", s, e) < 0
        and not known_body_name(text[s:e], aliases)
        and known_body_name(text[s:dash], aliases)
        and known_body_name(text[dash + 1 : e], aliases)
    ):
        return dash
    return None


def repair_spans(
    text: str, tagged: list[tuple[str, int, int]], aliases: AliasTable
) -> list[tuple[str, int, int]]:
    """The tagged spans with a body cut at a comma or "dan" made whole again, two bodies
    written as one ("TNI-Polri") made two, and places run together ("Kecamatan Samboja
    Kabupaten Kutai Kartanegara") split at the inner region head. One pass, cheap tests first."""
    tagged = comma_bodies(text, tagged, aliases)
    tagged = run_on_bodies(text, tagged)
    tagged = join_cut_names(text, tagged)  # "Dinas Kesehatan Kab. Purwakarta", "PT X & Y"
    out: list[tuple[str, int, int]] = []
    for label, s, e in tagged:
        if label == "ORG" and text.find("-", s, e) > s and (dash := _pair(text, s, e, aliases)):
            out += [(label, s, dash), (label, dash + 1, e)]
        elif (
            label == "LOC"
            and text.count(" ", s, e) >= 2
            and (cuts := [m.start() for m in _INNER_REGION.finditer(text, s, e)])
        ):
            for a, b in zip([s, *(c + 1 for c in cuts)], [*cuts, e], strict=True):
                out.append((label, a, b))
        else:
            out.append((label, s, e))
    return out


def known_body_name(name: str, aliases: AliasTable) -> bool:
    """An acronym of two letters or more, or a body the alias file names."""
    return (len(name) >= 2 and name.isupper() and name.isalpha()) or name_key(
        name
    ) in aliases.body_keys()


# A civil society body whose name holds "untuk" or "bagi", cut there by the tagger ("Aliansi
# Masyarakat untuk Keadilan Demokrasi").
_FOR_BODY = re.compile(
    r"(?:Aliansi|Koalisi|Gerakan|Forum|Komite|Lembaga|Yayasan|Asosiasi|Perhimpunan|Konsorsium"
    r"|Jaringan|Solidaritas)(?:\s+[A-Z][\w-]*){0,3}\s+(?:untuk|bagi)\s+$"
)


def body_before_for(text: str, start: int) -> int:
    """Where a body's name cut at "untuk" or "bagi" starts; `start` if it was not cut."""
    m = _FOR_BODY.search(text, max(0, start - 60), start)
    return m.start() if m is not None else start


def trim(text: str, start: int, end: int, label: str) -> tuple[int, int]:
    """[start, end) without connectives before the name and, for a person, without headline
    verbs and other words news writes in lower case after it."""
    # (A body's or place's name may start with a common noun: Kamar Dagang, Pasar Baru.)
    while (m := _WORD_AT_START.match(text, start, end)) and (
        m.group(1) in _CONNECTIVES
        or (label == "PER" and m.group(1)[0].isupper() and _lower_word(m.group(1)))
    ):
        start = m.end()
    if label == "PER":
        # "Wakil Ketua Komisi Pemberantasan Korupsi Laode M. Syarif", "Menko Kemaritiman Luhut
        # Binsar Panjaitan": the tagger took the last word of the body or title before the name.
        if (
            (m := _WORD_AT_START.match(text, start, end))
            and m.group(1) in BODY_LAST_WORDS
            and text.count(" ", m.end(), end) >= 1
            and (prev := _LAST_WORD.search(text, max(0, start - 30), start - 1))
            and prev.group(1)[:1].isupper()
        ):
            start = m.end()
        # "Menteri Komunikasi dan Informatika Rudiantara": the tagger took the title's last word.
        if (
            text.endswith("dan ", 0, start)
            and (m := _WORD_AT_START.match(text, start, end))
            and m.group(1) in _TITLE_TAILS
        ):
            start = m.end()
        while (m := _LAST_WORD.search(text, start, end)) and _lower_word(m.group(1)):
            end = m.start()
    elif label == "ORG" and (m := _FLIGHT.search(text, start, end)):
        end = m.start()
    elif label == "ORG" and (cut := _headline_cut(text, start, end)) is not None:
        end = cut  # "BMKG Catat Gempa M 3.4": a headline's verb after the body
    elif (
        label == "ORG" and (m := _SCORE.search(text, start, end)) and _SCORE_AFTER.match(text, end)
    ):
        end = m.start()  # "Basel 5 - 0": the club, then its score
    if label != "PER":
        if text.endswith(_WEEKDAY_ENDS, start, end) and not text.startswith("Pasar ", start):
            end = text.rindex(" ", start, end)  # "Istana Jumat", "Bulog Rabu": a headline's day
        elif (
            label == "LOC"
            and text.endswith(_ROMAN_ENDS, start, end)
            and region(text[start : (numeral := text.rindex(" ", start, end))]) is not None
        ):
            end = numeral  # "dapil Jawa Timur VII": an electoral district's number after its region
    return start, end


_WEEKDAY_ENDS = tuple(
    f" {d}" for d in ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
)
_ROMAN_ENDS = tuple(
    f" {n}" for n in ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
)


def _headline_cut(text: str, start: int, end: int) -> int | None:
    """Where a body's name ends before a headline's verb ("BMKG Catat Gempa M 3.4")."""
    first = text.find(" ", start, end)
    for m in _WORD_AT_START.finditer(text, first + 1, end) if first > 0 else ():
        if m.group(1).lower() in _HEADLINE_WORDS and m.group(1)[0].isupper():
            return start + len(text[start : m.start()].rstrip())
    return None


# An epithet ("Bapak Teknologi dan Demokrasi Indonesia", "Bapak Pembangunan"): no body.
_EPITHET_BEFORE = re.compile(r"\bBapak\s+(?:[A-Z]\w+\s+dan\s+)?$")


def epithet(text: str, start: int, end: int) -> bool:
    """Is the span the rest of an epithet "Bapak X", its first word a common noun?"""
    if (
        not text.endswith(" ", 0, start)
        or _EPITHET_BEFORE.search(text, max(0, start - 40), start) is None
    ):
        return False
    first = text[start:end].split(None, 1)[0]
    return cap_rate_bucket(first.lower()) in ("0", "lo")


@lru_cache(maxsize=50_000)
def _lower_word(word: str) -> bool:
    low = word.lower()
    if low in _HEADLINE_WORDS:
        return True
    if not low.isalpha() or low[0] == word[0] or word.isupper():
        return False  # a lower-case word inside a name ("dan"), or an acronym
    return cap_rate_bucket(low) == "0" and low not in _BODY_HEADS_LOWER


_BODY_HEADS_LOWER = frozenset(h.lower() for h in _BODY_HEADS)


# Lower-case words a body's or place's name may hold ("Kementerian Hukum dan HAM", "Bank of
# America", "RSU dr Soetomo", "Lapas kelas 1 Surabaya"); any other is a sentence's.
_NAME_LOWER = frozenset(
    (
        "dan", "atau", "untuk", "bagi", "of", "the", "and", "for", "de", "di", "dari",
        "der", "van", "von", "bin", "binti", "al", "el", "la", "le", "du", "da", "dos",
        "y", "und", "dr", "kelas"
    )
)  # fmt: skip
# First words of what is no person, body or place: an event or a document ("Liga Europa",
# "Munas Golkar", "Surat Perintah Penghentian Penyidikan").
_NOT_NAME_HEADS = frozenset(
    (
        "Liga", "Munas", "Musyawarah", "Kongres", "Piala", "Festival", "Konferensi",
        "KTT", "Pilkada", "Pilpres", "Pileg", "Pemilu", "Olimpiade", "Rakernas",
        "Rapimnas", "Rakornas", "Surat", "Undang-Undang", "UU", "RUU", "Perppu",
        # a market index's ("Indeks Hang Seng", "Komposit Shanghai")
        "Indeks", "Index", "Komposit",
        # an app's, a system's, a programme's or an event's ("Aplikasi GoFood", "Sistem
        # Informasi Transaksi Nasabah", "Pelatihan Vokasi SDM", "Deklarasi Gerakan Pemuda
        # Ansor", "Audisi Beasiswa Bulu Tangkis Djarum", "Gerai Samsat")
        "Aplikasi", "Sistem", "Kurikulum", "Pelatihan", "Deklarasi", "Audisi", "Gerai"
    )
)  # fmt: skip
# Last words of a product's, a feature's or a measure's name, never a body's or a person's
# ("Instagram Story", "Link Live", "Doel The Movie", "Jakarta Composite Index").
_NOT_NAME_TAILS = frozenset(
    ("Story", "Stories", "Live", "Streaming", "Movie", "Index", "Rate", "Composite", "Average")
)  # ("Nasdaq Composite", "Dow Jones Industrial Average": indexes too)
# The head of a body's name: a span that starts so is an organisation, even tagged a place
# ("Dinas Bina Marga DKI Jakarta", "DPP NasDem"). (Not Rumah or Sekolah: hospitals and
# schools are places too.)
_BODY_FIRST = frozenset(
    (
        "Komisi", "Badan", "Kementerian", "Partai", "Dewan", "Majelis", "Mahkamah",
        "Kejaksaan", "Pengadilan", "Kepolisian", "Polda", "Polres", "Dinas", "Lembaga", "Bank",
        "Universitas", "Institut", "Pemerintah", "PT", "Perum", "Yayasan", "Asosiasi",
        "Divisi", "Direktorat", "Ditjen", "Biro", "DPP", "DPD", "DPW", "DPC", "Pemprov",
        "Pemkot", "Pemkab"
    )
)  # fmt: skip
# Inner heads a place's span is split at: "Kecamatan Samboja Kabupaten Kutai Kartanegara".
_INNER_REGION = re.compile(r"\s(?=(?:Kabupaten|Provinsi|Kecamatan|Kelurahan|Desa|Distrik)\s+[A-Z])")


def looks_like_body(name: str) -> bool:
    """A name tagged as a place that is a body's by its first word."""
    return name.split(None, 1)[0] in _BODY_FIRST


_DECIMAL = re.compile(r"\d+[.,]\d+")  # "M 6,1 dan M 6,0": magnitudes, no name
_AGE_GROUP = re.compile(r"U-?\d{2}")  # "timnas U-16": a team's age group, no name of its own
# A score after a club's name in a results list ("Basel 5 - 0 FC Krasnodar").
_SCORE = re.compile(r"\s+\d{1,2}$")
_SCORE_AFTER = re.compile(r"\s*[-–]\s*\d")
# A product or firmware code ("A520Fxxubcsi1", "N250"), not a name.
_CODE = re.compile(r"[A-Za-z]+\d+[A-Za-z]+|[A-Z]\d{3,}")


def flight_or_stray_code(text: str, start: int, end: int, aliases: AliasTable) -> bool:
    """A two-letter acronym tagged as a body that no alias line knows and the article does not
    define: a flight number's airline code ("JT 610"), initials, a unit. Too ambiguous to be
    a facet value (BI, MK, UI are in the alias file)."""
    name = text[start:end]
    if len(name) != 2 or not name.isupper() or not name.isalpha():
        return False
    if aliases.lookup(name, "ORG") or aliases.only_label(name):
        return False
    return f"({name})" not in text


def looks_like_debris(text: str, words: list[str]) -> bool:
    """A span that is no name: a lower-case word a name does not hold ("Majelis hakim
    Pengadilan..."), a product's or a measure's last word ("Instagram Story"), a colon ("Astana: Eric"), a list written with a slash ("DPR/DPD RI";
    "Expansion/ACR" is read before), a code, or a run of digits ("M 6 1 dan M 6 0")."""
    if len(words) == 1:  # most names: a word, checked cheaply
        word = words[0]
        return (
            word in _NOT_NAME_HEADS
            or word.endswith(("Story", "Stories"))  # "InstaStory"
            or _AGE_GROUP.fullmatch(word) is not None
            or ":" in word
            or ("/" in word and not _ACRONYM_TAIL.match(word))  # "Kementerian/Lembaga", "K/L"
            or (
                len(word) < 3 and sum(c.isalpha() for c in word) < 2  # "F."
            )
            or (not word.isalpha() and _CODE.search(word) is not None)
        )
    if ":" in text or _CODE.search(text) or words[0] in _NOT_NAME_HEADS:
        return True
    if words[-1].capitalize() in _NOT_NAME_TAILS:  # (also "DOEL THE MOVIE")
        return True
    if "/" in text and not _ACRONYM_TAIL.match(text):
        return True
    digits = 0
    for w in words[1:]:
        if w[0].islower() and w not in _NAME_LOWER:
            return True
        digits += w.isdigit() or _DECIMAL.fullmatch(w) is not None
    return digits > 1


# The last word of a brokerage's or a finance company's name, in Indonesian or English ("Panin
# Sekuritas", "Avere Investama", "Mirae Asset Sekuritas", "Adira Finance"): no person's or place's.
_FINANCE_LAST = ("Sekuritas", "Securities", "Investama", "Finance", "Multifinance")
# The last word of a body's name in English or sport: a name that ends so is no person's.
ORG_TAILS = frozenset(
    (
        "Center", "Centre", "Institute", "University", "College", "Group", "Foundation",
        "Corporation", "Company", "Inc", "Ltd", "FC", "United", "Club", "Association",
        "Agency", "Council", "Committee", *_FINANCE_LAST
    )
)  # fmt: skip


# A hospital's acronym ("RSCM", "RSMH", "RSUD Sidoarjo", "RSDP Serang") or a power plant's
# with its site ("PLTU Cilacap", "PLTU Jawa 7"), and an English venue's or hospital's last
# word ("Women's College Hospital", "Olympic Sports Center Xincheng Gymnasium"): a facility,
# which the facets count as a place, like an airport or a stadium. (RSPO, RSVP, RSS: no
# hospitals; a plant's kind alone, "PLTU", names no plant.)
_FACILITY = re.compile(
    r"RS(?!PO\b|VP\b|S\b)[A-Z]{1,4}(?: [A-Z][\w'-]*){0,3}|PLT[A-Z]{1,3} [A-Z0-9][\w-]*(?: [A-Z0-9][\w-]*)?"
)
_FACILITY_LAST = (" Hospital", " Gymnasium", " Arena")


def facility(name: str) -> bool:
    """Is `name` a hospital's, a power plant's or a venue's (see _FACILITY)?"""
    if name.endswith(_FACILITY_LAST):
        return True
    return name[:2] in ("RS", "PL") and _FACILITY.fullmatch(name) is not None


def not_a_place(name: str, aliases: AliasTable) -> bool:
    """An acronym tagged as a place that no gazetteer or alias line knows as one ("ICJR"):
    places are rarely written as acronyms, bodies mostly are; a hospital's (RSCM) is one."""
    return (
        not facility(name)
        and len(name) >= 3
        and name.isupper()
        and name.isalpha()
        and region(name) is None
        and name_key(name) not in _places()
        and aliases.lookup(name, "LOC") is None
    )


# Last words that make a name a body's even where the tagger read a place: an English
# company's, bank's, airline's or party's ("Asian Development Bank", "British Airways",
# "European People's Party"). Not Center or Club: venues ("Jakarta Convention Center").
_BODY_LAST = frozenset(
    (
        "Bank", "Airways", "Airlines", "Party", "Association", "Corporation", "Company",
        "Inc", "Ltd", "Agency", "Council", "Committee", "Foundation", "FC", "Group",
        *_FINANCE_LAST
    )
)  # fmt: skip


def body_by_last_word(name: str) -> bool:
    """A name of several words whose last word is a body's (_BODY_LAST)."""
    head, _, last = name.rpartition(" ")
    return bool(head) and last in _BODY_LAST


# First words of an association's, a committee's or a federation's name, never a person's
# given name ("Komite Olimpiade Indonesia", "Konfederasi Serikat Pekerja Indonesia", "Ikatan
# Mahasiswa Muhammadiyah"). (Not lexicon._BODY_HEADS whole: "Tim" opens Tim Cook's name.)
_PERSON_NEVER_FIRST = frozenset(
    (
        "Komite", "Komisi", "Konfederasi", "Federasi", "Ikatan", "Persatuan", "Perkumpulan",
        "Perhimpunan", "Himpunan", "Asosiasi", "Serikat", "Gabungan", "Paguyuban", "Koalisi",
        "Aliansi", "Forum", "Lembaga", "Yayasan", "Badan", "Dewan", "Majelis", "Kementerian",
        "Partai", "Nahdlatul", "Konsorsium", "Koperasi", "Kelompok", "Komunitas",
    )
)  # fmt: skip


def not_a_person(name: str) -> bool:
    """A name tagged as a person's that is a body's: an acronym of three letters or more (a
    person's initials are in the alias file: SBY, JK), an English body's or a finance
    company's last word, or an association's first word before more words."""
    first, _, rest = name.partition(" ")
    return (
        (len(name) >= 3 and name.isupper() and name.isalpha())
        or name.rsplit(None, 1)[-1] in ORG_TAILS
        or (bool(rest) and first in _PERSON_NEVER_FIRST)
    )


def comma_bodies(
    text: str, tagged: list[tuple[str, int, int]], aliases: AliasTable
) -> list[tuple[str, int, int]]:
    """The tagged spans with each known body whose name holds a comma or "dan" as one ORG
    span. Tried only where a tagged span stops at a comma or "dan" (where the tagger cuts),
    with the names that start with the span's first word."""
    patterns = _comma_patterns(aliases)
    found: list[re.Match[str]] = []
    for _, s, e in tagged:
        if not text.startswith(_CUT_STARTS, e) or _CUT.match(text, e) is None:
            continue
        first = text[s:e].split(None, 1)[0].lower() if s < e else ""
        for pattern in patterns.get(first, ()):
            m = pattern.match(text, s)
            if m is not None and m.end() > e:
                found.append(m)
                break
    if not found:
        return tagged
    out = [t for t in tagged if not any(t[1] < m.end() and m.start() < t[2] for m in found)]
    out += [("ORG", m.start(), m.end()) for m in found]
    return sorted(out, key=lambda t: t[1])


_CUT = re.compile(r"\s*,|\s+dan\s")
_CUT_STARTS = (",", " ,", " dan ", "  ")  # what _CUT can match at, tested in C first


def _comma_patterns(aliases: AliasTable) -> dict[str, list[re.Pattern[str]]]:
    """First word (lower case) → patterns of the known bodies whose names hold a comma or
    "dan" and start with it, longest name first."""
    cached = aliases.derived.get("comma_bodies")
    if cached is None:
        cached = {}
        for name in sorted(aliases.names_with_label("ORG"), key=len, reverse=True):
            if "," not in name and " dan " not in name:
                continue  # (the tagger cuts a name at a comma or at "dan")
            words = re.findall(r"[^\s,]+", name)
            # "dan" as the name has it; in a list with commas news may leave it out.
            dan = r"(?:\s*,?\s+dan)?" if "," in name else r"\s*,?\s+dan"
            body, after_dan = "", False
            for w in words:
                if w.lower() == "dan":
                    after_dan = True
                    continue
                sep = "" if not body else dan + r"\s+" if after_dan else r"\s*,?\s+"
                body += sep + re.escape(w)
                after_dan = False
            pattern = re.compile(rf"{body}(?!\w)", re.IGNORECASE)
            cached.setdefault(words[0].lower(), []).append(pattern)
        aliases.derived["comma_bodies"] = cached
    return cached


def known_body(name: str, aliases: AliasTable) -> bool:
    """A body the alias file lists, by any of its names, or an acronym run (KPK, DPR RI)."""
    return bool(_UPPER_RUN.fullmatch(name)) or name_key(name) in aliases.body_keys()


def body_then_person(text: str, start: int, end: int, aliases: AliasTable) -> int | None:
    """Where the person starts in "Kementerian Komunikasi dan Informatika Ferdinandus Setu":
    a known body of at least two words, then two to four capitalised words, or one word that
    only names a person ("Kementerian PANRB Mudzakir"; None: no such)."""
    if text.count(" ", start, end) < 2 or (
        name_key(text[start:end].split(" ", 1)[0]) not in _body_first_words(aliases)
    ):
        return None
    words = list(re.finditer(r"\S+", text[start:end]))
    for n in range(len(words) - 1, 1, -1):
        rest = words[n:]
        if len(rest) > 4 or not all(w.group(0)[0].isupper() for w in rest):
            continue
        if len(rest) == 1 and not _lone_name(rest[0].group(0), aliases):
            continue
        head = text[start : start + words[n - 1].end()]
        if name_key(head) in aliases.body_keys() and not any(
            w.group(0) in _BODY_HEADS or region(w.group(0)) for w in rest
        ):
            return start + rest[0].start()
    return None


def _lone_name(word: str, aliases: AliasTable) -> bool:
    """Can one word after a known body be a person's name alone: capitalised letters, a word
    news never writes in lower case, no place, no body's name or last word ("Romahurmuziy",
    not "Syariah", "Sulsel", "Tbk", "Ansor")?"""
    if not (word.isalpha() and word[0].isupper() and not word.isupper()):
        return False
    if word in ORG_TAILS or word in BODY_LAST_WORDS or word in _LEGAL_TAILS:
        return False  # "PT Timah Tbk", "Manchester United"
    key = name_key(word)
    return (
        cap_rate_bucket(key) not in _ORDINARY
        and key not in place_keys()
        and key not in aliases.body_keys()
        and key not in _body_last_words(aliases)
        and aliases.lookup(word, "ORG") is None
        and aliases.lookup(word, "LOC") is None
    )


# A company's legal form after its name.
_LEGAL_TAILS = frozenset(("Tbk", "Persero", "Ltd", "Inc", "Corp", "Pte", "Bhd", "Plc", "Llc"))


def _body_words(aliases: AliasTable, end: int) -> frozenset[str]:
    """The first (`end` 0) or last (-1) words of the known bodies' names of several words,
    worked out once an alias table."""
    key = f"body_words_{end}"
    cached = aliases.derived.get(key)
    if cached is None:
        cached = aliases.derived[key] = frozenset(
            k.split(" ")[end] for k in aliases.body_keys() if " " in k
        )
    return cached


def _body_last_words(aliases: AliasTable) -> frozenset[str]:
    return _body_words(aliases, -1)


def _body_first_words(aliases: AliasTable) -> frozenset[str]:
    return _body_words(aliases, 0)


_TOLL_ROAD = ("Jalan Tol ", "Jl. Tol ", "Jl Tol ", "Ruas Tol ", "Ruas Jalan Tol ")


def premises(surface: str, label: str, aliases: AliasTable, text: str) -> str | None:
    """The canonical name of "Gedung X" / "Kantor X" when X is a body: X itself for an
    organisation, "Gedung <X's canonical name>" for a place (None: not a body's building). A
    toll road is "Tol X" however news opens it ("Jalan Tol X", "Ruas Tol X")."""
    if not surface.startswith(("Gedung ", "Kantor ", "Kompleks ", "Komplek ")):
        if label == "LOC" and surface.startswith(_TOLL_ROAD):
            road = "Tol " + surface.split(" Tol ", 1)[1]  # "Jalan Tol Jagorawi": Tol Jagorawi
            return aliases.lookup(road, "LOC") or road
        return None
    m = _PREMISES.fullmatch(surface)
    if m is None or not known_body(m.group(1), aliases):
        return None
    body = aliases.lookup(m.group(1), "ORG", text) or m.group(1)
    return body if label == "ORG" else f"Gedung {body}"


def place_name(name: str) -> Region | None:
    """The region `name` names, from the gazetteer."""
    return region(name)


@lru_cache(maxsize=1)
def place_keys() -> frozenset[str]:
    """Packaged places and every form of every region: what a name after a title is split at."""
    return _places() | frozenset(regions())


@lru_cache(maxsize=1)
def not_entities() -> frozenset[str]:
    """The names of indexer/data/not_entities.tsv and common_acronyms.tsv, as written (case
    matters: SARA, not Sara)."""
    data = resources.files("indexer") / "data"
    return frozenset(
        line.split("\t", 1)[0]
        for name in ("not_entities.tsv", "common_acronyms.tsv")
        for line in (data / name).read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    )


# Words for a member or a post of a body, before the body's name: the span names the body
# ("Aktivis Indonesia Corruption Watch", "Corporate Communications Strategic of Lion Air").
_MEMBER_WORDS = frozenset(
    (
        "Aktivis", "Anggota", "Kader", "Koordinator", "Kordinator", "Pegiat", "Peneliti",
        "Relawan", "Simpatisan", "Ekonom", "Analis"
    )
)  # fmt: skip
_ENGLISH_POST = re.compile(
    r"(?:Vice\s+President|Corporate|Communications?)(?:\s+(?:Secretary|Communications?|Strategic"
    r"|Relations|Affairs|Manager|Community|Development|Group|Head|and|&|of))*(?:\s+|$)"
)
# A post held in a body, before its name: "Co-Founder Gojek", "Chief Food Officer Gojek
# Group", "Commissioner Royal Brunei Police Force", "Manajer Tim Repsol Honda".
_POST_BEFORE = re.compile(
    r"(?:Co-?[Ff]ounder|Founder|CEO|Chief(?:\s+[A-Z][a-z]+){0,3}\s+Officer|Commiss?ioner"
    r"|Manajer(?:\s+Tim)?)(?:\s+of)?\s+(?=[A-Z])"
)


def trim_post(text: str, start: int, end: int) -> int:
    """Where a body's name starts once the member or post words before it are left out (`end`
    when the span is a post only)."""
    while True:
        m = _WORD_AT_START.match(text, start, end)
        if m is not None and m.group(1) in _MEMBER_WORDS:
            start = m.end()
        elif (post := _post_end(text, start, end)) is not None:
            start = post
        else:
            return start


def _post_end(text: str, start: int, end: int) -> int | None:
    """Where an English post ("Corporate Communications", "Co-Founder") at `start` ends."""
    p = _ENGLISH_POST.match(text, start, end)
    if p is not None and p.end() > start:
        return p.end()
    p = _POST_BEFORE.match(text, start, end)
    return p.end() if p is not None else None


# A law's or a regulation's number before "tentang": its title follows, no body's name
# ("Undang-Undang Nomor 20 Tahun 2001 tentang Pemberantasan Tindak Pidana Korupsi").
_LAW_BEFORE = re.compile(
    r"(?:\b(?:R?UU|Undang-[Uu]ndang|Perppu|Perpres|Permen\w*|Peraturan|PP|Keppres|Inpres)\b"
    r"|\bTahun\s+\d{4})[^.\n]{0,60}$"
)


def law_title(text: str, start: int, end: int, aliases: AliasTable) -> bool:
    """Is text[start:end] (tagged as a body) the title of a law, not a body the alias file
    knows ("tentang KPK" names KPK)?"""
    if text.endswith(("tentang ", "Tentang "), 0, start):
        law = _LAW_BEFORE.search(text, max(0, start - 90), start - 8) is not None
    else:  # "UU Informasi dan Transaksi Elektronik", cut at "dan": the law's short title
        law = text.endswith(" dan ", 0, start) and bool(
            _LAW_NAMED.search(text, max(0, start - 60), start)
        )
    return law and not known_body(text[start:end], aliases)


_LAW_NAMED = re.compile(
    r"(?:\b(?:R?UU|Undang-[Uu]ndang|Perppu|Peraturan|Perpres|PP)\b|\bTahun\s+\d{4})"
    r"(?:[^.\n]{0,30}?\s[Tt]entang)?\s+(?:[A-Z]\w*\s+){1,3}dan\s+$"
)


def word_list(text: str, start: int, end: int, aliases: AliasTable) -> int | None:
    """ "FIFA dan AFC", "IOS dan Android": two words joined by "dan" that no alias line knows as
    one body's name are a list of two, no name. Where the second starts when both are bodies
    (known or acronyms), -1 when they are not (the span names nothing), None: no such list."""
    name = text[start:end]
    parts = name.split()
    if len(parts) != 3 or parts[1] != "dan" or name_key(name) in aliases.body_keys():
        return None
    if _listed_or_acronym(parts[0], aliases) and _listed_or_acronym(parts[2], aliases):
        return end - len(parts[2])
    return -1


def _listed_or_acronym(word: str, aliases: AliasTable) -> bool:
    """A body the alias file lists, or an acronym of three letters or more (two letters are
    initials as often: "AG dan FBK")."""
    return (len(word) >= 3 and word.isupper() and word.isalpha()) or name_key(
        word
    ) in aliases.body_keys()


def body_at_end(text: str, start: int, end: int, aliases: AliasTable) -> int | None:
    """Where the body starts in a span tagged as a person that ends with one the alias file
    knows by a single word: "(Direktur Jenderal) Perhubungan Udara Kemenhub" is no person."""
    space = text.rfind(" ", start, end)
    if space < 0:
        return None
    last = text[space + 1 : end]
    if (
        len(last) >= 3
        and last[0].isupper()
        and name_key(last) in aliases.keys_with_label("ORG")
        and not aliases.has(text[start:end], "PER")
    ):
        return space + 1
    return None


_FACTION = "Fraksi "  # a party's members in a parliament


def two_bodies(text: str, start: int, end: int, aliases: AliasTable) -> int | None:
    """Where the second body starts in a span of two bodies the alias file knows, written one
    after the other ("Fraksi Partai Golkar DPR": Partai Golkar, DPR; "DPR Fraksi Partai
    Gerindra": DPR, the party's faction); None if it is not so."""
    bodies = aliases.keys_with_label("ORG")
    if name_key(text[start:end]) in bodies:
        return None
    at = text.find(" ", start, end)
    while at > 0:
        second = text[at + 1 : end]
        if name_key(text[start:at]) in bodies:
            if name_key(second) in bodies:
                return at + 1
            if second.startswith(_FACTION) and name_key(second[len(_FACTION) :]) in bodies:
                return at + 1 + len(_FACTION)  # the party, as "Fraksi Partai Golkar" names it
        at = text.find(" ", at + 1, end)
    return None


_DEFINED = re.compile(r"\(\s*([A-Z][A-Z0-9-]{1,7})\s*\)")


def definition_case(text: str, m: re.Match[str]) -> str | None:
    """How the words before an acronym in brackets (a _DEFINED match) define it: "lower"
    ("harga jual eceran (HJE)"), "upper" ("Komisi Pemberantasan Korupsi (KPK)") or None (they do
    not spell it). The letters must be the words' initials, in any order (news misspells)."""
    letters = sorted(c.lower() for c in m.group(1) if c.isalpha())
    words = text[max(0, m.start() - 100) : m.start()].split()[-len(letters) :]
    if len(words) != len(letters) or sorted(w[0].lower() for w in words) != letters:
        return None
    if all(w.isalpha() and w.islower() for w in words):
        return "lower"
    return "upper" if all(w[0].isupper() for w in words) else None


def common_acronyms(text: str) -> set[str]:
    """Acronyms the article defines with words in lower case: "harga jual eceran (HEJ)",
    "pejabat pimpinan tinggi (PPT)" shorten common nouns, no body's name (bodies are written
    capitalised). indexer/data/common_acronyms.tsv lists those CLICK-ID defines so."""
    return {m.group(1) for m in _DEFINED.finditer(text) if definition_case(text, m) == "lower"}


# Nouns before a capitalised name that make it a thing's name, never a body's or a person's:
# "Robot Sophia", "fenomena El Nino", "badai Dorian", "film Dilan 1990".
_THING_NOUNS = frozenset(
    ("robot", "topan", "badai", "siklon", "fenomena", "film", "sinetron", "novel", "serial")
)  # (films and books: "film Dilan 1990", "film DILAN 1990")
# ... and never a person's: "satelit Terra Aqua", "pesawat Hercules", "drone Emprit", "RUU
# Minerba" (a law's); a body's may follow ("pembalap satelit Yamaha", "pesawat Lion Air",
# "teknologi Huawei", "UU KPK").
_THING_NOUNS_PER = _THING_NOUNS | frozenset(
    (
        "satelit", "pesawat", "helikopter", "kapal", "drone", "aplikasi", "teknologi", "uu",
        "ruu", "perppu", "undang-undang"
    )
)  # fmt: skip
_WORD_BEFORE = re.compile(r"(\S+)[ \t]+$")


# A suspect, a defendant or a witness named by initials ("tersangka IWK (Sekretaris Daerah
# Jawa Barat nonaktif, Iwa Karniwa)", "saksi untuk tersangka IWK,").
_SUSPECT_BEFORE = ("tersangka ", "terdakwa ", "saksi ", "terpidana ")


_SUSPECT_AFTER = re.compile(r"\s+sebagai\s+(?:tersangka|terdakwa|terpidana)\b")


def suspect_initials(text: str, start: int, end: int) -> bool:
    """A run of 2-4 capitals after "tersangka", "terdakwa"… (at a sentence's start too:
    "Tersangka BTO selaku…"), or before "sebagai tersangka" ("menetapkan BTO sebagai
    tersangka"): a person's initials, no body."""
    if not (2 <= end - start <= 4 and text[start:end].isalpha() and text[start:end].isupper()):
        return False
    before = text[max(0, start - 12) : start]
    return (
        before.endswith(_SUSPECT_BEFORE)
        or before.lower().endswith(_SUSPECT_BEFORE)
        or _SUSPECT_AFTER.match(text, end) is not None
    )


# A title in capitals: a film's or a book's in a shouted list ("WIRO SABLENG: PENDEKAR KAPAK
# MAU NAGA GENI 212 - Produksi: …", "MILLY & MAMET (INI BUKAN CINTA & RANGGA)") or in quotes
# ("hingga 'DILAN 1990'"); short acronyms (KPK, BPJS) stay bodies even there.
_QUOTE_MARKS = "'\"‘’“”"
_SHOUTED_RUN = 5  # capitalised words in a row, the name's included
# A word of five capitals or more and a year: a film's or an event's title ("DILAN 1990").
_YEAR_TITLE = re.compile(r"(?=[A-Z ]*[A-Z]{5})[A-Z][A-Z ]*[A-Z] (?:19|20)\d\d")
_YEAR_AFTER = re.compile(r" (?:19|20)\d\d\b")


def shouted_title(text: str, start: int, end: int) -> bool:
    name = text[start:end]
    if not name.isupper() or (" " not in name and len(name) < 5 and name.isalpha()):
        return False
    if _quoted_capitals(text, start, end):
        return True
    titled = _YEAR_TITLE.fullmatch(name) or (
        name.isalpha() and _YEAR_AFTER.match(text, end) is not None
    )
    if titled:
        return True  # "DILAN 1990": a word in capitals and a year
    run = len(name.split())
    for words in (reversed(text[max(0, start - 80) : start].split()), text[end : end + 80].split()):
        for word in words:
            bare = word.strip("()'\":,-–&")
            if bare and not bare.isupper():
                break
            run += bool(bare)
    return run >= _SHOUTED_RUN


def _quoted_capitals(text: str, start: int, end: int) -> bool:
    """Is the name inside quotes that hold only capitals, several words or digits?"""
    opening = max(text.rfind(q, max(0, start - 40), start) for q in _QUOTE_MARKS)
    if opening < 0:
        return False
    closing = [i for q in _QUOTE_MARKS if (i := text.find(q, end, end + 40)) >= 0]
    if not closing:
        return False
    quoted = text[opening + 1 : min(closing)]
    return quoted.isupper() and (" " in quoted.strip() or any(c.isdigit() for c in quoted))


def word_before(text: str, start: int) -> str | None:
    """_WORD_BEFORE.search(text, max(0, start - 16), start).group(1), or None: the word that
    spaces or tabs alone (no line break) separate from `start`, cut at 16 characters back.
    With strip and split instead of the regex, which tried each of the 16 positions."""
    window = text[max(0, start - 16) : start]
    if window.endswith("\n"):
        window = window[:-1]  # ($ matches before a final line break too)
    head = window.rstrip(" \t")
    if len(head) == len(window) or not head or head[-1].isspace():
        return None
    return head.rsplit(None, 1)[-1]


def thing_named(text: str, start: int, end: int, label: str) -> bool:
    """Is the span tagged `label` (a person or a body) a thing's name, by the noun before it or
    its first word?"""
    nouns = _THING_NOUNS_PER if label == "PER" else _THING_NOUNS
    before = word_before(text, start)
    if before is not None and (low := before.lower()) in nouns:
        return low not in ("uu", "ruu") or before.isupper()  # (Uu Ruzhanul Ulum: a person)
    space = text.find(" ", start, end)  # "Robot Sophia" (not "Uu Ruzhanul Ulum", a person)
    return space > 0 and text[start:space].lower() in _THING_NOUNS


# "Direktur Jenderal Perhubungan Udara, Polana B Pramesti": after such a title, a name followed
# by a comma and another name is the directorate's, not a person's.
_DIRECTORATE_BEFORE = ("Direktur Jenderal ", "Dirjen ")
_NAME_AFTER_COMMA = re.compile(r",\s*[A-Z][a-z]")


def directorate_name(text: str, start: int, end: int) -> bool:
    """Is the span tagged as a person, after "Direktur Jenderal", a directorate's name?"""
    return text.endswith(_DIRECTORATE_BEFORE, 0, start) and bool(_NAME_AFTER_COMMA.match(text, end))


_REGISTRATION = re.compile(r"(?<![\w-])[A-Z0-9]{1,2}-$")


def registration_code(text: str, start: int) -> bool:
    """An acronym glued after a one- or two-letter prefix and a hyphen: an aircraft's
    registration ("PK-CDC"), no body (unlike "TNI-Polri", two bodies)."""
    return (
        start > 1
        and text[start - 1] == "-"
        and bool(_REGISTRATION.search(text, max(0, start - 4), start))
    )


# A reporter's name in capitals closing an article ("…dikunjungi.,SUPRIYANTHO KHAFID"): a
# byline, no entity of the article.
_BYLINE = re.compile(r"(?:^|[.,;\n])\s*([A-Z]{3,}(?:[ \t]+[A-Z]{2,}){1,3})\W*$")


def byline_start(text: str) -> int:
    """Where a byline in capitals at the text's end starts (len(text): there is none)."""
    m = _BYLINE.search(text, max(0, len(text) - 60))
    if m is None or not _MEDIA_WORDS.isdisjoint(m.group(1).split()):
        return len(text)  # (a source credit: "ANTARA, KOMPAS TV")
    return m.start(1)


_MEDIA_WORDS = frozenset(("TV", "NEWS", "POST", "TIMES", "FM", "RADIO", "PRESS", "COM", "ID"))


# A market index's name after "indeks" ("indeks Nikkei", "Indeks Kospi", "indeks Hang Seng
# Hong Kong") and an index's acronym after its English name ("Jakarta Islamic Index (JII)").
_INDEX_AFTER = re.compile(r"\b[Ii]ndeks\s+([A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,3})")
_INDEX_ACRONYM = re.compile(r"\bIndex\s+\(([A-Z][A-Z0-9]{1,6})\)")


def index_names(text: str) -> frozenset[str]:
    """The names the article writes as market indexes: each run of capitalised words after
    "indeks" and its leading words ("Hang Seng" of "indeks Hang Seng Hong Kong"), and each
    acronym defined by an English "… Index". No packaged place or region is one ("indeks
    Jepang", "Indeks Persepsi Korupsi Indonesia" name no index "Jepang" or "Indonesia")."""
    names: set[str] = set()
    if "ndeks" in text:  # (most articles: no index at all)
        for m in _INDEX_AFTER.finditer(text):
            words = m.group(1).split()
            for n in range(1, len(words) + 1):
                names.add(" ".join(words[:n]))
    if "Index (" in text:
        names.update(_INDEX_ACRONYM.findall(text))
    keys = place_keys()
    return frozenset(n for n in names if name_key(n) not in keys and region(n) is None)


def not_entity(name: str, drop: Set[str]) -> bool:
    """A name of `drop` (not_entities), or one of them qualified by a common word news writes
    in lower case: "KUR Mikro", "ASN Pusat" name no more than KUR and ASN do."""
    if name in drop:
        return True
    first, _, rest = name.partition(" ")
    return (
        bool(rest)
        and first in drop
        and all(w.isalpha() and cap_rate_bucket(w.lower()) in _ORDINARY for w in rest.split())
    )


# A company's legal form ending its name (English and Indonesian): the name is a company's,
# never a person's or a place's ("Kernel Oil Ltd", "Pertamina Energy Trading Limited").
LEGAL_TAILS = frozenset(
    (
        "Ltd", "Ltd.", "Limited", "Pte", "Pte.", "Tbk", "Tbk.", "Inc", "Inc.", "Corp",
        "Corp.", "LLC", "GmbH", "Plc", "PLC", "Co.", "AG", "SA", "NV", "BV",
    )
)  # fmt: skip


def company_form(name: str) -> bool:
    """Does `name` end with a company's legal form (LEGAL_TAILS) after a name of its own?"""
    head, _, last = name.rpartition(" ")
    return bool(head) and last in LEGAL_TAILS and not head.isupper()


# "Pertamina Energy Services Pte. Ltd (PES)": the tagger stops at the dot after "Pte"; the
# company's name runs on to its "Ltd".
_LEGAL_RUN_ON = re.compile(r"\.?\s?(?:Ltd|Limited)\b")


def legal_run_on(text: str, end: int) -> int:
    """Where a company's name that stops at "Pte" or "Co" really ends (its "Ltd")."""
    if not text.endswith(("Pte", "Co"), 0, end):
        return end
    m = _LEGAL_RUN_ON.match(text, end)
    return m.end() if m else end


# A listed company's stock ticker in brackets after its name: four capitals after "Tbk" ("PT
# Aneka Tambang Tbk (ANTM)", "PT Bank Negara Indonesia (Persero) Tbk. (BBNI)"): the ticker
# names the company in stock lists, never instead of it.
_TICKER_AFTER = re.compile(r"((?:\s*\(Persero\))?\s*Tbk)?\.?\s*\(([A-Z]{4})\)")


def stock_ticker(text: str, end: int, surface: str) -> str | None:
    """The ticker in brackets after the company name `surface` (ending at `end`), if any."""
    m = _TICKER_AFTER.match(text, end)
    if m is None or not (m.group(1) or surface.endswith("Tbk")):
        return None
    return m.group(2)


def given_name_is_word(word: str) -> bool:
    """Is `word`, capitalised before a name, a word news writes in lower case ("Cucu BJ
    Habibie", "Almarhum BJ Habibie") rather than a given name?"""
    return _lower_word(word)


# A match's score between two clubs ("Persib 2-2 Borneo FC", "Barito Putera 1-0 Persib" in a
# list of results), or its number where the dash was lost between two clubs the alias file
# knows or named "… FC" ("Persib 12 Bhayangkara FC"): two names, never one.
_INNER_SCORE = re.compile(r" \d{1,2}\s?[-–]\s?\d{1,2} (?=[A-Z])")
_INNER_NUMBER = re.compile(r" \d{1,2} (?=[A-Z])")
_SCORE_BETWEEN = re.compile(r"\s+\d{1,2}\s?[-–]\s?\d{1,2}\s+")


def split_scores(
    text: str, tagged: list[tuple[str, int, int]], aliases: AliasTable
) -> list[tuple[str, int, int]]:
    """The tagged spans with each organisation's span that holds a score split in two, and a
    name on the other side of a score from a club's a club's too, whatever it was tagged
    ("Persib Bandung 3-0 Persipura Jayapura": the tagger read a place)."""
    out: list[tuple[str, int, int]] = []
    for label, start, end in tagged:
        while label == "ORG" and (score := _score_in(text, start, end, aliases)) is not None:
            out.append((label, start, score.start()))
            start = score.end()
        if (
            out
            and label != "ORG"
            and out[-1][0] == "ORG"
            and _SCORE_BETWEEN.fullmatch(text, out[-1][2], start)
        ):
            label = "ORG"
        elif (
            out
            and label == "ORG"
            and out[-1][0] != "ORG"
            and _SCORE_BETWEEN.fullmatch(text, out[-1][2], start)
        ):
            out[-1] = ("ORG", *out[-1][1:])
        out.append((label, start, end))
    return out


def _score_in(text: str, start: int, end: int, aliases: AliasTable) -> re.Match[str] | None:
    if (score := _INNER_SCORE.search(text, start, end)) is not None:
        return score
    number = _INNER_NUMBER.search(text, start, end)
    if number is None:
        return None
    clubs = aliases.body_keys()
    before, after = text[start : number.start()], text[number.end() : end]
    if name_key(before) in clubs and (name_key(after) in clubs or after.endswith(" FC")):
        return number
    return None


# A body named with the state's short form after it ("KPU RI", "Kepolisian RI", "Kemensos RI")
# or the state company form before it ("Perum Bulog") is that body: one value, not two.
_STATE_SUFFIX = " RI"
_STATE_COMPANY = "Perum "


def national_body(surface: str, aliases: AliasTable) -> str | None:
    """The body's own name for "X RI" (X an acronym, a body the alias file knows, or a
    ministry; "Kepolisian RI" as "Kepolisian Republik Indonesia") and for "Perum X" (a state
    company named by one word: not "Perum Griya Asri", a housing estate); None otherwise."""
    if surface.endswith(_STATE_SUFFIX) and len(surface) > 5:
        bare = surface[: -len(_STATE_SUFFIX)].rstrip()
        full = aliases.lookup(f"{bare} Republik Indonesia", "ORG")
        if full is not None:
            return full
        if (bare.isupper() and bare.isalpha() and " " not in bare) or (
            name_key(bare) in aliases.body_keys() or bare.startswith("Kementerian ")
        ):
            return aliases.lookup(bare, "ORG") or bare
        return None
    if surface.startswith(_STATE_COMPANY):
        bare = surface[len(_STATE_COMPANY) :]
        if bare.isalpha() and bare[0].isupper() and region(bare) is None:
            return aliases.lookup(bare, "ORG") or bare
    return None
