"""A Dask worker killed with SIGKILL mid-run (as the OOM killer would) does not end the run: the lost
tasks are rerun from their files, and the output is byte for byte that of an undisturbed run."""

import signal

import pytest

from conftest import run_pacov
from scale_helpers import start_pacov, wait_for, write_layers

psutil = pytest.importorskip("psutil")
distributed = pytest.importorskip("dask.distributed")


def worker_processes(parent):
    """The Dask worker processes started (by their nannies) under ``parent``."""
    found = []
    for child in parent.children(recursive=True):
        try:
            line = " ".join(child.cmdline())
        except psutil.NoSuchProcess:
            continue
        spawned = "multiprocessing" in line and "resource_tracker" not in line
        if spawned or line.startswith("dask worker"):  # the title Dask sets where setproctitle is installed
            found.append(child)
    return found


def kill_one_worker_mid_run(run, work, parent):
    """SIGKILL one worker once the first staged file exists, while ``run`` still runs; its pid."""
    wait_for(work / "**" / "sites" / "*.parquet", run)
    victim = worker_processes(parent)[0]
    victim.send_signal(signal.SIGKILL)
    assert run.poll() is None, "the run ended before a worker could be killed"
    return victim.pid


@pytest.fixture(scope="module")
def undisturbed(tmp_path_factory):
    """The layers, and the output of a run left alone (threads: no cluster to start)."""
    args = write_layers(tmp_path_factory.mktemp("layers"))
    done = run_pacov(*args, "--out-of-core")
    assert done.returncode == 0, done.stderr
    return args, done.stdout


def test_a_killed_local_worker_leaves_the_answer_unchanged(undisturbed, tmp_path):
    args, expected = undisturbed
    work = tmp_path / "work"
    work.mkdir()
    run = start_pacov(*args, "--out-of-core", "--workers", "2", "--work-dir", work)
    killed = kill_one_worker_mid_run(run, work, psutil.Process(run.pid))
    out, err = run.communicate(timeout=240)
    assert run.returncode == 0, err
    assert out == expected
    assert not psutil.pid_exists(killed) or psutil.Process(killed).status() == psutil.STATUS_ZOMBIE
    assert "distributed" not in err and "Traceback" not in err  # Dask's log lines stay off the screen


def test_a_killed_worker_of_a_cluster_given_by_scheduler(undisturbed, tmp_path):
    args, expected = undisturbed
    work = tmp_path / "work"
    work.mkdir()
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    ) as cluster:
        run = start_pacov(*args, "--out-of-core", "--scheduler", cluster.scheduler_address, "--work-dir", work)
        kill_one_worker_mid_run(run, work, psutil.Process())
        out, err = run.communicate(timeout=240)
    assert run.returncode == 0, err
    assert out == expected
    assert "distributed" not in err and "Traceback" not in err
