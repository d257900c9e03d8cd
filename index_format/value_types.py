"""An organisation value's type decided from the whole archive, not one article (issue #20,
round 19).

The tagger decides a span's type inside one article; the archive sees every article that
names the same value. Two kinds of archive evidence say a value of the organisation facet is
no organisation, and such a value leaves the facet (its articles keep their other values):

- **Other facets' votes.** The same name is a place in PLACE_SHARE times as many articles as
  it is an organisation, or a person of two words or more in PERSON_SHARE times as many, and
  in MIN_OTHER articles at least ("Afrika": place in 79 articles, organisation in 3;
  "Simon McMenemy": person 106 / 1). Clubs named after their city ("Valencia" 16 / 5,
  "Salzburg" 8 / 1), companies named after a place ("Amazon" 29 / 4) and bodies the tagger
  reads as people ("Warner Bros" 24 / 3, "Marvel Studios" 49 / 2) sit below those lines: a
  wrong removal hides a real organisation, so the lines were set where the removals of the
  22k archive were right in 39 of 40 (bench/facet_removals_round19.tsv). A one-word person is
  no vote: brands are tagged as people ("Djarum", "Android").
- **A numbered model line.** Values that are one prefix followed by a model number ("Realme 5",
  "Realme 5 Pro", "Realme 3"; "Mate 30", "Mate 10"; "iPhone 11", "iPhone 8"), with at least
  two different numbers among the archive's organisation values, are products, not bodies: a
  body is not numbered in a series. Prefixes that number their units ("SMA Negeri 1",
  "Kodim 0712", "PT KAI Daop 7") are not model lines (UNIT_WORDS), nor are prefixes the
  archive also numbers in roman numerals, two at least ("Angkasa Pura 2" beside "Angkasa
  Pura II" and "PT Angkasa Pura I"; "Pelindo 3" beside "Pelindo I" and "PT Pelindo III"):
  a company's numbered arms.

The decision is a function of the generation's live rows after the merges and joins
(`drop`, called once per generation by index_format.facet_arrays at the end of its merges):
rebuild, update and delete compute it from the same state, so an update that tips a value
over either line moves it out (or back) in every article at once. The joins do not see it
(they read the rows before), so their state for the next update is unchanged by it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from index_format.facet_arrays import FacetArrays

ORGANISATION = "organisation"
# Another facet names the value this many times as often (a person vote is the weaker:
# bodies with two capitalised words are often tagged as people) ...
PLACE_SHARE = 10
PERSON_SHARE = 30
MIN_OTHER = 10  # ... and in this many articles at least
MIN_NUMBERS = 2  # different model numbers after one prefix: a model line
# A model number: digits, a version ("6.0.1", "1.8L") or a short suffix ("7T", "16s", "8GB").
_MODEL = re.compile(r"\d+(?:[.,]\d+)*[A-Za-z]{0,3}")
_HAS_NUMBER = re.compile(r"\s\d")  # (a quick test before the split)
# Words of a prefix that numbers its units or sections, not its models.
_UNITS = (
    "SMA SMP SD SMK SMAN SMPN SDN SMKN MAN MTs MTsN MIN MI Sekolah Madrasah Universitas"
    " Kodim Korem Koramil Yonif Batalyon Brigif Lanud Skuadron Kodam Polsek Kompi Lapas"
    " Rutan Puskesmas Kloter Komisi Tim Timnas Dapil Pasal Liga Kontingen Daop Divre"
    " Regional Wilayah Seksi Kelas Golongan Angkatan Gelombang Unit Pos Posko TPS"
)
UNIT_WORDS = frozenset(w.casefold() for w in _UNITS.split())
_ROMANS = "I II III IV V VI VII VIII IX X XI XII XIII XIV XV XVI XVII XVIII"
_ROMAN = frozenset(_ROMANS.split())


def _roman_series(names: Sequence[str], counts: Sequence[int]) -> set[str]:
    """The prefixes (without a leading "PT") the archive's values number in roman numerals
    with MIN_NUMBERS different numbers at least ("Angkasa Pura": "PT Angkasa Pura I",
    "Angkasa Pura II"): a body's numbered arms. One roman number is no series: models are
    lettered too ("Mate X", "iPhone X")."""
    numbers: dict[str, set[str]] = {}
    for vid, name in enumerate(names):
        if not name.endswith(("I", "V", "X")) or counts[vid] <= 0:
            continue  # (most names: a quick test before the split)
        prefix, _, last = name.rpartition(" ")
        if last in _ROMAN and prefix:
            numbers.setdefault(prefix.removeprefix("PT "), set()).add(last)
    return {prefix for prefix, romans in numbers.items() if len(romans) >= MIN_NUMBERS}


def model_lines(names: Sequence[str], counts: Sequence[int]) -> set[int]:
    """The ids of the values (count > 0) that belong to a numbered model line."""
    lines: dict[str, dict[str, list[int]]] = {}  # prefix → number → ids
    numbered = [
        vid for vid, name in enumerate(names) if counts[vid] > 0 and _HAS_NUMBER.search(name)
    ]
    if not numbered:
        return set()
    arms = _roman_series(names, counts)
    for vid in numbered:
        words = names[vid].split()
        for i in range(1, len(words)):
            if _MODEL.fullmatch(words[i]):
                prefix = " ".join(words[:i])
                if prefix.removeprefix("PT ") not in arms and not any(
                    w.casefold() in UNIT_WORDS for w in words[:i]
                ):
                    lines.setdefault(prefix, {}).setdefault(words[i], []).append(vid)
                break
    return {
        vid
        for numbers in lines.values()
        if len(numbers) >= MIN_NUMBERS
        for ids in numbers.values()
        for vid in ids
    }


def other_votes(
    names: Sequence[str],
    counts: Sequence[int],
    others: Mapping[str, tuple[Mapping[str, int], Sequence[int]]],
) -> set[int]:
    """The ids of the values (count > 0) another facet names in PLACE_SHARE (a place) or
    PERSON_SHARE (a person) times as many articles, MIN_OTHER at least (`others`: facet → its
    name ids and per-id counts)."""
    out: set[int] = set()
    for vid, name in enumerate(names):
        here = counts[vid]
        if here <= 0:
            continue
        for facet, (ids, other_counts) in others.items():
            if facet == "person" and " " not in name.strip():
                continue  # (one word: brands are tagged as people)
            oid = ids.get(name)
            if oid is None:
                continue
            there = other_counts[oid]
            share = PERSON_SHARE if facet == "person" else PLACE_SHARE
            if there >= MIN_OTHER and there >= share * here:
                out.add(vid)
                break
    return out


def caught(rows: Mapping[str, Any]) -> dict[int, tuple[str, int]]:
    """The organisation value ids the archive shows are no organisation, each with its rule
    ("model line" first, else "other facet") and its organisation articles (`rows`: facet →
    its rows, anything with `val`, `names` and `ids`)."""
    org = rows.get(ORGANISATION)
    if org is None or not len(org.val):
        return {}
    counts = np.bincount(np.asarray(org.val), minlength=len(org.names)).tolist()
    others = {
        f: (r.ids, np.bincount(np.asarray(r.val), minlength=len(r.names)).tolist())
        for f, r in rows.items()
        if f in ("person", "place")
    }
    lines = model_lines(org.names, counts)
    votes = other_votes(org.names, counts, others)
    return {
        vid: ("model line" if vid in lines else "other facet", counts[vid]) for vid in lines | votes
    }


def drop(out: FacetArrays) -> None:
    """Take the organisation values the archive shows are no organisation out of the facet's
    rows (their names stay in the table, answering for no article)."""
    gone = caught(out.rows)
    if not gone:
        return
    rows = out.rows[ORGANISATION]
    is_gone = np.zeros(len(rows.names), dtype=bool)
    is_gone[np.fromiter(gone, dtype=np.int64, count=len(gone))] = True
    keep = ~is_gone[rows.val]
    rows.doc, rows.val = rows.doc[keep], rows.val[keep]
    out.starts[ORGANISATION] = np.searchsorted(rows.doc, np.arange(out.size + 1)).astype(np.int64)
