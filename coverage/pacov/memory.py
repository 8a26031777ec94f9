"""How much memory a run may use, and giving back what a large layer no longer uses.

The figure available (``available``) is what the kernel says it could hand out without swapping
(MemAvailable), within this process's cgroup limit where there is one; ``PACOV_MEMORY_LIMIT``
(bytes, or e.g. ``200MB``, ``8GiB``) stands in for it, to keep pacov to a share of a shared machine.

Freed memory otherwise stays with the allocator that held it: Arrow's pool keeps the batches a
GeoParquet file was read in (1.4 GB for 62 M vertices), and glibc keeps the pages of the raw
geometries (1.7 GB) in the arena of the thread that built them, where the worker threads of the
next stage do not reuse them. Dask's workers trim the same way (its "unmanaged memory" advice).
"""

import ctypes
import ctypes.util
import os
import re
import sys
from pathlib import Path

from pacov.errors import PacovError

UNITS = {"": 1, "k": 10**3, "m": 10**6, "g": 10**9, "t": 10**12, "ki": 2**10, "mi": 2**20, "gi": 2**30, "ti": 2**40}


def _libc_trim():
    name = ctypes.util.find_library("c")
    trim = getattr(ctypes.CDLL(name), "malloc_trim", None) if name else None
    return (lambda: trim(0)) if trim else (lambda: None)  # glibc only; elsewhere nothing to do


release = _libc_trim()


def release_unused():
    """Return freed Arrow and C-heap memory to the system (the numbers computed are not touched)."""
    arrow = sys.modules.get("pyarrow")  # not imported: it holds nothing
    if arrow is not None:
        arrow.default_memory_pool().release_unused()
    release()


def available():
    """Bytes this run may use: PACOV_MEMORY_LIMIT when set, else the system's available memory."""
    limit = os.environ.get("PACOV_MEMORY_LIMIT", "").strip()
    if limit:
        return parse_size(limit, "PACOV_MEMORY_LIMIT")
    figures = [meminfo_available(), cgroup_room()]
    figures = [f for f in figures if f is not None]
    return min(figures) if figures else None


def parse_size(text, name):
    """Bytes of ``200MB``, ``8GiB``, ``1.5g`` or ``123456`` (k, M, G, T: powers of 1000; Ki, Mi…: of 1024)."""
    found = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]*)?)\s*([kmgt]i?)?b?\s*", text.lower())
    if not found:
        raise PacovError(f"{name}={text}: not a size; give bytes or a size such as 200MB or 8GB")
    return int(float(found[1]) * UNITS[found[2] or ""])


def meminfo_available():
    """MemAvailable from /proc/meminfo (Linux), else free physical pages; None where neither is known."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None


def cgroup_room():
    """What this process's cgroup (v2) still allows (a container's limit), or None without a limit."""
    try:
        limit = Path("/sys/fs/cgroup/memory.max").read_text().strip()
        if limit == "max":
            return None
        return int(limit) - int(Path("/sys/fs/cgroup/memory.current").read_text())
    except (OSError, ValueError):
        return None
