"""Unit tests of analyses/connectivity.py's graph and table steps (Links, components, component_sum,
eca_areas, network, protconn, site_importance, range_protconn, protconn_columns), against values
worked out outside pacov: by hand (in the comments), shapely on the raw geometries, pyproj.Geod on
the ground (conftest.ground_gap) and brute-force shortest paths on tiny graphs."""

import logging
import math

import numpy as np
import pandas as pd
import pytest
import shapely
from scipy.sparse import coo_matrix
from shapely.geometry import LineString, Polygon, box

from conftest import EQUAL_AREA, KM, ground_gap, ranges, sites, square
from pacov.analyses.connectivity import (
    Links,
    Network,
    component_sum,
    components,
    eca_areas,
    near_radius,
    network,
    protconn,
    protconn_columns,
    range_protconn,
    site_importance,
)
from pacov.errors import PacovError

LN2 = math.log(2)
FLOOR_COST = -math.log(1e-4)  # −ln of the link floor: 9.2103...


def pairs_of(links):
    """The links as {(i, j): d}, after checking that no pair comes twice."""
    keys = list(zip(links.i.tolist(), links.j.tolist()))
    assert len(set(keys)) == len(keys), "a pair is linked twice"
    return dict(zip(keys, links.d.tolist()))


def chain_graph(costs):
    """The upper-triangular sparse graph of a chain 0 – 1 – … – n with these link costs."""
    n = len(costs) + 1
    k = np.arange(n - 1)
    return coo_matrix((costs, (k, k + 1)), shape=(n, n)).tocsr()


# --- Links.costs --------------------------------------------------------------------------------------------


def test_costs_keep_a_link_exactly_at_the_floor_and_drop_one_past_it():
    median = 1000.0
    k = LN2 / median
    at = FLOOR_COST / k  # p = 1e-4 exactly: still a link ("below the floor counts as 0")
    while k * at != FLOOR_COST:
        at = np.nextafter(at, np.inf if k * at < FLOOR_COST else 0.0)
    links = Links(4, np.array([0, 1, 2]), np.array([1, 2, 3]), np.array([0.0, at, at * (1 + 1e-9)]))
    graph = links.costs(median)
    assert graph.shape == (4, 4) and graph.nnz == 2
    assert 0 < graph[0, 1] < 1e-300  # touching (d = 0, p = 1): kept, as the smallest positive weight
    assert graph[1, 2] == FLOOR_COST
    assert graph[2, 3] == 0  # p just below the floor: no link


# --- near_radius --------------------------------------------------------------------------------------------


def test_near_radius_is_twice_the_90th_percentile_of_the_nearest_gaps():
    # gaps 1, 1 and 10 along a row: nearest gaps 1 (a), 1 (b, a tie on both sides), 1 (c), 10 (d);
    # their 90th percentile: sorted [1, 1, 1, 10] at 0.9 · 3 = 2.7, 1 + 0.7 · 9 = 7.3; twice that, 14.6
    hulls = np.array([box(0, 0, 1, 1), box(2, 0, 3, 1), box(4, 0, 5, 1), box(15, 0, 16, 1)], dtype=object)
    assert near_radius(shapely.STRtree(hulls), hulls) == pytest.approx(14.6, rel=1e-12)


def test_near_radius_of_two_sites_is_twice_their_gap():
    hulls = np.array([box(0, 0, 1, 1), box(4, 0, 5, 1)], dtype=object)
    assert near_radius(shapely.STRtree(hulls), hulls) == pytest.approx(6.0, rel=1e-12)


@pytest.mark.parametrize("count", [0, 1])
def test_near_radius_of_fewer_than_two_sites_is_zero(count):
    hulls = np.array([box(0, 0, 1, 1)][:count], dtype=object)
    assert near_radius(shapely.STRtree(hulls), hulls) == 0.0


# --- components, component_sum, eca_areas -------------------------------------------------------------------


def test_components_are_the_connected_groups_each_in_node_order():
    """3000 nodes, each linked to the one 3 further on: three components (the residues mod 3), many
    nodes each, every one listed in increasing node order; and a node with no link is its own."""
    n = 3000
    k = np.arange(n - 3)
    graph = coo_matrix((np.ones(n - 3), (k, k + 3)), shape=(n + 1, n + 1)).tocsr()  # node n: no link
    parts = sorted((part.tolist() for part in components(graph)), key=lambda part: part[0])
    assert parts == [list(range(0, n, 3)), list(range(1, n, 3)), list(range(2, n, 3)), [n]]


def test_components_of_a_chain_is_one():
    parts = components(chain_graph(np.array([1.0, 2.0, 3.0])))
    assert [part.tolist() for part in parts] == [[0, 1, 2, 3]]


def test_component_sum_of_one_site_is_its_area_squared():
    assert component_sum(coo_matrix((1, 1)).tocsr(), np.array([3.0])) == 9.0


def test_component_sum_takes_the_best_path_not_the_direct_link():
    # 0 – 1 costs 1, 1 – 2 costs 1, 0 – 2 costs 3: p*_02 = e^-2 (through 1), not e^-3
    graph = coo_matrix(([1.0, 1.0, 3.0], ([0, 1, 0], [1, 2, 2])), shape=(3, 3)).tocsr()
    a = np.array([2.0, 3.0, 5.0])
    p = np.exp(-np.array([[0, 1, 2], [1, 0, 1], [2, 1, 0]]))
    assert component_sum(graph, a) == pytest.approx(float(a @ p @ a), rel=1e-12)


def test_component_sum_of_a_long_chain_in_several_blocks_of_rows():
    """600 nodes in a chain (more than one block of rows): a path's cost is the difference of the
    running sums of link costs, and a path past the floor counts as no path."""
    rng = np.random.default_rng(3)
    costs = rng.uniform(0.0, 0.06, 599)
    a = rng.uniform(1.0, 2.0, 600)
    at = np.concatenate([[0.0], np.cumsum(costs)])
    path = np.abs(at[:, None] - at[None, :])
    assert (path > FLOOR_COST).mean() > 0.2  # many pairs lie past the floor
    p = np.where(path <= FLOOR_COST, np.exp(-path), 0.0)
    assert component_sum(chain_graph(costs), a) == pytest.approx(float(a @ p @ a), rel=1e-9)


def test_eca_of_sites_under_one_square_metre():
    # apart: √(0.3² + 0.4²) = 0.5; 100 m apart at a median of 100 m (p = ½): √(0.09 + 0.16 + 2·0.12·½)
    areas = np.array([0.3, 0.4])
    apart = Links(2, np.zeros(0, dtype=int), np.zeros(0, dtype=int), np.zeros(0))
    assert eca_areas(areas, apart, [100.0, 1000.0]).tolist() == pytest.approx([0.5, 0.5], rel=1e-12)
    linked = Links(2, np.array([0]), np.array([1]), np.array([100.0]))
    assert eca_areas(areas, linked, [100.0]).tolist() == pytest.approx([math.sqrt(0.37)], rel=1e-12)


# --- Links.within ------------------------------------------------------------------------------------------


def test_links_within_zero_metres_are_the_touching_pairs():
    geoms = np.array([square(0, 0, 1), square(1, 0, 1), square(3, 0, 1)], dtype=object)
    assert pairs_of(Links.within(geoms, 0.0, EQUAL_AREA)) == {(0, 1): 0.0}


def test_pruned_links_drop_the_pair_that_a_path_beats():
    """Three 10 km squares in a row, 3 km apart on the map: the ends are linked directly in the full
    set, but the path through the middle one is shorter on the ground, so pruning drops that link."""
    geoms = np.array([square(0, 0, 10), square(13, 0, 10), square(26, 0, 10)], dtype=object)
    gap = {(a, b): ground_gap(geoms[a], geoms[b]) for a, b in [(0, 1), (1, 2), (0, 2)]}
    assert gap[0, 2] > gap[0, 1] + gap[1, 2] and max(gap.values()) < 20 * KM
    full = pairs_of(Links.within(geoms, 20 * KM, EQUAL_AREA))
    assert full.keys() == gap.keys()
    assert [full[pair] for pair in gap] == pytest.approx(list(gap.values()), rel=1e-7)
    pruned = pairs_of(Links.within(geoms, 20 * KM, EQUAL_AREA, prune=True))
    assert pruned.keys() == {(0, 1), (1, 2)}
    assert [pruned[pair] for pair in pruned] == pytest.approx([gap[0, 1], gap[1, 2]], rel=1e-7)


def mouth_and_twins():
    """A C open to the east with a small square in front of its mouth (their hulls 4 km apart on the
    map, the C itself farther: to its arm tips), ten twin squares 200 m apart far to the east (which keep
    the pruning's near radius small, so the C's pair is sought in a far band), and an empty site."""
    c = box(0, 0, 10 * KM, 10 * KM).difference(box(2 * KM, 2 * KM, 11 * KM, 8 * KM))
    twins = [g for k in range(10) for g in (square(100 + 10 * k, 50, 0.5), square(100.7 + 10 * k, 50, 0.5))]
    return np.array([c, square(14, 4.5, 1), *twins, Polygon()], dtype=object)


@pytest.mark.parametrize("prune", [False, True])
def test_links_are_the_pairs_within_the_cutoff_on_the_ground_each_once(prune):
    geoms = mouth_and_twins()
    cutoff = 4.9 * KM
    c, mouth = geoms[0], geoms[1]
    assert ground_gap(shapely.convex_hull(c), mouth) < cutoff < ground_gap(c, mouth)
    twin_gaps = {(k, k + 1): ground_gap(geoms[k], geoms[k + 1]) for k in range(2, 22, 2)}
    assert ground_gap(geoms[3], geoms[4]) > cutoff  # one twin to the next: too far
    links = pairs_of(Links.within(geoms, cutoff, EQUAL_AREA, prune=prune))
    assert links.keys() == twin_gaps.keys()
    assert [links[pair] for pair in twin_gaps] == pytest.approx(list(twin_gaps.values()), rel=1e-6)


def around_the_globe():
    """Three small squares on the equator (lon −175°, 0°, 175°): no one plane holds them."""
    return np.array([box(lon, 0, lon + 1, 1) for lon in (-175, 0, 174)], dtype=object)


@pytest.mark.parametrize("name, label", [(None, "the sites"), ("region Asia", "region Asia")])
def test_links_name_the_sites_that_surround_the_globe(name, label):
    kwargs = {} if name is None else {"name": name}
    with pytest.raises(PacovError, match=f"^{label}: the sites surround the globe"):
        Links.within(around_the_globe(), 1000.0, "EPSG:4326", **kwargs)


def test_links_log_each_stage_with_its_reach_in_km(caplog):
    """--verbose: each stage of the links, with its distance in whole km (20.51 km shows as 21)."""
    geoms = mouth_and_twins()[2:6]
    with caplog.at_level(logging.INFO, logger="pacov"):
        Links.within(geoms, 20_510.0, EQUAL_AREA)
    assert [r.args[0] for r in caplog.records] == ["  links: conformal plane", "  links: pairs within 21 km"]
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="pacov"):
        Links.within(geoms, 20_510.0, EQUAL_AREA, prune=True)
    names = [r.args[0] for r in caplog.records]
    assert names[0] == "  links: conformal plane" and names[1].startswith("  links: pairs within ")
    assert len(names) > 3 and all(name.startswith("  links: band to ") for name in names[2:])
    assert names[-1] == "  links: band to 21 km"  # the last band reaches the cutoff


# --- network and protconn ----------------------------------------------------------------------------------


def test_network_keeps_the_sites_with_area_in_the_region_clipped_to_it():
    region = square(0, 0, 10)
    raw = [
        square(1, 1, 2),  # inside: 4 km²
        square(9, 1, 2),  # half outside: 1 × 2 km² inside
        square(20, 20, 1),  # outside
        square(-1, 5, 1),  # shares an edge only
        box(5000, 5000, 5000.5, 5001),  # 0.5 m², inside
    ]
    frame = sites([{"WDPAID": k + 1, "geometry": g} for k, g in enumerate(raw)])
    net = network(frame, "r", region)
    assert net.name == "r" and net.region_m2 == 100 * KM * KM
    assert list(net.sites.columns) == list(frame.columns)
    assert net.sites.index.tolist() == [0, 1, 2] and net.sites["WDPAID"].tolist() == [1, 2, 5]
    expected = [raw[0], raw[1].intersection(region), raw[4]]
    assert all(shapely.equals(got, want) for got, want in zip(net.sites.geometry, expected))
    assert net.areas.tolist() == pytest.approx([4e6, 2e6, 0.5], rel=1e-12)


def test_network_of_a_region_under_one_square_metre():
    net = network(sites([{"WDPAID": 1, "geometry": box(0, 0, 0.5, 0.5)}]), "tiny", box(0, 0, 0.5, 0.5))
    assert net.region_m2 == 0.25 and net.areas.tolist() == [0.25]


def test_a_region_without_area_is_an_error_naming_it():
    frame = sites([{"WDPAID": 1, "geometry": square(0, 0, 1)}])
    line = LineString([(0, 0), (KM, KM)])
    with pytest.raises(PacovError, match="^region coast: has no area; give a polygon layer$"):
        network(frame, "coast", line)
    with pytest.raises(PacovError, match="^region coast: has no area; give a polygon layer$"):
        protconn(frame, [("coast", line)], [1000.0])


def test_protconn_one_row_per_region_and_distance():
    """Two touching 10 km squares in region "a" (one patch: ECA is their area), one 5 km square alone in
    region "b"; the same at either distance."""
    frame = sites(
        [
            {"WDPAID": 1, "geometry": square(0, 0, 10)},
            {"WDPAID": 2, "geometry": square(10, 0, 10)},
            {"WDPAID": 3, "geometry": square(200, 0, 5)},
        ]
    )
    regions = [("a", square(-10, -10, 40)), ("b", square(190, -10, 20))]
    table = protconn(frame, regions, [1000.0, 5000.0])
    assert list(table.columns) == [
        "region",
        "distance_m",
        "region_ha",
        "protected_ha",
        "eca_ha",
        "prot",
        "protconn",
        "protunconn",
        "unprotected",
    ]
    assert table["region"].tolist() == ["a", "a", "b", "b"]
    assert table["distance_m"].tolist() == [1000.0, 5000.0, 1000.0, 5000.0]
    # a: 200 km² (20,000 ha) of 1600 km², all connected: 12.5 %; b: 25 km² of 400 km²: 6.25 %
    assert table["eca_ha"].tolist() == pytest.approx([20_000, 20_000, 2_500, 2_500], rel=1e-9)
    assert table["protconn"].tolist() == pytest.approx([12.5, 12.5, 6.25, 6.25], rel=1e-9)
    assert table["protunconn"].tolist() == pytest.approx([0, 0, 0, 0], abs=1e-9)


def test_protconn_names_the_region_whose_sites_surround_the_globe():
    frame = sites([{"WDPAID": k, "geometry": g} for k, g in enumerate(around_the_globe())], crs="EPSG:4326")
    with pytest.raises(PacovError, match="^species world: the sites surround the globe"):
        protconn(frame, [("world", box(-180, -60, 180, 60))], [1000.0], key="species")


# --- range_protconn and protconn_columns ------------------------------------------------------------------


def test_range_protconn_flattens_the_sites_and_dissolves_each_range():
    """Two overlapping 10 km squares (150 km² once flattened, one patch) in a range drawn in two parts
    (60 × 50 km once dissolved); one 10 km square alone in a second species' 30 × 30 km range."""
    layer = sites(
        [
            {"WDPAID": 1, "geometry": square(0, 0, 10)},
            {"WDPAID": 2, "geometry": square(5, 0, 10)},
            {"WDPAID": 3, "geometry": square(100, 0, 10)},
        ]
    )
    parts = ranges(
        [
            {"sci_name": "Cus dus", "geometry": square(90, -10, 30)},
            {"sci_name": "Aus bus", "geometry": box(-20 * KM, -20 * KM, 8 * KM, 30 * KM)},
            {"sci_name": "Aus bus", "geometry": box(8 * KM, -20 * KM, 40 * KM, 30 * KM)},
        ]
    )
    table = range_protconn(layer, parts, [1000.0, 10_000.0])
    assert table["species"].tolist() == ["Aus bus", "Aus bus", "Cus dus", "Cus dus"]
    assert table["distance_m"].tolist() == [1000.0, 10_000.0, 1000.0, 10_000.0]
    assert table["region_ha"].tolist() == pytest.approx([300_000, 300_000, 90_000, 90_000], rel=1e-12)
    assert table["protected_ha"].tolist() == pytest.approx([15_000, 15_000, 10_000, 10_000], rel=1e-9)
    assert table["protconn"].tolist() == pytest.approx([5, 5, 100 / 9, 100 / 9], rel=1e-9)


def test_protconn_columns_one_per_distance_in_the_order_given():
    table = pd.DataFrame(
        {
            "species": ["b", "b", "a", "a"],
            "distance_m": [1000.0, 2500.0, 1000.0, 2500.0],
            "protconn": [1.0, 2.0, 3.0, 4.0],
            "prot": [9.0, 9.0, 9.0, 9.0],
        }
    )
    wide = protconn_columns(table, [2500.0, 1000.0])
    assert list(wide.columns) == ["protconn_2.5km", "protconn_1km"]
    assert wide.index.tolist() == ["a", "b"]
    assert wide.to_numpy().tolist() == [[4.0, 3.0], [2.0, 1.0]]


# --- site_importance ---------------------------------------------------------------------------------------


def net_of(rows, name="r"):
    frame = sites(rows)
    return Network(name, frame, shapely.area(frame.geometry.to_numpy()), 1e12)


def test_site_importance_table():
    """A 5 km square far from two touching 10 km squares (one patch): ECA² = (a + a)² + c²; without one
    of the pair, a² + c²; without the small one, (2a)²."""
    net = net_of(
        [
            {"WDPAID": 7, "WDPA_PID": "7", "geometry": square(200, 0, 5)},
            {"WDPAID": 8, "WDPA_PID": "8_A", "geometry": square(0, 0, 10)},
            {"WDPAID": 8, "WDPA_PID": "8_B", "geometry": square(10, 0, 10)},
        ]
    )
    table = site_importance(net, 1000.0)
    assert list(table.columns) == ["region", "distance_m", "WDPAID", "WDPA_PID", "name", "area_ha", "deca"]
    assert table.index.name == "node" and table.index.tolist() == [1, 2, 0]  # most important first
    assert table["region"].tolist() == ["r"] * 3 and table["distance_m"].tolist() == [1000.0] * 3
    assert table["WDPA_PID"].tolist() == ["8_A", "8_B", "7"] and table["name"].tolist() == ["Site 8"] * 2 + ["Site 7"]
    assert table["area_ha"].tolist() == pytest.approx([10_000, 10_000, 2_500], rel=1e-12)
    a, c = 1e8, 2.5e7
    eca = math.hypot(2 * a, c)
    pair, small = 100 * (1 - math.hypot(a, c) / eca), 100 * (1 - 2 * a / eca)
    assert table["deca"].tolist() == pytest.approx([pair, pair, small], rel=1e-9)


def test_site_importance_without_parcels_or_labels():
    net = net_of([{"WDPAID": 1, "geometry": square(0, 0, 1)}, {"WDPAID": 2, "geometry": square(50, 0, 2)}])
    net.sites = net.sites.drop(columns="NAME")
    table = site_importance(net, 1000.0)
    assert list(table.columns) == ["region", "distance_m", "WDPAID", "name", "area_ha", "deca"]
    assert table["WDPAID"].tolist() == [2, 1] and table["name"].tolist() == ["", ""]


def test_site_importance_labels_from_the_field_given():
    net = net_of([{"WDPAID": 1, "ORIG_NAME": "Alpha", "geometry": square(0, 0, 1)}])
    assert site_importance(net, 1000.0, label_field="ORIG_NAME")["name"].tolist() == ["Alpha"]


def test_a_lone_site_holds_all_of_the_eca():
    table = site_importance(net_of([{"WDPAID": 1, "geometry": square(0, 0, 10)}]), 1000.0)
    assert table["deca"].tolist() == pytest.approx([100.0], rel=1e-12)


def test_sites_of_equal_importance_stay_in_node_order():
    """40 sites far apart, 1 km² and 4 km² in turn: the big ones first, then the small, ties in node
    order; each loses ECA² = Σa² its own a², ECA = √Σa²."""
    rows = [{"WDPAID": k, "geometry": square(20 * k, 0, 1 + k % 2)} for k in range(40)]
    table = site_importance(net_of(rows), 100.0)
    assert table.index.tolist() == list(range(1, 40, 2)) + list(range(0, 40, 2))
    total = 20 * 1e6**2 + 20 * 4e6**2
    big, small = (100 * (1 - math.sqrt(total - a**2) / math.sqrt(total)) for a in (4e6, 1e6))
    assert table["deca"].tolist() == pytest.approx([big] * 20 + [small] * 20, rel=1e-9)
