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
