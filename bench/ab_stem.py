"""index_format.stemmer against PySastrawi: equal on every CLICK-ID word, and how much faster.

    python -m bench.ab_stem [--words 40000] [--rounds 3]

1. Equality: every distinct lowercased token (analysis.TOKEN_PATTERN) of the titles and bodies
   of ../shared/data/news-clickid.jsonl.gz through both `stem()`s; prints the count and every
   difference (exit status 1 if any).
2. Speed: CPU µs per new word (no cache on either side) on the first `--words` distinct tokens
   `index_format.analysis.stem` hands to the stemmer (stemmable, 4+ letters, not in the exception
   table), the two sides alternating in each round; medians of `--rounds` rounds.
Needs ../shared; without it the bench says so and exits 0.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import time
from collections.abc import Callable

from bench.run import NEWS
from index_format.analysis import _STEMMABLE, TOKEN_PATTERN, stem_exceptions
from index_format.stemmer import Stemmer, sastrawi_words


def clickid_words() -> list[str]:
    """Distinct lowercased tokens of CLICK-ID titles and bodies, in order of first use."""
    token = re.compile(TOKEN_PATTERN)
    seen: dict[str, None] = {}
    with gzip.open(NEWS, "rt", encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            for field in ("title", "body"):
                for w in token.findall(rec.get(field) or ""):
                    seen.setdefault(w.lower(), None)
    return list(seen)


def cpu_us_per_word(stem: Callable[[str], str], words: list[str]) -> float:
    t = time.process_time()
    for w in words:
        stem(w)
    return (time.process_time() - t) / len(words) * 1e6


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--words", type=int, default=40_000)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    if not NEWS.exists():
        print(f"{NEWS} is absent: nothing to compare")
        return 0
    from Sastrawi.Dictionary.ArrayDictionary import ArrayDictionary
    from Sastrawi.Stemmer.Stemmer import Stemmer as SastrawiStemmer

    roots = sastrawi_words()
    ours, theirs = Stemmer(roots), SastrawiStemmer(ArrayDictionary(roots))
    words = clickid_words()
    diffs = [(w, a, b) for w in words if (a := theirs.stem(w)) != (b := ours.stem(w))]
    print(f"equality: {len(words)} distinct CLICK-ID tokens, {len(diffs)} differences")
    for w, a, b in diffs[:50]:
        print(f"  {w!r}: PySastrawi {a!r}, ours {b!r}")

    exceptions = stem_exceptions()
    fed = [w for w in words if len(w) >= 4 and _STEMMABLE.fullmatch(w) and w not in exceptions]
    fed = fed[: args.words]
    sides = {"pysastrawi": theirs.stem, "ours": ours.stem}
    times: dict[str, list[float]] = {name: [] for name in sides}
    for r in range(args.rounds):
        order = list(sides) if r % 2 == 0 else list(reversed(sides))
        for name in order:
            times[name].append(cpu_us_per_word(sides[name], fed))
        print(f"round {r + 1}: " + ", ".join(f"{n} {times[n][-1]:.1f} µs" for n in sides))
    med = {n: statistics.median(v) for n, v in times.items()}
    print(
        f"speed on {len(fed)} words, median of {args.rounds}: PySastrawi {med['pysastrawi']:.1f}"
        f" µs/word, ours {med['ours']:.1f} µs/word, {med['pysastrawi'] / med['ours']:.1f}x"
    )
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
