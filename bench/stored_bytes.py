"""Where a segment's stored-field bytes go: each field's share, and what other dictionary
settings would make of them (the stored column: index_format/codec/storedcol.py).

    python -m bench.stored_bytes INDEX_DIR [--sample 20000] [--settings]

The largest segment of the index's newest generation is read: its documents' stored dicts,
a random sample of them, compressed as the column does (pickled, zstd with a dictionary
trained on the segment's first documents, the current settings) and scaled to the segment.
Each field's figure is what the frames lose without it (the dictionary trained again without
it), so the figures need not add up to the whole. `--settings` also compresses the sample
with other dictionary sizes and levels: bytes, write and read µs a document (process CPU).
"""

from __future__ import annotations

import argparse
import os
import pickle
import random
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import zstandard

from index_format.codec import storedcol
from index_format.generations import open_index

Doc = dict[str, Any]

# (level, dictionary bytes, bytes trained on) compared by --settings.
SETTINGS = [
    (5, 128 * 1024, 4 << 20),
    (5, 512 * 1024, 16 << 20),
    (5, 1024 * 1024, 32 << 20),
    (5, 2048 * 1024, 64 << 20),
    (6, 1024 * 1024, 32 << 20),
    (9, 128 * 1024, 4 << 20),
]


def _pickled(doc: Doc) -> bytes:
    return pickle.dumps(storedcol._dated(doc, set(), set()), storedcol.PICKLE_PROTOCOL)


def frames_bytes(
    first: list[Doc], sample: list[Doc], level: int, dict_size: int, train_bytes: int
) -> tuple[float, float, float]:
    """(bytes of the sample's frames, write µs and read µs a document) with a dictionary
    trained as the column trains one on the segment's `first` documents."""
    trained, size = [], 0
    for doc in first:
        if size >= train_bytes:
            break
        data = _pickled(doc)
        trained.append(data)
        size += len(data)
    zdict = storedcol.train(trained, level, dict_size)
    compress = storedcol._compressor(zdict, level).compress
    pickled = [_pickled(d) for d in sample]
    t = time.process_time()
    frames = [compress(p) for p in pickled]
    write = (time.process_time() - t) / len(pickled) * 1e6
    dctx = (
        zstandard.ZstdDecompressor(dict_data=zstandard.ZstdCompressionDict(zdict))
        if zdict
        else zstandard.ZstdDecompressor()
    )
    t = time.process_time()
    for frame in frames:
        dctx.decompress(frame)
    read = (time.process_time() - t) / len(frames) * 1e6
    return float(sum(map(len, frames))), write, read


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("index", type=Path)
    ap.add_argument("--sample", type=int, default=20000)
    ap.add_argument("--settings", action="store_true")
    args = ap.parse_args()
    current = args.index / "current"
    gen = Path(os.path.realpath(current)) if current.exists() else args.index
    ix = open_index(gen)
    try:
        reader = ix.reader()
        leaves = [leaf for leaf, _ in reader.leaf_readers()] if not reader.is_atomic() else [reader]
        leaf = max(leaves, key=lambda r: r.doc_count_all())
        n = leaf.doc_count_all()
        column = leaf._perdoc.stored_column()
        frames = column._frames
        print(
            f"{gen}: largest segment {n:,} documents, stored frames {sum(frames._lengths[:n]) / 1e6:,.1f} MB, dictionary {column.dictionary_size:,} bytes"
        )
        first: list[Doc] = []
        size = 0
        while size < max(s for _, _, s in SETTINGS) and len(first) < n:
            first.append(leaf.stored_fields(len(first)))
            size += len(_pickled(first[-1]))
        picks = sorted(random.Random(5).sample(range(n), min(args.sample, n)))
        sample = [leaf.stored_fields(i) for i in picks]
    finally:
        ix.close()
    scale = n / len(sample)

    def row(
        label: str, docs: Callable[[Doc], Doc], level: int, dict_size: int, train: int
    ) -> float:
        b, write, read = frames_bytes(
            [docs(d) for d in first], [docs(d) for d in sample], level, dict_size, train
        )
        print(
            f"  {label:42s} {b * scale / 1e6:9.1f} MB  write {write:6.1f} µs  read {read:5.1f} µs",
            flush=True,
        )
        return b * scale

    settings = (storedcol.LEVEL, storedcol.DICT_SIZE, storedcol.SAMPLE_BYTES)
    print(
        f"the sample of {len(sample):,} as the column writes it (level {settings[0]}, dictionary {settings[1] // 1024} KB on {settings[2] >> 20} MB), scaled:"
    )
    whole = row("all fields", lambda d: d, *settings)
    print("each field's bytes (the frames without it, less):")
    for name in sorted({k for d in sample for k in d}):
        without = row(
            f"without {name}",
            lambda d, name=name: {k: v for k, v in d.items() if k != name},
            *settings,
        )
        print(f"    -> {name}: {(whole - without) / 1e6:.1f} MB")
    if args.settings:
        print("other settings:")
        for level, dict_size, train in SETTINGS:
            row(
                f"level {level}, {dict_size // 1024} KB on {train >> 20} MB",
                lambda d: d,
                level,
                dict_size,
                train,
            )


if __name__ == "__main__":
    main()
