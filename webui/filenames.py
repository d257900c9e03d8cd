"""Download file names that say what they hold: `telusur-banjir-2026-12-05.csv`."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

MAX_SLUG = 40  # characters of the query kept in a name


def slug(text: str) -> str:
    """`text` in safe characters only: lowercase ASCII letters, digits and single hyphens
    (accents dropped, anything else a hyphen), at most MAX_SLUG characters."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return words[:MAX_SLUG].rstrip("-")


def download_name(q: str, day: date, ext: str) -> str:
    """`telusur-<query>-<day>.<ext>`; a query with no safe character leaves only the date."""
    parts = ["telusur", slug(q), day.isoformat()]
    return "-".join(p for p in parts if p) + "." + ext
