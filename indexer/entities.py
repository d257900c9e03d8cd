"""Named entities in Indonesian news text.

Placeholder heuristic (capitalised runs with cue words); the trained tagger replaces it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

LABEL_TO_FACET = {"PER": "person", "ORG": "organisation", "LOC": "place"}


@dataclass(frozen=True)
class Entity:
    text: str  # the surface text, text[start:end] of the input
    label: str  # PER | ORG | LOC
    start: int
    end: int
    canonical: str  # the merged, normalised name used for facets


_CAP_RUN = re.compile(r"\b[A-Z][\w-]*(?:\s+[A-Z][\w-]*)*")
_PER_CUES = ("Presiden ", "Menteri ", "Perdana Menteri ", "Pak ", "Bu ", "kata ", "ujar ")
_LOC_CUES = ("di ", "Kota ", "Kabupaten ", "Provinsi ", "ke ", "dari ")
_ORG_WORDS = ("Organisasi", "Partai", "PT", "Kementerian", "Komisi", "Dewan", "Badan", "Universitas")
_SKIP = {"Baca", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu", "Presiden"}


def extract_entities(text: str) -> list[Entity]:
    found: list[Entity] = []
    for m in _CAP_RUN.finditer(text):
        words = m.group(0).split()
        while words and words[0] in _SKIP:
            words = words[1:]
        if len(words) < 1 or " ".join(words) in _SKIP:
            continue
        name = " ".join(words)
        start = m.end() - len(name)
        before = text[max(0, start - 16) : start]
        if words[0] in _ORG_WORDS or (name.isupper() and len(name) >= 3):
            label = "ORG"
        elif any(before.endswith(c) for c in _PER_CUES) and len(words) >= 2:
            label = "PER"
        elif any(before.endswith(c) for c in _LOC_CUES):
            label = "LOC"
        else:
            continue
        found.append(Entity(name, label, start, m.end(), name))
    return found


def entity_facets(entities: list[Entity]) -> dict[str, list[str]]:
    """Distinct canonical names per facet (person, organisation, place), in first-seen order."""
    out: dict[str, list[str]] = {facet: [] for facet in LABEL_TO_FACET.values()}
    for ent in entities:
        names = out[LABEL_TO_FACET[ent.label]]
        if ent.canonical not in names:
            names.append(ent.canonical)
    return out
