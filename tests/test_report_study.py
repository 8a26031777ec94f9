"""``pacov report STUDY`` on a study in another layout than the embedded one: a Protected Planet-style zip of
zipped shapefiles, a GeoPackage of ranges, a GeoJSON outline. Every figure is checked against shapely on the
raw inputs in an equal-area CRS (EPSG:6933), or by hand."""

import html
import json
import math
import shutil
import subprocess
import zipfile

import geopandas as gpd
import pytest
import shapely
from shapely.geometry import box

from conftest import EQUAL_AREA, KM, ranges, run_pacov, sites, square

MEDIAN_M = 20_000.0


def zipped_shapefiles(frame, folder, name):
    """A Protected Planet-like download: ``name``.zip holding two zips, each a shapefile of some sites."""
    outer = folder / f"{name}.zip"
    with zipfile.ZipFile(outer, "w") as out:
        for part, rows in enumerate((frame.iloc[:2], frame.iloc[2:])):
            shp = folder / f"part{part}"
            shp.mkdir()
            rows.to_file(shp / f"{name}-polygons.shp")
            inner = folder / f"{name}_{part}.zip"
            with zipfile.ZipFile(inner, "w") as zin:
                for f in shp.iterdir():
                    zin.write(f, f.name)
            out.write(inner, inner.name)
    return outer


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    """Region 100 × 60 km, split into West and East at x = 50 km; four sites (A and B overlap, C sticks out of
    the region, D stands apart); three species (Alpha and Beta stick out of the region, Gamma is a gap species
    that the scenario's proposal covers whole)."""
    folder = tmp_path_factory.mktemp("study")
    region = gpd.GeoDataFrame({"name": ["Land"]}, geometry=[box(0, 0, 100 * KM, 60 * KM)], crs=EQUAL_AREA)
    region.to_crs("EPSG:4326").to_file(folder / "outline.geojson")
    zones = gpd.GeoDataFrame(
        {"ZONE": ["West", "East"]},
        geometry=[box(0, 0, 50 * KM, 60 * KM), box(50 * KM, 0, 100 * KM, 60 * KM)],
        crs=EQUAL_AREA,
    )
    zones.to_crs("EPSG:4326").to_file(folder / "zones.geojson")
    pa = sites(
        [
            {"WDPAID": 1, "geometry": square(0, 0, 20), "STATUS_YR": 1990},
            {"WDPAID": 2, "geometry": square(10, 10, 20), "STATUS_YR": 2005},
            {"WDPAID": 3, "geometry": square(90, 40, 20), "STATUS_YR": 2010},
            {"WDPAID": 4, "geometry": square(60, 25, 10), "STATUS_YR": 2020},
        ]
    ).to_crs("EPSG:4326")
    zipped_shapefiles(pa, folder, "WDPA_Dec2026_Public_TST_shp")
    species = ranges(
        [
            {"sci_name": "Alpha", "common_name": "Alpha cat", "geometry": square(-20, -10, 60)},
            {"sci_name": "Beta", "common_name": "Beta goat", "geometry": square(40, 20, 50)},
            {"sci_name": "Gamma", "common_name": "Gamma vole", "geometry": square(60, 0, 10)},
        ]
    ).to_crs("EPSG:4326")
    species.to_file(folder / "ranges.gpkg", layer="ranges")
    proposal = sites([{"WDPAID": 90, "PROPOSAL_ID": "p1", "STATUS": "Proposed", "geometry": square(55, 0, 15)}])
    proposal.to_crs("EPSG:4326").to_file(folder / "proposals.geojson")
    (folder / "scenarios").mkdir()
    (folder / "scenarios" / "p1.toml").write_text(
        'name = "p1"\ndescription = "Today\'s estate plus the proposed reserve p1."\n'
        '[baseline]\nprotected = "../WDPA_Dec2026_Public_TST_shp.zip"\nranges = "../ranges.gpkg:ranges"\n'
        '[proposals]\nlayer = "../proposals.geojson"\nid_field = "PROPOSAL_ID"\n'
        '[[operations]]\nop = "add"\nids = ["p1"]\n',
        encoding="utf-8",
    )
    (folder / "study.toml").write_text(
        'name = "Testland"\nfocal = "Alpha"\n'
        '[layers]\nprotected = "WDPA_Dec2026_Public_TST_shp.zip"\nranges = "ranges.gpkg:ranges"\n'
        'region = "outline.geojson"\nzones = "zones.geojson"\nzone_field = "ZONE"\nscenarios = "scenarios"\n'
        f"[connectivity]\ndistances_m = [{MEDIAN_M:.0f}]\n"
        '[[official]]\nlabel = "Official, 2025"\nprotected_ha = 100000\nyear = 2025\nsource = "a decree"\n'
        '[[targets]]\nlabel = "GBF"\nshare = 0.3\nyear = 2030\nsource = "CBD 15/4"\n',
        encoding="utf-8",
    )
    out = folder / "out"
    command = [
        "report",
        folder / "study.toml",
        "--out-dir",
        out / "tables",
        "--format",
        "json",
        "--html",
        out / "r.html",
    ]
    pdf = shutil.which("chromium") is not None
    done = run_pacov(*command, *(["--pdf", out / "r.pdf"] if pdf else []))
    assert done.returncode == 0, done.stderr
    return folder, out, json.loads(done.stdout), pdf


def raw(folder, crs=EQUAL_AREA):
    """The raw inputs in ``crs``, read with geopandas (the zip's shapefiles from their parts)."""
    pa = gpd.GeoDataFrame(
        gpd.pd.concat([gpd.read_file(p) for p in sorted(folder.glob("part*/*.shp"))]), crs="EPSG:4326"
    ).to_crs(crs)
    read = lambda name, **kw: gpd.read_file(folder / name, **kw).to_crs(crs)  # noqa: E731
    return pa, read("ranges.gpkg", layer="ranges"), read("outline.geojson"), read("zones.geojson")


def ha(geometry):
    return geometry.area / 1e4


def test_species_coverage_is_the_raw_overlap_clipped_to_the_region(study):
    folder, _, document, _ = study
    pa, species, outline, _ = raw(folder)
    union, region = shapely.union_all(pa.geometry.to_numpy()), outline.geometry.iloc[0]
    records = {r["species"]: r for r in document["species"]}
    assert list(records)[0] == "Alpha" and records["Alpha"]["common_name"] == "Alpha cat"
    for row in species.itertuples():
        inside = row.geometry.intersection(region)
        assert records[row.sci_name]["range_ha"] == pytest.approx(ha(inside), rel=2e-3)
        assert records[row.sci_name]["protected_ha"] == pytest.approx(ha(inside.intersection(union)), rel=2e-3, abs=1)
    assert records["Alpha"]["range_outside_ha"] > 0 and records["Gamma"]["protected_ha"] == 0


def test_indicator_official_figure_and_target(study):
    folder, _, document, _ = study
    pa, _, outline, _ = raw(folder)
    region = outline.geometry.iloc[0]
    protected = ha(shapely.union_all(pa.geometry.to_numpy()).intersection(region))
    figures = document["indicator"]
    assert figures["region_ha"] == pytest.approx(ha(region), rel=2e-3)
    assert figures["protected_ha"] == pytest.approx(protected, rel=2e-3)
    assert figures["share"] == pytest.approx(protected / ha(region), rel=2e-3)
    official = figures["official"][0]
    assert (official["protected_ha"], official["year"]) == (100_000, 2025)
    assert official["share"] == pytest.approx(100_000 / ha(region), rel=2e-3)
    target = figures["targets"][0]
    assert target["protected_ha"] == pytest.approx(0.3 * ha(region), rel=2e-3) and target["share"] == 0.3
    assert target["gap_ha"] == pytest.approx(0.3 * ha(region) - protected, rel=2e-3)
    assert target["year"] == 2030


def test_zones_are_the_raw_range_cut_by_each_zone(study):
    folder, _, document, _ = study
    pa, species, outline, zones = raw(folder)
    union, region = shapely.union_all(pa.geometry.to_numpy()), outline.geometry.iloc[0]
    rows = {(r["zone"], r["species"]): r for r in document["zones"]}
    for zone in zones.itertuples():
        for sp in species.itertuples():
            part = sp.geometry.intersection(region).intersection(zone.geometry)
            if ha(part) < 1:
                assert (zone.ZONE, sp.sci_name) not in rows
                continue
            row = rows[(zone.ZONE, sp.sci_name)]
            assert row["range_ha"] == pytest.approx(ha(part), rel=2e-3)
            assert row["protected_ha"] == pytest.approx(ha(part.intersection(union)), rel=2e-3, abs=1)


def brute_protconn(nodes, region_area, median_m, ground):
    """100·√(Σ a_i a_j p*_ij)/A with p = exp(−k d), k = ln 2 / median, p* the best product over paths
    (Floyd–Warshall on −ln p): Saura's definition, computed by brute force. Areas from ``nodes`` (equal-area),
    edge-to-edge distances from ``ground`` (the same nodes in a local azimuthal equidistant projection)."""
    k = math.log(2) / median_m
    n = len(nodes)
    cost = [[0.0 if i == j else k * ground[i].distance(ground[j]) for j in range(n)] for i in range(n)]
    for m in range(n):
        for i in range(n):
            for j in range(n):
                cost[i][j] = min(cost[i][j], cost[i][m] + cost[m][j])
    eca2 = sum(nodes[i].area * nodes[j].area * math.exp(-cost[i][j]) for i in range(n) for j in range(n))
    return 100 * math.sqrt(eca2) / region_area


def test_protconn_of_the_region_and_of_the_focal_range(study):
    folder, _, document, _ = study
    centre = gpd.read_file(folder / "outline.geojson").geometry.iloc[0].centroid
    local = f"+proj=aeqd +lat_0={centre.y} +lon_0={centre.x} +datum=WGS84 +units=m"

    def patches(crs, within):
        pa, species, outline, _ = raw(folder, crs)
        area = (
            outline.geometry.iloc[0]
            if within is None
            else species.geometry.iloc[within].intersection(outline.geometry.iloc[0])
        )
        a_b = pa.geometry.iloc[0].union(pa.geometry.iloc[1])  # overlapping: one patch (p = 1 between them)
        nodes = [g.intersection(area) for g in (a_b, pa.geometry.iloc[2], pa.geometry.iloc[3])]
        return [n for n in nodes if not n.is_empty], area

    rows = {r.get("region", r.get("species")): r for r in document["protconn"]}
    assert rows["Testland"]["distance_m"] == MEDIAN_M
    for name, within in (("Testland", None), ("Alpha", 0)):
        (nodes, area), (ground, _) = patches(EQUAL_AREA, within), patches(local, within)
        expected = brute_protconn(nodes, area.area, MEDIAN_M, ground)
        assert rows[name]["protconn"] == pytest.approx(expected, rel=2e-3), name


def test_scenario_changes_are_against_today(study):
    _, _, document, _ = study
    rows = {(r["scenario"], r["species"]): r for r in document["scenarios"]}
    assert {s for s, _ in rows} == {"today", "p1"}
    # the proposal (55–70 × 0–15 km) covers Gamma's 10 × 10 km range whole and no other range
    assert rows[("p1", "Gamma")]["delta_ha"] == pytest.approx(10_000, rel=2e-3)
    assert rows[("p1", "Alpha")]["delta_ha"] == pytest.approx(0, abs=1)
    assert all(rows[("today", sp)]["delta_ha"] == 0 for sp in ("Alpha", "Beta", "Gamma"))


def test_gbf_target3_table_and_chart(study):
    """3.1 (a hectare under two sites once) by year, today and under the scenario, against shapely on the raw
    layers; the chart on the page carries the study's target; the sources name layers, not local paths."""
    import pandas as pd

    folder, out, document, _ = study
    pa, _, outline, _ = raw(folder)
    region = outline.geometry.iloc[0]
    proposal = gpd.read_file(folder / "proposals.geojson").to_crs(EQUAL_AREA).geometry.iloc[0]

    def share(geometries):
        return 100 * shapely.union_all(geometries).intersection(region).area / region.area

    table = pd.read_csv(out / "tables" / "gbf_target3.csv", keep_default_na=False, na_values=[""])
    both = table[(table["indicator"] == "3.1 protected and conserved areas") & (table["variant"] == "PA and OECM")]
    by = {(None if pd.isna(r.year) else int(r.year), r.scenario): r.value for r in both.itertuples()}
    dated = dict(zip(pa["WDPAID"], pa.geometry))
    assert by[(2005, "observed")] == pytest.approx(share([dated[1], dated[2]]), rel=2e-3)
    assert by[(None, "observed")] == pytest.approx(share(pa.geometry.to_numpy()), rel=2e-3)
    assert by[(None, "p1")] == pytest.approx(share([*pa.geometry.to_numpy(), proposal]), rel=2e-3)
    assert set(table["scenario"]) == {"observed", "p1"}  # today's baseline is the observed state, once
    assert len(document["gbf_target3"]) == len(table)
    assert not table["source"].str.contains(str(folder), regex=False).any()
    assert (out / "tables" / "gbf_target3.png").read_bytes()[:4] == b"\x89PNG"
    page = (out / "r.html").read_text(encoding="utf-8")
    gbf = page[page.index('<section id="gbf">') :]
    assert "GBF: 30 by 2030" in gbf[: gbf.index("</section>")] and "<?xml" not in page
    answer = html.unescape(gbf[gbf.index('<p class="answer">') : gbf.index("</p>")])
    assert f"Under “Today's estate plus the proposed reserve p1”: {by[(None, 'p1')]:.2f}%" in answer  # as its chart


def test_page_and_pdf(study):
    _, out, document, pdf = study
    page = (out / "r.html").read_text(encoding="utf-8")
    for section in ("protected", "gaps", "where", "connected", "scenarios", "gbf", "growth"):
        assert f'<section id="{section}">' in page
    assert "Alpha cat (Alpha)" in page and "Testland: protected areas and species" in page
    if not pdf:
        pytest.skip("chromium is not installed: no PDF")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    text = subprocess.run(["pdftotext", out / "r.pdf", "-"], capture_output=True, text=True, check=True).stdout
    assert "Testland: protected areas and species" in text and "How much is protected?" in text


def test_pdf_without_chromium_is_one_clear_line(study, tmp_path):
    folder, _, _, _ = study
    import os
    import sys

    env = {**os.environ, "PATH": os.path.dirname(sys.executable)}  # pacov's own bin: no chromium there
    exe = os.path.join(os.path.dirname(sys.executable), "pacov")
    done = subprocess.run(
        [exe, "report", folder / "study.toml", "--out-dir", tmp_path / "t", "--pdf", tmp_path / "r.pdf"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert done.returncode == 1 and "chromium not found" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and not (tmp_path / "r.pdf").exists()


def test_a_real_protected_planet_download(shared_data, tmp_path):
    """The real WDPA extract (31 polygons), zipped as Protected Planet ships it, with the embedded ranges and
    outline: the indicator and the snow leopard's protected hectares against shapely on the raw shapefile."""
    from conftest import ROOT

    extract = shared_data / "kz-protected-areas-wdpa-partial"
    inner = tmp_path / "WDPA_WDOECM_Jun2025_Public_KAZ_shp_0.zip"
    with zipfile.ZipFile(inner, "w") as zin:
        for f in extract.glob("*_shp-polygons.*"):
            zin.write(f, f.name)
    with zipfile.ZipFile(tmp_path / "WDPA_WDOECM_Jun2025_Public_KAZ_shp.zip", "w") as out:
        out.write(inner, inner.name)
    layers = ROOT / "layers" / "kazakhstan"
    (tmp_path / "study.toml").write_text(
        f'name = "KAZ"\nfocal = "Panthera uncia"\n[layers]\nprotected = "WDPA_WDOECM_Jun2025_Public_KAZ_shp.zip"\n'
        f'ranges = "{layers / "species_ranges.geojson"}"\nregion = "{layers / "basemap" / "kazakhstan_adm0.geojson"}"\n',
        encoding="utf-8",
    )
    done = run_pacov("report", tmp_path / "study.toml", "--out-dir", tmp_path / "t", "--format", "json")
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    raw_sites = gpd.read_file(next(extract.glob("*_shp-polygons.shp"))).to_crs(EQUAL_AREA)
    assert len(raw_sites) == 31 and set(raw_sites["STATUS"]) <= {"Designated", "Inscribed", "Established"}
    land = gpd.read_file(layers / "basemap" / "kazakhstan_adm0.geojson").to_crs(EQUAL_AREA).geometry.iloc[0]
    union = shapely.union_all(raw_sites[raw_sites["MARINE"].astype(str) != "2"].geometry.to_numpy())
    assert document["indicator"]["protected_ha"] == pytest.approx(ha(union.intersection(land)), rel=2e-3)
    assert document["indicator"]["region_ha"] == pytest.approx(ha(land), rel=2e-3)
    leopard = gpd.read_file(layers / "species_ranges.geojson").to_crs(EQUAL_AREA)
    leopard = leopard[(leopard["sci_name"] == "Panthera uncia") & leopard["presence"].isin([1, 2])]
    leopard = shapely.union_all(leopard.geometry.to_numpy()).intersection(land)
    record = document["species"][0]
    assert record["species"] == "Panthera uncia"
    assert record["protected_ha"] == pytest.approx(ha(leopard.intersection(union)), rel=2e-3)
