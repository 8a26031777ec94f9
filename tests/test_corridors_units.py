"""Unit tests of pacov.analyses.corridors, function by function, on tiny grids whose answers are known by hand.

Grids are 1 km cells in EPSG:6933 with their north-west corner at (X0, TOP), near 30.2° N where the projection
is true to scale, so map metres are (almost) ground metres; ground gaps still come from pyproj.Geod
(conftest.ground_gap). Least costs come from a Dijkstra of our own over the 8-neighbour graph (scipy), with
MCP_Geometric's step cost: the step's length times the mean resistance of its two cells.
"""

import math
import re

import geopandas as gpd
import numpy as np
import pyproj
import pytest
import rasterio
import shapely
from affine import Affine
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import dijkstra
from shapely.geometry import box

from conftest import EQUAL_AREA, KM, ground_gap
from pacov.analyses.connectivity import Network
from pacov.analyses.corridors import (
    Grid,
    band_polygon,
    corridors,
    impassable,
    out_of_reach,
    pair_row,
    pairs,
    path_length,
    read_resistance,
    site_cells,
    species_corridors,
)
from pacov.errors import PacovError

X0, TOP = 200_000.0, 3_700_000.0
T = Affine(KM, 0, X0, 0, -KM, TOP)
CRS = pyproj.CRS(EQUAL_AREA)
FAR = "no passable path: farther apart than --max-distance"
OFF = "no passable path: a site lies off the resistance grid or on barrier cells"
WALLED = "no passable path: barriers (nodata or resistance <= 0) part them"


def cells_box(r0, c0, r1, c1):
    """The box over cells rows r0..r1-1, columns c0..c1-1 of T."""
    return box(X0 + c0 * KM, TOP - r1 * KM, X0 + c1 * KM, TOP - r0 * KM)


def tiny(r, c):
    """A 100 m square inside cell (r, c), off its centre: no cell centre inside it."""
    x, y = X0 + c * KM + 100, TOP - (r + 1) * KM + 100
    return box(x, y, x + 100, y + 100)


def grid(values, transform=T):
    return Grid(np.asarray(values, dtype="float64"), transform, CRS, abs(transform.a))


def net(geoms, ids=None, names=None, name="Capra sibirica"):
    ids = list(range(1, len(geoms) + 1)) if ids is None else ids
    data = {"WDPAID": ids, "geometry": list(geoms)}
    if names is not None:
        data["NAME"] = names
    sites = gpd.GeoDataFrame(data, geometry="geometry", crs=EQUAL_AREA)
    return Network(name, sites, shapely.area(sites.geometry.to_numpy()), 1e12)


def write(path, values, transform=T, crs=EQUAL_AREA, nodata=None):
    with rasterio.open(
        path, "w", driver="GTiff", width=values.shape[1], height=values.shape[0], count=1, dtype="float32",
        crs=crs, transform=transform, nodata=nodata,
    ) as dst:  # fmt: skip
        dst.write(values.astype("float32"), 1)
    return path


def ref_costs(res, cell, sources):
    """Least cost (m × resistance) from the cells ``sources`` to every cell: Dijkstra over 8 neighbours,
    a step costing its length times the mean resistance of its two cells; inf cells are impassable."""
    rows, cols = res.shape
    idx = np.arange(rows * cols).reshape(rows, cols)
    a, b, w = [], [], []
    for dr, dc in [(0, 1), (1, 0), (1, 1), (1, -1)]:
        for r in range(rows):
            for c in range(cols):
                r2, c2 = r + dr, c + dc
                if 0 <= r2 < rows and 0 <= c2 < cols and np.isfinite(res[r, c]) and np.isfinite(res[r2, c2]):
                    a.append(idx[r, c])
                    b.append(idx[r2, c2])
                    w.append(cell * math.hypot(dr, dc) * (res[r, c] + res[r2, c2]) / 2)
    graph = coo_matrix((w, (a, b)), shape=(rows * cols, rows * cols)).tocsr()
    starts = [idx[r, c] for r, c in sources]
    return dijkstra(graph, directed=False, indices=starts, min_only=True).reshape(rows, cols)


def cells_union(mask):
    """The cells of a boolean mask over T as one geometry."""
    return shapely.union_all([cells_box(r, c, r + 1, c + 1) for r, c in zip(*np.nonzero(mask))])


# ---------------------------------------------------------------- impassable


def test_impassable_marks_nodata_nan_and_non_positive_cells():
    values = np.array([[3.25, 0.0, -2.0], [7.0, 1.0, 0.5], [np.nan, np.inf, -np.inf]], dtype="float32")
    out = impassable(values, 7)
    inf = np.inf
    assert out.dtype == np.float64
    np.testing.assert_array_equal(out, [[3.25, inf, inf], [inf, 1.0, 0.5], [inf, inf, inf]])
    # without nodata 7 is a resistance like any other
    np.testing.assert_array_equal(impassable(values, None), [[3.25, inf, inf], [7.0, 1.0, 0.5], [inf, inf, inf]])


# ---------------------------------------------------------------- read_resistance


def test_read_raster_without_crs_is_one_line(tmp_path):
    path = write(tmp_path / "nocrs.tif", np.ones((2, 2)), crs=None)
    text = f"resistance {path}: the raster has no CRS; give it one (gdal_edit.py -a_srs)"
    with pytest.raises(PacovError, match=f"^{re.escape(text)}$"):
        read_resistance(path, EQUAL_AREA)


def test_read_unreadable_file_gives_rasterios_first_line(tmp_path):
    bad = tmp_path / "bad.tif"
    bad.write_text("not a raster\n")
    with pytest.raises(rasterio.errors.RasterioIOError) as raised:
        rasterio.open(bad)
    first = str(raised.value).splitlines()[0]
    text = f"resistance {bad}: not a readable raster ({first})"
    with pytest.raises(PacovError, match=f"^{re.escape(text)}$"):
        read_resistance(bad, EQUAL_AREA)


def test_read_square_raster_in_the_crs_is_taken_as_is(tmp_path):
    values = np.array([[1.0, 2.5, 0.0], [5.0, -1.0, 4.0]])
    path = write(tmp_path / "r.tif", values, nodata=5)
    g = read_resistance(path, "EPSG:6933")
    # 0 and -1 are barriers, 5 is nodata
    np.testing.assert_array_equal(g.resistance, [[1.0, 2.5, np.inf], [np.inf, np.inf, 4.0]])
    assert g.transform == T and g.cell == 1000.0 and g.crs == CRS and isinstance(g.crs, pyproj.CRS)


def test_read_non_square_cells_are_warped_at_the_larger_side_taking_the_minimum(tmp_path):
    """1 km × 500 m cells: each new 1 km cell covers two source cells, one above the other, and takes their
    minimum; barrier cells (0) are skipped and a new cell over two barriers stays a barrier."""
    values = np.array([[0, 9, 1, 9], [9, 1, 9, 1], [1, 0, 1, 9], [9, 0, 9, 1]], dtype=float)
    path = write(tmp_path / "ns.tif", values, transform=Affine(KM, 0, X0, 0, -500, TOP))
    g = read_resistance(path, EQUAL_AREA)
    assert g.cell == 1000.0 and g.transform == T and g.crs == CRS
    # columns pairwise: min(0→skip, 9) = 9, min(9, 1), min(1, 9), min(9, 1); then min(1, 0→skip), (0, 0) → barrier, ...
    np.testing.assert_array_equal(g.resistance, [[9, 1, 1, 1], [1, np.inf, 1, 1]])


def test_read_south_up_raster_is_turned_north_up(tmp_path):
    values = np.arange(1, 13, dtype=float).reshape(3, 4)
    path = write(tmp_path / "s.tif", values, transform=Affine(KM, 0, X0, 0, KM, TOP))
    g = read_resistance(path, EQUAL_AREA)
    # the file's first row is its southernmost: 3 km tall from TOP up
    assert g.transform == Affine(KM, 0, X0, 0, -KM, TOP + 3 * KM) and g.cell == 1000.0
    np.testing.assert_array_equal(g.resistance, values[::-1])


@pytest.mark.parametrize("b, d", [(300.0, 0.0), (1.0, 1.0), (300.0, 300.0)])
def test_read_sheared_raster_is_warped_north_up(tmp_path, b, d):
    values = np.arange(1, 13, dtype=float).reshape(3, 4)
    path = write(tmp_path / "sh.tif", values, transform=Affine(KM, b, X0, d, -KM, TOP))
    g = read_resistance(path, EQUAL_AREA)
    assert g.transform.b == 0 and g.transform.d == 0 and g.transform.a == -g.transform.e == g.cell
    assert g.cell >= 1000.0 and g.crs == CRS
    assert set(np.unique(g.resistance[np.isfinite(g.resistance)])) <= set(range(1, 13))


def test_read_raster_in_another_crs_is_warped_into_the_given_one(tmp_path):
    """Degrees to EPSG:6933: square cells in metres, source values kept (min resampling, no blend)."""
    values = np.full((8, 8), 5.0)
    values[:, 3] = 1.0  # a valley one cell wide
    values[5:, 5:] = 0.0  # a barrier block 3 cells wide
    path = write(tmp_path / "ll.tif", values, transform=Affine(0.01, 0, 2.0, 0, -0.01, 30.2), crs="EPSG:4326")
    g = read_resistance(path, EQUAL_AREA)
    assert g.crs == CRS and g.transform.a == -g.transform.e == g.cell
    # 0.01° of longitude at 30° N in EASE-Grid 2.0: R·cos30°·0.01·π/180 ≈ 963 m; of latitude ≈ 1110 m
    assert 900 < g.cell < 1200
    finite = g.resistance[np.isfinite(g.resistance)]
    assert set(np.unique(finite)) == {1.0, 5.0} and np.isinf(g.resistance).any()
    # the grid's west edge is 2° E in EASE-Grid 2.0
    west = pyproj.Transformer.from_crs("EPSG:4326", EQUAL_AREA, always_xy=True).transform(2.0, 30.2)[0]
    assert g.transform.c == pytest.approx(west, abs=g.cell)


# ---------------------------------------------------------------- Grid.window


def window_grid():
    return grid(np.arange(24, dtype=float).reshape(4, 6))


def test_window_takes_whole_cells_and_shifts_the_transform():
    g = window_grid()
    # x 201.2-203.5 km → columns floor(1.2)=1 .. ceil(3.5)=4; y 3697.3-3698.1 km → rows floor(1.9)=1 .. ceil(2.7)=3
    part = g.window((X0 + 1200, TOP - 2700, X0 + 3500, TOP - 1900))
    np.testing.assert_array_equal(part.resistance, np.arange(24).reshape(4, 6)[1:3, 1:4])
    assert part.transform == Affine(KM, 0, X0 + KM, 0, -KM, TOP - KM)
    assert part.crs is CRS and part.cell == 1000.0


def test_window_is_clipped_to_the_grid():
    g = window_grid()
    whole = g.window((X0 - 5500, TOP - 9000, X0 + 9000, TOP + 2500))
    np.testing.assert_array_equal(whole.resistance, g.resistance)
    assert whole.transform == T and whole.cell == 1000.0
    # the south-east corner: rows 3.. and columns 5.., bounds beyond the grid
    corner = g.window((X0 + 5100, TOP - 8000, X0 + 8000, TOP - 3200))
    np.testing.assert_array_equal(corner.resistance, [[23.0]])
    assert corner.transform == Affine(KM, 0, X0 + 5 * KM, 0, -KM, TOP - 3 * KM)


@pytest.mark.parametrize(
    "bounds",
    [
        (X0 + 7000, TOP - 3000, X0 + 9000, TOP - 1000),  # east of the grid, rows inside
        (X0 - 3000, TOP - 3000, X0, TOP - 1000),  # ends on the west edge: no whole column
        (X0 + 1000, TOP, X0 + 3000, TOP + 2000),  # starts on the north edge: no whole row
        (X0 + 1000, TOP - 9000, X0 + 3000, TOP - 4000),  # south of the grid
    ],
)
def test_window_off_the_grid_is_none(bounds):
    assert window_grid().window(bounds) is None


# ---------------------------------------------------------------- site_cells


def test_site_cells_centres_points_and_off_grid_sites():
    values = np.ones((5, 7))
    values[2, 3] = np.inf  # a barrier inside site 0
    values[3, 6] = np.inf  # the cell of tiny site 7
    geoms = [
        cells_box(1, 1, 3, 4),  # centres of rows 1-2, columns 1-3
        cells_box(3, 4, 5, 6),  # rows 3-4, columns 4-5
        tiny(0, 5),  # smaller than a cell: the cell of a point on it
        tiny(4, 0),
        tiny(2, -1),  # west of the grid
        tiny(5, 2),  # south of it
        tiny(1, 7),  # east of it
        tiny(3, 6),  # on a barrier cell
        tiny(-1, 3),  # north of it
    ]
    cells, labels = site_cells(geoms, grid(values))
    expected = np.zeros((5, 7), int)
    expected[1:3, 1:4] = 1
    expected[3:5, 4:6] = 2
    np.testing.assert_array_equal(labels, expected)
    found = [(r.tolist(), c.tolist()) for r, c in cells]
    assert found == [
        ([1, 1, 1, 2, 2], [1, 2, 3, 1, 2]),  # (2, 3) is a barrier
        ([3, 3, 4, 4], [4, 5, 4, 5]),
        ([0], [5]),
        ([4], [0]),
        ([], []),
        ([], []),
        ([], []),
        ([], []),
        ([], []),
    ]
    assert all(r.dtype.kind == "i" and c.dtype.kind == "i" for r, c in cells)


def test_site_cells_come_in_row_major_order_on_a_large_grid():
    g = grid(np.ones((30, 30)))
    geoms = [cells_box(3, 2, 20, 25), cells_box(21, 5, 29, 9)]
    cells, _ = site_cells(geoms, g)
    for (rows, cols), (r0, c0, r1, c1) in zip(cells, [(3, 2, 20, 25), (21, 5, 29, 9)]):
        mask = np.zeros((30, 30), bool)
        mask[r0:r1, c0:c1] = True
        want_r, want_c = np.nonzero(mask)
        np.testing.assert_array_equal(rows, want_r)
        np.testing.assert_array_equal(cols, want_c)


# ---------------------------------------------------------------- path_length and band_polygon


def test_path_length_sums_steps_between_cell_centres():
    path = np.array([(3, 1), (2, 2), (2, 4), (0, 4)], dtype="uint8")  # unsigned: steps must not wrap
    # steps (-1, 1), (0, 2), (-2, 0): √2 + 2 + 2 cells of 250 m
    assert path_length(path, 250.0) == pytest.approx((2**0.5 + 4) * 250)
    assert path_length([(0, 0), (2, 2)], 10.0) == pytest.approx(8**0.5 * 10)
    assert path_length([(5, 5)], 10.0) == 0.0


def test_band_polygon_is_the_band_cells_on_the_map():
    band = np.zeros((4, 5), bool)
    band[1, 1:4] = True
    band[2, 3] = True
    band[3, 0] = True
    poly = band_polygon(band, grid(np.ones((4, 5))))
    want = cells_box(1, 1, 2, 4).union(cells_box(2, 3, 3, 4)).union(cells_box(3, 0, 4, 1))
    assert poly.symmetric_difference(want).area == 0
    assert poly.area == pytest.approx(5 * KM * KM)


# ---------------------------------------------------------------- pairs and out_of_reach

# squares 2 km tall along one row of cells: P1 and P2 touch, P2 and P3 are 0.5 m apart, P4 is far
P = [
    box(X0, TOP - 2000, X0 + 2000, TOP),
    box(X0 + 5000, TOP - 2000, X0 + 7000, TOP),
    box(X0 + 7000, TOP - 2000, X0 + 9000, TOP),
    box(X0 + 9000.5, TOP - 2000, X0 + 11000, TOP),
    box(X0 + 50000, TOP - 2000, X0 + 52000, TOP),
]


def gap(a, b):
    return ground_gap(P[a], P[b])


def test_pairs_takes_each_sites_nearest_apart_other():
    i, j, d, lonely = pairs(np.array(P, dtype=object), EQUAL_AREA, 1, 10_000)
    # nearest apart from each: P0 → P1 (3 km), P1 → P3 (2.0005 km; P2 touches), P2 → P3 (0.5 m), P3 → P2
    assert i.tolist() == [0, 1, 2] and j.tolist() == [1, 3, 3]
    np.testing.assert_allclose(d, [gap(0, 1), gap(1, 3), gap(2, 3)], rtol=1e-6)
    assert 0.4 < d[2] < 0.6
    assert lonely.tolist() == [4]


def test_pairs_with_two_neighbours_each():
    i, j, d, lonely = pairs(np.array(P, dtype=object), EQUAL_AREA, 2, 10_000)
    # P0: P1 3, P2 5; P1: P3 2.0005, P0 3; P2: P3, P0 5; P3: P2, P1 2.0005
    assert list(zip(i.tolist(), j.tolist())) == [(0, 1), (0, 2), (1, 3), (2, 3)]
    np.testing.assert_allclose(d, [gap(0, 1), gap(0, 2), gap(1, 3), gap(2, 3)], rtol=1e-6)
    assert lonely.tolist() == [4]


def test_pairs_of_touching_or_far_sites_only_are_empty():
    i, j, d, lonely = pairs(np.array(P[1:3] + P[4:], dtype=object), EQUAL_AREA, 3, 10_000)
    assert len(i) == len(j) == len(d) == 0 and i.dtype == j.dtype == d.dtype == np.float64
    assert lonely.tolist() == [2]  # the touching two are not lonely


def test_out_of_reach_two_lonely_sites_share_one_row():
    found = out_of_reach(np.array([P[0], P[4]], dtype=object), EQUAL_AREA, np.array([0, 1]))
    assert len(found) == 1 and found[0][:2] == (0, 1)
    assert found[0][2] == pytest.approx(ground_gap(P[0], P[4]), rel=1e-6)  # 48 km


def test_out_of_reach_gives_each_lonely_site_its_nearest_other_in_pair_order():
    geoms = np.array([P[4], P[0], P[1], box(X0 + 100_000, TOP - 2000, X0 + 102_000, TOP)], dtype=object)
    found = out_of_reach(geoms, EQUAL_AREA, np.array([0, 3]))
    # site 0 (x 50-52 km): nearest site 2 (x 5-7 km, 43 km); site 3 (x 100-102 km): nearest site 0 (48 km)
    assert [f[:2] for f in found] == [(0, 2), (0, 3)]
    np.testing.assert_allclose([f[2] for f in found], [ground_gap(P[4], P[1]), ground_gap(P[4], geoms[3])], rtol=1e-6)


def test_out_of_reach_takes_one_of_two_equally_near_others():
    twin = P[1]
    found = out_of_reach(
        np.array([P[0], twin, shapely.Polygon(twin.exterior)], dtype=object), EQUAL_AREA, np.array([0])
    )
    assert len(found) == 1 and found[0][:2] in [(0, 1), (0, 2)]
    assert found[0][2] == pytest.approx(ground_gap(P[0], twin), rel=1e-6)


def test_out_of_reach_with_nothing_lonely_or_a_single_site_is_empty():
    assert out_of_reach(np.array(P[:2], dtype=object), EQUAL_AREA, np.array([], int)) == []
    assert out_of_reach(np.array(P[:1], dtype=object), EQUAL_AREA, np.array([0])) == []


# ---------------------------------------------------------------- pair_row


def test_pair_row_with_a_corridor_partly_protected():
    n = net([P[0], P[1]], ids=[11, 22], names=["Aksu", "Zhabagly"])
    corridor = box(0, 0, 4000, 1000)  # 4 km² = 400 ha
    protected = box(3000, -10, 9000, 2000)  # covers 1 km² of it
    row = pair_row(n, 1, 0, 2500.0, "", 7250.0, 9125.0, corridor, protected)
    assert row == {
        "species": "Capra sibirica",
        "from_id": 22,
        "from_name": "Zhabagly",
        "to_id": 11,
        "to_name": "Aksu",
        "gap_km": 2.5,
        "length_km": 7.25,
        "cost_km": 9.125,
        "corridor_ha": 400.0,
        "protected_ha": 100.0,
        "protected_share": 0.25,
        "path": "least cost",
        "geometry": corridor,
    }


def test_pair_row_without_a_corridor_or_names():
    row = pair_row(net([P[0], P[1]], ids=[5, 6]), 0, 1, 48_000.0, FAR)
    assert (row["from_id"], row["to_id"], row["from_name"], row["to_name"]) == (5, 6, "", "")
    assert row["gap_km"] == 48.0 and row["path"] == FAR
    assert math.isnan(row["length_km"]) and math.isnan(row["cost_km"]) and math.isnan(row["protected_share"])
    assert row["corridor_ha"] == 0 and row["protected_ha"] == 0
    assert row["geometry"].geom_type == "Polygon" and row["geometry"].is_empty


# ---------------------------------------------------------------- species_corridors

# an open 7 × 12 grid at resistance 1: A over rows 2-4, columns 0-1; B over row 3, columns 9-10
A = cells_box(2, 0, 5, 2)
B = cells_box(3, 9, 4, 11)


def band_of(res, sites, a, b, tolerance):
    """The corridor by brute force: cells with cost from a + cost from b ≤ (1 + tolerance)·least, less the
    cells whose centres lie in a or b."""
    g = grid(res)
    centres = [
        [shapely.Point(*(g.transform @ (c + 0.5, r + 0.5))) for c in range(res.shape[1])] for r in range(res.shape[0])
    ]

    def inside(geom):
        return np.array([[geom.contains(p) for p in row] for row in centres])

    in_a, in_b = inside(sites[a]), inside(sites[b])
    ca = ref_costs(res, KM, list(zip(*np.nonzero(in_a & np.isfinite(res)))))
    cb = ref_costs(res, KM, list(zip(*np.nonzero(in_b & np.isfinite(res)))))
    least = ca[in_b].min()
    return least, (ca + cb <= least * (1 + tolerance) * (1 + 1e-12)) & ~in_a & ~in_b


@pytest.mark.parametrize("tolerance", [0.0, 0.06])
def test_species_corridor_on_an_open_grid(tolerance):
    res = np.ones((7, 12))
    stone = cells_box(1, 4, 4, 6)  # protected, not a site of this species' network: columns 4-5
    rows = species_corridors(net([A, B], names=["A", "B"]), [A, B, stone], grid(res), 3, 20_000, tolerance)
    assert len(rows) == 1
    row = rows[0]
    least, band = band_of(res, [A, B], 0, 1, tolerance)
    # by hand: (3, 1) to (3, 9), 8 straight steps of 1 km at resistance 1
    assert least == pytest.approx(8000)
    assert (row["from_id"], row["to_id"], row["path"]) == (1, 2, "least cost")
    assert row["cost_km"] == pytest.approx(8.0) and row["length_km"] == pytest.approx(8.0)
    assert row["gap_km"] == pytest.approx(ground_gap(A, B) / KM, rel=1e-6)
    # at 0%: row 3, columns 2-8 (7 cells); at 6% rows 2-4 too (a diagonal costs 8.414 km ≤ 8.48 km): 21 cells
    assert band.sum() == (7 if tolerance == 0 else 21)
    assert row["geometry"].symmetric_difference(cells_union(band)).area == 0
    assert row["corridor_ha"] == pytest.approx(band.sum() * 100)
    protected = (band & np.isin(np.arange(12), [4, 5])[None, :] & np.isin(np.arange(7), [1, 2, 3])[:, None]).sum()
    assert protected == (2 if tolerance == 0 else 4)  # the stone's columns 4-5 over band rows 3 (and 2)
    assert row["protected_ha"] == pytest.approx(protected * 100)
    assert row["protected_share"] == pytest.approx(protected / band.sum())


def test_species_corridor_goes_round_a_wall():
    """A wall down column 6 but for row 6: the path dips from A (rows 2-4) to row 6 and back up to B."""
    res = np.ones((8, 12))
    res[:6, 6] = np.inf
    res[7, 6] = np.inf
    rows = species_corridors(net([A, B]), [A, B], grid(res), 3, 20_000, 0.05)
    least, band = band_of(res, [A, B], 0, 1, 0.05)
    # by hand: A's (4, 1) to the gap (6, 6) is 2 rows and 5 columns: 2 diagonals and 3 straight steps; from
    # there to B's (3, 9), 3 rows and 3 columns: 3 diagonals
    assert least == pytest.approx(3000 + 5 * 2**0.5 * 1000)
    row = rows[0]
    assert row["cost_km"] == pytest.approx(least / KM) and row["length_km"] == pytest.approx(least / KM)
    assert row["geometry"].symmetric_difference(cells_union(band)).area == 0


def test_species_corridors_rows_sorted_by_id_with_a_site_on_barrier_cells():
    """Site X over barrier cells has no cells: its two pairs say so, and A-B (after it) still gets its corridor."""
    res = np.ones((7, 12))
    res[0:2, 4:7] = np.inf
    x = cells_box(0, 4, 2, 7)
    n = net([A, x, B], ids=[30, 20, 10])
    rows = species_corridors(n, [A, x, B], grid(res), 2, 20_000, 0.0)
    got = [(r["from_id"], r["to_id"], r["path"]) for r in rows]
    assert got == [(20, 10, OFF), (30, 10, "least cost"), (30, 20, OFF)]
    gaps = [r["gap_km"] for r in rows]
    np.testing.assert_allclose(gaps, [ground_gap(x, B) / KM, ground_gap(A, B) / KM, ground_gap(A, x) / KM], rtol=1e-6)
    assert rows[1]["cost_km"] == pytest.approx(8.0) and rows[1]["length_km"] == pytest.approx(8.0)
    assert rows[0]["corridor_ha"] == 0 and math.isnan(rows[0]["cost_km"])


def test_species_corridors_a_walled_in_site_is_parted_by_barriers():
    res = np.ones((7, 12))
    res[0:3, 3:8] = np.inf
    res[1, 4:7] = 1.0  # a pocket inside the wall
    w = cells_box(1, 5, 2, 6)  # over the pocket's middle cell
    rows = species_corridors(net([A, w, B]), [A, w, B], grid(res), 2, 20_000, 0.0)
    got = [(r["from_id"], r["to_id"], r["path"]) for r in rows]
    assert got == [(1, 2, WALLED), (1, 3, "least cost"), (2, 3, WALLED)]
    assert rows[1]["cost_km"] == pytest.approx(8.0)
    assert math.isnan(rows[0]["length_km"]) and rows[0]["gap_km"] == pytest.approx(ground_gap(A, w) / KM, rel=1e-6)


def test_species_corridors_sites_less_than_a_cell_apart_leave_no_corridor_cell():
    a = box(X0, TOP - 3000, X0 + 4900, TOP - 2000)  # centres of columns 0-4 in row 2
    b = box(X0 + 5100, TOP - 3000, X0 + 9000, TOP - 2000)  # columns 5-8
    rows = species_corridors(net([a, b]), [a, b], grid(np.ones((5, 10))), 3, 20_000, 0.05)
    row = rows[0]
    assert row["path"] == "least cost" and row["cost_km"] == pytest.approx(1.0)  # (2, 4) → (2, 5)
    assert row["length_km"] == pytest.approx(1.0) and row["gap_km"] == pytest.approx(ground_gap(a, b) / KM, rel=1e-6)
    assert row["geometry"].geom_type == "Polygon" and row["geometry"].is_empty
    assert row["corridor_ha"] == 0 and math.isnan(row["protected_share"])


def test_species_corridors_far_sites_get_rows_first_when_the_grid_is_elsewhere():
    """The grid lies 500 km east: A-B are off it; C is 40 km from B, beyond max_distance 20 km."""
    c = box(X0 + 51000, TOP - 4000, X0 + 53000, TOP - 2000)
    far_grid = grid(np.ones((5, 5)), Affine(KM, 0, X0 + 500_000, 0, -KM, TOP))
    rows = species_corridors(net([A, B, c], ids=[7, 8, 9]), [A, B, c], far_grid, 3, 20_000, 0.05)
    got = [(r["from_id"], r["to_id"], r["path"]) for r in rows]
    assert got == [(8, 9, FAR), (7, 8, OFF)]  # as found: out-of-reach rows, then the pairs
    np.testing.assert_allclose([r["gap_km"] for r in rows], [ground_gap(B, c) / KM, ground_gap(A, B) / KM], rtol=1e-6)


def test_species_corridors_a_lonely_site_and_a_corridor():
    c = box(X0 + 51000, TOP - 4000, X0 + 53000, TOP - 2000)
    rows = species_corridors(net([c, A, B], ids=[1, 2, 3]), [A, B, c], grid(np.ones((7, 12))), 3, 20_000, 0.0)
    got = [(r["from_id"], r["to_id"], r["path"]) for r in rows]
    assert got == [(1, 3, FAR), (2, 3, "least cost")]
    assert rows[0]["gap_km"] == pytest.approx(ground_gap(c, B) / KM, rel=1e-6) and math.isnan(rows[0]["cost_km"])
    assert rows[1]["cost_km"] == pytest.approx(8.0)


def test_species_corridors_with_no_pairs_at_all():
    rows = species_corridors(net([A]), [A], grid(np.ones((7, 12))), 3, 20_000, 0.0)
    assert rows == []


# ---------------------------------------------------------------- corridors

COLUMNS = ["species", "from_id", "from_name", "to_id", "to_name", "gap_km", "length_km", "cost_km"]
COLUMNS += ["corridor_ha", "protected_ha", "protected_share", "path", "geometry"]


def site_frame(geoms, ids):
    return gpd.GeoDataFrame({"WDPAID": ids, "NAME": [f"S{k}" for k in ids], "geometry": geoms}, crs=EQUAL_AREA)


@pytest.mark.parametrize(
    "kw",
    [
        {"neighbours": 0},
        {"neighbours": 0, "tolerance": 0.0},
        {"max_distance": 0},
        {"max_distance": -1.0},
        {"tolerance": -0.01},
    ],
)
def test_corridors_rejects_bad_settings(kw):
    text = "--neighbours must be at least 1, --max-distance positive and --tolerance not negative"
    with pytest.raises(PacovError, match=f"^{re.escape(text)}$"):
        corridors(site_frame([A], [1]), [], grid(np.ones((3, 3))), **kw)


def test_corridors_accepts_the_edge_settings_and_gives_an_empty_table():
    table = corridors(site_frame([A], [1]), [], grid(np.ones((3, 3))), neighbours=1, max_distance=0.5, tolerance=0.0)
    assert list(table.columns) == COLUMNS and len(table) == 0
    assert table.geometry.name == "geometry" and table.crs == CRS


def test_corridors_over_two_ranges():
    """Range 1 holds A and B; range 2 holds B and C (A-B corridor from 1, B-C 'far' row from 2); a protected
    site S in no range still counts on the corridor."""
    c = box(X0 + 51000, TOP - 4000, X0 + 53000, TOP - 2000)
    stone = cells_box(3, 4, 4, 6)  # row 3, columns 4-5: 2 of the 7 corridor cells
    sites = site_frame([A, B, c, stone], [1, 2, 3, 4])
    regions = [
        ("Ovis ammon", box(X0 - 1000, TOP - 7000, X0 + 11_500, TOP).difference(stone.buffer(1))),
        ("Uncia uncia", box(X0 + 8000, TOP - 7000, X0 + 60_000, TOP)),
    ]
    table = corridors(sites, regions, grid(np.ones((7, 12))), neighbours=3, max_distance=20_000, tolerance=0.0)
    assert list(table.columns) == COLUMNS and table.crs == CRS
    got = list(zip(table["species"], table["from_id"], table["to_id"], table["path"]))
    assert got == [("Ovis ammon", 1, 2, "least cost"), ("Uncia uncia", 2, 3, FAR)]
    first = table.iloc[0]
    assert (first["from_name"], first["to_name"]) == ("S1", "S2")
    assert first["cost_km"] == pytest.approx(8.0) and first["corridor_ha"] == pytest.approx(700)
    assert first["protected_ha"] == pytest.approx(200) and first["protected_share"] == pytest.approx(2 / 7)
    assert first.geometry.symmetric_difference(cells_box(3, 2, 4, 9)).area == 0
    assert table.iloc[1]["gap_km"] == pytest.approx(ground_gap(B, c) / KM, rel=1e-6)


def test_species_corridors_one_neighbour_each():
    """A (columns 0-1), B (row 3, columns 9-10), D (row 3, columns 14-15): A's nearest is B (7 km), B's and D's
    each other (3 km); A-D (12 km) is nobody's nearest, so not a pair."""
    d = cells_box(3, 14, 4, 16)
    rows = species_corridors(net([A, B, d]), [A, B, d], grid(np.ones((7, 18))), 1, 20_000, 0.0)
    got = [(r["from_id"], r["to_id"], r["path"]) for r in rows]
    assert got == [(1, 2, "least cost"), (2, 3, "least cost")]
    # B's (3, 10) to D's (3, 14): 4 steps
    assert [r["cost_km"] for r in rows] == pytest.approx([8.0, 4.0])
    table = corridors(site_frame([A, B, d], [1, 2, 3]), [("Ovis ammon", box(X0, TOP - 7000, X0 + 18_000, TOP))],
                      grid(np.ones((7, 18))), neighbours=1, max_distance=20_000, tolerance=0.0)  # fmt: skip
    assert list(zip(table["from_id"], table["to_id"])) == [(1, 2), (2, 3)]


def test_species_corridor_ends_at_the_cheapest_cell_not_the_first():
    """B first, A second: A's first cell (2, 0) is 8 + √2 − 1 km from B's (3, 9) while its (3, 1) is 8 km."""
    rows = species_corridors(net([B, A]), [A, B], grid(np.ones((7, 12))), 3, 20_000, 0.0)
    assert rows[0]["cost_km"] == pytest.approx(8.0) and rows[0]["length_km"] == pytest.approx(8.0)
    assert rows[0]["geometry"].symmetric_difference(cells_box(3, 2, 4, 9)).area == 0
