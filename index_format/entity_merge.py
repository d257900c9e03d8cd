"""Names the archive itself shows to be one entity, merged into one facet value.

Each article merges its own variants at index time: "Komisi Pemberantasan Korupsi (KPK)"
makes the expansion KPK, "Anies Baswedan ... Anies" makes the short name Anies Baswedan, and
the index keeps those pairs (indexer.entities.entity_variants). An article that writes only
"Komisi Pemberantasan Korupsi", or only "Anies", has nothing to merge with, so across the
archive the facet would split. Here the pairs of all articles vote: a facet value that other
articles clearly and often merge into one canonical name is counted, filtered and shown as that
name. The rules are strict because a wrong merge hides an entity; on 21,938 CLICK-ID articles
they merge about 650 names (3,300 article-values), and hold back, among others:

- "Joko Widodo" → "Iriana Joko Widodo" (7 articles against 1,600 that name him alone:
  `MIN_COVER`; and the target is rarer than the name: `doc_counts`),
- "Amerika Serikat" → USD and "Surabaya" → SUB ("dolar Amerika Serikat (USD)", airport codes),
- "Agus" → any one Agus (no name gets `MIN_SHARE` of its merges).
"""

from __future__ import annotations

import itertools
import operator
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from index_format.names import name_key

# A name is merged when at least MIN_EVIDENCE articles merged it, MIN_SHARE of them into the
# same canonical name, those articles number at least MIN_COVER times the articles where the
# name stands alone, and the canonical name is a facet value of at least as many articles.
MIN_EVIDENCE = 3
MIN_SHARE = 0.8
MIN_COVER = 0.5


def loose_key(name: str) -> str:
    """name_key without its spaces: a cheap first test of whether a name can have evidence
    (name_key's regex costs several times more, and most names have none)."""
    # (Four replaces: ~3x faster than str.translate, whose table of non-ASCII dashes takes
    # its slow path.)
    folded = name.casefold()
    return folded.replace(" ", "").replace("-", "").replace("‐", "").replace("–", "")


_SEP = "\x00"  # (no name holds it; casefold and loose_key's replaces leave it as it is)


def loose_keys(names: Iterable[str]) -> list[str]:
    """loose_key of each name, made in C over the names joined (casefold maps each character
    on its own: the keys of the joined text split are the names' keys)."""
    names = list(names)
    text = _SEP.join(names)
    if text.count(_SEP) != max(len(names) - 1, 0):  # (a name holds the separator)
        return [loose_key(n) for n in names]
    keys = loose_key(text).split(_SEP) if names else []
    return keys


def may_merge(names: Iterable[str], evidence: dict[str, Counter[str]]) -> set[str]:
    """The names that `archive_merges` may use (merge or merge into), found without name_key."""
    keys = set(loose_keys(evidence))
    targets = {target for votes in evidence.values() for target in votes}
    names = list(names)
    return {
        name
        for name, key in zip(names, loose_keys(names), strict=True)
        if name in targets or key in keys
    }


def archive_merges(doc_counts: dict[str, int], evidence: dict[str, Counter[str]]) -> dict[str, str]:
    """For one facet: each facet value the archive merges → the facet value it becomes.

    `doc_counts`: articles per facet value. `evidence`: per variant (by `name_key`), the
    canonical names articles merged it into, with how many articles did.
    """
    direct: dict[str, str] = {}
    for name, alone in doc_counts.items():
        votes = evidence.get(name_key(name))
        if not votes:
            continue
        target, agree = votes.most_common(1)[0]
        total = sum(votes.values())
        if (
            total >= MIN_EVIDENCE
            and agree >= MIN_SHARE * total
            and agree >= MIN_COVER * alone
            and doc_counts.get(target, 0) >= alone
            and name_key(target) != name_key(name)
        ):
            direct[name] = target
    # A target may itself be merged (A → B → C): follow to the end; a cycle (equal counts
    # both ways) merges none of its names.
    out: dict[str, str] = {}
    for name in direct:
        seen = {name}
        target = direct[name]
        while target in direct and target not in seen:
            seen.add(target)
            target = direct[target]
        if target not in seen:
            out[name] = target
    return out


def case_candidates(names: Iterable[str]) -> list[str]:
    """The names that share their `loose_key` with another name: case or spacing variants,
    in the order of `names` (not a set's: case_merges' groups, and so the order of the merges
    it adds, would follow the process's string hash seed). (Most names are lower-cased and
    unspaced by the same key as themselves: only those whose key another name has are looked
    at twice.)"""
    names = list(names)
    keys = loose_keys(names)
    counts = Counter(keys)
    return [n for n, k in zip(names, keys, strict=True) if counts[k] > 1]


def case_merges(doc_counts: dict[str, int], merges: dict[str, str]) -> dict[str, str]:
    """`merges` with the names that differ only in case or spacing ("WhatsApp", "Whatsapp",
    "Pare Pare", "Parepare")
    merged into the one most articles write (ties: the first seen), itself merged on as
    `merges` says."""
    groups: dict[str, list[str]] = {}
    for name in case_candidates(doc_counts):
        groups.setdefault(loose_key(name), []).append(name)  # "Pare Pare" is "Parepare"
    return join_groups(doc_counts, merges, groups.values())


def join_groups(
    doc_counts: dict[str, int], merges: dict[str, str], groups: Iterable[list[str]]
) -> dict[str, str]:
    """`merges` with each group's names merged into the one most articles name (ties: the
    first seen), itself merged on as `merges` says, or into the one name `merges` already
    merged some of them into; a name already merged stays so."""
    out = dict(merges)
    rank = _first_seen(doc_counts)
    for names in groups:
        if len(names) < 2:
            continue
        best = min(names, key=lambda n: (-doc_counts[n], rank(n)))
        best = out.get(best, best)
        # A form already merged outside the group (an acronym the articles define for it:
        # "Pertamina Energy Service" → PES) takes its other forms with it, when it is the only
        # target.
        targets = {out[n] for n in names if n in out}
        if len(targets) == 1 and best not in targets and not targets <= set(names):
            best = targets.pop()
        for name in names:
            if name != best and name not in out:
                out[name] = best
    return resolved(out)


def _first_seen(doc_counts: dict[str, int]) -> Callable[[str], Any]:
    """A key that orders names as `doc_counts` lists them: the name itself when they come
    sorted (facet_arrays sorts them; no dict of every name's position to make), else its
    position."""
    names = list(doc_counts)
    if all(map(operator.lt, names, itertools.islice(names, 1, None))):
        return _same
    return {name: i for i, name in enumerate(names)}.__getitem__


def _same(name: str) -> str:
    return name


def resolved(merges: dict[str, str]) -> dict[str, str]:
    """`merges` with each name mapped to the end of its chain (A → B → C: A → C), so that a
    name merged into one merged on is counted with the last; none mapped to itself."""
    out = dict(merges)
    for name, target in out.items():
        seen = {name}
        while target in out and target not in seen:
            seen.add(target)
            target = out[target]
        out[name] = target
    return {name: target for name, target in out.items() if target != name}


# A place's kind before its name: "Distrik Abepura" and "Pulau Sumatera" are Abepura and
# Sumatera where the archive names them so more often. (Not Kabupaten or Kota: a regency and
# a city of one name are two places, and the tagger's merging already names them.)
PLACE_KINDS = (
    *("Kecamatan ", "Distrik ", "Kelurahan ", "Desa ", "Pulau ", "Sungai ", "Kali "),
    *("Kerajaan ", "Republik "),  # a country's state before its name: "Kerajaan Arab Saudi"
)


def place_kind_merges(doc_counts: dict[str, int], merges: dict[str, str]) -> dict[str, str]:
    """`merges` with each "<kind> X" place merged into X (or what X merges into) when X is a
    place value of at least as many articles."""
    out = dict(merges)
    for name, count in doc_counts.items():
        if name in out:
            continue
        if name.startswith(PLACE_KINDS):
            bare = name.split(" ", 1)[1]
        elif (international := _INTERNATIONAL.match(name)) is not None:
            bare = international.group(1) + name[international.end() :]
        else:
            continue
        if doc_counts.get(bare, 0) >= count:
            out[name] = out.get(bare, bare)
    return _venue_merges(doc_counts, out)


# "Bandara Internasional Soekarno-Hatta" is "Bandara Soekarno-Hatta" where the archive names it
# so more often: "international" is the port's class, not its name.
_INTERNATIONAL = re.compile(r"(Bandara |Bandar Udara |Pelabuhan )Internasional ")


# A venue's kind before its name: "Stadion Patriot" is "Stadion Patriot Chandrabhaga" when the
# archive names no other place that starts so ("Hotel Fairmont" / "Hotel Fairmont Senayan
# Jakarta"), not when its name is a word any city's venue has ("Masjid Agung", "Jalan Raya").
VENUE_HEADS = (
    "Stadion ", "Hotel ", "Gedung ", "Jalan ", "Jl. ", "Masjid ", "Bandara ", "Rumah Sakit ",
    "RS ", "RSU ", "RSUD ", "RSUP ", "Pelabuhan ", "Pasar ", "Taman ", "Apartemen ", "Gereja ",
    "Lapas ", "Rutan ", "Istana ", "Kampus ", "Museum ", "Monumen ",
)  # fmt: skip
_COMMON_VENUE_WORDS = frozenset(
    (
        "Agung", "Raya", "Besar", "Nasional", "Utama", "Kecil", "Baru", "Lama", "Umum",
        "Daerah", "Negeri", "Kota", "Pusat", "Induk", "Presiden", "Negara", "Madya",
    )
)  # fmt: skip


def _venue_merges(doc_counts: dict[str, int], merges: dict[str, str]) -> dict[str, str]:
    out = _venue_spellings(doc_counts, merges)
    names = [n for n in doc_counts if n.startswith(VENUE_HEADS)]
    short = {
        n
        for n in names
        if not set(n.split(" ", 1)[1].split()) <= _COMMON_VENUE_WORDS and n not in out
    }
    longer: dict[str, Counter[str]] = {}
    for name in names:
        words = name.split()
        for k in range(2, len(words)):
            if (head := " ".join(words[:k])) in short:
                target = resolved_name(out, name)
                longer.setdefault(head, Counter())[target] += doc_counts[name]
    groups = []
    for head, targets in longer.items():
        (first, n), *rest = targets.most_common()
        if not rest or n >= VENUE_SHARE * rest[0][1]:  # one, or one far commoner than any
            groups.append([head, first])
    return join_groups(doc_counts, out, groups) if groups else out


VENUE_SHARE = 3  # of two longer names of a venue, the one meant is this many times as common


def _venue_spellings(doc_counts: dict[str, int], merges: dict[str, str]) -> dict[str, str]:
    """A venue's name one letter apart from one written at least twice as often, in one word
    of five letters or more ("Stadion Patriot Chandrabhaga" / "… Candrabhaga"): a misspelling."""
    from index_format.name_forms import SPELLING_SHARE, _one_letter_apart

    by_shape: dict[tuple[str, int], list[str]] = {}
    for name in doc_counts:
        if name.startswith(VENUE_HEADS) and name not in merges:
            words = name.split()
            by_shape.setdefault((words[0], len(words)), []).append(name)
    groups = []
    for names in by_shape.values():
        if len(names) < 2 or len(names) > 200:
            continue
        ranked = sorted(names, key=lambda n: -doc_counts[n])
        for i, rare in enumerate(ranked):
            for common in ranked[:i]:
                if doc_counts[common] < SPELLING_SHARE * doc_counts[rare]:
                    break
                apart = [
                    (a, b) for a, b in zip(rare.split(), common.split(), strict=True) if a != b
                ]
                if (
                    len(apart) == 1
                    and min(map(len, apart[0])) >= 5
                    and _one_letter_apart(*apart[0])
                ):
                    groups.append([common, rare])
                    break
    return join_groups(doc_counts, merges, groups) if groups else merges


def resolved_name(merges: Mapping[str, str], name: str) -> str:
    """What `name` is merged into, followed to the end."""
    seen = {name}
    while name in merges and merges[name] not in seen:
        name = merges[name]
        seen.add(name)
    return name


def company_merges(
    doc_counts: dict[str, int],
    merges: dict[str, str],
    evidence: dict[str, Counter[str]] | None = None,
) -> dict[str, str]:
    """`merges` with each acronym X merged into the company "PT X" the archive also names
    ("IHM" into "PT IHM"): news drops the PT after the first mention. Not when X is far more
    often named alone: "PT PBB" is some company, PBB the United Nations. `evidence`
    (archive_merges'): the names articles merged into an acronym, which say what it stands for."""
    out = dict(merges)
    for name, count in doc_counts.items():
        bare = name[3:]
        if (
            name.startswith("PT ")
            and bare.isupper()
            and bare in doc_counts
            and count >= COMPANY_SHARE * doc_counts[bare]
        ):
            out.setdefault(bare, out.get(name, name))
    return _spelled_out_companies(doc_counts, out, evidence or {})


COMPANY_SHARE = 0.25
_NOT_INITIALS = frozenset(("PT", "Tbk", "Persero", "(Persero)"))
_CLEAR_SHARE = 3  # of two companies that spell an acronym, one named this many times as often


def _clear_first(companies: list[str], doc_counts: dict[str, int]) -> str | None:
    """The one company of `companies`, or the one named _CLEAR_SHARE times as often as any
    other (a misspelling beside it: "PT Dirgantara Indoensia"); None when it is unclear."""
    ranked = sorted(companies, key=lambda n: -doc_counts[n])
    if len(ranked) == 1 or doc_counts[ranked[0]] >= _CLEAR_SHARE * doc_counts[ranked[1]]:
        return ranked[0]
    return None


def _spelled_out_companies(
    doc_counts: dict[str, int], out: dict[str, str], evidence: dict[str, Counter[str]]
) -> dict[str, str]:
    """Each acronym X and "PT X" joined with the one "PT …" company whose words' initials
    spell X ("PT DI", "DI", "PT Dirgantara Indonesia"), when only one company does (or one far
    more often than any other): into the form most articles use."""
    spelled: dict[str, list[str]] = {}
    # One company's legal forms ("PT Bank Tabungan Negara", "… Tbk"): one candidate, named
    # by its commonest form, counted with all of them.
    forms: dict[tuple[str, ...], list[str]] = {}
    for name in doc_counts:
        if name.startswith("PT ") and not name[3:].isupper():
            words = [w for w in name.split() if w.rstrip(".") not in _NOT_INITIALS]
            if len(words) >= 2 and all(w[0].isupper() for w in words):
                forms.setdefault(tuple(words), []).append(name)
    counts = dict(doc_counts)
    for key, names in forms.items():
        first = max(names, key=lambda n: doc_counts[n])
        counts[first] = sum(doc_counts[n] for n in names)
        spelled.setdefault("".join(w[0] for w in key), []).append(first)
    groups: dict[str, list[str]] = {}
    members: dict[str, list[str]] | None = None
    for name in doc_counts:
        bare = name[3:] if name.upper().startswith("PT ") else name
        full = spelled.get(bare.upper()) if 2 <= len(bare) <= 5 and bare.isalpha() else None
        company = _clear_first(full, counts) if full else None
        if company is not None and company != name:
            # An acronym stands for one body: the one whose initials spell it that articles or
            # the archive already merged it with, if any (UI, with "Universitas Indonesia",
            # takes no "PT Unilever Indonesia Tbk"); only then the company its initials spell.
            members = _members(out, evidence) if members is None else members
            key = tuple(w for w in company.split() if w.rstrip(".") not in _NOT_INITIALS)
            if _spelled_otherwise(bare.upper(), key, members, resolved_name(out, name)):
                continue
            group = groups.setdefault(company, [company])
            group.append(name)
            group.extend(n for n in forms.get(key, ()) if n not in group)
    return join_groups(doc_counts, out, groups.values()) if groups else out


def _members(merges: dict[str, str], evidence: dict[str, Counter[str]]) -> dict[str, list[str]]:
    """Each name the merges join others into, or most articles' merges of a variant do, with
    those others (the variants by their name_key)."""
    out: dict[str, list[str]] = {}
    for name in merges:
        out.setdefault(resolved_name(merges, name), []).append(name)
    for key, votes in evidence.items():
        out.setdefault(resolved_name(merges, votes.most_common(1)[0][0]), []).append(key)
    return out


def _spelled_otherwise(
    acronym: str, key: tuple[str, ...], members: dict[str, list[str]], joined: str
) -> bool:
    """Whether the acronym's value `joined` (itself or the name it is merged into) has a name
    whose words' initials spell the acronym and whose first word, the kind of body it is, is
    not the company's (of words `key`): "Universitas Indonesia", not "Bank Nasional Indonesia"
    beside "PT Bank Negara Indonesia", a misnomer of the same bank."""
    head = key[0].casefold() if key else ""
    for name in (joined, *members.get(joined, ())):
        words = tuple(w for w in name.split() if w.rstrip(".") not in _NOT_INITIALS)
        if (
            len(words) >= 2
            and words[0].casefold() != head
            and "".join(w[0] for w in words).upper() == acronym
        ):
            return True
    return False
