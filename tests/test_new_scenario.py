"""``pacov scenario new``: a drawn layer becomes a scenario file that runs, with gains computed by hand."""

import tomllib

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from shapely.geometry import box

from conftest import ROOT, run_pacov
from scenario_helpers import CRS, write_world

KM = 1000.0


@pytest.fixture
def world(tmp_path):
    write_world(tmp_path)
    gpd.GeoDataFrame(
        {"name": ["ridge", "valley"]},
        geometry=[box(35 * KM, 5 * KM, 45 * KM, 15 * KM), box(100 * KM, 100 * KM, 105 * KM, 105 * KM)],
        crs=CRS,
    ).to_file(tmp_path / "drawn.gpkg", layer="mine")
    return tmp_path


def test_written_scenario_runs_and_gains_match_shapely(world):
    toml = world / "sub" / "drawn.toml"
    done = run_pacov(
        "scenario", "new", f"{world / 'drawn.gpkg'}:mine", "--name", "drawn", "--output", toml,
        "--protected", world / "pa.gpkg", "--ranges", world / "ranges.gpkg",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    data = tomllib.loads(toml.read_text(encoding="utf-8"))
    assert data["baseline"]["protected"] == "../pa.gpkg" and data["proposals"]["layer"] == "../drawn.gpkg:mine"
    assert [o["label"] for o in data["operations"]] == ["ridge", "valley"]
    done = run_pacov("scenario", "run", toml, "--out-dir", world / "tables")
    assert done.returncode == 0, done.stderr
    assert "IUCN_CAT set to Not Reported" in done.stderr
    gains = pd.read_csv(world / "tables" / "scenario_drawn_operations.csv").set_index(["operation", "species"])
    # expected from the raw inputs: drawn polygon ∩ range, less what the sites already protect
    protected = gpd.read_file(world / "pa.gpkg").union_all()
    ranges = gpd.read_file(world / "ranges.gpkg").dissolve("sci_name").geometry
    drawn = gpd.read_file(world / "drawn.gpkg", layer="mine").set_index("name").geometry
    for name, polygon in drawn.items():
        for species, area in ranges.items():
            expected = shapely.difference(shapely.intersection(polygon, area), protected).area / 1e4
            assert gains.at[(name, species), "range_gain_ha"] == pytest.approx(expected, abs=0.01)
    # by hand: ridge covers x 35–45, y 5–10 km of range A (5,000 ha) of which site 2 holds x 35–40 (2,500 ha)
    assert gains.at[("ridge", "A"), "range_gain_ha"] == pytest.approx(2_500, abs=0.01)
    assert gains.at[("valley", "B"), "range_gain_ha"] == pytest.approx(2_500, abs=0.01)


def test_default_baseline_is_the_embedded_layers(world):
    toml = world / "today.toml"
    done = run_pacov("scenario", "new", world / "drawn.gpkg", "--name", "today", cwd=world)
    assert done.returncode == 0, done.stderr
    base = tomllib.loads(toml.read_text(encoding="utf-8"))["baseline"]
    assert (world / base["protected"]).resolve() == ROOT / "layers" / "kazakhstan" / "protected_areas.geojson"
    assert (world / base["ranges"]).resolve() == ROOT / "layers" / "kazakhstan" / "species_ranges.geojson"


@pytest.mark.parametrize(
    "extra, message",
    [
        (["--name", "bad name"], "use only letters"),
        (["--name", "x", "--output", "pa.gpkg"], "exists already"),
    ],
)
def test_bad_requests_are_one_line(world, extra, message):
    done = run_pacov("scenario", "new", world / "drawn.gpkg", *extra, cwd=world)
    assert done.returncode == 1 and message in done.stderr and "Traceback" not in done.stderr


def test_polygons_without_names_are_refused(world):
    gpd.GeoDataFrame({"id": [None, None]}, geometry=[box(0, 0, 1, 1), box(2, 2, 3, 3)], crs=CRS).to_file(
        world / "blank.gpkg"
    )
    done = run_pacov("scenario", "new", world / "blank.gpkg", "--name", "x", cwd=world)
    assert done.returncode == 1 and "unique id or name" in done.stderr
    assert not (world / "x.toml").exists()


def drawn_with(tmp_path, columns):
    gpd.GeoDataFrame(columns, geometry=[box(35 * KM, 5 * KM, 45 * KM, 15 * KM)], crs=CRS).to_file(tmp_path / "one.gpkg")
    return tmp_path / "one.gpkg"


def test_a_layer_whose_only_field_is_a_comment_needs_id_field(world):
    """Issue 25 item 6: a 'comment' is no id: refused with the option to give; taken when given."""
    layer = drawn_with(world, {"comment": ["looks good"]})
    base = ("--protected", world / "pa.gpkg", "--ranges", world / "ranges.gpkg")
    done = run_pacov("scenario", "new", layer, "--name", "c", "--output", world / "c.toml", *base)
    assert done.returncode == 1 and "--id-field comment" in done.stderr and "Traceback" not in done.stderr
    assert not (world / "c.toml").exists()
    done = run_pacov(
        "scenario", "new", layer, "--name", "c", "--output", world / "c.toml", "--id-field", "comment", *base
    )
    assert done.returncode == 0, done.stderr
    data = tomllib.loads((world / "c.toml").read_text(encoding="utf-8"))
    assert data["proposals"]["id_field"] == "comment" and data["operations"][0]["ids"] == ["looks good"]
    assert data["description"].endswith("the 1 drawn proposal")  # one proposal, not "1 drawn proposals"


def test_the_id_field_taken_is_said_and_quiet_silences_the_notes(world):
    layer = drawn_with(world, {"name": ["ridge"]})
    base = ("--protected", world / "pa.gpkg", "--ranges", world / "ranges.gpkg")
    done = run_pacov("scenario", "new", layer, "--name", "n", "--output", world / "n.toml", *base)
    assert done.returncode == 0 and "id is its 'name'" in done.stderr
    loud = run_pacov("scenario", "run", world / "n.toml", "--no-write")
    quiet = run_pacov("-q", "scenario", "run", world / "n.toml", "--no-write")
    assert loud.returncode == quiet.returncode == 0 and "no WDPA fields" in loud.stderr
    assert "no WDPA fields" not in quiet.stderr and quiet.stdout == loud.stdout
