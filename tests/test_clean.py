"""The whole cleaning pipeline on a layer holding every awkward case at once."""

import pytest
import shapely
from shapely.geometry import Point, Polygon

from conftest import EQUAL_AREA, sites, square
from pacov.cleaning.clean import CleanOptions, clean_protected_areas

BOW_TIE = Polygon([(0, 0), (2000, 2000), (2000, 0), (0, 2000)])


def messy_layer():
    return sites(
        [
            {"WDPAID": 1, "IUCN_CAT": "II", "geometry": square(0, 0, 10)},  # 10,000 ha
            {"WDPAID": 2, "IUCN_CAT": "Ia", "geometry": square(5, 0, 10)},  # overlaps 1 by 5,000 ha
            {"WDPAID": 3, "REP_AREA": 4.0, "geometry": Point(100_000, 100_000)},  # circle of 400 ha
            {"WDPAID": 4, "REP_AREA": 0.0, "geometry": Point(200_000, 0)},  # no area: dropped
            {"WDPAID": 5, "STATUS": "Proposed", "geometry": square(50, 50, 10)},  # not in a baseline
            {"WDPAID": 6, "DESIG_ENG": "UNESCO-MAB Biosphere Reserve", "geometry": square(-50, -50, 200)},
            {"WDPAID": 7, "geometry": shapely.affinity.translate(BOW_TIE, 300_000, 0)},  # 200 ha when repaired
        ]
    )


def test_pipeline_keeps_drops_and_logs_each_case():
    clean, log = clean_protected_areas(messy_layer(), EQUAL_AREA)
    areas = dict(zip(clean["WDPAID"], shapely.area(clean.geometry.to_numpy()) / 1e4))
    assert areas == pytest.approx({2: 10_000.0, 1: 5_000.0, 3: 400.0, 7: 200.0})
    reasons = {(r.WDPAID, r.step, r.action) for r in log.itertuples()}
    assert {
        (5, "status", "dropped"),
        (6, "mab", "dropped"),
        (4, "points", "dropped"),
        (3, "points", "changed"),
        (7, "repair", "changed"),
        (1, "flatten", "changed"),
    } <= reasons


def test_options_keep_proposed_and_mab_without_flattening():
    options = CleanOptions(statuses=("Designated", "Proposed"), exclude_mab=False, flatten=False)
    clean, _ = clean_protected_areas(messy_layer(), EQUAL_AREA, options=options)
    assert {5, 6} <= set(clean["WDPAID"])
    assert "site_geometry" not in clean


def test_as_of_year_drops_later_sites():
    layer = messy_layer()
    layer.loc[layer["WDPAID"] == 2, "STATUS_YR"] = 2025
    clean, log = clean_protected_areas(layer, EQUAL_AREA, options=CleanOptions(as_of=2024))
    assert 2 not in set(clean["WDPAID"])
    assert "after 2024" in log[log["WDPAID"] == 2]["reason"].iloc[0]


def test_input_is_not_modified():
    layer = messy_layer()
    before = layer.copy()
    clean_protected_areas(layer, EQUAL_AREA)
    assert layer.equals(before)


def test_a_polygon_that_collapses_on_repair_is_dropped_not_drawn_as_a_point_circle():
    """Found by the CLI fuzzer: a ring of one repeated vertex repairs to a Point, which must not
    then be taken for a point site and drawn as a circle of REP_AREA."""
    collapsed = Polygon([(100_000, 0), (100_000, 0), (100_000, 0)])
    flat = Polygon([(200_000, 0), (201_000, 0), (202_000, 0)])  # collinear: repairs to a line
    layer = sites(
        [
            {"WDPAID": 1, "geometry": square(0, 0, 10)},
            {"WDPAID": 8, "REP_AREA": 5.0, "geometry": collapsed},
            {"WDPAID": 9, "REP_AREA": 5.0, "geometry": flat},
        ]
    )
    clean, log = clean_protected_areas(layer, EQUAL_AREA)
    assert clean["WDPAID"].tolist() == [1]
    assert {(r.WDPAID, r.step, r.action) for r in log.itertuples()} >= {
        (8, "repair", "dropped"),
        (9, "repair", "dropped"),
    }
