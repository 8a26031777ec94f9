"""``pacov report`` on the embedded study, end to end through the real executable."""

import json

import pandas as pd
import pytest

from conftest import run_pacov


@pytest.fixture(scope="module")
def report(embedded_report):
    """The embedded report (run once per session, conftest): its tables and its species records."""
    document = json.loads((embedded_report / "report.json").read_text(encoding="utf-8"))
    return embedded_report / "tables", document["species"]


def test_snow_leopard_first_and_near_the_published_statement(report):
    _, records = report
    assert records[0]["species"] == "Panthera uncia"
    assert {"Capra sibirica", "Ovis ammon", "Saiga tatarica", "Equus hemionus"} <= {r["species"] for r in records}
    leopard = records[0]
    # seed material: ~3.6 million ha of its habitat in SPNAs, ~70% of the range protected
    assert 0.65 <= leopard["protected_share"] <= 0.75
    assert 3.2e6 <= leopard["protected_ha"] <= 4.0e6


def test_tables_are_written_and_add_up(report):
    tables, records = report
    names = {p.name for p in tables.iterdir()}
    for stem in (
        "species_coverage",
        "focal_by_breakdown",
        "focal_by_area",
        "focal_by_designation",
        "focal_by_iucn_category",
        "cleaning_log",
    ):
        assert {f"{stem}.csv", f"{stem}.md"} <= names
    assert "not official statistics" in (tables / "ABOUT.md").read_text(encoding="utf-8")  # the CSVs' footer
    md = (tables / "focal_by_area.md").read_text(encoding="utf-8")
    assert "reconstructions" in md and "not official statistics" in md and "sha256" in md
    import pandas as pd

    by_area = pd.read_csv(tables / "focal_by_area.csv")
    by_cat = pd.read_csv(tables / "focal_by_iucn_category.csv")
    total = records[0]["protected_ha"]
    assert by_area["unique_ha"].sum() == pytest.approx(total, abs=1)
    assert by_cat["protected_ha"].sum() == pytest.approx(total, abs=1)
    log = pd.read_csv(tables / "cleaning_log.csv")
    assert {"mab", "points", "flatten"} <= set(log["step"])


def test_rerun_gives_identical_bytes(report, tmp_path):
    tables, _ = report
    done = run_pacov("report", "--out-dir", tmp_path)
    assert done.returncode == 0 and "Snow leopard" in done.stdout
    for path in tables.iterdir():
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name


def test_focal_connectivity_table(report):
    tables, records = report
    table = pd.read_csv(tables / "focal_connectivity.csv")
    assert list(table["distance_m"]) == [10_000, 30_000, 100_000]
    # Prot agrees with the coverage overlay's protected share (a separate computation)
    assert table["prot"].to_numpy() == pytest.approx(100 * records[0]["protected_share"], abs=1e-3)
    # ProtConn never exceeds Prot, and grows with the dispersal distance
    assert (table["protconn"] <= table["prot"] + 1e-9).all()
    assert table["protconn"].is_monotonic_increasing


def test_region_connectivity_table(report):
    """The region is the shipped outline: its area against pyproj.Geod on the raw GeoJSON."""
    import geopandas as gpd
    from pyproj import Geod

    from conftest import ROOT

    tables, _ = report
    table = pd.read_csv(tables / "region_connectivity.csv")
    assert list(table["distance_m"]) == [10_000, 30_000, 100_000]
    outline = gpd.read_file(ROOT / "layers" / "kazakhstan" / "basemap" / "kazakhstan_adm0.geojson")
    geodesic_ha = sum(abs(Geod(ellps="WGS84").geometry_area_perimeter(g)[0]) for g in outline.geometry) / 1e4
    assert table["region_ha"].to_numpy() == pytest.approx(geodesic_ha, rel=1e-3)
    assert (table["protconn"] <= table["prot"] + 1e-9).all() and table["protconn"].is_monotonic_increasing


def test_focal_corridors_table(report):
    """Invariants of any least-cost corridor; each gap against the raw sites in a local equidistant projection."""
    import geopandas as gpd
    import shapely

    from conftest import ROOT

    tables, _ = report
    table = pd.read_csv(tables / "focal_corridors.csv")
    assert set(table["path"]) <= {"least cost", "no passable path: farther apart than --max-distance"}
    assert (table.loc[table["path"] != "least cost", "gap_km"] > 100).all()  # the default --max-distance
    table = table[table["path"] == "least cost"]
    assert len(table) > 0
    # a path between cell centres inside two sites is no shorter than their gap; resistance is at least 1
    assert (table["length_km"] >= table["gap_km"]).all() and (table["cost_km"] >= table["length_km"] - 1e-9).all()
    assert (table["protected_ha"] <= table["corridor_ha"] + 1).all()
    raw = gpd.read_file(ROOT / "layers" / "kazakhstan" / "protected_areas.geojson").set_index("WDPAID")
    checked = 0
    for row in table.itertuples():
        others = shapely.union_all(raw.geometry.drop([row.from_id, row.to_id]).to_numpy())
        pair = raw.loc[[row.from_id, row.to_id]]
        if pair.intersects(others).any():
            continue  # cut by flattening: the raw gap is not the flattened sites' gap
        centre = shapely.shortest_line(*pair.geometry).centroid
        local = pair.to_crs(f"+proj=aeqd +lat_0={centre.y} +lon_0={centre.x} +datum=WGS84 +units=m")
        assert row.gap_km == pytest.approx(local.geometry.iloc[0].distance(local.geometry.iloc[1]) / 1000, rel=0.01)
        checked += 1
    assert checked > 0


def test_oblast_row_matches_shapely_on_the_raw_layers(report):
    """Almaty oblast's snow-leopard row, recomputed with shapely on the raw GeoJSON in EPSG:6933."""
    import geopandas as gpd
    import pandas as pd
    import shapely

    from conftest import ROOT

    tables, _ = report
    zones = pd.read_csv(tables / "coverage_by_zone.csv")
    row = zones[zones["species"] == "Panthera uncia"].set_index("ADM1_EN").loc["Almaty"]
    layers = ROOT / "layers" / "kazakhstan"
    parts = gpd.read_file(layers / "species_ranges.geojson").to_crs("EPSG:6933")
    parts = parts[(parts["sci_name"] == "Panthera uncia") & parts["presence"].isin([1, 2])]
    oblasts = gpd.read_file(layers / "basemap" / "oblasts_2024.geojson").to_crs("EPSG:6933")
    oblast = oblasts[oblasts["ADM1_EN"] == "Almaty"].geometry.iloc[0]
    sites = gpd.read_file(layers / "protected_areas.geojson").to_crs("EPSG:6933")
    sites = sites[
        sites["STATUS"].isin(["Designated", "Inscribed", "Established"])
        & ~sites["DESIG_ENG"].str.contains("MAB")
        & sites.geom_type.isin(["Polygon", "MultiPolygon"])
    ]
    in_oblast = shapely.union_all(parts.geometry.to_numpy()).intersection(oblast)
    protected = in_oblast.intersection(shapely.union_all(sites.geometry.to_numpy()))
    assert row["range_ha"] == pytest.approx(in_oblast.area / 1e4, rel=0.005)
    assert row["protected_ha"] == pytest.approx(protected.area / 1e4, rel=0.005)


def test_national_indicator_beside_the_official_figures_and_targets(report):
    """Official figures and targets as the study file gives them (read here with tomllib); shares of the region's
    geodesic area (pyproj.Geod on the raw outline); each gap the target less the computed figure."""
    import tomllib

    import geopandas as gpd
    from pyproj import Geod

    from conftest import ROOT

    tables, _ = report
    study = tomllib.loads((ROOT / "layers" / "kazakhstan" / "study.toml").read_text(encoding="utf-8"))
    table = pd.read_csv(tables / "national_indicator.csv")
    assert list(table["kind"]) == ["computed"] + ["official"] * len(study["official"]) + ["target"] * len(
        study["targets"]
    )
    outline = gpd.read_file(ROOT / "layers" / "kazakhstan" / "basemap" / "kazakhstan_adm0.geojson")
    region_ha = sum(abs(Geod(ellps="WGS84").geometry_area_perimeter(g)[0]) for g in outline.geometry) / 1e4
    computed = table.iloc[0]
    assert computed["protected_ha"] / computed["share"] == pytest.approx(region_ha, rel=1e-3)
    assert 0 < computed["share"] < 0.1137  # about 40 sites: well below the whole estate
    for row, given in zip(table.iloc[1:].itertuples(), study["official"] + study["targets"]):
        area = given.get("protected_ha", given.get("share", 0) * region_ha)
        assert row.protected_ha == pytest.approx(area, rel=1e-3) and row.year == given["year"]
        assert row.share == pytest.approx(area / region_ha, rel=1e-3)
        if row.kind == "target":
            assert row.gap_ha == pytest.approx(area - computed["protected_ha"], rel=1e-3)
            assert row.official_gap_ha == pytest.approx(area - study["official"][0]["protected_ha"], rel=1e-3)
    assert table.at[1, "protected_ha"] == 30_900_000 and 33_200_000 in set(table["protected_ha"])
    assert "CC BY 4.0" in (tables / "national_indicator.md").read_text(encoding="utf-8")
