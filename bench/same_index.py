"""Whether two indexes of the same archive hold the same thing: an indexer change that claims
to change speed only must pass this.

    python -m bench.same_index INDEX_DIR_A INDEX_DIR_B

Compared by article id (docnums depend on which worker wrote which chunk): every stored field
but `added` (the build's clock when a record has no earlier index), every term of every field
with its postings (id, frequency, weight, positions), field lengths, the stories file
(signature and story per id), and the derived files (JSON parsed, others byte for byte) when
both builds put the documents in the same order: build both on one core (`taskset -c 0`) to
compare those too. Prints the first differences; exits 1 when there is any.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

from index_format.generations import current_path, open_index
from index_format.stories import load_stories
from index_format.zst_files import load_json

CLOCK_FIELDS = {"added"}  # when the build ran, not what the archive holds
CLOCK_FILES = {"facets-added.npy"}  # the same, as a derived file


def _derived_content(f: Path) -> str:
    """A derived file's content as a digest: JSON (plain or zstd) parsed and dumped with sorted
    keys (key order follows set order, which changes from run to run; segment names are random:
    a manifest's list, the carry's base), anything else its bytes."""
    if f.name.endswith(".json.zst"):
        data = load_json(f)
    elif f.suffix == ".json":
        data = json.loads(f.read_text())
    else:
        return hashlib.sha256(f.read_bytes()).hexdigest()
    if isinstance(data, dict):
        data.pop("segments", None)
        if isinstance(data.get("base"), dict):
            data["base"].pop("segment", None)
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def _postings_digest(reader: Any, fieldname: str, term: bytes, ids: list[str]) -> str:
    m = reader.postings(fieldname, term)
    fmt = reader.schema[fieldname].format
    rows = []
    while m.is_active():
        positions = m.value_as("positions") if fmt.supports("positions") else None
        rows.append((ids[m.id()], m.weight(), positions))
        m.next()
    rows.sort()
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def snapshot(index_dir: Path) -> dict[str, Any]:
    """Everything an index holds, keyed by article id and by (field, term)."""
    path = current_path(index_dir).resolve()
    ix = open_index(path)
    with ix.searcher() as searcher:
        reader = searcher.reader()
        ids: list[str] = [""] * reader.doc_count_all()
        stored: dict[str, dict[str, Any]] = {}
        for docnum, fields in reader.iter_docs():
            ids[docnum] = fields["id"]
            stored[fields["id"]] = {k: v for k, v in fields.items() if k not in CLOCK_FIELDS}
        lengths = {
            (ids[d], name): reader.doc_field_length(d, name)
            for name in reader.schema.scorable_names()
            for d in range(len(ids))
        }
        terms = {
            (name, term): _postings_digest(reader, name, term, ids)
            for name, term in reader.all_terms()
        }
    stories = load_stories(path)
    story_rows = {}
    if stories is not None:
        story_rows = {
            doc_id: (day, bytes(sig), story)
            for doc_id, day, sig, story in zip(
                stories.ids, stories.days, stories.sigs, stories.story, strict=True
            )
        }
    derived = {
        str(f.relative_to(path)): _derived_content(f)
        for f in sorted((path / "derived").rglob("*"))
        if f.is_file() and f.name not in CLOCK_FILES
    }
    order = ids
    return {
        "stored": stored,
        "lengths": lengths,
        "terms": terms,
        "stories": story_rows,
        "derived": derived,
        "order": order,
    }


def differences(a: dict[str, Any], b: dict[str, Any], limit: int = 10) -> list[str]:
    out: list[str] = []
    for part in ("stored", "lengths", "terms", "stories"):
        x, y = a[part], b[part]
        for key in sorted(set(x) | set(y), key=repr):
            u, v = x.get(key), y.get(key)
            if u != v:
                if isinstance(u, dict) and isinstance(v, dict):
                    names = sorted(k for k in set(u) | set(v) if u.get(k) != v.get(k))
                    u, v = ({k: d.get(k) for k in names} for d in (u, v))
                out.append(f"{part} {key!r}: {u!r:.300} != {v!r:.300}")
                if len(out) >= limit:
                    return out
    if a["order"] == b["order"] and a["derived"] != b["derived"]:
        x, y = a["derived"], b["derived"]
        out.append(
            f"derived files differ: {sorted(k for k in set(x) | set(y) if x.get(k) != y.get(k))}"
        )
    return out


def main() -> None:
    a, b = (snapshot(Path(p)) for p in sys.argv[1:3])
    found = differences(a, b)
    same_order = a["order"] == b["order"]
    print(
        f"{len(a['stored'])} / {len(b['stored'])} documents, {len(a['terms'])} / {len(b['terms'])}"
        f" terms, {len(a['stories'])} / {len(b['stories'])} stories, derived files "
        + (f"compared ({len(a['derived'])})" if same_order else "not compared (order differs)")
    )
    for line in found:
        print(line)
    print("SAME" if not found else "DIFFERENT")
    sys.exit(1 if found else 0)


if __name__ == "__main__":
    main()
