"""GeoPackage outputs: hand-computed areas, geodesic areas of what is stored, QGIS styles, two readers."""

import json
import re
import sqlite3
import xml.etree.ElementTree as ET

import fiona
import geopandas as gpd
import pandas as pd
import pyogrio
import pyproj
import pytest
from shapely.geometry import box

from conftest import ROOT, ranges, run_pacov, sites, square
from scenario_helpers import CRS, scenario, write_world

GEOD = pyproj.Geod(ellps="WGS84")
SLD_NS = {"se": "http://www.opengis.net/se", "ogc": "http://www.opengis.net/ogc"}


def layers_of(path):
    return {name: gpd.read_file(path, layer=name) for name in pyogrio.list_layers(path)[:, 0] if name != "layer_styles"}


def geodesic_ha(geometry):
    return abs(GEOD.geometry_area_perimeter(geometry)[0]) / 1e4


def check_true_areas(layers):
    """area_ha is the stored geometry's geodesic area (1 km edges: within 1e-7 of the figure)."""
    for name, layer in layers.items():
        assert layer.crs.to_epsg() == 4326, name
        for geometry, area in zip(layer.geometry, layer["area_ha"]):
            assert geodesic_ha(geometry) == pytest.approx(area, rel=1e-7, abs=0.01), name


def styles_of(path):
    with sqlite3.connect(path) as db:
        db.row_factory = sqlite3.Row
        return [dict(r) for r in db.execute("SELECT * FROM layer_styles")]


def check_styles(path, layers):
    rows = styles_of(path)
    assert {
        "f_table_catalog",
        "f_table_schema",
        "f_table_name",
        "f_geometry_column",
        "styleName",
        "styleQML",
        "styleSLD",
        "useAsDefault",
        "description",
        "owner",
        "ui",
        "update_time",
    } <= set(rows[0])
    assert {r["f_table_name"] for r in rows} == set(layers)
    for row in rows:
        fields = set(layers[row["f_table_name"]].columns) - {"geometry"}
        assert row["useAsDefault"] == 1 and row["f_geometry_column"] == "geom"
        qml = ET.fromstring(row["styleQML"])
        renderer = qml.find("renderer-v2")
        assert renderer.get("type") in ("singleSymbol", "categorizedSymbol")
        used = {e.get("attr") for e in qml.iter() if e.get("attr")} | {
            e.get("field") for e in qml.iter() if e.get("field")
        }
        sld = ET.fromstring(row["styleSLD"])
        used |= {e.text for e in sld.iterfind(".//ogc:PropertyName", SLD_NS)}
        assert used <= fields, (row["f_table_name"], used - fields)
        assert qml.findall(".//symbol/layer[@class='SimpleFill']")


def check_version(path):
    """GeoPackage 1.2 (QGIS 3.22 / GDAL 3.6 warn on 1.4), update_time in the spec's DATETIME form."""
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA application_id").fetchone()[0] == int.from_bytes(b"GPKG", "big")
        assert db.execute("PRAGMA user_version").fetchone()[0] == 10200
        times = [t for (t,) in db.execute("SELECT update_time FROM layer_styles")]
    assert times and all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", t) for t in times), times


def check_readers(path, layers):
    """fiona (its own GDAL build) reads every layer back: same names, counts and fields."""
    assert set(fiona.listlayers(path)) == set(layers) | {"layer_styles"}
    for name, layer in layers.items():
        with fiona.open(path, layer=name) as src:
            features = list(src)
            assert len(features) == len(layer)
            assert "area_ha" in src.schema["properties"]
            assert [f["properties"]["area_ha"] for f in features] == pytest.approx(list(layer["area_ha"]))


@pytest.fixture
def zoned_world(tmp_path):
    """Sites 1 (Ia, x 0–10 km) and 2 (II, x 5–15 km) overlap; range A (x 0–30 km) is west (0–8) and east (8–30)."""
    sites(
        [
            {"WDPAID": 1, "IUCN_CAT": "Ia", "geometry": square(0, 0, 10)},
            {"WDPAID": 2, "IUCN_CAT": "II", "geometry": square(5, 0, 10)},
        ],
        crs=CRS,
    ).to_file(tmp_path / "pa.gpkg")
    ranges(
        [
            {"sci_name": "A", "landscape": "west", "geometry": box(0, 0, 8000, 10_000)},
            {"sci_name": "A", "landscape": "east", "geometry": box(8000, 0, 30_000, 10_000)},
        ],
        crs=CRS,
    ).to_file(tmp_path / "r.gpkg")
    return tmp_path


def test_coverage_gpkg_holds_hand_computed_areas(zoned_world):
    out = zoned_world / "out" / "coverage.gpkg"
    done = run_pacov(
        "coverage", "--protected", zoned_world / "pa.gpkg", "--ranges", zoned_world / "r.gpkg", "--by", "landscape",
        "--gpkg", out, "--format", "json",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    layers = layers_of(out)
    assert set(layers) == {"sites", "range_protected", "range_gap"}
    site = layers["sites"].set_index("WDPAID")
    assert site.at[1, "area_ha"] == pytest.approx(10_000, abs=0.01)  # 10 km × 10 km
    assert site.at[2, "area_ha"] == pytest.approx(5_000, abs=0.01)  # after flattening: x 10–15 km
    assert site.at[2, "A_ha"] == pytest.approx(5_000, abs=0.01) and site.at[1, "IUCN_CAT"] == "Ia"
    protected = layers["range_protected"].set_index("landscape")["area_ha"]
    gap = layers["range_gap"].set_index("landscape")["area_ha"]
    assert protected.to_dict() == pytest.approx({"west": 8_000, "east": 7_000}, abs=0.01)
    assert gap.to_dict() == pytest.approx({"west": 0, "east": 15_000}, abs=0.01)
    table = pd.DataFrame(json.loads(done.stdout)).set_index("landscape")
    for zone in ("west", "east"):  # the GeoPackage and the table agree to 0.01 ha
        assert protected[zone] == pytest.approx(table.at[zone, "protected_ha"], abs=0.01)
        assert protected[zone] + gap[zone] == pytest.approx(table.at[zone, "range_ha"], abs=0.01)
    check_true_areas(layers)
    check_styles(out, layers)
    check_version(out)
    check_readers(out, layers)


def test_scenario_run_gpkg_has_operation_footprints(tmp_path):
    write_world(tmp_path)
    ops = """
[[operations]]
op = "add"
ids = ["p1"]
[[operations]]
op = "add"
ids = ["p2"]
[[operations]]
op = "remove"
site = 1
polygon = "cut.gpkg"
"""
    path = scenario(tmp_path, "grow", ops)
    out = tmp_path / "grow.gpkg"
    done = run_pacov("scenario", "run", path, "--gpkg", out, "--out-dir", tmp_path / "tables")
    assert done.returncode == 0, done.stderr
    layers = layers_of(out)
    ops = layers["operations"].sort_values("step")
    # p1 (x 5–15 km) adds x 10–15; p2 (x 10–20) adds x 15–20; the cut takes 2 km × 2 km of site 1
    assert list(ops["change"]) == ["add", "add", "remove"]
    assert list(ops["area_ha"]) == pytest.approx([5_000, 5_000, 400], abs=0.01)
    assert list(ops["A_gain_ha"]) == pytest.approx([5_000, 5_000, -400], abs=0.01)
    table = pd.read_csv(tmp_path / "tables" / "scenario_grow_operations.csv").drop_duplicates("step")
    assert list(ops["area_ha"]) == pytest.approx(list(table["designated_ha"].abs()), abs=0.01)
    gap = layers["scenario_gap"].set_index("species")["area_ha"]
    # range A: 50,000 ha; protected after: sites 22,500 + 10,000 added − 400 cut
    assert gap["A"] == pytest.approx(50_000 - 32_100, abs=0.01)
    check_true_areas(layers)
    check_styles(out, layers)
    check_readers(out, layers)


def test_optimize_gpkg_has_the_selected_planning_units(tmp_path):
    write_world(tmp_path)
    path = scenario(
        tmp_path, "pick", '[[operations]]\nop = "add"\nids = ["p1"]\n[[operations]]\nop = "add"\nids = ["x2"]\n'
    )
    out = tmp_path / "pick.gpkg"
    # budget 1,700 ha: x2 (4 km × 4 km, 1,600 ha) fits, p1 (10,000 ha) does not
    done = run_pacov("scenario", "optimize", path, "--budget-ha", "1700", "--gpkg", out)
    assert done.returncode == 0, done.stderr
    units = layers_of(out)["planning_units"]
    # x2 is x 38–42 km: 30–40 is site 2 and 41–46 site 3, so only x 40–41 km is new: 400 ha, all in range A
    assert units["area_ha"].sum() == pytest.approx(400, abs=0.01)
    assert units["A_ha"].sum() == pytest.approx(400, abs=0.01)
    assert set(units["candidates"]) == {"add x2"}
    check_styles(out, {"planning_units": units})
    check_readers(out, {"planning_units": units})


def legend_colours(html):
    """Legend label -> fill colour, from the HTML map's legend control."""
    panels = [json.loads(s) for s in re.findall(r'innerHTML = ("(?:[^"\\]|\\.)*");', html)]
    legend = next(p for p in panels if "Legend" in p)
    return {label: colour for colour, label in re.findall(r'background:(#\w{6});[^"]*"></span>([^<]+)</div>', legend)}


def test_report_gpkg_matches_the_tables_and_the_map_legend(report_gpkg, tmp_path):
    out, tables = report_gpkg
    layers = layers_of(out)
    assert {"sites", "range_protected", "range_gap", "operations", "scenario_gap"} <= set(layers)
    species = pd.read_csv(tables / "species_coverage.csv").set_index("species")
    protected = layers["range_protected"].groupby("species")["area_ha"].sum()
    gap = layers["range_gap"].groupby("species")["area_ha"].sum()
    for name, row in species.iterrows():
        assert protected[name] == pytest.approx(row["protected_ha"], abs=0.01)
        assert protected[name] + gap[name] == pytest.approx(row["range_ha"], abs=0.01)
    by_area = pd.read_csv(tables / "focal_by_area.csv").set_index("WDPAID")["unique_ha"]
    sites_ = layers["sites"].set_index("WDPAID")
    assert sites_.loc[by_area.index, "Panthera_uncia_ha"].to_numpy() == pytest.approx(by_area.to_numpy(), abs=0.01)
    assert sites_["Panthera_uncia_ha"].sum() == pytest.approx(species.at["Panthera uncia", "protected_ha"], abs=0.01)
    corridors = pd.read_csv(tables / "focal_corridors.csv")
    assert layers["corridors"]["corridor_ha"].to_numpy() == pytest.approx(corridors["corridor_ha"], abs=0.01)
    check_true_areas(layers)
    check_styles(out, layers)
    check_readers(out, layers)
    # the QGIS styles use the HTML map's colours for the same legend entries
    html = tmp_path / "map.html"
    done = run_pacov(
        "map", "--protected", "layers/kazakhstan/protected_areas.geojson", "--ranges",
        "layers/kazakhstan/species_ranges.geojson", "--output", html, "--offline", cwd=ROOT,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    legend = legend_colours(html.read_text(encoding="utf-8"))
    compared = 0
    for row in styles_of(out):
        for rule in ET.fromstring(row["styleSLD"]).iterfind(".//se:Rule", SLD_NS):
            label = rule.find("se:Name", SLD_NS).text
            fill = rule.find(".//se:Fill/se:SvgParameter[@name='fill']", SLD_NS).text
            if label in legend:
                assert fill == legend[label], label
                compared += 1
    assert compared >= 6


def test_failed_write_leaves_the_old_file(tmp_path):
    from pacov.outputs.gpkg import write_gpkg

    good = gpd.GeoDataFrame({"n": [1]}, geometry=[square(0, 0, 10)], crs=CRS)
    path = tmp_path / "x.gpkg"
    write_gpkg({"a": good}, path)
    before = path.read_bytes()
    with pytest.raises(ValueError, match="equal-area"):
        write_gpkg({"a": good, "b": good.to_crs("EPSG:4326")}, path)
    assert path.read_bytes() == before and [p.name for p in tmp_path.iterdir()] == ["x.gpkg"]


def test_scenario_compare_gpkg_stacks_the_scenarios(tmp_path):
    write_world(tmp_path)
    first = scenario(tmp_path, "today")
    second = scenario(tmp_path, "more", '[[operations]]\nop = "add"\nids = ["p2"]\n')
    out = tmp_path / "compare.gpkg"
    done = run_pacov("scenario", "compare", first, second, "--gpkg", out, "--no-write")
    assert done.returncode == 0, done.stderr
    layers = layers_of(out)
    gap = layers["scenario_gap"].set_index(["scenario", "species"])["area_ha"]
    # range A 50,000 ha: 22,500 ha protected today; p2 (x 10–20 km) adds 10,000 ha
    assert gap[("today", "A")] == pytest.approx(27_500, abs=0.01)
    assert gap[("more", "A")] == pytest.approx(17_500, abs=0.01)
    assert gap[("today", "B")] == gap[("more", "B")] == pytest.approx(10_000, abs=0.01)
    assert list(layers["operations"]["scenario"]) == ["more"]
    check_true_areas(layers)
    check_styles(out, layers)
