"""Unit tests of analyses/ground.py, function by function, against values worked outside pacov.

Expected values come from the raw inputs: pyproj.Geod and pyproj.Transformer (with a stereographic
written here by hand), shapely on the unprojected geometries, and arithmetic in the comments
(WGS84: a = 6,378,137 m, 1/f = 298.257223563, e² = f(2 − f)).
"""

import math
import os
import re
import threading
import time
import warnings

import numpy as np
import pyproj
import pytest
import shapely
from shapely import affinity
from shapely.geometry import LineString, Point, Polygon, box

from pacov.analyses.ground import Plane, hull_coordinates, nearest_lines, on_threads, paired, sliver, unit_vectors
from pacov.errors import PacovError

pytestmark = pytest.mark.filterwarnings("ignore:You will likely lose important projection information")

LONLAT = "EPSG:4326"
WGS84_A = 6_378_137.0
WGS84_RF = 298.257223563
GEOD = pyproj.Geod(ellps="WGS84")


def objects(*geoms):
    return np.array(list(geoms), dtype=object)


def semi_latus(a, rf):
    """a(1 − e²) with e² = f(2 − f), f = 1/rf."""
    f = 1 / rf
    return a * (1 - f * (2 - f))


def kmax_by_hand(widest_deg, reach_m, a=WGS84_A, rf=WGS84_RF):
    """The module's documented bound: scale sec²(c/2) at c = widest + reach / (2 a(1 − e²)), capped at 179°,
    its excess over 1 widened by 1 %."""
    c = min(math.radians(widest_deg) + reach_m / semi_latus(a, rf) / 2, math.radians(179.0))
    return 1 + 1.01 * (1 / math.cos(c / 2) ** 2 - 1)


def stereographic(lat0, lon0, a=WGS84_A, rf=WGS84_RF):
    return f"+proj=stere +lat_0={lat0} +lon_0={lon0} +k=1 +x_0=0 +y_0=0 +a={a} +rf={rf} +units=m +no_defs"


def to_stere(lon, lat, lat0, lon0, src=LONLAT, **ellipsoid):
    t = pyproj.Transformer.from_crs(src, stereographic(lat0, lon0, **ellipsoid), always_xy=True)
    return np.column_stack(t.transform(np.asarray(lon, float), np.asarray(lat, float)))


# --- unit_vectors -------------------------------------------------------------------------------


def test_unit_vectors_of_known_directions():
    lon = [0.0, 90.0, 180.0, 0.0, 45.0, -60.0]
    lat = [0.0, 0.0, 0.0, 90.0, 0.0, -30.0]
    xyz = unit_vectors(lon, lat)
    s = math.sqrt(0.5)
    expected = [
        [1, 0, 0],
        [0, 1, 0],
        [-1, 0, 0],
        [0, 0, 1],
        [s, s, 0],
        # cos(−30°)cos(−60°) = 0.75·... : (√3/2·1/2, √3/2·(−√3/2), −1/2)
        [math.sqrt(3) / 4, -0.75, -0.5],
    ]
    assert xyz.shape == (6, 3)
    np.testing.assert_allclose(xyz, expected, atol=1e-15)


def test_unit_vectors_of_nothing():
    assert unit_vectors([], []).shape == (0, 3)


# --- hull_coordinates ---------------------------------------------------------------------------


def test_hull_coordinates_skip_empty_geometries_and_keep_order():
    l_shape = Polygon([(0, 0), (4, 0), (4, 1), (1, 1), (1, 4), (0, 4)])  # hull: a pentagon less the notch
    tri = Polygon([(10, 10), (12, 10), (11, 13)])
    geoms = objects(shapely.Polygon(), l_shape, Point(5, 5), shapely.LineString(), tri)
    expected = np.concatenate(
        [
            shapely.get_coordinates(l_shape.convex_hull),
            [[5.0, 5.0]],
            shapely.get_coordinates(tri.convex_hull),
        ]
    )
    got = hull_coordinates(geoms)
    np.testing.assert_array_equal(got, expected)
    assert len(got) == 6 + 1 + 4  # (0,0) (4,0) (4,1) (1,4) (0,4) (0,0); the point; the closed triangle


def test_hull_coordinates_of_only_empty_geometries():
    assert hull_coordinates(objects(shapely.Polygon(), shapely.Point())).shape == (0, 2)
    assert hull_coordinates([]).shape == (0, 2)


# --- on_threads and paired ----------------------------------------------------------------------


def recorder(delay=0.0):
    seen = []

    def func(part):
        seen.append((part, threading.current_thread().ident))
        time.sleep(delay)
        return np.arange(part.start, part.stop) * 2

    return func, seen


def test_on_threads_on_one_core_runs_here_in_chunks_of_at_most_2000(monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    func, seen = recorder()
    out = on_threads(func, 4_001)
    np.testing.assert_array_equal(out, np.arange(4_001) * 2)
    sizes = [p.stop - p.start for p, _ in seen]
    assert sizes == [1333, 1334, 1334]  # ⌈4001 / 2000⌉ = 3 chunks, np.linspace(0, 4001, 4) cut
    assert {t for _, t in seen} == {threading.main_thread().ident}


def test_on_threads_when_the_cores_are_unknown_runs_here(monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: None)
    func, seen = recorder()
    np.testing.assert_array_equal(on_threads(func, 10), np.arange(10) * 2)
    assert [(p.start, p.stop) for p, _ in seen] == [(0, 10)]  # one worker, one chunk
    assert {t for _, t in seen} == {threading.main_thread().ident}


def test_on_threads_on_two_cores_uses_two_threads(monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    func, seen = recorder(delay=0.02)
    np.testing.assert_array_equal(on_threads(func, 16), np.arange(16) * 2)
    # 2 workers × 4 chunks each: 8 chunks of 2, results joined in order, on exactly two pool threads
    assert sorted((p.start, p.stop) for p, _ in seen) == [(k, k + 2) for k in range(0, 16, 2)]
    threads = {t for _, t in seen}
    assert len(threads) == 2
    assert threading.main_thread().ident not in threads


def test_paired_is_element_by_element():
    a = objects(*[Point(k, 0) for k in range(5)])
    b = objects(*[Point(k, k + 1.0) for k in range(5)])
    np.testing.assert_allclose(paired(shapely.distance, a, b), [1, 2, 3, 4, 5])
    got = paired(lambda x, y: shapely.get_x(x) - 10 * shapely.get_y(y), a, b)
    np.testing.assert_allclose(got, [0 - 10, 1 - 20, 2 - 30, 3 - 40, 4 - 50])


# --- Plane.around -------------------------------------------------------------------------------


def test_around_two_points_centre_and_bound():
    """(90°, 30°) and (110°, 30°): the mean of their unit vectors lies on 100°E at
    tan(lat0) = sin 30° / (cos 30° cos 10°); each point is ``widest`` from it."""
    points = objects(Point(90, 30), Point(110, 30))
    plane = Plane.around(points, LONLAT, 50_000.0)
    lat0 = math.degrees(math.atan2(math.sin(math.radians(30)), math.cos(math.radians(30)) * math.cos(math.radians(10))))
    # cos(widest) = centre · p = cos30 cos10 cos lat0 + sin30 sin lat0 (lon0 − 90° = 10°)
    r30, r10, rl = math.radians(30), math.radians(10), math.radians(lat0)
    widest = math.degrees(math.acos(math.cos(r30) * math.cos(r10) * math.cos(rl) + math.sin(r30) * math.sin(rl)))
    params = plane.stere.to_dict()
    assert params["proj"] == "stere"
    assert params["lat_0"] == pytest.approx(lat0, abs=1e-9)
    assert params["lon_0"] == pytest.approx(100.0, abs=1e-9)
    assert params["k"] == 1
    assert params["x_0"] == 0 and params["y_0"] == 0
    assert plane.stere.ellipsoid.semi_major_metre == WGS84_A
    assert plane.stere.ellipsoid.inverse_flattening == pytest.approx(WGS84_RF, rel=1e-12)
    assert plane.kmax == pytest.approx(kmax_by_hand(widest, 50_000.0), rel=1e-12)
    assert 1.0 < plane.kmax < 1.01
    assert plane.crs == pyproj.CRS(LONLAT)
    assert (plane.geod.a, plane.geod.f) == pytest.approx((WGS84_A, 1 / WGS84_RF), rel=1e-12)


def test_around_reach_counts_through_the_semi_latus_rectum():
    """Widest 0 (one site) and a reach of 2,000 km: c = 2e6 / (2 a(1 − e²)) ≈ 0.15788 rad, and the
    semi-latus rectum a(1 − e²) = 6,335,439.327 m (not a, not a(1 − f))."""
    plane = Plane.around(objects(Point(10, 0)), LONLAT, 2_000_000.0)
    assert semi_latus(WGS84_A, WGS84_RF) == pytest.approx(6_335_439.327, abs=1e-3)
    expected = kmax_by_hand(0.0, 2_000_000.0)
    assert plane.kmax == pytest.approx(expected, rel=1e-12)
    # with a alone the excess would be smaller by (1 − e²)² ≈ 0.98665: far outside the tolerance
    assert plane.kmax - 1 > 1.005 * (kmax_by_hand(0.0, 2_000_000.0 * (1 - 0.00669438)) - 1)
    params = plane.stere.to_dict()
    assert (params["lat_0"], params["lon_0"]) == pytest.approx((0.0, 10.0), abs=1e-12)


def test_around_caps_the_bound_at_179_degrees():
    """A reach of 100,000 km: c is capped at 179°, sec²(89.5°) = 1 / cos²(89.5°) ≈ 13,131.5."""
    plane = Plane.around(objects(Point(0, 0)), LONLAT, 1e8)
    expected = 1 + 1.01 * (1 / math.cos(math.radians(89.5)) ** 2 - 1)
    assert plane.kmax == pytest.approx(expected, rel=1e-9)
    assert 13_000 < plane.kmax < 13_500


def test_around_no_sites_is_centred_on_0_0_with_the_reach_alone():
    plane = Plane.around([], LONLAT, 300_000.0)
    params = plane.stere.to_dict()
    assert (params["lat_0"], params["lon_0"]) == (0.0, 0.0)
    assert plane.kmax == pytest.approx(kmax_by_hand(0.0, 300_000.0), rel=1e-12)
    empties = Plane.around(objects(shapely.Polygon(), shapely.Polygon()), LONLAT, 300_000.0)
    assert empties.kmax == pytest.approx(kmax_by_hand(0.0, 300_000.0), rel=1e-12)
    assert empties.stere.to_dict()["lon_0"] == 0.0


def test_around_sites_whose_mean_vanishes_fall_back_on_0_0():
    """(90°W, 0) and (90°E, 0): their unit vectors cancel; the centre is (0, 0), each site 90° from it."""
    plane = Plane.around(objects(Point(-90, 0), Point(90, 0)), LONLAT, 0.0)
    params = plane.stere.to_dict()
    assert (params["lat_0"], params["lon_0"]) == (0.0, 0.0)
    assert plane.kmax == pytest.approx(1 + 1.01 * (1 / math.cos(math.radians(45)) ** 2 - 1), rel=1e-12)  # 2.01


def test_around_one_point_where_its_own_dot_product_rounds_over_one():
    """At (−179°, 9°) the unit vector's dot product with itself, normalised, is 1 + 2⁻⁵²: the clip
    keeps acos defined, widest is 0."""
    plane = Plane.around(objects(Point(-179, 9)), LONLAT, 10_000.0)
    assert plane.kmax == pytest.approx(kmax_by_hand(0.0, 10_000.0), rel=1e-12)
    params = plane.stere.to_dict()
    assert (params["lat_0"], params["lon_0"]) == pytest.approx((9.0, -179.0), abs=1e-9)


def test_around_the_north_pole():
    """Four points at 80°N, 90° apart in longitude: the centre is the pole (lat0 = 90°), each 10° away."""
    points = objects(*[Point(lon, 80) for lon in (0, 90, 180, -90)])
    plane = Plane.around(points, LONLAT, 0.0)
    assert plane.stere.to_dict()["lat_0"] == pytest.approx(90.0, abs=1e-9)
    assert plane.kmax == pytest.approx(kmax_by_hand(10.0, 0.0), rel=1e-9)


def test_around_a_projected_crs_reads_its_coordinates_as_lon_lat():
    """Points given in Web Mercator (EPSG:3857): the centre comes out in longitude and latitude."""
    to_merc = pyproj.Transformer.from_crs(LONLAT, "EPSG:3857", always_xy=True)
    xs, ys = to_merc.transform([20.0, 40.0], [-10.0, -10.0])
    plane = Plane.around(objects(*[Point(x, y) for x, y in zip(xs, ys)]), "EPSG:3857", 1_000.0)
    lat0 = math.degrees(
        math.atan2(math.sin(math.radians(-10)), math.cos(math.radians(-10)) * math.cos(math.radians(10)))
    )
    params = plane.stere.to_dict()
    assert params["lon_0"] == pytest.approx(30.0, abs=1e-9)
    assert params["lat_0"] == pytest.approx(lat0, abs=1e-9)
    assert plane.crs == pyproj.CRS("EPSG:3857")


def test_around_polygons_weigh_every_hull_vertex():
    """A box's hull has 5 vertices, its first repeated to close it: box(0, 0, 2, 2) and the point (20, 0)
    give a mean of 6 unit vectors, (0,0) twice."""
    sq = box(0, 0, 2, 2)
    plane = Plane.around(objects(sq, Point(20, 0)), LONLAT, 0.0)
    hull = shapely.get_coordinates(sq.convex_hull)
    lon, lat = np.append(hull[:, 0], 20.0), np.append(hull[:, 1], 0.0)
    rl, rp = np.radians(lat), np.radians(lon)
    xyz = np.column_stack([np.cos(rl) * np.cos(rp), np.cos(rl) * np.sin(rp), np.sin(rl)])
    c = xyz.sum(axis=0)
    c /= np.linalg.norm(c)
    params = plane.stere.to_dict()
    assert params["lon_0"] == pytest.approx(math.degrees(math.atan2(c[1], c[0])), abs=1e-9)
    assert params["lat_0"] == pytest.approx(math.degrees(math.asin(c[2])), abs=1e-9)
    widest = math.degrees(math.acos((xyz @ c).min()))
    assert plane.kmax == pytest.approx(kmax_by_hand(widest, 0.0), rel=1e-9)


def test_around_another_ellipsoid():
    """A sphere-ish ellipsoid a = 6,400,000 m, 1/f = 300: its Geod, its stereographic and its semi-latus rectum."""
    crs = "+proj=longlat +a=6400000 +rf=300 +no_defs"
    plane = Plane.around(objects(Point(5, 5)), crs, 1_500_000.0)
    assert (plane.geod.a, plane.geod.f) == pytest.approx((6.4e6, 1 / 300), rel=1e-12)
    assert plane.stere.ellipsoid.semi_major_metre == 6.4e6
    assert plane.stere.ellipsoid.inverse_flattening == pytest.approx(300.0, rel=1e-12)
    assert plane.kmax == pytest.approx(kmax_by_hand(0.0, 1_500_000.0, a=6.4e6, rf=300.0), rel=1e-12)


def test_around_refuses_sites_round_the_globe_with_the_angle_and_name():
    """36 points round the equator cancel (centre (0, 0)); the one at 180° is 180° from it."""
    points = objects(*[Point(lon, 0) for lon in np.arange(-180, 180, 10.0)])
    message = "region r: the sites surround the globe (180° from their centre); give a smaller region"
    with pytest.raises(PacovError, match=re.escape(message)):
        Plane.around(points, LONLAT, 1_000.0, name="region r")
    with pytest.raises(PacovError, match=re.escape("the sites: the sites surround the globe (180°")):
        Plane.around(points, LONLAT, 1_000.0)


def ring_and_point(north):
    """A ring at 80°S and one point at ``north``°N: their lon, lat and the widest angle from the mean of the unit
    vectors (by hand, in numpy)."""
    lon = np.append(np.arange(0, 360, 30.0), 0.0)
    lat = np.append(np.full(12, -80.0), north)
    rl, rp = np.radians(lat), np.radians(lon)
    xyz = np.column_stack([np.cos(rl) * np.cos(rp), np.cos(rl) * np.sin(rp), np.sin(rl)])
    c = xyz.mean(axis=0)
    c /= np.linalg.norm(c)
    return lon, lat, math.degrees(math.acos((xyz @ c).min()))


def test_around_refuses_a_site_just_over_170_degrees_from_the_centre():
    """A ring at 80°S (centre: near the South Pole) and one point at 81°N, some 170.2° from the centre:
    the point tilts the centre a little, so its angle is worked from the mean of the unit vectors."""
    lon, lat, widest = ring_and_point(81.0)
    assert 170.0 < widest < 170.5
    with pytest.raises(PacovError, match=f"\\({widest:.0f}° from their centre\\)"):
        Plane.around(objects(*[Point(x, y) for x, y in zip(lon, lat)]), LONLAT, 0.0)


def test_around_accepts_a_site_169_degrees_from_the_centre():
    lon, lat, widest = ring_and_point(80.5)
    assert 169.5 < widest < 170.0
    plane = Plane.around(objects(*[Point(x, y) for x, y in zip(lon, lat)]), LONLAT, 0.0)
    assert plane.kmax == pytest.approx(kmax_by_hand(widest, 0.0), rel=1e-9)


# --- Plane.project, reach, lower ----------------------------------------------------------------


def test_project_matches_the_stereographic_written_by_hand():
    """Points around (100°E, ~30°N): the plane's coordinates are PROJ's stereographic on the same centre."""
    pts = objects(Point(90, 30), Point(110, 30), Point(100, 35), Point(95, 28.5))
    plane = Plane.around(pts[:2], LONLAT, 0.0)  # centred on 100°E, lat0 as below
    lat0 = math.degrees(math.atan2(math.sin(math.radians(30)), math.cos(math.radians(30)) * math.cos(math.radians(10))))
    got = shapely.get_coordinates(plane.project(pts))
    expected = to_stere([90, 110, 100, 95], [30, 30, 35, 28.5], lat0, 100.0)
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-4)
    assert got[0, 0] < 0 < got[1, 0]  # west is −x
    assert got[2, 1] > 0  # north is +y


def test_project_polygons_in_a_projected_crs_keep_order_and_shape():
    to_merc = pyproj.Transformer.from_crs(LONLAT, "EPSG:3857", always_xy=True)
    lonlat = [box(10, 40, 11, 41), Point(12, 42), LineString([(9, 39), (13, 43)])]
    merc = shapely.transform(objects(*lonlat), lambda xy: np.column_stack(to_merc.transform(*xy.T)))
    plane = Plane.around(merc, "EPSG:3857", 0.0)
    lat0, lon0 = plane.stere.to_dict()["lat_0"], plane.stere.to_dict()["lon_0"]
    assert 10 < lon0 < 12 and 40 < lat0 < 42
    got = plane.project(merc)
    assert [g.geom_type for g in got] == ["Polygon", "Point", "LineString"]
    for g, src in zip(got, lonlat):
        lon, lat = shapely.get_coordinates(src).T
        np.testing.assert_allclose(shapely.get_coordinates(g), to_stere(lon, lat, lat0, lon0), atol=1e-4)


def test_project_nothing():
    plane = Plane.around([], LONLAT, 0.0)
    assert len(plane.project([])) == 0


def test_reach_and_lower_scale_by_kmax():
    plane = Plane(pyproj.CRS(LONLAT), pyproj.CRS(LONLAT), GEOD, 1.25)
    assert plane.reach(1_000.0) == 1_250.0  # 1,000 × 1.25
    np.testing.assert_allclose(plane.lower([1_250.0, 0.0, 5.0]), [1_000.0, 0.0, 4.0])  # ÷ 1.25
    assert plane.lower(2.5) == 2.0


# --- Plane.lengths ------------------------------------------------------------------------------


def test_lengths_are_geodesics_between_the_ends_of_each_line():
    """Lines drawn in longitude and latitude, taken into the plane by hand: their lengths are the
    geodesics between their first and last vertices (a middle vertex does not count)."""
    pts = objects(Point(-20, 60), Point(20, 60), Point(0, 70))
    plane = Plane.around(pts, LONLAT, 0.0)
    p = plane.stere.to_dict()
    ends = [((-20, 60), (0, 65), (20, 60)), ((0, 70), (1, 69.5), (0.5, 70.2)), ((5, 62), (5.0001, 62.0001))]
    lines = []
    for line in ends:
        lon, lat = np.array(line, float).T
        lines.append(LineString(to_stere(lon, lat, p["lat_0"], p["lon_0"])))
    got = plane.lengths(objects(*lines))
    expected = [GEOD.inv(*line[0], *line[-1])[2] for line in ends]
    np.testing.assert_allclose(got, expected, rtol=1e-9)
    assert 2_000_000 < expected[0] < 2_300_000 and 10 < expected[2] < 20


def test_lengths_of_lines_of_no_length_and_under_a_metre():
    pts = objects(Point(0, 0))
    plane = Plane.around(pts, LONLAT, 0.0)
    same = LineString([(1000.0, 2000.0), (1000.0, 2000.0)])
    half = LineString([(0.0, 0.0), (0.3, 0.4)])  # 0.5 m in the plane, at its centre where the scale is 1
    got = plane.lengths(objects(same, half))
    assert got[0] == 0.0
    assert got[1] == pytest.approx(0.5, rel=1e-6)


def test_lengths_of_no_lines():
    plane = Plane.around([], LONLAT, 0.0)
    got = plane.lengths([])
    assert got.shape == (0,)
    assert got.dtype == float


def test_lengths_across_the_antimeridian_on_another_ellipsoid():
    crs = "+proj=longlat +a=6400000 +rf=300 +no_defs"
    plane = Plane.around(objects(Point(179.5, -40), Point(-179.5, -40)), crs, 0.0)
    p = plane.stere.to_dict()
    assert abs(p["lon_0"]) == pytest.approx(180.0, abs=1e-9)
    xy = to_stere([179.5, -179.5], [-40, -40], p["lat_0"], p["lon_0"], src=crs, a=6.4e6, rf=300.0)
    got = plane.lengths(objects(LineString(xy)))
    expected = pyproj.Geod(a=6.4e6, rf=300.0).inv(179.5, -40, -179.5, -40)[2]
    assert got[0] == pytest.approx(expected, rel=1e-9)
    assert 80_000 < expected < 90_000  # 1° of longitude at 40°S: ~ 111 km × cos 40°


# --- sliver -------------------------------------------------------------------------------------


def band(origin, u, depth):
    """The half-plane {p : (p − origin)·u ≥ −depth} as a big polygon, drawn by hand."""
    ox, oy = origin
    ux, uy = u
    bx, by = ox - depth * ux, oy - depth * uy  # a point on the band's inner line
    vx, vy = -uy, ux  # along the line
    far = 1e4
    return Polygon(
        [
            (bx + far * vx, by + far * vy),
            (bx + far * vx + far * ux, by + far * vy + far * uy),
            (bx - far * vx + far * ux, by - far * vy + far * uy),
            (bx - far * vx, by - far * vy),
        ]
    )


def test_sliver_is_the_band_behind_the_line():
    """Box (0,0)–(10,10), origin its corner (10, 10), u = (0.6, 0.8) (the box lies behind), depth 5; and
    an L-shape with origin (4, 2), u = (0, −1) pointing down... below it, depth 1.5 (more vertices)."""
    sq = box(0, 0, 10, 10)
    ell = Polygon([(0, 2), (4, 2), (4, 3), (1, 3), (1, 6), (0, 6)])
    geoms = objects(sq, ell)
    origin = np.array([[10.0, 10.0], [4.0, 2.0]])
    u = np.array([[0.6, 0.8], [0.0, -1.0]])
    depth = np.array([5.0, 1.5])
    got = sliver(geoms, origin, u, depth)
    for g, src, o, d, dep in zip(got, geoms, origin, u, depth):
        expected = shapely.intersection(src, band(o, d, dep))
        assert g.area == pytest.approx(expected.area, rel=1e-9)
        assert shapely.symmetric_difference(g, expected).area < 1e-9
    # the box's sliver: 0.6(x − 10) + 0.8(y − 10) ≥ −5, the corner triangle with legs 5/0.6 and 5/0.8
    assert got[0].area == pytest.approx(0.5 * (5 / 0.6) * (5 / 0.8), rel=1e-9)
    # the L's sliver: y ≤ 3.5, i.e. the foot (4 × 1) and the leg's first half unit (1 × 0.5)
    assert got[1].area == pytest.approx(4.5, rel=1e-9)


def test_sliver_keeps_a_geometry_wholly_inside_the_band():
    tri = Polygon([(0, 0), (-2, 1), (-2, -1)])
    got = sliver(objects(tri), np.array([[0.0, 0.0]]), np.array([[1.0, 0.0]]), np.array([3.0]))
    assert shapely.equals(got[0], tri)
    assert shapely.symmetric_difference(got[0], tri).area < 1e-12


def test_sliver_depth_is_scaled_not_unit():
    """Depth 0.25 on a unit square behind x = 1: only x ≥ 0.75 stays (the band x' ≥ −1 in depth units)."""
    got = sliver(objects(box(0, 0, 1, 1)), np.array([[1.0, 0.5]]), np.array([[1.0, 0.0]]), np.array([0.25]))
    assert got[0].bounds == pytest.approx((0.75, 0.0, 1.0, 1.0), abs=1e-12)


# --- nearest_lines ------------------------------------------------------------------------------


def hull_lines(a, b):
    return shapely.shortest_line(shapely.convex_hull(a), shapely.convex_hull(b))


def test_nearest_lines_at_the_bottom_of_a_wide_notch():
    """A U opening towards a triangle's tip at (11, 5): the hulls' line is (10, 5)–(11, 5), h = 1; the
    nearest point of the U is (8, 5), directly behind, exactly U − h = 2 + 1 − 1 = 2 deep (the bound's
    equality case, which the 1-unit margin keeps in the band). The notch's corners (10, 0.5), (10, 9.5)
    lie √(1 + 4.5²) ≈ 4.61 from the tip."""
    u_shape = box(0, 0, 10, 10).difference(box(8, 0.5, 10, 9.5))
    tip = Polygon([(11, 5), (15, 3), (15, 7)])
    a, b = objects(u_shape), objects(tip)
    hl = hull_lines(a, b)
    assert shapely.get_coordinates(hl).tolist() == [[10, 5], [11, 5]]
    got = nearest_lines(a, b, hl)
    assert shapely.get_coordinates(got).tolist() == [[8, 5], [11, 5]]
    assert shapely.length(got[0]) == 3.0


def test_nearest_lines_when_the_hulls_overlap():
    """A triangle inside a U's opening: the hulls overlap (h = 0), the whole polygons are searched:
    its tip (6, 2.5) is 0.5 above the U's lower arm y = 2."""
    u_shape = box(0, 0, 10, 10).difference(box(2, 2, 10, 8))
    tri = Polygon([(6, 2.5), (9, 6), (4, 6)])
    a, b = objects(u_shape), objects(tri)
    hl = hull_lines(a, b)
    assert shapely.length(hl[0]) == 0
    got = nearest_lines(a, b, hl)
    assert shapely.get_coordinates(got).tolist() == [[6, 2], [6, 2.5]]


def test_nearest_lines_of_several_pairs_on_a_slant():
    """The notch case rotated by 30° and moved, beside a plain pair of boxes 3 apart and the overlap case:
    each line is shapely's shortest line between the raw polygons."""
    u_shape = box(0, 0, 10, 10).difference(box(8, 0.5, 10, 9.5))
    tip = Polygon([(11, 5), (15, 3), (15, 7)])
    rot_a = affinity.translate(affinity.rotate(u_shape, 30, origin=(0, 0)), 100, -50)
    rot_b = affinity.translate(affinity.rotate(tip, 30, origin=(0, 0)), 100, -50)
    u2 = box(0, 0, 10, 10).difference(box(2, 2, 10, 8))
    tri = Polygon([(6, 2.5), (9, 6), (4, 6)])
    a = objects(rot_a, box(0, 0, 1, 1), u2)
    b = objects(rot_b, Polygon([(4, 0.5), (6, 0), (6, 1)]), tri)
    got = nearest_lines(a, b, hull_lines(a, b))
    expected = shapely.shortest_line(a, b)
    np.testing.assert_allclose(shapely.length(got), [3.0, 3.0, 0.5], rtol=1e-9)
    for g, e in zip(got, expected):
        np.testing.assert_allclose(shapely.get_coordinates(g), shapely.get_coordinates(e), atol=1e-9)
    # the slanted one: (8, 5) and (11, 5) turned by 30° about the origin and moved by (100, −50)
    c, s = math.cos(math.radians(30)), math.sin(math.radians(30))
    ends = [(100 + x * c - y * s, -50 + x * s + y * c) for x, y in [(8, 5), (11, 5)]]
    np.testing.assert_allclose(shapely.get_coordinates(got[0]), ends, atol=1e-9)


def test_around_no_sites_raises_no_warning():
    """No sites: no mean of an empty array is taken (numpy would warn "Mean of empty slice")."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        plane = Plane.around([], LONLAT, 0.0)
    assert plane.kmax == 1.0  # widest 0, reach 0: sec²(0) = 1


def test_around_three_sites_120_degrees_apart_round_the_equator():
    """(0, 0), (120°E, 0), (120°W, 0): their unit vectors cancel, the centre falls back on (0, 0), a unit
    vector, so the farthest site is 120° from it (accepted: under 170°)."""
    plane = Plane.around(objects(Point(0, 0), Point(120, 0), Point(-120, 0)), LONLAT, 0.0)
    params = plane.stere.to_dict()
    assert (params["lat_0"], params["lon_0"]) == (0.0, 0.0)
    # c = 120°: kmax = 1 + 1.01 (sec² 60° − 1) = 1 + 1.01 × 3 = 4.03
    assert plane.kmax == pytest.approx(4.03, rel=1e-12)


def test_around_an_antipode_whose_dot_product_rounds_under_minus_one():
    """(179°W, 20°S) twice and its antipode (1°E, 20°N): the centre is the first; the antipode's dot
    product with it rounds to −1 − 2⁻⁵², clipped to −1: 180° from the centre, refused as such."""
    points = objects(Point(-179, -20), Point(-179, -20), Point(1, 20))
    with pytest.raises(PacovError, match=re.escape("s: the sites surround the globe (180° from their centre)")):
        Plane.around(points, LONLAT, 0.0, name="pairs")
