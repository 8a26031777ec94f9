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
