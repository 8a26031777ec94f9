"""The GBF table's inputs from files (scenarios/gbf_states.py)."""

from types import SimpleNamespace

import geopandas as gpd
import pandas as pd
import pyproj
import pytest

from conftest import ROOT, square
from pacov.analyses.gbf import COVERAGE, KBA
from pacov.errors import PacovError
from pacov.scenarios.gbf_states import scenario_states, study_from
from scenario_helpers import CRS, scenario, write_world


def test_study_reads_the_land_and_kbas_in_the_run_crs_and_names_its_sources(tmp_path):
    gpd.GeoDataFrame(geometry=[square(0, 0, 100)], crs=CRS).to_file(tmp_path / "land.gpkg")
    gpd.GeoDataFrame(geometry=[square(0, 0, 10), square(20, 0, 10)], crs=CRS).to_file(tmp_path / "kba.gpkg")
    run = SimpleNamespace(crs=pyproj.CRS(CRS), parts=None, species=pd.DataFrame({"species": []}))
    study = study_from(run, tmp_path / "land.gpkg", tmp_path / "kba.gpkg", [10_000], "pa.gpkg", "r.gpkg")
    assert study.land.area == pytest.approx(100e3 * 100e3)  # m², 100 × 100 km
    assert len(study.kbas) == 2 and study.distances == (10_000.0,)
    assert study.sources[COVERAGE].startswith("pa.gpkg; land") and "kba.gpkg" in study.sources[KBA]
    with pytest.raises(PacovError, match="--distance -5"):
        study_from(run, tmp_path / "land.gpkg", None, [-5])


def test_each_scenario_gives_its_sites_after_the_operations(tmp_path):
    write_world(tmp_path)
    path = scenario(tmp_path, "plus-p1", '[[operations]]\nop = "add"\nids = ["p1"]\nid_field = "PROPOSAL_ID"\n')
    [(name, final, source)] = scenario_states([path], pyproj.CRS(CRS))
    assert name == "plus-p1" and source == f"scenario {path}"
    assert sorted(final["WDPAID"]) == [1, 2, 3, 901] and final.crs == pyproj.CRS(CRS)


def test_no_region_means_the_embedded_outline_and_its_absence_is_a_clear_error(monkeypatch, tmp_path):
    from pacov.reading.read import read_layer
    from pacov.scenarios import gbf_states

    outline_path = ROOT / "layers" / "kazakhstan" / "basemap" / "kazakhstan_adm0.geojson"
    run = SimpleNamespace(crs=pyproj.CRS("+proj=laea +lat_0=48 +lon_0=67 +datum=WGS84"), parts=None, species=None)
    outline = read_layer(outline_path).to_crs("EPSG:4326")
    geodesic_m2 = sum(abs(pyproj.Geod(ellps="WGS84").geometry_area_perimeter(g)[0]) for g in outline.geometry)
    assert study_from(run).land.area == pytest.approx(geodesic_m2, rel=2e-3)  # Kazakhstan, on the ground
    monkeypatch.setattr(gbf_states, "EMBEDDED_STUDY", tmp_path / "none.toml")
    with pytest.raises(PacovError, match="no --region given"):
        study_from(run)
