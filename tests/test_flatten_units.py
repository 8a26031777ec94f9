"""Unit checks of engine/flatten.py: the priority keys, the erase of one chunk, the clip to frames and the
flattened layer when the work is cut into several chunks. Expected values by hand or from shapely on the
raw squares (EPSG:6933, metres)."""

import numpy as np
import pytest
import shapely
from shapely.geometry import box

from conftest import EQUAL_AREA, sites, square
from pacov.engine.flatten import clip_to_frames, erase_chunk, erase_overlaps, priority_order
from pacov.runner import Serial


class Chunks(Serial):
    """Run here, one chunk after the other, but cut into ``n`` chunks as a cluster would."""

    def __init__(self, n):
        super().__init__()
        self.chunks_per_worker = n


def order_of(rows):
    layer = sites([{"geometry": square(0, 0, 1), **r} for r in rows])
    return layer["WDPAID"].iloc[priority_order(layer)].tolist()


def test_categories_are_matched_whatever_their_case():
    # "ia" (lower case) is Ia, the strictest; "IV" ranks 4, "vi" 6: the years (reversed) must not decide
    rows = [
        {"WDPAID": 1, "IUCN_CAT": "IV", "STATUS_YR": 1900},
        {"WDPAID": 2, "IUCN_CAT": "ia", "STATUS_YR": 2020},
        {"WDPAID": 3, "IUCN_CAT": "vi", "STATUS_YR": 1800},
        {"WDPAID": 4, "IUCN_CAT": "Not Reported", "STATUS_YR": 1700},
        {"WDPAID": 5, "IUCN_CAT": None, "STATUS_YR": 1600},
    ]
    # unreported and missing categories both rank after VI, so the earlier year (1600) goes first of the two
    assert order_of(rows) == [2, 1, 3, 5, 4]


def test_years_of_one_and_ten_thousand_and_unknown_years():
    # year 1 is a year (> 0): earliest of all; 0 and negative years are unknown, ranked as year 10,000, so a
    # site dated 10,000 ties with them and the lowest WDPAID decides among the three
    rows = [
        {"WDPAID": 7, "STATUS_YR": 10_000},
        {"WDPAID": 3, "STATUS_YR": 0},
        {"WDPAID": 5, "STATUS_YR": -4},
        {"WDPAID": 9, "STATUS_YR": 1},
        {"WDPAID": 8, "STATUS_YR": 1990},
    ]
    assert order_of(rows) == [9, 8, 3, 5, 7]


def test_one_chunk_with_none_one_and_two_stricter_neighbours():
    # three copies of the 10 × 10 square: the first has a neighbour only in its box (no overlap), the second
    # one neighbour overlapping 2 × 2 = 4 m², the third two overlapping 3 × 3 = 9 and 1 × 1 = 1 m²
    t = box(0, 0, 10, 10)
    box_only = shapely.Polygon([(30, 30), (30, 25), (25, 30)])  # far corner of a wide frame: no overlap
    neighbours = np.array([box_only, box(-1, -1, 2, 2), box(7, 7, 12, 12), box(0, 9, 1, 12)], dtype=object)
    out = erase_chunk((np.array([t, t, t], dtype=object), neighbours, np.array([1, 1, 2])))
    assert shapely.area(out).tolist() == pytest.approx([100.0, 96.0, 90.0], abs=1e-9)
    assert out[0].equals(t)
    assert out[2].equals(t.difference(box(7, 7, 12, 12)).difference(box(0, 9, 1, 12)))
    # the same with the untouched square last in the chunk
    last = erase_chunk((np.array([t, t, t], dtype=object), np.roll(neighbours, -1), np.array([1, 2, 1])))
    assert shapely.area(last).tolist() == pytest.approx([96.0, 90.0, 100.0], abs=1e-9)


def test_clip_pads_the_frame_by_one_percent_of_its_longer_side():
    # frame x 100–300, y 1000–1100: longer side 200, pad 2; the clip of a big square is that padded box
    big = box(-10_000, -10_000, 10_000, 10_000)
    out = clip_to_frames(np.array([big, big], dtype=object), np.array([box(100, 1000, 300, 1100), box(0, 0, 50, 400)]))
    assert shapely.bounds(out[0]).tolist() == pytest.approx([98, 998, 302, 1102], abs=1e-9)
    # second frame: longer side 400 (y), pad 4
    assert shapely.bounds(out[1]).tolist() == pytest.approx([-4, -4, 54, 404], abs=1e-9)
    assert out.dtype == object and len(out) == 2


def test_an_invalid_clip_is_replaced_by_the_whole_geometry():
    # a square with three holes; clipping at x = -1 and y = -1 (frame 0–100, pad 1) leaves a ring touching itself
    # at (0, 1) (shapely says the clip is invalid): the whole, valid geometry is kept instead
    g = shapely.from_wkt(
        "POLYGON ((7 5, 7 -5, -3 -5, -3 5, 7 5), (0 -1, 1 -1, 1 1, 0 1, 0 -1), (0 3, -1 3, -1 1, 0 1, 0 3),"
        " (3 3, 1 3, 1 2, 3 2, 3 3))"
    )
    assert g.is_valid and not shapely.clip_by_rect(g, -1, -1, 101, 101).is_valid
    ok = box(40, 40, 60, 60)
    out = clip_to_frames(np.array([g, ok], dtype=object), np.array([box(0, 0, 100, 100), box(0, 0, 100, 100)]))
    assert out[0] is g
    assert out[1].equals(ok)


def chain(n=9):
    """``n`` 10 km squares along x, 6 km apart (each overlaps the next by 4 km), plus one long strip under them
    all; the years put them in a priority order unlike the input order."""
    years = [2005, 1999, 2011, 1980, 2003, 1990, 2020, 1970, 2001][:n]
    rows = [{"WDPAID": 10 + i, "STATUS_YR": y, "geometry": square(6 * i, 0, 10)} for i, y in enumerate(years)]
    rows.append({"WDPAID": 99, "STATUS_YR": 2050, "geometry": box(0, 5_000, 6_000 * n + 4_000, 7_000)})
    return sites(rows)


def shapely_flatten(layer, order):
    """Each site less the union of those before it in ``order`` (WDPAIDs): erase by erase, with shapely."""
    geom = dict(zip(layer["WDPAID"], layer.geometry))
    out, done = {}, []
    for i in order:
        out[i] = geom[i].difference(shapely.union_all(done)) if done else geom[i]
        done.append(geom[i])
    return out


@pytest.mark.parametrize("chunks", [1, 2, 3, 4])
def test_flattening_in_several_chunks_matches_erasing_one_by_one(chunks):
    layer = chain()
    order = [17, 13, 15, 11, 18, 14, 10, 12, 16, 99]  # by year: 1970, 1980, 1990, 1999, 2001, ... 2050
    flat, log = erase_overlaps(layer, Chunks(chunks))
    assert flat["WDPAID"].tolist() == order
    assert flat["priority"].tolist() == list(range(10))
    expected = shapely_flatten(layer, order)
    for wdpaid, geom in zip(flat["WDPAID"], flat.geometry):
        assert geom.symmetric_difference(expected[wdpaid]).area < 1e-3, wdpaid
        assert geom.area == pytest.approx(expected[wdpaid].area, rel=1e-12)
    # the unflattened squares travel along: each row's own 10 km square (10,000 ha)
    assert (shapely.area(flat["site_geometry"].to_numpy()) / 1e4)[:-1] == pytest.approx([10_000] * 9)
    assert flat["site_geometry"].iloc[0].equals(square(6 * 7, 0, 10))
    assert flat.crs == EQUAL_AREA and flat["site_geometry"].crs == EQUAL_AREA
    # 17, 13 (x 18–28 km), 15 (x 30–40) and 11 (x 6–16) overlap no square before them; 18, 10 lose 4 km to one
    # neighbour, 14, 12, 16 to two, the strip to all
    assert log["WDPAID"].tolist() == [18, 14, 10, 12, 16, 99]
    assert set(log["step"]) == {"flatten"} and set(log["action"]) == {"changed"}


def test_disjoint_sites_are_left_alone_with_an_empty_log():
    layer = sites([{"WDPAID": i, "geometry": square(20 * i, 0, 10)} for i in (3, 1, 2)])
    flat, log = erase_overlaps(layer, Chunks(3))
    assert flat["WDPAID"].tolist() == [1, 2, 3] and flat["priority"].tolist() == [0, 1, 2]
    assert shapely.area(flat.geometry.to_numpy()).tolist() == pytest.approx([1e8, 1e8, 1e8])
    assert len(log) == 0


def test_a_loss_of_one_millionth_is_not_a_change_and_more_is():
    # site 2 (1,000 m × 1,000 m = 1e6 m²) loses 1 × 1 m to site 1: exactly 1e-6 of it, which is not logged;
    # site 4 (1 m²) loses 1.5e-6 m² to site 3: above 1e-6 × max(1 m², 1), logged, as "0.0 ha"
    layer = sites(
        [
            {"WDPAID": 1, "IUCN_CAT": "Ia", "geometry": box(0, 0, 1, 1)},
            {"WDPAID": 2, "IUCN_CAT": "II", "geometry": box(0, 0, 1_000, 1_000)},
            {"WDPAID": 3, "IUCN_CAT": "Ia", "geometry": box(5_000, 0, 5_001, 1.5e-6)},
            {"WDPAID": 4, "IUCN_CAT": "II", "geometry": box(5_000, 0, 5_001, 1)},
        ]
    )
    flat, log = erase_overlaps(layer)
    assert shapely.area(flat.set_index("WDPAID").geometry.loc[2]) == 999_999.0
    assert log["WDPAID"].tolist() == [4]
    assert log["reason"].tolist() == ["0.0 ha already counted in higher-priority sites"]


def test_overlapping_parts_of_one_site_are_not_counted_as_a_loss():
    # a site given as a collection of two overlapping 10 km squares (area 2 × 10,000 ha by parts) overlaps no other
    # site: it loses nothing to others, so it is not logged, though its polygonal part measures 15,000 ha
    collection = shapely.GeometryCollection([square(0, 0, 10), square(5, 0, 10)])
    layer = sites([{"WDPAID": 1, "geometry": collection}, {"WDPAID": 2, "geometry": square(50, 0, 10)}])
    flat, log = erase_overlaps(layer)
    assert shapely.area(flat.geometry.iloc[0]) == pytest.approx(1.5e8)
    assert len(log) == 0


def test_the_log_counts_lost_hectares_with_a_thousands_separator():
    # site 2 (II) loses 20 km × 15 km = 30,000 ha under the stricter site 1 (Ia)
    layer = sites(
        [
            {"WDPAID": 2, "IUCN_CAT": "II", "NAME": "Lower", "geometry": box(0, 0, 40_000, 40_000)},
            {"WDPAID": 1, "IUCN_CAT": "Ia", "NAME": "Upper", "geometry": box(20_000, 25_000, 60_000, 60_000)},
        ]
    )
    flat, log = erase_overlaps(layer)
    assert log.to_dict("records") == [
        {
            "WDPAID": 2,
            "NAME": "Lower",
            "step": "flatten",
            "action": "changed",
            "reason": "30,000.0 ha already counted in higher-priority sites",
        }
    ]
    assert flat.index.tolist() == [1, 0]  # rows keep their labels, in priority order
