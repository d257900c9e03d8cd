"""What round 21's tagger rules change on CLICK-ID, judged by hand labels (issue #20).

    python -m bench.facet_rule_changes run OUT.jsonl [--shard K --shards N] [--only IDS.jsonl]
    python -m bench.facet_rule_changes score OUT.jsonl... [--labels bench/facet_removals_round21.tsv]

`run` extracts the entities of every CLICK-ID article (title + clean body, as `rebuild-index`
does) with this tree's code, one article at a time, with a spy on each rule of round 21
(indexer.ner.lists.split_pairs, .places_among_places, and refine.named_after's place kinds in
lower case: a rule measured and dropped, whose spy now records nothing), and writes one line per article and change: the rule, the span before ("PER:AS-China")
and after ("LOC:AS + LOC:China"). Shards (article number modulo N) run in parallel processes; `--only` runs just
the articles of an earlier run's lines (what a tightened rule still changes of them).
`score` counts the changes per rule and (rule, before, after), judges each by the label file
(`rule<TAB>before<TAB>after<TAB>articles<TAB>label<TAB>note`, label `right`: the change makes
the value right, `wrong`: it makes a right value wrong or a wrong one wrong in another facet)
and prints the precision per rule over changes (articles) and over distinct values, with the
unlabelled ones to label. The labels were made on the changes of commit ebd0aa0's rules before
any was tuned; a tighter rule makes a subset of them.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
LABELS = HERE / "facet_removals_round21.tsv"
_NAME = re.compile(r"[A-Z][\w'.-]*(?: +[A-Z][\w'.-]*)*")


def run(out_path: Path, shard: int, shards: int, only: set[int] | None = None) -> int:
    from bench.ner_same import texts
    from indexer.entities import extract_entities_many
    from indexer.ner import merge

    found: list[tuple[str, str, str]] = []
    split_pairs, places_among_places, named_after = (
        merge.split_pairs,
        merge.places_among_places,
        merge.named_after,
    )

    def spy_pairs(text: str, tagged: list[tuple[str, int, int]], *args: Any) -> Any:
        out = split_pairs(text, tagged, *args)
        if out != tagged:
            new = sorted(set(out) - set(tagged), key=lambda t: t[1])
            for label, s, e in set(tagged) - set(out):
                parts = [f"{lb}:{text[a:b]}" for lb, a, b in new if s <= a < e]
                found.append(("pair", f"{label}:{text[s:e]}", " + ".join(parts)))
        return out

    def spy_listed(text: str, tagged: list[tuple[str, int, int]], *args: Any) -> Any:
        out = places_among_places(text, tagged, *args)
        for (label, s, e), (new, _, _) in zip(tagged, out, strict=True):
            if new != label:
                found.append(("listed", f"{label}:{text[s:e]}", f"{new}:{text[s:e]}"))
        return out

    def spy_named(text: str, start: int) -> Any:
        got = named_after(text, start)
        if got == ("LOC", start):  # (the lower-case kinds: the name keeps its start)
            m = _NAME.match(text, start)
            head = text[max(0, start - 16) : start].split()[-1:]
            name = m.group(0) if m else text[start : start + 20]
            found.append(("lower head", f"PER:{name}", f"LOC after {' '.join(head)}"))
        return got

    merge.split_pairs = spy_pairs  # type: ignore[assignment]
    merge.places_among_places = spy_listed  # type: ignore[assignment]
    merge.named_after = spy_named  # type: ignore[assignment]
    with out_path.open("a", encoding="utf-8") as out:
        for i, text in enumerate(texts(10**6)):
            if i % shards != shard or (only is not None and i not in only):
                continue
            found.clear()
            extract_entities_many([text])
            for rule, before, after in found:
                row = {"rule": rule, "before": before, "after": after, "article": i}
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
    return 0


def read_labels(path: Path) -> dict[tuple[str, str, str], str]:
    out: dict[tuple[str, str, str], str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        cols = line.split("\t")
        if line.startswith("#") or len(cols) < 5 or cols[0] == "rule":
            continue
        out[cols[0], cols[1], cols[2]] = cols[4]
    return out


def score(paths: list[Path], labels_path: Path) -> int:
    changes: Counter[tuple[str, str, str]] = Counter()
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            changes[row["rule"], row["before"].replace("\n", "\\n"), row["after"]] += 1
    labels = read_labels(labels_path) if labels_path.exists() else {}
    per_rule: dict[str, Counter[str]] = {}
    for key, n in changes.items():
        kind = labels.get(key, "unlabelled")
        tally = per_rule.setdefault(key[0], Counter())
        tally[kind] += n
        tally[f"{kind} values"] += 1
    print(f"{'rule':<12}{'changes':>9}{'right':>7}{'wrong':>7}{'prec':>7}   values right/wrong")
    for rule, t in sorted(per_rule.items()):
        judged = t["right"] + t["wrong"]
        prec = t["right"] / judged if judged else float("nan")
        print(
            f"{rule:<12}{sum(t[k] for k in ('right', 'wrong', 'unlabelled')):>9}"
            f"{t['right']:>7}{t['wrong']:>7}{prec:>7.3f}   "
            f"{t['right values']}/{t['wrong values']} (unlabelled {t['unlabelled values']})"
        )
    for (rule, before, after), n in sorted(changes.items()):
        if (rule, before, after) not in labels:
            print(f"unlabelled\t{rule}\t{before}\t{after}\t{n}")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("mode", choices=("run", "score"))
    ap.add_argument("paths", type=Path, nargs="+")
    ap.add_argument("--shard", type=int, default=0)
    ap.add_argument("--shards", type=int, default=1)
    ap.add_argument("--labels", type=Path, default=LABELS)
    ap.add_argument("--only", type=Path, help="an earlier run's lines: only their articles")
    args = ap.parse_args(argv)
    if args.mode == "run":
        only = None
        if args.only:
            lines = args.only.read_text(encoding="utf-8").splitlines()
            only = {json.loads(line)["article"] for line in lines}
        return run(args.paths[0], args.shard, args.shards, only)
    return score(args.paths, args.labels)


if __name__ == "__main__":
    sys.exit(main())
