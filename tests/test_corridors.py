"""Least-cost corridors on synthetic resistance rasters whose cheapest routes are obvious by hand.

Rasters are 1 km cells in EPSG:6933 (the sites' CRS, so no warping): a valley of resistance 1
through a ridge of resistance 100. A step between two valley cells costs 1 km × 1; a step onto the
ridge costs at least 1 km × (1 + 100)/2, far beyond the 5% band.
"""

import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import rasterio
from affine import Affine
from shapely.geometry import box

from conftest import EQUAL_AREA, KM, ground_gap, ranges, run_pacov, sites
from pacov.analyses.corridors import corridors, read_resistance
from pacov.cleaning.clean import clean_protected_areas
from pacov.errors import PacovError

ROWS, COLS, RIDGE, VALLEY = 20, 30, 100.0, 1.0
TRANSFORM = Affine(KM, 0, 0, 0, -KM, ROWS * KM)  # cell (r, c) spans x c..c+1 km, y ROWS-r-1..ROWS-r km


def cells_box(r0, c0, r1, c1):
    """The box covering cells rows r0..r1-1, columns c0..c1-1."""
    return box(c0 * KM, (ROWS - r1) * KM, c1 * KM, (ROWS - r0) * KM)


def write_raster(path, values, crs=EQUAL_AREA, transform=TRANSFORM):
    with rasterio.open(
        path, "w", driver="GTiff", width=values.shape[1], height=values.shape[0], count=1, dtype="float32",
        crs=crs, transform=transform, nodata=-1,
    ) as dst:  # fmt: skip
        dst.write(values.astype("float32"), 1)
    return path


def straight_valley(tmp_path):
    values = np.full((ROWS, COLS), RIDGE)
    values[10, :] = VALLEY
    return write_raster(tmp_path / "valley.tif", values), values == VALLEY


A = cells_box(8, 0, 13, 5)  # columns 0-4, rows 8-12
B = cells_box(8, 25, 13, 30)  # columns 25-29
C = cells_box(9, 10, 12, 15)  # columns 10-14 over the valley, between A and B
WHOLE = box(-5 * KM, -5 * KM, (COLS + 5) * KM, (ROWS + 5) * KM)


def run(tmp_path, raster, geoms, **kw):
    raw = sites([{"WDPAID": k + 1, "geometry": g} for k, g in enumerate(geoms)])
    flat = clean_protected_areas(raw, EQUAL_AREA)[0]
    return corridors(flat, [("Panthera uncia", WHOLE)], read_resistance(raster, EQUAL_AREA), **kw)


def test_corridor_follows_a_straight_valley_at_the_hand_cost(tmp_path):
    raster, valley = straight_valley(tmp_path)
    table = run(tmp_path, raster, [A, B])
    assert len(table) == 1
    row = table.iloc[0]
    # 20 valley cells lie between A (last column 4) and B (first column 25): 21 steps of 1 km at resistance 1
    assert row["cost_km"] == pytest.approx(21.0)
    assert row["length_km"] == pytest.approx(21.0)
    assert row["gap_km"] == pytest.approx(ground_gap(A, B) / KM, rel=1e-9)  # 20 km on the map, by the equator
    # the corridor is exactly those 20 valley cells, none on the ridge
    assert row.geometry.equals(cells_box(10, 5, 11, 25))
    assert row["corridor_ha"] == pytest.approx(20 * 100)
    assert row["protected_ha"] == 0 and row["protected_share"] == 0


def test_protected_share_counts_a_site_over_part_of_the_valley(tmp_path):
    raster, _ = straight_valley(tmp_path)
    table = run(tmp_path, raster, [A, B, C], neighbours=2).set_index(["from_id", "to_id"])
    row = table.loc[(1, 2)]
    assert row["cost_km"] == pytest.approx(21.0)  # a site does not change the resistance
    # C covers valley columns 10-14: 5 of the corridor's 20 cells
    assert row["protected_ha"] == pytest.approx(5 * 100)
    assert row["protected_share"] == pytest.approx(0.25)
    # A-C: valley columns 5-9 between them, 6 steps
    assert table.loc[(1, 3), "cost_km"] == pytest.approx(6.0)
    assert table.loc[(1, 3), "protected_share"] == 0


def test_corridor_takes_the_valley_round_the_ridge(tmp_path):
    """A U-shaped valley: the straight line crosses 9 ridge cells, the valley goes round them."""
    values = np.full((ROWS, COLS), RIDGE)
    values[2, 4:26] = VALLEY  # along the top
    values[2:11, 4] = VALLEY  # down on the left to A
    values[2:11, 25] = VALLEY  # down on the right to B
    raster = write_raster(tmp_path / "u.tif", values)
    a, b = cells_box(10, 2, 11, 5), cells_box(10, 25, 11, 28)  # A holds valley cell (10, 4), B (10, 25)
    row = run(tmp_path, raster, [a, b]).iloc[0]
    band = cells_box(2, 4, 10, 5).union(cells_box(2, 5, 3, 25)).union(cells_box(2, 25, 10, 26))
    assert row.geometry.symmetric_difference(band).area == 0  # the whole U, corners included, no ridge cell
    # from (10,4) up to (2,4), across to (2,25), down to (10,25): 8 + 21 + 8 one-km steps, less the two
    # corners, each cut by one diagonal step between valley cells: √2 km instead of 2 km
    assert row["cost_km"] == pytest.approx(8 + 21 + 8 - 4 + 2 * 2**0.5)


def test_tolerance_narrows_the_band(tmp_path):
    """At 1% the U's two corner cells drop out: going round a corner costs 2 km, not √2 km + 1.6%."""
    values = np.full((ROWS, COLS), RIDGE)
    values[2, 4:26] = VALLEY
    values[2:11, 4] = VALLEY
    values[2:11, 25] = VALLEY
    raster = write_raster(tmp_path / "u.tif", values)
    a, b = cells_box(10, 2, 11, 5), cells_box(10, 25, 11, 28)
    wide = run(tmp_path, raster, [a, b]).iloc[0]
    narrow = run(tmp_path, raster, [a, b], tolerance=0.01).iloc[0]
    assert wide["corridor_ha"] == pytest.approx(36 * 100)  # 8 + 20 + 8 valley cells outside A and B
    assert narrow["corridor_ha"] == pytest.approx(34 * 100)
    assert not narrow.geometry.intersects(cells_box(2, 4, 3, 5).centroid)


def test_cli_default_resistance_on_the_embedded_layers(tmp_path):
    """The shipped terrain surface: invariants of any least-cost corridor."""
    from conftest import ROOT

    layers = ROOT / "layers" / "kazakhstan"
    out = tmp_path / "c.csv"
    done = run_pacov("corridors", "--protected", layers / "protected_areas.geojson", "--ranges",
                     layers / "species_ranges.geojson", "--species", "Panthera uncia", "--neighbours", 1,
                     "--max-distance", 30_000, "--format", "csv", "--output", out, "--keep-mab",
                     "--assume-crs", "EPSG:4326")  # fmt: skip
    assert done.returncode == 0, done.stderr
    table = pd.read_csv(out)
    assert len(table) > 0 and set(table["species"]) == {"Panthera uncia"}
    found, far = table[table["path"] == "least cost"], table[table["path"].str.contains("--max-distance")]
    assert len(found) and (found["gap_km"] <= 30).all() and (found["length_km"] >= found["gap_km"]).all()
    assert (found["cost_km"] >= found["length_km"] - 1e-9).all()
    assert (far["gap_km"] > 30).all() and far["cost_km"].isna().all() and len(found) + len(far) == len(table)


def test_cli_writes_table_and_geopackage(tmp_path):
    raster, _ = straight_valley(tmp_path)
    protected = tmp_path / "sites.geojson"
    sites([{"WDPAID": k + 1, "geometry": g} for k, g in enumerate([A, B, C])]).to_file(protected)
    range_file = tmp_path / "ranges.geojson"
    ranges([{"sci_name": "Panthera uncia", "geometry": WHOLE}]).to_file(range_file)
    out, gpkg = tmp_path / "corridors.json", tmp_path / "corridors.gpkg"
    done = run_pacov("corridors", "--protected", protected, "--ranges", range_file, "--resistance", raster,
                     "--crs", EQUAL_AREA, "--neighbours", 2, "--max-distance", 25_000, "--tolerance", 0.05,
                     "--output", out, "--gpkg", gpkg, "--status", "Designated")  # fmt: skip
    assert done.returncode == 0, done.stderr
    records = {(r["from_id"], r["to_id"]): r for r in json.loads(out.read_text())}
    assert set(records) == {(1, 2), (1, 3), (2, 3)}
    assert records[(1, 2)]["protected_share"] == pytest.approx(0.25)
    layer = gpd.read_file(gpkg, layer="corridors").to_crs(EQUAL_AREA)
    assert len(layer) == 3
    ab = layer[(layer["from_id"] == 1) & (layer["to_id"] == 2)].iloc[0]
    assert ab.geometry.area == pytest.approx(20 * KM * KM, rel=1e-4)


def test_pairs_beyond_max_distance_get_a_row_saying_so(tmp_path):
    """Issue 23 item 4: A and B are 20 km apart (edge to edge, by hand: columns 5-24); at 15 km the pair is
    not silently missing but a row with no path, no cost and no corridor."""
    raster, _ = straight_valley(tmp_path)
    table = run(tmp_path, raster, [A, B], max_distance=15_000)
    assert len(table) == 1
    row = table.iloc[0]
    assert (row["from_id"], row["to_id"]) == (1, 2) and row["gap_km"] == pytest.approx(ground_gap(A, B) / KM)
    assert row["path"] == "no passable path: farther apart than --max-distance"
    assert np.isnan(row["cost_km"]) and np.isnan(row["length_km"]) and row["corridor_ha"] == 0


def test_a_barrier_between_two_sites_gives_a_no_path_row_through_the_cli(tmp_path):
    """Issue 23 item 4: column 15 is nodata from top to bottom, so A (west) and B (east) have no passable path;
    C (column 16, east of the wall) reaches B along the valley: by hand, 8 valley cells (columns 17-24) lie between
    C and B's first column 25, so 9 steps of 1 km at resistance 1."""
    values = np.full((ROWS, COLS), RIDGE)
    values[10, :] = VALLEY
    values[:, 15] = -1  # nodata: a wall
    raster = write_raster(tmp_path / "wall.tif", values)
    c = cells_box(9, 16, 12, 17)  # column 16, east of the wall
    protected, range_file = tmp_path / "sites.geojson", tmp_path / "ranges.geojson"
    sites([{"WDPAID": k + 1, "geometry": g} for k, g in enumerate([A, B, c])]).to_file(protected)
    ranges([{"sci_name": "Panthera uncia", "geometry": WHOLE}]).to_file(range_file)
    done = run_pacov("corridors", "--protected", protected, "--ranges", range_file, "--resistance", raster,
                     "--crs", EQUAL_AREA, "--neighbours", 2, "--max-distance", 25_000, "--format", "json")  # fmt: skip
    assert done.returncode == 0, done.stderr
    rows = {(r["from_id"], r["to_id"]): r for r in json.loads(done.stdout)}
    assert set(rows) == {(1, 2), (1, 3), (2, 3)}  # every pair has its row
    for pair in ((1, 2), (1, 3)):  # A is cut off from both
        assert rows[pair]["path"].startswith("no passable path: barriers") and rows[pair]["cost_km"] is None
    assert rows[(2, 3)]["path"] == "least cost" and rows[(2, 3)]["cost_km"] == pytest.approx(9.0)


def test_bad_resistance_is_one_line(tmp_path):
    bad = tmp_path / "bad.tif"
    bad.write_text("not a raster")
    with pytest.raises(PacovError, match="resistance"):
        read_resistance(bad, EQUAL_AREA)
    protected = tmp_path / "sites.geojson"
    sites([{"WDPAID": 1, "geometry": A}]).to_file(protected)
    range_file = tmp_path / "ranges.geojson"
    ranges([{"sci_name": "Panthera uncia", "geometry": WHOLE}]).to_file(range_file)
    done = run_pacov("corridors", "--protected", protected, "--ranges", range_file, "--resistance", bad)
    assert (
        done.returncode == 1 and done.stderr.startswith("pacov: error: resistance") and "Traceback" not in done.stderr
    )


def test_warped_raster_keeps_its_classes(tmp_path):
    """A raster in another CRS is warped to square cells: no blended resistance, the valley kept."""
    raster, _ = straight_valley(tmp_path)
    grid = read_resistance(raster, "ESRI:54009")  # Mollweide
    assert grid.transform.a == -grid.transform.e == grid.cell
    assert grid.cell == pytest.approx(KM, rel=0.05)
    assert set(np.unique(grid.resistance[np.isfinite(grid.resistance)])) == {VALLEY, RIDGE}


def test_cli_map_has_a_corridor_layer_in_a_real_browser(tmp_path):
    from test_map_browser import _browser, load

    raster, _ = straight_valley(tmp_path)
    protected = tmp_path / "sites.geojson"
    sites([{"WDPAID": k + 1, "geometry": g} for k, g in enumerate([A, B])]).to_file(protected)
    range_file = tmp_path / "ranges.geojson"
    ranges([{"sci_name": "Panthera uncia", "geometry": WHOLE}]).to_file(range_file)
    page = tmp_path / "corridors.html"
    done = run_pacov("corridors", "--protected", protected, "--ranges", range_file, "--resistance", raster,
                     "--crs", EQUAL_AREA, "--map", page)  # fmt: skip
    assert done.returncode == 0, done.stderr
    browser = _browser()
    try:
        assert load(browser, page) == []
        overlays = browser.execute_script(
            "return Array.from(document.querySelectorAll('.leaflet-control-layers-overlays label'))"
            ".map(l => l.textContent.trim())"
        )
        assert "Least-cost corridors" in overlays
        gold = "return Array.from(document.querySelectorAll('.leaflet-overlay-pane path'))"
        gold += ".filter(p => p.getAttribute('stroke') === '#b8860b').length"
        assert browser.execute_script(gold) == 1  # the one corridor, drawn
        legend = browser.execute_script("return document.querySelector('.pacov-legend').textContent")
        assert "Least-cost corridor" in legend
    finally:
        browser.quit()
