"""Build indexer/data/common_acronyms.tsv: acronyms an archive defines with common nouns.

    python -m indexer.ner.common_acronyms ../shared/data/news-clickid.jsonl.gz

News defines a body's acronym with its capitalised name ("Komisi Pemberantasan Korupsi (KPK)")
and a common noun's in lower case ("tempat kejadian perkara (TKP)", "harga jual eceran
(HJE)"). An acronym defined in lower case at least MIN_LOWER times, and at least twice as often
as capitalised, shortens no entity's name; articles that use it without defining it tag it as
a body all the same, so it is listed and never becomes a facet value. A body or place the alias
file or the gazetteer knows is never listed.
"""

from __future__ import annotations

import gzip
import json
import sys
from collections import Counter
from pathlib import Path

from index_format.names import name_key
from indexer.ner.aliases import load_aliases
from indexer.ner.refine import _DEFINED, definition_case
from indexer.ner.regions import region

OUT = Path(__file__).resolve().parent.parent / "data" / "common_acronyms.tsv"
MIN_LOWER = 2


def count_definitions(texts: list[str]) -> tuple[Counter[str], Counter[str], dict[str, str]]:
    """(lower-case definitions, capitalised ones, an example of each lower-case one)."""
    lower: Counter[str] = Counter()
    upper: Counter[str] = Counter()
    example: dict[str, str] = {}
    for text in texts:
        for m in _DEFINED.finditer(text):
            case = definition_case(text, m)
            if case == "lower":
                lower[m.group(1)] += 1
                n = sum(c.isalpha() for c in m.group(1))
                example.setdefault(m.group(1), " ".join(text[: m.start()].split()[-n:]))
            elif case == "upper":
                upper[m.group(1)] += 1
    return lower, upper, example


def common(texts: list[str]) -> list[tuple[str, int, int, str]]:
    """(acronym, lower-case definitions, capitalised ones, example), most defined first."""
    aliases = load_aliases(None)
    lower, upper, example = count_definitions(texts)
    return [
        (acronym, n, upper[acronym], example[acronym])
        for acronym, n in lower.most_common()
        if n >= MIN_LOWER
        and n >= 2 * upper[acronym]
        and name_key(acronym) not in aliases.body_keys()
        and region(acronym) is None
        and aliases.lookup(acronym, "LOC") is None
    ]


def main(argv: list[str]) -> int:
    path = Path(argv[0]) if argv else Path("../shared/data/news-clickid.jsonl.gz")
    with gzip.open(path, "rt", encoding="utf-8") as f:
        texts = [json.loads(line).get("body") or "" for line in f]
    rows = common(texts)
    head = (
        f"# Acronyms {path.name} defines with common nouns in lower case (at least {MIN_LOWER}"
        " times, twice as often as capitalised): never facet values.\n"
        "# Built by `python -m indexer.ner.common_acronyms`. acronym<TAB>lower-case definitions"
        "<TAB>capitalised<TAB>example\n"
    )
    OUT.write_text(head + "".join(f"{a}\t{n}\t{u}\t{e}\n" for a, n, u, e in rows), "utf-8")
    print(f"{len(rows)} acronyms → {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
