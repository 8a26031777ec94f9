"""Freed memory goes back to the system: measured as the process's resident size, not taken on trust."""

import ctypes.util

import numpy as np
import psutil
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from pacov.memory import release_unused


def rss():
    return psutil.Process().memory_info().rss


@pytest.mark.skipif(not ctypes.util.find_library("c"), reason="needs a C library with malloc_trim (glibc)")
def test_freed_heap_pages_are_returned():
    arrays = [np.ones(8000) for _ in range(10000)]  # 64 kB each: below glibc's mmap threshold, so on the heap
    keep = arrays[-1]  # the heap's top stays in use, so glibc cannot simply shrink it
    del arrays
    before = rss()
    release_unused()
    assert before - rss() > 300e6  # 640 MB freed but held; at least 300 MB of it back
    assert keep.sum() == 8000


def test_arrow_pool_is_emptied():
    base = pa.array(np.arange(8000))
    arrays = [pc.add(base, k) for k in range(10000)]  # 640 MB in Arrow's own pool (a GeoParquet's batches)
    del arrays
    before = rss()
    release_unused()
    assert before - rss() > 300e6
