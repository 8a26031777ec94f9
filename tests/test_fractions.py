import numpy as np
import pytest
import rasterio.windows
from affine import Affine
from shapely.geometry import Polygon, box

from pacov.analyses.fractions import cell_areas_km2, fractions, polygon_window


def test_known_fractions_on_a_10_by_10_grid():
    transform = Affine(1, 0, 0, 0, -1, 10)  # cells of 1×1, top-left at (0, 10)
    window = rasterio.windows.Window(0, 0, 10, 10)
    square = box(2.25, 3.5, 5.75, 7.0)  # cuts cells by quarters and halves
    f = fractions(square, transform, window)
    assert f.sum() == pytest.approx(square.area)
    assert f[3, 2] == pytest.approx(0.75)  # x 2–3: 0.75 covered; y 6–7 row fully
    assert f[6, 2] == pytest.approx(0.75 * 0.5)  # bottom row y 3–4: half covered
    assert f[4, 3] == 1.0 and f[0, 0] == 0.0
    triangle = Polygon([(0, 0), (10, 0), (0, 10)])
    t = fractions(triangle, transform, window)
    assert t.sum() == pytest.approx(50.0)
    assert t[0, 9] == 0.0 and t[9, 0] == 1.0 and t[0, 0] == t[9, 9] == pytest.approx(0.5)  # diagonal: halves


def test_window_clipped_to_grid():
    transform = Affine(1, 0, 0, 0, -1, 10)
    assert polygon_window(box(20, 20, 30, 30), transform, 10, 10) is None
    w = polygon_window(box(-5, -5, 3, 3), transform, 10, 10)
    assert (w.col_off, w.row_off) == (0, 6) and w.width == 4


def test_geographic_cells_shrink_northwards():
    import pyproj

    transform = Affine(1, 0, 70, 0, -1, 60)
    areas = cell_areas_km2(pyproj.CRS("EPSG:4326"), transform, rasterio.windows.Window(0, 0, 2, 30))
    assert areas[0, 0] < areas[-1, 0]  # 59–60 °N is smaller than 30–31 °N
    assert areas[-1, 0] == pytest.approx(111.3 * 111.3 * np.cos(np.radians(30.5)), rel=0.01)
    laea = pyproj.CRS("+proj=laea +lat_0=45 +lon_0=70 +datum=WGS84")
    metres = cell_areas_km2(laea, Affine(1000, 0, 0, 0, -1000, 0), rasterio.windows.Window(0, 0, 3, 3))
    assert metres == pytest.approx(np.ones((3, 3)), rel=1e-6)


def test_geographic_cells_are_exact_bands_between_parallels():
    """Issue 16 item 12: a 5° × 5° cell is bounded by parallels, not geodesics; pyproj.Geod on its outline
    densified to 0.001° along the parallels converges to the band's area (the geodesic quadrilateral is 4.6e-4 off)."""
    import pyproj

    geod = pyproj.Geod(ellps="WGS84")
    transform = Affine(5, 0, 60, 0, -5, 55)
    areas = cell_areas_km2(pyproj.CRS("EPSG:4326"), transform, rasterio.windows.Window(0, 0, 1, 2))
    for row, (top, bottom) in enumerate([(55, 50), (50, 45)]):
        lons = np.linspace(60, 65, 5001)
        outline_lon = np.concatenate([lons, lons[::-1]])
        outline_lat = np.concatenate([np.full(5001, top), np.full(5001, bottom)])
        expected = abs(geod.polygon_area_perimeter(outline_lon, outline_lat)[0]) / 1e6
        assert areas[row, 0] == pytest.approx(expected, rel=1e-7)


def test_every_cell_of_a_circle_and_a_rotated_square_against_shapely():
    """Each cell's fraction is area(cell ∩ polygon) / area(cell), computed here with shapely cell by cell
    (mutation testing: the 'near the boundary' dilation was unchecked by axis-aligned boxes)."""
    from shapely import affinity
    from shapely.geometry import Point

    transform = Affine(1, 0, 0, 0, -1, 10)
    window = rasterio.windows.Window(0, 0, 10, 10)
    shapes = [Point(5.2, 4.7).buffer(3.3, 64), affinity.rotate(box(2.5, 2.5, 7.5, 7.5), 30, origin="centroid")]
    for geom in shapes:
        expected = np.array(
            [[box(c, 9 - r, c + 1, 10 - r).intersection(geom).area for c in range(10)] for r in range(10)]
        )
        assert fractions(geom, transform, window) == pytest.approx(expected, abs=1e-12)


def test_sphere_and_projected_cell_areas_by_hand_and_geod():
    """On a sphere a cell is R²·Δλ·(sin φ2 − sin φ1); in Web Mercator a 10 km cell's true area is pyproj.Geod's
    area of its outline (densified), a 2 × 3 window so rows and columns cannot be swapped."""
    import math

    import pyproj
    import shapely

    sphere = pyproj.CRS("+proj=longlat +R=6371000 +no_defs")
    areas = cell_areas_km2(sphere, Affine(2, 0, 10, 0, -2, 50), rasterio.windows.Window(0, 0, 1, 1))
    hand = 6371.0**2 * math.radians(2) * (math.sin(math.radians(50)) - math.sin(math.radians(48)))
    assert areas[0, 0] == pytest.approx(hand, rel=1e-12)

    mercator = pyproj.CRS("EPSG:3857")
    x0, y0 = pyproj.Transformer.from_crs("EPSG:4326", mercator, always_xy=True).transform(70, 45)
    transform = Affine(10_000, 0, x0, 0, -10_000, y0)
    areas = cell_areas_km2(mercator, transform, rasterio.windows.Window(0, 0, 3, 2))
    to_geo = pyproj.Transformer.from_crs(mercator, "EPSG:4326", always_xy=True)
    geod = pyproj.Geod(ellps="WGS84")
    for row in range(2):
        for col in range(3):
            cell = shapely.segmentize(
                box(x0 + col * 1e4, y0 - (row + 1) * 1e4, x0 + (col + 1) * 1e4, y0 - row * 1e4), 100
            )
            lonlat = shapely.transform(cell, lambda xy: np.column_stack(to_geo.transform(xy[:, 0], xy[:, 1])))
            # 3.4e-5 apart at 45° N: PROJ's areal scale of the (not quite conformal) Web Mercator at the centre
            assert areas[row, col] == pytest.approx(abs(geod.geometry_area_perimeter(lonlat)[0]) / 1e6, rel=1e-4)
