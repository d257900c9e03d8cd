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
    """A package `pkg.mod` under tmp_path/root and a build of it (any bytes: never loaded)."""
    root, build = tmp_path / "root", tmp_path / "build"
    (root / "pkg").mkdir(parents=True)
    build.mkdir()
    src = root / "pkg" / "mod.py"
    src.write_text(source, encoding="utf-8")
    so = build / f"pkg.mod{EXTENSION_SUFFIXES[0]}"
    so.write_bytes(b"built")
    entry = {"file": so.name, "sha256": source_hash(src)}
    (build / MANIFEST).write_text(json.dumps({"modules": {"pkg.mod": entry}}), encoding="utf-8")
    return root, build, src


def test_a_current_build_is_found(tmp_path: Path) -> None:
    root, build, _ = _tree(tmp_path)
    spec = CompiledFinder(build, root).find_spec("pkg.mod")
    assert spec is not None and spec.origin == str(build / f"pkg.mod{EXTENSION_SUFFIXES[0]}")
    assert CompiledFinder(build, root).find_spec("pkg.other") is None


def test_an_edited_source_runs_as_source(tmp_path: Path) -> None:
    root, build, src = _tree(tmp_path)
    src.write_text("X = 2\n", encoding="utf-8")
    assert CompiledFinder(build, root).find_spec("pkg.mod") is None


def test_a_missing_or_foreign_extension_is_ignored(tmp_path: Path) -> None:
    root, build, _ = _tree(tmp_path)
    (build / f"pkg.mod{EXTENSION_SUFFIXES[0]}").unlink()
    assert CompiledFinder(build, root).find_spec("pkg.mod") is None
    manifest = json.loads((build / MANIFEST).read_text(encoding="utf-8"))
    manifest["modules"]["pkg.mod"]["file"] = "pkg.mod.cp27-win32.pyd"
    (build / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    (build / "pkg.mod.cp27-win32.pyd").write_bytes(b"built")
    assert CompiledFinder(build, root).find_spec("pkg.mod") is None


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
    assert (compiled.BUILD_DIR / MANIFEST).is_file(), "no build: run make install"
    env = {k: v for k, v in os.environ.items() if k != compiled.DISABLE_ENV}
    where, built = _entities(env)
    source_where, source = _entities({**env, compiled.DISABLE_ENV: "1"})
    assert Path(where).parent == compiled.BUILD_DIR
    assert source_where.endswith("merge.py")
    assert sum(map(len, source)) > 50  # (the sample names people, bodies and places)
    assert built == source


@pytest.mark.parametrize("module", compiled.MODULES)
def test_every_compiled_module_has_its_source(module: str) -> None:
    assert compiled.source_path(module).is_file()
