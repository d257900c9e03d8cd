"""A body's name runs on over "dan" and commas: the tagger cuts it there ("Dinas
Penanggulangan Kebakaran [dan Penyelamatan]", "Badan Pengatur Hilir Minyak [dan Gas Bumi]",
"Asosiasi Masyarakat Maritim[, Logistik dan Transportasi Indonesia]").

The words after the cut belong to the name when they are words news writes in lower case
(clusters.tsv: a body's field, "Kesehatan Hewan", "Keluarga Berencana"), capitalised only as
part of the name. A name, a place, another body's head or a title after "dan" is the next
entity of a list ("Kementerian Keuangan dan Bank Indonesia", "Dinas Kesehatan dan Kepala
Puskesmas"), and a run of such words that does not stop is a Title Case headline: neither runs
on. Any body, not only the alias file's (refine.comma_bodies finds those by their names).
"""

from __future__ import annotations

import re

from indexer.ner.features import cap_rate_bucket
from indexer.ner.lexicon import _BODY_HEADS, _ORDINARY, _TITLE_WORD

# A body's first word: a state or civil body whose name may hold "dan" ("Badan Penelitian
# dan Pengembangan", "Direktorat Jenderal Peternakan dan Kesehatan Hewan").
HEADS = frozenset(
    (
        "Badan", "Dinas", "Sudin", "Direktorat", "Ditjen", "Kementerian", "Lembaga", "Balai",
        "Pusat", "Biro", "Asosiasi", "Dewan", "Komisi", "Institut", "Fakultas", "Perhimpunan",
        "Persatuan", "Ikatan", "Himpunan", "Yayasan", "Departemen", "Sekretariat",
        "Inspektorat", "Kedeputian", "Konfederasi", "Federasi", "Gabungan", "Masyarakat",
    )
)  # fmt: skip
_SUB = ("Suku",)  # "Suku Dinas …": a city's office, its head word next
# Where a cut can be: a comma or "dan" right after the span.
_CUT_STARTS = (",", " dan ")
# The next token: a comma, "dan", a capitalised word, or anything else (which ends the name).
_TOKEN = re.compile(r"\s*(?:(,)|(dan)(?=\s)|([A-Z][a-z]+)(?![\w-])|(\S))")
MAX_AFTER = 3  # field words after "dan" ("Pengembangan Sumber Daya Manusia" is four: rare)
MAX_LISTED = 3  # field words between commas before "dan" ("Maritim, Logistik dan …")
# Region heads: what follows a body's name, not part of it ("… Perlindungan Anak Kab. Purwakarta").
_STOPS = frozenset(("Kabupaten", "Kab", "Kota", "Provinsi", "Prov", "Kecamatan", "Desa", "Pemkab"))
# The only capitalised word that may end such a name without being a field word; a span that
# ends with it (or a region's or the state's form) is a whole name already.
_COUNTRY_TAIL = "Indonesia"
_WHOLE_ENDS = (" Indonesia", " RI", " Republik Indonesia", " Nasional")


def _field_word(word: str) -> bool:
    """A word news writes in lower case, capitalised here as part of a body's name."""
    return (
        word not in _BODY_HEADS
        and word not in HEADS
        and word not in _STOPS
        and cap_rate_bucket(word.lower()) in _ORDINARY
        and _TITLE_WORD.fullmatch(word) is None
    )


def _title_case_line(text: str, pos: int) -> bool:
    """Is the line around `pos` a Title Case headline (nearly every word capitalised)?"""
    line = text[text.rfind("\n", 0, pos) + 1 : (n if (n := text.find("\n", pos)) >= 0 else None)]
    words = [w for w in line.split() if w[0].isalpha()]
    return len(words) >= 5 and sum(w[0].isupper() for w in words) >= 0.8 * len(words)


def _tokens(text: str, pos: int) -> list[tuple[str, str, int]]:
    """The next tokens from `pos` as (kind, word, end): kind "," "dan" "W" or "x" (other)."""
    out: list[tuple[str, str, int]] = []
    while len(out) < 2 * (MAX_LISTED + MAX_AFTER) and (m := _TOKEN.match(text, pos)) is not None:
        kind = "," if m.group(1) else "dan" if m.group(2) else "W" if m.group(3) else "x"
        out.append((kind, m.group(3) or "", m.end()))
        if kind == "x":
            break
        pos = m.end()
    return out


def run_on_end(text: str, start: int, end: int) -> int | None:
    """Where the body's name text[start:end] really ends if it was cut at "dan" or a comma
    (None: it was not, or what follows is no part of it)."""
    words = text[start:end].split(None, 2)
    first = words[1] if words[0] in _SUB and len(words) > 1 else words[0]
    if first not in HEADS or not text.startswith(_CUT_STARTS, end) or _title_case_line(text, end):
        return None
    if text.endswith(_WHOLE_ENDS, start, end):
        return None  # "Kementerian Keuangan Indonesia dan …": the name was whole already
    tokens, i = _tokens(text, end), 0
    # ", Logistik" segments before "dan"
    while i < len(tokens) and tokens[i][0] == ",":
        j = i + 1
        while j < len(tokens) and tokens[j][0] == "W" and _field_word(tokens[j][1]):
            j += 1
        if j == i + 1 or j - i - 1 > MAX_LISTED:
            break
        i = j
    if i > 0 and i < len(tokens) and tokens[i][0] == ",":
        i += 1  # "Meteorologi, Klimatologi, dan": a comma before "dan" only after a listed field
    if i >= len(tokens) or tokens[i][0] != "dan":
        return None
    i += 1
    taken = 0
    while i < len(tokens) and tokens[i][0] == "W" and _field_word(tokens[i][1]):
        taken, i = taken + 1, i + 1
    if taken == 0:
        return None
    if taken > MAX_AFTER:
        return None  # capitalised on and on: a Title Case headline, not a name
    if i < len(tokens) and tokens[i][0] == "W" and tokens[i][1] == _COUNTRY_TAIL:
        i += 1
    return tokens[i - 1][2]


def run_on_bodies(text: str, tagged: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """The tagged spans with each body cut at "dan" or a comma made whole (an ORG span): the
    spans inside the words it takes are dropped, one reaching past them keeps what follows a
    slash or space after them ("…dan [Transportasi Indonesia]/Indonesia Maritime … Watch")."""
    out: list[tuple[str, int, int]] = []
    taken_to = -1
    for label, s, e in tagged:
        if s < taken_to:
            if e > taken_to and (rest := _rest_after(text, taken_to, e)) is not None:
                out.append((label, rest, e))
            continue
        if text.startswith(_CUT_STARTS, e) and (new_end := run_on_end(text, s, e)) is not None:
            out.append(("ORG", s, new_end))
            taken_to = new_end
            continue
        out.append((label, s, e))
    return out


_BETWEEN = re.compile(r"[\s/]+(?=[A-Z])")


def _rest_after(text: str, pos: int, end: int) -> int | None:
    """Where a span cut at `pos` goes on: after a slash or spaces, at a capital (None: no)."""
    m = _BETWEEN.match(text, pos, end)
    return m.end() if m is not None else None
