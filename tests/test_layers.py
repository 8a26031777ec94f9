"""The embedded Kazakhstan layers: in sync with their tables, sized to the published figures."""

import importlib.util
import json
import tomllib

import geopandas as gpd
import pytest
from pyproj import Geod

from conftest import ROOT

LAYERS = ROOT / "layers" / "kazakhstan"
GEOD = Geod(ellps="WGS84")


def geodesic_km2(geom):
    return abs(GEOD.geometry_area_perimeter(geom)[0]) / 1e6


def test_geojson_is_exactly_what_the_tables_build(tmp_path):
    spec = importlib.util.spec_from_file_location("build", LAYERS / "src" / "build.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    build.main(tmp_path)
    density = importlib.util.spec_from_file_location("build_density", LAYERS / "src" / "build_density.py")
    build_density = importlib.util.module_from_spec(density)
    density.loader.exec_module(build_density)
    build_density.main(tmp_path)
    points = importlib.util.spec_from_file_location("build_points", LAYERS / "src" / "build_points.py")
    build_points = importlib.util.module_from_spec(points)
    points.loader.exec_module(build_points)
    build_points.main(tmp_path)
    for name in ("camera_traps.geojson", "collar_fixes.geojson"):
        assert (tmp_path / name).read_bytes() == (LAYERS / "examples" / name).read_bytes(), name
    for name in (
        "protected_areas.geojson",
        "proposed_areas.geojson",
        "species_ranges.geojson",
        "PROVENANCE.md",
        "snow_leopard_density.tif",
    ):
        assert (tmp_path / name).read_bytes() == (LAYERS / name).read_bytes(), name


@pytest.mark.parametrize("name", ["protected_areas", "proposed_areas"])
def test_each_drawn_area_is_within_5_percent_of_its_published_figure(name):
    sites = gpd.read_file(LAYERS / f"{name}.geojson")
    table = tomllib.loads((LAYERS / "src" / f"{name}.toml").read_text(encoding="utf-8"))["site"]
    serial = {row["WDPAID"] for row in table if "components" in row}  # drawn as their components' union
    drawn = sites[sites.geom_type.isin(["Polygon", "MultiPolygon"]) & ~sites["WDPAID"].isin(serial)]
    assert len(drawn) >= 8
    for row in drawn.itertuples():
        assert geodesic_km2(row.geometry) == pytest.approx(row.REP_AREA, rel=0.05), row.NAME


def test_the_seed_material_sites_are_all_there():
    names = " ".join(gpd.read_file(LAYERS / "protected_areas.geojson")["NAME"])
    for site in [
        "Ile-Alatau",
        "Kolsai",
        "Altyn-Emel",
        "Sairam-Ugam",
        "Zhongar-Alatau",
        "Charyn",
        "Tarbagatai",
        "Katon-Karagai",
        "Karatau",
        "Western Altai",
        "Almaty",
        "Aksu-Zhabagly",
        "Markakol",
        "Ile-Balkhash",
    ]:
        assert site in names, site


def test_proposals_follow_the_published_totals():
    """Published areas drawn to size (figures from the press, PROVENANCE 'Sources checked'); the rest fill the totals."""
    proposed = gpd.read_file(LAYERS / "proposed_areas.geojson").set_index("PROPOSAL_ID")
    assert set(proposed["STATUS"]) == {"Proposed"}
    drawn_ha = {i: geodesic_km2(g) * 100 for i, g in proposed.geometry.items()}
    new = proposed.index[proposed["kind"] == "new"]
    assert len(new) == 6 and sum(drawn_ha[i] for i in new) > 1_600_000
    assert drawn_ha["merke"] == pytest.approx(86_632, rel=0.01)  # Government resolution, Aug 2025
    assert drawn_ha["aral-forest"] == pytest.approx(1_300_000, rel=0.01)  # "more than 1.3 million ha", Dec 2025
    assert drawn_ha["caspian-seal"] == pytest.approx(109_558, rel=0.01)  # draft decree, May 2024
    june = ["ustyurt-expansion", "akzhaiyk-expansion", "caspian-seal"]  # draft Concept, June 2025
    assert set(june) <= set(proposed.index[proposed["kind"] == "expansion"])
    assert sum(drawn_ha[i] for i in june) > 214_000
    for extra in ("karatau-expansion", "ile-balkhash-expansion"):
        assert "March 2025 list only" in proposed.at[extra, "source"]
    assert "adoption not confirmed" in proposed.at["caspian-seal", "source"]


def test_the_caspian_seal_reserve_is_marine_and_lies_at_sea():
    """MARINE 2 (WDPA: marine) on the seal reserve only, and none of it on Kazakhstan's land outline."""
    outline = gpd.read_file(LAYERS / "basemap" / "kazakhstan_adm0.geojson").geometry.iloc[0]
    proposed = gpd.read_file(LAYERS / "proposed_areas.geojson").set_index("PROPOSAL_ID")
    sites = gpd.read_file(LAYERS / "protected_areas.geojson")
    assert proposed["MARINE"].to_dict() == {i: 2 if i == "caspian-seal" else 0 for i in proposed.index}
    assert set(sites["MARINE"]) == {0, 1}  # Akzhaiyk is coastal in WDPA
    seal = proposed.at["caspian-seal", "geometry"]
    assert geodesic_km2(seal.intersection(outline)) < 0.01 and geodesic_km2(seal) > 1000


def test_provenance_says_geometries_are_reconstructions():
    text = " ".join((LAYERS / "PROVENANCE.md").read_text(encoding="utf-8").lower().split())
    assert "approximate reconstruction, not an official boundary" in text
    json.loads((LAYERS / "species_ranges.geojson").read_text(encoding="utf-8"))


def load_script(name):
    spec = importlib.util.spec_from_file_location(name, LAYERS / "src" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_basemap_is_exactly_what_the_shared_data_builds(tmp_path, shared_data):
    load_script("build_basemap").main(tmp_path, shared_data)
    for path in sorted((LAYERS / "basemap").iterdir()):
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name


def test_basemap_files_are_small():
    total = sum(p.stat().st_size for p in (LAYERS / "basemap").iterdir())
    assert total < 3_000_000


def test_ranges_lie_in_kazakhstan_and_provenance_says_what_was_cut():
    """Each shipped part is inside the outline; shipped area + the cut PROVENANCE lists = the drawn ellipse."""
    outline = gpd.read_file(LAYERS / "basemap" / "kazakhstan_adm0.geojson").geometry.iloc[0]
    parts = gpd.read_file(LAYERS / "species_ranges.geojson")
    table = tomllib.loads((LAYERS / "src" / "species_ranges.toml").read_text(encoding="utf-8"))["part"]
    rows = [
        line.split(" | ")
        for line in (LAYERS / "PROVENANCE.md")
        .read_text(encoding="utf-8")
        .split("### Species range parts")[1]
        .splitlines()
        if line.count(" | ") == 7 and line.split(" | ")[2][:1].isdigit()
    ]
    assert len(rows) == len(table) == len(parts)
    checked = 0
    for row, part, spec in zip(rows, parts.itertuples(), table):
        assert geodesic_km2(part.geometry.difference(outline)) < 0.01, spec["landscape"]
        cut_ha = float(row[6].replace(",", ""))
        if "around" not in spec:  # a bare ellipse: drawn area is the table's area_km2
            assert geodesic_km2(part.geometry) * 100 + cut_ha == pytest.approx(spec["area_km2"] * 100, rel=0.01)
            checked += 1
    assert checked >= 20
