"""Compiled copies of the rebuild's pure-Python modules, used only while they match their source.

Most of a rebuild's CPU is plain Python: the entity rules (merge, refine, titles, ...), the
tokenizer and the tagger's word lookups, extraction, the analysis and the pool. Cython compiles
these modules unchanged (no type declarations: the same objects and the same results, with
less interpreter overhead per call).

    python -c "from indexer.compiled import main; main()"  # build what is missing or stale

(`make install` runs it.) Each extension goes beside its source under a name no import looks
for (merge.py → merge.compiled.cpython-311-x86_64-linux-gnu.so, so its __file__ still finds
the package's data files), and .compiled.json at the repository's root records each source's
SHA-256. `install()` (run when `indexer` is imported) puts a finder first on sys.meta_path
that loads a module's extension only if its source still has that hash: an edited module
runs as source until the next build, so a stale copy never hides an edit. Without a build, or
with TELUSUR_NO_COMPILED=1 set (to profile the Python code, or to compare), all runs as source.
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
MANIFEST = ROOT / ".compiled.json"
# An extension sits beside its source (so its __file__ finds the package's data files) under
# a name no import looks for: merge.py → merge.compiled.cpython-311-x86_64-linux-gnu.so.
TAG = ".compiled"
DISABLE_ENV = "TELUSUR_NO_COMPILED"
# The pure-Python modules a rebuild runs through: tagging, extract, the worker's writing.
# (index_format's too: search, which never imports indexer, runs them as source.)
MODULES = (
    *("indexer.boilerplate", "indexer.date_choice", "indexer.date_evidence", "indexer.dates"),
    *("indexer.document", "indexer.entities", "indexer.extract", "indexer.outlets"),
    *("indexer.pipeline", "indexer.prepare", "indexer.syndication"),
    *(
        f"indexer.ner.{name}"
        for name in (
            *("aliases", "body_run_on", "cut_names", "defined_acronyms", "features", "glued"),
            *("lexicon", "merge", "not_bodies", "refine", "regional_bodies", "regions"),
            *("scoring", "spans", "tagger", "titles", "tokenize", "truecase", "type_cues"),
        )
    ),
    *("index_format.analysis", "index_format.field_lengths", "index_format.names"),
    *("index_format.pool", "index_format.schema", "index_format.stemmer", "index_format.stories"),
    *(
        f"index_format.codec.{name}"
        for name in ("packed", "postings", "storedcol", "termdict", "varints")
    ),
)


def source_path(module: str, root: Path = ROOT) -> Path:
    return root.joinpath(*module.split(".")).with_suffix(".py")


def source_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class CompiledFinder(MetaPathFinder):
    """Finds the built extension of a listed module whose source is unchanged since the build."""

    def __init__(self, manifest: Path = MANIFEST, root: Path = ROOT) -> None:
        self.root = root
        try:
            entries = json.loads(manifest.read_text(encoding="utf-8"))["modules"]
        except (OSError, ValueError, KeyError):
            entries = {}
        # Only extensions this interpreter can load (a build for another Python is ignored).
        self.built: dict[str, dict[str, str]] = {
            name: entry
            for name, entry in entries.items()
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
        so = self.root / entry["file"]
        if not fresh or not so.is_file():
            return None  # edited since the build (or no build): the source runs
        return spec_from_file_location(fullname, so, loader=ExtensionFileLoader(fullname, str(so)))


def install() -> None:
    """Put the finder first on sys.meta_path (once), unless TELUSUR_NO_COMPILED is set."""
    if os.environ.get(DISABLE_ENV) or any(isinstance(f, CompiledFinder) for f in sys.meta_path):
        return
    finder = CompiledFinder()
    if finder.built:
        sys.meta_path.insert(0, finder)


def build(modules: tuple[str, ...] = MODULES, root: Path = ROOT, jobs: int = 2) -> int:
    """Compile the modules whose extension is missing or stale; return how many were built."""
    from Cython.Build import cythonize
    from setuptools import setup  # type: ignore[import-untyped]

    manifest = root / MANIFEST.name
    old = CompiledFinder(manifest, root).built
    hashes = {m: source_hash(source_path(m, root)) for m in modules}
    todo = [
        m
        for m in modules
        if old.get(m, {}).get("sha256") != hashes[m] or not (root / old[m]["file"]).is_file()
    ]
    if todo:
        with tempfile.TemporaryDirectory(prefix="telusur-cython-") as tmp:
            extensions = cythonize(
                [str(source_path(m, root)) for m in todo],
                build_dir=f"{tmp}/c",
                nthreads=jobs,
                quiet=True,
                # Python semantics throughout: annotations are not C types.
                compiler_directives={"language_level": 3, "annotation_typing": False},
            )
            for ext in extensions:  # (quiet: gcc warns of Cython's dead branches)
                ext.extra_compile_args += ["-Wno-array-bounds", "-Wno-unused-function"]
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
                file = Path(*package, name + TAG + built.name[len(name) :])
                # (A new file renamed over the old: a running process keeps its mapped copy.)
                shutil.copyfile(built, root / f"{file}.new")
                os.replace(root / f"{file}.new", root / file)
                old[m] = {"file": str(file), "sha256": hashes[m]}
    entries = {m: old[m] for m in modules if m in old}
    manifest.write_text(json.dumps({"modules": entries}, indent=1) + "\n", encoding="utf-8")
    return len(todo)


def main() -> None:
    n = build()
    print(f"{n} of {len(MODULES)} modules compiled (the others were current): {MANIFEST}")


if __name__ == "__main__":
    main()
