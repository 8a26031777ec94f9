import pytest
from shapely.geometry import LineString, Point, Polygon

from conftest import sites, square
from pacov.cleaning.geometry_types import check_types
from pacov.errors import PacovError


def test_empties_are_dropped_points_allowed_lines_refused():
    layer = sites(
        [
            {"WDPAID": 1, "geometry": square(0, 0, 1)},
            {"WDPAID": 2, "geometry": Polygon()},
            {"WDPAID": 3, "geometry": Point(0, 0)},
        ]
    )
    kept, log = check_types(layer, "pa")
    assert kept["WDPAID"].tolist() == [1, 3] and log["WDPAID"].tolist() == [2]
    with pytest.raises(PacovError, match=r"pa: feature 1 \(WDPAID 9\) is a LineString; only polygons or points"):
        check_types(sites([{"WDPAID": 9, "geometry": LineString([(0, 0), (1, 1)])}]), "pa")
    with pytest.raises(PacovError, match=r"feature 1 \(WDPAID 9\) is a Point; only polygons can hold area"):
        check_types(sites([{"WDPAID": 9, "geometry": Point(0, 0)}]), "r", allow_points=False)


def test_3d_coordinates_are_flattened():
    z = Polygon([(0, 0, 5), (1000, 0, 5), (1000, 1000, 5), (0, 1000, 5)])
    kept, _ = check_types(sites([{"WDPAID": 1, "geometry": z}]), "pa")
    assert not kept.geometry.iloc[0].has_z and kept.geometry.iloc[0].area == 1e6
