"""webui.allocator: a worker's threads share one malloc arena (glibc), where by default each
thread that allocates gets its own."""

from __future__ import annotations

import ctypes.util
import platform
import subprocess
import sys

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.skipif(
    platform.system() != "Linux" or platform.libc_ver()[0] != "glibc",
    reason="malloc arenas are glibc's",
)

# Threads that each allocate (numpy arrays, as a search does), then the arenas glibc reports.
SCRIPT = """
import ctypes, ctypes.util, sys, tempfile, threading
import numpy as np
from webui.allocator import limit_malloc_arenas
if sys.argv[1] == "limited":
    assert limit_malloc_arenas(1)
def work():
    kept = [np.ones(1000 + i) for i in range(200)]
    del kept
threads = [threading.Thread(target=work) for _ in range(8)]
for t in threads:
    t.start()
for t in threads:
    t.join()
libc = ctypes.CDLL(ctypes.util.find_library("c"))
libc.fopen.restype = ctypes.c_void_p
libc.fopen.argtypes = (ctypes.c_char_p, ctypes.c_char_p)
libc.malloc_info.argtypes = (ctypes.c_int, ctypes.c_void_p)
libc.fclose.argtypes = (ctypes.c_void_p,)
with tempfile.NamedTemporaryFile() as f:
    fp = libc.fopen(f.name.encode(), b"w")
    libc.malloc_info(0, fp)
    libc.fclose(fp)
    print(open(f.name).read().count("<heap nr="))
"""


def _arenas(mode: str) -> int:
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT, mode],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(REPO), "PATH": ""},
    )
    return int(out.stdout.strip())


def test_threads_share_one_arena_once_limited() -> None:
    assert ctypes.util.find_library("c")
    assert _arenas("default") > 1  # glibc's own behaviour, which the limit changes
    assert _arenas("limited") == 1


# 200 MB in 100 KB blocks (below malloc's mmap threshold: from the heap), freed but the last,
# which keeps the heap's top in use so that free() cannot shrink it; then the private memory
# before and after handing what is free back.
RELEASE = """
import ctypes, ctypes.util
from webui.allocator import release_free_memory
libc = ctypes.CDLL(ctypes.util.find_library("c"))
libc.malloc.restype = ctypes.c_void_p
libc.malloc.argtypes = (ctypes.c_size_t,)
libc.free.argtypes = (ctypes.c_void_p,)
libc.memset.argtypes = (ctypes.c_void_p, ctypes.c_int, ctypes.c_size_t)
def anon_mb():
    for line in open("/proc/self/status"):
        if line.startswith("RssAnon:"):
            return int(line.split()[1]) // 1024
blocks = [libc.malloc(100_000) for _ in range(2000)]
for b in blocks:
    libc.memset(b, 1, 100_000)
for b in blocks[:-1]:
    libc.free(b)
before = anon_mb()
released = release_free_memory()
print(before, anon_mb(), released)
"""


def test_free_memory_is_handed_back() -> None:
    out = subprocess.run(
        [sys.executable, "-c", RELEASE],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(REPO), "PATH": ""},
    )
    before, after, released = out.stdout.split()
    assert released == "True"
    assert int(before) - int(after) > 150  # of the ~200 MB freed
