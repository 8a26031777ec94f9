"""Log each stage of a run with its time (shown by ``--verbose``), without changing any result."""

import logging
import time
from contextlib import contextmanager

LOG = logging.getLogger("pacov")


@contextmanager
def stage(name):
    start = time.perf_counter()
    yield
    LOG.info("%-28s %7.2f s", name, time.perf_counter() - start)


@contextmanager
def quiet():
    """No stage logs inside (the chunks of an out-of-core step: one line per chunk would be noise)."""
    level = LOG.level
    LOG.setLevel(logging.WARNING)
    try:
        yield
    finally:
        LOG.setLevel(level)
