"""Raster-weighted coverage: known answers, geographic cells, nodata, and agreement with exactextract."""

import numpy as np
import pytest
import rasterio
from affine import Affine
from shapely.geometry import box

from conftest import ROOT, ranges, run_pacov, sites
from pacov.analyses.raster_coverage import parse_habitat, raster_coverage
from pacov.errors import PacovError

LAEA = "+proj=laea +lat_0=45 +lon_0=70 +datum=WGS84 +units=m"


def write_raster(path, values, transform, crs, nodata=None):
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        width=values.shape[1],
        height=values.shape[0],
        count=1,
        dtype="float64",
        crs=crs,
        transform=transform,
        nodata=nodata,
    ) as dst:
        dst.write(values, 1)
    return path


def test_ten_by_ten_grid_with_a_polygon_cutting_cells(tmp_path):
    values = np.arange(100, dtype=float).reshape(10, 10)
    path = write_raster(tmp_path / "w.tif", values, Affine(1000, 0, 0, 0, -1000, 10_000), LAEA, nodata=-1)
    protected = sites([{"WDPAID": 1, "geometry": box(2_250, 3_500, 5_750, 7_000)}], crs=LAEA)
    table = raster_coverage(path, protected)  # no ranges: the whole raster is the denominator
    # rows 3–6 (y 7–3.5 km), columns 2–5 (x 2.25–5.75 km); edge columns 3/4 covered, bottom row half
    frac = np.zeros((10, 10))
    frac[3:7, 2] = 0.75
    frac[3:7, 5] = 0.75
    frac[3:7, 3:5] = 1.0
    frac[6, 2:6] *= 0.5
    assert table["weight_protected"].iloc[0] == pytest.approx((values * frac).sum(), rel=1e-9)
    assert table["weight_total"].iloc[0] == pytest.approx(values.sum())


def test_nodata_counts_for_nothing(tmp_path):
    values = np.ones((4, 4))
    values[0, 0] = -1
    path = write_raster(tmp_path / "n.tif", values, Affine(1000, 0, 0, 0, -1000, 4000), LAEA, nodata=-1)
    protected = sites([{"WDPAID": 1, "geometry": box(0, 2000, 2000, 4000)}], crs=LAEA)  # top-left 2×2 cells
    table = raster_coverage(path, protected)
    assert (table["weight_protected"].iloc[0], table["weight_total"].iloc[0]) == pytest.approx((3, 15))


def test_geographic_raster_weights_by_true_cell_area(tmp_path):
    values = np.ones((20, 10))  # a per-km² surface over 40–60 °N
    path = write_raster(tmp_path / "g.tif", values, Affine(1, 0, 60, 0, -1, 60), "EPSG:4326")
    north = sites([{"WDPAID": 1, "geometry": box(60, 50, 70, 60)}], crs="EPSG:4326")
    rng = ranges([{"sci_name": "A", "geometry": box(60, 40, 70, 60)}], crs="EPSG:4326")
    from pacov.engine.analysis import analyse

    result = analyse(north, rng)
    weighted = raster_coverage(path, result.sites, result.parts, per_area=True)
    # the northern half holds less than half the area: sin 60 − sin 50 vs sin 50 − sin 40
    expected = (np.sin(np.radians(60)) - np.sin(np.radians(50))) / (np.sin(np.radians(60)) - np.sin(np.radians(40)))
    assert weighted["share"].iloc[0] == pytest.approx(expected, rel=2e-3)
    assert weighted["weight_total"].iloc[0] == pytest.approx(result.species["range_ha"].iloc[0] / 100, rel=1e-3)
    unweighted = raster_coverage(path, result.sites, result.parts)
    assert unweighted["share"].iloc[0] == pytest.approx(0.5, rel=1e-3)  # per cell: half the cells


def test_agrees_with_exactextract(tmp_path):
    exactextract = pytest.importorskip("exactextract")
    import geopandas as gpd

    rng = np.random.default_rng(3)
    values = rng.uniform(0, 5, (60, 80))
    path = write_raster(tmp_path / "r.tif", values, Affine(0.05, 0, 76, 0, -0.05, 44), "EPSG:4326")
    protected = sites(
        [
            {"WDPAID": 1, "geometry": box(76.33, 42.41, 78.02, 43.37)},
            {"WDPAID": 2, "IUCN_CAT": "IV", "geometry": box(77.5, 41.5, 79.2, 42.77)},
        ],
        crs="EPSG:4326",
    )
    from pacov.engine.analysis import analyse

    habitat = box(76.1, 41.2, 79.6, 43.9)
    result = analyse(protected, ranges([{"sci_name": "A", "geometry": habitat}], crs="EPSG:4326"))
    ours = raster_coverage(path, result.sites, result.parts)
    import shapely

    # the reference polygon comes from the raw inputs (in the raster's CRS), not from pacov's cleaned layers
    inside = shapely.intersection(shapely.union_all(protected.geometry.to_numpy()), habitat)
    polygon = gpd.GeoDataFrame(geometry=[inside], crs="EPSG:4326")
    theirs = exactextract.exact_extract(str(path), polygon, "sum", output="pandas")["sum"].iloc[0]
    print(f"pacov {ours['weight_protected'].iloc[0]:.6f} exactextract {theirs:.6f}")
    assert ours["weight_protected"].iloc[0] == pytest.approx(theirs, rel=1e-6)


def test_habitat_expression_and_errors(tmp_path):
    assert parse_habitat("1800<=elev<=4500") == (1800, 4500)
    assert parse_habitat("elev >= 1800") == (1800, None) and parse_habitat("elev<=10") == (None, 10)
    with pytest.raises(PacovError, match="write LOW<=name<=HIGH"):
        parse_habitat("elev between 1 and 2")
    values = np.array([[1000.0, 2000.0], [3000.0, 5000.0]])
    path = write_raster(tmp_path / "dem.tif", values, Affine(1000, 0, 0, 0, -1000, 2000), LAEA)
    protected = sites([{"WDPAID": 1, "geometry": box(0, 1000, 2000, 2000)}], crs=LAEA)  # top row
    table = raster_coverage(path, protected, habitat=(1800, 4500))
    assert (table["weight_protected"].iloc[0], table["weight_total"].iloc[0]) == pytest.approx((1, 2), rel=1e-6)


def test_embedded_density_share_of_population_through_the_cli():
    layers = ROOT / "layers" / "kazakhstan"
    done = run_pacov(
        "raster-coverage",
        "--protected",
        layers / "protected_areas.geojson",
        "--raster",
        layers / "snow_leopard_density.tif",
        "--ranges",
        layers / "species_ranges.geojson",
        "--species",
        "Panthera uncia",
        "--per-area",
        "--format",
        "json",
    )
    assert done.returncode == 0, done.stderr
    record = __import__("json").loads(done.stdout)[0]
    assert record["species"] == "Panthera uncia"
    assert record["weight_total"] == pytest.approx(174, rel=1e-4)  # the animals allocated
    assert 0.6 < record["share"] < 0.85
    missing = run_pacov("raster-coverage", "--protected", layers / "protected_areas.geojson", "--raster", "no.tif")
    assert missing.returncode == 1 and "raster no.tif: file not found" in missing.stderr


def test_window_keeps_the_last_row_and_column_of_cells(tmp_path):
    """Issue 16 item 1: 10 km cells of 1; a site x 18.8–62.4 km, y 12–95 km covers 4.36 × 8.3 = 36.188 cells."""
    path = write_raster(tmp_path / "ones.tif", np.ones((10, 10)), Affine(10_000, 0, 0, 0, -10_000, 100_000), LAEA)
    protected = sites([{"WDPAID": 1, "geometry": box(18_800, 12_000, 62_400, 95_000)}], crs=LAEA)
    table = raster_coverage(path, protected)
    assert table["weight_protected"].iloc[0] == pytest.approx((62.4 - 18.8) * (95 - 12) / 100, rel=1e-9)


def test_per_area_web_mercator_counts_a_whole_site(tmp_path):
    """Issue 16 item 1: a 100 km square in an equal-area LAEA (10,000 km², checked with pyproj.Geod) on a
    per-km² surface of 1 in EPSG:3857 weighs its geodesic area."""
    import pyproj
    import shapely

    square_laea = shapely.segmentize(box(-50_000, -50_000, 50_000, 50_000), 500)
    to_geo = pyproj.Transformer.from_crs(LAEA, "EPSG:4326", always_xy=True)
    lonlat = shapely.transform(square_laea, lambda xy: np.column_stack(to_geo.transform(xy[:, 0], xy[:, 1])))
    area_km2 = abs(pyproj.Geod(ellps="WGS84").geometry_area_perimeter(lonlat)[0]) / 1e6
    assert area_km2 == pytest.approx(10_000, rel=1e-6)
    x, y = pyproj.Transformer.from_crs("EPSG:4326", "EPSG:3857", always_xy=True).transform(70.0, 45.0)
    transform = Affine(10_000, 0, x - 200_000, 0, -10_000, y + 200_000)
    path = write_raster(tmp_path / "merc.tif", np.ones((40, 40)), transform, "EPSG:3857")
    table = raster_coverage(path, sites([{"WDPAID": 1, "geometry": square_laea}], crs=LAEA), per_area=True)
    assert table["weight_protected"].iloc[0] == pytest.approx(area_km2, rel=2e-3)


def test_ranges_zones_units_log_and_ranges_outside_the_raster_through_the_cli(tmp_path):
    """Issue 16 items 12 and 18: 10 km cells of 1 over x, y 0–100 km; site x 0–20 km (full height); range A =
    x 0–40 km, B far east (off the raster); zone W = x 0–30 km. By hand: A in W weighs 30 cells, 20 protected;
    A outside zones 10 cells, none protected; B is outside the raster, not a measured 0. The shared inputs
    (--log, --workers, IUCN codes) work as in `coverage`."""
    import json

    import geopandas as gpd

    write_raster(tmp_path / "ones.tif", np.ones((10, 10)), Affine(10_000, 0, 0, 0, -10_000, 100_000), LAEA)
    sites([{"WDPAID": 1, "geometry": box(0, 0, 20_000, 100_000)}], crs=LAEA).to_file(tmp_path / "pa.gpkg")
    ranges(
        [
            {"sci_name": "A", "geometry": box(0, 0, 40_000, 100_000)},
            {"sci_name": "B", "geometry": box(500_000, 0, 540_000, 100_000)},
        ],
        crs=LAEA,
    ).to_file(tmp_path / "r.gpkg")
    gpd.GeoDataFrame({"zone": ["W"]}, geometry=[box(0, 0, 30_000, 100_000)], crs=LAEA).to_file(tmp_path / "z.gpkg")
    log = tmp_path / "log.csv"
    done = run_pacov(
        "raster-coverage", "--protected", tmp_path / "pa.gpkg", "--raster", tmp_path / "ones.tif",
        "--ranges", tmp_path / "r.gpkg", "--zones", tmp_path / "z.gpkg", "--by", "zone", "--presence", "1",
        "--keep-mab", "--workers", "1", "--log", log, "--format", "json",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    rows = {(r["species"], r["zone"]): r for r in json.loads(done.stdout)}
    assert (rows[("A", "W")]["weight_total"], rows[("A", "W")]["weight_protected"]) == pytest.approx((30, 20))
    outside = rows[("A", "(outside zones)")]
    assert (outside["weight_total"], outside["weight_protected"]) == pytest.approx((10, 0), rel=1e-6, abs=1e-9)
    (b,) = [r for (species, _), r in rows.items() if species == "B"]
    assert b["weight_total"] is None and b["raster"] == "outside the raster"
    assert rows[("A", "W")]["unit"] == "sum of cell values" and log.read_text(encoding="utf-8").startswith("WDPAID")
    table = run_pacov(
        "raster-coverage", "--protected", tmp_path / "pa.gpkg", "--raster", tmp_path / "ones.tif", "--per-area"
    )
    assert table.returncode == 0, table.stderr
    assert "value × km²" in table.stdout


def test_habitat_counts_true_cell_areas_on_a_geographic_grid(tmp_path):
    """--habitat counts km² of habitat: on 1° cells at 40–42° N the southern cell is larger; expected from
    pyproj.Geod on each cell's outline densified along its parallels (the audit found this unweighted)."""
    import pyproj

    values = np.array([[2000.0, 500.0], [2000.0, 2000.0]])  # the north-east cell is below the habitat band
    path = write_raster(tmp_path / "dem.tif", values, Affine(1, 0, 70, 0, -1, 42), "EPSG:4326")
    geod = pyproj.Geod(ellps="WGS84")

    def cell_km2(west, south):
        lons = np.linspace(west, west + 1, 1001)
        lon = np.concatenate([lons, lons[::-1]])
        lat = np.concatenate([np.full(1001, south), np.full(1001, south + 1)])
        return abs(geod.polygon_area_perimeter(lon, lat)[0]) / 1e6

    protected = sites([{"WDPAID": 1, "geometry": box(70, 40, 72, 41)}], crs="EPSG:4326")  # the southern row
    table = raster_coverage(path, protected, habitat=(1800, None))
    assert table["weight_total"].iloc[0] == pytest.approx(2 * cell_km2(70, 40) + cell_km2(70, 41), rel=1e-5)
    assert table["weight_protected"].iloc[0] == pytest.approx(2 * cell_km2(70, 40), rel=1e-5)


def test_library_blocks_zones_habitat_edges_nodata_and_errors(tmp_path):
    """By hand, at library level (mutation testing found these reachable only through the CLI): a 1,100-row
    column of 1 m cells of 1 (three 512-row blocks) sums to 1,100; parts keyed by a zone field give a row
    each; habitat bounds are inclusive and nodata is never habitat; bad rasters are one-line errors."""
    from pacov.engine.ranges import prepare_ranges

    tall = write_raster(tmp_path / "tall.tif", np.ones((1100, 1)), Affine(1, 0, 0, 0, -1, 1100), LAEA)
    protected = sites([{"WDPAID": 1, "geometry": box(0, 0, 1, 600)}], crs=LAEA)
    parts = prepare_ranges(
        ranges(
            [
                {"sci_name": "A", "zone": "low", "geometry": box(0, 0, 1, 700)},
                {"sci_name": "A", "zone": "high", "geometry": box(0, 700, 1, 1100)},
                {"sci_name": "B", "zone": "low", "geometry": box(50, 0, 60, 10)},
            ],
            crs=LAEA,
        ),
        LAEA,
    )
    table = raster_coverage(tall, protected, parts, by=["zone"])
    rows = {(r.species, r.zone): r for r in table.itertuples()}
    assert (rows[("A", "low")].weight_total, rows[("A", "low")].weight_protected) == pytest.approx((700, 600))
    assert (rows[("A", "high")].weight_total, rows[("A", "high")].weight_protected) == pytest.approx((400, 0))
    assert rows[("A", "low")].raster == "inside" and rows[("B", "low")].raster == "outside the raster"
    assert np.isnan(rows[("B", "low")].weight_total) and rows[("A", "low")].unit == "sum of cell values"
    whole = raster_coverage(tall, protected)
    assert (whole["weight_total"].iloc[0], whole["weight_protected"].iloc[0]) == pytest.approx((1100, 600))
    assert whole["species"].iloc[0] is None

    dem = np.array([[1800.0, 4500.0, 1799.0, -9999.0]])  # 1 km cells: the bounds count, nodata does not
    path = write_raster(tmp_path / "dem.tif", dem, Affine(1000, 0, 0, 0, -1000, 1000), LAEA, nodata=-9999)
    everything = sites([{"WDPAID": 1, "geometry": box(0, 0, 4000, 1000)}], crs=LAEA)
    table = raster_coverage(path, everything, habitat=(1800, 4500))
    assert (table["weight_total"].iloc[0], table["unit"].iloc[0]) == (pytest.approx(2, rel=1e-6), "km² of habitat")
    assert raster_coverage(path, everything, habitat=(None, 4500))["weight_total"].iloc[0] == pytest.approx(3, rel=1e-6)
    assert raster_coverage(path, everything, habitat=(1800, None))["weight_total"].iloc[0] == pytest.approx(2, rel=1e-6)
    assert raster_coverage(tall, protected, per_area=True)["unit"].iloc[0] == "value × km²"

    negative = write_raster(tmp_path / "neg.tif", np.array([[1.0, -2.0]]), Affine(1, 0, 0, 0, -1, 1), LAEA)
    with pytest.raises(PacovError, match=r"neg.tif: band 1 has negative values"):
        raster_coverage(negative, protected)
    with pytest.raises(PacovError, match=r"tall.tif: no band 2; it has 1"):
        raster_coverage(tall, protected, band=2)
    (tmp_path / "junk.tif").write_text("not a raster", encoding="utf-8")
    with pytest.raises(PacovError, match=r"raster .*junk.tif: not a readable raster \(.+\)"):
        raster_coverage(tmp_path / "junk.tif", protected)
    with rasterio.open(tmp_path / "nocrs.tif", "w", driver="GTiff", width=1, height=1, count=1, dtype="float64") as dst:
        dst.write(np.ones((1, 1)), 1)
    with pytest.raises(PacovError, match=r"nocrs.tif: has no coordinate reference system"):
        raster_coverage(tmp_path / "nocrs.tif", protected)


def brute_force_weight(values, transform, geom):
    """Σ value × covered share of each cell, every cell a shapely polygon through its four corners."""
    import shapely

    total = 0.0
    for (row, col), value in np.ndenumerate(values):
        cell = shapely.Polygon([transform @ (col + dc, row + dr) for dc, dr in ((0, 0), (1, 0), (1, 1), (0, 1))])
        total += value * shapely.intersection(cell, geom).area / cell.area
    return total


@pytest.mark.parametrize("degrees", [10, 45])
def test_rotated_grid_weighs_each_cell_by_its_true_shape(tmp_path, degrees):
    """Issue 23 item 3: at 10° the weight was 0.06% off, at 45° it was null with share 0 and exit 0."""
    import shapely

    values = np.random.default_rng(7).uniform(0, 2, (30, 30))
    transform = Affine.translation(5000, 20_000) @ Affine.rotation(degrees) @ Affine.scale(1000, -1000)
    path = write_raster(tmp_path / "rot.tif", values, transform, LAEA)
    grid = shapely.Polygon([transform @ c for c in ((0, 0), (30, 0), (30, 30), (0, 30))])
    centre = grid.centroid
    site = box(centre.x - 6_300, centre.y - 4_100, centre.x + 7_700, centre.y + 5_200)
    table = raster_coverage(path, sites([{"WDPAID": 1, "geometry": site}], crs=LAEA))
    expected = brute_force_weight(values, transform, site)
    assert table["weight_protected"].iloc[0] == pytest.approx(expected, rel=1e-9)
    assert table["weight_total"].iloc[0] == pytest.approx(values.sum(), rel=1e-9)
    assert table["raster"].iloc[0] == "inside"


def test_rotated_degree_grid_needing_cell_areas_is_refused(tmp_path):
    transform = Affine.translation(76, 44) @ Affine.rotation(10) @ Affine.scale(0.05, -0.05)
    path = write_raster(tmp_path / "rot.tif", np.ones((10, 10)), transform, "EPSG:4326")
    protected = sites([{"WDPAID": 1, "geometry": box(76.1, 43.6, 76.3, 43.9)}], crs="EPSG:4326")
    with pytest.raises(PacovError, match="rot.tif: a rotated grid in degrees has no exact cell areas"):
        raster_coverage(path, protected, per_area=True)


def test_band_scale_and_offset_are_applied_as_gdal_defines_them(tmp_path):
    """int16 250 with scale 0.01 (and offset 0.5) is 250 × 0.01 + 0.5 = 3.0 per cell, not 250."""
    import json

    path = tmp_path / "scaled.tif"
    with rasterio.open(path, "w", driver="GTiff", width=4, height=2, count=1, dtype="int16", crs=LAEA,
                       transform=Affine(1000, 0, 0, 0, -1000, 2000), nodata=-1) as dst:  # fmt: skip
        dst.write(np.array([[250, 250, 250, -1], [100, 100, 100, 100]], dtype="int16"), 1)
        dst.scales, dst.offsets = (0.01,), (0.5,)
    sites([{"WDPAID": 1, "geometry": box(0, 1000, 2000, 2000)}], crs=LAEA).to_file(tmp_path / "pa.gpkg")
    done = run_pacov("raster-coverage", "--protected", tmp_path / "pa.gpkg", "--raster", path, "--format", "json")
    assert done.returncode == 0, done.stderr
    (row,) = json.loads(done.stdout)
    assert row["weight_protected"] == pytest.approx(2 * (250 * 0.01 + 0.5), rel=1e-12)  # two cells of the top row
    assert row["weight_total"] == pytest.approx(3 * 3.0 + 4 * (100 * 0.01 + 0.5), rel=1e-12)  # nodata: nothing
    assert "stored × 0.01 + 0.5" in row["unit"]


def test_a_negative_offset_reads_as_a_subtraction():
    from pacov.analyses.raster_coverage import unit_of

    assert "stored × 0.5 − 20," in unit_of(None, False, 0.5, -20.0)
