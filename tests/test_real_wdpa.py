"""The engine against a real WDPA extract (validation only: it is never copied into the project)."""

import pytest
import shapely

from pacov.cleaning.clean import CleanOptions, clean_protected_areas
from pacov.cleaning.project import auto_equal_area_crs
from pacov.reading.read import read_layer

EXTRACT = "kz-protected-areas-wdpa-partial/WDPA_WDOECM_Jun2025_Public_KAZ_shp-polygons.shp"


def test_each_polygon_area_matches_gis_area(shared_data):
    raw = read_layer(shared_data / EXTRACT, "protected areas")
    sites, _ = clean_protected_areas(raw, auto_equal_area_crs(raw), options=CleanOptions(flatten=False))
    assert len(sites) == len(raw) == 31
    gis = raw.set_index("WDPA_PID")["GIS_AREA"]
    computed_km2 = shapely.area(sites.geometry.to_numpy()) / 1e6
    for pid, km2 in zip(sites["WDPA_PID"], computed_km2):
        assert km2 == pytest.approx(gis[pid], rel=2e-4, abs=0.05), pid


def test_flattened_total_is_the_union_area(shared_data):
    raw = read_layer(shared_data / EXTRACT, "protected areas")
    crs = auto_equal_area_crs(raw)
    sites, _ = clean_protected_areas(raw, crs)
    union = shapely.area(shapely.union_all(raw.to_crs(crs).geometry.to_numpy()))
    assert shapely.area(sites.geometry.to_numpy()).sum() == pytest.approx(union, rel=1e-4)
