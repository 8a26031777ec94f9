import numpy as np
import pytest

from conftest import EQUAL_AREA, ranges, sites, square
from coverage.flatten import erase_overlaps
from coverage.overlay import group_coverage, intersection_areas, site_coverage, species_coverage
from coverage.ranges import prepare_ranges


def test_intersection_areas_pairs():
    left = np.array([square(0, 0, 10), square(100, 0, 10)], dtype=object)
    right = np.array([square(5, 5, 10), square(200, 0, 1)], dtype=object)
    pairs = intersection_areas(left, right)
    assert pairs[["i", "j"]].values.tolist() == [[0, 0]] and pairs["ha"].iloc[0] == pytest.approx(2_500)


def test_site_and_group_tables_add_up_to_species_total():
    parts = prepare_ranges(ranges([{"sci_name": "A", "geometry": square(0, 0, 20)}]), EQUAL_AREA)
    flat, _ = erase_overlaps(sites([{"WDPAID": 1, "IUCN_CAT": "IV", "geometry": square(-5, 0, 10)},
                                    {"WDPAID": 2, "IUCN_CAT": "II", "geometry": square(0, 0, 10)},
                                    {"WDPAID": 3, "IUCN_CAT": "IV", "geometry": square(15, 15, 10)}]))
    total = species_coverage(parts, flat)["protected_ha"].iloc[0]
    assert total == pytest.approx(10_000 + 2_500)
    by_site = site_coverage(parts, flat)
    assert by_site["WDPAID"].tolist() == [2, 3, 1]
    site1 = by_site.set_index("WDPAID").loc[1]
    assert (site1["range_in_site_ha"], site1["unique_ha"]) == pytest.approx((5_000, 0))  # all taken by site 2
    assert by_site["unique_ha"].sum() == pytest.approx(total)
    by_cat = group_coverage(by_site, "IUCN_CAT")
    assert by_cat.set_index("IUCN_CAT")["protected_ha"].to_dict() == pytest.approx({"II": 10_000, "IV": 2_500})
