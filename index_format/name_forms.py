"""Merges read from the form of names alone, where no article states the pair.

Each takes the facet's values with their article counts and the merges found so far, and
returns those merges with its own added; a name already merged is left as it is. A variant
always joins the form more articles use, so the facet shows the name most of the archive
writes.

- Organisations: a legal or office form around one name ("PT Pertamina" / "Pertamina",
  "Semen Padang FC" / "Semen Padang", "Pertamina Energy Services Pte" / "… Service Pte" is
  spelling, below) and the usual short forms of a body's kind ("PN Jakarta Selatan" /
  "Pengadilan Negeri Jakarta Selatan", "Bank BRI" / "BRI"), a football club with or without
  its town ("Persebaya Surabaya" / "Persebaya", "PS Tira Persikabo" / "Tira Persikabo").
- People: a name with initials whose full words match one other name only ("Rini M. Soemarno"
  / "Rini Soemarno", "Basuki T Purnama" / "Basuki Tjahaja Purnama"), and a name one letter
  away from a name written at least SPELLING_SHARE times as often, in one word of five
  letters or more ("Bambang Brojonegoro" / "Bambang Brodjonegoro", "Aziz Syamsudin" /
  "Aziz Syamsuddin"). A namesake the article keeps apart (index_format.namesakes) is not
  concerned: these merge facet values, and such an article's own value stays its own.
"""

from __future__ import annotations

import bisect
import itertools
import operator
import re
from collections import Counter, defaultdict
from collections.abc import Container, Iterable, Iterator, Mapping, MutableMapping

from index_format.entity_merge import join_groups, resolved, resolved_name

# A spelling variant merges into a name written at least this many times as often: of two
# names as common as each other, neither is a misspelling.
SPELLING_SHARE = 2.0
_MIN_SPELLED = 5  # letters a word needs before a one-letter difference is a misspelling

# Words around an organisation's name that say its legal form, not which body it is.
_LEGAL_HEADS = ("PT ", "PT. ")
_LEGAL_TAILS = re.compile(r"(?:\s*,?\s*(?:Tbk\.?|\(Persero\)|Persero|Pte\.?|Ltd\.?|Inc\.?|FC))+$")
# What a name ends with when _LEGAL_TAILS can match ($ also matches before a last newline).
_TAIL_ENDS = (
    *("Tbk", "Tbk.", "(Persero)", "Persero", "Pte", "Pte.", "Ltd", "Ltd.", "Inc", "Inc."),
    *("FC", "\n"),
)
# A body's kind, written out or short: one body either way.
_KIND_SHORT = {
    "Pengadilan Negeri ": "PN ",
    "Pengadilan Tinggi ": "PT ",
    "Kejaksaan Negeri ": "Kejari ",
    "Kejaksaan Tinggi ": "Kejati ",
    "Pemerintah Provinsi ": "Pemprov ",
    "Pemerintah Kabupaten ": "Pemkab ",
    "Pemerintah Kota ": "Pemkot ",
    "Tim Nasional ": "Timnas ",
}
_INITIAL = re.compile(r"^[A-Z]\.?$")
# Football clubs named "Pers…" or "PS…" (Persatuan Sepak Bola) and their home town: one club
# whether the town is written or not ("Persebaya Surabaya" / "Persebaya", "PSIS Semarang"); a
# club's "PS" before its name is its legal form ("PS Tira Persikabo" / "Tira Persikabo").
_CLUB_TOWN = re.compile(
    r"^((?:Pers(?!atuan|ekutuan|erikatan|ero)[a-z]{2,8}|PS[A-Z]{1,3})) [A-Z][a-z]+(?: [A-Z][a-z]+)?$"
)
_CLUB_HEAD = "PS "


def organisation_key(name: str) -> str:
    """The name without its legal form, its body's kind in its short form, casefolded."""
    for full, short in _KIND_SHORT.items():
        if name.startswith(full):
            name = short + name[len(full) :]
            break
    if name.startswith(_LEGAL_HEADS):
        bare = name.split(" ", 1)[1]
        if not bare.isupper():  # "PT IHM" and IHM: company_merges weighs those
            name = bare
    # (The regex only where a tail can be: most names end otherwise.)
    bare = _LEGAL_TAILS.sub("", name) if name.endswith(_TAIL_ENDS) else name
    name = bare.strip() or name
    if name.startswith(_CLUB_HEAD) and name[3:4].isupper() and not name[3:].isupper():
        name = name[3:]
    if (club := _CLUB_TOWN.match(name)) is not None:
        name = club.group(1)
    if name.startswith("Bank ") and name[5:].isupper():  # "Bank BRI" is BRI
        name = name[5:]
    if name.startswith(_TEAM_HEAD) and name[4:5].isupper():  # "Tim Repsol Honda" is the team
        name = name[4:]
    if name.startswith(_DIRECTORATE_RESERSE):  # a police directorate with or without "Reserse"
        name = "Direktorat " + name[len(_DIRECTORATE_RESERSE) :]
    return _same_body(name).casefold()


# "Tim Repsol Honda" is Repsol Honda, "Tim SAR" SAR: "Tim" (team) before a body's name is no
# part of it (and joins nothing where the archive names no body without it: "Tim Hukum").
_TEAM_HEAD = "Tim "


# "Direktorat Reserse Narkoba Polda Metro Jaya" is "Direktorat Narkoba Polda Metro Jaya": the
# police's investigation directorates are named with or without "Reserse" (investigation).
_DIRECTORATE_RESERSE = "Direktorat Reserse "


# One body however its party, region or airline is written: "Partai Gelora" / "Gelora",
# "Pemprov DKI Jakarta" / "Pemprov DKI" (DKI is Jakarta's own short form), "WWF Indonesia" /
# "WWF" (an acronym's Indonesian office), "Lion Air" / "Lion" (an airline named without "Air").
_PARTY_HEAD = "Partai "
_DKI = re.compile(r" DKI(?: Jakarta)?$")
_ACRONYM_OFFICE = re.compile(r"^([A-Z]{2,6}) Indonesia$")
_AIRLINE_TAIL = re.compile(r"(?<=[a-z]) Air$")


def _same_body(name: str) -> str:
    if name.startswith(_PARTY_HEAD) and name[7:8].isupper():
        name = name[7:]
    name = _DKI.sub(" DKI", name)
    if (office := _ACRONYM_OFFICE.match(name)) is not None:
        name = office.group(1)
    return _AIRLINE_TAIL.sub("", name)


def organisation_form_merges(doc_counts: dict[str, int], merges: dict[str, str]) -> dict[str, str]:
    groups: dict[str, list[str]] = defaultdict(list)
    for name in doc_counts:
        groups[organisation_key(name)].append(name)
    out = join_groups(doc_counts, merges, groups.values())
    out = join_groups(doc_counts, out, _business_groups(doc_counts, out))
    return join_groups(doc_counts, out, _regional_offices(doc_counts, out))


# A company's business group ("Gojek Group", "Volvo Group") or a one-word brand's Indonesian arm
# ("Grab Indonesia", "Yamaha Indonesia") is the company where the archive names the company
# GROUP_SHARE times as often: a rare way to write it. As common as the company, the group is a
# body of its own ("Lion Air Group" owns Batik Air and Wings Air too), as "Garuda Indonesia" is
# beside "Garuda" (the national team's nickname too).
GROUP_SHARE = 3
_ARM_TAIL = " Indonesia"
_GROUP_TAILS = (" Group", _ARM_TAIL)


def _business_groups(doc_counts: dict[str, int], out: dict[str, str]) -> Iterable[list[str]]:
    groups = [n for n in doc_counts if n.endswith(_GROUP_TAILS) and " " in n]
    if not groups:
        return
    # Each name's articles with those of the forms merged into it ("GoJek" into Gojek).
    total: dict[str, int] = defaultdict(int)
    for name, count in doc_counts.items():
        total[resolved_name(out, name)] += count
    for name in groups:
        company = name.rsplit(" ", 1)[0]
        if name.endswith(_ARM_TAIL) and (" " in company or name in out or company in out):
            # A brand's one word only: "Partai Buruh Indonesia" is no arm of the UK's Labour
            # Party, "Bank Sentral Indonesia" none of any central bank. And not "Gigi
            # Indonesia", cut from a body's name and merged into its acronym (PDGI).
            continue
        if (
            company in doc_counts
            and total[resolved_name(out, company)] >= GROUP_SHARE * total[resolved_name(out, name)]
        ):
            yield [company, name]


# A regional government's office ("Dinas Bina Marga"): written without its region, it is the
# office of that name the archive knows with one ("Dinas Bina Marga DKI Jakarta"), or far more
# often than any other, and none when it knows several (Dinas Pendidikan Jawa Barat, Dinas
# Pendidikan Kota Bandung).
_REGIONAL_HEAD = "Dinas "


def _regional_offices(doc_counts: dict[str, int], out: dict[str, str]) -> Iterable[list[str]]:
    offices = [n for n in doc_counts if n.startswith(_REGIONAL_HEAD) and n not in out]
    bare = set(offices)
    longer: dict[str, set[str]] = defaultdict(set)
    for name in offices:
        words = name.split()
        for k in range(2, len(words)):
            if (head := " ".join(words[:k])) in bare:
                longer[head].add(name)
    for head, names in longer.items():
        first, *rest = sorted(names, key=lambda n: -doc_counts[n])
        if not rest or doc_counts[first] >= SPELLING_SHARE * doc_counts[rest[0]]:
            yield [head, first]  # (a person glued to it once is no other office)


def _one_letter_apart(a: str, b: str) -> bool:
    """One letter inserted, deleted, replaced, or two neighbours swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) < len(b):
        return a[i:] == b[i + 1 :]
    if a[i + 1 :] == b[i + 1 :]:
        return True
    return a[i + 2 :] == b[i + 2 :] and a[i] == b[i + 1] and a[i + 1] == b[i]


def _deletions(word: str) -> set[str]:
    """The word and the word less each one letter: two words one letter apart share one."""
    return {word, *(word[:k] + word[k + 1 :] for k in range(len(word)))}


def keyed_spelling_groups(
    doc_counts: dict[str, int],
) -> dict[tuple[int, str, str], list[tuple[str, str]]]:
    """(name, its long word) of the names of two words or more that differ in that word only
    ("Bambang Brojonegoro", "Bambang Brodjonegoro"), in groups of two or more by their key, in order of
    their first name; a group whose names are all of one article is left out (no name in it
    is twice as common as another).

    A group's key is the word's position and the text before and after it (one per
    list of the other words). Most keys are one name's only: they are listed first, and
    grouped only when a name not of one article has them, since building a dict of every
    key costs several times more."""
    # (Names of one word have no keys: skipped in C. Casefolding makes no space.)
    multi = list(filter(_TWO_WORDS.search, doc_counts))
    hot = {key for name in multi if doc_counts[name] != 1 for key, _ in word_keys(name)}
    groups: dict[tuple[int, str, str], list[tuple[str, str]]] = {}
    for name in multi:
        for key, word in word_keys(name):
            if key in hot:
                groups.setdefault(key, []).append((name, word))
    return {key: group for key, group in groups.items() if len(group) >= 2}


def _spelling_groups(doc_counts: dict[str, int]) -> Iterable[list[tuple[str, str]]]:
    """keyed_spelling_groups' groups, in order."""
    return keyed_spelling_groups(doc_counts).values()


def word_keys(name: str) -> Iterator[tuple[tuple[int, str, str], str]]:
    """(group key, word) of each long word of a name of two words or more (casefolded)."""
    words = name.casefold().split()
    if len(words) < 2:
        return
    line = " ".join(words)
    at = 0
    for i, word in enumerate(words):
        end = at + len(word)
        if end - at >= _MIN_SPELLED - 1:
            yield (i, line[:at], line[end:]), word
        at = end + 1


def spelling_merges(doc_counts: dict[str, int], merges: dict[str, str]) -> dict[str, str]:
    """Person names one letter apart in one long word, the rarer into the far commoner.

    Names are grouped by their other words, then within a group by the long word less a
    letter (so a group of hundreds of "Muhammad X" is not compared pair by pair). A name is
    merged by the first group (in the groups' order) that finds it one target, unless
    `merges` merged it already: what a group finds does not depend on another group's, so
    index_format.spelling_changes redoes only the groups an update touches."""
    deletions: dict[str, set[str]] = {}  # each word's, computed once
    found = (
        group_found(group, doc_counts, deletions, merges) for group in _spelling_groups(doc_counts)
    )
    return first_found(merges, found)


def first_found(merges: dict[str, str], found: Iterable[dict[str, str]]) -> dict[str, str]:
    """`merges` with each name the first of `found` (each group's, in the groups' order) that
    holds it merges, unless `merges` holds it."""
    out = dict(merges)
    for merged in found:
        for name, target in merged.items():
            if name not in out:
                out[name] = target
    return resolved(out)


def group_found(
    group: list[tuple[str, str]],
    doc_counts: dict[str, int],
    deletions: dict[str, set[str]],
    skip: Container[str] = (),
) -> dict[str, str]:
    """Each name of one spelling group (name, its long word) → the one name of the group
    one letter away in that word and written SPELLING_SHARE times as often, when there is
    one; names in `skip` (merged already) are not looked at (an economy: `first_found` would
    pass them over)."""
    counts = [doc_counts[name] for name, _ in group]
    least, most = min(counts), max(counts)
    if most < SPELLING_SHARE * least:  # (most groups: names of one article each)
        return {}
    variants = [
        (name, word, count)
        for (name, word), count in zip(group, counts, strict=True)
        if name not in skip and count * SPELLING_SHARE <= most
    ]
    if not variants:
        return {}
    targets = [
        (name, word, count)
        for (name, word), count in zip(group, counts, strict=True)
        if count >= SPELLING_SHARE * least  # could be a variant's target
    ]
    # Few pairs: each variant against each target; many: only the targets that share
    # a word less a letter with the variant's (two words one letter apart always do).
    near: dict[str, list[tuple[str, str, int]]] | None = None
    if len(variants) * len(targets) > 64:
        near = defaultdict(list)
        for target in targets:
            for key in _deletions_of(target[1], deletions):
                near[key].append(target)
    out = {}
    for name, word, count in variants:
        if near is None:
            look = targets
        else:
            look = [t for key in _deletions_of(word, deletions) for t in near.get(key, ())]
        found = {
            other
            for other, theirs, times in look
            if other != name
            and times >= SPELLING_SHARE * count
            and max(len(word), len(theirs)) >= _MIN_SPELLED
            and _one_letter_apart(word, theirs)
        }
        if len(found) == 1:
            out[name] = found.pop()
    return out


# Indonesian spelling before 1972 (Ejaan Soewandi) and after (EYD): news writes a person's
# name both ways ("Luhut Binsar Pandjaitan", "Luhut Binsar Panjaitan"; "Moeldoko", "Muldoko").
_OLD_SPELLING = (("dj", "j"), ("tj", "c"), ("oe", "u"), ("nj", "ny"), ("sj", "sy"))


def _new_spelling(name: str) -> str:
    key = name.lower()
    for old, new in _OLD_SPELLING:
        key = key.replace(old, new)
    return key


def old_spelling_merges(doc_counts: dict[str, int], merges: dict[str, str]) -> dict[str, str]:
    """Person names of two words or more that are one name in the new spelling, joined as
    join_groups joins (into the commonest). Unlike spelling_merges no share is asked, both
    forms being common; one-word names are the short-name rule's (namesakes)."""
    keys = {name: _new_spelling(name) for name in doc_counts if " " in name}
    old = {key for name, key in keys.items() if key != name.lower()}  # (few names: fast)
    groups: dict[str, list[str]] = defaultdict(list)
    for name, key in keys.items():
        if key in old:
            groups[key].append(name)
    return join_groups(doc_counts, merges, groups.values())


def _deletions_of(word: str, known: dict[str, set[str]]) -> set[str]:
    found = known.get(word)
    if found is None:
        found = known[word] = _deletions(word)
    return found


def _matches(short: list[str], full: list[str]) -> bool:
    """`short` is `full` written with initials: the same first word, the same last word or its
    initial, and between them each initial of `short` stands for a word of `full` it begins or
    for none, each full word for itself; `full` may hold middle words `short` leaves out."""
    if short[0] != full[0] or len(full) < 2:
        return False
    last, end = short[-1], full[-1]
    if not (last == end or (_INITIAL.match(last) and end[0] == last[0])):
        return False
    return _fits(short[1:-1], full[1:-1])


def _fits(short: list[str], full: list[str]) -> bool:
    if not short:
        return True
    word, rest = short[0], short[1:]
    if _INITIAL.match(word):
        if _fits(rest, full):  # an initial of a middle name the full form leaves out
            return True
        return any(w[0] == word[0] and _fits(rest, full[i + 1 :]) for i, w in enumerate(full))
    return any(w == word and _fits(rest, full[i + 1 :]) for i, w in enumerate(full))


def initial_merges(doc_counts: dict[str, int], merges: dict[str, str]) -> dict[str, str]:
    """A person name written with initials and the one full name it fits, merged into the one
    more articles name; none when several fit ("Agus R": Agus Rahardjo or Agus Riyanto). A
    fitting name that is a shorter form of another fitting one is that one ("Laode M Syarif":
    Laode Muhammad Syarif, of which Laode Syarif is a short form). Initials run together
    ("Bambang P.S. Brodjonegoro", "BJ Habibie") are initials too; the full names a name with
    initials only before its last word fits join it when it is far the commonest form ("BJ
    Habibie": Baharuddin / Bachruddin Jusuf Habibie). "Rini M Soemarno" and "Rini M.
    Soemarno" are one name first.

    Only the names `_MAYBE_INITIAL` finds are read in Python (a few percent of them), and a
    first word's names are looked up when asked (`_ByWord`): reading every name of the
    archive in Python was most of the cost, and grew with the archive, not the update."""
    return written_out_merges(doc_counts, initial_fits(doc_counts, merges))


def initial_fits(doc_counts: dict[str, int], merges: dict[str, str]) -> dict[str, str]:
    """`initial_merges` before its last step, `written_out_merges` (which index_format.
    written_changes redoes only where an update can change it)."""
    out = join_groups(doc_counts, merges, _dot_groups(doc_counts))
    by_word = _ByWord(list(doc_counts))
    fitting = _FullNames(by_word)
    for name in filter(_MAYBE_INITIAL.search, doc_counts):
        initial_fit(name, doc_counts, out, by_word, fitting)
    return resolved(out)


def dotted_merges(doc_counts: dict[str, int], merges: dict[str, str]) -> dict[str, str]:
    """`merges` with "Rini M Soemarno" and "Rini M. Soemarno" one name: what initial_fits'
    loop starts from."""
    return join_groups(doc_counts, merges, _dot_groups(doc_counts))


def initial_fit(
    name: str,
    doc_counts: Mapping[str, int],
    out: MutableMapping[str, str],
    by_word: _ByWord,
    fitting: _FullNames,
) -> None:
    """initial_fits' decision for one name with initials, put into `out` (the merges made so
    far). It reads `name`'s count and merge, the names without initials `fitting` finds for
    it (and, for initials run together, the given names `by_word.last()` finds), their counts
    and what `out` merges them into (index_format.initial_changes keeps what each name read)."""
    count = doc_counts[name]
    words = _written_words(name)
    if name in out or len(words) < 2 or not any(_INITIAL.match(w) for w in words):
        return
    glued = _INITIAL.match(words[0]) is not None
    if glued and name.split(" ", 1)[0] == words[0]:  # "J. Habibie": one initial, too vague
        return
    every = {
        resolved_name(out, other)
        for other, other_words in fitting.candidates(name, words, glued)
        if other != name and (_glued_matches if glued else _matches)(words, other_words)
    } - {name}
    if glued and every and count >= SPELLING_SHARE * sum(doc_counts[f] for f in every):
        # (In order, here and below: the merges' order, not only what they hold, is the
        # same in every process, whatever its string hash seed.)
        for full in sorted(every):
            out.setdefault(full, name)
        for given in sorted(_given_names(every, len(words) - 1, by_word.last(), out)):
            out.setdefault(given, name)  # "Bacharuddin Jusuf", the family name left out
        return
    widest = _the_widest(every, doc_counts)
    if widest is None or widest == name or widest in out:
        return
    full = widest
    if doc_counts.get(full, 0) >= count:
        out[name] = target = full
    else:  # the initials are how the archive writes the name
        out[full] = target = name
    for other in sorted(every - {full}):  # its rarer spellings go with it
        if other not in out and _rarer_spelling(other, full, doc_counts):
            out[other] = target


# A word that opens like an initial: a capital alone or before a dot or another capital. Every
# name `_written_words` finds an initial in has one ("M", "M.", "P.S.", "BJ"), so the names
# without one are skipped in C (filter) rather than split in Python.
_MAYBE_INITIAL = re.compile(r"(?<!\S)[A-Z](?:[.A-Z]|(?!\S))")


class _ByWord:
    """The names by their first word (the text before the first space) and by their last
    (after the last space), in the names' order. A first word's names are found by bisection
    when the names come sorted (facet_arrays sorts them): they are the word and the run of
    names that open with the word and a space. The last words' index is made on first use."""

    def __init__(self, names: list[str]) -> None:
        self._names = names
        self._sorted = all(map(operator.lt, names, itertools.islice(names, 1, None)))
        self._first: dict[str, list[str]] | None = None
        self._last: dict[str, list[str]] | None = None

    def first(self, word: str) -> list[str]:
        names = self._names
        if not self._sorted:
            if self._first is None:
                self._first = defaultdict(list)
                for name in names:
                    self._first[name.split(" ", 1)[0]].append(name)
            return self._first.get(word, [])
        at = bisect.bisect_left(names, word)
        own = [word] if at < len(names) and names[at] == word else []
        lo = bisect.bisect_left(names, word + " ", at)
        return own + names[lo : bisect.bisect_left(names, word + "!", lo)]

    def last(self) -> Mapping[str, list[str]]:
        if self._last is None:
            self._last = defaultdict(list)
            for name in self._names:
                self._last[name.rsplit(" ", 1)[-1]].append(name)
        return self._last


class _FullNames:
    """The names without initials that a name with initials may fit, looked up by the words
    `_matches` and `_glued_matches` require to be equal (its first word and its last word or
    the last word's letter; its last word and its first letter), not among every name of its
    first or last word: a first name such as "Muhammad" opens tens of thousands of names at
    2.2M articles, and reading them all for each of its names with initials was quadratic.
    A first (or last) word's names are indexed so when a name first asks for them."""

    Entries = list[tuple[str, list[str]]]

    def __init__(self, by_word: _ByWord) -> None:
        self._by_word = by_word
        self._firsts: dict[str, tuple[dict[str, _FullNames.Entries], ...]] = {}
        self._lasts: dict[str, dict[str, _FullNames.Entries]] = {}

    def candidates(self, name: str, words: list[str], glued: bool) -> Entries:
        """(name, its words) of every name without initials of two words or more that
        `words` (the written words of `name`) can fit; a superset of those that do."""
        if glued:
            by_letter = self._lasts.get(words[-1])
            if by_letter is None:
                by_letter = self._lasts[words[-1]] = defaultdict(list)
                for other, other_words in self._plain(self._by_word.last().get(words[-1], ())):
                    if len(other_words) >= 3:
                        by_letter[other_words[0][0]].append((other, other_words))
            return by_letter.get(words[0], [])
        index = self._firsts.get(words[0])
        if index is None:
            by_end: dict[str, _FullNames.Entries] = defaultdict(list)
            by_end_letter: dict[str, _FullNames.Entries] = defaultdict(list)
            for entry in self._plain(self._by_word.first(words[0])):
                by_end[entry[1][-1]].append(entry)
                by_end_letter[entry[1][-1][0]].append(entry)
            index = self._firsts[words[0]] = (by_end, by_end_letter)
        if _INITIAL.match(words[-1]):
            return index[1].get(words[-1][0], [])
        return index[0].get(words[-1], [])

    @staticmethod
    def _plain(names: Iterable[str]) -> Entries:
        """The names of two words or more without initials, with their words (the others
        skipped in C)."""
        plain = itertools.filterfalse(_ANY_INITIAL.search, filter(_TWO_WORDS.search, names))
        return [(n, n.split()) for n in plain]


def written_out_merges(doc_counts: dict[str, int], merges: dict[str, str]) -> dict[str, str]:
    """A person's full name written out (three words or more) joins the one shorter name of
    two words or more that keeps its words in order and its last word, when the archive
    names that one at least SPELLING_SHARE times as often ("Hasri Ainun Besari Habibie" /
    "Ainun Habibie"); never a short name into a full one, which namesakes may share.

    The shorter names a name can join are its last word after each proper subsequence of its
    other words: looked up, a few per name, rather than read among every name of its last
    and first words (a bucket that grows with the archive: "Muhammad … Syahputra")."""
    out = dict(merges)
    plain = PlainNames(doc_counts)
    for name in filter(THREE_WORDS.search, doc_counts):
        short = written_out_target(name, doc_counts, out, plain)
        if short is not None:
            out[name] = short
    return resolved(out)


def written_out_target(
    name: str, doc_counts: dict[str, int], out: dict[str, str], plain: PlainNames
) -> str | None:
    """The shorter name `written_out_merges` merges `name` into, given the merges `out` made
    before it (None: none). It reads the names of `name`'s last word only (`plain` needs to
    hold those), their counts, and what `out` merges them into."""
    per_last, even, odd = plain.per_last, plain.even, plain.odd
    words = name.split()
    if per_last.get(words[-1], 0) < 2 or name in out:
        return None
    last, least = words[-1], SPELLING_SHARE * doc_counts[name]
    fits = set()
    if len(words) <= _MAX_SUBSEQUENCE_WORDS:
        for head in _heads(words[:-1]):
            key = " ".join((*head, last))
            if key in even and doc_counts[key] >= least:
                fits.add(resolved_name(out, key))
            for other_count, other in odd.get(key, ()):
                if other_count >= least:
                    fits.add(resolved_name(out, other))
    else:  # (a stray value of many words: its names of the same last word read instead)
        for other_words, other_count, other in plain.by_last().get(last, ()):
            if (
                other_count >= least
                and len(other_words) < len(words)
                and _in_order(other_words[:-1], words[:-1])
            ):
                fits.add(resolved_name(out, other))
    short = _the_widest(fits, doc_counts)
    return short if short is not None and short != name else None


# Above this many words a name's subsequences (2 ** (words - 1)) outnumber its last word's
# names: those are read instead.
_MAX_SUBSEQUENCE_WORDS = 10


class PlainNames:
    """The names of two words or more without an initial, found by their words joined with
    single spaces. Most are written so: they are their own key (`even`, a set made in C, as
    are their last words' counts); the few others (`odd`) are keyed by their words."""

    def __init__(self, doc_counts: dict[str, int]) -> None:
        plain = list(
            itertools.filterfalse(_ANY_INITIAL.search, filter(_TWO_WORDS.search, doc_counts))
        )
        self.even = set(itertools.filterfalse(_ODD_SPACE.search, plain))
        self.odd: dict[str, list[tuple[int, str]]] = defaultdict(list)
        for name in filter(_ODD_SPACE.search, plain):
            self.odd[" ".join(name.split())].append((doc_counts[name], name))
        last_word = operator.itemgetter(2)
        split_last = operator.methodcaller("rpartition", " ")
        self.per_last: Counter[str] = Counter(map(last_word, map(split_last, self.even)))
        for key, entries in self.odd.items():
            self.per_last[key.rpartition(" ")[2]] += len(entries)
        self._counts = doc_counts
        self._by_last: dict[str, list[tuple[list[str], int, str]]] | None = None

    def by_last(self) -> dict[str, list[tuple[list[str], int, str]]]:
        """(words, count, name) of every plain name by its last word (made when first asked)."""
        if self._by_last is None:
            self._by_last = defaultdict(list)
            for name in self.even:
                words = name.split()
                self._by_last[words[-1]].append((words, self._counts[name], name))
            for key, entries in self.odd.items():
                words = key.split()
                for count, name in entries:
                    self._by_last[words[-1]].append((words, count, name))
        return self._by_last


def _heads(words: list[str]) -> set[tuple[str, ...]]:
    """Every subsequence of `words` (in order) of one word up to all but one."""
    return {head for size in range(1, len(words)) for head in itertools.combinations(words, size)}


def has_initial(name: str) -> bool:
    """Whether a word of `name` is an initial ("M", "M."): not a plain name."""
    return _ANY_INITIAL.search(name) is not None


def _has_initial(words: list[str]) -> bool:
    """Whether a word is an initial ("M", "M.") (the words' text searched once for one)."""
    return _ANY_INITIAL.search(" ".join(words)) is not None


_ANY_INITIAL = re.compile(r"(?<!\S)[A-Z]\.?(?!\S)")  # a word _INITIAL matches
# A name not written as its words joined by single spaces.
_ODD_SPACE = re.compile(r"\A\s|\s\Z|\s\s|[^\S ]")
# A name of two words or more, of three or more (words as str.split() finds them).
TWO_WORDS = _TWO_WORDS = re.compile(r"\S\s+\S")
THREE_WORDS = _THREE_WORDS = re.compile(r"\S\s+\S+\s+\S")


def _in_order(part: list[str], words: list[str]) -> bool:
    it = iter(words)
    return all(w in it for w in part)


# Initials written together: "P.S." in "Bambang P.S. Brodjonegoro", "BJ" opening "BJ Habibie".
_DOTTED_RUN = re.compile(r"(?:[A-Z]\.){2,3}|(?:[A-Z]\.){1,2}[A-Z]")
_GLUED_FIRST = re.compile(r"[A-Z]{2,3}")


def _written_words(name: str) -> list[str]:
    """The name's words with initials written together taken one by one."""
    words = name.split()
    out: list[str] = []
    for i, word in enumerate(words):
        if _DOTTED_RUN.fullmatch(word) or (
            i == 0 and len(words) == 2 and _GLUED_FIRST.fullmatch(word)
        ):
            out += [c for c in word if c != "."]
        else:
            out.append(word)
    return out


def _given_names(
    fulls: set[str], k: int, by_last: Mapping[str, list[str]], out: Mapping[str, str]
) -> set[str]:
    """Names of the first `k` words of one of `fulls`, spelled alike (a letter apart at most
    in each word): the given names that initials stand for, written alone."""
    found = set()
    for full in fulls:
        given = full.casefold().split()[:k]
        if len(given) < k or k < 2:
            continue
        for other in by_last.get(full.split()[k - 1], ()):
            words = other.casefold().split()
            if (
                len(words) == k
                and other not in out
                and all(
                    a == b or _one_letter_apart(a, b) for a, b in zip(words, given, strict=True)
                )
            ):
                found.add(other)
    return found


def _glued_matches(short: list[str], full: list[str]) -> bool:
    """`short` opens with initials ("B J Habibie"): the first stands for `full`'s first word,
    the rest fit its middle words, and the last words are one."""
    return (
        len(full) >= 3
        and short[-1] == full[-1]
        and full[0][0] == short[0]
        and _fits(short[1:-1], full[1:-1])
        and all(_INITIAL.match(w) for w in short[:-1])
    )


def _widest(fits: set[str], doc_counts: dict[str, int]) -> set[str]:
    """The fitting names less those that are a shorter form of another one or a rarer
    spelling of one ("Laode Muhamad Syarif" beside "Laode Muhammad Syarif")."""
    if len(fits) < 2:
        return fits
    return {
        f
        for f in fits
        if not any(
            g != f and (_matches(f.split(), g.split()) or _rarer_spelling(f, g, doc_counts))
            for g in fits
        )
    }


def _the_widest(fits: set[str], doc_counts: Mapping[str, int]) -> str | None:
    """The one name `_widest` leaves of `fits`, or None when it leaves none or several: each
    name's words split once, and the search stops at a second name left (a common first name
    with an initial fits hundreds of names at 2.2M articles, compared pair by pair)."""
    if len(fits) < 2:
        return next(iter(fits)) if fits else None
    words = {f: f.split() for f in fits}
    folded = {f: f.casefold().split() for f in fits}
    ranks = {f: (doc_counts.get(f, 0), f) for f in fits}
    found = None
    for f in fits:
        fw, ff, rank = words[f], folded[f], ranks[f]
        if any(
            g != f
            and (
                _matches(fw, words[g])
                or (len(ff) == len(folded[g]) and rank <= ranks[g] and _one_apart(ff, folded[g]))
            )
            for g in fits
        ):
            continue
        if found is not None:
            return None
        found = f
    return found


def _one_apart(a: list[str], b: list[str]) -> bool:
    """Words of one length that differ in one word only, by one letter (`_rarer_spelling`)."""
    differ = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    return len(differ) == 1 and _one_letter_apart(*differ[0])


def _rarer_spelling(f: str, g: str, doc_counts: Mapping[str, int]) -> bool:
    a, b = f.casefold().split(), g.casefold().split()
    if len(a) != len(b) or (doc_counts.get(f, 0), f) > (doc_counts.get(g, 0), g):
        return False
    differ = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    return len(differ) == 1 and _one_letter_apart(*differ[0])


def _dot_groups(doc_counts: dict[str, int]) -> Iterable[list[str]]:
    groups: dict[str, list[str]] = defaultdict(list)
    for name in doc_counts:
        if "." in name:
            groups[name.replace(".", "")].append(name)
    for bare, names in groups.items():
        yield [bare, *names] if bare in doc_counts else names
