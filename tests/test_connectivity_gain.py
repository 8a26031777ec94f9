"""Connectivity in scenarios, against hand values: ProtConn gain per operation, new links in optimize.

A strip-shaped range of 500 km² (x 0–50 km, y 0–10 km) in the scenario helpers' LAEA CRS; 10 km
squares are 100 km², so ProtConn of one square alone is 100·100/500 = 20%; a gap of 10 km on the map
at a 10 km median dispersal distance gives p ≈ 0.5, worked out from the gap on the ground
(conftest.ground_gap).
"""

import json
import math

import pandas as pd
import pytest
from shapely.geometry import box

from conftest import ground_gap, ranges, run_pacov, sites, square
from scenario_helpers import CRS, scenario


def write(folder, baseline, proposals, range_km=(50, 10)):
    sites([{"WDPAID": k + 1, "geometry": g} for k, g in enumerate(baseline)], crs=CRS).to_file(folder / "pa.gpkg")
    ranges([{"sci_name": "A", "geometry": box(0, 0, range_km[0] * 1000, range_km[1] * 1000)}], crs=CRS).to_file(
        folder / "ranges.gpkg"
    )
    rows = [
        {"WDPAID": 900 + k, "PROPOSAL_ID": f"q{k}", "STATUS": "Proposed", "geometry": g}
        for k, g in enumerate(proposals, start=1)
    ]
    sites(rows, crs=CRS).to_file(folder / "proposed.gpkg")


def test_run_reports_protconn_gain_per_operation(tmp_path):
    write(tmp_path, [square(0, 0, 10)], [square(20, 0, 10), square(40, 0, 10)])
    ops = '[[operations]]\nop = "add"\nids = ["q1"]\n[[operations]]\nop = "add"\nids = ["q2"]\n'
    path = scenario(tmp_path, "chain", ops)
    done = run_pacov("scenario", "run", path, "--distance", 10_000, "--out-dir", tmp_path / "out", "--format", "csv")
    assert done.returncode == 0, done.stderr
    table = pd.read_csv(tmp_path / "out" / "scenario_chain_operations.csv").set_index("step")
    before = 20.0
    p1 = math.exp(-math.log(2) * ground_gap(square(0, 0, 10), square(20, 0, 10), CRS) / 10_000)
    p2 = math.exp(-math.log(2) * ground_gap(square(20, 0, 10), square(40, 0, 10), CRS) / 10_000)
    after_q1 = 20 * math.sqrt(2 + 2 * p1)  # ECA² = 2A² + 2A²·p
    # q2 joins q1 (p2) and, through q1, site 1 (p1·p2 ≈ 0.25 beats the direct 30 km link, 0.125)
    after_q2 = 20 * math.sqrt(3 + 2 * (p1 + p2 + p1 * p2))
    assert table.at[1, "protconn_10km_gain"] == pytest.approx(after_q1 - before, rel=1e-9)
    assert table.at[2, "protconn_10km_gain"] == pytest.approx(after_q2 - after_q1, rel=1e-9)


def optimize_world(tmp_path):
    # sites at x 0–10 and 40–50; c1 (x 20–30, 10,000 ha) is 10 km from both, c2 (x 60–75, 15,000 ha) 10 km from one
    write(
        tmp_path, [square(0, 0, 10), square(40, 0, 10)], [square(20, 0, 10), box(60_000, 0, 75_000, 10_000)], (100, 10)
    )
    ops = '[[operations]]\nop = "add"\nids = ["q1"]\n[[operations]]\nop = "add"\nids = ["q2"]\n'
    return scenario(tmp_path, "pick", ops)


@pytest.mark.parametrize("weight, chosen", [(None, "q2"), (4_000, "q2"), (6_000, "q1")])
def test_optimize_weighs_new_links(tmp_path, weight, chosen):
    """Budget 15,000 ha buys one: c1 scores 10,000 + 2W, c2 15,000 + W, so c1 wins when W > 5,000."""
    path = optimize_world(tmp_path)
    extra = ["--connectivity-weight", weight, "--distance", 12_000] if weight is not None else []
    done = run_pacov("scenario", "optimize", path, "--budget-ha", 15_000, *extra, "--format", "json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert len(result["chosen"]) == 1 and chosen in result["chosen"][0]
    if weight is not None:
        assert sorted(result["new_links"].values()) == [1, 2]
        assert [v for k, v in result["new_links"].items() if "q1" in k] == [2]


def test_connectivity_weight_needs_a_distance(tmp_path):
    done = run_pacov(
        "scenario", "optimize", optimize_world(tmp_path), "--budget-ha", 15_000, "--connectivity-weight", 1
    )
    assert done.returncode == 2 and "--distance" in done.stderr
