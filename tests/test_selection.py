"""``scenario optimize`` as a library call (scenarios/selection.py), on the hand-computable optimiser world.

Site 1 = x 0–10 km of range A (x 0–100 km, 100,000 ha); q1, q2, q3 = 10,000 ha of A each at x 20, 40, 60 km;
b1 = 20,000 ha of range B, far from all (see test_planning.optimiser_world).
"""

import pytest

from pacov.errors import PacovError
from pacov.scenarios.selection import select
from test_planning import ADD, optimiser_world


@pytest.fixture
def world(tmp_path):
    return optimiser_world(tmp_path, "".join(ADD.format(q, "") for q in ("q1", "q2", "q3", "b1")))


def labels(selection, chosen):
    return sorted(selection.units.labels[i] for i in chosen)


def test_targets_locks_and_the_tables(world):
    """A 30% target for A needs 30,000 − 10,000 = 20,000 ha more: two q squares, 20,000 ha, none of B.
    With q1 locked out and q2 in, the two are q2 and q3."""
    chosen = select(world, 20_001, True, targets={"A": 0.3}, lock_in=["q2"], lock_out=["q1"])
    assert chosen.shortfall == pytest.approx([20_000, 0], rel=1e-5)
    assert labels(chosen, chosen.best.chosen) == ["add q2", "add q3"] == labels(chosen, chosen.greedy)
    table = chosen.candidates().set_index("candidate")
    assert table["optimal"].to_dict() == {"add q1": False, "add q2": True, "add q3": True, "add b1": False}
    assert table["cost"].to_numpy() == pytest.approx([10_000, 10_000, 10_000, 20_000], rel=1e-5)
    summary = chosen.summary()
    assert summary["spent"].to_numpy() == pytest.approx([20_000, 20_000], rel=1e-5)
    assert summary["shortfall_left_ha"].to_numpy() == pytest.approx([0, 0], abs=0.01)
    record = chosen.record()
    assert record["chosen"] == ["add q2", "add q3"] and record["shortfall_left_ha"] == [0, 0]


def test_a_connectivity_bonus_counts_new_links(world):
    """Within 15 km: q1 (x 20–30 km) is 10 km from site 1, the others 30 km or more, so q1 alone makes a link;
    at a 10,001 ha budget its bonus of 100 breaks the tie among the equal squares."""
    chosen = select(world, 10_001, True, bonus=(100.0, 15_000))
    assert chosen.links.tolist() == [1, 0, 0, 0]
    assert labels(chosen, chosen.best.chosen) == ["add q1"]
    assert chosen.candidates()["new_links"].tolist() == [1, 0, 0, 0]


def test_bad_choices_are_errors_before_any_work(world, tmp_path):
    with pytest.raises(PacovError, match="budget must not be negative"):
        select(tmp_path / "no-such.toml", -1, True)  # refused before the scenario is read
    with pytest.raises(PacovError, match="--lock-in q: matches 3 candidates"):
        select(world, 1, True, lock_in=["q"])
    with pytest.raises(PacovError, match="a share is between 0 and 1"):
        select(world, 1, True, targets={"A": 1.5})
