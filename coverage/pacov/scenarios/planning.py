"""Choose among candidate areas: marginal gains, a greedy order, and the exact best subset (MILP).

Candidates are a scenario's ``add`` and ``expand`` operations. The land they could newly protect is
cut into planning units: the faces of the arrangement of candidate boundaries, less what is already
protected. A unit is protected when any candidate covering it is chosen, so the value of a set of
candidates is additive over units — which makes "added last" gains exact and the selection a
maximum-coverage mixed-integer programme, solved with HiGHS through ``scipy.optimize.milp``.
"""

import contextlib
import os
import sys
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

BUDGET_TOLERANCE = 1e-6  # relative: a budget is met within 0.01 ha at 10,000 ha (reprojection noise)
SHOWN_ROUNDING = 0.005  # and within half the last digit the tables show (0.01) per candidate chosen, so a budget
# typed from them (one figure, or the sum of several) affords them


@dataclass
class Units:
    """Planning units: which candidates cover each, its newly designated hectares and range hectares per species."""

    labels: list  # candidate labels
    cost: np.ndarray  # per candidate: the operation's cost, or the hectares it designates alone
    cover: np.ndarray  # bool, units × candidates
    value: np.ndarray  # ha, units × species
    species: list
    area: np.ndarray | None = None  # ha newly designated per unit (not yet protected): a set's exact designated ha
    sites: object = None  # the situation the candidates are chosen in: the baseline after removals, unflattened
    faces: np.ndarray | None = None  # the units' geometries (equal-area CRS), for maps and GeoPackages
    crs: object = None
    candidates: np.ndarray | None = None  # each candidate's geometry (equal-area CRS)


def situation(prep):
    """The baseline sites after the scenario's removals (part of the situation, not choices), and the sites
    each candidate may refer to: those plus every earlier add, so an expansion of an added site is known."""
    sc, sites = prep.scenario, prep.sites
    for step, op in enumerate(sc.operations, start=1):
        if op.op == "remove":
            sites = apply(op, sites, prep.cache, sc, f"scenario {sc.path}: operation {step}")
    return sites


def planning_units(prep):
    """Build planning units for a prepared scenario (see scenarios.prepare)."""
    sc = prep.scenario
    sites = situation(prep)
    candidates = [(op, step) for step, op in enumerate(sc.operations, start=1) if op.op != "remove"]
    if not candidates:
        raise PacovError(f"scenario {sc.path}: no add or expand operation to choose from")
    known, geoms = sites, []
    for op, step in candidates:
        where = f"scenario {sc.path}: operation {step}"
        geoms.append(candidate_geometry(op, known, prep.cache, sc, where))
        if op.op == "add":  # later expansions may name a site this add brings in
            known = apply(op, known, prep.cache, sc, where)
    geoms = np.array(geoms, dtype=object)
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
    area = shapely.area(faces) / M2_PER_HA
    cost = np.array(
        [op.cost if op.cost is not None else area[cover[:, k]].sum() for k, (op, _) in enumerate(candidates)]
    )
    labels = [op.label for op, _ in candidates]
    return Units(labels, cost, cover, value, list(ranges["sci_name"]), area, sites, faces, sites.crs, geoms)


def species_weights(units, species=(), weights=None):
    """Species weights as an array: 1 each (1 for ``species`` and 0 for the rest, when given), then ``weights``
    (name → weight) for the species they name; the others keep theirs. An unknown species is an error."""
    return weights_for(units, {**dict.fromkeys(species or units.species, 1.0), **(weights or {})})


def weights_for(units, weights):
    """Species weights as an array (0 for a species ``weights`` leaves out); unknown species are an error."""
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


def covered_by(units, chosen):
    """Bool per unit: covered by one of the candidate indices ``chosen``."""
    return units.cover[:, sorted(chosen)].any(axis=1) if chosen else np.zeros(len(units.cover), bool)


def gain(units, chosen, w):
    """Weighted range hectares newly protected by the set of candidate indices ``chosen``."""
    return float((units.value[covered_by(units, chosen)] @ w).sum())


def shortfall_left(units, chosen, w, shortfall):
    """Weighted hectares still missing from the species' targets once ``chosen`` is designated."""
    gained = units.value[covered_by(units, chosen)].sum(axis=0)
    return float(np.maximum(0.0, np.asarray(shortfall, dtype=float) - gained) @ w)


def score(units, chosen, w, shortfall=None):
    """What the choice maximises: the weighted gain, or (with targets) minus the shortfall left."""
    return gain(units, chosen, w) if shortfall is None else -shortfall_left(units, chosen, w, shortfall)


def spent(units, chosen, by_area=False):
    """A set's cost: the hectares it designates together (overlaps once), or the sum of its costs."""
    if by_area:
        return float(units.area[covered_by(units, chosen)].sum())
    return float(units.cost[sorted(chosen)].sum())


def budget_limit(budget, chosen=1):
    """What a budget affords ``chosen`` candidates: itself, plus BUDGET_TOLERANCE (relative, reprojection noise) and
    SHOWN_ROUNDING for each (a cost of 378.8104 shows as 378.81, and a planner who types 378.81, or the sum of the
    costs shown for several candidates, means those candidates)."""
    return budget * (1 + BUDGET_TOLERANCE) + SHOWN_ROUNDING * max(chosen, 1)


def affordable(amount, budget, chosen=1):
    """Within the budget (see budget_limit), so a budget equal to the areas the tables show affords them."""
    return amount <= budget_limit(budget, chosen)


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


def greedy(units, w, budget, lock_in=(), lock_out=(), shortfall=None, by_area=False):
    """Greedy by improvement per cost within the budget: the usual heuristic, to compare with the optimum."""
    chosen = set(lock_in)
    while True:
        options = [
            c
            for c in range(len(units.labels))
            if c not in chosen
            and c not in lock_out
            and affordable(spent(units, chosen | {c}, by_area), budget, len(chosen) + 1)
        ]
        if not options:
            return chosen
        base, cost_now = score(units, chosen, w, shortfall), spent(units, chosen, by_area)
        best = max(
            options,
            key=lambda c: (
                per_cost(
                    score(units, chosen | {c}, w, shortfall) - base,  # noqa: B023 (used at once, in this loop)
                    spent(units, chosen | {c}, by_area) - cost_now,  # noqa: B023
                ),
                -c,
            ),
        )
        if score(units, chosen | {best}, w, shortfall) - base <= 0:
            return chosen
        chosen.add(best)


@dataclass
class Optimum:
    chosen: set
    objective: float
    gap: float
    status: str


def optimize(units, w, budget, lock_in=(), lock_out=(), shortfall=None, by_area=False, bonus=None):
    """Exact best subset within ``budget`` (HiGHS MILP).

    Default: maximise weighted range hectares, Σ_u value_u·y_u with y_u ≤ Σ_{c covers u} x_c.
    With ``shortfall`` (hectares still needed per species to reach its target): minimise the
    weighted remaining shortfall instead. ``by_area``: the budget bounds the hectares designated,
    Σ_u area_u·z_u with z_u ≥ x_c for every c covering u (overlapping candidates count once), on
    the baseline after the removals, as ``cost`` is; otherwise it bounds Σ cost_c·x_c. ``bonus`` (per candidate, in the
    objective's units) is added for each candidate chosen: a linear surrogate for what hectares miss,
    such as connectivity. Ties go to the cheaper set.
    """
    n_c, n_u, n_s = len(units.labels), len(units.cover), len(units.species)
    if not affordable(spent(units, set(lock_in), by_area), budget, len(lock_in)):
        raise PacovError(
            f"the locked-in candidates cost {spent(units, set(lock_in), by_area):,.0f}, "
            f"more than the budget {budget:,.0f}"
        )
    n_short = n_s if shortfall is not None else 0
    n_z = n_u if by_area else 0
    pairs = np.argwhere(units.cover) if by_area else np.zeros((0, 2), int)  # (unit, candidate)
    n_var = n_c + n_u + n_short + n_z
    z0 = n_c + n_u + n_short
    c = np.zeros(n_var)
    if by_area:
        c[z0:] = 1e-6 * units.area
    else:
        c[:n_c] = 1e-6 * units.cost
    if bonus is not None:
        c[:n_c] -= np.asarray(bonus, dtype=float)  # minimised either way: a bonus lowers the cost of choosing
    if shortfall is None:
        c[n_c : n_c + n_u] = -(units.value @ w)
    else:
        c[n_c + n_u : z0] = w
    rows = lil_matrix((n_u + 1 + n_short + len(pairs), n_var))
    for u in range(n_u):
        rows[u, n_c + u] = 1.0
        for k in np.flatnonzero(units.cover[u]):
            rows[u, k] = -1.0
    if by_area:
        rows[n_u, z0:] = units.area
        rows[n_u, :n_c] = -SHOWN_ROUNDING  # each candidate chosen is allowed its half of the last digit shown
    else:
        rows[n_u, :n_c] = units.cost - SHOWN_ROUNDING
    upper = [np.zeros(n_u), [budget * (1 + BUDGET_TOLERANCE)]]  # budget_limit, the rounding moved to each x_c
    if shortfall is not None:  # -Σ_u a_us y_u - short_s ≤ -needed_s
        for s_ in range(n_s):
            rows[n_u + 1 + s_, n_c : n_c + n_u] = -units.value[:, s_]
            rows[n_u + 1 + s_, n_c + n_u + s_] = -1.0
        upper.append(-np.asarray(shortfall, dtype=float))
    for i, (u, k) in enumerate(pairs):  # x_c - z_u ≤ 0
        rows[n_u + 1 + n_short + i, k] = 1.0
        rows[n_u + 1 + n_short + i, z0 + u] = -1.0
    upper.append(np.zeros(len(pairs)))
    lower_x, upper_x = np.zeros(n_c), np.ones(n_c)
    lower_x[list(lock_in)], upper_x[list(lock_out)] = 1.0, 0.0
    with solver_output_to_stderr():
        result = milp(
            c,
            constraints=LinearConstraint(rows.tocsr(), -np.inf, np.concatenate(upper)),
            integrality=np.concatenate([np.ones(n_c), np.zeros(n_u + n_short + n_z)]),
            bounds=Bounds(
                np.concatenate([lower_x, np.zeros(n_u + n_short + n_z)]),
                np.concatenate([upper_x, np.ones(n_u), np.full(n_short, np.inf), np.ones(n_z)]),
            ),
            options={"mip_rel_gap": 0.0},
        )
    if result.x is None:
        raise PacovError(f"the optimiser found no solution ({result.message})")
    chosen = {k for k in range(n_c) if result.x[k] > 0.5}
    gap = getattr(result, "mip_gap", 0.0) or 0.0
    return Optimum(chosen, gain(units, chosen, w), float(gap), result.message)


@contextlib.contextmanager
def solver_output_to_stderr():
    """HiGHS writes debug lines to file descriptor 1 from C; send them to stderr so stdout stays parseable."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        os.dup2(2, 1)
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)
