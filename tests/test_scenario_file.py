"""Bad scenario files: each gives one line naming the file, the key and the valid choices."""

import re

import pytest

from conftest import square
from pacov.errors import PacovError
from pacov.scenarios.run import run
from pacov.scenarios.scenario_file import load_scenario
from scenario_helpers import scenario, write_world


@pytest.fixture
def world(tmp_path):
    write_world(tmp_path)
    return tmp_path


def test_a_good_file_resolves_paths_relative_to_itself(world):
    sc = load_scenario(scenario(world, "ok", '[[operations]]\nop = "add"\nids = ["p1"]\ncost = 3\n'))
    assert sc.protected == world / "pa.gpkg" and sc.operations[0].ids == ("p1",) and sc.operations[0].cost == 3.0
    assert sc.operations[0].label == "add p1"


@pytest.mark.parametrize(
    "operations,baseline_extra,message",
    [
        ('[[operations]]\nop = "ad"\nids = ["p1"]\n', "", "operation 1: 'op' is 'ad' (did you mean 'add'?)"),
        ('[[operations]]\nop = "add"\nidz = ["p1"]\n', "", "unknown key 'idz' (did you mean 'ids'?); valid keys:"),
        ('[[operations]]\nop = "add"\nids = "p1"\n', "", "'ids' must be a non-empty list"),
        ('[[operations]]\nop = "expand"\nsite = "Karatau"\nby = "x2"\n', "", "'site' must be the WDPAID"),
        ('[[operations]]\nop = "expand"\nsite = 2\nby = "x2"\nbuffer_m = 10\n', "", "exactly one of 'by'"),
        ('[[operations]]\nop = "expand"\nsite = 2\nbuffer_m = -5\n', "", "'buffer_m' must be a positive number"),
        ('[[operations]]\nop = "add"\nids = ["p1"]\ncost = 0\n', "", "'cost' must be a positive number"),
        ("", "as_of = 'last year'", "'as_of' must be a year"),
        ("", "statusses = ['Designated']", "unknown key 'statusses' (did you mean 'statuses'?)"),
    ],
)
def test_bad_keys_and_values(world, operations, baseline_extra, message):
    with pytest.raises(PacovError, match=re.escape(message)) as info:
        load_scenario(scenario(world, "bad", operations, baseline_extra))
    assert str(info.value).startswith(f"scenario {world / 'bad.toml'}") and "\n" not in str(info.value)


def test_syntax_error_names_line(world):
    path = world / "broken.toml"
    path.write_text('name = "x"\n[baseline\nprotected = "pa.gpkg"\n', encoding="utf-8")
    with pytest.raises(PacovError, match=r"TOML syntax error: .*line 2"):
        load_scenario(path)


def test_missing_file_and_missing_baseline(world):
    with pytest.raises(PacovError, match="file not found"):
        load_scenario(world / "nope.toml")
    (world / "empty.toml").write_text('name = "x"\n', encoding="utf-8")
    with pytest.raises(PacovError, match=r"missing \[baseline\]"):
        load_scenario(world / "empty.toml")


def test_unknown_ids_are_reported_when_run(world):
    with pytest.raises(PacovError, match="no PROPOSAL_ID 'p3'; valid ids: p1, p2, x2"):
        run(scenario(world, "ids", '[[operations]]\nop = "add"\nids = ["p3"]\n'))
    with pytest.raises(PacovError, match="operation 1: no site with WDPAID 4 in the baseline"):
        run(scenario(world, "site", '[[operations]]\nop = "remove"\nsite = 4\n'))


def test_names_are_file_safe_and_unique(world):
    path = scenario(world, "x")
    path.write_text(path.read_text().replace('name = "x"', 'name = "../evil"'), encoding="utf-8")
    with pytest.raises(PacovError, match="may hold only letters, digits"):
        load_scenario(path)
    from pacov.scenarios.scenario_file import unique_names

    first, second = scenario(world, "same"), world / "copy.toml"
    second.write_text(first.read_text(), encoding="utf-8")
    with pytest.raises(PacovError, match="name 'same' is also the name of"):
        unique_names([load_scenario(first), load_scenario(second)])


def test_an_expansion_that_adds_nothing_is_an_error(world):
    import geopandas as gpd

    from scenario_helpers import CRS

    gpd.GeoDataFrame({"n": [1]}, geometry=[square(200, 200, 5)], crs=CRS).to_file(world / "far.gpkg")
    ops = '[[operations]]\nop = "expand"\nsite = 1\nbuffer_m = 1000\nmask = "far.gpkg"\n'
    with pytest.raises(PacovError, match="the expansion adds no area .* outside the mask"):
        run(scenario(world, "nothing", ops))
