"""Give memory freed by a big read back to the system, so the next step starts from the rows it
needs rather than from the high-water mark of the step before.

Reading a million rows makes and frees hundreds of arrays of a few MB. glibc's malloc keeps the
freed ones in its heap (it raises its mmap threshold after the first big free, so later arrays come
from the heap and fragment it), and Arrow's default memory pool (mimalloc, where pandas' ``string``
columns and Arrow's CSV reader allocate) keeps its pages for itself, for a time that depends on
the timing of its threads: at the end of a 1M-row coach CSV, 230 MB and 110 MB that nothing uses
any longer, on top of which the checks across files then allocate (the process's peak, which
varied by 60 MB from run to run).

:func:`malloc_pool` has :func:`analysis.read_logs` allocate Arrow's buffers with malloc while it
loads (as ``ARROW_DEFAULT_MEMORY_POOL=system`` would, for the load only; no slower: 2.2 s either
way), so one heap holds everything and :func:`release_freed` returns what is free of it with
``malloc_trim`` (glibc; elsewhere nothing to do) and Arrow's ``release_unused``. It costs a few
milliseconds, so readers call it after big steps only.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import functools
import sys
from collections.abc import Iterator

__all__ = ["BIG_ROWS", "malloc_pool", "release_freed"]

#: Rows from which a step is big enough to give its freed memory back.
BIG_ROWS = 100_000


@functools.cache
def _malloc_trim():
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim = libc.malloc_trim  # glibc only (musl has no malloc_trim)
    except (OSError, AttributeError):
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim


def release_freed(rows: int = BIG_ROWS) -> None:
    """Return memory freed so far to the system, after a step over ``rows`` rows (none when fewer
    than :data:`BIG_ROWS`: small reads keep their pools warm)."""
    if rows < BIG_ROWS:
        return
    try:
        import pyarrow as pa
    except ImportError:  # pandas without pyarrow: malloc alone
        pass
    else:
        pa.default_memory_pool().release_unused()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@contextlib.contextmanager
def malloc_pool() -> Iterator[None]:
    """Arrow's default memory pool set to malloc (the system pool) inside the block, then back to
    what it was. Buffers keep the pool that made them, so arrays made inside outlive the block."""
    try:
        import pyarrow as pa
    except ImportError:  # pandas without pyarrow: nothing of Arrow's to set
        yield
        return
    before = pa.default_memory_pool()
    if before.backend_name == "system":
        yield
        return
    pa.set_memory_pool(pa.system_memory_pool())
    try:
        yield
    finally:
        pa.set_memory_pool(before)
