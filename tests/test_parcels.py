"""Sites stored as several parcels (one WDPAID, WDPA_PID 7_A and 7_B), as real WDPA often holds them.

Every place that keys on WDPAID is run here with parcels; each expected figure comes from shapely on
the raw squares (EPSG:6933 is equal-area, so a planar area is the true area) or from the ECA formula
worked out by hand, with gaps taken on the ground (conftest.ground_gap).
"""

import json
import math

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from shapely.geometry import box

from conftest import EQUAL_AREA, KM, ground_gap, ranges, run_pacov, sites, square
from scenario_helpers import CRS

PARCELS = {"7_A": square(0, 0, 10), "7_B": square(20, 0, 10), "9": square(40, 0, 10)}
RANGE = box(5 * KM, 0, 45 * KM, 10 * KM)  # half of 7_A, all of 7_B, half of 9
REGION = box(-50 * KM, -50 * KM, 100 * KM, 60 * KM)


def raw_sites(crs=EQUAL_AREA):
    return sites(
        [
            {"WDPAID": int(pid.split("_")[0]), "WDPA_PID": pid, "NAME": f"Site {pid[0]}", "geometry": g}
            for pid, g in PARCELS.items()
        ],
        crs=crs,
    )


@pytest.fixture
def world(tmp_path):
    raw_sites().to_file(tmp_path / "pa.gpkg")
    ranges([{"sci_name": "Panthera uncia", "geometry": RANGE}]).to_file(tmp_path / "ranges.gpkg")
    ranges([{"sci_name": "region", "geometry": REGION}]).to_file(tmp_path / "region.gpkg")
    return tmp_path


def test_coverage_gpkg_sites_carry_their_own_parcels_hectares(world):
    out = world / "cov.gpkg"
    done = run_pacov("coverage", "--protected", world / "pa.gpkg", "--ranges", world / "ranges.gpkg",
                     "--gpkg", out, "--format", "json")  # fmt: skip
    assert done.returncode == 0, done.stderr
    layer = gpd.read_file(out, layer="sites").set_index("WDPA_PID")
    expected = {pid: shapely.area(shapely.intersection(g, RANGE)) / 1e4 for pid, g in PARCELS.items()}
    assert layer["Panthera_uncia_ha"].to_dict() == pytest.approx(expected, abs=0.01)
    (row,) = json.loads(done.stdout)
    assert layer["Panthera_uncia_ha"].sum() == pytest.approx(row["protected_ha"], abs=0.01)


def test_breakdowns_count_a_parcelled_site_once(world):
    done = run_pacov("coverage", "--protected", world / "pa.gpkg", "--ranges", world / "ranges.gpkg",
                     "--by", "DESIG_ENG", "--format", "json")  # fmt: skip
    assert done.returncode == 0, done.stderr
    (row,) = json.loads(done.stdout)
    assert row["sites"] == 2  # sites 7 and 9, not three parcels
    assert row["protected_ha"] == pytest.approx(shapely.area(shapely.intersection(RANGE, shapely.union_all(
        list(PARCELS.values())))) / 1e4, abs=0.01)  # fmt: skip


def test_connectivity_gpkg_and_each_give_every_parcel_its_deca(world):
    gpkg, each = world / "nodes.gpkg", world / "each.json"
    done = run_pacov("connectivity", "--protected", world / "pa.gpkg", "--region", world / "region.gpkg",
                     "--distance", 10_000, "--gpkg", gpkg, "--each", each)  # fmt: skip
    assert done.returncode == 0, done.stderr
    a = 100 * KM * KM  # each parcel; gaps of 10 km on the map, p from the gap on the ground; 7_A–9 via 7_B
    p = {pair: math.exp(-math.log(2) * ground_gap(PARCELS[pair[0]], PARCELS[pair[1]]) / 10_000) for pair in
         [("7_A", "7_B"), ("7_B", "9"), ("7_A", "9")]}  # fmt: skip
    via = p["7_A", "7_B"] * p["7_B", "9"]
    assert via > p["7_A", "9"]
    full = math.sqrt(3 * a * a + 2 * a * a * (p["7_A", "7_B"] + p["7_B", "9"] + via))
    without = {
        "7_A": math.sqrt(2 * a * a + 2 * a * a * p["7_B", "9"]),
        "7_B": math.sqrt(2 * a * a + 2 * a * a * p["7_A", "9"]),
        "9": math.sqrt(2 * a * a + 2 * a * a * p["7_A", "7_B"]),
    }
    expected = {pid: 100 * (full - rest) / full for pid, rest in without.items()}
    nodes = gpd.read_file(gpkg, layer="connectivity_nodes").set_index("WDPA_PID")
    assert nodes["deca_10km"].to_dict() == pytest.approx(expected, rel=1e-6)
    assert nodes.loc["7_B", "WDPAID"] == 7
    rows = pd.DataFrame(json.loads(each.read_text())).set_index("WDPA_PID")
    assert rows["deca"].to_dict() == pytest.approx(expected, rel=1e-6)


def test_expanding_a_parcelled_site_adds_the_ring_once(tmp_path):
    from pacov.scenarios.run import run

    raw_sites(CRS).to_file(tmp_path / "pa.gpkg")
    ranges([{"sci_name": "A", "geometry": box(-20 * KM, -20 * KM, 80 * KM, 30 * KM)}], crs=CRS).to_file(
        tmp_path / "ranges.gpkg"
    )
    path = tmp_path / "s.toml"
    path.write_text('name = "s"\n[baseline]\nprotected = "pa.gpkg"\nranges = "ranges.gpkg"\n'
                    '[[operations]]\nop = "expand"\nsite = 7\nbuffer_m = 1000\n', encoding="utf-8")  # fmt: skip
    result = run(path)
    parcels = shapely.union_all([PARCELS["7_A"], PARCELS["7_B"]])
    ring = shapely.difference(shapely.buffer(parcels, 1000, quad_segs=64), parcels)
    final = result.final_sites
    inside_ring = shapely.area(shapely.intersection(final.geometry.to_numpy(), ring)).sum()
    assert inside_ring == pytest.approx(shapely.area(ring), rel=1e-3)  # the ring is on one row, not two
    assert (final["WDPAID"] == 7).sum() == 2


def test_per_site_table_names_each_parcel():
    from pacov.engine.analysis import analyse

    result = analyse(raw_sites(), ranges([{"sci_name": "Panthera uncia", "geometry": RANGE}]))
    table = result.by_site.set_index("WDPA_PID")
    expected = {pid: shapely.area(shapely.intersection(g, RANGE)) / 1e4 for pid, g in PARCELS.items()}
    assert table["unique_ha"].to_dict() == pytest.approx(expected, abs=0.01)
    assert table.loc["7_A", "WDPAID"] == table.loc["7_B", "WDPAID"] == 7
    assert result.breakdown("DESIG_ENG")["sites"].tolist() == [2]
