"""The national indicator: protected land over land, on a hand-made country with known answers."""

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from conftest import EQUAL_AREA, KM, ranges, run_pacov, sites, square
from pacov.analyses.indicator import indicator_table, land_protected


def country():
    """100 × 50 km = 500,000 ha, two oblasts split at x = 50 km."""
    return gpd.GeoDataFrame(
        {"ADM1_EN": ["West", "East"]},
        geometry=[box(0, 0, 50 * KM, 50 * KM), box(50 * KM, 0, 100 * KM, 50 * KM)],
        crs=EQUAL_AREA,
    )


def hand_sites():
    # A 20×20 and B 20×20 overlap 10×10: 700 km²; C 20×20 sticks out, 10×10 inside: 100 km²;
    # D (marine realm) 10×10 inside the outline but left out: protected land 800 km² = 80,000 ha.
    return sites(
        [
            {"WDPAID": 1, "geometry": square(0, 0, 20), "MARINE": 0},
            {"WDPAID": 2, "geometry": square(10, 10, 20), "MARINE": 0},
            {"WDPAID": 3, "geometry": square(90, 40, 20), "MARINE": 1},
            {"WDPAID": 4, "geometry": square(60, 30, 10), "MARINE": 2},
        ]
    )


def test_land_protected_counts_overlaps_once_and_leaves_the_sea_out():
    protected, land, counted, marine = land_protected(hand_sites(), country(), EQUAL_AREA)
    assert protected == pytest.approx(80_000)
    assert land == pytest.approx(500_000)
    assert (counted, marine) == (3, 1)


def test_indicator_table_puts_official_rows_beside_the_computed_one():
    official = [{"indicator": "Official", "area_ha": 1.0, "share": 0.5, "source": "a decree"}]
    table = indicator_table(hand_sites(), country(), EQUAL_AREA, official)
    assert table.at[0, "share"] == pytest.approx(0.16)
    assert list(table["indicator"])[1] == "Official" and "1 marine" in table.at[0, "source"]


def test_report_on_a_hand_made_study(tmp_path):
    country().dissolve().to_crs("EPSG:4326").to_file(tmp_path / "outline.geojson")
    country().to_crs("EPSG:4326").to_file(tmp_path / "zones.geojson")
    hand_sites().to_crs("EPSG:4326").to_file(tmp_path / "pa.geojson")
    leopard = ranges([{"sci_name": "Felis", "geometry": square(0, 0, 40)}])
    leopard.to_crs("EPSG:4326").to_file(tmp_path / "ranges.geojson")
    (tmp_path / "study.toml").write_text(
        'name = "Hand"\nfocal = "Felis"\ncredits = ["Zones: drawn by hand."]\n'
        '[layers]\nprotected = "pa.geojson"\nranges = "ranges.geojson"\nregion = "outline.geojson"\n'
        'zones = "zones.geojson"\nzone_field = "ADM1_EN"\n'
        '[[targets]]\nlabel = "Half"\nshare = 0.5\nyear = 2040\nsource = "by hand"\n',
        encoding="utf-8",
    )
    run = run_pacov("report", tmp_path / "study.toml", "--out-dir", tmp_path / "tables")
    assert run.returncode == 0, run.stderr
    indicator = pd.read_csv(tmp_path / "tables" / "national_indicator.csv")
    assert indicator.at[0, "protected_ha"] == pytest.approx(80_000, rel=2e-3)  # lon/lat round trip of the squares
    assert indicator.at[0, "share"] == pytest.approx(0.16, rel=2e-3)
    # half of 500,000 ha is 250,000 ha; 80,000 are protected: 170,000 to go
    assert indicator.at[1, "protected_ha"] == pytest.approx(250_000, rel=2e-3)
    assert indicator.at[1, "gap_ha"] == pytest.approx(170_000, rel=2e-3)
    zones = pd.read_csv(tmp_path / "tables" / "coverage_by_zone.csv").set_index("ADM1_EN")
    # range 40×40 km all in West (160,000 ha); A ∪ B inside it: 70,000 ha
    assert zones.at["West", "range_ha"] == pytest.approx(160_000, rel=2e-3)
    assert zones.at["West", "protected_ha"] == pytest.approx(70_000, rel=2e-3)
    assert "East" not in zones.index
    md = (tmp_path / "tables" / "national_indicator.md").read_text(encoding="utf-8")
    assert "drawn by hand" in md and "reconstruction" not in md


def test_the_marine_seal_reserve_adds_no_land_to_the_indicator():
    """three-expanded adds the Caspian seal reserve (MARINE 2): the scenario keeps its realm, and the land
    indicator on the scenario's sites is the same with or without it (left out as marine, and at sea)."""
    from conftest import ROOT
    from pacov.scenarios.run import run

    layers = ROOT / "layers" / "kazakhstan"
    sites = run(layers / "scenarios" / "three-expanded.toml").final_sites
    is_seal = sites["WDPAID"] == 990000015
    assert sites.loc[is_seal, "MARINE"].tolist() == [2]
    outline = gpd.read_file(layers / "basemap" / "kazakhstan_adm0.geojson")
    with_seal = land_protected(sites, outline, sites.crs)
    without = land_protected(sites[~is_seal], outline, sites.crs)
    assert with_seal[0] == pytest.approx(without[0], abs=1e-6) and with_seal[3] == 1 and without[3] == 0
    as_land = land_protected(sites.assign(MARINE=0), outline, sites.crs)  # even if it were coded terrestrial
    assert as_land[0] == pytest.approx(without[0], abs=1.0)
