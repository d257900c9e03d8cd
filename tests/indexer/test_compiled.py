"""The tagger's compiled modules (indexer/compiled.py): used only while current, same entities."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

import pytest

from indexer import compiled
from indexer.compiled import MANIFEST, CompiledFinder, source_hash

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "sample_archive" / "nasional.jsonl"


def _tree(tmp_path: Path, source: str = "X = 1\n") -> tuple[Path, Path, Path]:
    """A package `pkg.mod` under tmp_path and a build of it beside it (any bytes: never
    loaded), with its manifest."""
    (tmp_path / "pkg").mkdir()
    src = tmp_path / "pkg" / "mod.py"
    src.write_text(source, encoding="utf-8")
    so = Path("pkg", f"mod.compiled{EXTENSION_SUFFIXES[0]}")
    (tmp_path / so).write_bytes(b"built")
    manifest = tmp_path / MANIFEST.name
    entry = {"file": str(so), "sha256": source_hash(src)}
    manifest.write_text(json.dumps({"modules": {"pkg.mod": entry}}), encoding="utf-8")
    return manifest, tmp_path / so, src


def test_a_current_build_is_found(tmp_path: Path) -> None:
    manifest, so, _ = _tree(tmp_path)
    spec = CompiledFinder(manifest, tmp_path).find_spec("pkg.mod")
    assert spec is not None and spec.origin == str(so)
    assert CompiledFinder(manifest, tmp_path).find_spec("pkg.other") is None


def test_an_edited_source_runs_as_source(tmp_path: Path) -> None:
    manifest, _, src = _tree(tmp_path)
    src.write_text("X = 2\n", encoding="utf-8")
    assert CompiledFinder(manifest, tmp_path).find_spec("pkg.mod") is None


def test_a_missing_or_foreign_extension_is_ignored(tmp_path: Path) -> None:
    manifest, so, _ = _tree(tmp_path)
    so.unlink()
    assert CompiledFinder(manifest, tmp_path).find_spec("pkg.mod") is None
    entries = json.loads(manifest.read_text(encoding="utf-8"))
    entries["modules"]["pkg.mod"]["file"] = "pkg/mod.compiled.cp27-win32.pyd"
    manifest.write_text(json.dumps(entries), encoding="utf-8")
    (tmp_path / "pkg" / "mod.compiled.cp27-win32.pyd").write_bytes(b"built")
    assert CompiledFinder(manifest, tmp_path).find_spec("pkg.mod") is None


_ENTITIES = """
import json, sys
import indexer.ner.merge
from indexer.entities import extract_entities_many
rows = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8")]
texts = [f"{r['title']}\\n\\n{r['body']}" for r in rows]
print(json.dumps([indexer.ner.merge.__file__, [
    [[e.text, e.label, e.start, e.end, e.canonical, e.namesake] for e in ents]
    for ents in extract_entities_many(texts)
]]))
"""


def _entities(env: dict[str, str]) -> tuple[str, list[object]]:
    out = subprocess.run(
        [sys.executable, "-c", _ENTITIES, str(SAMPLE)],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    where, rows = json.loads(out)
    return where, rows


def test_the_build_tags_as_the_source_does() -> None:
    """`make install` builds the modules; compiled, they find the same entities."""
    assert MANIFEST.is_file(), "no build: run make install"
    env = {k: v for k, v in os.environ.items() if k != compiled.DISABLE_ENV}
    where, built = _entities(env)
    source_where, source = _entities({**env, compiled.DISABLE_ENV: "1"})
    assert Path(where).name.startswith("merge.compiled.")
    assert source_where.endswith("merge.py")
    assert sum(map(len, source)) > 50  # (the sample names people, bodies and places)
    assert built == source


@pytest.mark.parametrize("module", compiled.MODULES)
def test_every_listed_module_is_built(module: str) -> None:
    """`make install` built every listed module, and each is what its import loads."""
    entry = CompiledFinder().built.get(module)
    assert entry is not None and (compiled.ROOT / entry["file"]).is_file(), "run make install"
    spec = CompiledFinder().find_spec(module)
    assert spec is not None, f"{module} changed since the build: run make install"
    assert spec.origin == str(compiled.ROOT / entry["file"])
