"""The same computation on a local 2-worker Dask cluster gives exactly the single-process answer."""

import pytest

from conftest import ranges, run_pacov, sites, square
from pacov.engine.analysis import analyse
from pacov.runner import SERIAL, Serial, Threads, runner_for, split, split_by_cost


def test_split_covers_everything_in_order():
    assert split(10, SERIAL) == [slice(0, 10)]
    assert split(10, SERIAL, size=4) == [slice(0, 3), slice(3, 6), slice(6, 10)]
    assert split(0, SERIAL) == [slice(0, 0)]
    assert Serial().map(lambda x, k: x * k, [1, 2], k=3) == [3, 6]


def test_threads_run_chunks_in_order_and_match_serial():
    threads = Threads(2)
    assert threads.map(lambda x, k: x * k, range(20), k=3) == [3 * x for x in range(20)]
    assert len(split(100, threads)) == 8  # four chunks per thread
    protected, rng_layer = world()
    one = analyse(protected, rng_layer).species
    two = analyse(protected, rng_layer, runner=Threads(2, progress=True)).species
    assert one.equals(two)


def test_split_by_cost_gives_a_costly_item_a_chunk_of_its_own():
    threads = Threads(2)
    threads.chunks_per_worker = 1  # 2 workers × 1 × 2: four chunks wanted, of 107 / 4 = 26.75 each
    costs = [1, 1, 1, 1, 100, 1, 1, 1]
    # middles 0.5 1.5 2.5 3.5 | 54 | 104.5 105.5 106.5: cuts at 26.75 and 53.5 fall before item 4, 80.25 after it
    assert split_by_cost(costs, threads) == [slice(0, 4), slice(4, 5), slice(5, 8)]
    assert split_by_cost([1.0] * 8, threads) == [slice(0, 2), slice(2, 4), slice(4, 6), slice(6, 8)]
    assert split_by_cost([0.0] * 8, threads) == split(8, threads)  # nothing to weigh: equal counts
    assert split_by_cost(costs, SERIAL) == [slice(0, 8)]
    # at most 4 items per chunk asks for two chunks even on one thread: total 107, one cut at 53.5
    assert split_by_cost(costs, SERIAL, size=4) == [slice(0, 4), slice(4, 8)]
    assert split_by_cost([0.0] * 8, SERIAL, size=4) == split(8, SERIAL, 4)


def world():
    import numpy as np

    rng = np.random.default_rng(5)
    protected = sites(
        [
            {
                "WDPAID": i + 1,
                "IUCN_CAT": ["Ia", "II", "IV"][i % 3],
                "STATUS_YR": 1950 + i,
                "geometry": square(*rng.uniform(0, 80, 2), rng.uniform(2, 15)),
            }
            for i in range(120)
        ]
    )
    rng_layer = ranges(
        [{"sci_name": f"S{k}", "geometry": square(*rng.uniform(0, 60, 2), rng.uniform(20, 50))} for k in range(6)]
    )
    return protected, rng_layer


def test_local_cluster_matches_single_process():
    pytest.importorskip("dask.distributed")
    protected, rng = world()
    single = analyse(protected, rng, crs="EPSG:6933")
    with runner_for(workers=2) as runner:
        assert runner.workers == 2
        parallel = analyse(protected, rng, crs="EPSG:6933", runner=runner)
        by_site = parallel.by_site
    assert parallel.species.equals(single.species)
    assert by_site.equals(single.by_site)


def world_files(tmp_path):
    protected, rng = world()
    protected.to_file(tmp_path / "pa.gpkg")
    rng.to_file(tmp_path / "r.gpkg")
    return ["coverage", "--protected", tmp_path / "pa.gpkg", "--ranges", tmp_path / "r.gpkg", "--format", "json"]


def test_cli_workers_flag_gives_identical_output(tmp_path):
    pytest.importorskip("dask.distributed")
    args = world_files(tmp_path)
    one, two = run_pacov(*args), run_pacov(*args, "--workers", "2")
    assert one.returncode == 0 and two.returncode == 0, two.stderr
    assert one.stdout == two.stdout
    bad = run_pacov(*args, "--scheduler", "tcp://127.0.0.1:9")
    assert bad.returncode == 1 and "cannot connect" in bad.stderr


def test_cli_runs_on_an_existing_cluster_over_tcp(tmp_path):
    """--scheduler: pacov connects over TCP and its chunks travel pickled to the cluster's workers; same answer."""
    distributed = pytest.importorskip("dask.distributed")
    args = world_files(tmp_path)
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, protocol="tcp://", host="127.0.0.1", dashboard_address=None
    ) as cluster:
        remote = run_pacov(*args, "--scheduler", cluster.scheduler_address)
        with distributed.Client(cluster) as client:
            totals = client.run_on_scheduler(lambda dask_scheduler: sorted(dask_scheduler.task_prefixes))
        # a breakdown by site needs the flattened sites: flattening runs on the cluster too
        by_category = run_pacov(*args, "--by", "IUCN_CAT", "--scheduler", cluster.scheduler_address)
        with distributed.Client(cluster) as client:
            breakdown = client.run_on_scheduler(lambda dask_scheduler: sorted(dask_scheduler.task_prefixes))
    assert {"project_chunk", "piece_union_areas"} <= set(totals) and "erase_chunk" not in totals
    assert "erase_chunk" in breakdown
    assert remote.returncode == 0 and by_category.returncode == 0, remote.stderr + by_category.stderr
    assert remote.stdout == run_pacov(*args).stdout
    assert by_category.stdout == run_pacov(*args, "--by", "IUCN_CAT").stdout
