"""--work-dir: a run killed part-way is picked up again; the rerun reuses every task that had finished,
says how many, and gives the output of an undisturbed run. Changed inputs reuse nothing."""

import os
import re
import signal

from conftest import run_pacov
from pacov.engine.work_folder import WorkFolder
from pacov.runner import SERIAL
from scale_helpers import start_pacov, wait_for, write_layers


def reused(stderr):
    """(tasks reused, tasks in all) from the note a rerun prints, or None."""
    found = re.search(r"reused (\d+) of (\d+) tasks", stderr)
    return (int(found[1]), int(found[2])) if found else None


def test_an_interrupted_run_resumes_from_its_finished_tasks(tmp_path):
    args = write_layers(tmp_path)
    undisturbed = run_pacov(*args, "--out-of-core")
    assert undisturbed.returncode == 0, undisturbed.stderr
    work = tmp_path / "work"
    work.mkdir()
    run = start_pacov(*args, "--work-dir", work)
    wait_for(work / "pacov-*" / "done" / "*.pickle", run)
    os.kill(run.pid, signal.SIGKILL)  # as a reboot or a lost driver would
    run.wait()
    assert run.returncode == -signal.SIGKILL, "the run ended before it could be interrupted"
    finished = len(list(work.glob("pacov-*/done/*.pickle")))  # more may have finished meanwhile
    rerun = run_pacov("-v", *args, "--work-dir", work)
    assert rerun.returncode == 0, rerun.stderr
    assert rerun.stdout == undisturbed.stdout
    count, total = reused(rerun.stderr)
    assert finished <= count < total  # every finished task, and not those that had not
    again = run_pacov(*args, "--work-dir", work)  # finished now: every task is reused
    assert again.stdout == undisturbed.stdout and reused(again.stderr) == (total, total)


def test_changed_inputs_reuse_nothing(tmp_path):
    args = write_layers(tmp_path, count=40, species=3)
    work = tmp_path / "work"
    work.mkdir()
    first = run_pacov(*args, "--work-dir", work)
    assert first.returncode == 0 and reused(first.stderr) is None, first.stderr
    sites = tmp_path / "sites.parquet"
    stat = sites.stat()
    os.utime(sites, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))  # touched: perhaps changed
    second = run_pacov(*args, "--work-dir", work)
    assert second.returncode == 0 and reused(second.stderr) is None, second.stderr
    assert second.stdout == first.stdout
    assert len(list(work.glob("pacov-*"))) == 2  # a folder per state of the inputs


def double(x):
    return 2 * x


def test_a_torn_record_is_run_again(tmp_path):
    """A record that cannot be read back (a full disk, a bad sector) is a task not yet finished."""
    source = tmp_path / "input.parquet"
    source.write_bytes(b"inputs")
    work = WorkFolder(tmp_path, [source], ("settings",))
    assert work.map(SERIAL, double, [1, 2]) == [2, 4] and work.note() is None
    record = sorted((work / "done").glob("double-*.pickle"))[0]
    record.write_bytes(record.read_bytes()[:3])
    again = WorkFolder(tmp_path, [source], ("settings",))
    assert again.path == work.path
    assert again.map(SERIAL, double, [1, 2]) == [2, 4]
    assert again.note() == f"reused 1 of 2 tasks from the work folder {work.path}"
