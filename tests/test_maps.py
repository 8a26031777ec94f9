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
