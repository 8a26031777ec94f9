import pytest
import shapely
from shapely.geometry import MultiPoint, Point

from conftest import sites, square
from pacov.cleaning.points import points_to_circles


def test_point_becomes_circle_of_reported_area():
    layer = sites(
        [
            {"WDPAID": 1, "REP_AREA": 25.0, "geometry": Point(0, 0)},
            {"WDPAID": 2, "REP_AREA": 7.0, "geometry": square(100, 100, 10)},
        ]
    )
    out, log = points_to_circles(layer)
    areas = dict(zip(out["WDPAID"], shapely.area(out.geometry.to_numpy())))
    assert areas[1] == pytest.approx(25e6, rel=1e-9)
    assert areas[2] == pytest.approx(100e6)  # polygons keep their drawn area, not REP_AREA
    assert log["action"].tolist() == ["changed"]


def test_multipoint_shares_its_area_and_point_without_area_is_dropped():
    layer = sites(
        [
            {"WDPAID": 1, "REP_AREA": 20.0, "geometry": MultiPoint([(0, 0), (50_000, 0)])},
            {"WDPAID": 2, "REP_AREA": None, "geometry": Point(0, 90_000)},
        ]
    )
    out, log = points_to_circles(layer)
    assert list(out["WDPAID"]) == [1]
    assert shapely.area(out.geometry.iloc[0]) == pytest.approx(20e6, rel=1e-9)
    dropped = log[log["action"] == "dropped"]
    assert dropped["WDPAID"].tolist() == [2] and "without REP_AREA" in dropped["reason"].iloc[0]
