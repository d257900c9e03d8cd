"""The outlet registry: packaged data, lookups, and a user's extension file."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from indexer.outlets import KINDS, PACKAGED, RegistryError, load_registry


def test_packaged_registry_covers_the_kinds() -> None:
    registry = load_registry()
    publishers = [o for o in registry.outlets if not o.is_agency]
    assert len(publishers) >= 60
    kinds = Counter(o.kind for o in registry.outlets)
    assert set(kinds) == set(KINDS)
    assert all(o.domains for o in registry.outlets)


def test_no_spelling_names_two_outlets() -> None:
    seen: dict[str, str] = {}
    for outlet in load_registry().outlets:
        for spelling in {s.casefold() for s in outlet.spellings()}:
            assert seen.setdefault(spelling, outlet.name) == outlet.name, spelling


@pytest.mark.parametrize(
    "name",
    [
        "Kompas.com",
        "Okezone",
        "SINDOnews",
        "Tempo.co",
        "WowKeren",
        "Fimela",
        "KapanLagi.com",
        "Pos Metro Medan",
        "Tribunnews.com",
        "Kontan",
        "Intisari Online",
        "Mata Indonesia",
        "Maiwa News",
    ],
)
def test_canonical_names(name: str) -> None:
    registry = load_registry()
    assert registry.canonical(name) == name
    assert registry.canonical(name.upper()) == name


@pytest.mark.parametrize(
    ("alias", "expected"),
    [
        ("KONTAN.CO.ID", "Kontan"),
        ("kontan.co.id", "Kontan"),
        ("Intisari-Online.com", "Intisari Online"),
        ("MATA INDONESIA", "Mata Indonesia"),
        ("maiwanews", "Maiwa News"),
        ("TEMPO.CO", "Tempo.co"),
        ("  kompas.com ", "Kompas.com"),
        ("Harian  Lokal Baru", "Harian  Lokal Baru"),  # unknown: kept as given
    ],
)
def test_alias_to_canonical(alias: str, expected: str) -> None:
    assert load_registry().canonical(alias) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://regional.kompas.com/read/2019/09/10/x", "Kompas.com"),
        ("https://www.posmetro-medan.com/2019/09/x.html", "Pos Metro Medan"),
        ("http://makassar.tribunnews.com/2019/x", "Tribun Timur"),  # longest domain wins
        ("https://www.tribunnews.com/nasional/x", "Tribunnews.com"),
        ("intisari.grid.id/read/123", "Intisari Online"),
        ("https://example.org/x", None),
        ("not a url at all", None),
        ("http://[::1", None),
        ("", None),
    ],
)
def test_from_url(url: str, expected: str | None) -> None:
    found = load_registry().from_url(url)
    assert (found.name if found else None) == expected


def test_agencies_are_known_but_never_publishers() -> None:
    registry = load_registry()
    for name in ("Reuters", "AFP", "BBC", "Antara", "TASS"):
        outlet = registry.lookup(name)
        assert outlet is not None and outlet.is_agency
    assert registry.find_publisher("seperti dikutip Reuters dan AFP") is None


def test_user_file_extends_and_adds(tmp_path: Path) -> None:
    extra = tmp_path / "outlets.json"
    extra.write_text(
        json.dumps(
            {
                "outlets": [
                    {"name": "Kontan", "domains": ["kontan.id"], "aliases": ["KONTAN ONLINE"]},
                    {
                        "name": "Kabar Maluku",
                        "kind": "regional",
                        "domains": ["kabarmaluku.example"],
                        "aliases": ["KABARMALUKU.EXAMPLE"],
                    },
                ]
            }
        ),
        encoding="utf-8",
    )
    registry = load_registry(extra)
    assert len(registry) == len(load_registry()) + 1
    assert registry.canonical("KONTAN ONLINE") == "Kontan"
    assert registry.canonical("KONTAN.CO.ID") == "Kontan"  # packaged aliases kept
    found = registry.from_url("https://www.kontan.id/x")
    assert found is not None and found.name == "Kontan"
    assert registry.canonical("kabarmaluku.example") == "Kabar Maluku"
    # The packaged registry itself is unchanged.
    assert load_registry().canonical("KONTAN ONLINE") == "KONTAN ONLINE"


@pytest.mark.parametrize(
    "content",
    [
        "{not json",
        '{"outlets": 3}',
        '[{"domains": ["x.id"]}]',
        '[{"name": "X", "kind": "blog"}]',
        '[{"name": "X", "domains": [1, 2]}]',
    ],
)
def test_bad_user_file(tmp_path: Path, content: str) -> None:
    extra = tmp_path / "outlets.json"
    extra.write_text(content, encoding="utf-8")
    with pytest.raises(RegistryError):
        load_registry(extra)


def test_missing_user_file(tmp_path: Path) -> None:
    with pytest.raises(RegistryError):
        load_registry(tmp_path / "absent.json")


def test_packaged_file_is_inside_the_package() -> None:
    assert PACKAGED.is_file() and PACKAGED.parent.parent.name == "indexer"
