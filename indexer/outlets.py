"""The outlet registry: canonical names, domains and the spellings outlets use for themselves.

The packaged list lives in indexer/data/outlets.json; a user's file in the same format (the
`outlets_file` setting) is merged over it: an entry whose name or alias matches a packaged
entry extends (and, for `kind`, overrides) it, any other entry is added.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

PACKAGED = Path(__file__).parent / "data" / "outlets.json"
KINDS = ("national", "regional", "entertainment", "magazine", "agency")


class RegistryError(ValueError):
    """An outlet registry file that cannot be read or has the wrong shape."""


@dataclass(frozen=True)
class Outlet:
    name: str
    kind: str = "national"
    domains: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()

    @property
    def is_agency(self) -> bool:
        """Agencies (Reuters, AFP, Antara...) are quoted as sources; they never publish here."""
        return self.kind == "agency"

    def spellings(self) -> tuple[str, ...]:
        return (self.name, *self.aliases, *self.domains)


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


class OutletRegistry:
    """Look outlets up by name or alias, by URL, or find their spellings in text."""

    def __init__(self, outlets: Iterable[Outlet]) -> None:
        self.outlets: tuple[Outlet, ...] = tuple(outlets)
        self._by_spelling: dict[str, Outlet] = {}
        self._by_domain: dict[str, Outlet] = {}
        for outlet in self.outlets:
            for spelling in outlet.spellings():
                # First entry wins, so a user's entry (listed first after a merge) or the
                # more specific packaged entry keeps a shared spelling.
                self._by_spelling.setdefault(_norm(spelling), outlet)
            for domain in outlet.domains:
                self._by_domain.setdefault(domain.casefold().removeprefix("www."), outlet)
        publishers = sorted(
            {s for o in self.outlets if not o.is_agency for s in o.spellings()},
            key=len,
            reverse=True,
        )
        # One alternation of every publisher spelling, longest first so "Tempo.co" beats
        # "Tempo"; spaces match any whitespace, case is ignored.
        alternation = "|".join(r"\s+".join(map(re.escape, s.split())) for s in publishers)
        self.publisher_pattern = f"(?i:{alternation})" if alternation else "(?!)"
        self._publisher_re = re.compile(rf"(?<![\w.-])(?:{self.publisher_pattern})(?![\w-])")

    def __len__(self) -> int:
        return len(self.outlets)

    def lookup(self, name: str | None) -> Outlet | None:
        """The outlet one of whose names, aliases or domains is `name` (case-insensitive)."""
        if not name:
            return None
        key = _norm(name)
        found = self._by_spelling.get(key)
        if found is None and key.startswith("www."):
            found = self._by_spelling.get(key[4:])
        return found

    def canonical(self, name: str | None) -> str | None:
        """The canonical name for `name`, or `name` itself (stripped) when it is unknown."""
        if name is None or not name.strip():
            return None
        found = self.lookup(name)
        return found.name if found else name.strip()

    def from_url(self, url: str | None) -> Outlet | None:
        """The outlet whose domain is the URL's host or a parent of it (longest match wins)."""
        if not url or not url.strip():
            return None
        text = url.strip()
        if "://" not in text:
            text = "//" + text
        try:
            host = (urlsplit(text).hostname or "").casefold()
        except ValueError:
            return None
        host = host.removeprefix("www.")
        parts = host.split(".")
        for i in range(len(parts) - 1):
            found = self._by_domain.get(".".join(parts[i:]))
            if found is not None:
                return found
        return None

    def find_publisher(self, text: str) -> tuple[Outlet, re.Match[str]] | None:
        """The first publisher (non-agency) spelling that appears in `text` as a whole word."""
        m = self._publisher_re.search(text)
        if m is None:
            return None
        outlet = self.lookup(m.group(0))
        return (outlet, m) if outlet is not None else None


def _parse_entries(data: Any, origin: str) -> list[Outlet]:
    items = data.get("outlets") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise RegistryError(f"{origin}: expected a list of outlets or {{'outlets': [...]}}")
    out: list[Outlet] = []
    for i, item in enumerate(items):
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            raise RegistryError(f"{origin}: outlet #{i + 1} needs a 'name'")
        kind = item.get("kind", "national")
        if kind not in KINDS:
            raise RegistryError(f"{origin}: outlet {item['name']!r}: kind must be one of {KINDS}")

        def strings(key: str, item: dict[str, Any] = item) -> tuple[str, ...]:
            value = item.get(key, [])
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise RegistryError(f"{origin}: outlet {item['name']!r}: {key} must be strings")
            return tuple(v.strip() for v in value if v.strip())

        out.append(
            Outlet(
                name=item["name"].strip(),
                kind=kind,
                domains=tuple(d.casefold().removeprefix("www.") for d in strings("domains")),
                aliases=strings("aliases"),
            )
        )
    return out


def _read(path: Path) -> list[Outlet]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise RegistryError(f"cannot read outlet registry {path}: {e}") from e
    return _parse_entries(data, str(path))


def merge(base: list[Outlet], extra: list[Outlet]) -> list[Outlet]:
    """`extra` over `base`: matching entries (by name or alias) are extended, others added."""
    merged = list(base)
    for new in extra:
        keys = {_norm(s) for s in new.spellings()}
        for i, old in enumerate(merged):
            if keys & {_norm(s) for s in old.spellings()}:
                merged[i] = Outlet(
                    name=new.name,
                    kind=new.kind,
                    domains=tuple(dict.fromkeys((*new.domains, *old.domains))),
                    aliases=tuple(dict.fromkeys((*new.aliases, old.name, *old.aliases))),
                )
                # The user's entry goes first so its spellings win lookups.
                merged.insert(0, merged.pop(i))
                break
        else:
            merged.insert(0, new)
    return merged


@lru_cache(maxsize=1)
def _packaged() -> tuple[Outlet, ...]:
    return tuple(_read(PACKAGED))


def load_registry(extra: Path | None = None) -> OutletRegistry:
    """The packaged registry, with the entries of `extra` (a JSON file) merged over it.

    Raises RegistryError when `extra` cannot be read or has the wrong shape.
    """
    base = list(_packaged())
    if extra is None:
        return _default_registry()
    return OutletRegistry(merge(base, _read(Path(extra))))


@lru_cache(maxsize=1)
def _default_registry() -> OutletRegistry:
    return OutletRegistry(_packaged())
