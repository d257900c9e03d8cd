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
    views = {
        prefix: [f"{prefix}{f}" for f in (ctx_near if prefix in ("-1", "+1") else ctx_far)]
        for _, prefix in WINDOW
    }
    return own, views


# Training and evaluation see each word type many times. The tagger scores a type once and
# keeps the scores, so it calls the uncached function: ~35 strings a type add up in a cache.
word_features = lru_cache(maxsize=200_000)(word_features_uncached)


def is_cased(words: list[str]) -> bool:
    return any(w != w.lower() for w in words)


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
