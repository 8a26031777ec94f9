"""`pacov study new`: a study file from a planner's own layers, in another layout, readable back."""

import geopandas as gpd
from shapely.geometry import box

from conftest import run_pacov
from pacov.scenarios.study_file import load_study


def layers(folder):
    data = folder / "data"
    data.mkdir()
    gpd.GeoDataFrame({"WDPAID": [1]}, geometry=[box(0, 0, 1, 1)], crs="EPSG:4326").to_file(data / "pa.gpkg")
    gpd.GeoDataFrame({"sci_name": ["Aus bus"]}, geometry=[box(0, 0, 2, 2)], crs="EPSG:4326").to_file(
        data / "r.gpkg", layer="MAMMALS"
    )
    gpd.GeoDataFrame(geometry=[box(0, 0, 3, 3)], crs="EPSG:4326").to_file(data / "land.geojson")
    return data


def test_writes_a_study_relative_to_itself(tmp_path):
    data = layers(tmp_path)
    out = tmp_path / "studies" / "mine.toml"
    done = run_pacov(
        "study", "new", "--protected", data / "pa.gpkg", "--ranges", f"{data / 'r.gpkg'}:MAMMALS",
        "--region", data / "land.geojson", "--focal", "Aus bus", "-o", out,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    text = out.read_text(encoding="utf-8")
    assert 'ranges = "../data/r.gpkg:MAMMALS"' in text and 'name = "land"' in text
    study = load_study(out)
    assert study.focal == "Aus bus" and study.ranges == f"{(data / 'r.gpkg').resolve()}:MAMMALS"


def test_refuses_a_focal_species_not_in_the_ranges(tmp_path):
    data = layers(tmp_path)
    out = tmp_path / "s.toml"
    args = ["--protected", data / "pa.gpkg", "--ranges", data / "r.gpkg", "--region", data / "land.geojson"]
    done = run_pacov("study", "new", *args, "--focal", "Aus bas", "-o", out)
    assert done.returncode == 1 and not out.exists()
    assert done.stderr.count("\n") == 1 and "no species 'Aus bas'" in done.stderr and "Aus bus" in done.stderr


def test_refuses_missing_inputs_and_an_existing_file(tmp_path):
    data = layers(tmp_path)
    args = ["--protected", data / "none.gpkg", "--ranges", data / "r.gpkg", "--region", data / "land.geojson"]
    done = run_pacov("study", "new", *args, "-o", tmp_path / "s.toml")
    assert done.returncode == 1 and "protected areas" in done.stderr and "file not found" in done.stderr
    (tmp_path / "kept.toml").write_text("mine")
    args[1] = data / "pa.gpkg"
    done = run_pacov("study", "new", *args, "--name", "x", "-o", tmp_path / "kept.toml")
    assert done.returncode == 1 and "exists already" in done.stderr
    assert (tmp_path / "kept.toml").read_text() == "mine"
