"""index_format.stemmer returns exactly what PySastrawi's Stemmer returns.

Compared word by word with `Stemmer(ArrayDictionary(words)).stem` from the installed PySastrawi
on (1) dictionary roots with the affixes of every rule, plurals and non-words, (2) the words of
tests/data and the sample archive, (3) a large fixed sample of CLICK-ID news words (../shared).
bench/ab_stem.py runs the same comparison on all CLICK-ID words and measures the speed.
"""

from __future__ import annotations

import gzip
import json
import random
import re
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import index_format.stemmer as fast
from index_format.analysis import TOKEN_PATTERN, _stemmer, stem
from tests.conftest import DATA, NEWS, REPO

VOWELS = "aiueo"


@pytest.fixture(scope="module")
def roots() -> list[str]:
    return fast.sastrawi_words()


@pytest.fixture(scope="module")
def stemmers(roots: list[str]) -> tuple[Callable[[str], str], Callable[[str], str]]:
    """(PySastrawi's stem, ours), on the same dictionary."""
    from Sastrawi.Dictionary.ArrayDictionary import ArrayDictionary
    from Sastrawi.Stemmer.Stemmer import Stemmer

    return Stemmer(ArrayDictionary(roots)).stem, fast.Stemmer(roots).stem


def differences(
    stemmers: tuple[Callable[[str], str], Callable[[str], str]], words: list[str]
) -> list[tuple[str, str, str]]:
    theirs, ours = stemmers
    return [(w, a, b) for w in words if (a := theirs(w)) != (b := ours(w))]


def nasal(prefix: str, root: str) -> str:
    """meN-/peN- + root, with the sound changes the rules undo (tulis -> menulis)."""
    c = root[0]
    if c in VOWELS or c in "ghq":
        return prefix + "ng" + root
    if c == "k":
        return prefix + "ng" + root[1:]
    if c in "bfv":
        return prefix + "m" + root
    if c == "p":
        return prefix + "m" + root[1:]
    if c == "t":
        return prefix + "n" + root[1:]
    if c == "s":
        return prefix + "ny" + root[1:]
    if c in "cdjz":
        return prefix + "n" + root
    return prefix + root  # l r w y m n ...


def ber(prefix: str, root: str) -> str:
    """ber-/ter-/per- + root: the r drops before r and before a syllable -er-."""
    return prefix[:-1] + root if root[0] == "r" or root[2:4] == "er" else prefix + root


# Prefixes and prefix stacks, as the rules expect to find them.
PREFIXES: list[Callable[[str], str]] = [
    lambda r: r,
    lambda r: nasal("me", r),
    lambda r: nasal("pe", r),
    lambda r: "menge" + r,
    lambda r: "penge" + r,
    lambda r: ber("ber", r),
    lambda r: ber("ter", r),
    lambda r: ber("per", r),
    lambda r: "be" + r,
    lambda r: "te" + r,
    lambda r: "pe" + r,
    lambda r: "me" + r,
    lambda r: "memper" + r,
    lambda r: "mempe" + r,
    lambda r: "diper" + r,
    lambda r: "di" + r,
    lambda r: "ke" + r,
    lambda r: "se" + r,
    lambda r: "ku" + r,
    lambda r: "kau" + r,
    lambda r: "keber" + r,
    lambda r: "pember" + r,
    lambda r: "di" + nasal("pe", r),
    lambda r: "ke" + ber("ter", r),
    # CS infixes: gerigi, telunjuk, gemuruh, kinerja
    lambda r: r[0] + "er" + r[1:],
    lambda r: r[0] + "el" + r[1:],
    lambda r: r[0] + "em" + r[1:],
    lambda r: r[0] + "in" + r[1:],
]
DERIVATIONAL = ["", "kan", "an", "i", "is", "isme", "isasi"]
POSSESSIVE = ["", "ku", "mu", "nya", "-nya", "-ku"]
PARTICLE = ["", "lah", "kah", "tah", "pun", "-lah", "-pun"]
SUFFIXES = [d + p + q for d in DERIVATIONAL for p in POSSESSIVE for q in PARTICLE]
# Reduplications (plural x-x, x-xnya, berbalas-balasan, meniru-nirukan), each given a root.
PLURALS: list[Callable[[str], str]] = [
    lambda r: f"{r}-{r}",
    lambda r: f"{r}-{r}nya",
    lambda r: f"{r}-{r}-nya",
    lambda r: f"{r}-{r}-lah",
    lambda r: f"{ber('ber', r)}-{r}an",
    lambda r: f"{nasal('me', r)}-{nasal('me', r)[2:]}kan",
    lambda r: f"{r}-{nasal('me', r)}",
    lambda r: f"di{r}-{r}kan",
    lambda r: f"{r}-{r}an",
    lambda r: f"se{r}-{r}nya",
]


def generated_words(roots: list[str]) -> list[str]:
    """Every root of the dictionary, each with a prefix and a suffix stack in turn (seeded
    choice), every 10th root reduplicated in one of the plural forms; plus the affixes alone,
    short and hyphenated oddities, and non-words."""
    rng = random.Random(20261121)

    def maybe(options: list[str]) -> str:
        return rng.choice(options) if rng.random() < 0.5 else ""

    words: set[str] = set()
    for i, root in enumerate(r for r in roots if r):
        if not root.isalpha():  # hyphenated roots (alai-belai): affixes around the whole
            words.add(rng.choice(["", "ber", "di", "se"]) + root + maybe(["kan", "an", "nya"]))
            continue
        prefix = PREFIXES[i % len(PREFIXES)] if len(root) >= 2 else PREFIXES[0]
        words.add(prefix(root) + maybe(DERIVATIONAL) + maybe(POSSESSIVE) + maybe(PARTICLE))
        if i % 10 == 0:
            words.add(PLURALS[(i // 10) % len(PLURALS)](root))
    # Short parts (the short-word rule) and affixes with nothing around them.
    affixes = ["me", "di", "ke", "se", "ku", "mu", "kau", "ber", "ter", "per", "peng", "lah", "nya"]
    affixes += ["kan", "an", "i", "is", "pun", "isme", "a", "ab", "abc"]
    words.update(f"{a}-{b}" for a in affixes for b in affixes)
    words.update(a + b for a in affixes for b in affixes)
    words.update(["belajar", "pelajar", "mempelajari", "pelajaran", "berpelajaran", "ku-ku"])
    # Words of 3 letters or fewer keep all but their first suffix/plain prefix ("esi" is not
    # es + -i): the two-letter roots with one-letter affixes.
    for root in (r for r in roots if len(r) == 2):
        words.update(a + root for a in ["di", "ke", "se", "k", "m", "b", "p", "t"])
        words.update(root + a for a in ["i", "is", "an", "kan", "ku", "mu", "nya", "lah"])
    # Non-words: random letters with and without affixes, and roots with junk after them.
    for _ in range(1000):
        junk = "".join(rng.choice("abcdefghijklmnoprstuwy") for _ in range(rng.randint(2, 10)))
        words.add(rng.choice(PREFIXES)(junk) + rng.choice(SUFFIXES))
        words.add(rng.choice(roots) + junk[:3])
    return sorted(words)


@pytest.mark.slow
def test_generated_words_stem_as_pysastrawi(stemmers, roots: list[str]) -> None:
    words = generated_words(roots)
    assert len(words) > 30_000
    assert differences(stemmers, words) == []


def test_generated_words_exercise_every_prefix_rule(
    roots: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each disambiguator of each prefix rule gives a candidate root on the generated words:
    the comparison above runs every rule, not only the common ones."""
    fired: Counter[tuple[str, int]] = Counter()

    def counted(key: tuple[str, int], d: fast.Disambiguator) -> fast.Disambiguator:
        def disambiguate(word: str) -> str | None:
            result = d(word)
            if result is not None:
                fired[key] += 1
            return result

        return disambiguate

    rules = [
        (guard, tuple(counted((f"{n}:{guard}", k), d) for k, d in enumerate(rule)))
        for n, (guard, rule) in enumerate(fast._PREFIX_RULES)
    ]
    monkeypatch.setattr(fast, "_PREFIX_RULES", rules)
    monkeypatch.setattr(fast, "_RULES_BY_KEY", fast._rules_by_key())
    ours = fast.Stemmer(roots)
    for word in generated_words(roots):
        ours.stem(word)
    every = {(f"{n}:{guard}", k) for n, (guard, rule) in enumerate(rules) for k in range(len(rule))}
    assert every - set(fired) == set()


def test_plain_prefix_and_suffixes_and_plurals_known_cases(stemmers) -> None:
    """The documented examples of each step, and a few words PySastrawi gets wrong on purpose
    (we reproduce it; indexer/data/stem_exceptions.tsv corrects them for search)."""
    theirs, ours = stemmers
    cases = {
        "berbalas-balasan": "balas",
        "meniru-nirukan": "tiru",
        "malaikat-malaikat-nya": "malaikat",
        "buku-bukunya": "buku",
        "mempelajari": "ajar",
        "penyelenggaraan": "selenggara",
        "mengerjakan": "kerja",
        "menangis": "menang",  # wrong, as PySastrawi
        "berikan": "ikan",  # wrong, as PySastrawi
        "ku-ku": "ku-ku",  # the last part reads as a particle: a singular word, unchanged
    }
    assert {w: ours(w) for w in cases} == cases
    assert {w: theirs(w) for w in cases} == cases


def test_text_is_normalised_as_pysastrawi(stemmers) -> None:
    """Text with capitals, punctuation and spaces (not what analysis.stem passes, but the
    same contract): lowercased, split on anything outside [a-z0-9 -], each word stemmed."""
    texts = [
        "Mereka MEMPERBAIKI jalan-jalan, lalu pergi!",
        "  Penyelenggaraan   pemilu 2024 (KPU) ",
        "kebersamaan\tdan\nkeberhasilan",
        "rumah_sakit ke-17 Ṡemarang ſabar",
        "",
        "---",
    ]
    assert differences(stemmers, texts) == []


def words_of(paths: list[Path]) -> list[str]:
    token = re.compile(TOKEN_PATTERN)
    words: set[str] = set()
    for path in paths:
        words.update(w.lower() for w in token.findall(path.read_text(encoding="utf-8")))
    return sorted(words)


def test_words_of_test_data_and_sample_archive_stem_as_pysastrawi(stemmers) -> None:
    files = [
        p
        for folder in (DATA, REPO / "sample_archive")
        for p in sorted(folder.rglob("*"))
        if p.suffix in {".txt", ".json", ".jsonl", ".csv", ".md"}
    ]
    words = words_of(files)
    assert len(words) > 2_000
    assert differences(stemmers, words) == []


def clickid_tokens() -> Iterator[str]:
    token = re.compile(TOKEN_PATTERN)
    with gzip.open(NEWS, "rt", encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            for field in ("title", "body"):
                for w in token.findall(rec.get(field) or ""):
                    yield w.lower()


@pytest.mark.slow
@pytest.mark.skipif(not NEWS.exists(), reason="../shared/data/news-clickid.jsonl.gz is absent")
def test_clickid_words_stem_as_pysastrawi(stemmers) -> None:
    """Every fifth distinct word of CLICK-ID (bench/ab_stem.py checks all of them)."""
    words = sorted(set(clickid_tokens()))[::5]
    assert len(words) > 20_000
    assert differences(stemmers, words) == []


def test_analysis_stem_uses_the_port() -> None:
    assert isinstance(_stemmer(), fast.Stemmer)
    assert stem("kebersamaan") == "sama"
