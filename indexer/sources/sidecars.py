"""Metadata beside .txt files: NAME.json and the folder's manifest.csv, read within bounds; a
broken one is reported and its article still read."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from indexer.models import Skipped
from indexer.sources.bounded import csv_table, load_json
from indexer.sources.common import FIELDS, MANIFEST, MAX_SIDECAR_BYTES, Unreadable, display
from indexer.sources.files import link_out, open_regular, read_capped, refused_link

# -- metadata beside .txt files -------------------------------------------------------------


@dataclass
class ReadContext:
    """What every reader of one read_archive call shares."""

    roots: tuple[str, ...]
    follow_links: bool
    manifests: dict[Path, dict[str, dict[str, str | None]]] = field(default_factory=dict)

    def link_out(self, path: Path) -> str | None:
        return link_out(path, self.roots, self.follow_links)


def _manifest(folder: Path, ctx: ReadContext) -> Iterator[Skipped]:
    """Load folder/manifest.csv's rows into ctx once; report what could not be read."""
    if folder in ctx.manifests:
        return
    rows: dict[str, dict[str, str | None]] = {}
    ctx.manifests[folder] = rows
    path = folder / MANIFEST
    if not os.path.lexists(path):
        return
    source = display(path)
    if target := ctx.link_out(path):
        yield refused_link(path, target, "file")
        return
    try:
        with open_regular(path) as fh:
            _header, table = csv_table(fh, source)
            for _line, row in table:
                if isinstance(row, Skipped):
                    yield row
                elif name := (row.get("file") or "").strip():
                    rows[name] = {k: (v or None) for k, v in row.items() if k != "file"}
    except Unreadable as e:
        yield Skipped(source, None, f"manifest ignored: {e}")
    except OSError as e:
        yield Skipped(source, None, f"manifest ignored: cannot read: {e.strerror or e}")


def _sidecar_object(side: Path, ctx: ReadContext) -> dict[str, Any]:
    """The object in NAME.json; raises Unreadable saying why it cannot be used."""
    if target := ctx.link_out(side):
        raise Unreadable(f"symlink outside the archive ({display(target)})")
    try:
        with open_regular(side) as fh:
            data = read_capped(fh, MAX_SIDECAR_BYTES)
    except OSError as e:
        raise Unreadable(f"cannot read: {e.strerror or e}") from None
    obj = load_json(data)
    if not isinstance(obj, dict):
        raise Unreadable(f"expected a JSON object, got {type(obj).__name__}")
    return obj


def sidecar_of(txt: Path, ctx: ReadContext) -> tuple[dict[str, str | None], list[Skipped]]:
    """The metadata of `txt` from manifest.csv and NAME.json, and what could not be read."""
    problems = list(_manifest(txt.parent, ctx))
    meta = dict(ctx.manifests[txt.parent].get(txt.name, {}))
    side = txt.with_suffix(".json")
    if os.path.lexists(side):
        try:
            obj = _sidecar_object(side, ctx)
            meta.update({k: (None if v is None else str(v)) for k, v in obj.items()})
        except Unreadable as e:
            problems.append(Skipped(display(side), None, f"sidecar ignored: {e}"))
    return {k: v for k, v in meta.items() if k in FIELDS and v}, problems
