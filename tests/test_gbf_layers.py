"""The geometry of the GBF Target 3 table (outputs/gbf_layers.py), by hand on test_gbf's world."""

import geopandas as gpd
import pandas as pd
import pytest

from conftest import sites, square
from gbf_helpers import clean, protected, study
from pacov.outputs.gbf_layers import gbf_layers
from scenario_helpers import CRS


def test_sites_counted_once_and_each_kba_covered_share_today_and_per_scenario():
    pa = clean(protected("nov2025"))
    plan = gpd.GeoDataFrame(
        pd.concat([pa, clean(sites([{"WDPAID": 9, "geometry": square(40, 0, 10)}], crs=CRS))], ignore_index=True),
        crs=CRS,
    )
    layers = gbf_layers(pa, study(), [("plan", plan, "plan.toml")])
    assert layers["gbf_sites"].area.sum() / 10_000 == pytest.approx(20_000)  # the OECM's overlap once
    assert sorted(layers["gbf_sites"]["SITE_TYPE"]) == ["OECM", "PA", "PA"]
    kba = layers["gbf_kba"]
    assert kba["covered_share"].tolist() == pytest.approx([1, 0.5, 0]) and kba["wholly_covered"].tolist() == [1, 0, 0]
    assert kba["covered_share_plan"].tolist() == pytest.approx([1, 0.5, 1])
    assert "gbf_kba" not in gbf_layers(pa, study(with_kba=False))


def test_the_report_geopackage_holds_the_gbf_sites(report_gpkg):
    """``pacov report --gpkg`` writes the GBF table's sites beside the other layers, each hectare once."""
    import shapely

    path, _ = report_gpkg
    gbf_sites = gpd.read_file(path, layer="gbf_sites")
    assert len(gbf_sites) and set(gbf_sites["SITE_TYPE"]) <= {"PA", "OECM"}
    union = shapely.union_all(gbf_sites.geometry.to_numpy()).area
    assert gbf_sites.area.sum() == pytest.approx(union, rel=1e-9)  # disjoint: shapely's union of the layer
    every_site = shapely.union_all(gpd.read_file(path, layer="sites").geometry.to_numpy()).area
    assert union == pytest.approx(every_site, rel=1e-9)  # the same estate as the report's sites layer
