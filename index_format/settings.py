"""Telusur's settings: declared once with their help text, overridable by environment variables.

Only `Settings.from_env()` reads the environment; everything else gets a Settings passed in.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from pathlib import Path

from index_format.corrections import CORRECTIONS_NAME


@dataclass(frozen=True)
class Settings:
    index_dir: Path = Path("index_data")
    """Where the index lives (TELUSUR_INDEX_DIR)."""
    outlets_file: Path | None = None
    """Extra outlet registry entries, merged over the built-in ones (TELUSUR_OUTLETS_FILE)."""
    aliases_file: Path | None = None
    """Extra entity aliases, merged over the built-in ones (TELUSUR_ALIASES_FILE)."""
    synonyms_file: Path | None = None
    """Extra query-time abbreviations and synonyms (TELUSUR_SYNONYMS_FILE)."""
    stem_exceptions_file: Path | None = None
    """Extra words Sastrawi must not stem, or must stem differently (TELUSUR_STEM_EXCEPTIONS_FILE)."""
    cors_origins: tuple[str, ...] = ()
    """Web origins whose pages may call the API from a browser, comma-separated
    (TELUSUR_CORS_ORIGINS, e.g. https://newsroom.example). None by default."""
    corrections_file: Path | None = None
    """The user's corrections of entity facet values, applied at search time
    (TELUSUR_CORRECTIONS_FILE; default INDEX_DIR/corrections.jsonl)."""
    allow_corrections: bool = False
    """Whether the search page may write corrections (TELUSUR_ALLOW_CORRECTIONS=1); off: the
    app is read-only."""

    @property
    def corrections_path(self) -> Path:
        """Where corrections are read and written."""
        return self.corrections_file or self.index_dir / CORRECTIONS_NAME

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides: object) -> Settings:
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for f in fields(cls):
            raw = env.get(f"TELUSUR_{f.name.upper()}")
            if raw and f.type in (bool, "bool"):
                values[f.name] = raw.strip().lower() in ("1", "true", "yes", "on")
            elif raw:
                values[f.name] = _parse(f.name, raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]


def _parse(name: str, raw: str) -> object:
    """An environment variable's text as the setting's type."""
    if name == "cors_origins":
        return tuple(o.strip().rstrip("/") for o in raw.split(",") if o.strip())
    return Path(raw)
