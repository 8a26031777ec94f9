"""Known-answer scenario arithmetic: overlaps between proposals, with existing areas, buffers, removals."""

import math

import pytest

from conftest import sites, square
from pacov.scenarios.run import compare, run
from scenario_helpers import CRS, scenario, write_world

ADD_P1 = '[[operations]]\nop = "add"\nids = ["p1"]\n'
ADD_P2 = '[[operations]]\nop = "add"\nids = ["p2"]\n'


@pytest.fixture
def world(tmp_path):
    write_world(tmp_path)
    return tmp_path


def a_row(result):
    return result.species.set_index("species").loc["A"]


def test_baseline(world):
    row = a_row(run(scenario(world, "base")))
    assert (row["range_ha"], row["protected_ha"]) == pytest.approx((50_000, 22_500))


def test_overlapping_proposals_count_once(world):
    result = run(scenario(world, "two", ADD_P1 + ADD_P2))
    ops = result.operations[result.operations["species"] == "A"].set_index("step")
    # p1 (x 5–15) overlaps site 1 (x 0–10): only x 10–15 is new; p2 (x 10–20) then adds x 15–20
    assert ops.loc[1, "designated_ha"] == pytest.approx(5_000) and ops.loc[1, "range_gain_ha"] == pytest.approx(5_000)
    assert ops.loc[2, "designated_ha"] == pytest.approx(5_000) and ops.loc[
        2, "range_ha_per_ha_designated"
    ] == pytest.approx(1.0)
    assert a_row(result)["delta_ha"] == pytest.approx(10_000)
    b = result.operations[result.operations["species"] == "B"]
    assert (b["range_gain_ha"] == 0).all()


def test_expansion_by_polygon_overlapping_a_neighbour(world):
    ops = '[[operations]]\nop = "expand"\nsite = 2\nby = "x2"\n'
    result = run(scenario(world, "grow", ops))
    # x2 is x 38–42, y 0–4: x 38–40 is site 2 already, x 41–42 is site 3: only x 40–41 (400 ha) is new
    assert a_row(result)["delta_ha"] == pytest.approx(400)
    assert result.operations["designated_ha"].iloc[0] == pytest.approx(400)


def test_expansion_by_buffer(world):
    ops = '[[operations]]\nop = "expand"\nsite = 1\nbuffer_m = 1000\n'
    result = run(scenario(world, "buffer", ops))
    ring_km2 = 4 * 10 * 1 + 128 * math.sin(2 * math.pi / 256)  # four strips, corners of a 256-gon (≈ π)
    assert result.operations["designated_ha"].iloc[0] == pytest.approx(ring_km2 * 100, rel=1e-4)
    assert a_row(result)["delta_ha"] == pytest.approx(1_000, rel=1e-5)  # only the strip x 10–11 lies in the range


def test_partial_and_whole_removal(world):
    part = run(scenario(world, "cut", '[[operations]]\nop = "remove"\nsite = 1\npolygon = "cut.gpkg"\n'))
    assert a_row(part)["delta_ha"] == pytest.approx(-400, rel=1e-5)
    whole = run(scenario(world, "gone", '[[operations]]\nop = "remove"\nsite = 2\n'))
    assert a_row(whole)["delta_ha"] == pytest.approx(-10_000)
    assert whole.operations["designated_ha"].iloc[0] == pytest.approx(-10_000)


def test_add_then_remove_equals_baseline(world):
    ops = ADD_P1 + '[[operations]]\nop = "remove"\nsite = 901\n'
    assert a_row(run(scenario(world, "undo", ops)))["protected_ha"] == pytest.approx(22_500)


def test_as_of_and_compare_against_first(world):
    old = run(scenario(world, "old", baseline_extra="as_of = 1999"))
    assert a_row(old)["protected_ha"] == 0
    table = compare([run(scenario(world, "base")), old]).set_index(["scenario", "species"])
    assert table.loc[("old", "A"), "delta_ha"] == pytest.approx(-22_500)
    assert table.loc[("old", "A"), "delta_pp"] == pytest.approx(-45.0)


def test_proposals_id_field_is_used_and_found_in_any_case(tmp_path):
    """Issue 16 item 17: [proposals] id_field = "name" (a field pacov reads as NAME): adding "Alpha", a 10 km
    square at x 60–70 km outside every site, designates 10,000 ha and protects none of range A (x 0–50)."""
    write_world(tmp_path)
    named = sites([{"WDPAID": 950, "NAME": "Alpha", "STATUS": "Proposed", "geometry": square(60, 0, 10)}], crs=CRS)
    named.rename(columns={"NAME": "name"}).to_file(tmp_path / "named.gpkg")
    path = tmp_path / "named.toml"
    path.write_text(
        '[baseline]\nprotected = "pa.gpkg"\nranges = "ranges.gpkg"\n[proposals]\nlayer = "named.gpkg"\n'
        'id_field = "name"\n[[operations]]\nop = "add"\nids = ["Alpha"]\n',
        encoding="utf-8",
    )
    ops = run(path).operations.set_index("species")
    assert ops.loc["A", "designated_ha"] == pytest.approx(10_000, rel=1e-5)
    assert ops.loc["A", "range_gain_ha"] == pytest.approx(0, abs=1e-6)
