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
