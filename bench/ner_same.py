"""Check that a change to the tagger keeps its output: entities of the first N CLICK-ID articles.

    python -m bench.ner_same dump OUT.jsonl [--sample 4000]   # once, before the change
    python -m bench.ner_same check OUT.jsonl [--sample 4000]  # after it: exit 1 on a difference

Each article is read and extracted as `rebuild-index` does (title + clean body), and its entity
list (text, label, start, end, canonical) is written one article a line. `check` compares both
`extract_entities` one text at a time and `extract_entities_many` over chunks of texts (the
rebuild workers' path) against the dump. Needs ../shared; exits 0 with a note without it.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from collections.abc import Iterator
from pathlib import Path

from bench.run import NEWS
from indexer.entities import Entity, extract_entities, extract_entities_many
from indexer.models import RawRecord
from indexer.prepare import extract
from indexer.sources import read_archive

CHUNK = 32  # as indexer.pipeline sends to a worker


def texts(n: int) -> Iterator[str]:
    records = (r for r in read_archive([NEWS]) if isinstance(r, RawRecord))
    for record in itertools.islice(records, n):
        article = extract(record)
        yield f"{article.title}\n\n{article.body}"


def _rows(entities: list[Entity]) -> list[list[object]]:
    return [[e.text, e.label, e.start, e.end, e.canonical] for e in entities]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("mode", choices=("dump", "check"))
    ap.add_argument("path", type=Path)
    ap.add_argument("--sample", type=int, default=4000)
    args = ap.parse_args()
    if not NEWS.exists():
        print(f"skipped: {NEWS} is absent")
        return
    all_texts = list(texts(args.sample))
    if args.mode == "dump":
        with args.path.open("w", encoding="utf-8") as out:
            for text in all_texts:
                out.write(json.dumps(_rows(extract_entities(text)), ensure_ascii=False) + "\n")
        print(f"{len(all_texts)} articles written to {args.path}")
        return
    want = [json.loads(line) for line in args.path.read_text(encoding="utf-8").splitlines()]
    if len(want) < len(all_texts):
        raise SystemExit(f"{args.path} holds {len(want)} articles, fewer than {len(all_texts)}")
    one = [_rows(extract_entities(t)) for t in all_texts]
    many: list[list[list[object]]] = []
    for i in range(0, len(all_texts), CHUNK):
        many += [_rows(e) for e in extract_entities_many(all_texts[i : i + CHUNK])]
    bad = 0
    for i, (w, a, b) in enumerate(zip(want, one, many, strict=False)):
        for how, got in (("one", a), ("many", b)):
            if got != w:
                bad += 1
                if bad <= 5:
                    print(f"article {i} ({how}): expected {w}\n  got {got}", file=sys.stderr)
    n_ents = sum(len(w) for w in want[: len(all_texts)])
    print(f"{len(all_texts)} articles, {n_ents} entities: {bad} differences")
    if bad:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
