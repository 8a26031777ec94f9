"""The GBF Target 3 table (issue 27, item 4): every figure by hand, on all three WDPA schemas.

Land: 100 × 100 km (1,000,000 ha), in a local Lambert equal-area CRS where distances are on the
ground. Sites: S1 a PA (2000, x 0–10 km, 10,000 ha), S3 a PA (2010, x 20–25, 5,000 ha), S2 an OECM
(2030, x 5–15, 10,000 ha, 5,000 of them under S1). KBAs: K1 x 0–10, K2 x 20–30, K3 x 40–50.
Species A (x 0–10, 100 km² here, 400 km² worldwide: stewardship 0.25) and B (x 40–50, endemic:
stewardship 1.0).
"""

import math

import geopandas as gpd
import pandas as pd
import pytest

from conftest import SCHEMAS, run_pacov, sites, square
from gbf_helpers import clean, kbas, protected, species_layer, study
from pacov.analyses.gbf import (
    BOTH,
    COVERAGE,
    KBA,
    OBSERVED,
    PROTCONN,
    SPI,
    Target,
    chart,
    chart_svg,
    coverage_targets,
    gbf_target3,
)
from scenario_helpers import CRS

LAND_HA = 1_000_000


def value(table, indicator, variant, year=None, scenario=OBSERVED):
    rows = table[(table["indicator"] == indicator) & (table["variant"] == variant) & (table["scenario"] == scenario)]
    rows = rows[rows["year"].isna()] if year is None else rows[rows["year"] == year]
    assert len(rows) == 1, (indicator, variant, year, scenario)
    return rows["value"].iloc[0]


def protconn_by_hand(areas_ha, p):
    """100 · sqrt(Σ_i Σ_j a_i a_j p*_ij) / A, ``p`` the matrix of best-path probabilities."""
    total = sum(a * b * p[i][j] for i, a in enumerate(areas_ha) for j, b in enumerate(areas_ha))
    return 100 * math.sqrt(total) / LAND_HA


@pytest.mark.parametrize("schema", SCHEMAS)
def test_each_indicator_by_year_today_and_under_a_plan(schema):
    pa = clean(protected(schema))
    plan = pd.concat([pa, clean(sites([{"WDPAID": 9, "geometry": square(40, 0, 10)}], crs=CRS))], ignore_index=True)
    table = gbf_target3(
        pa, study(), scenarios=[("plan", gpd.GeoDataFrame(plan, crs=CRS), "plan.toml")], years=[1990, 2020]
    )
    assert sorted(table["year"].dropna().unique()) == [1990, 2000, 2010, 2020, 2030]
    before = table[table["year"] == 1990]  # before any designation: nothing protected, nothing fails
    assert len(before) == 8 and (before["value"] == 0).all()
    # 3.1: the OECM, dated 2030, appears only from 2030; "both" counts its overlap with S1 once
    for year, pa_ha, oecm_ha, both_ha in [(2000, 10_000, 0, 10_000), (2010, 15_000, 0, 15_000),
                                          (2020, 15_000, 0, 15_000), (2030, 15_000, 10_000, 20_000)]:  # fmt: skip
        assert value(table, COVERAGE, "PA", year) == pytest.approx(100 * pa_ha / LAND_HA)
        assert value(table, COVERAGE, "OECM", year) == pytest.approx(100 * oecm_ha / LAND_HA, abs=1e-12)
        assert value(table, COVERAGE, BOTH, year) == pytest.approx(100 * both_ha / LAND_HA)
    assert value(table, COVERAGE, BOTH) == pytest.approx(2.0)  # today
    assert value(table, COVERAGE, BOTH, scenario="plan") == pytest.approx(3.0)
    # KBAs: 2000 only K1 covered; from 2010 K1 100%, K2 50%, K3 0%: mean 50%, one of three wholly
    assert value(table, KBA, "mean share covered", 2000) == pytest.approx(100 / 3)
    assert value(table, KBA, "mean share covered") == pytest.approx(50)
    assert value(table, KBA, "wholly covered") == pytest.approx(100 / 3)
    assert value(table, KBA, "mean share covered", scenario="plan") == pytest.approx(250 / 3)
    assert value(table, KBA, "wholly covered", scenario="plan") == pytest.approx(200 / 3)
    # ProtConn at 10 km: p = 0.5 ** (d / 10 km); 2010: S1 and S3 10 km apart; 2030: S1+S2 touch
    # (p = 1, 15,000 ha together), S3 5 km from S2 (p = 2^-0.5), and S1 reaches S3 through S2
    assert value(table, PROTCONN, "10 km", 2000) == pytest.approx(1.0)
    assert value(table, PROTCONN, "10 km", 2010) == pytest.approx(
        protconn_by_hand([10_000, 5_000], [[1, 0.5], [0.5, 1]])
    )
    half = 2**-0.5
    expected = protconn_by_hand([15_000, 5_000], [[1, half], [half, 1]])
    assert value(table, PROTCONN, "10 km") == pytest.approx(expected, rel=1e-6)
    # SPI: A wholly protected (SPS 100, weight 0.25), B not (SPS 0, weight 1); the plan protects B
    assert value(table, SPI, "stewardship-weighted") == pytest.approx((0.25 * 100 + 1.0 * 0) / 1.25)
    assert value(table, SPI, "unweighted") == pytest.approx(50)
    assert value(table, SPI, "stewardship-weighted", scenario="plan") == pytest.approx(100)
    assert set(table.loc[table["scenario"] == "plan", "source"]) == {"plan.toml"}


def test_no_kba_layer_says_so_and_the_chart_draws(tmp_path):
    table = gbf_target3(clean(protected()), study(with_kba=False))
    kba = table[table["indicator"] == KBA]
    assert len(kba) == 1 and math.isnan(kba["value"].iloc[0]) and "no KBA layer" in kba["method"].iloc[0]
    chart(table, tmp_path / "gbf.png")
    svg = chart_svg(table, (Target(COVERAGE, 12.5, "draft <target>", 2030), Target(SPI, 80.0)))
    assert svg.startswith("<svg") and "draft &lt;target&gt;: 12.5 by 2030" in svg and "target: 80" in svg
    assert (tmp_path / "gbf.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_gbf_cli_writes_the_table_markdown_and_chart(tmp_path):
    from scenario_helpers import scenario

    protected("wdpca").to_file(tmp_path / "pa.gpkg")
    species_layer().to_file(tmp_path / "ranges.gpkg")
    kbas().to_file(tmp_path / "kba.gpkg")
    gpd.GeoDataFrame(geometry=[square(0, 0, 100)], crs=CRS).to_file(tmp_path / "land.gpkg")
    sites([{"WDPAID": 901, "PROPOSAL_ID": "p1", "STATUS": "Proposed", "geometry": square(40, 0, 10)}], crs=CRS).to_file(
        tmp_path / "proposed.gpkg"
    )
    plan = scenario(tmp_path, "plan", '[[operations]]\nop = "add"\nids = ["p1"]\nid_field = "PROPOSAL_ID"\n')
    args = [
        "--protected",
        tmp_path / "pa.gpkg",
        "--ranges",
        tmp_path / "ranges.gpkg",
        "--region",
        tmp_path / "land.gpkg",
    ]
    done = run_pacov("gbf", *args, "--kba", tmp_path / "kba.gpkg", "--distance", 10_000, "--scenario", plan,
                     "--year", 2020, "--target", "spi=100", "--crs", CRS, "--out-dir", tmp_path / "out",
                     "--gpkg", tmp_path / "gbf.gpkg")  # fmt: skip
    assert done.returncode == 0, done.stderr
    table = pd.read_csv(tmp_path / "out" / "gbf_target3.csv", keep_default_na=False, na_values=[""])
    assert list(table.columns) == ["indicator", "variant", "year", "scenario", "value", "unit", "method", "source"]
    assert value(table, COVERAGE, BOTH) == pytest.approx(2.0) and value(table, COVERAGE, "OECM", 2020) == 0
    assert value(table, COVERAGE, BOTH, scenario="plan") == pytest.approx(3.0)
    assert value(table, KBA, "mean share covered", scenario="plan") == pytest.approx(250 / 3)
    assert "unknown" in table.loc[table["indicator"] == SPI, "method"].iloc[0]  # national ranges: no --clip
    assert "| 3.1 protected and conserved areas |" in (tmp_path / "out" / "gbf_target3.md").read_text()
    assert (tmp_path / "out" / "gbf_target3.png").read_bytes()[:4] == b"\x89PNG"
    assert gpd.read_file(tmp_path / "gbf.gpkg", layer="gbf_kba")["covered_share_plan"].tolist() == pytest.approx(
        [1, 0.5, 1]
    )
    assert gpd.read_file(tmp_path / "gbf.gpkg", layer="gbf_sites")["area_ha"].sum() == pytest.approx(20_000)
    russian = run_pacov("gbf", *args, "--crs", CRS, "--lang", "ru", "--out-dir", tmp_path / "ru")
    assert russian.returncode == 0, russian.stderr
    english = run_pacov("gbf", *args, "--crs", CRS, "--out-dir", tmp_path / "en")
    assert english.returncode == 0, english.stderr
    assert (tmp_path / "ru" / "gbf_target3.csv").read_bytes() == (tmp_path / "en" / "gbf_target3.csv").read_bytes()
    assert (tmp_path / "ru" / "gbf_target3.png").read_bytes() != (tmp_path / "en" / "gbf_target3.png").read_bytes()
    bad = run_pacov("gbf", *args, "--target", "nope=3", "--out-dir", tmp_path / "bad")
    assert bad.returncode == 2 and "3.1, kba, protconn, spi=VALUE" in bad.stderr


def test_the_chart_takes_the_translation_it_is_given():
    """The figure's words come through ``_``: here a Russian catalog's, checked in the figure's own texts."""
    from pacov.analyses.gbf import figure
    from pacov.outputs.i18n import language

    table = gbf_target3(clean(protected()), study(with_kba=False))
    fig = figure(table, (Target(COVERAGE, 12.5, "Half", 2030),), language("ru")._)
    words = {t.get_text() for t in fig.findobj(match=lambda a: hasattr(a, "get_text"))}
    assert {"3.1 охраняемые и сохраняемые территории", "% суши", "Half: 12.5 к 2030"} <= words
    assert not {COVERAGE, "% of land"} & words
    today = table[table["year"].isna()]
    many = pd.concat([table, *[today.assign(scenario=f"a-rather-long-scenario-name-{k}") for k in range(6)]])
    label = figure(many).axes[-1].get_xlabel()  # the axis label under the last panel
    assert all(f"name-{k}" in label for k in range(6)) and max(map(len, label.splitlines())) <= 90


def test_targets_are_named_indicators_with_numbers():
    import click

    from pacov.cli.gbf_cmd import parse_targets

    assert [(t.indicator, t.value) for t in parse_targets(["3.1=30", "spi=100"])] == [(COVERAGE, 30.0), (SPI, 100.0)]
    assert [(t.indicator, t.value, t.year) for t in parse_targets([])] == [(COVERAGE, 30.0, 2030)]  # GBF Target 3
    with pytest.raises(click.BadParameter, match="must be a number"):
        parse_targets(["kba=lots"])


def test_study_targets_become_coverage_lines_in_percent_of_land():
    """A target given in hectares and one given as a share, as report_indicator records them."""
    records = [
        {"label": "Concept", "share": 33.2e6 / 272.8e6, "year": 2035},
        {"label": "GBF", "share": 0.3, "year": None},
    ]
    targets = coverage_targets(records)
    assert [t.indicator for t in targets] == [COVERAGE, COVERAGE]
    assert targets[0].value == pytest.approx(100 * 33.2 / 272.8) and targets[1].value == pytest.approx(30)
    assert targets[1].text() == "GBF: 30"
