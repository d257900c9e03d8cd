"""Word lists and patterns that merging reads: titles, ranks, head words, packaged places."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from index_format.names import name_key

_MINISTRIES = (
    "Luar Negeri|Dalam Negeri|Pertahanan|Keuangan|Kesehatan|Agama|Perdagangan|Perindustrian"
    "|BUMN|Sosial|Pendidikan|Hukum dan HAM|Koordinator|Sekretaris Negara|Pertanian|Perhubungan"
    # (longest first: "Pendidikan dan Kebudayaan" before "Pendidikan")
    "|Komunikasi dan Informatika|Kominfo|Pekerjaan Umum dan Perumahan Rakyat|PUPR"
    "|Energi dan Sumber Daya Mineral|ESDM|Lingkungan Hidup dan Kehutanan|LHK"
    "|Kelautan dan Perikanan|Pariwisata|Ketenagakerjaan|Pemuda dan Olahraga"
    "|Agraria dan Tata Ruang|Perencanaan Pembangunan Nasional|PPN|Riset dan Teknologi"
    "|Desa|Koperasi dan UKM|Sekretaris Kabinet"
)
# Ranks written as abbreviations, never a name's own word (unlike Laksamana or Jenderal, which
# are also surnames and only titles when they lead).
_RANK_ABBREVIATIONS = (
    "Letjen|Mayjen|Brigjen|Letkol|Kombes|Irjen|Komjen|AKBP|Kompol|AKP|Iptu|Ipda|Aiptu|Aipda"
    "|Bripka|Brigpol|Briptu|Bripda|Bharada|Bharatu|Bharaka|Praka|Pratu|Prada|Kopda|Koptu"
    "|Kopka|Serda|Sertu|Serka|Serma|Pelda|Peltu|Letda|Lettu|Marsda|Marsdya|Laksda|Laksdya"
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
    # The President's chief of staff, as news names the post ("Kepala Staf Kepresidenan
    # Moeldoko", "Kepala Kantor Staf Presiden Moeldoko"): no body glued to him.
    r"Kepala\s+(?:Kantor\s+)?Staf\s+(?:Kepresidenan|Presiden)",
    # Ministers as news abbreviates them ("Menhub Budi Karya Sumadi", "Menko Polhukam Wiranto").
    r"Menhub|Mendikbud(?:ristek)?|Menpar(?:ekraf)?|Menag|Menpan(?:[\s-]*RB)?|Mentan|Menaker"
    r"|Menkominfo|Menkumham|Menpora|Mensos|Menperin|Mendag|Menristek(?:dikti)?|Mensesneg"
    r"|Menlhk|Menkop(?:UKM)?|Mendes(?:\s+PDTT)?|Menteri\s+ESDM|Menteri\s+PUPR"
    r"|Menko(?:\s+(?:Polhukam|Perekonomian|Maritim|Kemaritiman|PMK|Marves))?",
    # Honorifics of religious teachers ("Buya Syafii Maarif": Minangkabau, for an ulama).
    r"Kiai|Ustaz|Ustad|Habib|Syekh|Sir|Buya",
    # A court's roles ("Jaksa Fahtoni", "Majelis Hakim", "Hakim Ketua Kartim Haeruddin"); not
    # "Hakim" alone, a given name too (Hakim Ziyech).
    r"Jaksa(?:\s+Penuntut\s+Umum)?|JPU|Majelis\s+Hakim|Hakim\s+(?:Ketua|Anggota|Tunggal)",
    # Police and military ranks, as news writes them before names ("Kombes Argo Yuwono",
    # "Irjen Pol Agus Andrianto").
    rf"(?:{_RANKS})(?:\s+Pol\.?)?",
    r"Bapak|Ibu|Pak|Bu|Saudara|Saudari|Tuan|Nyonya|Mr\.?|Mrs\.?|Ms\.?|Sdr\.?|Ny\.?|Tn\.?",
    r"Eyang|Mbah|Opa|Oma|Kakek|Nenek",  # elders, by their grandchildren ("Eyang Ainun")
    r"Almarhum(?:ah)?|Almarhun|Almurhum",  # "the late" ("Almarhum Habibie"), as misspelt too
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
        # Commanders named by their command alone ("Pangdam, Danrem dan Kapolres"); with a
        # command after them ("Danrem 044 Gapo") they stay as they were.
        "Danrem", "Dandim", "Danramil", "Pangdam", "Kasdam", "Danlanud", "Danlantamal",
        "Danyon", "Kapolsek", "Kapolres", "Kapolda",
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
        "Partai", "Komisi", "Badan", "Dewan", "Lembaga", "Group", "Grup", "Rumah Susun", "Rusun",
        "Pelaksana Tugas", "Plt", "Sekda", "Pemerintah Daerah", "Pemda", "Kodam", "Korem",
        "Kodim", "Koramil", "News", "Bank", "Pte", "Ltd", "Pte Ltd", "Pte. Ltd", "Limited", "Inc",
        "Corp", "LLC", "Istana", "Kompleks", "Komplek", "Kantor", "Balai",
    )
)  # fmt: skip
_QUOTES = frozenset('"“”«»')
_DASHED = re.compile(r"\S+(?:\s+(?![-–—|]\s)\S+)*")
# Where _DASHED splits a span: a dash between spaces. Searched from the dash (a fast scan for a
# few characters); its look-behind may see just before a span, which only costs a slow path.
_DASH_GAP = re.compile(r"[-–—|](?<=\s[-–—|])(?=\s)")
_TIE_ORDER = {"LOC": 2, "ORG": 1, "PER": 0}  # a name seen once as a place, once as a person
_CITY = re.compile(r"^Kota\s+(?=[A-Z])")  # "Kota Almaty" is Almaty; Kabupaten X is not X
# "Expansion (ACR)", "Expansion (PT/ACR)"; not "Batik Air (kode penerbangan ID)": a word in
# lower case before the acronym says what it is (a flight code), not that it is this name's.
_ACRONYM_AFTER = re.compile(
    r"\s*\(\s*(?:[^()\s/a-z][^()\s/]*[/\s]+)*([A-Z][A-Za-z]*[0-9]?[A-Za-z]*[A-Z])\)"
)
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
