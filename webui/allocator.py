"""The C allocator of a worker process: one malloc arena for all its threads.

glibc gives each thread that allocates its own arena (up to 8 per core), and each arena keeps
the memory its requests freed for the next ones. A search at 220k articles allocates and frees
tens of MB of archive-sized arrays, so each of a worker's 8 threads came to hold its own such
working set: 50-80 MB of a worker's private memory sat in thread arenas. A worker runs one
search at a time (search/service.py), so the threads gain nothing from arenas of their own;
with one, the freed memory is reused by whichever thread searches next (measured at 220k, in
the commit that added this).
"""

from __future__ import annotations

import ctypes
import ctypes.util

M_ARENA_MAX = -8  # glibc's malloc.h


def limit_malloc_arenas(arenas: int = 1) -> bool:
    """Let the threads started from now on share `arenas` malloc arenas; False where the C
    library is not glibc (no mallopt, or it refused)."""
    name = ctypes.util.find_library("c")
    if name is None:
        return False
    try:
        mallopt = ctypes.CDLL(name).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    return bool(mallopt(M_ARENA_MAX, arenas))
