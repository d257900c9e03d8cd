"""A column written and read back the way a segment does, in memory (RamStorage)."""

from __future__ import annotations

from typing import Any

from whoosh.filedb.filestore import RamStorage


def written(values: dict[int, Any], doccount: int, column: Any) -> Any:
    """`column`'s reader over `doccount` documents after its writer took `values` (docnum →
    value, added in document order; the others are the column's default)."""
    storage = RamStorage()
    f = storage.create_file("col")
    writer = column.writer(f)
    for docnum in sorted(values):
        writer.add(docnum, values[docnum])
    writer.finish(doccount)
    length = f.tell()
    f.close()
    return column.reader(storage.open_file("col"), 0, length, doccount)
