"""Coordinates checked against their CRS when a layer is read: a wrong CRS is one line, never a number."""

import json

import geopandas as gpd
import numpy as np
import pyproj
import pytest
import shapely
from shapely.geometry import Polygon, box

from conftest import ranges, run_pacov, sites
from pacov.cleaning.coordinates import check_coordinates
from pacov.cleaning.project import require_crs
from pacov.errors import PacovError

# A 20 km square in the UTM zone 43N (Kazakhstan, near Almaty's longitude), in metres.
UTM = "EPSG:32643"
SQUARE_M = box(500_000, 4_800_000, 520_000, 4_820_000)


def geodesic_ha(geom_lonlat):
    return abs(pyproj.Geod(ellps="WGS84").geometry_area_perimeter(geom_lonlat)[0]) / 1e4


def utm_to_lonlat(geom):
    """A UTM polygon in lon/lat, its straight UTM edges kept straight by densifying to 100 m first."""
    to_geo = pyproj.Transformer.from_crs(UTM, "EPSG:4326", always_xy=True)
    return shapely.transform(shapely.segmentize(geom, 100), to_geo.transform, interleaved=False)


def write_geojson_in_metres(path, geom, **props):
    """A GeoJSON holding metres (GeoJSON means WGS 84, so every reader takes them for degrees)."""
    feature = {"type": "Feature", "properties": props, "geometry": json.loads(shapely.to_geojson(geom))}
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))


def test_metres_in_a_geojson_are_one_line_naming_the_cause(tmp_path):
    write_geojson_in_metres(tmp_path / "pa.geojson", SQUARE_M, WDPAID=1, NAME="A", STATUS="Designated")
    write_geojson_in_metres(
        tmp_path / "r.geojson", SQUARE_M.buffer(5000), sci_name="Panthera uncia", presence=1, origin=1, seasonal=1
    )
    done = run_pacov("coverage", "--protected", tmp_path / "pa.geojson", "--ranges", tmp_path / "r.geojson")
    assert done.returncode == 1, done.stdout
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr
    assert "pa.geojson" in lines[0] and "feature 1 (WDPAID 1)" in lines[0]
    assert "look like metres" in lines[0] and "--assume-crs" in lines[0]


def test_assume_crs_reads_metres_mislabelled_as_degrees(tmp_path):
    write_geojson_in_metres(tmp_path / "pa.geojson", SQUARE_M, WDPAID=1, NAME="A", STATUS="Designated")
    write_geojson_in_metres(
        tmp_path / "r.geojson",
        SQUARE_M.buffer(5000, quad_segs=64),
        sci_name="Panthera uncia",
        presence=1,
        origin=1,
        seasonal=1,
    )
    done = run_pacov(
        "coverage",
        "--protected",
        tmp_path / "pa.geojson",
        "--ranges",
        tmp_path / "r.geojson",
        "--assume-crs",
        UTM,
        "--format",
        "json",
    )
    assert done.returncode == 0, done.stderr
    row = json.loads(done.stdout)[0]
    assert row["protected_ha"] == pytest.approx(geodesic_ha(utm_to_lonlat(SQUARE_M)), rel=1e-5)
    assert row["range_ha"] == pytest.approx(geodesic_ha(utm_to_lonlat(SQUARE_M.buffer(5000, quad_segs=64))), rel=1e-5)


def test_shapefile_whose_prj_says_degrees_over_metres(tmp_path):
    sites([{"WDPAID": 7, "geometry": SQUARE_M}], crs="EPSG:4326").to_file(tmp_path / "pa.shp")
    ranges([{"sci_name": "A", "geometry": box(70, 40, 80, 45)}], crs="EPSG:4326").to_file(tmp_path / "r.shp")
    done = run_pacov("coverage", "--protected", tmp_path / "pa.shp", "--ranges", tmp_path / "r.shp")
    assert done.returncode == 1 and len(done.stderr.strip().splitlines()) == 1
    assert "pa.shp" in done.stderr and "WDPAID 7" in done.stderr and "look like metres" in done.stderr


def test_projected_coordinates_beyond_the_projection_are_refused(tmp_path):
    # EPSG:6933 ends at 86°N (y ≈ 7.31e6 m): beyond it the inverse projection gives no latitude.
    north = box(0, 7_200_000, 100_000, 7_500_000)
    sites([{"WDPAID": 3, "geometry": north}], crs="EPSG:6933").to_file(tmp_path / "pa.gpkg")
    ranges([{"sci_name": "A", "geometry": box(0, 7_000_000, 200_000, 7_250_000)}], crs="EPSG:6933").to_file(
        tmp_path / "r.gpkg"
    )
    done = run_pacov("coverage", "--protected", tmp_path / "pa.gpkg", "--ranges", tmp_path / "r.gpkg")
    assert done.returncode == 1, done.stdout
    assert len(done.stderr.strip().splitlines()) == 1 and "internal error" not in done.stderr
    assert "WDPAID 3" in done.stderr and "outside where its CRS" in done.stderr


def test_a_box_corner_outside_the_domain_is_not_an_error_when_every_vertex_is_inside():
    # A thin diagonal polygon in an orthographic view: its box's far corner lies off the visible disc.
    ortho = "+proj=ortho +lat_0=0 +lon_0=0 +datum=WGS84"
    r = 6_300_000
    diagonal = Polygon([(-r, -100_000), (0, 0), (-100_000, -r), (-r, -100_000)])
    layer = gpd.GeoDataFrame({"WDPAID": [1]}, geometry=[diagonal], crs=ortho)
    check_coordinates(layer, "pa")  # no error
    outside = gpd.GeoDataFrame({"WDPAID": [2]}, geometry=[box(r, r, r + 1e5, r + 1e5)], crs=ortho)
    with pytest.raises(PacovError, match="WDPAID 2"):
        check_coordinates(outside, "pa")


def test_longitudes_past_180_are_refused_and_in_range_data_pass():
    wrapped = gpd.GeoDataFrame({"id": [1, 2]}, geometry=[box(10, 10, 11, 11), box(185, 10, 186, 11)], crs=4326)
    with pytest.raises(PacovError, match=r"feature 2 \(id 2\).*within ±180"):
        require_crs(wrapped, "pa")
    fine = gpd.GeoDataFrame(geometry=[box(-180, -90, 180, 90), box(179.5, 0, 180 + 1e-8, 1)], crs=4326)
    assert require_crs(fine, "pa") is fine  # a hair past 180 (rounding in an export) is not an error


def test_assume_crs_does_not_override_a_crs_the_coordinates_fit():
    layer = gpd.GeoDataFrame(geometry=[box(70, 40, 71, 41)], crs=4326)
    assert require_crs(layer, "pa", "EPSG:32643").crs.to_epsg() == 4326


def test_empty_and_infinite_coordinates():
    empty = gpd.GeoDataFrame(geometry=[Polygon()], crs=4326)
    check_coordinates(empty, "pa")
    with np.errstate(invalid="ignore"):
        inf = gpd.GeoDataFrame(geometry=[Polygon([(0, 0), (1, 0), (np.inf, 1), (0, 0)])], crs=4326)
    with pytest.raises(PacovError, match="not a finite number"):
        check_coordinates(inf, "pa")
