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

By default glibc still maps each block above a threshold (128 kB, raised to the largest block
freed so far) fresh from the kernel, and gives back free memory at the heap's top past twice
that threshold. At 2.2M articles a search's arrays are megabytes (a common word's postings,
8 MB; a mask of the archive, 2.2 MB), so each request touched new pages, a page fault at each
first touch: ~290 a request over the bench's mix, 7.8 ms of system time of the 49.9 ms of CPU a
request took. `keep_freed_memory` takes blocks up to 32 MB from the heap and keeps up to 256
MB of it free between requests: 12 page faults a request, 1.6 ms of system time, and 18 MB more
private memory after the mix (261 -> 279 MB), which an idle worker still hands back.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from typing import Any

M_ARENA_MAX = -8  # glibc's malloc.h
M_MMAP_THRESHOLD = -3
M_TRIM_THRESHOLD = -1
# Blocks below this come from the heap (glibc's largest: 4 * 1024 * 1024 * sizeof(long)) ...
MMAP_THRESHOLD = 32 << 20
# ... and this much of it may stay free at its top, kept for the next requests.
TRIM_THRESHOLD = 256 << 20


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


def keep_freed_memory(mmap_threshold: int = MMAP_THRESHOLD, trim: int = TRIM_THRESHOLD) -> bool:
    """Let malloc serve blocks below `mmap_threshold` bytes from its heap and keep up to `trim`
    bytes of it free for the next requests, instead of mapping big blocks fresh and handing
    freed memory back at once; False where the C library is not glibc."""
    mallopt = _libc_function("mallopt")
    if mallopt is None:
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    return bool(mallopt(M_MMAP_THRESHOLD, mmap_threshold)) and bool(mallopt(M_TRIM_THRESHOLD, trim))


def release_free_memory() -> bool:
    """Give the memory malloc keeps free back to the system (glibc's malloc_trim); whether any
    was given back."""
    trim = _libc_function("malloc_trim")
    if trim is None:
        return False
    trim.argtypes = (ctypes.c_size_t,)
    trim.restype = ctypes.c_int
    return bool(trim(0))
