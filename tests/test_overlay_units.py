"""Unit checks of engine/overlay.py: pieces cut in several chunks, the pairing of pieces and targets, the union of
a piece's parts, and the species, site and group tables. Expected areas come from shapely on the raw geometries
(EPSG:6933, metres) or by hand."""

import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import Polygon, box

from conftest import ranges, sites, square
from pacov.engine.flatten import erase_overlaps
from pacov.engine.overlay import (
    RangeOverlay,
    _piece_areas,
    coverage_table,
    group_coverage,
    piece_areas,
    piece_union_areas,
    share_table,
    site_coverage,
    species_coverage,
    union_areas,
)
from pacov.runner import SERIAL, Serial


class Chunks(Serial):
    """Run here, one chunk after the other, but cut into ``n`` chunks as a cluster would."""

    def __init__(self, n):
        super().__init__()
        self.chunks_per_worker = n


def objects(*geoms):
    return np.array(geoms, dtype=object)


CIRCLE = Polygon(np.c_[np.cos(np.linspace(0, 6.28, 2000)), np.sin(np.linspace(0, 6.28, 2000))] * 30_000)


def four_ranges():
    """D, B, A, C in that order (dissolved: A, B, C, D): A a 2,000-vertex disc of radius 30 km (many pieces),
    B, C, D 10 km squares at x 100, 200, 300 km, C in two parts."""
    return ranges(
        [
            {"sci_name": "D", "geometry": square(300, 0, 10)},
            {"sci_name": "B", "geometry": square(100, 0, 10)},
            {"sci_name": "A", "geometry": CIRCLE},
            {"sci_name": "C", "geometry": box(200_000, 0, 205_000, 10_000)},
            {"sci_name": "C", "geometry": box(205_000, 0, 210_000, 10_000)},
        ]
    )


RANGES = [CIRCLE, square(100, 0, 10), square(200, 0, 10), square(300, 0, 10)]  # A, B, C, D
TARGETS = objects(
    square(305, 5, 10),  # 0: a quarter of D
    square(-40, -5, 20),  # 1: across A's western edge
    square(110, 0, 5),  # 2: touches B along x = 110 km only (no area)
    box(201_000, 1_000, 201_050, 1_100),  # 3: 0.5 ha inside C
    square(-5, -5, 10),  # 4: inside A
    square(195, 5, 110),  # 5: over C (x 200–210, y 5–10) and D (x 300–305, y 5–10)
)


def expected_pairs():
    """(range, target, ha) for every pair with area, from shapely, sorted by range then target."""
    rows = []
    for i, r in enumerate(RANGES):
        for j, t in enumerate(TARGETS):
            ha = r.intersection(t).area / 1e4
            if ha > 0:
                rows.append((i, j, ha))
    return rows


@pytest.mark.parametrize("chunks", [1, 2, 3, 5])
def test_pairs_of_ranges_and_targets_whatever_the_chunks(chunks):
    parts = four_ranges()
    runner = Chunks(chunks)
    overlay = RangeOverlay(parts, runner=runner)
    assert overlay.keys == ["sci_name"] and overlay.parts is parts and overlay.runner is runner
    assert overlay.ranges["sci_name"].tolist() == ["A", "B", "C", "D"]
    assert overlay.range_ha == pytest.approx([CIRCLE.area / 1e4, 10_000, 10_000, 10_000], rel=1e-12)
    # every piece belongs to its range: the pieces of each range add up to it
    by_owner = pd.Series(shapely.area(overlay.pieces)).groupby(overlay.owner).sum()
    assert by_owner.to_numpy() == pytest.approx([CIRCLE.area, 1e8, 1e8, 1e8], rel=1e-12)
    assert len(overlay.pieces) > 8
    pairs = overlay.areas(list(TARGETS))
    assert pairs.columns.tolist() == ["i", "j", "ha"] and pairs.index.tolist() == list(range(len(pairs)))
    expected = expected_pairs()
    assert [(i, j) for i, j, _ in expected] == [(0, 1), (0, 4), (2, 3), (2, 5), (3, 0), (3, 5)]
    assert list(zip(pairs["i"], pairs["j"])) == [(i, j) for i, j, _ in expected]
    assert pairs["ha"].to_numpy() == pytest.approx([ha for *_, ha in expected], rel=1e-9)
    assert pairs["ha"].iloc[2] == pytest.approx(0.5, rel=1e-9)  # 50 m × 100 m
    # the union of the (overlapping) targets over each range: D is covered x 300–310, y 5–10 once (5,000 ha)
    protected = overlay.protected(TARGETS)
    union = shapely.union_all(TARGETS)
    assert protected.index.tolist() == [0, 1, 2, 3]  # B is met (target 2 touches it), with 0 ha
    assert protected.to_numpy() == pytest.approx(
        [CIRCLE.intersection(union).area / 1e4, 0.0, 5_000.5, 5_000], rel=1e-8, abs=1e-9
    )  # C: 5,000 (y 5–10) + 0.5 ha below it


def test_a_range_with_no_area_has_no_pieces_and_a_share_of_zero():
    parts = ranges([{"sci_name": "Z", "geometry": Polygon()}])
    overlay = RangeOverlay(parts)
    assert len(overlay.pieces) == 0 and overlay.range_ha.tolist() == [0.0]
    flat = sites([{"WDPAID": 1, "geometry": square(0, 0, 10)}])
    table = species_coverage(parts, flat)
    assert table.to_dict("records") == [{"species": "Z", "range_ha": 0.0, "protected_ha": 0.0, "protected_share": 0.0}]


def test_targets_inside_a_piece_count_their_own_area():
    # pieces P0 = x 0–7, P1 = x 0–20 (y 0–10); T1 = x 6–8, y 2–4 lies inside P1 (4 m²) and half in P0 (2 m²)
    p, j, area = _piece_areas(
        objects(box(0, 0, 7, 10), box(0, 0, 20, 10)), objects(box(100, 100, 101, 101), box(6, 2, 8, 4))
    )
    assert sorted(zip(p.tolist(), j.tolist(), area.tolist())) == [(0, 1, 2.0), (1, 1, 4.0)]
    # P1 = x 0–10, P2 = x 20–30: T0 = x 8–12, y 0–2 half in P1 (4 m²), T1 inside P2 (4 m²)
    pieces = objects(box(50, 50, 51, 51), box(0, 0, 10, 10), box(20, 0, 30, 10))
    p, j, area = _piece_areas(pieces, objects(box(8, 0, 12, 2), box(22, 2, 24, 4)))
    assert sorted(zip(p.tolist(), j.tolist(), area.tolist())) == [(1, 0, 4.0), (2, 1, 4.0)]
    # T1 inside P0 (4 m²), T0 = x 28–32 half in P2 (4 m² of its 8)
    pieces = objects(box(0, 0, 10, 10), box(50, 50, 51, 51), box(20, 0, 30, 10))
    p, j, area = _piece_areas(pieces, objects(box(28, 0, 32, 2), box(2, 2, 4, 4)))
    assert sorted(zip(p.tolist(), j.tolist(), area.tolist())) == [(0, 1, 4.0), (2, 0, 4.0)]
    # a task's targets carry their indices among all the targets: 7 and 3 here
    p, j, area = piece_areas((pieces, objects(box(28, 0, 32, 2), box(2, 2, 4, 4)), np.array([7, 3])))
    assert sorted(zip(p.tolist(), j.tolist(), area.tolist())) == [(0, 3, 4.0), (2, 7, 4.0)]


def test_the_union_of_a_piece_s_parts_once_whatever_covers_it():
    pieces = objects(
        box(0, 0, 10, 10),  # P0: within target 3 (whole, 100 m²)
        box(20, 0, 30, 10),  # P1: one target, x 25–30, y 0–5: 25 m²
        box(40, 0, 50, 10),  # P2: two targets, x 38–45 and 43–48: x 40–48, 80 m²
        box(60, 0, 70, 10),  # P3: three targets, x 60–62, 61–63, 69–71: 30 + 10 = 40 m²
        box(80, 0, 90, 10),  # P4: none
    )
    targets = objects(
        box(43, 0, 48, 10),
        box(69, 0, 71, 10),
        box(25, 0, 35, 5),
        box(-1, -1, 11, 11),
        box(60, 0, 62, 10),
        box(38, 0, 45, 10),
        box(61, 0, 63, 10),
    )
    hit, area = piece_union_areas((pieces, targets, None))
    assert hit.tolist() == [0, 1, 2, 3]
    expected = [p.intersection(shapely.union_all(targets)).area for p in pieces[:4]]
    assert expected == [100.0, 25.0, 80.0, 40.0]
    assert area.tolist() == pytest.approx(expected, abs=1e-9)


def test_union_areas_of_separate_groups_of_two_to_five_parts():
    # groups of 2, 3, 4 and 5 boxes 1 m apart along x, 3 m wide (each overlaps the next by 2 m), 100 m apart
    parts = objects(*[box(100 * g + k, 0, 100 * g + k + 3, 1) for g, n in enumerate([2, 3, 4, 5, 1]) for k in range(n)])
    # a group of n boxes covers x 0 to n + 2: 4 + 5 + 6 + 7 + 3 = 25 m²
    assert shapely.union_all(parts).area == 25.0
    one_owner = np.zeros(len(parts), dtype=int)
    assert union_areas(parts, one_owner, 1) == pytest.approx([25.0], abs=1e-12)
    assert union_areas(parts[::-1], one_owner, 1) == pytest.approx([25.0], abs=1e-12)
    # the same boxes, a group per owner, and an owner 5 with no part
    owner = np.repeat([0, 1, 2, 3, 4], [2, 3, 4, 5, 1])
    assert union_areas(parts, owner, 6).tolist() == pytest.approx([4.0, 5.0, 6.0, 7.0, 3.0, 0.0], abs=1e-12)
    assert union_areas(objects(), np.zeros(0, dtype=int), 2).tolist() == [0.0, 0.0]


def test_parts_of_two_owners_are_never_unioned_together():
    # the same two overlapping boxes (x 0–2 and 1–3) under owners 0 and 1: each owner's union is 3 m², not the 3 m² once
    parts = objects(box(0, 0, 2, 1), box(1, 0, 3, 1), box(0, 0, 2, 1), box(1, 0, 3, 1))
    assert union_areas(parts, np.array([0, 0, 1, 1]), 2).tolist() == pytest.approx([3.0, 3.0], abs=1e-12)
    assert union_areas(parts, np.array([0, 1, 1, 1]), 2).tolist() == pytest.approx([2.0, 3.0], abs=1e-12)


def test_a_chunk_with_no_piece_under_one_target_keeps_fractions_of_a_square_metre():
    # P0 within target 0 (whole): 0.25 × 0.5 = 0.125 m²; P1 under targets 1 and 2 (x 10–10.3 and 10.2–10.45): 0.45 × 1
    pieces = objects(box(0, 0, 0.25, 0.5), box(10, 0, 11, 1))
    targets = objects(box(-1, -1, 1, 1), box(9, 0, 10.3, 1), box(10.2, 0, 10.45, 1))
    hit, area = piece_union_areas((pieces, targets, None))
    assert hit.tolist() == [0, 1]
    assert area.tolist() == pytest.approx([0.125, 0.45], abs=1e-12)


def test_share_table_on_zero_small_and_unprotected_ranges():
    keys = pd.DataFrame({"species": ["a", "b", "c"]}, index=[5, 7, 9])
    table = share_table(keys, [0.0, 0.5, 4.0], [0.0, 0.25, 1.0])
    assert table.to_dict("list") == {
        "species": ["a", "b", "c"],
        "range_ha": [0.0, 0.5, 4.0],
        "protected_ha": [0.0, 0.25, 1.0],
        "protected_share": [0.0, 0.5, 0.25],  # no area: 0 (not 0/0); 0.25 of 0.5 ha: a half
    }
    assert table.index.tolist() == [0, 1, 2] and table["protected_share"].dtype == float


def test_coverage_table_fills_ranges_with_no_pairs_with_zero():
    overlay = RangeOverlay(four_ranges())
    table = coverage_table(overlay, pd.Series({2: 2_500.0}))  # only C (index 2) protected
    assert table["species"].tolist() == ["A", "B", "C", "D"]
    assert table["protected_ha"].tolist() == [0.0, 0.0, 2_500.0, 0.0]
    assert table["protected_share"].tolist() == pytest.approx([0.0, 0.0, 0.25, 0.0])


def test_species_coverage_by_season_and_with_a_ready_overlay():
    # species A: a breeding range x 0–10 km and a wintering range x 20–30 km; a site over x 5–25 km
    parts = ranges(
        [
            {"sci_name": "A", "seasonal": 2, "geometry": square(0, 0, 10)},
            {"sci_name": "A", "seasonal": 3, "geometry": square(20, 0, 10)},
        ]
    )
    flat = sites([{"WDPAID": 1, "geometry": box(5_000, 0, 25_000, 10_000)}])
    table = species_coverage(parts, flat, by=["seasonal"])
    assert table.to_dict("list") == {
        "species": ["A", "A"],
        "seasonal": [2, 3],
        "range_ha": [10_000.0, 10_000.0],
        "protected_ha": pytest.approx([5_000.0, 5_000.0]),
        "protected_share": pytest.approx([0.5, 0.5]),
    }
    ready = RangeOverlay(parts)  # the ranges dissolved by species only: one range of 20,000 ha, half protected
    table = species_coverage(None, flat, overlay=ready)
    assert table["range_ha"].tolist() == [20_000.0] and table["protected_ha"].tolist() == pytest.approx([10_000.0])


def site_world():
    """Ranges A (x 0–20 km, y 0–10: 20,000 ha) and B (x 0–10, y 0–10: 10,000 ha). Sites: 3 (Ia) x 0–10, y 0–10;
    1 (II) x 5–15 (half under 3); 2 (II) x 15–20, y 0–5; 4 (II) far away."""
    parts = ranges(
        [{"sci_name": "B", "geometry": square(0, 0, 10)}, {"sci_name": "A", "geometry": box(0, 0, 20_000, 10_000)}]
    )
    layer = sites(
        [
            {"WDPAID": 1, "WDPA_PID": "1_a", "NAME": "One", "geometry": square(5, 0, 10)},
            {"WDPAID": 2, "WDPA_PID": "2", "NAME": "Two", "DESIG_ENG": "Reserve", "geometry": square(15, 0, 5)},
            {"WDPAID": 3, "WDPA_PID": "3", "NAME": "Three", "IUCN_CAT": "Ia", "geometry": square(0, 0, 10)},
            {"WDPAID": 4, "WDPA_PID": "4", "NAME": "Four", "geometry": square(500, 0, 10)},
        ]
    )
    return parts, layer


def test_site_table_columns_order_and_shares():
    parts, layer = site_world()
    flat, _ = erase_overlaps(layer)
    table = site_coverage(parts, flat)
    assert table.columns.tolist() == [
        "species", "WDPAID", "WDPA_PID", "NAME", "DESIG_ENG", "IUCN_CAT", "STATUS_YR",
        "site_ha", "range_in_site_ha", "unique_ha", "share_of_range",
    ]  # fmt: skip
    assert table.index.tolist() == list(range(len(table)))
    # A: 3 keeps 10,000 ha, 1 and 2 keep 2,500 each of A (tie: lower WDPAID first); B: 3 all, 1 none of its 5,000
    rows = table[["species", "WDPAID", "WDPA_PID", "NAME", "site_ha", "range_in_site_ha", "unique_ha"]]
    assert rows.to_dict("split")["data"] == [
        ["A", 3, "3", "Three", 10_000.0, 10_000.0, 10_000.0],
        ["A", 1, "1_a", "One", 10_000.0, 10_000.0, 5_000.0],
        ["A", 2, "2", "Two", 2_500.0, 2_500.0, 2_500.0],
        ["B", 3, "3", "Three", 10_000.0, 10_000.0, 10_000.0],
        ["B", 1, "1_a", "One", 10_000.0, 5_000.0, 0.0],
    ]
    assert table["share_of_range"].tolist() == pytest.approx([0.5, 0.25, 0.125, 1.0, 0.0])
    assert table["DESIG_ENG"].tolist() == [
        "National Park",
        "National Park",
        "Reserve",
        "National Park",
        "National Park",
    ]
    assert table["IUCN_CAT"].tolist() == ["Ia", "II", "II", "Ia", "II"]


def test_site_table_of_unflattened_sites_and_of_given_unique_pairs():
    parts, layer = site_world()
    layer = layer.drop(columns="WDPA_PID")
    table = site_coverage(parts, layer)  # no site_geometry: the sites' own geometry, overlaps and all
    assert "WDPA_PID" not in table.columns
    assert table.set_index(["species", "WDPAID"])["unique_ha"].to_dict() == pytest.approx(
        {("A", 1): 10_000, ("A", 2): 2_500, ("A", 3): 10_000, ("B", 1): 5_000, ("B", 3): 10_000}
    )
    # the caller's unique pairs: only (A, site 3) with 7,000 ha; the other pairs have none
    unique = pd.DataFrame({"i": [0], "j": [2], "ha": [7_000.0]})
    table = site_coverage(parts, layer, overlay=RangeOverlay(parts), unique=unique)
    assert table[["species", "WDPAID", "unique_ha"]].to_dict("split")["data"] == [
        ["A", 3, 7_000.0],
        ["A", 1, 0.0],
        ["A", 2, 0.0],
        ["B", 1, 0.0],
        ["B", 3, 0.0],
    ]


def test_group_table_sums_counts_sites_and_sorts_by_hectares():
    by_site = pd.DataFrame(
        {
            "species": ["B", "A", "A", "A", "A", "A"],
            "WDPAID": [9, 1, 1, 2, 3, 4],
            "DESIG_ENG": ["Park", "Zakaznik", "Zakaznik", "Park", "Reserve", "Reserve"],
            "unique_ha": [1.0, 30.0, 20.0, 50.0, 10.0, 40.0],
            "share_of_range": [0.1, 0.3, 0.2, 0.5, 0.1, 0.4],
        }
    )
    # A: Zakaznik 50 ha in one site (two parcels), Park 50 in one, Reserve 50 in two: a three-way tie in hectares
    # keeps the designations' alphabetical order; B's Park comes after A
    table = group_coverage(by_site, "DESIG_ENG")
    assert table.columns.tolist() == ["species", "DESIG_ENG", "protected_ha", "share_of_range", "sites"]
    assert table.index.tolist() == [0, 1, 2, 3]
    assert table.to_dict("split")["data"] == [
        ["A", "Park", 50.0, 0.5, 1],
        ["A", "Reserve", 50.0, pytest.approx(0.5), 2],
        ["A", "Zakaznik", 50.0, 0.5, 1],
        ["B", "Park", 1.0, 0.1, 1],
    ]
    by_site.loc[4, "unique_ha"] = 11.0  # Reserve now 51 ha: first of A's
    assert group_coverage(by_site, "DESIG_ENG")["DESIG_ENG"].tolist() == ["Reserve", "Park", "Zakaznik", "Park"]


def test_a_piece_s_parts_in_chunks_of_pieces_are_found_with_serial_and_chunked_runners_alike():
    # the same areas with the pieces cut into one chunk or seven: hectares of the disc under a 20 km square
    target = objects(square(-40, -5, 20))
    expected = CIRCLE.intersection(target[0]).area / 1e4
    for runner in (SERIAL, Chunks(7)):
        overlay = RangeOverlay(ranges([{"sci_name": "A", "geometry": CIRCLE}]), runner=runner)
        assert overlay.areas(target)["ha"].tolist() == pytest.approx([expected], rel=1e-9)
        assert overlay.protected(target).tolist() == pytest.approx([expected], rel=1e-9)
