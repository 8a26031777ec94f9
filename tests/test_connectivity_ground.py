"""ProtConn through the CLI where the map's distances are wrong (issue 23 item 2): either side of the
antimeridian, over a wide extent at 65°N, and by the pole.

Layers are written in longitude and latitude, densified so that their edges are the same line in any
CRS. Every expected value is worked by hand: areas with pyproj.Geod.geometry_area_perimeter, the gap
with pyproj.Geod.inv between the corners nearest by construction, and ProtConn from Saura's formula
for two patches, 100·√(a² + b² + 2ab·p) / A with p = exp(−ln 2 · gap / median).
"""

import json
import math

import pyproj
import pytest
import shapely
from shapely.geometry import MultiPolygon, box

from conftest import ranges, run_pacov, sites

GEOD = pyproj.Geod(ellps="WGS84")
LONLAT = "EPSG:4326"


def lonlat_box(west, south, east, north, step=0.001):
    return shapely.segmentize(box(west, south, east, north), step)


def geod_area(geom):
    return abs(GEOD.geometry_area_perimeter(geom)[0])


def by_hand(a, b, gap, median, region):
    """ProtConn (percent) of two patches ``a`` and ``b`` (lon/lat) ``gap`` metres apart in ``region``."""
    x, y = geod_area(a), geod_area(b)
    p = math.exp(-math.log(2) * gap / median)
    return 100 * math.sqrt(x * x + y * y + 2 * x * y * p) / geod_area(region)


def protconn_cli(tmp_path, geoms, region, median, *extra):
    sites([{"WDPAID": k + 1, "geometry": g} for k, g in enumerate(geoms)], crs=LONLAT).to_file(tmp_path / "pa.gpkg")
    ranges([{"sci_name": "r", "geometry": region}], crs=LONLAT).to_file(tmp_path / "region.gpkg")
    done = run_pacov("connectivity", "--protected", tmp_path / "pa.gpkg", "--region", tmp_path / "region.gpkg",
                     "--distance", median, "--format", "json", *extra)  # fmt: skip
    assert done.returncode == 0, done.stderr
    (record,) = json.loads(done.stdout)
    return record


@pytest.mark.parametrize("crs", [[], ["--crs", "EPSG:6933"]], ids=["auto", "ease-grid"])
def test_two_sites_either_side_of_the_antimeridian_link(tmp_path, crs):
    west, east = lonlat_box(179.90, 65.95, 179.978, 66.05), lonlat_box(-179.978, 65.95, -179.90, 66.05)
    region = MultiPolygon([lonlat_box(179.5, 65.5, 180, 66.5, 0.01), lonlat_box(-180, 65.5, -179.5, 66.5, 0.01)])
    gap = GEOD.inv(179.978, 66.05, -179.978, 66.05)[2]  # the corners nearest the pole
    record = protconn_cli(tmp_path, [west, east], region, 2_000, *crs)
    expected = by_hand(west, east, gap, 2_000, region)
    unlinked = 100 * math.hypot(geod_area(west), geod_area(east)) / geod_area(region)
    assert record["protconn"] == pytest.approx(expected, rel=1e-5)
    assert expected - unlinked > 0.2 * unlinked  # far from the answer for two unlinked sites


def test_wide_extent_at_65_north(tmp_path):
    """The region spans 40°E–170°E, where EPSG:6933 (the CRS chosen for it) stretches east–west about 2×."""
    a, b = lonlat_box(100.0, 64.9, 100.3, 65.0), lonlat_box(100.511, 64.9, 100.8, 65.0)
    region = lonlat_box(40, 60, 170, 70, 0.05)
    gap = GEOD.inv(100.3, 65.0, 100.511, 65.0)[2]
    assert 9_000 < gap < 10_000
    record = protconn_cli(tmp_path, [a, b], region, 10_000)
    assert record["protconn"] == pytest.approx(by_hand(a, b, gap, 10_000, region), rel=1e-5)


def test_two_bands_by_the_pole(tmp_path):
    outer, inner = lonlat_box(-10, 89.70, 10, 89.80, 0.01), lonlat_box(-10, 89.85, 10, 89.90, 0.01)
    region = lonlat_box(-30, 89.5, 30, 89.95, 0.01)
    gap = GEOD.inv(0, 89.80, 0, 89.85)[2]  # the meridian arc between the bands
    record = protconn_cli(tmp_path, [outer, inner], region, 5_000)
    assert record["protconn"] == pytest.approx(by_hand(outer, inner, gap, 5_000, region), rel=1e-5)
