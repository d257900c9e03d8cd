"""One name for a body's regional office, however news writes the province.

"Kemenag Jatim", "Kemenag Jawa Timur" and "Kemenag Provinsi Jawa Timur" are one office, as are
"Pemprov Sumut" and "Pemprov Sumatera Utara": a body's name that ends with a province written
as its contraction (Jatim, Sumut, Kepri: the gazetteer's short forms) or after "Provinsi" ends
with the province's name. Not for companies, banks and clubs, whose brand is the short form
("Bank Sumut", "Kalteng Putra"), nor for all-capital short forms, which news keeps ("Polda
NTT", "Pemprov DKI").
"""

from __future__ import annotations

from functools import lru_cache

from indexer.ner.regions import region

# First words of names whose short form is a brand, not a region's office.
_BRANDS = frozenset(("PT", "Bank", "BPD", "Persatuan", "Klub"))
_PROVINCE_CODE_LEN = 2  # Kemendagri codes: 2 digits a province, more a regency or city


@lru_cache(maxsize=20_000)
def full_province_form(name: str) -> str | None:
    """`name` with its province written in full ("Kemenag Jatim" → "Kemenag Jawa Timur"),
    or None when it ends with no province written short or after "Provinsi"."""
    words = name.split()
    if len(words) < 2 or words[0] in _BRANDS:
        return None
    for k in (3, 2, 1):  # "Provinsi Nusa Tenggara Barat", "Provinsi Jambi", "Jatim"
        if len(words) - k < 1:
            continue
        tail = words[-k:]
        provinsi = tail[0] == "Provinsi"
        if not provinsi and not (k == 1 and _contraction(tail[0])):
            continue
        where = region(" ".join(tail))
        if where is None or len(where.code) != _PROVINCE_CODE_LEN:
            continue
        head = words[:-k]
        if head[-1] == "Provinsi" and len(head) > 1:
            head = head[:-1]  # "Kemenag Provinsi Jatim"
        full = " ".join([*head, where.name])
        return None if full == name else full
    return None


def _contraction(word: str) -> bool:
    """A short form news writes in mixed case ("Jatim", "Sumut"), not an acronym ("NTT")."""
    return word[:1].isupper() and not word.isupper() and word.isalpha()


# Words a body's name contracts, written in full: news writes "Pengadilan Tipikor Jakarta" and
# "Pengadilan Tindak Pidana Korupsi Jakarta" for one court; "Pemdaprov" (Pemerintah Daerah
# Provinsi) and "Pemprov" (Pemerintah Provinsi) for one government. (UU 46/2009 names the
# court in full; Pemprov is the form the alias file and the regional rule above use.) "Kab."
# and "Kec." before a region are Kabupaten and Kecamatan ("Dinas Kesehatan Kab. Purwakarta").
_CONTRACTED = {
    "Tipikor": "Tindak Pidana Korupsi",
    "Pemdaprov": "Pemprov",
    "Kab.": "Kabupaten",
    "Kec.": "Kecamatan",
}


def full_words(name: str) -> str | None:
    """`name` with the contracted words of a body's name written as the facet writes them
    ("Pengadilan Tipikor Jakarta" → "Pengadilan Tindak Pidana Korupsi Jakarta"), or None
    when it holds none. A contraction alone ("Tipikor") is left as it is."""
    words = name.split()
    if len(words) < 2 or not any(w in _CONTRACTED for w in words):
        return None
    return " ".join(_CONTRACTED.get(w, w) for w in words)
