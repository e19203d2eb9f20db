"""Giving the C allocator's free memory back to the system, so a long video does not peak higher than a short one.

The pose pass allocates and frees several big buffers a frame, in the decoder's thread, the model's and the
people count's (the 960-px RGB, its square copy for MediaPipe, MediaPipe's own copy of it, the model's tensors).
glibc's malloc serves those from its heaps, not from fresh mappings, once a buffer that size has been freed (its
mmap threshold rises with the biggest freed block), and a heap is given back only from its top: the small blocks
that outlive a frame, between the big ones, pin the freed space, and the holes do not always fit the next frame's
buffers. The heaps' free space then grows with the number of frames: on the 4× clip (580 frames) from 15 MB to
70-95 MB while the memory in use stayed at about 195 MB, so the resident set rose by 35-60 MB over the video
(docs/PERFORMANCE.md "Peak memory against the clip's length"). ``malloc_trim`` hands every whole free page inside
the heaps back (the memory in use is not touched, nothing is moved), so the resident set stays at what is in use
plus what a few frames free.
"""

from __future__ import annotations

import ctypes
import functools
import sys
from collections.abc import Callable


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim``, or None where the C library has none (macOS, Windows, musl)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None)  # the symbols the process has loaded: its own C library
    except OSError:
        return None
    trim = getattr(libc, "malloc_trim", None)
    if trim is None:
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim


def release_free_memory() -> bool:
    """Give the allocator's free pages back to the system (``malloc_trim(0)``); False where there is no such call.

    Safe from any thread at any time (the allocator locks each heap in turn); it changes no allocated memory. Costs
    a few milliseconds (it walks every heap's free blocks) and, afterwards, a page fault for each page given back
    that is used again.
    """
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True
