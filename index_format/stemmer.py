"""A fast port of PySastrawi's Indonesian stemmer (github.com/har07/PySastrawi, MIT licence).

Same algorithm, same results: Nazief-Adriani with the CS, ECS and improved-ECS rules, exactly
as PySastrawi 1.2.1 implements them, quirks included (see the comments marked "Quirk").
tests/index_format/test_stemmer.py holds it equal to the installed PySastrawi's `Stemmer.stem` on every
dictionary root with the affixes of every rule, and on CLICK-ID news words; bench/ab_stem.py
checks all 106,600 distinct CLICK-ID words (0 differences) and measures the speed.

Why a port: PySastrawi spends ~90 µs on a new word, mostly in the `re` module's cache lookups
(~90 `re.match(<string>, word)` calls per word, plus `re.sub(result, ...)`, which compiles
each intermediate word as a pattern) and in per-word Context/visitor/Removal objects. Here the
patterns are compiled once, a prefix rule runs only when the word starts with its literal
prefix, and the state is plain strings and tuples.

The root-word dictionary is PySastrawi's own (CC-BY-NC-SA 3.0), read from the installed package.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

# A disambiguator: a word -> its candidate root, or None when the rule does not apply.
Disambiguator = Callable[[str], str | None]
# A prefix rule (PySastrawi's PrefixDisambiguator): its disambiguators, tried in order.
PrefixRule = tuple[Disambiguator, ...]

_C = "bcdfghjklmnpqrstvwxyz"  # consonants, as the rules' character classes spell them


def _rx(pattern: str, build: Callable[[re.Match[str]], str | None]) -> Disambiguator:
    """A disambiguator from one of PySastrawi's patterns (used with re.match, as there)."""
    match = re.compile(pattern).match

    def disambiguate(word: str) -> str | None:
        m = match(word)
        return build(m) if m else None

    return disambiguate


_rule32 = _rx(r"^pe(l[aiueo])(.*)$", lambda m: m[1] + m[2])


def _pelajar(word: str) -> str | None:
    # Rule 32 tries the exact word before its pattern.
    return "ajar" if word == "pelajar" else _rule32(word)


# Rules 2, 8, 23 and 34 refuse a remainder matching r'^er(.*)$': `startswith("er")`, as no
# word here holds a newline (PySastrawi's normalisation turns them into spaces).

# PySastrawi's VisitorProvider.prefix_visitors after RemovePlainPrefix, in its order, each
# with its literal prefix (the guard: the rule cannot match a word without it). The patterns
# are copied from Sastrawi/Morphology/Disambiguator/DisambiguatorPrefixRule*.py.
# fmt: off
_PREFIX_RULES: list[tuple[str, PrefixRule]] = [
    # 1a, 1b
    ("ber", (_rx(r"^ber([aiueo].*)$", lambda m: m[1]), _rx(r"^ber([aiueo].*)$", lambda m: "r" + m[1]))),
    # 2
    ("ber", (_rx(r"^ber([bcdfghjklmnpqrstvwxyz])([a-z])(.*)", lambda m: None if m[3].startswith("er") else m[1] + m[2] + m[3]),)),
    # 3 (unanchored pattern in the source; re.match anchors it anyway)
    ("ber", (_rx(r"ber([bcdfghjklmnpqrstvwxyz])([a-z])er([aiueo])(.*)", lambda m: None if m[1] == "r" else m[1] + m[2] + "er" + m[3] + m[4]),)),
    # 4
    ("belajar", (lambda w: "ajar" if w == "belajar" else None,)),
    # 5
    ("be", (_rx(r"be([bcdfghjklmnpqstvwxyz])(er[bcdfghjklmnpqrstvwxyz])(.*)$", lambda m: m[1] + m[2] + m[3]),)),
    # 6a, 6b
    ("ter", (_rx(r"^ter([aiueo].*)$", lambda m: m[1]), _rx(r"^ter([aiueo].*)$", lambda m: "r" + m[1]))),
    # 7
    ("ter", (_rx(r"^ter([bcdfghjklmnpqrstvwxyz])er([aiueo].*)$", lambda m: None if m[1] == "r" else m[1] + "er" + m[2]),)),
    # 8
    ("ter", (_rx(r"^ter([bcdfghjklmnpqrstvwxyz])(.*)$", lambda m: None if m[1] == "r" or m[2].startswith("er") else m[1] + m[2]),)),
    # 9
    ("te", (_rx(r"^te([bcdfghjklmnpqrstvwxyz])er([bcdfghjklmnpqrstvwxyz])(.*)$", lambda m: None if m[1] == "r" else m[1] + "er" + m[2] + m[3]),)),
    # 10
    ("me", (_rx(r"^me([lrwy])([aiueo])(.*)$", lambda m: m[1] + m[2] + m[3]),)),
    # 11
    ("mem", (_rx(r"^mem([bfv])(.*)$", lambda m: m[1] + m[2]),)),
    # 12
    ("mempe", (_rx(r"^mempe(.*)$", lambda m: "pe" + m[1]),)),
    # 13a, 13b
    ("mem", (_rx(r"^mem([aiueo])(.*)$", lambda m: "m" + m[1] + m[2]), _rx(r"^mem([aiueo])(.*)$", lambda m: "p" + m[1] + m[2]))),
    # 14
    ("men", (_rx(r"^men([cdjstz])(.*)$", lambda m: m[1] + m[2]),)),
    # 15a, 15b
    ("men", (_rx(r"^men([aiueo])(.*)$", lambda m: "n" + m[1] + m[2]), _rx(r"^men([aiueo])(.*)$", lambda m: "t" + m[1] + m[2]))),
    # 16
    ("meng", (_rx(r"^meng([ghqk])(.*)$", lambda m: m[1] + m[2]),)),
    # 17a, 17b, 17c, 17d
    ("meng", (
        _rx(r"^meng([aiueo])(.*)$", lambda m: m[1] + m[2]),
        _rx(r"^meng([aiueo])(.*)$", lambda m: "k" + m[1] + m[2]),
        _rx(r"^menge(.*)$", lambda m: m[1]),
        _rx(r"^meng([aiueo])(.*)$", lambda m: "ng" + m[1] + m[2]),
    )),
    # 18a, 18b
    ("meny", (_rx(r"^meny([aiueo])(.*)$", lambda m: "ny" + m[1] + m[2]), _rx(r"^meny([aiueo])(.*)$", lambda m: "s" + m[1] + m[2]))),
    # 19
    ("memp", (_rx(r"^memp([abcdfghijklmopqrstuvwxyz])(.*)$", lambda m: "p" + m[1] + m[2]),)),
    # 20
    ("pe", (_rx(r"^pe([wy])([aiueo])(.*)$", lambda m: m[1] + m[2] + m[3]),)),
    # 21a, 21b
    ("pe", (_rx(r"^per([aiueo])(.*)$", lambda m: m[1] + m[2]), _rx(r"^pe(r[aiueo])(.*)$", lambda m: m[1] + m[2]))),
    # 23
    ("per", (_rx(r"^per([bcdfghjklmnpqrstvwxyz])([a-z])(.*)$", lambda m: None if m[3].startswith("er") else m[1] + m[2] + m[3]),)),
    # 24
    ("per", (_rx(r"^per([bcdfghjklmnpqrstvwxyz])([a-z])er([aiueo])(.*)$", lambda m: None if m[1] == "r" else m[1] + m[2] + "er" + m[3] + m[4]),)),
    # 25
    ("pem", (_rx(r"^pem([bfv])(.*)$", lambda m: m[1] + m[2]),)),
    # 26a, 26b
    ("pem", (_rx(r"^pem([aiueo])(.*)$", lambda m: "m" + m[1] + m[2]), _rx(r"^pem([aiueo])(.*)$", lambda m: "p" + m[1] + m[2]))),
    # 27
    ("pen", (_rx(r"^pen([cdjstz])(.*)$", lambda m: m[1] + m[2]),)),
    # 28a, 28b
    ("pen", (_rx(r"^pen([aiueo])(.*)$", lambda m: "n" + m[1] + m[2]), _rx(r"^pen([aiueo])(.*)$", lambda m: "t" + m[1] + m[2]))),
    # 29
    ("peng", (_rx(r"^peng([bcdfghjklmnpqrstvwxyz])(.*)$", lambda m: m[1] + m[2]),)),
    # 30a, 30b, 30c
    ("peng", (
        _rx(r"^peng([aiueo])(.*)$", lambda m: m[1] + m[2]),
        _rx(r"^peng([aiueo])(.*)$", lambda m: "k" + m[1] + m[2]),
        _rx(r"^penge(.*)$", lambda m: m[1]),
    )),
    # 31a, 31b
    ("peny", (_rx(r"^peny([aiueo])(.*)$", lambda m: "ny" + m[1] + m[2]), _rx(r"^peny([aiueo])(.*)$", lambda m: "s" + m[1] + m[2]))),
    # 32
    ("pe", (_pelajar,)),
    # 34
    ("pe", (_rx(r"^pe([bcdfghjklmnpqrstvwxyz])(.*)$", lambda m: None if m[2].startswith("er") else m[1] + m[2]),)),
    # 35 (CS)
    ("ter", (_rx(r"^ter([bcdfghjkpqstvxz])(er[bcdfghjklmnpqrstvwxyz])(.*)$", lambda m: m[1] + m[2] + m[3]),)),
    # 36 (CS)
    ("pe", (_rx(r"^pe([bcdfghjkpqstvxz])(er[bcdfghjklmnpqrstvwxyz])(.*)$", lambda m: m[1] + m[2] + m[3]),)),
    # 37a, 37b .. 40a, 40b (CS infixes -er- -el- -em- -in-): no literal prefix, a consonant
    # then e or i (the guard "" plus _INFIX_KEYS below).
    ("", (_rx(r"^([bcdfghjklmnpqrstvwxyz])(er[aiueo])(.*)$", lambda m: m[1] + m[2] + m[3]), _rx(r"^([bcdfghjklmnpqrstvwxyz])er([aiueo])(.*)$", lambda m: m[1] + m[2] + m[3]))),
    ("", (_rx(r"^([bcdfghjklmnpqrstvwxyz])(el[aiueo])(.*)$", lambda m: m[1] + m[2] + m[3]), _rx(r"^([bcdfghjklmnpqrstvwxyz])el([aiueo])(.*)$", lambda m: m[1] + m[2] + m[3]))),
    ("", (_rx(r"^([bcdfghjklmnpqrstvwxyz])(em[aiueo])(.*)$", lambda m: m[1] + m[2] + m[3]), _rx(r"^([bcdfghjklmnpqrstvwxyz])em([aiueo])(.*)$", lambda m: m[1] + m[2] + m[3]))),
    ("", (_rx(r"^([bcdfghjklmnpqrstvwxyz])(in[aiueo])(.*)$", lambda m: m[1] + m[2] + m[3]), _rx(r"^([bcdfghjklmnpqrstvwxyz])in([aiueo])(.*)$", lambda m: m[1] + m[2] + m[3]))),
    # 41, 42 (Sastrawi: ku-A, kau-A)
    ("ku", (_rx(r"^ku(.*)$", lambda m: m[1]),)),
    ("kau", (_rx(r"^kau(.*)$", lambda m: m[1]),)),
]
# fmt: on

# The first two characters a guard-less (infix) rule can match: a consonant, then e or i.
_INFIX_KEYS = frozenset(c + v for c in _C for v in "ei")


def _rules_by_key() -> dict[str, tuple[tuple[str, PrefixRule], ...]]:
    """Word[:2] -> the prefix rules that can match such a word, in PySastrawi's order."""
    keys = {guard[:2] for guard, _ in _PREFIX_RULES if guard} | _INFIX_KEYS
    return {
        key: tuple(
            (guard, rule)
            for guard, rule in _PREFIX_RULES
            if (guard[:2] == key if guard else key in _INFIX_KEYS)
        )
        for key in keys
    }


_RULES_BY_KEY = _rules_by_key()

# Suffix removals, as PySastrawi's suffix visitors (re.sub(pattern, '', word, count=1)), each
# with the endings the pattern needs (a cheap test before the regex).
_PARTICLE = re.compile(r"-*(lah|kah|tah|pun)$")
_PARTICLE_ENDS = ("lah", "kah", "tah", "pun")
_POSSESSIVE = re.compile(r"-*(ku|mu|nya)$")
_POSSESSIVE_ENDS = ("ku", "mu", "nya")
_DERIVATIONAL = re.compile(r"(is|isme|isasi|i|kan|an)$")
_DERIVATIONAL_ENDS = ("is", "isme", "isasi", "i", "kan", "an")
_SUFFIXES = (
    (_PARTICLE, _PARTICLE_ENDS),
    (_POSSESSIVE, _POSSESSIVE_ENDS),
    (_DERIVATIONAL, _DERIVATIONAL_ENDS),
)

# PrecedenceAdjustmentSpecification: confixes tried prefix first (its six patterns, any of).
_PREFIX_FIRST = re.compile(r"^be(.*)lah$|^be(.*)an$|^me(.*)i$|^di(.*)i$|^pe(.*)i$|^ter(.*)i$")

_PLURAL_PARTICLE = re.compile(r"^(.*)-(ku|mu|nya|lah|kah|tah|pun)$")
_LAST_HYPHEN = re.compile(r"^(.*)-(.*)$")
_PLURAL_SUFFIXES = frozenset(["ku", "mu", "nya", "lah", "kah", "tah", "pun"])

# TextNormalizer: a string of these alone normalises to itself (one word, no spaces).
_NORMAL_WORD = re.compile(r"[a-z0-9-]*")
_NOT_WORD_CHAR = re.compile(r"[^a-z0-9 -]", re.IGNORECASE | re.MULTILINE)
_SPACES = re.compile(r"( +)", re.IGNORECASE | re.MULTILINE)


class Stemmer:
    """`Stemmer(words).stem(text)` == PySastrawi's `Stemmer(ArrayDictionary(words)).stem(text)`."""

    def __init__(self, words: Iterable[str]) -> None:
        # ArrayDictionary.add skips empty and blank words.
        self.words = frozenset(w for w in words if w and w.strip())

    def stem(self, text: str) -> str:
        """Each word of `text`, normalised as PySastrawi does, stemmed; joined by spaces."""
        if _NORMAL_WORD.fullmatch(text):  # the common case: normalising changes nothing
            return self.stem_word(text)
        normal = _SPACES.sub(" ", _NOT_WORD_CHAR.sub(" ", text.lower())).strip()
        return " ".join(self.stem_word(w) for w in normal.split(" "))

    def stem_word(self, word: str) -> str:
        if "-" in word and self._is_plural(word):
            return self._stem_plural(word)
        return self._stem_singular(word)

    @staticmethod
    def _is_plural(word: str) -> bool:
        # Quirk: "x-nya" is singular, and so is "ku-ku" (its last part reads as a particle).
        m = _PLURAL_PARTICLE.match(word)
        if m:
            return "-" in m[1]
        return "-" in word

    def _stem_plural(self, plural: str) -> str:
        m = _LAST_HYPHEN.match(plural)
        if not m:
            return plural
        first, second = m[1], m[2]
        # malaikat-malaikat-nya -> malaikat, malaikat-nya
        m = _LAST_HYPHEN.match(first)
        if second in _PLURAL_SUFFIXES and m:
            first, second = m[1], m[2] + "-" + second
        # berbalas-balasan -> balas
        root1 = self._stem_singular(first)
        root2 = self._stem_singular(second)
        # meniru-nirukan -> tiru
        if second not in self.words and root2 == second:
            root2 = self._stem_singular("me" + second)
        return root1 if root1 == root2 else plural

    def _stem_singular(self, word: str) -> str:
        """Context.execute: the root, or `word` itself when no root is found."""
        words = self.words
        if word in words:
            return word
        # DontStemShortWord. Quirk: "stopped" does not stop the process; it only makes each
        # group of visitors (suffixes, one prefix pass) return after its first visitor.
        stopped = len(word) <= 3
        if _PREFIX_FIRST.match(word):
            # Confix: the prefix first, then the suffixes; on failure start again normally.
            current = self._remove_prefixes(word, stopped)
            if current in words:
                return current
            current, _ = self._remove_suffixes(current, stopped)
            if current in words:
                return current
        current, removals = self._remove_suffixes(word, stopped)
        if current in words:
            return current
        current = self._remove_prefixes(current, stopped)
        if current in words:
            return current
        # ECS "loop pengembalian akhiran": put the suffixes back one at a time, the last
        # removed first, and strip prefixes from the original word with the rest of them
        # removed. (restore_prefix always goes back to `word`: the first removal's subject.)
        for subject, result, removed in reversed(removals):
            if removed == "kan":
                current = self._remove_prefixes(result + "k", stopped)
                if current in words:
                    return current
                current = result + "kan"
            else:
                current = subject
            current = self._remove_prefixes(current, stopped)
            if current in words:
                return current
        return word

    def _remove_suffixes(self, word: str, stopped: bool) -> tuple[str, list[tuple[str, str, str]]]:
        """Particle, possessive, derivational suffix, each once, until a root is found.

        Returns the word left and the removals: (word before, word after, removed part).
        """
        removals: list[tuple[str, str, str]] = []
        for pattern, ends in _SUFFIXES:
            if word.endswith(ends):
                result = pattern.sub("", word, count=1)
                if result != word:
                    # PySastrawi's removed part: re.sub(result, '', word, count=1), i.e. what
                    # follows `result`, its literal prefix (the words hold no regex syntax).
                    removals.append((word, result, word[len(result) :]))
                    word = result
            if stopped or word in self.words:
                break
        return word, removals

    def _remove_prefixes(self, word: str, stopped: bool) -> str:
        """Up to three prefix removals, stopping at a root or when no rule applies."""
        for _ in range(3):
            result = self._remove_prefix(word, stopped)
            if result is None:
                break  # the same word again would get the same answer
            word = result
            if word in self.words:
                break
        return word

    def _remove_prefix(self, word: str, stopped: bool) -> str | None:
        """Context.accept_prefix_visitors: the first prefix rule that removes something."""
        if stopped or word in self.words:
            # The visitor loop returns after its first visitor, RemovePlainPrefix.
            return word[2:] if word[:2] in ("di", "ke", "se") else None
        if word[:2] in ("di", "ke", "se"):
            return word[2:]
        words = self.words
        for guard, rule in _RULES_BY_KEY.get(word[:2], ()):
            if not word.startswith(guard):
                continue
            # Quirk: the rule's result is that of the first disambiguator giving a root or,
            # failing that, of the LAST one, even when it gives None and an earlier one
            # matched (rule 30: "pengaX" -> None, not "aX").
            result = None
            for disambiguate in rule:
                result = disambiguate(word)
                if result in words:
                    break
            if result is not None:
                return result
        return None


def sastrawi_words() -> list[str]:
    """PySastrawi's root-word list, read from the installed package."""
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    words: list[str] = StemmerFactory().get_words_from_file()
    return words
