import json

import pandas as pd
import pyproj
import pytest
from shapely.geometry import Point, box

from conftest import EQUAL_AREA, ranges, run_pacov, sites
from pacov.analyses.gaps import gap_table


def test_status_and_shortfall():
    species = pd.DataFrame(
        {
            "species": ["gap", "partial", "met"],
            "range_ha": [50_000.0, 100_000.0, 50_000.0],  # 500 and 1,000 km²: target 100%
            "protected_ha": [0.0, 40_000.0, 50_000.0],
        }
    )
    species["protected_share"] = species["protected_ha"] / species["range_ha"]
    table = gap_table(species).set_index("species")
    assert table["status"].to_dict() == {"gap": "gap species", "partial": "partial gap", "met": "target met"}
    assert table.loc["partial", "shortfall_ha"] == pytest.approx(60_000)
    assert table.loc["met", "sps"] == 100 and table.loc["partial", "sps"] == 40


def test_fully_protected_small_range_meets_its_target_through_the_cli(tmp_path):
    """Issue 16 item 5: a 0.05° circle (~60 km², target 100%) inside a 3° × 3° site is 'target met', shortfall 0;
    its range area is the geodesic area (pyproj.Geod) of the circle."""
    circle = Point(70.3, 45.2).buffer(0.05)
    sites([{"WDPAID": 1, "geometry": box(69, 44, 72, 47)}], crs="EPSG:4326").to_file(tmp_path / "pa.gpkg")
    ranges([{"sci_name": "A", "geometry": circle}], crs="EPSG:4326").to_file(tmp_path / "r.gpkg")
    done = run_pacov("gaps", "--protected", tmp_path / "pa.gpkg", "--ranges", tmp_path / "r.gpkg", "--format", "json")
    assert done.returncode == 0, done.stderr
    (row,) = json.loads(done.stdout)
    geodesic_ha = abs(pyproj.Geod(ellps="WGS84").geometry_area_perimeter(circle)[0]) / 1e4
    assert row["range_ha"] == pytest.approx(geodesic_ha, rel=1e-4)
    assert (row["status"], row["shortfall_ha"], row["target_share"]) == ("target met", 0, 1)


def test_gaps_by_zone_with_the_sps_target_shown(tmp_path):
    """Issue 16 item 18: range A = x 0–50 km (EASE-Grid plane: 50,000 ha), site x 0–10 km, zone W = x 0–20 km.
    In W: 20,000 ha, 10,000 protected, target 100% (< 1,000 km²): partial gap, shortfall 10,000 ha, SPS 50
    against Map of Life's own target (100% under 10,000 km²), now a column. Outside zones: 30,000 ha, none
    protected: gap species."""
    import geopandas as gpd

    sites([{"WDPAID": 1, "geometry": box(0, 0, 10_000, 10_000)}]).to_file(tmp_path / "pa.gpkg")
    ranges([{"sci_name": "A", "geometry": box(0, 0, 50_000, 10_000)}]).to_file(tmp_path / "r.gpkg")
    gpd.GeoDataFrame({"zone": ["W"]}, geometry=[box(0, 0, 20_000, 10_000)], crs=EQUAL_AREA).to_file(tmp_path / "z.gpkg")
    done = run_pacov(
        "gaps", "--protected", tmp_path / "pa.gpkg", "--ranges", tmp_path / "r.gpkg",
        "--zones", tmp_path / "z.gpkg", "--by", "zone", "--format", "json",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    rows = {r["zone"]: r for r in json.loads(done.stdout)}
    west, outside = rows["W"], rows["(outside zones)"]
    assert (west["range_ha"], west["protected_ha"], west["shortfall_ha"]) == pytest.approx((20_000, 10_000, 10_000))
    assert (west["status"], west["sps"], west["sps_target_share"]) == ("partial gap", 50, 1)
    assert (outside["range_ha"], outside["status"]) == (pytest.approx(30_000), "gap species")


def test_every_column_by_hand_at_the_edges():
    """Library-level hand values (mutation testing showed target_share, sps_target_share, the status edges and
    the shortfall tolerance unchecked): a species with no range, 0.5 ha protected, and 1e-7 of its target short."""
    species = pd.DataFrame(
        {
            "species": ["empty", "tiny", "almost", "big"],
            "range_ha": [0.0, 50_000.0, 50_000.0, 30_000_000.0],  # big: 300,000 km², Rodrigues 10%, SPS 15%
            "protected_ha": [0.0, 0.5, 50_000.0 - 0.004, 1_500_000.0],
        }
    )
    species["protected_share"] = (species["protected_ha"] / species["range_ha"]).fillna(0.0)
    table = gap_table(species).set_index("species")
    assert table["target_share"].tolist() == pytest.approx([0.0, 1.0, 1.0, 0.1], rel=1e-12)
    assert table["sps_target_share"].tolist() == pytest.approx([1.0, 1.0, 1.0, 0.15], rel=1e-12)
    assert table["status"].tolist() == ["gap species", "partial gap", "target met", "partial gap"]
    assert table["shortfall_ha"].tolist() == pytest.approx([0.0, 49_999.5, 0.0, 1_500_000.0], rel=1e-12)
    assert table["sps"].tolist() == [0.0, 0.0, 100.0, 33.33]


def test_clipped_ranges_get_the_sps_target_of_their_global_range():
    """Issue 27: 1,000 km² in the country of a 1,000,000 km² range: Map of Life's target is 15% of it,
    so 150 km² protected is SPS 100 (the national part's own size would set 100% and give 15)."""
    table = pd.DataFrame(
        {
            "species": ["C"],
            "range_ha": [100_000.0],
            "protected_ha": [15_000.0],
            "protected_share": [0.15],
            "range_outside_ha": [99_900_000.0],
            "clipped_to": ["country.gpkg"],
        }
    )
    out = gap_table(table)
    assert out["sps_target_share"].iloc[0] == pytest.approx(0.15) and out["sps"].iloc[0] == pytest.approx(100)
