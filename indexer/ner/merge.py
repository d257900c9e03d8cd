"""Turn tagged mentions of one article into entities with merged canonical names.

Steps, in order: strip titles and honorifics; drop non-names (Baca, weekdays, a title alone,
quoted sentences); apply the alias table; join an acronym with its expansion; join a short
person name with the full name it abbreviates; give every mention of one name one label;
normalise the canonical name's case and spacing.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from indexer.ner.aliases import AliasTable, name_key


@dataclass
class Mention:
    label: str
    start: int
    end: int
    canonical: str = ""


_MINISTRIES = (
    "Luar Negeri|Dalam Negeri|Pertahanan|Keuangan|Kesehatan|Agama|Perdagangan|Perindustrian"
    "|BUMN|Sosial|Pendidikan|Hukum dan HAM|Koordinator|Sekretaris Negara|Pertanian|Perhubungan"
)
_TITLE_WORDS = (
    rf"(?:Wakil\s+)?(?:Perdana\s+)?Menteri(?:\s+(?:{_MINISTRIES}))?",
    r"(?:Wakil\s+)?Presiden(?:\s+Direktur)?",
    r"(?:Wakil\s+)?Sekretaris(?:\s+Jenderal)?",
    r"(?:Wakil\s+)?Ketua(?:\s+Umum)?",
    r"(?:Wakil\s+)?(?:Gubernur|Bupati|Wali\s*[Kk]ota|Wapres)",
    r"Sekjen|Menlu|Mendagri|Menhan|Menkeu|Menkes|PM|Kanselir|Raja|Ratu|Pangeran|Jenderal",
    r"Direktur(?:\s+Utama)?|Dirut|Juru\s+Bicara|Jubir|Kapolri|Kapolda|Kapolres|Panglima",
    r"Letjen|Mayjen|Brigjen|Kolonel|AKBP|Kompol|Kiai|Ustaz|Ustad|Habib|Syekh|Sir",
    r"Bapak|Ibu|Pak|Bu|Saudara|Saudari|Tuan|Nyonya|Mr\.?|Mrs\.?|Ms\.?|Sdr\.?|Ny\.?|Tn\.?",
    r"Prof\.?|Dr\.?|dr\.|Drs\.?|Dra\.?|Ir\.|H\.|Hj\.|KH\.?|K\.H\.",
)
_TITLES = re.compile(rf"^(?:(?:{'|'.join(_TITLE_WORDS)})(?:\s+|$))+")
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
_QUOTES = frozenset('"“”«»')
_ACRONYM_AFTER = re.compile(r"\s*\((?:[^()]*?[/\s])?([A-Z][A-Za-z]*[A-Z])\)")
_ACRONYM_TAIL = re.compile(r"^(.*\S)\s*/\s*([A-Z][A-Za-z]*[A-Z])$")
_ACRONYM = re.compile(r"^[A-Z][A-Za-z]*[A-Z]$")


def strip_titles(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink [start, end) past leading titles and surrounding punctuation."""
    span = text[start:end]
    m = _TITLES.match(span)
    if m:
        start += m.end()
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and not (text[end - 1].isalnum() or text[end - 1] == "."):
        end -= 1
    # A trailing dot belongs to an initial or title (H.), not to a name ending a sentence.
    if end - start > 2 and text[end - 1] == "." and text[end - 3] != ".":
        end -= 1
    return start, end


def display_form(name: str) -> str:
    """Normalise spacing and shouting: "NUR-SULTAN" → "Nur-Sultan"; acronyms stay upper."""
    name = " ".join(name.split())
    letters = [c for c in name if c.isalpha()]
    if (
        letters
        and all(c.isupper() for c in letters)
        and (len(letters) > 5 or " " in name or "-" in name)
    ):
        return re.sub(r"[^\W\d_]+", lambda m: m.group(0).capitalize(), name)
    if letters and all(c.islower() for c in letters):
        return re.sub(r"[^\W\d_]+", lambda m: m.group(0).capitalize(), name)
    return name


def _is_name(text: str, label: str) -> bool:
    if not text or not any(c.isalpha() for c in text) or name_key(text) in _NOT_NAMES:
        return False
    if any(c in _QUOTES for c in text):
        return False
    words = text.split()
    # A person's name is short and capitalised; a long lower-case run is a sentence.
    if label == "PER" and (len(words) > 5 or sum(w[0].islower() for w in words) > 1):
        return False
    return len(words) <= 10


def merge(text: str, tagged: list[tuple[str, int, int]], aliases: AliasTable) -> list[Mention]:
    """Mentions with canonical names, from (label, start, end) spans tagged in `text`."""
    mentions: list[Mention] = []
    for label, s, e in tagged:
        s, e = strip_titles(text, s, e)
        if _is_name(text[s:e], label):
            mentions.append(Mention(label, s, e))

    # Acronyms: "Expansion (ACR)", "Expansion/ACR" and a bare "ACR" share the acronym.
    expansions: dict[str, str] = {}
    for m in mentions:
        surface = text[m.start : m.end]
        tail = _ACRONYM_TAIL.match(surface)
        after = _ACRONYM_AFTER.match(text, m.end)
        if tail:
            expansions[name_key(tail.group(1))] = tail.group(2)
            m.canonical = tail.group(2)
        elif after and not _ACRONYM.match(surface):
            expansions[name_key(surface)] = after.group(1)
    for m in mentions:
        if not m.canonical:
            surface = " ".join(text[m.start : m.end].split())
            m.canonical = (
                aliases.lookup(surface, m.label) or expansions.get(name_key(surface)) or surface
            )

    # Short person names join the one full name they are the start or end of.
    full = Counter(m.canonical for m in mentions if m.label == "PER")
    for m in mentions:
        parts = m.canonical.split()
        if m.label != "PER" and not (len(parts) == 1 and m.canonical[0].isupper()):
            continue
        candidates = [
            name
            for name in full
            if len(name.split()) > len(parts)
            and (name.split()[-len(parts) :] == parts or name.split()[: len(parts)] == parts)
        ]
        if candidates:
            best = max(candidates, key=lambda n: (full[n], -candidates.index(n)))
            m.canonical, m.label = best, "PER"

    # One name, one label within an article: the label most of its mentions got.
    labels: dict[str, Counter[str]] = {}
    for m in mentions:
        labels.setdefault(name_key(m.canonical), Counter())[m.label] += 1
    for m in mentions:
        m.label = labels[name_key(m.canonical)].most_common(1)[0][0]
        alias = aliases.lookup(m.canonical, m.label)
        m.canonical = display_form(alias or m.canonical)
    return mentions
