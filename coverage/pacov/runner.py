"""Run the heavy steps chunk by chunk, in this process or on a Dask cluster (below engine and cleaning, which both use it).

The work is cut into the same chunks either way and the results are put back in the same order, so a
run on a cluster gives exactly the answer of a run in one process. Scheduling is Dask's
(``dask.distributed``); this module only says what a chunk is.
"""

import logging
import os
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import numpy as np

from pacov.errors import PacovError


def progress_bar(items, func, total):
    """``items`` wrapped in a tqdm bar named after ``func`` (shown only where the CLI asked for one)."""
    from tqdm import tqdm

    return tqdm(items, desc=func.__name__.replace("_", " "), total=total, unit="chunk", leave=False)


class Serial:
    """Run every chunk here, one after the other (with a progress bar when asked for one)."""

    workers = 1

    def __init__(self, progress=False):
        self.progress = progress
        self.chunks_per_worker = 16 if progress else 1  # a bar needs steps; chunking never changes answers

    def map(self, func, items, **shared):
        items = list(items)
        if self.progress and len(items) > 1:
            items = progress_bar(items, func, len(items))
        return [func(item, **shared) for item in items]


SERIAL = Serial()


class Threads(Serial):
    """Run the chunks on a pool of threads in this process: GEOS releases the GIL, so they run in
    parallel with no pickling and no cluster to start (the default on a machine with several cores)."""

    def __init__(self, workers, progress=False):
        self.workers = workers
        self.progress = progress
        self.chunks_per_worker = 8 if progress else 4  # several per thread: chunks differ in cost

    def map(self, func, items, **shared):
        items = list(items)
        with ThreadPoolExecutor(self.workers) as pool:
            results = pool.map(lambda item: func(item, **shared), items)
            if self.progress and len(items) > 1:
                results = progress_bar(results, func, len(items))
            return list(results)


class DaskRunner:
    """Run chunks as Dask tasks, surviving the loss of a worker (its tasks are run again elsewhere).

    Large shared arguments are sent to each worker once. On worker processes or a remote cluster the
    chunks themselves go into the task graph, not scattered: data scattered to a worker dies with it,
    and the tasks that needed it would be cancelled, while a task in the graph can always be rerun
    (an out-of-core task's inputs are files in the work folder, its chunk a few paths and numbers).
    """

    chunks_per_worker = 4
    # A task whose worker died is rerun by the scheduler whatever this says; a retry is for a task that
    # raised, perhaps for a passing reason (a shared file system's hiccup): once, as a bad input raises again.
    retries = 1

    def __init__(self, client, progress=False, in_process=False):
        self.client = client
        self.progress = progress
        self.in_process = in_process  # the workers are threads of this process: nothing to survive
        self.workers = max(1, len(client.scheduler_info()["workers"]))

    def map(self, func, items, **shared):
        items = list(items)
        # scattered, not embedded in the task graph: the graph would be pickled even for in-process workers
        shared = {k: self.client.scatter(v, broadcast=True, hash=False) for k, v in shared.items()}
        if self.in_process:
            items = self.client.scatter(items, hash=False)
        futures = self.client.map(func, items, pure=False, retries=self.retries, **shared)
        if self.progress and len(futures) > 1:
            from dask.distributed import as_completed

            for _ in progress_bar(as_completed(futures), func, len(futures)):
                pass
        return self.client.gather(futures)


def split(n, runner, size=None):
    """Contiguous slices of ``range(n)``: of at most ``size`` items (to bound memory), and at least a
    few per worker on a cluster (to balance the load) or for a progress bar."""
    count = max(1, runner.workers * runner.chunks_per_worker)
    if size:
        count = max(count, -(-n // size))
    count = max(1, min(count, n))
    bounds = np.linspace(0, n, count + 1).astype(int)
    return [slice(a, b) for a, b in zip(bounds[:-1], bounds[1:])]


def split_by_cost(costs, runner, size=None):
    """Contiguous slices of ``range(len(costs))`` of about equal total cost, for work whose cost per item
    is known roughly and varies widely (one piece of a deep stack of sites can cost a thousand others).

    On several workers the estimates' error is absorbed by twice the chunks of :func:`split`; ``size``
    asks for at least as many chunks as :func:`split` would make of at most ``size`` items.
    """
    costs = np.asarray(costs, dtype=float)
    count = max(1, runner.workers * runner.chunks_per_worker * (2 if runner.workers > 1 else 1))
    count = max(count, -(-len(costs) // size)) if size else count
    total = costs.sum()
    if count == 1 or len(costs) <= count or not total > 0:
        return split(len(costs), runner, size)
    middle = np.cumsum(costs) - costs / 2  # each item goes to the chunk its middle falls in
    cuts = np.searchsorted(middle, total * np.arange(1, count) / count)
    bounds = np.unique(np.concatenate([[0], cuts, [len(costs)]]))
    return [slice(a, b) for a, b in zip(bounds[:-1], bounds[1:])]


@contextmanager
def runner_for(workers=None, scheduler=None, progress=False, processes=False):
    """Threads on this machine's cores, a local Dask cluster of ``workers``, or a client of ``scheduler``.

    ``processes``: the local cluster's workers are processes (for tasks that read their own files).
    """
    if not workers and not scheduler:
        cores = len(os.sched_getaffinity(0))
        yield Threads(cores, progress) if cores > 1 else Serial(progress)
        return
    quiet_dask()
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError as exc:
        raise PacovError("--workers/--scheduler need Dask: pip install 'pacov[scale]'") from exc
    if scheduler:
        try:
            client = Client(scheduler, timeout="10s")
        except OSError as exc:
            raise PacovError(f"--scheduler {scheduler}: cannot connect ({exc}); is the scheduler running?") from exc
        with client:
            yield DaskRunner(client, progress)
        return
    # in-process workers by default: GEOS releases the GIL, so threads run the chunks in parallel with no pickling
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=processes, dashboard_address=None) as cluster:
        with Client(cluster) as client:
            yield DaskRunner(client, progress, in_process=not processes)


def quiet_dask():
    """Dask's own log lines (a worker lost and restarted, its tasks rescheduled) are not for planners:
    errors only, here and, through the environment, in the worker processes started from here."""
    os.environ["DASK_LOGGING__DISTRIBUTED"] = "error"
    logging.getLogger("distributed").setLevel(logging.ERROR)
