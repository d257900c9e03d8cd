"""A bracketed acronym defines the whole name before it, not the place the tagger cut from it.

The tagger often tags only the place inside a body's name: "Uni [Eropa] (UE)", "Bank
[Indonesia] (BI)", "Asosiasi Pilot Maskapai [Inggris] (BALPA)". Merging then took the acronym
as the place's expansion, so every "Eropa" of the article became UE and UE a place. Two repairs:

- `whole_names`: where the capitalised words before the place spell the acronym with it
  ("Uni Eropa" → UE), the span becomes that whole name (what the tagger cut off, a span of its
  own or not, joins it), labelled as the acronym is (a body, unless a known place's: UEA, RI).
- `contraction_after`: a body's short name in brackets written in mixed case, made of its
  name's syllables ("Badan Pengawas Pemilu (Bawaslu)", "Kementerian Keuangan (Kemenkeu)").
- `run_on_to_acronym`: a body's span the tagger ended early, before the words that complete
  the name its bracketed acronym spells ("[Badan Nasional Penanggulangan] Terorisme (BNPT)",
  "[Indonesia Corruption] Watch (ICW)"), runs on to the acronym.
- `defines`: otherwise an acronym after a place is that place's only when it spells it ("Amerika Serikat (AS)", "Nusa Tenggara Timur (NTT)"); BALPA is not
  Inggris.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from indexer.ner.lexicon import _ACRONYM_AFTER

# Capitalised words (and the joiners a body's name holds) right before a span, on its line.
_WORDS_BEFORE = re.compile(r"(?:[A-Z][\w'-]*\s+(?:(?:dan|of|for|and|untuk)\s+)?){1,5}$")
_WORD = re.compile(r"\S+")
_JOINERS = frozenset(("dan", "of", "for", "and", "untuk"))
_LOOK_BACK = 80  # characters before a span searched for the rest of its name


def initials(name: str) -> str:
    """The capitals a name's words start with ("Uni Eropa" → "UE"); joiners are skipped."""
    return "".join(w[0] for w in _WORD.findall(name) if w not in _JOINERS and w[:1].isupper())


def spells(name: str, acronym: str) -> bool:
    """Does `acronym` spell `name`'s initials ("Amerika Serikat", "AS")?"""
    return initials(name) == acronym.upper()


def whole_names(
    text: str,
    tagged: list[tuple[str, int, int]],
    is_place: Callable[[str], bool],
    acronym_label: Callable[[str], str],
) -> list[tuple[str, int, int]]:
    """The spans, each span of a place (tagged or known) that an acronym in brackets defines together with the
    capitalised words before it ("Uni Eropa (UE)") made that whole name, and the spans it
    swallows ("Uni") dropped. `is_place` tells a known place's name, `acronym_label` the label
    an acronym takes."""
    out: list[tuple[str, int, int]] = []
    for label, s, e in tagged:
        if text.startswith("(", e + 1, e + 2) and (label == "LOC" or is_place(text[s:e])):
            start = _whole_start(text, s, e)
            if start is not None:
                while out and out[-1][1] >= start:
                    out.pop()  # "Uni", tagged on its own
                out.append((acronym_label(_acronym(text, e)), start, e))
                continue
        out.append((label, s, e))
    return out


# One to three capitalised words (a joiner may stand before each) and an acronym in brackets,
# right after a span: the rest of the body's name, then its acronym.
_REST_THEN_ACRONYM = re.compile(
    r"(?:[ \t]+(?:(?:dan|of|for|and|untuk)[ \t]+)?[A-Z][\w'-]*){1,3}[ \t]*\(([A-Z][A-Z0-9]{1,7})\)"
)


def run_on_to_acronym(text: str, tagged: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """The spans, each body's span of two words or more that the capitalised words after it
    complete into the name its bracketed acronym spells run on to those words, and the spans it
    swallows dropped."""
    out: list[tuple[str, int, int]] = []
    swallowed_to = -1
    for label, s, e in tagged:
        if s < swallowed_to:
            continue  # "Terorisme", tagged on its own
        # (A span of two words or more: a one-word span is mostly a whole body's name, a
        # parent's before its unit's, "Pertamina Hulu Energi (PHE)", which titles split.)
        if (
            label == "ORG"
            and text.find(" ", s, e) > 0
            and (m := _REST_THEN_ACRONYM.match(text, e)) is not None
        ):
            acronym = m.group(1)
            rest_end = text.rindex("(", e, m.end())
            whole_end = e + len(text[e:rest_end].rstrip())
            if spells(text[s:whole_end], acronym) and not spells(text[s:e], acronym):
                out.append((label, s, whole_end))
                swallowed_to = whole_end
                continue
        out.append((label, s, e))
    return out


def defines(name: str, label: str, acronym: str, is_place: Callable[[str], bool]) -> bool:
    """May `acronym`, in brackets after `name` (tagged `label`), be taken as its short name?
    Not when `name` is a place (tagged or known) whose last words the acronym does not spell
    ("Inggris (BALPA)"; "ruang ICU Rumah Sakit Pusat Angkatan Darat (RSPAD)" is RSPAD)."""
    if not (label == "LOC" or is_place(name)):
        return True
    if is_place(name):
        return spells(name, acronym)
    return initials(name).endswith(acronym.upper())


def _acronym(text: str, end: int) -> str:
    after = _ACRONYM_AFTER.match(text, end)
    return after.group(1) if after is not None else ""


def _whole_start(text: str, start: int, end: int) -> int | None:
    """Where the whole name that the acronym after [start, end) spells begins, if capitalised
    words before `start` complete it; None when they do not."""
    acronym = _acronym(text, end)
    if not acronym or spells(text[start:end], acronym):
        return None
    before = _WORDS_BEFORE.search(text, max(0, start - _LOOK_BACK), start)
    if before is None:
        return None
    # The shortest run of the words before that completes the acronym.
    words = [m for m in _WORD.finditer(text, before.start(), start)]
    for i in range(len(words) - 1, -1, -1):
        if words[i].group(0) in _JOINERS:
            continue
        if spells(text[words[i].start() : end], acronym):
            return words[i].start()
    return None


_BRACKETED_WORD = re.compile(r"\s*\(([A-Z][a-z]+[A-Za-z]*)\)")
_MIN_CONTRACTION = 4  # letters: shorter bracketed words are too easily a subsequence


def contraction_after(text: str, end: int, name: str) -> str | None:
    """The word in brackets right after `name` (a body's, ending at `end`) when it is made of
    the name's letters in order, starting with its first ("Bawaslu" of "Badan Pengawas
    Pemilu"); None otherwise ("Persero", a word of the name itself, a town)."""
    m = _BRACKETED_WORD.match(text, end)
    if m is None or " " not in name:
        return None
    short = m.group(1)
    if len(short) < _MIN_CONTRACTION or short in name.split() or short == "Persero":
        return None
    letters = "".join(c for c in name.lower() if c.isalpha())
    if short[0].lower() != letters[:1]:
        return None
    at = 0
    for c in short.lower():
        at = letters.find(c, at) + 1
        if at == 0:
            return None
    return short
