"""The GeoPackage's context and styles: the basemap's outline and zones under the results, one colour per
species (matplotlib's tab10, the report's order), labels, and corridors that do not hide the sites."""

import sqlite3
import xml.etree.ElementTree as ET

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from matplotlib import colors
from matplotlib import pyplot as plt

from conftest import ROOT, run_pacov
from scenario_helpers import scenario, write_world

BASEMAP = ROOT / "layers" / "kazakhstan" / "basemap"


def qml_of(path):
    with sqlite3.connect(path) as db:
        return {name: ET.fromstring(qml) for name, qml in db.execute("SELECT f_table_name, styleQML FROM layer_styles")}


def category_fills(qml):
    """{category value: (label, 'r,g,b,a' of its fill)} of a categorised QML."""
    fills = {
        s.get("name"): s.find("layer/Option/Option[@name='color']").get("value")
        for s in qml.iterfind(".//symbols/symbol")
    }
    return {c.get("value"): (c.get("label"), fills[c.get("symbol")]) for c in qml.iterfind(".//category")}


def rgb(hex_colour):
    return ",".join(str(round(255 * v)) for v in colors.to_rgb(hex_colour))


def test_report_gpkg_holds_the_outline_and_the_oblasts(report_gpkg):
    path, _ = report_gpkg
    assert {"outline", "zones"} <= set(pyogrio.list_layers(path)[:, 0])
    zones = gpd.read_file(path, layer="zones")
    oblasts = gpd.read_file(BASEMAP / "oblasts_2024.geojson")
    assert sorted(zones["name"]) == sorted(oblasts["ADM1_EN"])
    outline = gpd.read_file(path, layer="outline")
    country = gpd.read_file(BASEMAP / "kazakhstan_adm0_map.geojson")
    assert list(outline["name"]) == ["Kazakhstan"]
    # the same land (edges straight in the equal-area CRS, not in degrees): the difference is a sliver
    assert outline.union_all().symmetric_difference(country.union_all()).area < 1e-3 * country.union_all().area
    styles = qml_of(path)
    zone_labels = styles["zones"].find("labeling/settings/text-style")
    assert zone_labels.get("fieldName") == "name" and styles["zones"].get("labelsEnabled") == "1"
    assert styles["sites"].find("labeling/settings/text-style").get("fieldName") == "NAME"


def test_ranges_are_coloured_by_species_in_the_reports_order(report_gpkg):
    path, tables = report_gpkg
    species = pd.read_csv(tables / "species_coverage.csv")
    tab10 = [colors.to_hex(c) for c in plt.get_cmap("tab10").colors]
    for layer in ("range_protected", "range_gap"):
        fills = category_fills(qml_of(path)[layer])
        for k, row in species.iterrows():
            label, fill = fills[row["species"]]
            assert fill.rsplit(",", 1)[0] == rgb(tab10[k]), (layer, row["species"])
            assert label == f"{row['common_name']} ({row['species']})"
        assert set(gpd.read_file(path, layer=layer)["species"]) == set(species["species"])
    protected_alpha = int(category_fills(qml_of(path)["range_protected"])[species["species"][0]][1].rsplit(",")[-1])
    gap_alpha = int(category_fills(qml_of(path)["range_gap"])[species["species"][0]][1].rsplit(",")[-1])
    assert gap_alpha < protected_alpha  # the gap is the faint part


def test_corridors_are_outlined_not_filled(report_gpkg):
    path, _ = report_gpkg
    corridor = qml_of(path)["corridors"].find(".//symbol/layer/Option")
    alpha = int(corridor.find("Option[@name='color']").get("value").rsplit(",")[-1])
    assert alpha <= 255 * 0.1 and float(corridor.find("Option[@name='outline_width']").get("value")) > 0.3


def test_no_context_where_the_basemap_is_elsewhere(tmp_path):
    write_world(tmp_path)  # a world near 0° N 0° E, far from the basemap's country
    out = tmp_path / "grow.gpkg"
    done = run_pacov("scenario", "run", scenario(tmp_path, "grow"), "--gpkg", out, "--no-write")
    assert done.returncode == 0, done.stderr
    assert not {"outline", "zones"} & set(pyogrio.list_layers(out)[:, 0])
    assert out.with_suffix(".qgz").is_file()


@pytest.mark.parametrize("name", ["sites", "zones"])
def test_label_fields_exist_in_the_layer(report_gpkg, name):
    path, _ = report_gpkg
    field = qml_of(path)[name].find("labeling/settings/text-style").get("fieldName")
    assert field in gpd.read_file(path, layer=name, rows=1).columns
