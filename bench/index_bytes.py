"""Where an index's bytes go: each file of a generation, the parts of each segment's compound
file (postings split by field and by stream: ids, frequencies or weights, positions; the term
dictionary by field), the derived/ files and the per-segment parts.

    python -m bench.index_bytes INDEX_DIR [--raw ARCHIVE.jsonl.gz] [--json] [--exact]

INDEX_DIR is an index directory (its `current` link is followed) or a generation directory.
With --raw, each line also says its share of the archive's title+body bytes (the figure
`make bench` divides the index's size by: bench.run.raw_text_bytes). With --exact, how much of
the unstemmed `exact` field's postings the stemmed title and body already hold (exact_overlap;
~1 min at 22k articles).
"""

from __future__ import annotations

import argparse
import json
import os
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
from whoosh.filedb.compound import CompoundStorage
from whoosh.filedb.filestore import FileStorage

from index_format.analysis import STOPWORDS, stem
from index_format.codec.postings import V_POS, V_RAW, layout
from index_format.codec.termdict import PackedTermsReader
from index_format.generations import open_index


def generation_dir(path: Path) -> Path:
    current = path / "current"
    return Path(os.path.realpath(current)) if current.exists() else path


def _category(name: str) -> str:
    """A compound file's member (`<seg>.<ext>` or `<seg>.<field>.col`) → its category."""
    parts = name.split(".")
    ext = parts[-1]
    if ext == "col":
        field = parts[-2]
        if field == "_stored":
            return "stored fields"
        if field.endswith("_len"):
            return "field lengths column"
        return f"column {field}"
    return {"pkt": "term dictionary", "pkp": "postings", "trm": "term dictionary (W3)"}.get(
        ext, f".{ext}"
    )


@contextmanager
def packed_terms(gen: Path) -> Iterator[list[PackedTermsReader]]:
    """Each segment's packed term dictionary of the generation, open while the block runs."""
    ix = open_index(gen)
    try:
        with ix.reader() as reader:
            leaves = [reader] if reader.is_atomic() else [r for r, _ in reader.leaf_readers()]
            yield [t for t in (leaf._terms for leaf in leaves) if isinstance(t, PackedTermsReader)]
    finally:
        ix.close()


def postings_streams(gen: Path) -> Counter[str]:
    """Bytes of the postings files split by field and stream, over all segments."""
    out: Counter[str] = Counter()
    with packed_terms(gen) as segments:
        for terms in segments:
            for fname, block, row in terms._iter_from("", b""):
                start, size = block.extent(row)
                n, mode = int(block.df[row]), block.mode[row]
                buf = terms._postfile.get(start, min(size, 64))
                if len(buf) < size:  # the header and small records fit in 64 bytes
                    buf = terms._postfile.get(start, size)
                pos, a, b, c = layout(buf, n, mode)
                vmode = mode >> 2 & 3
                out[f"{fname}: header"] += pos
                out[f"{fname}: ids"] += a
                out[f"{fname}: freqs/weights"] += b
                values = size - pos - a - b
                key = "positions" if vmode == V_POS else "values"
                if vmode == V_RAW:
                    out[f"{fname}: value lengths"] += c
                    values -= c
                out[f"{fname}: {key}"] += values
    return out


def exact_overlap(gen: Path) -> Counter[str]:
    """Bytes of the `exact` field's postings records (positions apart) that the stemmed
    `title` and `body` postings could stand for (issue 23):
    - "derivable": a word that is its own stem and, in its segment, every title and body
      occurrence of that stem is the word (the stemmed postings hold its documents and
      frequencies; its positions, mapped past the stopwords the stemmed fields leave out);
    - "pure postings": postings (word, document) of a non-stopword whose document holds its
      stem (or the word itself, as a name) in title and body only where the word stands, so
      its positions there could be read from the stemmed fields' (the rest need their own);
    - "stopwords": the stopwords' records, which the stemmed fields do not hold at all.
    Deleted documents count as the segments hold them."""
    out: Counter[str] = Counter()
    with packed_terms(gen) as segments:
        for terms in segments:
            _exact_overlap(terms, out)
    return out


def _frequencies(terms: PackedTermsReader, words: set[bytes]) -> dict[int, int]:
    """Document → occurrences of any of `words` in the title and body fields."""
    got: Counter[int] = Counter()
    for fieldname in ("title", "body"):
        for word in words:
            post = terms.find_postings(fieldname, word, None)
            if post is not None:
                freqs = post.freqs() if post._freqs is not None else np.ones(len(post.ids))
                got.update(dict(zip(post.ids.tolist(), freqs.tolist(), strict=True)))
    return got


def _exact_overlap(terms: PackedTermsReader, out: Counter[str]) -> None:
    for fname, block, row in terms._iter_from("exact", b""):
        if fname != "exact":
            break
        word = block.terms[row]
        start, size = block.extent(row)
        n, mode = int(block.df[row]), block.mode[row]
        pos, a, b, _ = layout(terms._postfile.get(start, size), n, mode)
        positions = size - pos - a - b
        out["exact: records"] += size
        out["exact: positions"] += positions
        text = word.decode("utf-8")
        if text in STOPWORDS:
            out["stopwords: records"] += size
            continue
        root = stem(text).encode("utf-8")
        post = terms.find_postings("exact", word, None)
        assert post is not None
        freqs = post.freqs() if post._freqs is not None else np.ones(n, dtype=np.int64)
        stemmed = _frequencies(terms, {word, root})
        pure = np.array(
            [stemmed.get(d, 0) == k for d, k in zip(post.ids.tolist(), freqs.tolist(), strict=True)]
        )
        # (estimated: the record's positions bytes times the pure postings' share of its
        # occurrences)
        share = float(freqs[pure].sum()) / max(1, int(freqs.sum()))
        out["pure postings: positions"] += round(positions * share)
        if root == word and pure.all() and sum(stemmed.values()) == int(freqs.sum()):
            out["derivable: records"] += size
            out["derivable: positions"] += positions


def dictionary_fields(gen: Path) -> Counter[str]:
    """Bytes of the term dictionary files' blocks by field, over all segments (the directories
    and footers are the rest of the category)."""
    out: Counter[str] = Counter()
    with packed_terms(gen) as segments:
        for terms in segments:
            for fname, (firsts, offs, _) in terms._dir.items():
                if firsts:
                    out[fname] += int(offs[-1]) - int(offs[0])
    return out


def audit(gen: Path) -> dict[str, int]:
    """Bytes per category of the generation in `gen`."""
    sizes: Counter[str] = Counter()
    for path in sorted(gen.rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(gen)
        if rel.parts[0] == "derived":
            stem = rel.name.removesuffix(".npy").removesuffix(".json")
            group = stem.split("-")[0] if not stem.startswith("facets-") else "facets"
            sizes[f"derived/{group}"] += path.stat().st_size
        elif path.name.endswith(".derived.npz"):
            sizes["segment parts (.derived.npz)"] += path.stat().st_size
        elif path.suffix == ".seg":
            storage = CompoundStorage(FileStorage(str(gen)).open_file(path.name), False)
            members = 0
            for name, entry in storage._dir.items():
                sizes[_category(name)] += entry["length"]
                members += entry["length"]
            storage.close()
            sizes["segment files' directories"] += path.stat().st_size - members
        elif path.name.startswith("stories"):
            sizes["stories"] += path.stat().st_size
        else:
            sizes[f"other: {path.name}"] += path.stat().st_size
    return dict(sizes)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("index", type=Path)
    parser.add_argument("--raw", type=Path, help="the archive, for shares of its text")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--exact", action="store_true", help="also exact_overlap (slow)")
    args = parser.parse_args(argv)
    gen = generation_dir(args.index)
    sizes = audit(gen)
    streams = postings_streams(gen)
    dictionary = dictionary_fields(gen)
    total = sum(p.stat().st_size for p in gen.rglob("*") if p.is_file())
    raw = 0
    if args.raw:
        from bench.run import raw_text_bytes

        raw = raw_text_bytes(args.raw)
    report: dict[str, Any] = {
        "generation": str(gen),
        "total_bytes": total,
        "raw_text_bytes": raw or None,
        "index_vs_raw": round(total / raw, 3) if raw else None,
        "categories": dict(sorted(sizes.items(), key=lambda kv: -kv[1])),
        "postings": dict(sorted(streams.items())),
        "term_dictionary": dict(sorted(dictionary.items())),
    }
    if args.exact:
        report["exact_overlap"] = dict(sorted(exact_overlap(gen).items()))
    if args.json:
        print(json.dumps(report, indent=1))
        return

    def line(name: str, n: int) -> str:
        share = f"  {n / raw:6.3f}x raw" if raw else ""
        return f"  {name:40s} {n / 1e6:8.2f} MB{share}"

    print(f"{gen}: {total / 1e6:.2f} MB" + (f", {total / raw:.3f}x raw" if raw else ""))
    print("categories:")
    for name, n in report["categories"].items():
        print(line(name, n))
    print("postings by field and stream:")
    for name, n in report["postings"].items():
        print(line(name, n))
    print("term dictionary by field:")
    for name, n in report["term_dictionary"].items():
        print(line(name, n))
    if args.exact:
        print("exact postings the stemmed fields could stand for (exact_overlap):")
        for name, n in report["exact_overlap"].items():
            print(line(name, n))


if __name__ == "__main__":
    main()
