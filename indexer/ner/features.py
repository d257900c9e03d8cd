"""CRF features. Per-word-type features are cached by the word string; only context is per token."""

from __future__ import annotations

import re
import string
from functools import lru_cache
from importlib import resources
from itertools import groupby, islice

CLUSTERS_RESOURCE = "clusters.tsv"

_SHAPE_SUBS = ((re.compile(r"[A-Z]"), "X"), (re.compile(r"[a-z]"), "x"), (re.compile(r"\d"), "d"))
_SQUEEZE = re.compile(r"(.)\1+")
# The same substitutions for ASCII words (most of them), in one pass.
_ASCII_SHAPE = str.maketrans(
    string.ascii_uppercase + string.ascii_lowercase + string.digits, "X" * 26 + "x" * 26 + "d" * 10
)

# Offsets of the context window and the prefix each neighbour's features get.
WINDOW = ((-2, "-2"), (-1, "-1"), (1, "+1"), (2, "+2"))


def _shape(word: str) -> str:
    """X for capitals, x for small letters, d for digits; runs squeezed; at most 6 long."""
    if word.isascii() and word.isalpha():  # most words: "x", "Xx" or "X" at once
        if word.islower():
            return "x"
        if word.isupper():
            return "X"
        if word[0].isupper() and word[1:].islower():
            return "Xx"
    if word.isascii() and "\n" not in word:
        # translate + groupby give what the regexes below give, five times faster.
        return "".join(islice((c for c, _ in groupby(word.translate(_ASCII_SHAPE))), 6))
    s = word
    for pattern, repl in _SHAPE_SUBS:
        s = pattern.sub(repl, s)
    return _SQUEEZE.sub(r"\1", s)[:6]


@lru_cache(maxsize=1)
def _clusters() -> dict[str, tuple[str, str, str, str]]:
    """word → (cluster at 64, 256 and 1024, capitalisation-rate bucket), from clusters.py."""
    out: dict[str, tuple[str, str, str, str]] = {}
    path = resources.files("indexer.ner") / CLUSTERS_RESOURCE
    for line in path.read_text(encoding="utf-8").splitlines():
        word, c64, c256, c1024, rate = line.split("\t")
        r = float(rate)
        bucket = "?" if r < 0 else "0" if r < 0.1 else "lo" if r < 0.5 else "hi" if r < 0.9 else "1"
        out[word] = (c64, c256, c1024, bucket)
    return out


# Words of region names that also name directions, kinds and common things: no evidence.
_GAZETTEER_COMMON = frozenset(
    [
        "kabupaten",
        "kab",
        "kab.",
        "kota",
        "provinsi",
        "prov",
        "prov.",
        "administrasi",
        "dan",
        "utara",
        "selatan",
        "barat",
        "timur",
        "tengah",
        "daya",
        "raya",
        "baru",
        "jaya",
        "kepulauan",
        "pulau",
        "laut",
        "besar",
        "kecil",
        "hulu",
        "hilir",
        "pesisir",
    ]
)


@lru_cache(maxsize=1)
def _gazetteer_words() -> frozenset[str]:
    """Lower-cased words of the names of Indonesian regions (regions.tsv) that news writes
    capitalised: a feature of the word and its neighbours ("Boven" "Digoel", "Supiori")."""
    from indexer.ner.regions import regions  # (regions.tsv is read only by the tagger's users)

    words = {w for key in regions() for w in key.split()}
    return frozenset(
        w
        for w in words - _GAZETTEER_COMMON
        if len(w) > 2 and w.isalpha() and cap_rate_bucket(w) not in ("0", "lo")
    )


def cap_rate_bucket(low: str) -> str:
    """How often news writes this (lower-cased) word capitalised: 0, lo, hi, 1 or ? (unknown)."""
    cl = _clusters().get(low)
    return "?" if cl is None else cl[3]


def word_features_uncached(word: str, cased: bool) -> tuple[list[str], dict[str, list[str]]]:
    """(the word's own features, its features as seen from each neighbour offset).

    `cased=False` is for text with no capitals at all (NER-P, lower-cased input): shape
    features would only say "not a name" there, so they are left out.
    """
    low = word.lower()
    own = [f"w={low}", f"p2={low[:2]}", f"p3={low[:3]}", f"s2={low[-2:]}", f"s3={low[-3:]}"]
    own.append(f"s4={low[-4:]}")
    ctx_near = [f"w={low}", f"s3={low[-3:]}"]
    ctx_far = [f"w={low}"]
    cl = _clusters().get(low)
    if cl is not None:
        own += [f"c64={cl[0]}", f"c256={cl[1]}", f"c1k={cl[2]}", f"cr={cl[3]}"]
        ctx_near += [f"c256={cl[1]}", f"cr={cl[3]}"]
        ctx_far.append(f"c64={cl[0]}")
    else:
        own.append("oov")
    if cased:
        shape = _shape(word)
        own.append(f"sh={shape}")
        own.append(f"len={min(len(word), 8)}")
        if word[0].isupper():
            own.append("title")
        if word.isupper() and len(word) > 1:
            own.append("upper")
        ctx_near.append(f"sh={shape}")
        ctx_far.append(f"sh={shape}")
    # Cased and lower-cased text (NER-P) follow different habits: each also gets its own
    # copy of the word-identity features (EasyAdapt, with the casing as the domain).
    mark = "C" if cased else "U"
    own += [mark + f for f in own[:7]]
    if "-" in word:
        own.append("hyphen")
    if any(c.isdigit() for c in word):
        own.append("digit")
    if low in _gazetteer_words():
        own.append("gz=1")
    views = {
        prefix: [f"{prefix}{f}" for f in (ctx_near if prefix in ("-1", "+1") else ctx_far)]
        for _, prefix in WINDOW
    }
    return own, views


# Training and evaluation see each word type many times. The tagger scores a type once and
# keeps the scores, so it calls the uncached function: ~35 strings a type add up in a cache.
word_features = lru_cache(maxsize=200_000)(word_features_uncached)


def is_cased(words: list[str]) -> bool:
    """Does any word change when lower-cased? (Asked of the words joined: only a capital sigma
    lower-cases by its context, and it changes in every context.)"""
    joined = "".join(words)
    return joined != joined.lower()


def sequence_features(
    words: list[str], cased: bool | None = None, start: int = 0, end: int | None = None
) -> list[list[str]]:
    """Feature strings for tokens start..end of one sentence (the whole sentence by default)."""
    if cased is None:
        cased = is_cased(words)
    n = len(words)
    end = n if end is None else end
    lo, hi = max(0, start - 2), min(n, end + 2)
    cached = [word_features(w, cased) for w in words[lo:hi]]
    out: list[list[str]] = []
    for i in range(start, end):
        feats = ["bias", *cached[i - lo][0]]
        for off, prefix in WINDOW:
            j = i + off
            if 0 <= j < n:
                feats += cached[j - lo][1][prefix]
            elif off in (-1, 1):
                feats.append(f"{prefix}=EDGE")
        out.append(feats)
    return out


# word_features_uncached's features by family: the names before "=" that share the value after
# it, in the order FeatureIds keeps their ids. C and U are the cased/uncased copies; -2 ... +2
# what a neighbour contributes.
_FAMILIES = {
    "w": ("w", "Cw", "Uw", "-2w", "-1w", "+1w", "+2w"),
    "p2": ("p2", "Cp2", "Up2"),
    "p3": ("p3", "Cp3", "Up3"),
    "s2": ("s2", "Cs2", "Us2"),
    "s3": ("s3", "Cs3", "Us3", "-1s3", "+1s3"),
    "s4": ("s4", "Cs4", "Us4"),
    "c64": ("c64", "Cc64", "Uc64", "-2c64", "+2c64"),
    "c256": ("c256", "-1c256", "+1c256"),
    "c1k": ("c1k",),
    "cr": ("cr", "-1cr", "+1cr"),
    "sh": ("sh", "-2sh", "-1sh", "+1sh", "+2sh"),
    "len": ("len",),
    "gz": ("gz", "-1gz", "+1gz"),
}


class FeatureIds:
    """The ids, in a model's attribute table, of `word_features_uncached(word, cased)`:
    the own features, then each WINDOW view's, in the same order, as five lists.

    No feature string is built: one lookup per family by the value after "=" gives, say, a
    word's w=, Cw=, -2w=, -1w=, +1w= and +2w= ids at once. Several times faster than the
    strings for the tagger's new word types; tests check the two agree word for word.
    """

    def __init__(self, attr: dict[str, int], missing: int = -1) -> None:
        slot = {name: (fam, i) for fam, names in _FAMILIES.items() for i, name in enumerate(names)}
        tables: dict[str, dict[str, list[int]]] = {fam: {} for fam in _FAMILIES}
        for feature, k in attr.items():
            name, sep, value = feature.partition("=")
            if sep and name in slot:
                fam, i = slot[name]
                row = tables[fam].get(value)
                if row is None:
                    row = tables[fam][value] = [missing] * len(_FAMILIES[fam])
                row[i] = k
        self._tables = tables
        self._none = {fam: [missing] * len(names) for fam, names in _FAMILIES.items()}
        # The same tables and rows in the order __call__ reads them, and the clusters.
        self._word_tables = tuple(tables[f] for f in ("w", "p2", "p3", "s2", "s3", "s4"))
        self._word_none = tuple(self._none[f] for f in ("w", "p2", "p3", "s2", "s3", "s4"))
        self._cluster_tables = tuple(tables[f] for f in ("c64", "c256", "c1k", "cr"))
        self._cluster_none = tuple(self._none[f] for f in ("c64", "c256", "c1k", "cr"))
        self._shape_table, self._len_table = tables["sh"], tables["len"]
        self._clusters = _clusters()
        self._oov = [attr.get(f, missing) for f in ("oov", "Coov", "Uoov")]
        self._title, self._upper, self._hyphen, self._digit = (
            attr.get(f, missing) for f in ("title", "upper", "hyphen", "digit")
        )
        self._gz = tables["gz"].get("1", self._none["gz"])
        self._gazetteer = _gazetteer_words()

    def __call__(self, word: str, cased: bool) -> tuple[list[int], ...]:
        flat: list[int] = []
        sizes = self.extend(flat, word, cased)
        out: list[list[int]] = []
        at = 0
        for n in sizes:
            out.append(flat[at : at + n])
            at += n
        return tuple(out)

    def extend(self, flat: list[int], word: str, cased: bool) -> tuple[int, int, int, int, int]:
        """Append what __call__ returns to `flat`, as one run; return the five lists' sizes.
        (The tagger collects the ids of many words in one list: no lists per word to keep.)"""
        tw, tp2, tp3, ts2, ts3, ts4 = self._word_tables
        nw, np2, np3, ns2, ns3, ns4 = self._word_none
        low = word.lower()
        w = tw.get(low, nw)
        p2 = tp2.get(low[:2], np2)
        p3 = tp3.get(low[:3], np3)
        s2 = ts2.get(low[-2:], ns2)
        s3 = ts3.get(low[-3:], ns3)
        s4 = ts4.get(low[-4:], ns4)
        m = 1 if cased else 2  # the slot of the C or U copy
        start = len(flat)
        cl = self._clusters.get(low)
        far_m2: tuple[int, ...]
        near_m1: tuple[int, ...]
        near_p1: tuple[int, ...]
        far_p2: tuple[int, ...]
        if cl is not None:
            t64, t256, t1k, tcr = self._cluster_tables
            n64, n256, n1k, ncr = self._cluster_none
            c64 = t64.get(cl[0], n64)
            c256 = t256.get(cl[1], n256)
            cr = tcr.get(cl[3], ncr)
            flat += (w[0], p2[0], p3[0], s2[0], s3[0], s4[0], c64[0], c256[0])
            flat += (t1k.get(cl[2], n1k)[0], cr[0])
            seventh = c64[m]
            far_m2, far_p2 = (w[3], c64[3]), (w[6], c64[4])
            near_m1 = (w[4], s3[3], c256[1], cr[1])
            near_p1 = (w[5], s3[4], c256[2], cr[2])
        else:
            flat += (w[0], p2[0], p3[0], s2[0], s3[0], s4[0], self._oov[0])
            seventh = self._oov[m]
            far_m2, near_m1, near_p1, far_p2 = (w[3],), (w[4], s3[3]), (w[5], s3[4]), (w[6],)
        if cased:
            sh = self._shape_table.get(_shape(word), self._none["sh"])
            flat += (sh[0], self._len_table.get(str(min(len(word), 8)), self._none["len"])[0])
            if word[0].isupper():
                flat.append(self._title)
            if word.isupper() and len(word) > 1:
                flat.append(self._upper)
            far_m2 += (sh[1],)
            near_m1 += (sh[2],)
            near_p1 += (sh[3],)
            far_p2 += (sh[4],)
        flat += (w[m], p2[m], p3[m], s2[m], s3[m], s4[m], seventh)
        if "-" in word:
            flat.append(self._hyphen)
        # A letter is never a digit: most words need no look at each character.
        if not word.isalpha() and any(c.isdigit() for c in word):
            flat.append(self._digit)
        if low in self._gazetteer:
            flat.append(self._gz[0])
        own = len(flat) - start
        flat += far_m2
        flat += near_m1
        flat += near_p1
        flat += far_p2
        return own, len(far_m2), len(near_m1), len(near_p1), len(far_p2)
