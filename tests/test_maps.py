"""Map files without a browser: index page, offline self-containment, determinism, size."""

from conftest import ROOT, run_pacov

SCENARIOS = ROOT / "layers" / "kazakhstan" / "scenarios"


def test_out_dir_writes_each_map_and_an_index(tmp_path):
    files = [SCENARIOS / "baseline.toml", SCENARIOS / "merke.toml"]
    done = run_pacov("map", *files, "--out-dir", tmp_path, "--offline")
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["baseline.html", "index.html", "merke.html"]
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert 'href="merke.html"' in index and "reconstructions" in index
    merke = (tmp_path / "merke.html").read_text(encoding="utf-8")
    assert "tile.openstreetmap" not in merke and "<script src=" not in merke and 'rel="stylesheet" href' not in merke
    assert len(merke) < 2_000_000


def test_online_map_has_a_tile_layer_and_reruns_are_identical(tmp_path):
    for name in ("a.html", "b.html"):
        assert run_pacov("map", SCENARIOS / "merke.toml", "--output", tmp_path / name).returncode == 0
    html = (tmp_path / "a.html").read_bytes()
    assert b"tile.openstreetmap.org" in html
    assert html == (tmp_path / "b.html").read_bytes()


def test_usage_errors():
    assert run_pacov("map", "--output", "x.html").returncode == 2
    assert run_pacov("map", SCENARIOS / "merke.toml").returncode == 2


def hand_world(folder):
    """Site 1 = a 10 km square (10,000 ha) in an equal-area LAEA; range A = x 5–50 km (5,000 ha of it in site 1)."""
    from shapely.geometry import box

    from conftest import ranges, sites, square
    from scenario_helpers import CRS

    sites([{"WDPAID": 1, "NAME": "Hand Park", "geometry": square(0, 0, 10)}], crs=CRS).to_file(folder / "pa.gpkg")
    ranges(
        [{"sci_name": "A", "geometry": box(5_000, 0, 50_000, 10_000)}, {"sci_name": "B", "geometry": square(0, 0, 5)}],
        crs=CRS,
    ).to_file(folder / "r.gpkg")
    path = folder / "own.toml"
    path.write_text('name = "own"\n[baseline]\nprotected = "pa.gpkg"\nranges = "r.gpkg"\n', encoding="utf-8")
    return path


def test_site_popup_shows_its_equal_area_hectares(tmp_path):
    """Item 8: the popup of a 10 km square site says 10,000 ha (it said 0 ha, measured in degrees)."""
    hand_world(tmp_path)
    out = tmp_path / "m.html"
    done = run_pacov(
        "map", "--protected", tmp_path / "pa.gpkg", "--ranges", tmp_path / "r.gpkg", "--output", out, "--offline"
    )
    assert done.returncode == 0, done.stderr
    html = out.read_text(encoding="utf-8").replace("\\u003c", "<").replace("\\u003e", ">")  # popups sit in JSON
    assert "<th>Area</th><td>10,000 ha</td>" in html


def test_own_data_carries_no_reconstruction_notice(tmp_path):
    """Item 9: tables and the map index of a run over one's own layers do not call them reconstructions."""
    own = hand_world(tmp_path)
    assert run_pacov("scenario", "run", own, "--out-dir", tmp_path / "t").returncode == 0
    assert run_pacov("map", own, "--out-dir", tmp_path / "maps", "--offline").returncode == 0
    for page in (tmp_path / "t" / "scenario_own.md", tmp_path / "maps" / "index.html", tmp_path / "maps" / "own.html"):
        assert "reconstructions" not in page.read_text(encoding="utf-8"), page


def test_species_is_found_or_refused_and_out_dir_follows_it(tmp_path):
    """Item 10: an unknown --species is a one-line error with a hint; --out-dir shows the species asked for."""
    own = hand_world(tmp_path)
    done = run_pacov("map", own, "--output", tmp_path / "x.html", "--species", "a")
    assert done.returncode == 1 and "no species 'a'" in done.stderr and "A, B" in done.stderr
    assert run_pacov("map", own, "--out-dir", tmp_path / "maps", "--species", "B").returncode == 0
    index = (tmp_path / "maps" / "index.html").read_text(encoding="utf-8")
    assert "<td>B</td><td>100.0%</td>" in index  # B (x 0–5 km) lies wholly inside site 1


def test_points_layer_is_drawn_with_escaped_labels(tmp_path):
    """map --points: each point is a feature of one GeoJSON layer, its label its attributes, HTML-escaped."""
    import geopandas as gpd
    from shapely.geometry import Point

    from scenario_helpers import CRS

    own = hand_world(tmp_path)
    gpd.GeoDataFrame({"trap": ["<b>T1</b>", "T2"]}, geometry=[Point(1_000, 1_000), Point(60_000, 0)], crs=CRS).to_file(
        tmp_path / "traps.geojson"
    )
    out = tmp_path / "m.html"
    done = run_pacov("map", own, "--output", out, "--offline", "--points", tmp_path / "traps.geojson")
    assert done.returncode == 0, done.stderr
    html = out.read_text(encoding="utf-8")
    # the labels travel as JSON, which encodes '&' and '<' as \u0026 and \u003c
    assert '"tip": "\\u0026lt;b\\u0026gt;T1\\u0026lt;/b\\u0026gt;"' in html and '"tip": "T2"' in html
    assert "<b>T1</b>" not in html and "\\u003cb\\u003eT1" not in html
