"""Compiled copies of the tagger's pure-Python modules, used only while they match their source.

Tagging is about half of a rebuild's CPU, and nearly all of it is plain Python: the entity
rules (merge, refine, titles, ...), the tokenizer, the tagger's word lookups. Cython compiles
these modules unchanged (no type declarations: the same objects and the same results, with
less interpreter overhead per call), which takes about a fifth off tagging.

    python -c "from indexer.compiled import main; main()"  # build what is missing or stale

(`make install` runs it.)

The extensions go to .compiled/ at the repository's root with a manifest of each source's
SHA-256. `install()` (run when `indexer` is imported) puts a finder first on sys.meta_path that
loads a module's extension only if its source still has that hash: an edited module runs as
source until the next build, so a stale copy never hides an edit. Without a build, or with
TELUSUR_NO_COMPILED=1 set (to profile the Python code, or to compare), everything runs as
source.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import tempfile
from importlib.abc import MetaPathFinder
from importlib.machinery import EXTENSION_SUFFIXES, ExtensionFileLoader, ModuleSpec
from importlib.util import spec_from_file_location
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BUILD_DIR = ROOT / ".compiled"
MANIFEST = "manifest.json"
DISABLE_ENV = "TELUSUR_NO_COMPILED"
# The modules a rebuild worker's Python runs through, but those of index_format (its own
# package; search imports it without indexer). Not regions.py, clusters.py and
# common_acronyms.py: they find their files by __file__, which would name .compiled/.
MODULES = (
    # A worker's extract and to_document (not outlets.py: it finds its file by __file__)
    *("indexer.boilerplate", "indexer.date_choice", "indexer.date_evidence", "indexer.dates"),
    *("indexer.document", "indexer.extract", "indexer.prepare"),
    "indexer.entities",
    *(
        f"indexer.ner.{name}"
        for name in (
            *("aliases", "body_run_on", "cut_names", "defined_acronyms", "features", "glued"),
            *("lexicon", "merge", "not_bodies", "refine", "regional_bodies", "scoring"),
            *("spans", "tagger", "titles", "tokenize", "truecase", "type_cues"),
        )
    ),
)


def source_path(module: str, root: Path = ROOT) -> Path:
    return root.joinpath(*module.split(".")).with_suffix(".py")


def source_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class CompiledFinder(MetaPathFinder):
    """Finds the built extension of a listed module whose source is unchanged since the build."""

    def __init__(self, build_dir: Path, root: Path = ROOT) -> None:
        self.build_dir, self.root = build_dir, root
        try:
            manifest = json.loads((build_dir / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            manifest = {}
        # Only extensions this interpreter can load (a build for another Python is ignored).
        self.built: dict[str, dict[str, str]] = {
            name: entry
            for name, entry in manifest.get("modules", {}).items()
            if any(entry["file"].endswith(suffix) for suffix in EXTENSION_SUFFIXES)
        }

    def find_spec(
        self, fullname: str, path: Any = None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        entry = self.built.get(fullname)
        if entry is None:
            return None
        try:
            fresh = source_hash(source_path(fullname, self.root)) == entry["sha256"]
        except OSError:
            return None
        if not fresh:
            return None  # edited since the build: the source runs
        so = self.build_dir / entry["file"]
        if not so.is_file():
            return None
        return spec_from_file_location(fullname, so, loader=ExtensionFileLoader(fullname, str(so)))


def install() -> None:
    """Put the finder first on sys.meta_path (once), unless TELUSUR_NO_COMPILED is set."""
    if os.environ.get(DISABLE_ENV) or any(isinstance(f, CompiledFinder) for f in sys.meta_path):
        return
    finder = CompiledFinder(BUILD_DIR)
    if finder.built:
        sys.meta_path.insert(0, finder)


def build(modules: tuple[str, ...] = MODULES, build_dir: Path = BUILD_DIR, jobs: int = 2) -> int:
    """Compile the modules whose extension is missing or stale; return how many were built."""
    from Cython.Build import cythonize
    from setuptools import setup  # type: ignore[import-untyped]

    build_dir.mkdir(exist_ok=True)
    old = CompiledFinder(build_dir).built
    hashes = {m: source_hash(source_path(m)) for m in modules}
    todo = [
        m
        for m in modules
        if old.get(m, {}).get("sha256") != hashes[m] or not (build_dir / old[m]["file"]).is_file()
    ]
    if todo:
        with tempfile.TemporaryDirectory(prefix="telusur-cython-") as tmp:
            extensions = cythonize(
                [str(source_path(m)) for m in todo],
                build_dir=f"{tmp}/c",
                nthreads=jobs,
                quiet=True,
                # Python semantics throughout: annotations are not C types.
                compiler_directives={"language_level": 3, "annotation_typing": False},
            )
            cwd = Path.cwd()
            os.chdir(tmp)  # (not the repository: setup() would read its pyproject.toml)
            try:
                setup(
                    name="telusur-compiled",
                    ext_modules=extensions,
                    script_args=["-q", "build_ext", f"-j{jobs}", "-b", f"{tmp}/lib", "-t", tmp],
                )
            finally:
                os.chdir(cwd)
            for m in todo:
                *package, name = m.split(".")
                built = next(Path(tmp, "lib", *package).glob(f"{name}.*"))
                file = m + built.name[len(name) :]  # indexer.ner.merge.cpython-311-....so
                # (A new file renamed over the old: a running process keeps its mapped copy.)
                shutil.copyfile(built, build_dir / f"{file}.new")
                os.replace(build_dir / f"{file}.new", build_dir / file)
                old[m] = {"file": file, "sha256": hashes[m]}
    manifest = {"modules": {m: old[m] for m in modules if m in old}}
    (build_dir / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return len(todo)


def main() -> None:
    n = build()
    print(f"{n} of {len(MODULES)} modules compiled into {BUILD_DIR}")


if __name__ == "__main__":
    main()
