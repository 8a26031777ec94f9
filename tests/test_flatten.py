import numpy as np
import pytest
import shapely

from conftest import sites, square
from pacov.engine.flatten import clip_to_frames, erase_chunk, erase_overlaps, priority_order


def test_overlap_goes_to_stricter_category():
    layer = sites(
        [
            {"WDPAID": 1, "IUCN_CAT": "IV", "geometry": square(0, 0, 10)},
            {"WDPAID": 2, "IUCN_CAT": "Ia", "geometry": square(5, 0, 10)},
        ]
    )
    flat, log = erase_overlaps(layer)
    areas = dict(zip(flat["WDPAID"], shapely.area(flat.geometry.to_numpy()) / 1e4))
    assert areas == pytest.approx({2: 10_000.0, 1: 5_000.0})
    assert list(flat["WDPAID"]) == [2, 1]
    assert log["WDPAID"].tolist() == [1] and "5,000.0 ha" in log["reason"].iloc[0]


def test_same_category_earliest_year_wins_then_lowest_id():
    layer = sites(
        [
            {"WDPAID": 3, "STATUS_YR": 2010, "geometry": square(0, 0, 10)},
            {"WDPAID": 9, "STATUS_YR": 1990, "geometry": square(0, 0, 10)},
            {"WDPAID": 4, "STATUS_YR": 1990, "geometry": square(0, 0, 10)},
            {"WDPAID": 5, "STATUS_YR": 0, "geometry": square(0, 0, 10)},
        ]
    )
    assert list(layer["WDPAID"].iloc[priority_order(layer)]) == [4, 9, 3, 5]


def test_flattened_sites_are_disjoint_and_sum_to_the_union():
    layer = sites(
        [
            {"WDPAID": i, "IUCN_CAT": cat, "geometry": square(i * 3, i * 2, 10)}
            for i, cat in enumerate(["II", "IV", "Ia", "VI", "Not Reported"], start=1)
        ]
    )
    flat, _ = erase_overlaps(layer)
    geoms = flat.geometry.to_numpy()
    union = shapely.area(shapely.union_all(layer.geometry.to_numpy()))
    assert shapely.area(geoms).sum() == pytest.approx(union, rel=1e-12)
    for i in range(len(geoms)):
        for j in range(i + 1, len(geoms)):
            assert shapely.area(shapely.intersection(geoms[i], geoms[j])) < 1e-6


def test_site_inside_a_stricter_site_keeps_its_row_with_no_area():
    layer = sites(
        [
            {"WDPAID": 1, "IUCN_CAT": "Ia", "geometry": square(0, 0, 10)},
            {"WDPAID": 2, "IUCN_CAT": "IV", "geometry": square(2, 2, 3)},
        ]
    )
    flat, log = erase_overlaps(layer)
    inner = flat[flat["WDPAID"] == 2]
    assert inner.geometry.iloc[0].is_empty
    assert shapely.area(inner["site_geometry"].iloc[0]) == pytest.approx(9e6)
    assert log["WDPAID"].tolist() == [2]


def test_neighbours_are_cut_to_the_target_before_erasing_and_the_answer_is_unchanged():
    park = shapely.Point(0, 0).buffer(10_000, quad_segs=256)  # large, many vertices
    reserve = shapely.box(9_000, -500, 11_000, 500)  # small, on the park's edge
    cut = clip_to_frames(np.array([park], dtype=object), np.array([reserve], dtype=object))[0]
    assert cut.is_valid and shapely.get_num_coordinates(cut) < shapely.get_num_coordinates(park) / 20
    assert cut.contains(reserve.intersection(park))
    erased = erase_chunk((np.array([reserve], dtype=object), np.array([park], dtype=object), np.array([1])))[0]
    assert erased.area == pytest.approx(reserve.difference(park).area, rel=1e-12)


def test_neighbours_that_only_share_a_bounding_box_erase_nothing():
    target = shapely.Polygon([(0, 0), (10, 0), (0, 10)])  # lower-left triangle
    box_only = shapely.Polygon([(10, 10), (10, 4), (4, 10)])  # in its box, not touching it
    real = shapely.box(-1, -1, 2, 2)
    out = erase_chunk(
        (np.array([target, target], dtype=object), np.array([box_only, box_only, real], dtype=object), np.array([1, 2]))
    )
    assert out[0].equals(target)  # count 1 -> 0: unchanged
    assert out[1].area == pytest.approx(target.area - 4.0)  # count 2 -> 1: only the real one
