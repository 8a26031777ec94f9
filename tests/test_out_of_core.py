"""coverage --out-of-core: partition by partition, the same totals as shapely on the raw files."""

import json
import re

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
import shapely
import shapely.affinity

from conftest import ranges, run_pacov, sites, square
from pacov.engine import out_of_core
from pacov.errors import PacovError


def layers():
    """Overlapping, nested and near-duplicate squares (one Proposed), and two species of several parts."""
    rows = []
    for k in range(12):
        x, y = (k % 4) * 30, (k // 4) * 30
        rows.append({"WDPAID": 3 * k + 1, "geometry": square(x, y, 25)})
        rows.append({"WDPAID": 3 * k + 2, "geometry": square(x + 5, y + 5, 10)})  # nested
        rows.append({"WDPAID": 3 * k + 3, "geometry": square(x + 0.01, y + 0.02, 25), "STATUS": "Proposed"})
    rows.append({"WDPAID": 99, "geometry": square(10, 10, 60), "IUCN_CAT": "Ia"})  # over many partitions
    species = ranges(
        [
            {"sci_name": "Panthera uncia", "geometry": square(0, 0, 70)},
            {"sci_name": "Panthera uncia", "geometry": square(50, 50, 60)},  # overlaps its first part
            {"sci_name": "Ovis ammon", "geometry": square(20, 5, 90).difference(square(40, 20, 10))},
        ]
    )
    return sites(rows), species


def expected(protected, species):
    """Hectares from shapely on the raw layers (EPSG:6933 is equal-area: no projection)."""
    designated = shapely.union_all(protected[protected["STATUS"] != "Proposed"].geometry.to_numpy())
    out = {}
    for name, group in species.groupby("sci_name"):
        whole = shapely.union_all(group.geometry.to_numpy())
        out[name] = (whole.area / 1e4, whole.intersection(designated).area / 1e4)
    return out


@pytest.fixture
def files(tmp_path):
    protected, species = layers()
    protected.to_parquet(tmp_path / "sites.parquet", row_group_size=4)  # many row groups
    species.to_parquet(tmp_path / "ranges.parquet")  # one row group: split into chunk files first
    return tmp_path / "sites.parquet", tmp_path / "ranges.parquet", expected(protected, species)


def test_small_partitions_give_the_totals_of_shapely_on_the_raw_files(files, tmp_path):
    protected, species, truth = files
    assert pq.ParquetFile(protected).num_row_groups > 1 and pq.ParquetFile(species).num_row_groups == 1
    table, log = out_of_core.analyse(protected, species, rows=5, partition_vertices=60, work_dir=tmp_path)
    assert list(table["species"]) == sorted(truth)
    for row in table.itertuples():
        assert row.range_ha == pytest.approx(truth[row.species][0], rel=1e-12)
        assert row.protected_ha == pytest.approx(truth[row.species][1], rel=1e-9)
        assert row.protected_share == pytest.approx(truth[row.species][1] / truth[row.species][0], rel=1e-9)
    assert set(log.loc[log["step"] == "status", "WDPAID"]) == {3 * k + 3 for k in range(12)}
    assert len(list(tmp_path.glob("pacov-*"))) == 1  # the work folder is kept, for a rerun to reuse
    notes = []
    again, _ = out_of_core.analyse(protected, species, rows=5, partition_vertices=60, work_dir=tmp_path, notes=notes)
    assert again.equals(table)
    assert len(notes) == 1 and re.match(r"reused (\d+) of \1 tasks", notes[0])  # every task, unchanged inputs


def test_cli_out_of_core_equals_in_memory_and_dask_worker_processes(files, tmp_path):
    protected, species, truth = files
    args = ["coverage", "--protected", protected, "--ranges", species, "--format", "json"]
    memory = run_pacov(*args)
    partitioned = run_pacov("-v", *args, "--out-of-core", "--work-dir", tmp_path)
    assert memory.returncode == 0 and partitioned.returncode == 0, partitioned.stderr
    assert partitioned.stdout == memory.stdout
    got = {r["species"]: r["protected_ha"] for r in json.loads(partitioned.stdout)}
    assert got == pytest.approx({name: ha for name, (_, ha) in truth.items()}, rel=1e-6)
    stages = [line.split()[1] for line in partitioned.stderr.splitlines() if line.endswith(" s")]
    assert stages == ["clean", "prepare", "partition", "overlay"]  # -v: each step once, not once per chunk
    pytest.importorskip("dask.distributed")
    workers = run_pacov(*args, "--out-of-core", "--workers", "2")
    assert workers.returncode == 0, workers.stderr
    assert workers.stdout == partitioned.stdout


def test_species_filter_and_missing_species(files):
    protected, species, truth = files
    table, _ = out_of_core.analyse(protected, species, species=["ovis AMMON"])
    assert list(table["species"]) == ["Ovis ammon"]
    assert table["protected_ha"].iloc[0] == pytest.approx(truth["Ovis ammon"][1], rel=1e-9)
    with pytest.raises(PacovError, match="no species 'Uncia'"):
        out_of_core.analyse(protected, species, species=["Uncia"])


def test_bad_inputs_get_one_line(files, tmp_path):
    protected, species, _ = files
    layers()[0].to_file(tmp_path / "sites.geojson")
    base = ["coverage", "--ranges", species, "--out-of-core"]
    done = run_pacov(*base, "--protected", tmp_path / "sites.geojson")
    assert done.returncode == 1 and "not a GeoParquet file" in done.stderr and "ogr2ogr" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    done = run_pacov(*base, "--protected", protected, "--by", "IUCN_CAT")
    assert done.returncode == 2 and "leave out --by" in done.stderr
    done = run_pacov("coverage", "--protected", protected, "--ranges", species, "--work-dir", tmp_path, "--in-memory")
    assert done.returncode == 2 and "--in-memory goes with neither --out-of-core nor --work-dir" in done.stderr


def test_no_bbox_in_the_metadata_needs_crs(files, tmp_path):
    protected, species, truth = files
    table = pq.read_table(protected)
    geo = json.loads(table.schema.metadata[b"geo"])
    geo["columns"]["geometry"].pop("bbox", None)
    bare = tmp_path / "bare.parquet"
    pq.write_table(table.replace_schema_metadata({b"geo": json.dumps(geo).encode()}), bare)
    with pytest.raises(PacovError, match="no bbox in its GeoParquet metadata; give --crs"):
        out_of_core.analyse(bare, species)
    got, _ = out_of_core.analyse(bare, species, crs="EPSG:6933")
    assert got["protected_ha"].to_numpy() == pytest.approx([truth[s][1] for s in got["species"]], rel=1e-9)


def test_partition_cuts_a_hilbert_order_by_vertices():
    boxes = np.array([[x, y, x + 1, y + 1] for x in range(8) for y in range(8)], dtype=float)
    part, position = out_of_core.partition(boxes, np.full(64, 10), 160)
    assert np.bincount(part).tolist() == [16, 16, 16, 16]  # 160 vertices each
    for p in range(4):  # each partition is one compact quadrant of the grid (Hilbert order)
        members = boxes[part == p]
        assert np.ptp(members[:, 0]) == 3 and np.ptp(members[:, 1]) == 3
        assert sorted(position[part == p]) == list(range(16))
        assert (np.diff(position[part == p]) > 0).all()  # positions follow the staged order


def test_partition_also_cuts_by_cost_and_keeps_the_memory_bound():
    """A deep stack of sites makes some pieces cost many others: partitions of about equal cost, and
    never more vertices than asked."""
    boxes = np.array([[x, y, x + 1, y + 1] for x in range(8) for y in range(8)], dtype=float)
    costs = np.ones(64)
    costs[[5, 6, 7]] = 40.0  # 3 costly pieces among 61 cheap ones: 181 in all
    part, _ = out_of_core.partition(boxes, np.full(64, 10), 10_000, costs, 4)
    per_part = np.bincount(part, weights=costs)
    assert per_part.max() <= costs.sum() / 4 + costs.max()  # by hand: a cut every 45.25, give or take one piece
    assert len(per_part) == 4 and np.bincount(part).min() < 16  # the costly pieces' partition holds fewer
    part, _ = out_of_core.partition(boxes, np.full(64, 10), 160, costs, 2)
    assert np.bincount(part, weights=np.full(64, 10)).max() <= 160  # the memory bound still holds
    assert len(np.unique(part)) >= 4


def test_errors_and_repairs_in_a_later_chunk_match_the_in_memory_run(tmp_path):
    """Lon/lat input with a bow-tie site, and a feature in a later chunk whose coordinates cannot be degrees:
    out of core repairs, answers and names the bad feature exactly as the in-memory run does."""
    protected, species = layers()
    bowtie = shapely.Polygon([(0, 0), (40e3, 40e3), (40e3, 0), (0, 40e3)])  # self-intersecting: two lobes
    protected = pd.concat([protected, sites([{"WDPAID": 500, "geometry": bowtie}])], ignore_index=True)
    protected.to_crs("EPSG:4326").to_parquet(tmp_path / "ll.parquet", row_group_size=4)
    species.to_crs("EPSG:4326").to_parquet(tmp_path / "r.parquet")
    args = ["coverage", "--protected", tmp_path / "ll.parquet", "--ranges", tmp_path / "r.parquet", "--format", "json"]
    memory, partitioned = run_pacov(*args), run_pacov(*args, "--out-of-core")
    assert memory.returncode == 0 and partitioned.returncode == 0, partitioned.stderr
    assert partitioned.stdout == memory.stdout and partitioned.stderr == memory.stderr  # the same repair note
    bad = protected.to_crs("EPSG:4326")
    bad.loc[29, "geometry"] = shapely.affinity.translate(bad.geometry[29], 500.0, 0.0)  # past 180°: metres?
    bad.to_parquet(tmp_path / "bad.parquet", row_group_size=4)
    args[2] = tmp_path / "bad.parquet"
    memory, partitioned = run_pacov(*args), run_pacov(*args, "--out-of-core")
    assert memory.returncode == partitioned.returncode == 1
    assert "feature 30 (WDPAID 30)" in memory.stderr and partitioned.stderr == memory.stderr
