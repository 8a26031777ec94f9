"""densify: GEOS densify's points, without its rebuild of invalid polygons."""

import numpy as np
import pytest
import shapely
from shapely.geometry import MultiPolygon, Point, Polygon, box

from pacov.cleaning.densify import densify


def test_the_points_are_geos_densify_s_in_polygons_holes_and_multipolygons():
    holed = Polygon(box(0, 0, 10, 10).exterior.coords, [box(2, 2, 3.7, 3.3).exterior.coords])
    multi = MultiPolygon([box(20, 0, 21, 7.3), box(30, 0, 30.2, 0.2)])
    geoms = np.array([holed, multi, box(40, 0, 40.5, 0.5)], dtype=object)
    out = densify(geoms, 0.6)
    assert all(shapely.equals_exact(out, shapely.segmentize(geoms, 0.6), tolerance=0))
    assert shapely.get_type_id(out).tolist() == shapely.get_type_id(geoms).tolist()


def test_no_edge_is_left_longer_than_the_step():
    rng = np.random.default_rng(5)
    ring = rng.uniform(0, 100, (40, 2))
    poly = shapely.convex_hull(shapely.multipoints(ring))
    out = densify(np.array([poly], dtype=object), 3.0)[0]
    coords = np.asarray(out.exterior.coords)
    assert np.hypot(*np.diff(coords, axis=0).T).max() <= 3.0
    assert out.area == pytest.approx(poly.area, rel=1e-12)  # points along the edges change no area


def test_an_invalid_bow_tie_keeps_both_lobes():
    """GEOS densify runs buffer(0) on it and keeps one lobe; the ring here is only given more points."""
    bow_tie = Polygon([(0, 0), (10, 10), (10, 0), (0, 10)])
    out = densify(np.array([bow_tie], dtype=object), 1.0)[0]
    assert not out.is_valid
    assert shapely.make_valid(out).area == pytest.approx(50.0)  # two 25-unit triangles, by hand
    assert shapely.segmentize(bow_tie, 1.0).area == pytest.approx(25.0)  # what GEOS densify would keep


def test_points_and_empties_pass_unchanged():
    geoms = np.array([Point(0, 0), shapely.multipoints([(0, 0), (50, 50)]), Polygon()], dtype=object)
    out = densify(geoms, 1.0)
    assert all(a is b for a, b in zip(out, geoms))  # the very objects: nothing rebuilt


def test_an_empty_part_is_dropped_not_a_crash():
    """GDAL reads a GeoJSON multipolygon part ``[]`` as an EMPTY part; from_ragged_array (and GEOS densify)
    crash the whole process on it. The empty part holds no area: it is left out, the other parts densified."""
    geoms = shapely.from_wkt(
        [
            "MULTIPOLYGON (((0 0, 10 0, 10 10, 0 10, 0 0), (2 2, 3 2, 3 3, 2 2)), EMPTY, ((20 0, 21 0, 21 1, 20 0)))",
            "POLYGON ((40 0, 44 0, 44 1, 40 0))",
            "MULTIPOLYGON (EMPTY, ((50 0, 54 0, 54 1, 50 0)))",
        ]
    )
    out = densify(geoms, 3.0)
    assert shapely.get_type_id(out).tolist() == shapely.get_type_id(geoms).tolist()
    for dense, geom in zip(out, geoms):
        parts = shapely.get_parts(geom)
        expected = shapely.segmentize(parts[~shapely.is_empty(parts)], 3.0)  # GEOS's points, part by part
        assert all(shapely.equals_exact(shapely.get_parts(dense), expected, tolerance=0))
