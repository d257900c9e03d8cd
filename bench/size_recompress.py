"""What this tree's encodings would make of an existing index's own data, without a rebuild:
the facets column, the segments' parts files, the `added` column, the url term dictionary
and the stored content hashes (issue 23's second pass), each as the index holds it and as
this tree writes it.

    python -m bench.size_recompress INDEX_DIR [--sample 20]

Reads only (a generation of main's format); the stored content hashes are estimated from
every `--sample`th document's stored fields, compressed as the stored column does (a zstd
dictionary trained on them, level 5).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import pickle
from pathlib import Path
from typing import Any

import zstandard
from whoosh.filedb.compound import CompoundStorage
from whoosh.filedb.filestore import FileStorage, RamStorage
from whoosh.util.numeric import length_to_byte

from bench.index_bytes import generation_dir, packed_terms
from index_format import segment_parts
from index_format.added import added_times
from index_format.codec import blockcol, storedcol
from index_format.codec.intcol import ZstdIntColumn
from index_format.codec.termdict import TermsWriter
from index_format.generations import open_index


class _Buffer(io.BytesIO):
    def close(self) -> None:  # (TermsWriter closes its file; the bytes are read after)
        pass


def facets_column(gen: Path) -> tuple[int, int]:
    """(bytes of the facets columns as written, bytes as this tree's writer writes them)."""
    before = after = 0
    ix = open_index(gen)
    try:
        with ix.reader() as reader:
            leaves = [reader] if reader.is_atomic() else [r for r, _ in reader.leaf_readers()]
            for leaf in leaves:
                values = list(leaf.column_reader("facets"))
                f = RamStorage().create_file("col")
                writer = blockcol.ZstdBlockColumn().writer(f)
                for docnum, value in enumerate(values):
                    writer.add(docnum, value)
                writer.finish(len(values))
                after += f.tell()
    finally:
        ix.close()
    for seg in gen.glob("*.seg"):
        storage = CompoundStorage(FileStorage(str(gen)).open_file(seg.name), False)
        before += sum(e["length"] for n, e in storage._dir.items() if n.endswith(".facets.col"))
        storage.close()
    return before, after


def parts_files(gen: Path) -> tuple[int, int]:
    before = after = 0
    for path in gen.glob(f"*{segment_parts.SUFFIX}"):
        parts = segment_parts.read(path)
        if parts is None:
            continue
        before += path.stat().st_size
        out = Path(f"/tmp/size-recompress-{path.name}")
        segment_parts.write(out, parts)
        after += out.stat().st_size
        out.unlink()
    return before, after


def added_column(gen: Path) -> tuple[int, int]:
    ix = open_index(gen)
    try:
        with ix.reader() as reader:
            n = reader.doc_count_all()
            times = added_times(reader, n)
    finally:
        ix.close()
    f = RamStorage().create_file("col")
    writer = ZstdIntColumn().writer(f)
    for docnum, value in enumerate(times.tolist()):
        writer.add(docnum, value)
    writer.finish(n)
    return 8 * n, f.tell()


def url_dictionary(gen: Path) -> tuple[int, int]:
    rows: list[tuple[bytes, Any, int]] = []
    with packed_terms(gen) as segments:
        for terms in segments:
            for fname, block, row in terms._iter_from("url", b""):
                if fname != "url":
                    break
                info = block.info(row)
                stats = (
                    int(block.df[row]),
                    info.weight(),
                    info.max_weight(),
                    length_to_byte(info.min_length()),
                    length_to_byte(info.max_length()),
                    int(block.mode[row]),
                )
                rows.append((block.terms[row], stats, block.extent(row)[1]))

    def size(keyed: list[tuple[bytes, Any, int]]) -> int:
        f = _Buffer()
        writer = TermsWriter(f)
        writer.start_field("url")
        offset = 0
        for term, stats, n in sorted(keyed, key=lambda r: r[0]):
            writer.add(term, stats, offset, n)
            offset += n
        writer.finish_field()
        writer.close()
        return len(f.getvalue())

    def hashed(key: bytes) -> bytes:  # index_format.schema.url_term of the stored key
        return base64.urlsafe_b64encode(hashlib.blake2b(key, digest_size=9).digest())

    return size(rows), size([(hashed(t), s, n) for t, s, n in rows])


def content_hashes(gen: Path, sample: int) -> tuple[int, int]:
    ix = open_index(gen)
    try:
        with ix.searcher() as s:
            docs = [s.stored_fields(d) for d in range(0, s.doc_count_all(), sample)]
    finally:
        ix.close()

    def size(dicts: list[dict[str, Any]]) -> int:
        pickled = [pickle.dumps(d, storedcol.PICKLE_PROTOCOL) for d in dicts]
        trained = zstandard.train_dictionary(storedcol.DICT_SIZE, pickled[:3000], k=256, d=8)
        c = zstandard.ZstdCompressor(level=storedcol.LEVEL, dict_data=trained)
        return sum(len(c.compress(p)) for p in pickled) * sample

    def as_bytes(d: dict[str, Any]) -> dict[str, Any]:
        value = d.get("content_hash")
        return {**d, "content_hash": bytes.fromhex(value)} if isinstance(value, str) else d

    return size(docs), size([as_bytes(d) for d in docs])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("index", type=Path)
    parser.add_argument("--sample", type=int, default=20)
    args = parser.parse_args(argv)
    gen = generation_dir(args.index)
    total = sum(p.stat().st_size for p in gen.rglob("*") if p.is_file())
    rows = {
        "facets column": facets_column(gen),
        "segment parts (.derived.npz)": parts_files(gen),
        "column added": added_column(gen),
        "term dictionary url (with its directory)": url_dictionary(gen),
        f"stored fields (content hash, est. 1/{args.sample})": content_hashes(gen, args.sample),
    }
    saved = 0
    print(f"{gen}: {total / 1e6:.2f} MB")
    for name, (before, after) in rows.items():
        saved += before - after
        print(f"  {name:48s} {before / 1e6:8.2f} -> {after / 1e6:8.2f} MB")
    print(f"  {'total':48s} {total / 1e6:8.2f} -> {(total - saved) / 1e6:8.2f} MB")


if __name__ == "__main__":
    main()
