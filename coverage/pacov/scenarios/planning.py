"""Choose among candidate areas: marginal gains, a greedy order, and the exact best subset (MILP).

Candidates are a scenario's ``add`` and ``expand`` operations. The land they could newly protect is
cut into planning units: the faces of the arrangement of candidate boundaries, less what is already
protected. A unit is protected when any candidate covering it is chosen, so the value of a set of
candidates is additive over units — which makes "added last" gains exact and the selection a
maximum-coverage mixed-integer programme, solved with HiGHS through ``scipy.optimize.milp``.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import lil_matrix

from pacov.engine.overlay import M2_PER_HA
from pacov.engine.ranges import dissolve
from pacov.errors import PacovError
from pacov.scenarios.operations import apply, candidate_geometry


@dataclass
class Units:
    """Planning units: which candidates cover each, and each one's range hectares per species."""

    labels: list  # candidate labels
    cost: np.ndarray  # per candidate (ha designated, or the operation's cost)
    cover: np.ndarray  # bool, units × candidates
    value: np.ndarray  # ha, units × species
    species: list
    faces: np.ndarray | None = None  # the units' geometries (equal-area CRS), for maps and GeoPackages
    crs: object = None
    candidates: np.ndarray | None = None  # each candidate's geometry (equal-area CRS)
    sites: object = None  # the protected areas the candidates join (after the scenario's removals), unflattened


def planning_units(prep):
    """Build planning units for a prepared scenario (see scenarios.prepare)."""
    sc, sites = prep.scenario, prep.sites
    for step, op in enumerate(sc.operations, start=1):  # removals are part of the situation, not choices
        if op.op == "remove":
            sites = apply(op, sites, prep.cache, sc, f"scenario {sc.path}: operation {step}")
    candidates = [(op, step) for step, op in enumerate(sc.operations, start=1) if op.op != "remove"]
    if not candidates:
        raise PacovError(f"scenario {sc.path}: no add or expand operation to choose from")
    geoms = np.array(
        [
            candidate_geometry(op, sites, prep.cache, sc, f"scenario {sc.path}: operation {step}")
            for op, step in candidates
        ],
        dtype=object,
    )
    protected = shapely.union_all(sites.geometry.to_numpy())
    faces = shapely.get_parts(
        shapely.polygonize(shapely.get_parts(shapely.union_all(shapely.boundary(geoms[~shapely.is_empty(geoms)]))))
    )
    points = shapely.point_on_surface(faces)
    cover = np.column_stack([shapely.contains(g, points) for g in geoms])
    keep = cover.any(axis=1)
    faces, cover = shapely.difference(faces[keep], protected), cover[keep]
    ranges = dissolve(prep.parts)
    value = np.column_stack(
        [shapely.area(shapely.intersection(faces, r)) / M2_PER_HA for r in ranges.geometry.to_numpy()]
    )
    cost = np.array(
        [op.cost if op.cost is not None else shapely.area(g) / M2_PER_HA for (op, _), g in zip(candidates, geoms)]
    )
    labels = [op.label for op, _ in candidates]
    return Units(labels, cost, cover, value, list(ranges["sci_name"]), faces, sites.crs, geoms, sites)


def weights_for(units, weights):
    """Species weights as an array; unknown species are an error."""
    unknown = set(weights) - set(units.species)
    if unknown:
        raise PacovError(
            f"no species {', '.join(sorted(unknown))} in the ranges; species there: {', '.join(units.species)}"
        )
    return np.array([weights.get(s, 0.0) for s in units.species])


def per_cost(extra, cost):
    """Greedy's score: gain per unit cost; a free candidate with any gain comes first."""
    if cost > 0:
        return extra / cost
    return np.inf if extra > 0 else 0.0


def gain(units, chosen, w):
    """Weighted range hectares newly protected by the set of candidate indices ``chosen``."""
    covered = units.cover[:, sorted(chosen)].any(axis=1) if chosen else np.zeros(len(units.cover), bool)
    return float((units.value[covered] @ w).sum())


def rank(units, w):
    """Per candidate: gain alone, gain when added last, and the greedy order (by gain per cost)."""
    everything = set(range(len(units.labels)))
    alone = [gain(units, {c}, w) for c in everything]
    last = [gain(units, everything, w) - gain(units, everything - {c}, w) for c in everything]
    order, chosen, so_far = {}, set(), 0.0
    while len(chosen) < len(everything):
        best = max(
            sorted(everything - chosen),
            key=lambda c: (per_cost(gain(units, chosen | {c}, w) - so_far, units.cost[c]), -c),
        )
        chosen.add(best)
        order[best] = (len(chosen), gain(units, chosen, w) - so_far)
        so_far = gain(units, chosen, w)
    return pd.DataFrame(
        {
            "candidate": units.labels,
            "cost": units.cost,
            "alone_ha": alone,
            "added_last_ha": last,
            "greedy_rank": [order[c][0] for c in everything],
            "greedy_gain_ha": [order[c][1] for c in everything],
        }
    ).sort_values("greedy_rank", kind="stable")


def greedy(units, w, budget, lock_in=(), lock_out=()):
    """Greedy by gain per cost within the budget: the usual heuristic, to compare with the optimum."""
    chosen = set(lock_in)
    spent = units.cost[list(chosen)].sum()
    while True:
        options = [
            c
            for c in range(len(units.labels))
            if c not in chosen and c not in lock_out and spent + units.cost[c] <= budget + 1e-9
        ]
        if not options:
            return chosen
        base = gain(units, chosen, w)
        best = max(options, key=lambda c: (per_cost(gain(units, chosen | {c}, w) - base, units.cost[c]), -c))
        if gain(units, chosen | {best}, w) - base <= 0:
            return chosen
        chosen.add(best)
        spent += units.cost[best]


@dataclass
class Optimum:
    chosen: set
    objective: float
    gap: float
    status: str


def optimize(units, w, budget, lock_in=(), lock_out=(), shortfall=None, bonus=None):
    """Exact best subset within ``budget`` (HiGHS MILP).

    Default: maximise weighted range hectares, Σ_u value_u·y_u with y_u ≤ Σ_{c covers u} x_c.
    With ``shortfall`` (hectares still needed per species to reach its target): minimise the
    weighted remaining shortfall instead. ``bonus`` (per candidate, in the objective's units) is
    added for each candidate chosen: a linear surrogate for what hectares miss, such as connectivity.
    Ties go to the cheaper set.
    """
    n_c, n_u, n_s = len(units.labels), len(units.cover), len(units.species)
    if units.cost[list(lock_in)].sum() > budget + 1e-9:
        raise PacovError(
            f"the locked-in candidates cost {units.cost[list(lock_in)].sum():,.0f}, more than the budget {budget:,.0f}"
        )
    n_short = n_s if shortfall is not None else 0
    tie = 1e-6 * units.cost
    if bonus is not None:
        tie = tie - np.asarray(bonus, dtype=float)  # minimised either way: a bonus lowers the cost of choosing
    if shortfall is None:
        c = np.concatenate([tie, -(units.value @ w)])
    else:
        c = np.concatenate([tie, np.zeros(n_u), w])
    rows = lil_matrix((n_u + 1 + n_short, n_c + n_u + n_short))
    for u in range(n_u):
        rows[u, n_c + u] = 1.0
        for k in np.flatnonzero(units.cover[u]):
            rows[u, k] = -1.0
    rows[n_u, :n_c] = units.cost
    upper = np.concatenate([np.zeros(n_u), [budget]])
    if shortfall is not None:  # -Σ_u a_us y_u - short_s ≤ -needed_s
        for s_ in range(n_s):
            rows[n_u + 1 + s_, n_c : n_c + n_u] = -units.value[:, s_]
            rows[n_u + 1 + s_, n_c + n_u + s_] = -1.0
        upper = np.concatenate([upper, -np.asarray(shortfall, dtype=float)])
    lower_x, upper_x = np.zeros(n_c), np.ones(n_c)
    lower_x[list(lock_in)], upper_x[list(lock_out)] = 1.0, 0.0
    result = milp(
        c,
        constraints=LinearConstraint(rows.tocsr(), -np.inf, upper),
        integrality=np.concatenate([np.ones(n_c), np.zeros(n_u + n_short)]),
        bounds=Bounds(
            np.concatenate([lower_x, np.zeros(n_u + n_short)]),
            np.concatenate([upper_x, np.ones(n_u), np.full(n_short, np.inf)]),
        ),
        options={"mip_rel_gap": 0.0},
    )
    if result.x is None:
        raise PacovError(f"the optimiser found no solution ({result.message})")
    chosen = {k for k in range(n_c) if result.x[k] > 0.5}
    gap = getattr(result, "mip_gap", 0.0) or 0.0
    return Optimum(chosen, gain(units, chosen, w), float(gap), result.message)
