"""Stored-field columns compared on real documents: size ÷ raw title+body, write and read cost.

Each candidate writes every segment's stored-field dicts through its Whoosh column writer (into
memory) and reads them back through its column reader, as a segment does. Reads are random
documents, the candidates interleaved round by round (shuffled); figures are medians of rounds.

    .venv/bin/python -m bench.stored_compression                      # the bench's 22k index
    .venv/bin/python -m bench.stored_compression --index DIR          # any built index
    .venv/bin/python -m bench.stored_compression --archive A.jsonl.gz # no index: extract the
                                                                      # archive (untagged)
"""

from __future__ import annotations

import argparse
import pickle
import random
import statistics
import time
import zlib
from pathlib import Path
from typing import Any

from whoosh import index
from whoosh.codec.whoosh3 import STORED_COLUMN as W3_STORED
from whoosh.columns import Column, ColumnReader, ColumnWriter, VarBytesColumn
from whoosh.filedb.filestore import RamStorage

from index_format.codec.storedcol import SAMPLE_BYTES, DictStoredColumn

DEFAULT_INDEX = Path("/tmp/telusur-bench/ours-22k/current")
DEFAULT_ARCHIVE = Path(__file__).resolve().parents[2] / "shared/data/news-clickid.jsonl.gz"
SEGMENT_DOCS = 11_000  # segment size when extracting an archive (the 22k build has two)


class ZlibDictColumn(Column):  # type: ignore[misc]
    """The stdlib alternative: pickle 4, zlib 9 with a 32 KB preset dictionary (the last 32 KB
    of the segment's first SAMPLE_BYTES of pickles)."""

    def writer(self, dbfile: Any) -> ColumnWriter:
        return _ZlibWriter(dbfile)

    def reader(self, dbfile: Any, basepos: int, length: int, doccount: int) -> ColumnReader:
        return _ZlibReader(dbfile, basepos, length, doccount)


class _ZlibWriter(ColumnWriter):  # type: ignore[misc]
    def __init__(self, dbfile: Any) -> None:
        self._dbfile = dbfile
        self._frames = VarBytesColumn().writer(dbfile)
        self._pending: list[tuple[int, bytes]] = []
        self._pending_bytes = 0
        self._zdict: bytes | None = None

    def add(self, docnum: int, value: Any) -> None:
        data = pickle.dumps(value, 4)
        if self._zdict is None:
            self._pending.append((docnum, data))
            self._pending_bytes += len(data)
            if self._pending_bytes >= SAMPLE_BYTES:
                self._start()
        else:
            self._frames.add(docnum, self._compress(data))

    def _compress(self, data: bytes) -> bytes:
        assert self._zdict is not None
        c = zlib.compressobj(9, zdict=self._zdict)
        return c.compress(data) + c.flush()

    def _start(self) -> None:
        self._zdict = b"".join(d for _, d in self._pending)[-32768:]
        for docnum, data in self._pending:
            self._frames.add(docnum, self._compress(data))
        self._pending = []

    def finish(self, doccount: int) -> None:
        if self._zdict is None:
            self._start()
        self._frames.finish(doccount)
        assert self._zdict is not None
        self._dbfile.write(self._zdict)
        self._dbfile.write(len(self._zdict).to_bytes(4, "little"))


class _ZlibReader(ColumnReader):  # type: ignore[misc]
    def __init__(self, dbfile: Any, basepos: int, length: int, doccount: int) -> None:
        n = int.from_bytes(dbfile.get(basepos + length - 4, 4), "little")
        end = length - 4 - n
        self._zdict = bytes(dbfile.get(basepos + end, n))
        self._frames = VarBytesColumn().reader(dbfile, basepos, end, doccount)

    def __getitem__(self, docnum: int) -> Any:
        d = zlib.decompressobj(zdict=self._zdict)
        return pickle.loads(d.decompress(self._frames[docnum]))


def candidates() -> dict[str, Column]:
    from whoosh.columns import CompressedBlockColumn, PickleColumn

    return {
        "W3 (pickle 2, zlib 3 per doc)": W3_STORED,
        "zlib 9 + 32 KB zdict, pickle 4": ZlibDictColumn(),
        "zstd 9, no dictionary": DictStoredColumn(level=9, dict_size=0),
        "zstd 3 + 128 KB dict": DictStoredColumn(level=3),
        "zstd 5 + 128 KB dict (chosen)": DictStoredColumn(),
        "zstd 9 + 64 KB dict": DictStoredColumn(level=9, dict_size=64 * 1024),
        "zstd 9 + 128 KB dict": DictStoredColumn(level=9),
        "zstd 9 + 256 KB dict, 8 MB sample": DictStoredColumn(
            level=9, dict_size=256 * 1024, sample_bytes=8 << 20
        ),
        "zstd 6 + 256 KB dict, 8 MB sample": DictStoredColumn(
            level=6, dict_size=256 * 1024, sample_bytes=8 << 20
        ),
        "zstd 19 + 128 KB dict": DictStoredColumn(level=19),
        "W3 zlib 9 blocks of 32 KB (reference)": PickleColumn(
            CompressedBlockColumn(level=9, blocksize=32)
        ),
    }


def segments_from_index(path: Path) -> list[list[dict[str, Any]]]:
    ix = index.open_dir(str(path))
    with ix.reader() as r:
        leaves = r.leaf_readers() if not r.is_atomic() else [(r, 0)]
        return [[leaf.stored_fields(d) for d in range(leaf.doc_count_all())] for leaf, _ in leaves]


def segments_from_archive(path: Path) -> list[list[dict[str, Any]]]:
    """The stored fields of the archive's articles as the indexer writes them, untagged."""
    from index_format.schema import build_schema
    from indexer.document import to_document
    from indexer.models import RawRecord
    from indexer.prepare import extract
    from indexer.sources import read_archive

    schema = build_schema()
    stored = [name for name, field in schema.items() if field.stored]
    docs = []
    for record in read_archive([path]):
        if not isinstance(record, RawRecord):
            continue
        doc = to_document(extract(record))
        values = {f: doc.get(f"_stored_{f}", doc.get(f)) for f in stored}
        docs.append({f: v for f, v in values.items() if v is not None})
    return [docs[i : i + SEGMENT_DOCS] for i in range(0, len(docs), SEGMENT_DOCS)]


def raw_bytes(segments: list[list[dict[str, Any]]]) -> int:
    return sum(
        len(d.get("title", "").encode()) + len(d.get("body", "").encode())
        for seg in segments
        for d in seg
    )


def write_all(column: Column, segments: list[list[dict[str, Any]]]) -> tuple[RamStorage, float]:
    """Each segment's column in its own file; returns the storage and seconds spent."""
    st = RamStorage()
    t0 = time.perf_counter()
    for n, seg in enumerate(segments):
        f = st.create_file(f"seg{n}")
        w = column.writer(f)
        for docnum, doc in enumerate(seg):
            w.add(docnum, doc)
        w.finish(len(seg))
        f.close()
    return st, time.perf_counter() - t0


def open_readers(column: Column, st: RamStorage, segments: list[list[Any]]) -> list[Any]:
    readers = []
    for n, seg in enumerate(segments):
        name = f"seg{n}"
        readers.append(column.reader(st.open_file(name), 0, st.file_length(name), len(seg)))
    return readers


def timed_reads(readers: list[Any], picks: list[tuple[int, int]]) -> float:
    t0 = time.perf_counter()
    for seg, docnum in picks:
        readers[seg][docnum]
    return (time.perf_counter() - t0) / len(picks)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--index", type=Path, default=DEFAULT_INDEX)
    ap.add_argument("--archive", type=Path, default=DEFAULT_ARCHIVE)
    ap.add_argument("--reads", type=int, default=2000, help="random documents per round")
    ap.add_argument("--rounds", type=int, default=7)
    args = ap.parse_args()

    if args.index and index.exists_in(str(args.index)):
        segments, source = segments_from_index(args.index), f"index {args.index}"
    else:
        segments, source = segments_from_archive(args.archive), f"archive {args.archive} (untagged)"
    raw = raw_bytes(segments)
    ndocs = sum(map(len, segments))
    print(f"{source}: {ndocs:,} documents in {len(segments)} segments, raw {raw / 1e6:.2f} MB")

    columns = candidates()
    written: dict[str, tuple[list[Any], int, float]] = {}
    for name, column in columns.items():
        st, seconds = write_all(column, segments)
        size = sum(st.file_length(f"seg{n}") for n in range(len(segments)))
        readers = open_readers(column, st, segments)
        for n, seg in enumerate(segments):  # every document reads back equal
            for docnum in (0, len(seg) // 2, len(seg) - 1):
                assert readers[n][docnum] == seg[docnum], (name, n, docnum)
        written[name] = (readers, size, seconds / ndocs)

    rng = random.Random(5)
    samples: dict[str, list[float]] = {name: [] for name in columns}
    for _ in range(args.rounds):
        picks = [
            (s, rng.randrange(len(segments[s])))
            for s in (rng.randrange(len(segments)) for _ in range(args.reads))
        ]
        order = list(columns)
        rng.shuffle(order)  # the same documents for every candidate, in a new order each round
        for name in order:
            samples[name].append(timed_reads(written[name][0], picks))

    base_read = statistics.median(samples["W3 (pickle 2, zlib 3 per doc)"])
    print(f"{'column':42s} {'MB':>7s} {'÷ raw':>6s} {'write µs/doc':>12s} {'read µs/doc':>11s}")
    for name in columns:
        _, size, write = written[name]
        read = statistics.median(samples[name])
        print(
            f"{name:42s} {size / 1e6:7.2f} {size / raw:6.3f} {write * 1e6:12.0f} "
            f"{read * 1e6:8.1f} ({read / base_read:.2f}x W3)"
        )


if __name__ == "__main__":
    main()
