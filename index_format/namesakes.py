"""Short person names joined to a full name across the archive, article by article, when the
article's context agrees (issue #20: namesakes stay apart).

An article that writes only "Lukas", "Siti Nurbaya" or "Fickar" (a value that is the start, the
end, a middle word, or the first and last words of longer person values) has nothing of its own to join it
with. Its other entities decide: the full name F whose company it keeps (the organisations,
places and people that come with F across the archive far more often than with any article,
`profile`) takes the short name in that article, and only there. With no such agreement, or
two full names agreeing as well, the article keeps its own value: "Sri Mulyani" beside Klaten
and PDIP is not the finance minister.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from index_format.sorted_sets import distinct

# A value v is in F's company when at least MIN_TOGETHER articles name both and v is LIFT
# times likelier beside F than in any article. At most MAX_CANDIDATES full names of at least
# MIN_SHARE of its articles per short name ("Agus" has hundreds): more is a common first name,
# not a short name.
MIN_TOGETHER = 2
LIFT = 4.0
MAX_CANDIDATES = 8
MIN_FULL_ARTICLES = 2
# A full name as rare as "Cucu BJ Habibie" (2 articles, against 773 for BJ Habibie) is a
# glued or stray value, not the entity the short name stands for.
MIN_SHARE = 0.2


@dataclass
class Rows:
    """One facet's (document, value id) rows, by document: rows of d are start[d]:start[d+1]."""

    doc: np.ndarray
    val: np.ndarray
    start: np.ndarray
    names: Sequence[str]


def _parts(name: str) -> list[tuple[str, ...]]:
    """The shorter names that can stand for `name`: its first and last words, runs from its
    start or end, its first and last word together."""
    words = name.split()
    out = {tuple(words[:k]) for k in range(1, len(words))}
    out |= {tuple(words[-k:]) for k in range(1, len(words))}
    if len(words) > 2:
        out.add((words[0], words[-1]))
        out.update((w,) for w in words[1:-1])  # "Fickar" of Abdul Fickar Hadjar
    return list(out)


def _glued(name: str, count: int, by_name: dict[str, int], counts: Sequence[int]) -> bool:
    """A name that is another person value with a word glued before it ("Besar Harry
    Kurniawan", "Udara Polana B Pramesti": its end, of two words or more, is a value at least
    as common). Such a value takes no short name. (A word after a name is more often its
    own: Siti Nurbaya Bakar.)"""
    words = name.split()
    for k in range(2, len(words)):
        other = by_name.get(" ".join(words[-k:]))
        if other is not None and counts[other] >= count:
            return True
    return False


def candidates(person: Rows, counts: np.ndarray) -> dict[int, list[int]]:
    """Short person value id → the ids of the full names it can stand for.

    (Every live name is read once in Python: the counts as a list, not numpy scalars, and
    the full names' tests only for names of MIN_FULL_ARTICLES articles with a space.)"""
    names = person.names
    if not isinstance(names, list):
        names = list(names)
    count = counts.tolist()
    live = {i for i in np.flatnonzero(counts).tolist() if names[i]}
    by_name = {names[i]: i for i in live}
    by_part: dict[tuple[str, ...], list[int]] = {}
    least_full = MIN_FULL_ARTICLES
    for i in live:
        name = names[i]
        if count[i] >= least_full and " " in name and not _glued(name, count[i], by_name, count):
            for part in _parts(name):
                by_part.setdefault(part, []).append(i)
    out: dict[int, list[int]] = {}
    get = by_part.get
    for i in live:
        full = get(tuple(names[i].split()))
        if full:
            # Only full names common enough to be what the short name stands for count
            # towards the cap: rare glued or stray values ("Alex Sander", 2 articles) would
            # otherwise undo the joins of "Alex" to Alex Rins.
            least = MIN_SHARE * count[i]
            full = [f for f in full if count[f] >= least]
            if full and len(full) <= MAX_CANDIDATES:
                out[i] = full
    return out


def _gather(
    facets: Sequence[Rows], offsets: Sequence[int], docs: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(i, value) for every value of every document docs[i], over all entity facets (each
    facet's ids shifted by its offset), without a Python loop over documents."""
    owners, values = [], []
    for f, off in zip(facets, offsets, strict=True):
        first, last = f.start[docs], f.start[docs + 1]
        counts = last - first
        total = int(counts.sum())
        rows = np.repeat(first - np.cumsum(counts) + counts, counts) + np.arange(total)
        owners.append(np.repeat(np.arange(docs.size), counts))
        values.append(f.val[rows].astype(np.int64) + off)
    return np.concatenate(owners), np.concatenate(values)


def _member(values: np.ndarray, ids: Sequence[int] | np.ndarray, size: int) -> np.ndarray:
    """Which of `values` (ids below `size`) are in `ids`: a lookup table, not a sort."""
    table = np.zeros(size, dtype=bool)
    table[np.asarray(ids, dtype=np.int64)] = True
    return table[values]


@dataclass
class Found:
    """What `find` found: the joins, each short name's candidates, and (asked for) where
    each value's pairs stand against the lift threshold (index_format.namesake_changes)."""

    joined: list[tuple[int, int]]  # (row of the person facet, the full name's id)
    short: dict[int, list[int]]  # short person value id → its full names (`candidates`)
    # Per value (ids shifted by facet, as `joins` numbers them), over every pair (full name
    # of `fulls`, value) that MIN_TOGETHER articles name: the highest together / articles of
    # the full name among pairs out of its company (-inf: none), the lowest among pairs in
    # it (inf: none). Only with stats=True.
    below: np.ndarray | None = None
    above: np.ndarray | None = None
    fulls: np.ndarray | None = None  # the full names those pairs are of
    # The sorted keys full * width + value of every full name of `fulls`' whole company (not
    # only the values beside a short name). Only with stats=True.
    company: np.ndarray | None = None


def joins(facets: Sequence[Rows], n_docs: int) -> list[tuple[int, int]]:
    """(row of the person facet, the full name's id) for each short name an article's context
    joins to one full name. `facets[0]` is the person facet."""
    return find(facets, n_docs).joined


def find(
    facets: Sequence[Rows],
    n_docs: int,
    *,
    only: np.ndarray | None = None,
    short: dict[int, list[int]] | None = None,
    stats: bool = False,
    company: np.ndarray | None = None,
) -> Found:
    """`joins`, for the person rows where `only` (a mask over them) is True, else all;
    `short` when the candidates are known already, `company` (sorted keys full * width +
    value, every pair of the rows' full names at least) when the companies are. A row's join
    depends on its article's values and its full names' companies only, so a subset of rows
    is joined as in a run over all of them."""
    person = facets[0]
    counts = np.bincount(person.val, minlength=len(person.names))
    if short is None:
        short = candidates(person, counts)
    offsets = np.cumsum([0, *(len(f.names) for f in facets[:-1])]).tolist()
    width = int(offsets[-1] + len(facets[-1].names))
    found = Found([], short)
    if stats:
        found.below = np.full(width, -np.inf)
        found.above = np.full(width, np.inf)
        found.fulls = found.company = np.zeros(0, dtype=np.int64)
    if not short:
        return found
    df = np.concatenate([np.bincount(f.val, minlength=len(f.names)) for f in facets])
    # Each short name's row against each of its full names (rows in order, each row's full
    # names in the order `short` lists them), and the values of the rows' articles.
    is_short = _member(person.val, list(short), len(person.names))
    rows = np.flatnonzero(is_short if only is None else is_short & only)
    if stats:  # every full name's pairs, whichever rows are joined
        every = distinct(np.fromiter((f for fs in short.values() for f in fs), dtype=np.int64))
        found.fulls = every
        found.company = company = pair_stats(facets, every, width, df, counts, n_docs, found)
    if rows.size == 0:
        return found
    fulls_of = [short[p] for p in person.val[rows].tolist()]
    per_row = np.fromiter(map(len, fulls_of), dtype=np.int64, count=len(fulls_of))
    pair_row = np.repeat(rows, per_row)
    pair_full = np.fromiter(
        (f for fs in fulls_of for f in fs), dtype=np.int64, count=int(per_row.sum())
    )
    # Each full name's company: (full, value) pairs by key full * width + value. Only values
    # beside a short name matter, and only those that can pass the thresholds: named in
    # MIN_TOGETHER articles at least, and rare enough for LIFT (together <= the full name's
    # articles, so lift <= n_docs / df).
    row_docs = person.doc[rows]
    if company is not None:
        score = _shared_company(facets, offsets, row_docs, per_row, pair_full, company, width)
        found.joined = _best(pair_row, pair_full, score)
        return found
    wanted = np.zeros(width, dtype=bool)
    for _, value in _gathered(facets, offsets, row_docs):
        wanted[value] = True
    wanted &= (df >= MIN_TOGETHER) & (df * LIFT <= n_docs)
    fulls = distinct(pair_full)
    full_rows = np.flatnonzero(_member(person.val, fulls, len(person.names)))
    company = _company(facets, offsets, full_rows, wanted, width, df, counts, n_docs)
    if company.size == 0:
        return found
    score = _shared_company(facets, offsets, row_docs, per_row, pair_full, company, width)
    found.joined = _best(pair_row, pair_full, score)
    return found


# Values (of rows' articles, or of pairs times values when scored) handled at a time: the
# (row, value) arrays of every row at once took gigabytes at 2.2M articles (~13 values an
# article, millions of rows), and chunks of a fixed number of rows still took a few hundred
# MB each (the derived files' peak, issue #23). A chunk holds at least one row (or one full
# name's rows), however many values that is.
PAIRS = 1 << 18


def _value_counts(facets: Sequence[Rows], docs: np.ndarray) -> np.ndarray:
    """How many values (over all entity facets) each document of `docs` has."""
    n = np.zeros(docs.size, dtype=np.int64)
    for f in facets:
        n += f.start[docs + 1] - f.start[docs]
    return n


def _spans(weights: np.ndarray, limit: int, alone: int | None = None) -> Iterator[tuple[int, int]]:
    """Ranges [lo, hi) of consecutive items whose weights sum to at most `limit` (a heavier
    item alone, and one of `alone` or more too), covering every item in order."""
    ends = np.cumsum(weights)
    heavy = np.flatnonzero(weights >= alone) if alone is not None else ends[:0]
    lo = 0
    while lo < ends.size:
        base = int(ends[lo - 1]) if lo else 0
        hi = max(int(np.searchsorted(ends, base + limit, side="right")), lo + 1)
        at = int(np.searchsorted(heavy, lo))  # the first heavy item from lo on
        if at < heavy.size and int(heavy[at]) < hi:
            hi = max(int(heavy[at]), lo + 1)
        yield lo, hi
        lo = hi


def _gathered(
    facets: Sequence[Rows], offsets: Sequence[int], docs: np.ndarray
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """_gather's (i, value) pairs for `docs` (i over all `docs`), about PAIRS values at a time."""
    for lo, hi in _spans(_value_counts(facets, docs), PAIRS):
        owner, value = _gather(facets, offsets, docs[lo:hi])
        yield owner + lo, value


def _by_full_name(
    facets: Sequence[Rows], offsets: Sequence[int], full_rows: np.ndarray, alone: int
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """(full name id, value) of every value of the articles of the person rows `full_rows`,
    read by full name, a chunk of whole full names at a time (ascending, about PAIRS values),
    so that each chunk's counts are final; a full name of `alone` values or more is a chunk
    of its own (`_counted` counts it by value)."""
    person = facets[0]
    full_of = person.val[full_rows].astype(np.int64)
    by_full = np.argsort(full_of, kind="stable")
    full_rows, full_of = full_rows[by_full], full_of[by_full]
    if full_rows.size == 0:
        return
    docs = person.doc[full_rows]
    first = np.flatnonzero(np.r_[True, full_of[1:] != full_of[:-1]])  # each full name's rows
    per_full = np.add.reduceat(_value_counts(facets, docs), first)
    bounds = np.r_[first, full_rows.size]
    for a, b in _spans(per_full, PAIRS, alone):
        lo, hi = int(bounds[a]), int(bounds[b])
        owner, value = _gather(facets, offsets, docs[lo:hi])
        yield full_of[lo:hi][owner], value


def pair_stats(
    facets: Sequence[Rows],
    fulls: np.ndarray,
    width: int,
    df: np.ndarray,
    counts: np.ndarray,
    n_docs: int,
    found: Found | None = None,
) -> np.ndarray:
    """The whole company of each full name of `fulls` (sorted keys full * width + value), and
    (given `found`) its below and above over every pair that MIN_TOGETHER articles name, a
    chunk of whole full names at a time (as `_company`)."""
    person = facets[0]
    offsets = np.cumsum([0, *(len(f.names) for f in facets[:-1])]).tolist()
    full_rows = np.flatnonzero(_member(person.val, fulls, len(person.names)))
    members = []
    for full, value in _by_full_name(facets, offsets, full_rows, _alone(width)):
        keys, together = _counted(full, value, width)
        f_of, v_of = keys // width, keys % width
        ok = (together >= MIN_TOGETHER) & (v_of != f_of)
        keys, f_of, v_of, together = keys[ok], f_of[ok], v_of[ok], together[ok]
        lift = lifts(together, df[v_of], counts[f_of], n_docs)
        inside = lift >= LIFT
        members.append(keys[inside])
        if found is not None:
            assert found.below is not None and found.above is not None
            share = together / np.maximum(counts[f_of], 1)
            np.maximum.at(found.below, v_of[~inside], share[~inside])
            np.minimum.at(found.above, v_of[inside], share[inside])
    # (Chunks of ascending, distinct full names: their keys follow one another in order.)
    return np.concatenate(members) if members else np.zeros(0, dtype=np.int64)


def pair_counts(
    facets: Sequence[Rows], full_rows: np.ndarray, width: int
) -> tuple[np.ndarray, np.ndarray]:
    """Every pair (full name, other value) the articles of the person rows `full_rows` name:
    the sorted keys full * width + value and in how many of those articles each is (int32).
    What a company is decided from (`company_of`): kept between generations for the full
    names an update recounts (index_format.namesake_changes), so that the next adds only its
    new articles' pairs instead of counting a popular name's whole archive again."""
    offsets = np.cumsum([0, *(len(f.names) for f in facets[:-1])]).tolist()
    keys, times = [], []
    for full, value in _by_full_name(facets, offsets, full_rows, _alone(width)):
        k, together = _counted(full, value, width)
        ok = k // width != k % width
        keys.append(k[ok])
        times.append(together[ok].astype(np.int32))  # (counts of articles: int32 holds them)
    # (Chunks of ascending, distinct full names: their keys follow one another in order.)
    if not keys:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int32)
    return np.concatenate(keys), np.concatenate(times)


def company_of(
    keys: np.ndarray,
    together: np.ndarray,
    width: int,
    df: np.ndarray,
    counts: np.ndarray,
    n_docs: int,
) -> np.ndarray:
    """The keys of `pair_counts` in their full name's company (as `pair_stats` decides)."""
    enough = together >= MIN_TOGETHER  # (first: three in four pairs are of one article)
    keys, together = keys[enough], together[enough].astype(np.int64)
    f_of, v_of = keys // width, keys % width
    lift = lifts(together, df[v_of], counts[f_of], n_docs)
    return keys[lift >= LIFT]


def lifts(together: np.ndarray, df: np.ndarray, count: np.ndarray, n_docs: int) -> np.ndarray:
    """How many times likelier a value is in its full name's articles than in any article:
    `together` of the full name's `count` articles name it, `df` of all `n_docs` (a value is in
    the company at LIFT)."""
    out: np.ndarray = together * n_docs / (np.maximum(df, 1) * np.maximum(count, 1))
    return out


def _alone(width: int) -> int:
    """The values from which a full name's are counted by value (`_counted`): a sixteenth of
    the values' ids, so that the count's pass over every id costs less than a sort."""
    return max(width >> 4, 1)


def _counted(full: np.ndarray, value: np.ndarray, width: int) -> tuple[np.ndarray, np.ndarray]:
    """np.unique(full * width + value, return_counts=True): the sorted distinct keys and how
    often each occurs. The values of one popular full name (a president's: hundreds of
    thousands at 2.2M articles, named in every update) are counted by value instead of
    sorted: the same keys and counts, several times faster."""
    # (Every value of one full name: `full` is in gather order, facet by facet, not sorted,
    # so a chunk of several names can begin and end with the same one.)
    if full.size and full.size >= _alone(width) and bool((full == full[0]).all()):
        together = np.bincount(value, minlength=width)
        present = np.flatnonzero(together)
        return present + np.int64(full[0]) * width, together[present]
    return np.unique(full * width + value, return_counts=True)


def _company(
    facets: Sequence[Rows],
    offsets: Sequence[int],
    full_rows: np.ndarray,
    wanted: np.ndarray,
    width: int,
    df: np.ndarray,
    counts: np.ndarray,
    n_docs: int,
) -> np.ndarray:
    """The sorted keys full * width + value of each full name's company: the `wanted` values
    that MIN_TOGETHER of the articles of its rows `full_rows` name, LIFT times likelier there
    than in any article. The rows are read by full name, a chunk of whole full names at a
    time, so that each chunk's counts are final and only its company is kept."""
    found = []
    for full, value in _by_full_name(facets, offsets, full_rows, _alone(width)):
        keep = wanted[value]
        keys, together = _counted(full[keep], value[keep], width)
        f_of, v_of = keys // width, keys % width
        lift = lifts(together, df[v_of], counts[f_of], n_docs)
        found.append(keys[(together >= MIN_TOGETHER) & (lift >= LIFT) & (v_of != f_of)])
    # (Chunks of ascending, distinct full names: their keys follow one another in order.)
    return np.concatenate(found) if found else np.zeros(0, dtype=np.int64)


def _shared_company(
    facets: Sequence[Rows],
    offsets: Sequence[int],
    row_docs: np.ndarray,
    per_row: np.ndarray,
    pair_full: np.ndarray,
    company: np.ndarray,
    width: int,
) -> np.ndarray:
    """Per pair (each row's `per_row` pairs adjacent, with full names `pair_full`): how many
    values of the row's article are in the pair's full name's `company` (sorted keys)."""
    in_company = np.zeros(width, dtype=bool)
    in_company[company % width] = True
    # A bit table of the keys' hashes passes few keys that are not in `company` on to the
    # sorted search (a search of every key cost more than all the rest).
    bits = min(max(int(company.size).bit_length() + 3, 16), 30)
    table = np.zeros(1 << bits, dtype=bool)
    table[_slot(company, bits)] = True
    first_pair = np.cumsum(per_row) - per_row
    score = np.zeros(pair_full.size, dtype=np.int64)
    # A chunk of rows lo:hi has the pairs base:end (so its scores are a slice, not a bincount
    # over every pair a chunk).
    for lo, hi in _spans(_value_counts(facets, row_docs) * per_row, PAIRS):
        owner, value = _gather(facets, offsets, row_docs[lo:hi])
        base, end = int(first_pair[lo]), int(first_pair[hi - 1] + per_row[hi - 1])
        hit = in_company[value]
        owner, value = owner[hit], value[hit]
        # Each (row, value) once per pair of the row (pairs numbered from base).
        n = per_row[lo:hi][owner]
        total = int(n.sum())
        pair = np.repeat(first_pair[lo:hi][owner] - base - np.cumsum(n) + n, n)
        pair += np.arange(total)
        key = pair_full[base:end][pair] * width + np.repeat(value, n)
        maybe = table[_slot(key, bits)]
        pair, key = pair[maybe], key[maybe]
        at = np.minimum(np.searchsorted(company, key), company.size - 1)
        score[base:end] += np.bincount(pair[company[at] == key], minlength=end - base)
    return score


def _slot(keys: np.ndarray, bits: int) -> np.ndarray:
    """A hash of each key in [0, 2**bits) (Fibonacci hashing)."""
    mixed = keys.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    return (mixed >> np.uint64(64 - bits)).astype(np.int64)


def _best(pair_row: np.ndarray, pair_full: np.ndarray, score: np.ndarray) -> list[tuple[int, int]]:
    """Per row (pairs of a row are adjacent, rows ascending), the full name with the highest
    score, if above 0 and above every other."""
    if pair_row.size == 0:
        return []
    first = np.flatnonzero(np.r_[True, pair_row[1:] != pair_row[:-1]])
    top = np.maximum.reduceat(score, first)
    group = np.repeat(np.arange(first.size), np.diff(np.r_[first, pair_row.size]))
    at_top = score == top[group]
    ties = np.bincount(group[at_top], minlength=first.size)
    # The first pair of each row at its top score (the only one where there is no tie).
    best = np.flatnonzero(at_top)
    best = best[np.r_[True, group[best][1:] != group[best][:-1]]]
    ok = (top > 0) & (ties == 1)
    return list(zip(pair_row[best[ok]].tolist(), pair_full[best[ok]].tolist(), strict=True))
