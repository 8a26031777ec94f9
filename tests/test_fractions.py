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
