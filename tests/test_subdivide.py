import numpy as np
import pytest
import shapely
from shapely.geometry import Polygon

from pacov.engine.subdivide import subdivide_all


def test_pieces_are_small_valid_and_add_up_to_the_whole():
    t = np.linspace(0, 2 * np.pi, 5000, endpoint=False)
    ring = np.c_[np.cos(t), np.sin(t)] * (1 + 0.2 * np.sin(9 * t))[:, None] * 1000
    donut = Polygon(ring, [ring[::-1] * 0.3])
    pieces, _ = subdivide_all(np.array([donut], dtype=object), max_vertices=128)
    assert len(pieces) > 20
    assert all(p.is_valid for p in pieces) and max(shapely.get_num_coordinates(pieces)) <= 200
    assert sum(p.area for p in pieces) == pytest.approx(donut.area, rel=1e-12)
    assert shapely.union_all(pieces).symmetric_difference(donut).area < 1e-6 * donut.area
    small = Polygon([(0, 0), (1, 0), (1, 1)])
    pieces, owner = subdivide_all(np.array([small, donut], dtype=object), 128)
    assert owner[0] == 0 and pieces[0].equals(small) and set(owner) == {0, 1}


def test_no_geometries_no_pieces():
    pieces, owner = subdivide_all(np.empty(0, dtype=object))
    assert len(pieces) == 0 and len(owner) == 0


def test_a_clip_that_loses_area_is_cut_again_with_the_robust_overlay(monkeypatch):
    """GEOS's rectangle clip can leave dirty output (libgeos/geos#605: area from outside the polygon);
    halves that do not add up to their source are cut again with ``intersection``."""
    t = np.linspace(0, 2 * np.pi, 2000, endpoint=False)
    blob = Polygon(np.c_[np.cos(t), np.sin(t)] * (1 + 0.3 * np.sin(5 * t))[:, None] * 1000)
    clip = shapely.clip_by_rect
    calls = []

    def dirty(geom, xmin, ymin, xmax, ymax):  # the first clip returns its whole rectangle, as #605 did
        calls.append(1)
        return shapely.box(xmin, ymin, xmax, ymax) if len(calls) == 1 else clip(geom, xmin, ymin, xmax, ymax)

    monkeypatch.setattr(shapely, "clip_by_rect", dirty)
    pieces, _ = subdivide_all(np.array([blob], dtype=object), max_vertices=128)
    assert len(calls) > 10
    assert sum(p.area for p in pieces) == pytest.approx(blob.area, rel=1e-12)
    assert shapely.union_all(pieces).symmetric_difference(blob).area < 1e-9 * blob.area
