"""Candidate selection: known gains on geometry, and the MILP against brute force (hypothesis)."""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pacov.scenarios.planning import Units, gain, greedy, optimize, planning_units, rank
from pacov.scenarios.run import prepare
from scenario_helpers import scenario, write_world

OPS = (
    '[[operations]]\nop = "add"\nids = ["p1"]\n[[operations]]\nop = "add"\nids = ["p2"]\n'
    '[[operations]]\nop = "expand"\nsite = 2\nby = "x2"\n[[operations]]\nop = "remove"\nsite = 3\n'
)


def test_units_alone_last_and_greedy_on_geometry(tmp_path):
    write_world(tmp_path)
    units = planning_units(prepare(scenario(tmp_path, "choose", OPS)))
    assert units.labels == ["add p1", "add p2", "expand 2 by x2"]
    table = rank(units, np.array([1.0, 0.0])).set_index("candidate")  # species A only
    # p1 alone adds x 10–15 (5,000 ha); p2 alone x 10–20 (10,000); both overlap on x 10–15
    assert table.loc["add p1", "alone_ha"] == pytest.approx(5_000, rel=1e-5)
    assert table.loc["add p2", "alone_ha"] == pytest.approx(10_000, rel=1e-5)
    assert table.loc["add p1", "added_last_ha"] == pytest.approx(0, abs=1e-3)
    assert table.loc["add p2", "added_last_ha"] == pytest.approx(5_000, rel=1e-5)
    # site 3 was removed first, so x2 (x 38–42, y 0–4) adds x 40–42: 800 ha
    assert table.loc["expand 2 by x2", "alone_ha"] == pytest.approx(800, rel=1e-5)
    assert table.loc["add p2", "greedy_rank"] == 1
    best = optimize(units, np.array([1.0, 0.0]), budget=11_000)
    assert [units.labels[i] for i in sorted(best.chosen)] == ["add p2"] and best.gap == 0


def brute_force(units, w, budget, lock_out=()):
    """The best gain by enumerating every affordable subset (the reference for small instances)."""
    free = [c for c in range(len(units.labels)) if c not in lock_out]
    best = -1.0
    for r in range(len(free) + 1):
        for chosen in itertools.combinations(free, r):
            if units.cost[list(chosen)].sum() <= budget + 1e-9:
                best = max(best, gain(units, set(chosen), w))
    return best


def units_strategy():
    def build(n_c, n_u, n_s, seed):
        rng = np.random.default_rng(seed)
        cover = rng.random((n_u, n_c)) < 0.4
        cover[np.arange(n_u), rng.integers(0, n_c, n_u)] = True
        return Units(
            [f"c{i}" for i in range(n_c)],
            rng.uniform(1, 10, n_c).round(2),
            cover,
            rng.uniform(0, 100, (n_u, n_s)).round(2),
            [f"s{i}" for i in range(n_s)],
        )

    return st.builds(build, st.integers(1, 7), st.integers(1, 12), st.integers(1, 3), st.integers(0, 2**32 - 1))


@settings(max_examples=60, deadline=None)
@given(units_strategy(), st.floats(0, 40), st.data())
def test_milp_matches_brute_force(units, budget, data):
    w = np.ones(len(units.species))
    n = len(units.labels)
    lock_out = data.draw(st.sets(st.integers(0, n - 1), max_size=1))
    best = optimize(units, w, budget, lock_out=lock_out)
    expected = brute_force(units, w, budget, lock_out=lock_out)
    assert best.objective == pytest.approx(expected, abs=1e-6 * budget + 1e-6)
    assert units.cost[list(best.chosen)].sum() <= budget + 1e-6 and not (best.chosen & lock_out)
    assert gain(units, greedy(units, w, budget, lock_out=lock_out), w) <= best.objective + 1e-6


def test_lock_in_and_shortfall():
    units = Units(
        ["a", "b", "c"],
        np.array([1.0, 1.0, 1.0]),
        np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1]], dtype=bool),
        np.array([[10.0, 0.0], [0.0, 6.0], [0.0, 5.0]]),
        ["s0", "s1"],
    )
    w = np.ones(2)
    assert optimize(units, w, 1).chosen == {0}
    assert optimize(units, w, 1, lock_in=[2]).chosen == {2}
    # s1 needs 6 ha more, s0 nothing: minimising the shortfall picks b, not the bigger a
    assert optimize(units, w, 1, shortfall=[0.0, 6.0]).chosen == {1}
