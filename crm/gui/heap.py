"""The process's C heap: large blocks go back to the system when they are freed.

The contacts table's id list of a million contacts is a 4 MB block, made again
on a worker thread each time a search is cleared. glibc's allocator raised its
mmap threshold after the first such block was freed, then served the next ones
from per-thread arenas and kept what they freed: the app grew by ~4 MB with
each cleared search, to ~96 MB at a million contacts. With a fixed threshold
(1 MiB) such blocks are mapped and unmapped, and the worker threads share one
arena besides the main one. Only glibc is tuned; elsewhere this does nothing.
"""

from __future__ import annotations

import sys

# mallopt's parameters (glibc's malloc.h).
_M_MMAP_THRESHOLD = -3
_M_ARENA_MAX = -8
MMAP_THRESHOLD = 1 << 20
ARENA_MAX = 2

_done: list[bool] = []


def return_large_blocks() -> bool:
    """Tune glibc's allocator once (before the worker threads allocate); whether it took."""
    if _done:
        return _done[0]
    took = False
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            mallopt = ctypes.CDLL(None).mallopt
            took = bool(mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(
                mallopt(_M_ARENA_MAX, ARENA_MAX)
            )
        except (OSError, AttributeError):  # not glibc (musl has no such options)
            took = False
    _done.append(took)
    return took
