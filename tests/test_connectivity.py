"""ECA and ProtConn against values worked out by hand from squares whose areas and gaps are obvious.

Squares are in EPSG:6933 (metres) by the equator; a 10 km square is 100 km² = 10,000 ha. Gaps are
taken on the ground (conftest.ground_gap, pyproj.Geod between the squares' nearest corners): EPSG:6933
keeps areas, not distances, so a gap of 10 km on the map is about 11.5 km on the ground there, and
p = exp(−ln 2 · gap / median) is worked out from that.
"""

import json
import math

import numpy as np
import pyproj
import pytest
import shapely
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra as scipy_dijkstra
from shapely.geometry import Polygon, box

from conftest import EQUAL_AREA, KM, ground_gap, ranges, run_pacov, sites, square
from pacov.analyses.connectivity import Links, check_distances, link_cutoff, network, protconn, site_importance
from pacov.cleaning.clean import clean_protected_areas
from pacov.errors import PacovError
from scenario_helpers import CRS, scenario

MEDIAN = 10 * KM
A = 100 * KM * KM  # m², one 10 km square
REGION = box(-50 * KM, -50 * KM, 80 * KM, 60 * KM)  # 130 km × 110 km
REGION_M2 = 130 * 110 * KM * KM
WEST, MIDDLE, EAST = square(0, 0, 10), square(15, 0, 10), square(30, 0, 10)  # 5 km gaps on the map


def p(a, b, median=MEDIAN):
    """Link probability of squares ``a`` and ``b``, by hand from their gap on the ground."""
    return math.exp(-math.log(2) * ground_gap(a, b) / median)


def chain_eca(median=MEDIAN, nodes=(WEST, MIDDLE, EAST)):
    """ECA (m²) of 10 km squares in a row, each linked to the next: p* of the ends runs through the middle."""
    steps = [p(a, b, median) for a, b in zip(nodes, nodes[1:])]
    return math.sqrt(len(nodes) * A * A + 2 * A * A * (sum(steps) + math.prod(steps) * (len(steps) > 1)))


def clean(geoms):
    raw = sites([{"WDPAID": k + 1, "geometry": g} for k, g in enumerate(geoms)])
    return clean_protected_areas(raw, EQUAL_AREA)[0]


def one(geoms, region=REGION, distance=MEDIAN):
    table = protconn(clean(geoms), [("r", region)], [distance])
    assert len(table) == 1
    return table.iloc[0]


def test_two_squares_at_the_median_distance():
    row = one([square(0, 0, 10), square(20, 0, 10)])
    eca = math.sqrt(A * A + A * A + 2 * A * A * p(square(0, 0, 10), square(20, 0, 10)))
    assert row["eca_ha"] == pytest.approx(eca / 1e4, rel=1e-9)
    assert row["protconn"] == pytest.approx(100 * eca / REGION_M2, rel=1e-9)
    assert row["prot"] == pytest.approx(100 * 2 * A / REGION_M2, rel=1e-9)
    assert row["protunconn"] == pytest.approx(row["prot"] - row["protconn"])
    assert row["unprotected"] == pytest.approx(100 - row["prot"])
    assert row["region_ha"] == pytest.approx(REGION_M2 / 1e4)


def test_best_path_runs_through_the_stepping_stone():
    row = one([WEST, MIDDLE, EAST])
    p_ab, p_bc = p(WEST, MIDDLE), p(MIDDLE, EAST)  # 5 km gaps on the map
    p_ac = p_ab * p_bc  # through B, better than the direct 20 km link
    assert p_ac > p(WEST, EAST)
    eca = math.sqrt(3 * A * A + 2 * A * A * (p_ab + p_bc + p_ac))
    assert row["eca_ha"] == pytest.approx(eca / 1e4, rel=1e-9)


def test_only_the_part_inside_the_region_counts():
    region = box(0, 0, 100 * KM, 100 * KM)
    straddling = box(-10 * KM, 40 * KM, 10 * KM, 50 * KM)  # 200 km², half inside
    outside = square(-40, 40, 10)
    row = one([straddling, square(20, 40, 10), outside], region=region)
    inside = A  # 100 km² of the straddling site, 10 km from the other site on the map
    eca = math.sqrt(inside**2 + A**2 + 2 * inside * A * p(square(0, 40, 10), square(20, 40, 10)))
    assert row["protected_ha"] == pytest.approx(2 * A / 1e4)
    assert row["eca_ha"] == pytest.approx(eca / 1e4, rel=1e-9)
    assert row["region_ha"] == pytest.approx(100 * 100 * 100)


def test_touching_sites_are_one_patch():
    row = one([square(0, 0, 10), square(10, 0, 10)])  # shared edge: d = 0, p = 1
    assert row["eca_ha"] == pytest.approx(2 * A / 1e4, rel=1e-12)
    assert row["protconn"] == pytest.approx(row["prot"], rel=1e-12)


def test_far_apart_sites_do_not_link():
    # 200 km apart at a 1 km median: p = 2^-200, below the link floor, so ECA = sqrt(a1² + a2²)
    table = protconn(clean([square(0, 0, 10), square(210, 0, 10)]), [("r", box(0, 0, 300 * KM, 10 * KM))], [KM])
    assert table.iloc[0]["eca_ha"] == pytest.approx(math.sqrt(2) * A / 1e4, rel=1e-12)


def test_every_distance_is_one_row():
    table = protconn(clean([square(0, 0, 10), square(20, 0, 10)]), [("r", REGION)], [MEDIAN, 2 * MEDIAN])
    assert list(table["distance_m"]) == [MEDIAN, 2 * MEDIAN]
    p20 = p(square(0, 0, 10), square(20, 0, 10), 2 * MEDIAN)
    assert table.iloc[1]["eca_ha"] == pytest.approx(math.sqrt(2 * A * A + 2 * A * A * p20) / 1e4, rel=1e-9)


@pytest.mark.parametrize("bad", [0, -1.0, float("nan"), float("inf"), True, np.True_, "5000"])
def test_distance_must_be_positive(bad):
    with pytest.raises(PacovError, match="positive"):
        protconn(clean([square(0, 0, 10)]), [("r", REGION)], [bad])


def test_numpy_distances_are_metres_as_python_numbers_are():
    """Python callers pass numpy numbers (a column's values); they read as the same metres."""
    assert check_distances([np.int64(5000), np.float32(2500.0), 10]) == [5000.0, 2500.0, 10.0]
    assert all(type(d) is float for d in check_distances([np.int64(5000)]))


def test_the_stepping_stone_is_the_most_important_site():
    flat = clean([WEST, MIDDLE, EAST])
    table = site_importance(network(flat, "r", REGION), MEDIAN)
    full = chain_eca()
    without_end = chain_eca(nodes=(MIDDLE, EAST))  # two squares 5 km apart
    without_middle = chain_eca(nodes=(WEST, EAST))  # two squares 20 km apart
    deca = dict(zip(table["WDPAID"], table["deca"]))
    assert table["WDPAID"].iloc[0] == 2
    assert deca[2] == pytest.approx(100 * (full - without_middle) / full, rel=1e-9)
    assert deca[1] == pytest.approx(100 * (full - without_end) / full, rel=1e-9)
    assert deca[3] == pytest.approx(deca[1], rel=1e-9)


@pytest.fixture
def files(tmp_path):
    protected = tmp_path / "pa.gpkg"
    sites(
        [
            {"WDPAID": 1, "NAME": "West", "geometry": WEST},
            {"WDPAID": 2, "NAME": "Middle", "geometry": MIDDLE},
            {"WDPAID": 3, "NAME": "East", "geometry": EAST},
        ]
    ).to_file(protected, layer="sites")
    region = tmp_path / "region.gpkg"
    ranges([{"sci_name": "x", "geometry": REGION}]).to_file(region)
    rng = tmp_path / "ranges.gpkg"
    ranges(
        [
            {"sci_name": "Panthera uncia", "geometry": box(0, 0, 20 * KM, 10 * KM)},  # West, half of Middle
            {"sci_name": "Ovis ammon", "geometry": box(0, 0, 100 * KM, 100 * KM)},
        ]
    ).to_file(rng)
    return protected, region, rng


def test_cli_region_json(files):
    protected, region, _ = files
    done = run_pacov(
        "connectivity",
        "--protected",
        f"{protected}:sites",
        "--region",
        region,
        "--distance",
        "10000",
        "--crs",
        EQUAL_AREA,
        "--format",
        "json",
    )
    assert done.returncode == 0, done.stderr
    (record,) = json.loads(done.stdout)
    eca = chain_eca()
    assert record["region"] == "region"
    assert record["distance_m"] == 10000
    assert record["region_ha"] == pytest.approx(REGION_M2 / 1e4, abs=0.01)
    assert record["eca_ha"] == pytest.approx(eca / 1e4, abs=0.01)
    assert record["protconn"] == pytest.approx(100 * eca / REGION_M2, rel=1e-9)
    assert record["prot"] == pytest.approx(100 * 3 * A / REGION_M2, rel=1e-9)


def test_cli_species_ranges_and_each(files, tmp_path):
    protected, _, rng = files
    each = tmp_path / "each.json"
    done = run_pacov(
        "connectivity",
        "--protected",
        f"{protected}:sites",
        "--ranges",
        rng,
        "--species",
        "Panthera uncia",
        "--distance",
        "10000",
        "--crs",
        EQUAL_AREA,
        "--format",
        "json",
        "--each",
        each,
    )
    assert done.returncode == 0, done.stderr
    (record,) = json.loads(done.stdout)
    # range 200 km²: all of West, half of Middle (the same 5 km gap on the map)
    half = A / 2
    eca = math.sqrt(A * A + half * half + 2 * A * half * p(WEST, MIDDLE))
    assert record["species"] == "Panthera uncia"
    assert record["eca_ha"] == pytest.approx(eca / 1e4, abs=0.01)
    assert record["protconn"] == pytest.approx(100 * eca / (200 * KM * KM), rel=1e-9)
    rows = json.loads(each.read_text())
    assert [r["name"] for r in rows] == ["West", "Middle"]
    assert rows[0]["deca"] == pytest.approx(100 * (eca - half) / eca, rel=1e-6)


def test_cli_gpkg_nodes_carry_their_deca(files, tmp_path):
    import geopandas as gpd

    protected, region, _ = files
    gpkg = tmp_path / "nodes.gpkg"
    done = run_pacov("connectivity", "--protected", f"{protected}:sites", "--region", region, "--distance", 10_000,
                     "--distance", 20_000, "--crs", EQUAL_AREA, "--gpkg", gpkg)  # fmt: skip
    assert done.returncode == 0, done.stderr
    nodes = gpd.read_file(gpkg, layer="connectivity_nodes").set_index("WDPAID")
    full = chain_eca()
    without_middle = chain_eca(nodes=(WEST, EAST))  # West and East, 20 km apart
    assert nodes.at[2, "deca_10km"] == pytest.approx(100 * (full - without_middle) / full, rel=1e-6)
    full20 = chain_eca(2 * MEDIAN)
    without_middle20 = chain_eca(2 * MEDIAN, nodes=(WEST, EAST))
    assert nodes.at[2, "deca_20km"] == pytest.approx(100 * (full20 - without_middle20) / full20, rel=1e-6)
    assert nodes.at[1, "NAME"] == "West" and nodes["area_ha"].to_numpy() == pytest.approx(10_000, rel=1e-6)


def test_cli_bad_distance_is_one_line(files):
    protected, region, _ = files
    done = run_pacov("connectivity", "--protected", f"{protected}:sites", "--region", region, "--distance", "0")
    assert done.returncode == 1
    assert done.stderr.startswith("pacov: error: --distance 0")
    assert len(done.stderr.strip().splitlines()) == 1


def test_cli_region_and_ranges_together_is_a_usage_error(files):
    protected, region, rng = files
    done = run_pacov(
        "connectivity", "--protected", protected, "--region", region, "--ranges", rng, "--distance", "1000"
    )
    assert done.returncode == 2
    assert "not both" in done.stderr


def test_scenario_compare_adds_protconn_and_its_change(tmp_path):
    # West and East 10 km apart (p = 0.5) in a 300 km² range; the proposal fills the gap, touching both
    sites([{"WDPAID": 1, "geometry": square(0, 0, 10)}, {"WDPAID": 2, "geometry": square(20, 0, 10)}], crs=CRS).to_file(
        tmp_path / "pa.gpkg"
    )
    ranges([{"sci_name": "A", "geometry": box(0, 0, 30 * KM, 10 * KM)}], crs=CRS).to_file(tmp_path / "ranges.gpkg")
    sites([{"WDPAID": 9, "PROPOSAL_ID": "mid", "STATUS": "Proposed", "geometry": square(10, 0, 10)}], crs=CRS).to_file(
        tmp_path / "proposed.gpkg"
    )
    base = scenario(tmp_path, "base")
    joined = scenario(tmp_path, "joined", '[[operations]]\nop = "add"\nids = ["mid"]\n')
    # from 1999 (before both sites, STATUS_YR 2000) the proposal stands alone; its change is still against today
    alone = scenario(tmp_path, "alone", '[[operations]]\nop = "add"\nids = ["mid"]\n', "as_of = 1999")
    done = run_pacov(
        "scenario", "compare", base, joined, alone, "--distance", "10000", "--crs", CRS, "--format", "json",
        "--no-write",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    rows = {r["scenario"]: r for r in json.loads(done.stdout)}
    before = 100 * math.sqrt(2 * A * A + 2 * A * A * 0.5) / (3 * A)
    assert rows["base"]["protconn_10km"] == pytest.approx(before, rel=1e-6)
    assert rows["base"]["protconn_10km_delta"] == 0
    assert rows["joined"]["protconn_10km"] == pytest.approx(100, rel=1e-6)  # one patch covering the range
    assert rows["joined"]["protconn_10km_delta"] == pytest.approx(100 - before, rel=1e-6)
    assert rows["alone"]["protconn_10km"] == pytest.approx(100 / 3, rel=1e-6)  # one 100 km² patch of 300
    assert rows["alone"]["protconn_10km_delta"] == pytest.approx(100 / 3 - before, rel=1e-6)


def star(cx, cy, rng, points=24, outer=9 * KM):
    """A concave star around (cx, cy): radii between a third of ``outer`` and ``outer``."""
    angles = np.sort(rng.uniform(0, 2 * np.pi, points))
    radii = rng.uniform(outer / 3, outer, points)
    return Polygon(np.column_stack([cx + radii * np.cos(angles), cy + radii * np.sin(angles)]))


def ground_distances(geoms, crs=EQUAL_AREA):
    """Every pair's edge-to-edge distance on the ground, by hand: nearest points in a stereographic
    (conformal) plane on the geometries' centre, then pyproj.Geod between them."""
    lon, lat = pyproj.Transformer.from_crs(crs, "EPSG:4326", always_xy=True).transform(
        *shapely.get_coordinates(shapely.centroid(shapely.union_all(geoms))).T
    )
    stere = f"+proj=stere +lat_0={lat[0]} +lon_0={lon[0]} +datum=WGS84 +units=m"
    flat = shapely.transform(
        geoms, lambda xy: np.column_stack(pyproj.Transformer.from_crs(crs, stere, always_xy=True).transform(*xy.T))
    )
    lines = shapely.shortest_line(flat[:, None], flat[None, :])
    back = pyproj.Transformer.from_crs(stere, "EPSG:4326", always_xy=True)
    lon0, lat0 = back.transform(*shapely.get_coordinates(shapely.get_point(lines.ravel(), 0)).T)
    lon1, lat1 = back.transform(*shapely.get_coordinates(shapely.get_point(lines.ravel(), -1)).T)
    d = pyproj.Geod(ellps="WGS84").inv(lon0, lat0, lon1, lat1)[2].reshape(lines.shape)
    return np.where(shapely.length(lines) > 0, d, 0.0)


@pytest.mark.parametrize("median_km", [5, 30, 100])
def test_pruned_links_give_the_brute_force_eca(median_km):
    """Concave stars on a jittered 20 km grid: ECA from every pair's ground distance (by hand) and
    scipy's Dijkstra (no pruning, no bounds) equals protconn's, which drops the links no shortest path
    needs (to 1e-7: the two planes' nearest points differ at second order)."""
    rng = np.random.default_rng(7)
    geoms = [
        star(x * 20 * KM + rng.uniform(-1, 1) * KM, y * 20 * KM + rng.uniform(-1, 1) * KM, rng)
        for x in range(8)
        for y in range(6)
        if rng.uniform() < 0.8
    ]
    flat = clean(geoms)
    region = box(-20 * KM, -20 * KM, 180 * KM, 140 * KM)
    g, a = flat.geometry.to_numpy(), shapely.area(flat.geometry.to_numpy())
    k = math.log(2) / (median_km * KM)
    d = ground_distances(g)
    cost = np.where(k * d <= -math.log(1e-4), np.maximum(k * d, 1e-300), 0.0)
    np.fill_diagonal(cost, 0.0)
    best = scipy_dijkstra(csr_matrix(cost), directed=False)
    p = np.where(best <= -math.log(1e-4), np.exp(-best), 0.0)
    expected = math.sqrt(a @ p @ a) / 1e4
    row = protconn(flat, [("r", region)], [median_km * KM]).iloc[0]
    assert row["eca_ha"] == pytest.approx(expected, rel=1e-7)
    cutoff = link_cutoff(median_km * KM)
    pruned = Links.within(g, cutoff, EQUAL_AREA, prune=True)
    assert len(pruned.d) < len(Links.within(g, cutoff, EQUAL_AREA).d)  # pruning did drop links
