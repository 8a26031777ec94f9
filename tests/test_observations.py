import pytest
from pyproj import Geod
from shapely.geometry import Point

from conftest import run_pacov, sites, square
from pacov.analyses.observations import locate, summarise
from pacov.cleaning.clean import clean_protected_areas

LAEA = "+proj=laea +lat_0=43 +lon_0=77 +datum=WGS84 +units=m"


def test_inside_on_boundary_outside_with_geodesic_distance():
    import geopandas as gpd

    protected, _ = clean_protected_areas(
        sites([{"WDPAID": 1, "NAME": "Park", "geometry": square(0, 0, 10)}], crs=LAEA), LAEA
    )
    points = gpd.GeoDataFrame(
        {"animal": ["a", "a", "b"]},
        geometry=[Point(5_000, 5_000), Point(10_000, 5_000), Point(13_000, 5_000)],
        crs=LAEA,
    )
    located = locate(points, protected)
    assert located["inside"].tolist() == [True, True, False]  # the boundary counts as inside
    assert located["site"].tolist() == ["Park", "Park", ""]
    assert located["distance_m"].iloc[2] == pytest.approx(3_000, rel=2e-3)
    table = summarise(located, "animal").set_index("group")
    assert table.loc["a", "share_inside"] == 1 and table.loc["b", "max_distance_outside_m"] > 2_990


def test_geographic_points_through_the_cli(tmp_path):
    import geopandas as gpd

    sites([{"WDPAID": 1, "geometry": square(0, 0, 10)}], crs=LAEA).to_file(tmp_path / "pa.gpkg")
    pts = gpd.GeoDataFrame(
        {"survey": ["s1", "s1", "s2"]},
        geometry=[Point(77.05, 43.04), Point(77.5, 43.0), Point(77.06, 43.05)],
        crs="EPSG:4326",
    )
    pts.to_file(tmp_path / "traps.geojson")
    done = run_pacov(
        "points",
        "--protected",
        tmp_path / "pa.gpkg",
        "--points",
        tmp_path / "traps.geojson",
        "--group",
        "survey",
        "--format",
        "json",
    )
    assert done.returncode == 0, done.stderr
    rows = {r["group"]: r for r in __import__("json").loads(done.stdout)}
    assert rows["s1"]["share_inside"] == 0.5 and rows["s2"]["share_inside"] == 1
    # the outside trap: from 77.5 E to the park's east edge (10 km east of 77 E at 43 N)
    edge_lon = 77 + 10_000 / (111_320 * 0.7313)
    assert rows["s1"]["max_distance_outside_m"] == pytest.approx(
        Geod(ellps="WGS84").inv(edge_lon, 43.0, 77.5, 43.0)[2], rel=0.01
    )
    bad = run_pacov(
        "points", "--protected", tmp_path / "pa.gpkg", "--points", tmp_path / "traps.geojson", "--group", "animal"
    )
    assert bad.returncode == 1 and "no field animal" in bad.stderr


def test_points_on_geographic_boundaries_count_as_inside_through_the_cli(tmp_path):
    """Issue 16 item 6: points exactly on a 1° × 1° site's edges (between densified vertices) are inside under
    the default CRS, as the README says; a point 0.01° south of the edge is outside by its geodesic distance."""
    import geopandas as gpd
    from shapely.geometry import box

    sites([{"WDPAID": 1, "geometry": box(70, 45, 71, 46)}], crs="EPSG:4326").to_file(tmp_path / "pa.gpkg")
    on_edges = [Point(70.525, 45.0), Point(70.525, 46.0), Point(71.0, 45.525), Point(70.0, 45.975)]
    gpd.GeoDataFrame(
        {"trap": ["s", "n", "e", "w", "out"]}, geometry=[*on_edges, Point(70.5, 44.99)], crs="EPSG:4326"
    ).to_file(tmp_path / "traps.geojson")
    each = tmp_path / "each.csv"
    done = run_pacov(
        "points", "--protected", tmp_path / "pa.gpkg", "--points", tmp_path / "traps.geojson", "--each", each
    )
    assert done.returncode == 0, done.stderr
    import pandas as pd

    table = pd.read_csv(each).set_index("trap")
    assert table.loc[["s", "n", "e", "w"], "inside"].tolist() == [True] * 4
    expected = Geod(ellps="WGS84").inv(70.5, 44.99, 70.5, 45.0)[2]
    assert not table.loc["out", "inside"] and table.loc["out", "distance_m"] == pytest.approx(expected, rel=1e-3)


def test_no_site_left_after_cleaning_leaves_every_point_outside(tmp_path):
    """Issue 16 item 14: the only site is 'Proposed' (not a baseline status): 2 points, 0 inside, no distance."""
    import geopandas as gpd
    import pandas as pd
    from shapely.geometry import box

    sites([{"WDPAID": 1, "STATUS": "Proposed", "geometry": box(70, 45, 71, 46)}], crs="EPSG:4326").to_file(
        tmp_path / "pa.gpkg"
    )
    gpd.GeoDataFrame(geometry=[Point(70.5, 45.5), Point(72, 45)], crs="EPSG:4326").to_file(tmp_path / "p.geojson")
    each = tmp_path / "each.csv"
    done = run_pacov(
        "points",
        "--protected",
        tmp_path / "pa.gpkg",
        "--points",
        tmp_path / "p.geojson",
        "--each",
        each,
        "--format",
        "csv",
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[1].startswith("all,2,0,0.0,")
    assert pd.read_csv(each)["inside"].tolist() == [False, False]
