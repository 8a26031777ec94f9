"""Protected areas and OECMs apart and together (issue 27, item 1), on all three WDPA schemas.

A PA (x 0–10 km, 10,000 ha, 2000) and an OECM (x 5–15 km, 10,000 ha, 2030) overlap by 5,000 ha,
inside one range / region of 40 × 40 km (160,000 ha). By hand: PA 10,000 ha, OECM 10,000 ha, all
15,000 ha (the overlap once). ProtConn of one site alone: 100 · a / A = 6.25%; of both (touching
after flattening, p = 1): 100 · 15,000 / 160,000 = 9.375%.
"""

import json

import pytest

from conftest import EQUAL_AREA, SCHEMAS, in_schema, ranges, run_pacov, sites, square
from pacov.analyses.timeline import timeline
from pacov.cleaning.clean import CleanOptions, clean_protected_areas
from pacov.engine.analysis import analyse
from pacov.engine.ranges import prepare_ranges
from pacov.errors import PacovError
from pacov.reading.wdpa import normalize, schema_of

RANGE_HA = 160_000
EXPECTED_HA = {"pa": 10_000, "oecm": 10_000, "all": 15_000}
EXPECTED_PROTCONN = {"pa": 6.25, "oecm": 6.25, "all": 9.375}


def schema_layer(schema):
    """The PA and the OECM written in the legacy, November 2025 or WDPCA schema."""
    layer = sites(
        [
            {"WDPAID": 1, "NAME": "Park", "SITE_TYPE": "PA", "STATUS_YR": 2000, "geometry": square(0, 0, 10)},
            {"WDPAID": 2, "NAME": "Sacred grove", "SITE_TYPE": "OECM", "STATUS_YR": 2030, "geometry": square(5, 0, 10)},
        ]
    )
    return in_schema(layer, schema)


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    root = tmp_path_factory.mktemp("site_type")
    paths = {}
    for schema in SCHEMAS:
        paths[schema] = root / f"{schema}.gpkg"
        schema_layer(schema).to_file(paths[schema])
    paths["ranges"] = root / "ranges.gpkg"
    ranges([{"sci_name": "Panthera uncia", "geometry": square(0, 0, 40)}]).to_file(paths["ranges"])
    return paths


def records(*args):
    done = run_pacov(*args, "--format", "json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.mark.parametrize("schema", SCHEMAS)
def test_each_schema_reads_its_site_type(schema):
    out, _ = normalize(schema_layer(schema), "pa.gpkg")
    assert out["SITE_TYPE"].tolist() == ["PA", "OECM"] and out["PA_DEF"].tolist() == [1, 0]
    assert out["NAME"].tolist() == ["Park", "Sacred grove"]
    assert (
        schema_of(schema_layer(schema)) == {"legacy": "wdpa-legacy", "nov2025": "wdpa-2025", "wdpca": "wdpca"}[schema]
    )


def test_wdpca_keeps_the_original_name_and_a_bad_type_names_the_feature():
    out, _ = normalize(schema_layer("wdpca"), "pa.gpkg")
    assert out["ORIG_NAME"].tolist() == ["(original name)"] * 2
    with pytest.raises(PacovError, match="feature 1 has SITE_TYPE 'Reserve'; SITE_TYPE must be PA or OECM"):
        normalize(schema_layer("nov2025").assign(SITE_TYPE=["PA", "Reserve"]), "pa.gpkg")
    with pytest.raises(PacovError, match="feature 0 has PA_DEF '7'"):
        normalize(schema_layer("legacy").assign(PA_DEF=[7, 0]), "pa.gpkg")


@pytest.mark.parametrize("schema", SCHEMAS)
@pytest.mark.parametrize("site_type", ["pa", "oecm", "all"])
def test_pa_oecm_and_both_each_count_their_area_once(schema, site_type):
    layer = ranges([{"sci_name": "Panthera uncia", "geometry": square(0, 0, 40)}])
    result = analyse(schema_layer(schema), layer, crs=EQUAL_AREA, options=CleanOptions(site_type=site_type))
    assert result.species["range_ha"].iloc[0] == pytest.approx(RANGE_HA)
    assert result.species["protected_ha"].iloc[0] == pytest.approx(EXPECTED_HA[site_type])
    assert result.sites.area.sum() / 10_000 == pytest.approx(EXPECTED_HA[site_type])  # flattened: no hectare twice
    if site_type != "all":
        assert (result.log["step"] == "site type").sum() == 1  # the other site is logged, not silently lost


def test_coverage_cli_says_which_sites(files):
    rows = records("coverage", "--protected", files["legacy"], "--ranges", files["ranges"], "--site-type", "pa")
    assert rows[0]["site_type"] == "pa" and rows[0]["protected_ha"] == pytest.approx(EXPECTED_HA["pa"])


def test_connectivity_gaps_and_timeline_say_which_sites(files):
    site_type = "oecm"
    common = ["--protected", files["wdpca"], "--site-type", site_type]
    conn = records("connectivity", *common, "--region", files["ranges"], "--distance", 10_000)
    assert conn[0]["site_type"] == site_type
    assert conn[0]["protconn"] == pytest.approx(EXPECTED_PROTCONN[site_type])
    gaps = records("gaps", *common, "--ranges", files["ranges"])
    assert gaps[0]["site_type"] == site_type and gaps[0]["protected_ha"] == pytest.approx(EXPECTED_HA[site_type])
    series = records("timeline", *common, "--ranges", files["ranges"])
    assert {r["site_type"] for r in series} == {site_type}
    assert [(r["year"], pytest.approx(r["protected_ha"])) for r in series] == [(2030, 10_000)]


def test_the_oecm_dated_2030_appears_in_the_series_only_from_2030():
    layer = ranges([{"sci_name": "Panthera uncia", "geometry": square(0, 0, 40)}])
    clean, _ = clean_protected_areas(schema_layer("nov2025"), EQUAL_AREA, options=CleanOptions(flatten=False))
    table, _ = timeline(clean, prepare_ranges(layer, EQUAL_AREA))
    assert table["year"].tolist() == [2000, 2030]
    assert table["protected_ha"].tolist() == pytest.approx([10_000, 15_000])


def test_real_june_2025_extract_reads_pa_def_as_text(shared_data):
    """The real WD-OECM/WDPA June 2025 extract stores PA_DEF as text ('1'): every site there is a PA."""
    import pyogrio

    path = shared_data / "kz-protected-areas-wdpa-partial/WDPA_WDOECM_Jun2025_Public_KAZ_shp-polygons.shp"
    raw = pyogrio.read_dataframe(path)
    out, _ = normalize(raw, "extract")
    assert (out["SITE_TYPE"] == "PA").sum() == (raw["PA_DEF"].astype(str) == "1").sum() == len(raw)
