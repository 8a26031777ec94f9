import geopandas as gpd
import pytest
from shapely.geometry import box

from conftest import sites, square
from pacov.cleaning.project import auto_equal_area_crs, is_equal_area, require_crs, to_equal_area
from pacov.errors import PacovError


def test_auto_crs_is_laea_on_the_data_and_global_data_gets_ease_grid():
    kz = gpd.GeoDataFrame(geometry=[box(46.5, 40.5, 87.3, 55.4)], crs="EPSG:4326")
    crs = auto_equal_area_crs(kz)
    assert crs.coordinate_operation.method_name == "Lambert Azimuthal Equal Area"
    params = {p.name: p.value for p in crs.coordinate_operation.params}
    assert params["Latitude of natural origin"] == pytest.approx(48.0, abs=0.1)
    assert params["Longitude of natural origin"] == pytest.approx(66.9, abs=0.1)
    world = gpd.GeoDataFrame(geometry=[box(-170, -60, 170, 80)], crs="EPSG:4326")
    assert auto_equal_area_crs(world).to_epsg() == 6933


def test_equal_area_recognition():
    assert is_equal_area("EPSG:6933") and is_equal_area("ESRI:54009") and is_equal_area("EPSG:3035")
    assert not is_equal_area("EPSG:4326") and not is_equal_area("EPSG:3857") and not is_equal_area("EPSG:32643")


def test_geographic_edges_are_densified_before_projecting():
    strip = gpd.GeoDataFrame(geometry=[box(50, 45, 80, 46)], crs="EPSG:4326")
    out = to_equal_area(strip, auto_equal_area_crs(strip))
    assert len(out.geometry.iloc[0].exterior.coords) > 600  # 30° edges in 0.05° steps


def test_no_crs_needs_an_assumption():
    layer = sites([{"WDPAID": 1, "geometry": square(0, 0, 1)}], crs=None)
    with pytest.raises(PacovError, match="pa.shp: has no coordinate reference system"):
        require_crs(layer, "pa.shp")
    assert require_crs(layer, "pa.shp", "EPSG:6933").crs.to_epsg() == 6933


def test_only_geometries_with_long_edges_are_densified_and_the_result_is_segmentize_s():
    import numpy as np
    import pyproj
    import shapely

    from pacov.cleaning.project import DENSIFY_DEGREES, has_long_edge

    fine = shapely.segmentize(box(60, 40, 61, 41), 0.01)  # every edge 0.01°
    coarse = box(60, 42, 61, 43)  # 1° edges
    hole = shapely.segmentize(box(60.4, 40.4, 60.6, 40.6), 0.01).exterior.coords
    holed = shapely.Polygon(fine.exterior.coords, [hole])
    geoms = np.array([fine, coarse, holed], dtype=object)
    assert has_long_edge(geoms, DENSIFY_DEGREES)[:2].tolist() == [False, True]
    assert not has_long_edge(geoms, 2.0).any()
    layer = gpd.GeoDataFrame(geometry=geoms, crs="EPSG:4326")
    crs = auto_equal_area_crs(layer)
    out = to_equal_area(layer, crs).geometry.to_numpy()
    to_crs = pyproj.Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    expected = shapely.transform(shapely.segmentize(geoms, DENSIFY_DEGREES), to_crs.transform, interleaved=False)
    assert all(shapely.equals_exact(out, expected, tolerance=0))


def test_invalid_polygon_with_long_edges_keeps_both_lobes_when_densified():
    """GEOS densify runs buffer(0) on an invalid polygon: repair must come first (issue 11, defect 1)."""
    import pyproj
    import shapely

    from pacov.cleaning.project import project_and_repair

    # The bow-tie, moved into UTM 43N; its edges (10-14 km) are longer than the 5 km densify step.
    bow_tie = shapely.Polygon([(560000, 4800000), (570000, 4810000), (570000, 4800000), (560000, 4810000)])
    layer = gpd.GeoDataFrame({"WDPAID": [1]}, geometry=[bow_tie], crs="EPSG:32643")
    out, repaired = project_and_repair(layer, auto_equal_area_crs(layer))
    to_geo = pyproj.Transformer.from_crs("EPSG:32643", "EPSG:4326", always_xy=True)
    reference = shapely.transform(
        shapely.segmentize(shapely.make_valid(bow_tie), 50), to_geo.transform, interleaved=False
    )
    expected = abs(pyproj.Geod(ellps="WGS84").geometry_area_perimeter(reference)[0])
    assert expected == pytest.approx(50e6, rel=2e-3)  # both 25 km² lobes, within UTM's scale error
    assert repaired.tolist() == [True]
    assert out.geometry.iloc[0].is_valid
    assert out.geometry.iloc[0].area == pytest.approx(expected, rel=1e-6)


def test_projection_that_makes_a_ring_invalid_is_repaired_there():
    """Moving vertices can make a valid ring invalid: every geometry is checked again after projecting."""
    import numpy as np
    import shapely

    from pacov.cleaning.project import project_chunk

    outer = [(0, 0), (10000, 0), (10000, 10000), (0, 10000), (0, 0)]
    hole = [(4000, 1e-8), (6000, 1e-8), (5000, 5000), (4000, 1e-8)]  # 10 nm above the outer ring's bottom edge
    valid = shapely.Polygon(outer, [hole])
    assert valid.is_valid
    # A false northing of 1e9 m leaves no bits for 1e-8 m: the hole's edge lands on the outer ring.
    source = "+proj=cea +lat_ts=0 +lon_0=0 +datum=WGS84 +units=m"
    target = "+proj=cea +lat_ts=0 +lon_0=0 +y_0=1000000000 +datum=WGS84 +units=m"
    out, repaired = project_chunk(np.array([valid], dtype=object), 1e9, source, target)
    assert repaired.tolist() == [True] and shapely.is_valid(out).all()
    moved = shapely.transform(valid, lambda xy: xy + [0, 1e9])  # cea is the identity at the equator's scale
    assert not moved.is_valid
    # ST_MakeValid's rule (linework, as PostGIS): the hole whose edge now lies on the shell is dissolved.
    assert out[0].area == pytest.approx(shapely.make_valid(moved).area, rel=1e-8)


def test_equal_area_input_is_used_in_place():
    """Layers all in one equal-area CRS are computed in it: no densify, no reprojection (defect 3)."""
    import shapely

    from pacov.engine.analysis import analyse

    protected = sites([{"WDPAID": 1, "geometry": box(0, 0, 30_000, 10_000)}], crs="EPSG:6933")
    rng = gpd.GeoDataFrame(
        {"sci_name": ["A"], "presence": [1], "origin": [1], "seasonal": [1]},
        geometry=[box(10_000, 0, 50_000, 50_000)],
        crs="EPSG:6933",
    )
    result = analyse(protected, rng)
    assert result.crs.to_epsg() == 6933
    assert shapely.equals_exact(result.sites.geometry.iloc[0], protected.geometry.iloc[0], tolerance=0)
    assert result.species["protected_ha"].iloc[0] == pytest.approx(20_000 * 10_000 / 1e4, rel=1e-12)
    mixed = auto_equal_area_crs(protected, rng.to_crs(4326))
    assert mixed.coordinate_operation.method_name == "Lambert Azimuthal Equal Area"


GEOD = __import__("pyproj").Geod(ellps="WGS84")
LAEA_180 = "+proj=laea +lat_0=65.5 +lon_0=180 +datum=WGS84 +units=m"


def geodesic_ha(geom):
    """pyproj.Geod's area of a polygon in degrees, its edges straight in longitude and latitude (densified)."""
    import shapely

    return abs(GEOD.geometry_area_perimeter(shapely.segmentize(geom, 0.01))[0]) / 1e4


def antimeridian_case(name):
    """(sites in their CRS, ranges in degrees, protected ha, range ha) for one case of issue 23 item 2.

    Expected figures are pyproj.Geod's, on the raw polygons in degrees.
    """
    import pyproj
    import shapely
    from shapely.geometry import MultiPolygon, Point

    from conftest import ranges, sites

    local = MultiPolygon([box(179, 65, 180, 66), box(-180, 65, -179, 66)])  # a range split at 180°, as RFC 7946
    band = box(-180, -10, 180, -5)  # round the whole globe: no gap left for a map's edge
    crossing = shapely.Polygon([(179.5, 65.2), (180.5, 65.2), (180.5, 65.8), (179.5, 65.8)])  # lon past 180
    to_laea = pyproj.Transformer.from_crs("EPSG:4326", LAEA_180, always_xy=True)
    in_laea = shapely.transform(shapely.segmentize(crossing, 0.01), to_laea.transform, interleaved=False)
    point = sites([{"WDPAID": 1, "REP_AREA": 100.0, "geometry": Point(179.98, 65.5)}], crs="EPSG:4326")
    cap, cap_range = box(-180, 80, 180, 90), box(-180, 70, 180, 90)
    disk = shapely.segmentize(Point(0, 0).buffer(500_000, quad_segs=64), 1000)  # round the north pole, EPSG:3413
    disk_lon_lat = pyproj.Transformer.from_crs("EPSG:3413", "EPSG:4326", always_xy=True).transform(
        *shapely.get_coordinates(disk).T
    )
    disk_ha = abs(GEOD.polygon_area_perimeter(*disk_lon_lat)[0]) / 1e4
    south = box(-180, -90, 180, -80)
    cases = {
        "point at 179.98°E": (point, [local], 10_000.0, geodesic_ha(local)),
        "point at 179.98°E, ranges round the globe": (point, [local, band], 10_000.0, None),
        "polygon across 180° in a projected CRS": (
            sites([{"WDPAID": 2, "geometry": in_laea}], crs=LAEA_180),
            [local, band, box(0, 65, 10, 66)],  # a polygon torn across the map would cover 0–10°E too
            geodesic_ha(crossing),
            geodesic_ha(local) + geodesic_ha(band) + geodesic_ha(box(0, 65, 10, 66)),
        ),
        "north polar cap in degrees": (
            sites([{"WDPAID": 3, "geometry": cap}], crs="EPSG:4326"),
            [cap_range],
            geodesic_ha(cap),
            geodesic_ha(cap_range),
        ),  # fmt: skip
        "south polar cap in degrees": (
            sites([{"WDPAID": 4, "geometry": south}], crs="EPSG:4326"),
            [box(-180, -90, 180, -70)],
            geodesic_ha(south),
            None,
        ),  # fmt: skip
        "disk round the pole in a polar CRS": (
            sites([{"WDPAID": 5, "geometry": disk}], crs="EPSG:3413"),
            [cap_range],
            disk_ha,
            None,
        ),  # fmt: skip
    }
    protected, parts, protected_ha, range_ha = cases[name]
    return protected, ranges([{"sci_name": "A", "geometry": MultiPolygon(
        [p for g in parts for p in getattr(g, "geoms", [g])])}], crs="EPSG:4326"), protected_ha, range_ha  # fmt: skip


@pytest.mark.parametrize(
    "case",
    [
        "point at 179.98°E",
        "point at 179.98°E, ranges round the globe",
        "polygon across 180° in a projected CRS",
        "north polar cap in degrees",
        "south polar cap in degrees",
        "disk round the pole in a polar CRS",
    ],
)
def test_areas_are_right_across_the_antimeridian_and_at_the_poles(tmp_path, case):
    """Issue 23 item 2: the point counted 7,134 ha of 10,000; the projected polygon three times its area."""
    import json

    from conftest import run_pacov

    protected, rng, protected_ha, range_ha = antimeridian_case(case)
    protected.to_file(tmp_path / "pa.gpkg")
    rng.to_file(tmp_path / "r.gpkg")
    done = run_pacov(
        "coverage", "--protected", tmp_path / "pa.gpkg", "--ranges", tmp_path / "r.gpkg", "--format", "json"
    )
    assert done.returncode == 0, done.stderr
    (row,) = json.loads(done.stdout)
    assert row["protected_ha"] == pytest.approx(protected_ha, rel=1e-6)
    if range_ha is not None:
        assert row["range_ha"] == pytest.approx(range_ha, rel=1e-6)


def test_auto_crs_centres_on_data_across_180_degrees():
    from shapely.geometry import MultiPolygon

    pacific = gpd.GeoDataFrame(
        geometry=[MultiPolygon([box(170, 50, 180, 60), box(-180, 50, -160, 60)])], crs="EPSG:4326"
    )
    params = {p.name: p.value for p in auto_equal_area_crs(pacific).coordinate_operation.params}
    assert params["Longitude of natural origin"] == pytest.approx(-175, abs=0.1)  # 170°E to 160°W: not 0°
    wide = gpd.GeoDataFrame(geometry=[box(100, 0, 180, 10), box(-180, 0, -60, 10)], crs="EPSG:4326")
    crs = auto_equal_area_crs(wide)  # 200° wide across 180°: a cylindrical map whose edge is at 20°E
    assert crs.coordinate_operation.method_name == "Lambert Cylindrical Equal Area"
    params = {p.name: p.value for p in crs.coordinate_operation.params}
    assert params["Longitude of natural origin"] == pytest.approx(-160, abs=0.1)
