import numpy as np
import pytest
import shapely
from shapely.geometry import GeometryCollection, LineString, Polygon

from conftest import square
from pacov.cleaning.repair import polygonal_part, repair

BOW_TIE = Polygon([(0, 0), (2000, 2000), (2000, 0), (0, 2000)])  # two triangles of 1 km² each


def test_bow_tie_is_repaired_to_both_triangles():
    geoms = np.array([BOW_TIE, square(10, 10, 1)], dtype=object)
    out, invalid = repair(geoms)
    assert invalid.tolist() == [True, False]
    assert shapely.is_valid(out).all()
    assert out[0].area == pytest.approx(2e6)
    assert out[1].equals(geoms[1])


def test_self_touching_ring_keeps_its_area():
    ring = Polygon([(0, 0), (4, 0), (4, 4), (2, 4), (3, 2), (2, 4), (0, 4)])
    out, invalid = repair(np.array([ring], dtype=object))
    assert invalid.tolist() == [True] and out[0].is_valid
    assert out[0].area == pytest.approx(16 - 0)  # the spike encloses nothing


def test_polygonal_part_drops_lines_from_collections():
    mixed = GeometryCollection([square(0, 0, 1), LineString([(0, 0), (5, 5)])])
    out = polygonal_part(np.array([mixed, LineString([(0, 0), (1, 1)])], dtype=object))
    assert shapely.get_type_id(out[0]) == shapely.GeometryType.POLYGON
    assert out[1].is_empty
