"""``pacov report --site-type``: a PA and an OECM that overlap by 10 × 10 km, in the November 2025 schema. The
coverage tables count the type asked for; the GBF table still gives PA, OECM and both; hectares by hand."""

import json

import geopandas as gpd
import pytest
from shapely.geometry import box

from conftest import EQUAL_AREA, KM, in_schema, ranges, run_pacov, sites, square

PA_HA = OECM_HA = 20 * 20 * 100  # two 20 × 20 km squares
BOTH_HA = PA_HA + OECM_HA - 10 * 10 * 100  # overlapping by 10 × 10 km: counted once
REGION_HA = 100 * 60 * 100


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    folder = tmp_path_factory.mktemp("site_type_study")
    region = gpd.GeoDataFrame(geometry=[box(0, 0, 100 * KM, 60 * KM)], crs=EQUAL_AREA)
    region.to_file(folder / "outline.geojson")
    layer = sites(
        [
            {"WDPAID": 1, "SITE_TYPE": "PA", "geometry": square(0, 0, 20)},
            {"WDPAID": 2, "SITE_TYPE": "OECM", "geometry": square(10, 10, 20)},
        ]
    )
    in_schema(layer, "nov2025").to_file(folder / "sites.gpkg")
    ranges([{"sci_name": "Alpha", "geometry": square(0, 0, 50)}]).to_file(folder / "ranges.gpkg")
    (folder / "scenarios").mkdir()
    (folder / "scenarios" / "today.toml").write_text(
        'name = "today"\n[baseline]\nprotected = "../sites.gpkg"\nranges = "../ranges.gpkg"\n', encoding="utf-8"
    )
    (folder / "study.toml").write_text(
        'name = "Typeland"\nfocal = "Alpha"\n[layers]\nprotected = "sites.gpkg"\nranges = "ranges.gpkg"\n'
        'region = "outline.geojson"\nscenarios = "scenarios"\n',
        encoding="utf-8",
    )
    return folder


def report(folder, site_type):
    out = folder / f"out-{site_type}"
    done = run_pacov("report", folder / "study.toml", "--site-type", site_type, "--format", "json", "--out-dir", out)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout), (out / "ABOUT.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(("site_type", "expected_ha"), [("pa", PA_HA), ("all", BOTH_HA)])  # oecm: test_site_type
def test_each_type_counts_its_own_hectares_once(study, site_type, expected_ha):
    document, about = report(study, site_type)
    assert document["site_type"] == site_type
    assert document["indicator"]["protected_ha"] == pytest.approx(expected_ha, rel=1e-6)
    assert document["species"][0]["protected_ha"] == pytest.approx(expected_ha, rel=1e-6)
    assert f"--site-type {site_type}" in about
    gbf = {(r["variant"], r["year"]): r["value"] for r in document["gbf_target3"] if r["indicator"].startswith("3.1")}
    assert gbf[("PA", None)] == pytest.approx(100 * PA_HA / REGION_HA, rel=1e-5)  # every type, whatever the tables
    assert gbf[("PA and OECM", None)] == pytest.approx(100 * BOTH_HA / REGION_HA, rel=1e-5)
    # scenarios change every type: shown with all only, against the same baseline as the tables
    assert bool(document["scenarios"]) == (site_type == "all")
