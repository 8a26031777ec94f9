"""Unit tests of analyses/connectivity.py, function by function, against values worked out outside pacov:
by hand (in the comments), with shapely on the raw geometries, pyproj.Geod on the ground
(test_connectivity.ground_distances) and numpy's Floyd–Warshall (test_bestpaths.floyd_warshall) on
tiny graphs."""

import math

import numpy as np
import pytest
import shapely
from shapely.geometry import Polygon, box

from pacov.analyses.connectivity import (
    check_distances,
    clip_to_region,
    decay,
    edge_distance,
    link_cutoff,
)
from pacov.errors import PacovError

LN2 = math.log(2)
FLOOR_COST = -math.log(1e-4)  # −ln of the link floor: 9.2103...


def p_star(dist, median):
    """p* of a matrix of shortest path lengths (m): exp(−ln 2 · D / median), 0 past the floor."""
    cost = LN2 / median * dist
    return np.where(cost <= FLOOR_COST, np.exp(-cost), 0.0)


def sum_aap(areas, dist, median):
    """Σ_i Σ_j a_i a_j p*_ij from a matrix of shortest path lengths."""
    return float(areas @ p_star(dist, median) @ areas)


# --- decay, link_cutoff, check_distances ------------------------------------------------------------------


def test_decay_and_cutoff():
    assert decay(2000.0) == pytest.approx(0.6931471805599453 / 2000, rel=1e-15)
    # p = 1e-4 where ln 2 · d / 1000 = ln 1e4: d = 1000 · log2(1e4) = 13,287.712 m
    assert link_cutoff(1000.0) == pytest.approx(13287.712379549449, rel=1e-12)


def test_check_distances_gives_floats():
    out = check_distances([1000, 2.5, 0.25])
    assert out == [1000.0, 2.5, 0.25]
    assert [type(v) for v in out] == [float, float, float]


@pytest.mark.parametrize("bad", [0, -3, float("inf"), float("nan"), "10", None])
def test_check_distances_rejects(bad):
    message = f"--distance {bad}: a median dispersal distance must be a positive number of metres"
    with pytest.raises(PacovError, match="^" + message.replace("(", r"\(").replace(")", r"\)") + "$"):
        check_distances([1000, bad])


def test_check_distances_needs_one():
    with pytest.raises(PacovError, match=r"^give at least one --distance METRES \(median dispersal distance\)$"):
        check_distances([])


# --- clip_to_region ---------------------------------------------------------------------------------------


def test_clip_to_region():
    region = box(0, 0, 100, 100)
    inside = Polygon([(10, 10), (30, 10), (30, 40), (10, 40)])
    straddling = box(-10, 50, 10, 60)  # half inside: 10 × 10
    outside = box(200, 200, 210, 210)
    edge_only = box(-10, 0, 0, 10)  # shares an edge with the region: the intersection is a line
    out = clip_to_region([inside, straddling, outside, edge_only], region)
    assert out.dtype == object and len(out) == 4
    assert shapely.equals_exact(out[0], inside, tolerance=0)  # vertex for vertex: not re-cut
    assert shapely.get_coordinates(out[0]).tolist() == shapely.get_coordinates(inside).tolist()
    assert out[1].geom_type == "Polygon" and shapely.equals(out[1], box(0, 50, 10, 60)) and out[1].area == 100
    for k in (2, 3):
        assert isinstance(out[k], shapely.Geometry) and out[k].geom_type == "Polygon" and out[k].is_empty


def test_clip_to_region_of_nothing():
    out = clip_to_region([], box(0, 0, 1, 1))
    assert len(out) == 0


# --- edge_distance (a flat plane: lengths in the plane itself) ----------------------------------------------


class FlatPlane:
    """A stand-in for ground.Plane whose ground length is the line's own length (shapely)."""

    def lengths(self, lines):
        return shapely.length(np.asarray(lines, dtype=object))


def notched(depth):
    """box(100, 0, 110, 10) with a V notch ``depth`` deep in its east edge at y = 5."""
    return Polygon([(100, 0), (110, 0), (110, 4.9), (110 - depth, 5), (110, 5.1), (110, 10), (100, 10)])


DIAMOND = Polygon([(111, 5), (112, 4), (113, 5), (112, 6)])  # its west vertex 1 east of the notch

EDGE_GEOMS = [
    box(0, 0, 10, 10),  # 0
    box(13, 0, 23, 10),  # 1: 3 east of 0 (hulls' line is the pair's line)
    box(30, 0, 40, 10).difference(box(29, 3, 37, 7)),  # 2: a C open to the west
    box(26, 4, 28, 6),  # 3: in front of the C's mouth: 2 from its hull, √5 from the C
    box(50, 0, 60, 10).difference(box(53, 3, 57, 11)),  # 4: a U open to the north
    Polygon([(55, 8), (54, 5), (55, 3), (56, 5)]),  # 5: in the U, touching its floor at (55, 3) only
    Polygon([(55, 8), (54, 5), (55, 4), (56, 5)]),  # 6: in the U, 1 from its floor and walls
    notched(1.5e-6),  # 7
    DIAMOND,  # 8
    notched(4e-7),  # 9
    box(10, 0, 13, 10),  # 10: shares edges with 0 and 1
]


@pytest.mark.parametrize(
    "i, j, expected",
    [
        (0, 1, 3.0),
        (2, 3, math.sqrt(5)),  # (28, 6) to the C's corner (30, 7)
        (3, 2, math.sqrt(5)),
        (4, 5, 0.0),
        (5, 4, 0.0),
        (4, 6, 1.0),
        (6, 4, 1.0),
        (0, 10, 0.0),
        (7, 8, 1 + 1.5e-6),  # the notch is deeper than EXACT_TO / 2: measured vertex by vertex
        (8, 7, 1 + 1.5e-6),
    ],
)
def test_edge_distance_of_one_pair(i, j, expected):
    geoms = np.array(EDGE_GEOMS, dtype=object)
    hulls = shapely.convex_hull(geoms)
    d = edge_distance(geoms, hulls, np.array([i]), np.array([j]), FlatPlane())
    assert d.dtype == np.float64
    assert d.tolist() == pytest.approx([shapely.distance(geoms[i], geoms[j])], rel=1e-12, abs=1e-12)
    assert d[0] == pytest.approx(expected, rel=1e-9, abs=1e-12)


def test_edge_distance_within_exact_to_takes_the_hull_line():
    """A notch 4e-7 deep (less than EXACT_TO / 2 = 5e-7): the hulls' shortest line stands, 1 exactly."""
    geoms = np.array([notched(4e-7), DIAMOND], dtype=object)
    hulls = shapely.convex_hull(geoms)
    d = edge_distance(geoms, hulls, np.array([0, 1]), np.array([1, 0]), FlatPlane())
    assert d.tolist() == [1.0, 1.0]
    assert shapely.distance(geoms[0], geoms[1]) > 1 + 3e-7  # the exact distance, which is not taken


def test_edge_distance_of_many_pairs_at_once():
    geoms = np.array([g for k, g in enumerate(EDGE_GEOMS) if k != 9], dtype=object)  # 9: see the test above
    hulls = shapely.convex_hull(geoms)
    i, j = np.triu_indices(len(geoms), 1)
    d = edge_distance(geoms, hulls, i, j, FlatPlane())
    assert d.tolist() == pytest.approx(shapely.distance(geoms[i], geoms[j]).tolist(), rel=1e-12, abs=1e-12)
    assert len(edge_distance(geoms, hulls, np.array([], dtype=int), np.array([], dtype=int), FlatPlane())) == 0
