"""Inputs are never modified; failed runs leave earlier outputs alone; reruns are byte-identical."""

import json

from conftest import ROOT, fingerprint, ranges, run_pacov, sites, square

LAYERS = ROOT / "layers" / "kazakhstan"


def test_inputs_are_untouched_by_every_command(embedded_report, tmp_path):
    """The layers as they were before the session's report ran (conftest), after it and these commands."""
    before = json.loads((embedded_report / "inputs_before.json").read_text())
    inputs = sorted(p for p in LAYERS.rglob("*") if p.is_file())
    assert (
        run_pacov(
            "scenario", "run", LAYERS / "scenarios" / "kok-zhailau-removal.toml", "--out-dir", tmp_path / "t"
        ).returncode
        == 0
    )
    assert (
        run_pacov("map", LAYERS / "scenarios" / "merke.toml", "--output", tmp_path / "m.html", "--offline").returncode
        == 0
    )
    assert fingerprint(inputs) == before


def test_a_failed_run_keeps_the_previous_output(tmp_path):
    sites([{"WDPAID": 1, "geometry": square(0, 0, 10)}]).to_file(tmp_path / "pa.gpkg")
    ranges([{"sci_name": "A", "geometry": square(0, 0, 50)}]).to_file(tmp_path / "r.gpkg")
    out = tmp_path / "out.csv"
    assert (
        run_pacov(
            "coverage", "--protected", tmp_path / "pa.gpkg", "--ranges", tmp_path / "r.gpkg", "--output", out
        ).returncode
        == 0
    )
    good = out.read_bytes()
    ranges([{"sci_name": "A", "origin": 8, "geometry": square(0, 0, 50)}]).to_file(tmp_path / "bad.gpkg")
    failed = run_pacov(
        "coverage", "--protected", tmp_path / "pa.gpkg", "--ranges", tmp_path / "bad.gpkg", "--output", out
    )
    assert failed.returncode == 1 and out.read_bytes() == good
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.gpkg", "out.csv", "pa.gpkg", "r.gpkg"]


def test_footers_record_checksums_and_versions_not_time(embedded_report):
    footer = (embedded_report / "tables" / "species_coverage.md").read_text(encoding="utf-8")
    assert "sha256" in footer and "shapely" in footer and "GEOS" in footer and "PROJ" in footer
