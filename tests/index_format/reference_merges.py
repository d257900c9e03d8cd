"""The merge steps as they were written before they were made faster (organisation_key with its
tail regex on every name, spelling_merges with a dict of every group,
namesakes.joins with isin and a Python loop per pair, written_out_merges reading every name of a
last name, initial_merges reading every name of a first or last name): the oracles that
tests/index_format/test_merge_speed_equal.py holds the faster ones equal to."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import numpy as np

from index_format.entity_merge import join_groups, resolved, resolved_name
from index_format.name_forms import (
    _CLUB_HEAD,
    _CLUB_TOWN,
    _INITIAL,
    _KIND_SHORT,
    _LEGAL_HEADS,
    _LEGAL_TAILS,
    _MIN_SPELLED,
    SPELLING_SHARE,
    _deletions,
    _dot_groups,
    _given_names,
    _glued_matches,
    _in_order,
    _matches,
    _one_letter_apart,
    _rarer_spelling,
    _widest,
    _written_words,
)
from index_format.name_forms import (
    written_out_merges as current_written_out_merges,
)
from index_format.namesakes import LIFT, MIN_SHARE, MIN_TOGETHER, Rows, _gather, candidates


def organisation_key(name: str) -> str:
    for full, short in _KIND_SHORT.items():
        if name.startswith(full):
            name = short + name[len(full) :]
            break
    if name.startswith(_LEGAL_HEADS):
        bare = name.split(" ", 1)[1]
        if not bare.isupper():
            name = bare
    name = _LEGAL_TAILS.sub("", name).strip() or name
    if name.startswith(_CLUB_HEAD) and name[3:4].isupper() and not name[3:].isupper():
        name = name[3:]
    if (club := _CLUB_TOWN.match(name)) is not None:
        name = club.group(1)
    if name.startswith("Bank ") and name[5:].isupper():
        name = name[5:]
    return name.casefold()


def spelling_merges(doc_counts: dict[str, int], merges: dict[str, str]) -> dict[str, str]:
    out = dict(merges)
    by_rest: dict[tuple[int, tuple[str, ...]], list[tuple[str, str]]] = defaultdict(list)
    for name in doc_counts:
        words = name.casefold().split()
        if len(words) < 2:
            continue
        for i, word in enumerate(words):
            if len(word) >= _MIN_SPELLED - 1:
                by_rest[i, (*words[:i], "*", *words[i + 1 :])].append((name, word))
    for group in by_rest.values():
        if len(group) < 2:
            continue
        least = min(doc_counts[name] for name, _ in group)
        most = max(doc_counts[name] for name, _ in group)
        if most < SPELLING_SHARE * least:
            continue
        near: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for name, word in group:
            if doc_counts[name] >= SPELLING_SHARE * least:
                for key in _deletions(word):
                    near[key].append((name, word))
        for name, word in group:
            if name in out or doc_counts[name] * SPELLING_SHARE > most:
                continue
            found = {
                other
                for key in _deletions(word)
                for other, theirs in near[key]
                if other != name
                and doc_counts[other] >= SPELLING_SHARE * doc_counts[name]
                and max(len(word), len(theirs)) >= _MIN_SPELLED
                and _one_letter_apart(word, theirs)
            }
            if len(found) == 1:
                out[name] = found.pop()
    return resolved(out)


def joins(facets: Sequence[Rows], n_docs: int) -> list[tuple[int, int]]:
    person = facets[0]
    counts = np.bincount(person.val, minlength=len(person.names))
    short = {
        p: [f for f in fs if counts[f] >= MIN_SHARE * counts[p]]
        for p, fs in candidates(person, counts).items()
    }
    short = {p: fs for p, fs in short.items() if fs}
    if not short:
        return []
    offsets = np.cumsum([0, *(len(f.names) for f in facets[:-1])]).tolist()
    width = int(offsets[-1] + len(facets[-1].names))
    df = np.concatenate([np.bincount(f.val, minlength=len(f.names)) for f in facets])
    fulls = np.array(sorted({f for fs in short.values() for f in fs}), dtype=np.int64)
    full_rows = np.flatnonzero(np.isin(person.val, fulls))
    owner, value = _gather(facets, offsets, person.doc[full_rows])
    full_of = person.val[full_rows].astype(np.int64)[owner]
    keys, together = np.unique(full_of * width + value, return_counts=True)
    f_of, v_of = keys // width, keys % width
    lift = together * n_docs / (np.maximum(df[v_of], 1) * np.maximum(counts[f_of], 1))
    company = keys[(together >= MIN_TOGETHER) & (lift >= LIFT) & (v_of != f_of)]
    rows = np.flatnonzero(np.isin(person.val, list(short)))
    pairs = [(r, f) for r, p in zip(rows.tolist(), person.val[rows].tolist(), strict=True)
             for f in short[p]]  # fmt: skip
    if not pairs or company.size == 0:
        return []
    pair_row = np.array([r for r, _ in pairs], dtype=np.int64)
    pair_full = np.array([f for _, f in pairs], dtype=np.int64)
    owner, value = _gather(facets, offsets, person.doc[pair_row])
    shared = np.isin(pair_full[owner] * width + value, company)
    score = np.bincount(owner[shared], minlength=len(pairs))
    best: dict[int, tuple[int, int, int]] = {}
    for r, f, sc in zip(pair_row.tolist(), pair_full.tolist(), score.tolist(), strict=True):
        top = best.get(r)
        if top is None:
            best[r] = (sc, f, -1)
        elif sc > top[0]:
            best[r] = (sc, f, top[0])
        else:
            best[r] = (top[0], top[1], max(top[2], sc))
    return [(r, f) for r, (sc, f, second) in best.items() if sc > 0 and sc > second]


def written_out_merges(doc_counts: dict[str, int], merges: dict[str, str]) -> dict[str, str]:
    out = dict(merges)
    by_last: dict[str, list[str]] = defaultdict(list)
    for name in doc_counts:
        words = name.split()
        if len(words) >= 2 and not any(_INITIAL.match(w) for w in words):
            by_last[words[-1]].append(name)
    for name, count in doc_counts.items():
        words = name.split()
        if name in out or len(words) < 3 or len(by_last.get(words[-1], ())) < 2:
            continue
        shorter = _widest(
            {
                resolved_name(out, other)
                for other in by_last[words[-1]]
                if len(other.split()) < len(words)
                and doc_counts[other] >= SPELLING_SHARE * count
                and _in_order(other.split()[:-1], words[:-1])
            },
            doc_counts,
        )
        if len(shorter) == 1 and (short := shorter.pop()) != name:
            out[name] = short
    return resolved(out)


def initial_merges(doc_counts: dict[str, int], merges: dict[str, str]) -> dict[str, str]:
    out = join_groups(doc_counts, merges, _dot_groups(doc_counts))
    by_first: dict[str, list[str]] = defaultdict(list)
    by_last: dict[str, list[str]] = defaultdict(list)
    for name in doc_counts:
        by_first[name.split(" ", 1)[0]].append(name)
        by_last[name.rsplit(" ", 1)[-1]].append(name)
    for name, count in doc_counts.items():
        words = _written_words(name)
        if name in out or len(words) < 2 or not any(_INITIAL.match(w) for w in words):
            continue
        glued = _INITIAL.match(words[0]) is not None
        if glued and name.split(" ", 1)[0] == words[0]:
            continue
        every = {
            resolved_name(out, other)
            for other in (by_last[words[-1]] if glued else by_first[words[0]])
            if other != name
            and not any(_INITIAL.match(w) for w in other.split())
            and (_glued_matches if glued else _matches)(words, other.split())
        } - {name}
        if glued and every and count >= SPELLING_SHARE * sum(doc_counts[f] for f in every):
            # (Sorted: the merges' order is one whatever the string hash seed.)
            for full in sorted(every):
                out.setdefault(full, name)
            for given in sorted(_given_names(every, len(words) - 1, by_last, out)):
                out.setdefault(given, name)
            continue
        fits = _widest(every, doc_counts)
        if len(fits) != 1:
            continue
        full = fits.pop()
        if full == name or full in out:
            continue
        if doc_counts.get(full, 0) >= count:
            out[name] = target = full
        else:
            out[full] = target = name
        for other in sorted(every - {full}):
            if other not in out and _rarer_spelling(other, full, doc_counts):
                out[other] = target
    return current_written_out_merges(doc_counts, resolved(out))


def short_candidates(person: Rows, counts: np.ndarray) -> dict[int, list[int]]:
    """namesakes.candidates as it was written first (numpy scalars, every live name tested)."""
    from index_format.namesakes import MAX_CANDIDATES, MIN_FULL_ARTICLES, _glued, _parts

    live = {i for i in np.flatnonzero(counts).tolist() if person.names[i]}
    by_name = {person.names[i]: i for i in live}
    by_part: dict[tuple[str, ...], list[int]] = {}
    for i in live:
        if (
            counts[i] >= MIN_FULL_ARTICLES
            and " " in person.names[i]
            and not _glued(person.names[i], counts[i], by_name, counts)
        ):
            for part in _parts(person.names[i]):
                by_part.setdefault(part, []).append(i)
    out: dict[int, list[int]] = {}
    for i in live:
        full = by_part.get(tuple(person.names[i].split()))
        if full:
            full = [f for f in full if counts[f] >= MIN_SHARE * counts[i]]
            if full and len(full) <= MAX_CANDIDATES:
                out[i] = full
    return out


def first_join_groups(
    doc_counts: dict[str, int], merges: dict[str, str], groups: list[list[str]]
) -> dict[str, str]:
    """entity_merge.join_groups as it was written first (a dict of every name's position)."""
    out = dict(merges)
    order = {name: i for i, name in enumerate(doc_counts)}
    for names in groups:
        if len(names) < 2:
            continue
        best = max(names, key=lambda n: (doc_counts[n], -order[n]))
        best = out.get(best, best)
        targets = {out[n] for n in names if n in out}
        if len(targets) == 1 and best not in targets and not targets <= set(names):
            best = targets.pop()
        for name in names:
            if name != best and name not in out:
                out[name] = best
    return resolved(out)
