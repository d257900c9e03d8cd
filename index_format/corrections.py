"""The user's corrections of entity facet values: one file, written by `telusur entities
merge|rename|exclude|retype|report` and by the page's "report or correct" form, read by search.

The file is a log in JSON Lines, one correction a line, each with who made it, when and what:

    {"at": "2026-12-06T10:15:00+00:00", "by": "ana", "op": "merge", "name": "Ahok",
     "target": "Basuki Tjahaja Purnama", "facet": null}

Corrections apply in order at search time, to every generation, without a rebuild (search/
facets.py re-reads the file when it changes). `facet` null means every entity facet.
"""

from __future__ import annotations

import fcntl
import json
import os
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from index_format import facets
from index_format.errors import TelusurError

CORRECTIONS_NAME = "corrections.jsonl"  # in the index directory, unless settings say otherwise
# merge A into B, rename A to B, exclude A, retype A as a facet, report A (a note, not applied)
OPS = ("merge", "rename", "exclude", "retype", "report")
MAX_NAME = 200  # a facet value's length (index_format.schema.MAX_FACET_CHARS)


class CorrectionError(TelusurError):
    """A correction that cannot be applied as asked (status 400)."""

    status = 400
    code = "invalid_correction"


@dataclass(frozen=True)
class Correction:
    op: str
    name: str
    target: str | None = None  # merge/rename: the name it becomes; retype: the facet
    facet: str | None = None  # the entity facet it applies to (None: every entity facet)
    by: str = ""
    at: str = ""
    note: str = ""

    def check(self) -> Correction:
        """This correction, or CorrectionError saying what is wrong with it."""
        entity = facets.entity_names()
        name, target = " ".join(self.name.split()), " ".join((self.target or "").split())
        if self.op not in OPS:
            raise CorrectionError(
                f"unknown correction {self.op!r} (one of {', '.join(OPS)})",
                code="invalid_correction.op",
                params={"op": self.op, "choices": ", ".join(OPS)},
            )
        if not name or len(name) > MAX_NAME:
            raise CorrectionError(
                "a correction names a value of 1 to 200 characters",
                code="invalid_correction.name",
                params={"max": MAX_NAME},
            )
        if self.facet is not None and self.facet not in entity:
            raise CorrectionError(
                f"facet must be one of {', '.join(entity)}",
                code="invalid_correction.facet",
                params={"choices": ", ".join(entity)},
            )
        if self.op in ("merge", "rename") and (not target or len(target) > MAX_NAME):
            raise CorrectionError(
                f"{self.op} needs the name it becomes (1 to 200 characters)",
                code="invalid_correction.target",
                params={"max": MAX_NAME},
            )
        if self.op == "retype" and target not in entity:
            raise CorrectionError(
                f"retype needs the facet it belongs to: {', '.join(entity)}",
                code="invalid_correction.facet",
                params={"choices": ", ".join(entity)},
            )
        return Correction(self.op, name, target or None, self.facet, self.by, self.at, self.note)


def append_correction(path: Path, correction: Correction) -> Correction:
    """Check `correction`, stamp it with the time, and append it to the file at `path` (one
    line, under an exclusive lock: the CLI and the app may write at once)."""
    done = Correction(
        **{**asdict(correction.check()), "at": datetime.now(UTC).isoformat(timespec="seconds")}
    )
    line = json.dumps(asdict(done), ensure_ascii=False) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.write(fd, line.encode("utf-8"))
    finally:
        os.close(fd)
    return done


def read_corrections(path: Path | None) -> list[Correction]:
    """The corrections in the file, in order; a line that is not a valid correction is skipped
    (a hand edit gone wrong must not stop the search)."""
    if path is None:
        return []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (FileNotFoundError, NotADirectoryError):
        return []
    out = []
    fields = set(Correction.__dataclass_fields__)
    for line in lines:
        try:
            raw = json.loads(line)
            out.append(Correction(**{k: v for k, v in raw.items() if k in fields}).check())
        except (ValueError, TypeError, AttributeError, CorrectionError):
            continue
    return out


def file_state(path: Path | None) -> tuple[int, int] | None:
    """What changes when the file does: (mtime_ns, size); None when there is no file."""
    if path is None:
        return None
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size
