"""How entity names are compared, by the tagger that writes facet values and by the search
that merges them across the archive."""

from __future__ import annotations

import re
from functools import lru_cache

_SPACES = re.compile(r"[\s\-‐–]+")


@lru_cache(maxsize=100_000)
def name_key(name: str) -> str:
    """How names are compared: case, runs of spaces and hyphen-vs-space do not matter."""
    return _SPACES.sub(" ", name).strip().casefold()
