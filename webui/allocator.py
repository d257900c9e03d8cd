"""The C allocator of a worker process: one malloc arena for all its threads, and the memory it
keeps handed back when the worker goes idle.

glibc gives each thread that allocates its own arena (up to 8 per core), and each arena keeps
the memory its requests freed for the next ones. A search at 220k articles allocates and frees
tens of MB of archive-sized arrays, so each of a worker's 8 threads came to hold its own such
working set: 50-80 MB of a worker's private memory sat in thread arenas. A worker runs one
search at a time (search/service.py), so the threads gain nothing from arenas of their own;
with one, the freed memory is reused by whichever thread searches next (measured at 220k, in
the commit that added this).

What the arena keeps free after a burst of searches (~90 MB at 220k articles) makes the next
searches faster (handing it back after every request cost ~5 ms of page faults per search), but
an idle worker has no use for it: `release_free_memory` gives it back to the system.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from typing import Any

M_ARENA_MAX = -8  # glibc's malloc.h


def _libc_function(name: str) -> Any:
    """glibc's function `name`, or None (another C library, or none found)."""
    lib = ctypes.util.find_library("c")
    if lib is None:
        return None
    try:
        return getattr(ctypes.CDLL(lib), name)
    except (OSError, AttributeError):
        return None


def limit_malloc_arenas(arenas: int = 1) -> bool:
    """Let the threads started from now on share `arenas` malloc arenas; False where the C
    library is not glibc (no mallopt, or it refused)."""
    mallopt = _libc_function("mallopt")
    if mallopt is None:
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    return bool(mallopt(M_ARENA_MAX, arenas))


def release_free_memory() -> bool:
    """Give the memory malloc keeps free back to the system (glibc's malloc_trim); whether any
    was given back."""
    trim = _libc_function("malloc_trim")
    if trim is None:
        return False
    trim.argtypes = (ctypes.c_size_t,)
    trim.restype = ctypes.c_int
    return bool(trim(0))
