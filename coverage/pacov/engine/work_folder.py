"""The folder an out-of-core run stages its partitions in, and what lets an interrupted run resume.

Without ``--work-dir`` it is a temporary folder, removed at the end. With ``--work-dir DIR`` it is
``DIR/pacov-KEY``, kept: KEY digests pacov's version, each input file's path, size and modification
time, and every setting that shapes the tasks, so a rerun on the same inputs finds the same folder
and one on changed inputs starts a new one. Each finished task leaves a record (its result, written
atomically after its files), so a rerun skips the tasks that have one: their files are complete.
Tasks are deterministic, so a task killed half-way is simply run again over its own files.
"""

import hashlib
import pickle
import shutil
import tempfile
from functools import partial, update_wrapper
from pathlib import Path

from pacov import __version__
from pacov.atomic import atomic_path


class WorkFolder:
    """Where the tasks of one out-of-core run write; counts the tasks it could reuse."""

    def __init__(self, parent=None, inputs=(), settings=()):
        self.kept = parent is not None
        if self.kept:
            self.path = Path(parent) / f"pacov-{run_key(inputs, settings)}"
            self.path.mkdir(exist_ok=True)
        else:
            self.path = Path(tempfile.mkdtemp(prefix="pacov-"))
        self.reused = self.total = 0

    def __truediv__(self, name):
        return self.path / name

    def map(self, runner, func, tasks):
        """``runner.map(func, tasks)``, with each task's result read from its record where a run left one."""
        records = [self.path / "done" / f"{func.__name__}-{digest(task)}.pickle" for task in tasks]
        found = [read_record(r) if self.kept else None for r in records]
        results = [f[0] if f else None for f in found]
        todo = [k for k, f in enumerate(found) if f is None]
        self.total += len(tasks)
        self.reused += len(tasks) - len(todo)
        if todo:
            (self.path / "done").mkdir(exist_ok=True)
            task = update_wrapper(partial(recorded, func), func)  # named after func (progress bars, Dask's keys)
            done = runner.map(task, [(str(records[k]), tasks[k]) for k in todo])
            for k, result in zip(todo, done):
                results[k] = result
        return results

    def note(self):
        """What a rerun reused, for the user (None when nothing was)."""
        if self.reused:
            return f"reused {self.reused} of {self.total} tasks from the work folder {self.path}"
        return None

    def close(self):
        if not self.kept:
            shutil.rmtree(self.path, ignore_errors=True)


def run_key(inputs, settings):
    """A digest of pacov's version, the input files (path, size, mtime) and the run's settings."""
    files = [(str(Path(p).resolve()), Path(p).stat().st_size, Path(p).stat().st_mtime_ns) for p in inputs]
    return hashlib.sha256(repr((__version__, files, settings)).encode()).hexdigest()[:16]


def digest(task):
    """A task's identity: its arguments (paths, row groups, settings, partition numbers)."""
    return hashlib.sha256(pickle.dumps(task)).hexdigest()[:20]


def read_record(path):
    """(a finished task's result,), or None when the task has not finished (or its record is unreadable)."""
    try:
        return (pickle.loads(path.read_bytes()),)
    except (OSError, EOFError, pickle.UnpicklingError):
        return None


def recorded(func, item):
    """Run one task and leave its record (after its own files are written); its result (a task)."""
    record, task = item
    result = func(task)
    with atomic_path(record) as tmp:
        tmp.write_bytes(pickle.dumps(result))
    return result
