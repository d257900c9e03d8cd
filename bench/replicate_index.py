"""A quick scale proxy: an index of N copies of an existing one, without re-indexing.

    python -m bench.replicate_index SRC_INDEX_DIR DEST_INDEX_DIR --copies 10

Copies each segment file under a new segment id and lists all copies in one table of contents
(seconds, where a real rebuild of 220k articles takes an hour and more on this machine). The
copies keep their ids and dates, and the result has copies × segments segments, so searching it
is a pessimistic stand-in for a rebuilt index of that size (more segments, more per-query work).
`make bench` itself rebuilds the 10× archive for real; this is for profiling and quick looks.
"""

from __future__ import annotations

import argparse
import copy
import os
import shutil
from pathlib import Path

from whoosh import index
from whoosh.codec.base import Segment
from whoosh.filedb.compound import CompoundStorage
from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import StructFile
from whoosh.index import TOC

from indexer.build import swap_current


def _rename_inside(path: Path, old: str, new: str) -> None:
    """A compound segment file names its parts after the segment id: rewrite its directory."""
    with open(path, "r+b") as raw:
        f = StructFile(raw)
        diroffset = f.read_long()
        f.read_int()
        f.seek(diroffset)
        directory = f.read_pickle()
        options = f.read_pickle()
        renamed = {name.replace(old, new): entry for name, entry in directory.items()}
        f.seek(diroffset)
        raw.truncate(diroffset)
        CompoundStorage.write_dir(f, 0, renamed, options)


def replicate(src: Path, dest: Path, copies: int) -> int:
    ix = index.open_dir(os.path.realpath(src / "current"))
    toc = TOC.read(ix.storage, ix.indexname)
    gen_dir = dest / "gen-replicated"
    shutil.rmtree(dest, ignore_errors=True)
    gen_dir.mkdir(parents=True)
    segments = []
    for seg in toc.segments:
        for _ in range(copies):
            new = copy.copy(seg)
            new.segid = Segment._random_id()
            for name in os.listdir(ix.storage.folder):
                if seg.segid in name:
                    target = gen_dir / name.replace(seg.segid, new.segid)
                    shutil.copyfile(os.path.join(ix.storage.folder, name), target)
                    if name.endswith(".seg"):
                        _rename_inside(target, seg.segid, new.segid)
            segments.append(new)
    storage = FileStorage(str(gen_dir))
    TOC(toc.schema, segments, toc.generation).write(storage, ix.indexname)
    swap_current(dest, gen_dir)
    return sum(s.doc_count_all() for s in segments)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("src", type=Path)
    ap.add_argument("dest", type=Path)
    ap.add_argument("--copies", type=int, default=10)
    args = ap.parse_args()
    print(replicate(args.src, args.dest, args.copies))


if __name__ == "__main__":
    main()
