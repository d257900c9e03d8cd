"""Whoosh's own test suite passes with PackedCodec as the default codec: ours is a Whoosh
codec for any use Whoosh makes of one (MpWriter, other scorers, every matcher), not only
for what our indexes do.

The suite ships in whoosh-reloaded's sdist (not in the wheel we install); it is downloaded
once with pip into .cache/whoosh-sdist/ (gitignored) and run in a subprocess, with its own
pytest configuration, by tests/whoosh_suite/packed_codec_plugin.py.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.conftest import REPO

WHOOSH = "whoosh-reloaded"
VERSION = "2.7.5"
# The sdist this check was written against (what PyPI serves for 2.7.5).
SDIST_SHA256 = "39ed7dfbd1fec97af33933107bdf78110728375ed0f2abb25dec6dbfdcb279d8"
CACHE = REPO / ".cache" / "whoosh-sdist"
PLUGIN = Path(__file__).resolve().parents[1] / "whoosh_suite"


def _sdist_tree() -> Path:
    """The unpacked sdist (the folder holding setup.cfg and tests/), fetched when absent."""
    tree = CACHE / f"Whoosh-Reloaded-{VERSION}"
    if (tree / "tests").is_dir():
        return tree
    archives = sorted(CACHE.glob(f"*-{VERSION}.tar.gz"))
    if not archives:
        CACHE.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=CACHE) as tmp:
            cmd = [sys.executable, "-m", "pip", "download", "--no-binary", ":all:", "--no-deps"]
            cmd += ["--disable-pip-version-check", "-q", f"{WHOOSH}=={VERSION}", "-d", tmp]
            try:
                done = subprocess.run(cmd, capture_output=True, text=True, timeout=180)
            except subprocess.TimeoutExpired:
                pytest.skip(f"Whoosh's test suite not run: `pip download {WHOOSH}` timed out")
            got = sorted(Path(tmp).glob(f"*-{VERSION}.tar.gz"))
            if done.returncode or not got:
                why = (done.stderr or done.stdout).strip().splitlines()[-3:]
                pytest.skip(
                    f"Whoosh's test suite not run: could not download the {WHOOSH}=={VERSION} "
                    f"sdist (no network?): pip said {' / '.join(why) or 'nothing'}"
                )
            os.replace(got[0], CACHE / got[0].name)
        archives = [CACHE / got[0].name]
    digest = hashlib.sha256(archives[0].read_bytes()).hexdigest()
    assert digest == SDIST_SHA256, f"{archives[0]} is not the {VERSION} sdist this checks"
    with tempfile.TemporaryDirectory(dir=CACHE) as tmp:
        shutil.unpack_archive(archives[0], tmp, filter="data")
        try:
            os.replace(Path(tmp) / tree.name, tree)  # whole or not at all
        except OSError:
            if not (tree / "tests").is_dir():  # (else another run unpacked it meanwhile)
                raise
    return tree


@pytest.mark.slow
def test_whoosh_suite_passes_with_packed_codec() -> None:
    installed = importlib.metadata.version(WHOOSH)
    assert installed == VERSION, (
        f"{WHOOSH} {installed} is installed; this runs {VERSION}'s tests (pyproject pins it)"
    )
    tree = _sdist_tree()
    env = dict(os.environ)
    # Our repository first: `indexer` from this checkout whatever the editable install says.
    env["PYTHONPATH"] = os.pathsep.join(
        [str(PLUGIN), str(REPO), *filter(None, [env.get("PYTHONPATH")])]
    )
    env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"  # our other pytest plugins are not its concern
    env.pop("PYTEST_ADDOPTS", None)  # options meant for our run (-k, -m) would deselect its tests
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    cmd = [sys.executable, "-m", "pytest", "tests", "-q", "-rfE", "-p", "packed_codec_plugin"]
    # Its own configuration (setup.cfg), never our pyproject's (filterwarnings = error).
    cmd += ["-p", "no:cacheprovider", "-c", "setup.cfg", "--rootdir", "."]
    # Its warnings are Whoosh's business, not the codec's: setup.cfg has a pep8ignore option
    # (PytestConfigWarning) and Whoosh's old code meets deprecations on newer Pythons.
    cmd += ["-W", "ignore::DeprecationWarning", "-W", "ignore::pytest.PytestConfigWarning"]
    done = subprocess.run(cmd, cwd=tree, env=env, capture_output=True, text=True, timeout=600)
    out = done.stdout + done.stderr
    failed = re.findall(r"^(?:FAILED|ERROR) (\S+)", out, re.MULTILINE)
    assert done.returncode == 0 and not failed, (
        f"Whoosh's suite with PackedCodec: {len(failed)} failed {failed}\n{out[-3000:]}"
    )
    made = re.search(r"^packed_codec_plugin: PackedCodec made (\d+) times", out, re.MULTILINE)
    assert made and int(made[1]) > 0, f"the plugin did not swap the codec:\n{out[-3000:]}"
