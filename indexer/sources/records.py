"""A record from what a file gave: its fields cleaned, its id checked (valid Unicode, printable,
bounded, openable by URL; else a stable derived id), unencodable characters replaced, and each
repair noted."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

from indexer.models import RawRecord
from indexer.sources.common import DERIVED_ID_PREFIX, FIELDS, MAX_ARTICLE_BYTES, MAX_ID_BYTES

# -- records --------------------------------------------------------------------------------


def clean_fields(obj: dict[str, Any]) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for key in FIELDS:
        value = obj.get(key)
        out[key] = None if value is None else str(value)
    return out


def _doc_id(fields: dict[str, str | None], fallback: str) -> str:
    for key in ("id", "url"):
        value = (fields.get(key) or "").strip()
        if value:
            return value
    return fallback


def check_fields(fields: dict[str, str | None]) -> str | None:
    """Why a record cannot be indexed, or None."""
    if not (fields.get("title") or "").strip() and not (fields.get("body") or "").strip():
        return "no title and no body"
    size = sum(len(v) for v in fields.values() if v)
    if size > MAX_ARTICLE_BYTES:
        return f"article too large: {size:,} characters (limit {MAX_ARTICLE_BYTES:,})"
    return None


def _id_problem(doc_id: str) -> str | None:
    """Why `doc_id` cannot be an article's id (stored, shown, and opened at /articles/<id>)."""
    try:
        size = len(doc_id.encode("utf-8"))
    except UnicodeEncodeError:
        return "not valid Unicode"
    if size > MAX_ID_BYTES:
        return f"too long ({size:,} bytes; limit {MAX_ID_BYTES})"
    if not doc_id.isprintable():
        return "not printable"
    # A leading "/" makes "//" that the app redirects away; browsers resolve "." and ".."
    # segments before sending the URL.
    if doc_id.startswith("/") or any(seg in (".", "..") for seg in doc_id.split("/")):
        return "not openable by URL"
    return None


def derived_id(doc_id: str) -> str:
    """The stable id that replaces `doc_id` when it cannot be one: equal ids stay equal, so
    a later duplicate still wins and an update still replaces the record."""
    digest = hashlib.sha1(doc_id.encode("utf-8", "surrogatepass")).hexdigest()
    return DERIVED_ID_PREFIX + digest[:16]


def _preview(text: str, limit: int = 60) -> str:
    return repr(text[:limit]) + ("…" if len(text) > limit else "")


def _checked_id(doc_id: str) -> tuple[str, str | None]:
    """The id to use, and the repair note when `doc_id` had to be replaced."""
    problem = _id_problem(doc_id)
    if problem is None:
        return doc_id, None
    new = derived_id(doc_id)
    return new, f"id replaced: {problem} ({_preview(doc_id)}) → {new!r}"


_SURROGATE = re.compile("[\ud800-\udfff]")


def _repaired(values: dict[str, str | None]) -> tuple[dict[str, str | None], int, list[str]]:
    """`values` with lone surrogates (the only characters UTF-8 cannot encode) as U+FFFD, the
    number replaced, and the names of the fields that held them."""
    out: dict[str, str | None] = {}
    count = 0
    names: list[str] = []
    for key, value in values.items():
        if value and not value.isascii():
            value, n = _SURROGATE.subn("\ufffd", value)
            if n:
                count += n
                names.append(key)
        out[key] = value
    return out, count, names


def record_of(
    source: str,
    line: int | None,
    fields: dict[str, str | None],
    sidecar: dict[str, str | None],
    fallback_id: str,
) -> RawRecord:
    doc_id, id_note = _checked_id(_doc_id({**fields, **sidecar}, fallback_id))
    repairs = [id_note] if id_note else []
    fields, n_fields, in_fields = _repaired(fields)
    sidecar, n_side, in_side = _repaired(sidecar)
    if n := n_fields + n_side:
        where = ", ".join(dict.fromkeys(in_fields + [f"sidecar {k}" for k in in_side]))
        plural = "s" if n != 1 else ""
        repairs.append(f"{n} unencodable character{plural} replaced ({where})")
    return RawRecord(doc_id, source, line, fields, sidecar, tuple(repairs))


def relative_id(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.name
