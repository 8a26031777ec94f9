import numpy as np
import pytest
import shapely
import shapely.affinity
from shapely.geometry import Polygon

from conftest import EQUAL_AREA, ranges, sites, square
from pacov.engine.flatten import erase_overlaps
from pacov.engine.overlay import RangeOverlay, group_coverage, site_coverage, species_coverage, union_areas
from pacov.engine.ranges import prepare_ranges


def test_range_overlay_pairs_pieces_and_contained_targets():
    big = Polygon(np.c_[np.cos(np.linspace(0, 6.28, 2000)), np.sin(np.linspace(0, 6.28, 2000))] * 30_000)
    parts = ranges([{"sci_name": "A", "geometry": big}, {"sci_name": "B", "geometry": square(100, 0, 10)}])
    overlay = RangeOverlay(parts)
    assert len(overlay.pieces) > 8 and (shapely.get_num_coordinates(overlay.pieces) <= 300).all()
    assert shapely.area(overlay.pieces).sum() == pytest.approx(big.area + 1e8, rel=1e-12)
    targets = np.array([square(-5, -5, 10), square(25, 0, 10), square(200, 0, 1)], dtype=object)
    pairs = overlay.areas(targets).set_index("j")
    assert pairs.loc[0, "ha"] == pytest.approx(10_000, rel=1e-12)  # wholly inside the range
    assert pairs.loc[1, "ha"] == pytest.approx(shapely.intersection(big, targets[1]).area / 1e4, rel=1e-9)
    assert 2 not in pairs.index


def test_protected_counts_the_union_of_overlapping_targets_once():
    """Nested, crossing and near-duplicate targets over a range cut into many pieces: shapely's union says."""
    rng = np.random.default_rng(3)
    big = Polygon(np.c_[np.cos(np.linspace(0, 6.28, 3000)), np.sin(np.linspace(0, 6.28, 3000))] * 40_000)
    parts = ranges([{"sci_name": "A", "geometry": big}, {"sci_name": "B", "geometry": square(-20, -20, 15)}])
    overlay = RangeOverlay(parts)
    targets = [shapely.buffer(shapely.Point(rng.uniform(-40e3, 40e3, 2)), rng.uniform(1e3, 15e3)) for _ in range(40)]
    targets += [shapely.affinity.translate(t, 3.0, 2.0) for t in targets[:10]]  # near-duplicates
    targets += [square(-100, -100, 200)]  # a target containing whole pieces of B
    targets = np.array(targets, dtype=object)
    got = overlay.protected(targets)
    union = shapely.union_all(targets)
    # unions in another order and grouping: floating-point noding agrees to ~1e-9, not to the last bit
    assert got[0] == pytest.approx(shapely.intersection(big, union).area / 1e4, rel=1e-8)
    assert got[1] == pytest.approx(225 * 100, rel=1e-12)
    assert overlay.protected(np.array([square(500, 500, 1)], dtype=object)).empty


def test_site_and_group_tables_add_up_to_species_total():
    parts = prepare_ranges(ranges([{"sci_name": "A", "geometry": square(0, 0, 20)}]), EQUAL_AREA)
    flat, _ = erase_overlaps(
        sites(
            [
                {"WDPAID": 1, "IUCN_CAT": "IV", "geometry": square(-5, 0, 10)},
                {"WDPAID": 2, "IUCN_CAT": "II", "geometry": square(0, 0, 10)},
                {"WDPAID": 3, "IUCN_CAT": "IV", "geometry": square(15, 15, 10)},
            ]
        )
    )
    total = species_coverage(parts, flat)["protected_ha"].iloc[0]
    assert total == pytest.approx(10_000 + 2_500)
    by_site = site_coverage(parts, flat)
    assert by_site["WDPAID"].tolist() == [2, 3, 1]
    site1 = by_site.set_index("WDPAID").loc[1]
    assert (site1["range_in_site_ha"], site1["unique_ha"]) == pytest.approx((5_000, 0))  # all taken by site 2
    assert by_site["unique_ha"].sum() == pytest.approx(total)
    by_cat = group_coverage(by_site, "IUCN_CAT")
    assert by_cat.set_index("IUCN_CAT")["protected_ha"].to_dict() == pytest.approx({"II": 10_000, "IV": 2_500})


@pytest.mark.parametrize("count", [1, 2, 3, 7, 16])
def test_union_area_is_the_area_of_the_union_in_groups_and_alone(count):
    """Touching groups, nested parts and lone parts: the area shapely gives the union of them all at once."""
    rng = np.random.default_rng(count)
    centres = rng.uniform(0, 40_000, (count, 2))
    parts = shapely.buffer(shapely.points(centres), rng.uniform(1_000, 9_000, count), quad_segs=16)
    parts = np.concatenate([parts, shapely.buffer(shapely.points(centres[:1]), 500.0)])  # one nested in another
    assert union_areas(parts, np.zeros(len(parts), dtype=int), 1)[0] == pytest.approx(
        shapely.union_all(parts).area, rel=1e-12
    )
