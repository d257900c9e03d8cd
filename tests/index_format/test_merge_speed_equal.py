"""The faster spelling_merges and namesakes.joins (and the name keys) give what the earlier ones gave
(tests/index_format/reference_merges.py), on random archives built to hit every branch:
misspellings one letter apart, names of one article, groups of many names, short names
beside the full name's company or another's, ties."""

from __future__ import annotations

import random

import numpy as np
import pytest

from index_format import namesakes
from index_format.entity_merge import join_groups, loose_key, loose_keys
from index_format.facet_arrays import starts_of
from index_format.name_forms import (
    _ANY_INITIAL,
    _INITIAL,
    _MAYBE_INITIAL,
    _ODD_SPACE,
    _THREE_WORDS,
    _TWO_WORDS,
    _has_initial,
    _written_words,
    initial_merges,
    organisation_key,
    spelling_merges,
    written_out_merges,
)
from tests.index_format import reference_merges

_LOOSE = str.maketrans("", "", " -‐–")  # loose_key as it was written first
FIRST = ["Muhammad", "Siti", "Bambang", "Agus", "Sri", "Joko", "Budi", "Dewi", "Anies"]
LAST = ["Brodjonegoro", "Syamsuddin", "Widodo", "Mulyani", "Baswedan", "Santoso", "Purnama"]


def _typo(word: str, rnd: random.Random) -> str:
    i = rnd.randrange(len(word))
    kind = rnd.randrange(4)
    if kind == 0:
        return word[:i] + word[i + 1 :]
    if kind == 1:
        return word[:i] + rnd.choice("aeiouhdj") + word[i:]
    if kind == 2:
        return word[:i] + rnd.choice("aeiouhdj") + word[i + 1 :]
    return word[:i] + word[i + 1 : i + 2] + word[i : i + 1] + word[i + 2 :]


def _names(rnd: random.Random, n: int) -> list[str]:
    out = []
    for _ in range(n):
        words = [rnd.choice(FIRST)]
        words += [rnd.choice(LAST) for _ in range(rnd.choice((0, 1, 1, 1, 2)))]
        if rnd.random() < 0.4:
            at = rnd.randrange(len(words))
            words[at] = _typo(words[at], rnd)
        if rnd.random() < 0.1:
            words = [w.lower() for w in words]
        out.append(" ".join(words))
    return list(dict.fromkeys(out))


@pytest.mark.parametrize("seed", range(40))
def test_spelling_merges_as_before(seed: int) -> None:
    rnd = random.Random(seed)
    names = _names(rnd, rnd.choice((20, 80, 300)))
    counts = {n: rnd.choice((0, 1, 1, 1, 1, 2, 3, 5, 8, 40)) for n in names}
    merges = {n: rnd.choice(names) for n in rnd.sample(names, len(names) // 10)}
    want = reference_merges.spelling_merges(counts, merges)
    got = spelling_merges(counts, merges)
    assert got == want and list(got) == list(want)


@pytest.mark.parametrize("seed", range(40))
def test_written_out_merges_as_before(seed: int) -> None:
    """Full names written out join the one common shorter name as when every name of a last
    name was read (ties of counts included: SPELLING_SHARE's boundary is where the loop stops)."""
    rnd = random.Random(seed)
    names = _names(rnd, rnd.choice((20, 80, 300)))
    names += [f"{a} {b} {c}" for a, b, c in zip(FIRST, reversed(FIRST), LAST, strict=False)]
    # Names of many words (past the subsequences looked up: their last word's names read).
    names += [" ".join([*rnd.choices(FIRST + LAST, k=rnd.randint(8, 13)), last]) for last in LAST]
    names += [f"{rnd.choice(FIRST)}  {rnd.choice(FIRST)}\t{rnd.choice(LAST)}"]  # odd spacing
    names += [f"{a}\u00a0{b}" for a, b in zip(FIRST, LAST, strict=False)]  # (shorter ones too)
    counts = {n: rnd.choice((0, 1, 1, 2, 3, 4, 5, 8, 10, 40)) for n in names}
    merges = {n: rnd.choice(names) for n in rnd.sample(names, len(names) // 10)}
    want = reference_merges.written_out_merges(counts, merges)
    assert written_out_merges(counts, merges) == want


def _with_initials(rnd: random.Random, names: list[str]) -> list[str]:
    """Names written with initials for some of `names`: a middle or last word as its letter
    (dotted or not), glued initials before the last word ("BJ Habibie", "B.J. Habibie")."""
    out = []
    for name in names:
        words = name.split()
        if len(words) < 2:
            continue
        kind = rnd.randrange(4)
        if kind == 0:
            at = rnd.randrange(1, len(words))
            words[at] = words[at][0] + rnd.choice(("", "."))
        elif kind == 1 and len(words) >= 3:
            words = [words[0], words[1][0] + ".", words[-1]]
        elif kind == 2:
            letters = [w[0] for w in words[:-1]] + [rnd.choice(FIRST)[0]]
            glue = "".join(letters[:2]) if rnd.random() < 0.5 else ".".join(letters[:2]) + "."
            words = [glue, words[-1]]
        else:
            words = [words[0], rnd.choice(FIRST)[0], *words[1:]]
        out.append(" ".join(words))
    return out


@pytest.mark.parametrize("ordered", [False, True])
@pytest.mark.parametrize("seed", range(40))
def test_initial_merges_as_before(seed: int, ordered: bool) -> None:
    """Names with initials fit the full names found by their first and last words as when
    every name of their first (or last) word was read: the one fit, none of several, glued
    initials, rarer spellings along, a name already merged. The names in any order, and
    sorted as facet_arrays gives them (a first word's names are then found by bisection),
    with names that open with another's first word ("Agus", "Agus R", "Agusta")."""
    rnd = random.Random(seed)
    names = _names(rnd, rnd.choice((20, 80, 300)))
    names += [f"{a} {b} {c}" for a, b, c in zip(FIRST, reversed(FIRST), LAST, strict=False)]
    names += [f"{rnd.choice(FIRST)}{rnd.choice(('a', 'ta', '-', '.'))} {rnd.choice(LAST)}"]
    names = list(dict.fromkeys(names + _with_initials(rnd, rnd.sample(names, len(names) // 2))))
    names += [n.split()[0] for n in names[:5]]  # one-word names: a first word's own entry
    names = list(dict.fromkeys(sorted(names) if ordered else names))
    counts = {n: rnd.choice((0, 1, 1, 2, 3, 4, 5, 8, 10, 40)) for n in names}
    merges = {n: rnd.choice(names) for n in rnd.sample(names, len(names) // 10)}
    want = reference_merges.initial_merges(counts, merges)
    got = initial_merges(counts, merges)
    assert got == want and list(got) == list(want)  # (every seed adds merges of initials)


def _facet(rnd: random.Random, n_docs: int, names: list[str], per_doc: int) -> namesakes.Rows:
    docs, vals = [], []
    weights = [1 / (i + 1) for i in range(len(names))]
    for d in range(n_docs):
        chosen = set(rnd.choices(range(len(names)), weights, k=rnd.randint(0, per_doc)))
        docs += [d] * len(chosen)
        vals += sorted(chosen, key=lambda _: rnd.random())
    doc, val = np.array(docs, dtype=np.int32), np.array(vals, dtype=np.int32)
    return namesakes.Rows(doc, val, starts_of(doc, n_docs), names)


@pytest.mark.parametrize("chunk", [namesakes.PAIRS, 7])
@pytest.mark.parametrize("seed", range(40))
def test_joins_as_before(seed: int, chunk: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same joins whether the articles' values are gathered at once or a few rows at a
    time (the company counts summed over chunks, the pairs scored chunk by chunk)."""
    monkeypatch.setattr(namesakes, "PAIRS", chunk)
    rnd = random.Random(seed)
    people = _names(rnd, 60) + FIRST + LAST + ["Sri Mulyani", "Joko"]
    people = list(dict.fromkeys(people))
    n_docs = rnd.choice((50, 200, 600))
    facets = [
        _facet(rnd, n_docs, people, 4),
        _facet(rnd, n_docs, [f"Org {i}" for i in range(rnd.choice((5, 30)))], 3),
        _facet(rnd, n_docs, [f"Kota {i}" for i in range(rnd.choice((5, 30)))], 3),
    ]
    want = reference_merges.joins(facets, n_docs)
    assert namesakes.joins(facets, n_docs) == want


def _joinable_archive(rnd: random.Random) -> tuple[list[namesakes.Rows], int]:
    """Random person, organisation and place facets over 200 or 600 articles, with first and
    last names that short-name joins can take."""
    people = list(dict.fromkeys(_names(rnd, 60) + FIRST + LAST + ["Sri Mulyani", "Joko"]))
    n_docs = rnd.choice((200, 600))
    facets = [
        _facet(rnd, n_docs, people, 4),
        _facet(rnd, n_docs, [f"Org {i}" for i in range(30)], 3),
        _facet(rnd, n_docs, [f"Kota {i}" for i in range(30)], 3),
    ]
    return facets, n_docs


def _same_stats(got: namesakes.Found, want: namesakes.Found) -> None:
    """Two namesakes.find results leave the next update the same arrays."""
    for name in ("below", "above", "fulls", "company"):
        assert np.array_equal(getattr(got, name), getattr(want, name)), name


@pytest.mark.parametrize("seed", range(20))
def test_join_stats_whatever_the_chunk(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """What a full computation leaves the next update (each full name's company, each value's
    sides of the threshold) and its joins are the same, array for array, when the values are
    gathered a few at a time (a chunk of whole full names, or a single heavy one)."""
    rnd = random.Random(seed)
    facets, n_docs = _joinable_archive(rnd)
    whole = namesakes.find(facets, n_docs, stats=True)
    assert whole.joined and whole.company is not None and whole.company.size
    monkeypatch.setattr(namesakes, "PAIRS", rnd.choice((1, 7, 40)))
    chunked = namesakes.find(facets, n_docs, stats=True)
    assert chunked.joined == whole.joined
    _same_stats(chunked, whole)


_PIECES = ["PT", "Bank", "BRI", "Semen", "Padang", "Tbk", "Tbk.", "(Persero)", "Persero", "Pte."]
_PIECES += ["Ltd", "Inc.", "FC", ",", "Persebaya", "Surabaya", "Pengadilan Negeri", "İstanbul"]


@pytest.mark.parametrize("seed", range(20))
def test_name_keys_as_before(seed: int) -> None:
    """loose_key without str.translate, organisation_key's tail regex only where a tail can
    be: the same keys, spaces, dashes, case, tails and stray newlines included."""
    rnd = random.Random(seed)
    for _ in range(300):
        words = rnd.choices(_PIECES, k=rnd.randint(1, 5))
        name = "".join(w + rnd.choice((" ", " ", "-", "‐", "–", "  ", "")) for w in words)
        name = name.strip() + rnd.choice(("", "", "\n", " FC", "Tbk"))
        assert loose_key(name) == name.casefold().translate(_LOOSE)
        assert organisation_key(name) == reference_merges.organisation_key(name)


_WORDS = ["A", "A.", "AB", "ABC", "ABCD", "B.J.", "P.S.", "M.A", "a", "a.", "Agus", "Sri", "É"]
_WORDS += ["M.Arif", "Ab.", "(A)", "A-B", "1", "JK.", "ÀB"]
_SPACES = [" ", " ", "  ", "\t", "\u00a0", "\u2009", "\n"]


@pytest.mark.parametrize("seed", range(20))
def test_name_filters_as_the_words(seed: int) -> None:
    """The regexes that skip names in C agree with the words Python would read: every name
    with an initial `_written_words` finds is kept, and "two words or more", "three words or
    more" and "a word is an initial" are as str.split() gives the words (any whitespace)."""
    rnd = random.Random(seed)
    for _ in range(400):
        words = rnd.choices(_WORDS, k=rnd.randint(1, 4))
        name = "".join(w + rnd.choice(_SPACES) for w in words)
        name = name if rnd.random() < 0.3 else name.strip()
        split = name.split()
        if any(_INITIAL.match(w) for w in _written_words(name)):
            assert _MAYBE_INITIAL.search(name), name
        assert bool(_TWO_WORDS.search(name)) == (len(split) >= 2), name
        assert bool(_THREE_WORDS.search(name)) == (len(split) >= 3), name
        assert bool(_ANY_INITIAL.search(name)) == _has_initial(split), name
        assert bool(_ODD_SPACE.search(name)) == (name != " ".join(split)), name


@pytest.mark.parametrize("seed", range(30))
def test_short_name_candidates_as_before(seed: int) -> None:
    """Each short name's full names (and their order) as when every count was a numpy scalar:
    names glued to a commoner one, full names too rare for their short name, more than
    MAX_CANDIDATES, names of no live article, an empty name, odd spacing."""
    rnd = random.Random(seed)
    people = _names(rnd, rnd.choice((40, 150)))
    people += [f"Besar {n}" for n in rnd.sample(people, 5)] + FIRST + LAST + [""]
    people += [
        f"{rnd.choice(FIRST)}  {rnd.choice(LAST)}",
        f"{rnd.choice(FIRST)}\t{rnd.choice(LAST)}",
    ]
    people += [f"Agus {c}{w}" for c in "ABCDEFGHIJK" for w in ("ani", "ono")]  # many for "Agus"
    people = list(dict.fromkeys(people))
    counts = np.array([rnd.choice((0, 1, 2, 2, 3, 5, 8, 13, 40)) for _ in people], dtype=np.int64)
    person = namesakes.Rows(
        np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int32), np.zeros(1), people
    )
    want = reference_merges.short_candidates(person, counts)
    got = namesakes.candidates(person, counts)
    assert got == want and list(got) == list(want)
    assert any(len(fulls) > 1 for fulls in want.values())  # (ties of order are tested)


@pytest.mark.parametrize("ordered", [False, True])
@pytest.mark.parametrize("seed", range(20))
def test_join_groups_ties_as_before(seed: int, ordered: bool) -> None:
    """A group joins into its commonest name, ties to the first the counts list, whether the
    names come sorted (compared as names) or not (by their position)."""
    rnd = random.Random(seed)
    names = _names(rnd, 60)
    if ordered:
        names.sort()
    counts = {n: rnd.choice((1, 1, 2, 3)) for n in names}
    groups = [rnd.sample(names, rnd.randint(1, 5)) for _ in range(15)]
    merges = {n: rnd.choice(names) for n in rnd.sample(names, 5)}
    want = reference_merges.first_join_groups(counts, merges, groups)
    got = join_groups(counts, merges, groups)
    assert got == want and list(got) == list(want)


@pytest.mark.parametrize("seed", range(10))
def test_loose_keys_as_each_name(seed: int) -> None:
    """The keys made over the names joined are each name's loose_key: case folds that change
    a name's length (ß, İ, ligatures), dashes and spaces, empty names, and a name holding the
    separator (each then keyed alone)."""
    rnd = random.Random(seed)
    pool = [*_PIECES, "ß", "İ", "ΣΑΣ", "ﬁ", " ", "-", "‐", "–", "", "Ⅻ", "\u00a0"]
    names = ["".join(rnd.choices(pool, k=rnd.randint(0, 4))) for _ in range(300)]
    assert loose_keys(names) == [loose_key(n) for n in names]
    names[rnd.randrange(len(names))] += "\x00x"
    assert loose_keys(names) == [loose_key(n) for n in names]
    assert loose_keys([]) == []


@pytest.mark.parametrize("seed", range(10))
def test_popular_full_names_counted_by_value_as_sorted(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full name of many values counted by value (namesakes._counted's bincount, each such
    name a chunk of its own) leaves the same companies, sides of the threshold and joins as
    every name's pairs sorted (np.unique)."""
    rnd = random.Random(seed)
    facets, n_docs = _joinable_archive(rnd)
    monkeypatch.setattr(namesakes, "_alone", lambda width: 1 << 62)  # always sorted
    sorted_ = namesakes.find(facets, n_docs, stats=True)
    monkeypatch.setattr(namesakes, "_alone", lambda width: rnd.choice((1, 3, 10)))
    monkeypatch.setattr(namesakes, "PAIRS", rnd.choice((7, 40, namesakes.PAIRS)))
    counted = namesakes.find(facets, n_docs, stats=True)
    assert counted.joined == sorted_.joined and sorted_.joined
    _same_stats(counted, sorted_)
    values = np.array([rnd.randrange(50) for _ in range(rnd.randint(1, 300))], dtype=np.int64)
    full = np.full(values.size, rnd.randrange(9), dtype=np.int64)
    keys, times = namesakes._counted(full, values, 50)
    want_keys, want_times = np.unique(full * 50 + values, return_counts=True)
    assert np.array_equal(keys, want_keys) and np.array_equal(times, want_times)
