"""densify against GEOS densify (shapely.segmentize) on random valid polygons (hypothesis).

For valid input densify must put GEOS's points where GEOS puts them, exactly. GEOS densify differs
from a pure insertion of points in three ways, which the polygons drawn here avoid or the comparison
allows for (each one is harmless for areas, and densify's output is repaired after projecting anyway):

- it drops repeated consecutive points of every ring it rebuilds: the rings drawn here have none;
- it returns a one-part MultiPolygon as a Polygon: parts are compared, and densify must keep the type;
- it checks the densified polygon's validity and runs buffer(0) on an invalid one, and a valid polygon
  whose hole (or another part) touches an edge at a point inside it can come out invalid, as the new
  points lie within rounding of the edge, not on it: holes and parts here keep clear of each other.
"""

import math

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from pacov.cleaning.densify import densify

# A star-shaped ring round a centre: 4-14 vertices, the angle to the next one 1-2 parts of the 360°
# (so at most 144°: the centre is inside), at radii of 1-2 times the ring's scale.
star = st.integers(4, 14).flatmap(
    lambda n: st.tuples(
        st.floats(0, 360),
        st.lists(st.floats(1, 2), min_size=n, max_size=n),
        st.lists(st.floats(1, 2), min_size=n, max_size=n),
    )
)


def ring(spec, centre, scale):
    start, gaps, radii = spec
    theta = np.radians(start + 360 * np.cumsum([0, *gaps[:-1]]) / sum(gaps))
    x = centre[0] + scale * np.asarray(radii) * np.cos(theta)
    y = centre[1] + scale * np.asarray(radii) * np.sin(theta)
    return np.column_stack([np.append(x, x[0]), np.append(y, y[0])])


@st.composite
def polygon(draw, centre):
    """A valid polygon of 0-2 holes, clear of each other and of the shell: with ``d`` the distance from
    the centre to the shell, each hole is a star of radius <= 0.2 d centred 0.45 d east or west."""
    shell = ring(draw(star), centre, draw(st.floats(0.5, 20)))
    d = shapely.distance(shapely.Point(centre), shapely.LinearRing(shell))
    holes = [
        ring(draw(star), (centre[0] + side * 0.45 * d, centre[1]), draw(st.floats(0.01, 0.1)) * d)
        for side in draw(st.sampled_from([(), (1,), (-1,), (1, -1)]))
    ]
    return shapely.Polygon(shell, holes)


@st.composite
def polygonal(draw):
    """A Polygon, or a MultiPolygon of 1-3 disjoint polygons (centres 100 apart, each within 40)."""
    x, y = draw(st.floats(-180, 180)), draw(st.floats(-90, 90))
    if draw(st.booleans()):
        return draw(polygon((x, y)))
    count = draw(st.integers(1, 3))
    return shapely.MultiPolygon([draw(polygon((x + 100 * k, y))) for k in range(count)])


def edge_lengths(geom):
    rings = shapely.get_rings(shapely.get_parts(geom))
    return np.concatenate([np.hypot(*np.diff(shapely.get_coordinates(r), axis=0).T) for r in rings])


@settings(max_examples=200, deadline=None)
@given(
    st.lists(polygonal(), min_size=1, max_size=5),
    st.floats(-3.0, 2.0),  # log10 of the step: from 1000 points per unit to none at all
)
def test_densify_is_geos_densify_on_valid_polygons(geoms, log_step):
    geoms = np.array(geoms, dtype=object)
    assert shapely.is_valid(geoms).all()  # the strategy's promise; every expected value below is GEOS's
    step = 10.0**log_step
    out = densify(geoms, step)

    assert shapely.get_type_id(out).tolist() == shapely.get_type_id(geoms).tolist()
    expected = shapely.segmentize(geoms, step)  # one-part multipolygons come back as polygons
    for dense, geos in zip(out, expected):
        parts, geos_parts = shapely.get_parts(dense), shapely.get_parts(geos)
        assert len(parts) == len(geos_parts)
        assert shapely.equals_exact(parts, geos_parts, tolerance=0).all()  # same rings, same points

    assert shapely.area(out) == pytest.approx(shapely.area(geoms), rel=1e-12)
    for dense, geom in zip(out, geoms):
        parts = shapely.get_parts(geom)
        assert (
            shapely.get_num_interior_rings(shapely.get_parts(dense)).tolist()
            == shapely.get_num_interior_rings(parts).tolist()
        )
        size = np.abs(shapely.get_coordinates(geom)).max()
        slack = step * 1e-12 + 4 * np.spacing(size)  # new points are rounded to the nearest double
        assert edge_lengths(dense).max() <= step + slack
        assert math.isclose(edge_lengths(dense).sum(), edge_lengths(geom).sum(), rel_tol=1e-12)
