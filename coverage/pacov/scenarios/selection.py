"""``scenario optimize`` as one library call: the best set of candidates within a budget, beside greedy.

The choices a planner makes on the command line (budget, targets, locks, weights, a connectivity bonus)
become one :class:`Selection`, whose tables the CLI only prints.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from pacov.engine.overlay import RangeOverlay
from pacov.errors import PacovError
from pacov.scenarios.planning import (
    Optimum,
    Units,
    gain,
    greedy,
    optimize,
    planning_units,
    shortfall_left,
    species_weights,
    spent,
    weights_for,
)
from pacov.scenarios.run import prepare, state_coverage


@dataclass
class Selection:
    """The optimum and the greedy set (candidate indices) for one budget, and what they were chosen by."""

    units: Units
    weights: np.ndarray
    budget: float
    by_area: bool  # the budget counts hectares designated, not the candidates' costs
    best: Optimum
    greedy: set
    shortfall: list | None = None  # hectares each species still needs for its target, when targets are given
    links: np.ndarray | None = None  # new links per candidate, with a connectivity weight

    def candidates(self):
        """Per candidate: its cost, whether the optimum and greedy choose it (and its new links)."""
        n = len(self.units.labels)
        table = pd.DataFrame(
            {
                "candidate": self.units.labels,
                "cost": self.units.cost,
                "optimal": [i in self.best.chosen for i in range(n)],
                "greedy": [i in self.greedy for i in range(n)],
            }
        )
        if self.links is not None:
            table.insert(2, "new_links", self.links)
        return table

    def summary(self):
        """Per method: what it spends and gains, and how far below the optimum (or the shortfall it leaves)."""
        chosen = (self.best.chosen, self.greedy)
        greedy_gain = gain(self.units, self.greedy, self.weights)
        table = pd.DataFrame(
            {
                "method": ["optimal (MILP)", "greedy"],
                "spent": [spent(self.units, c, self.by_area) for c in chosen],
                "gain_ha": [self.best.objective, greedy_gain],
            }
        )
        if self.shortfall is None:
            below = 1 - greedy_gain / self.best.objective if self.best.objective else 0.0
            table["share_below_optimum"] = [self.best.gap, below]
        else:
            table["shortfall_left_ha"] = [shortfall_left(self.units, c, self.weights, self.shortfall) for c in chosen]
        return table

    def record(self):
        """The selection as one JSON-ready record (hectares to 0.01 ha)."""
        labels = self.units.labels
        out = {
            "budget": self.budget,
            "status": self.best.status,
            "optimality_gap": self.best.gap,
            "chosen": [labels[i] for i in sorted(self.best.chosen)],
            **({"new_links": dict(zip(labels, self.links.tolist()))} if self.links is not None else {}),
            "greedy": [labels[i] for i in sorted(self.greedy)],
            "gain_ha": round(self.best.objective, 2),
            "greedy_gain_ha": round(gain(self.units, self.greedy, self.weights), 2),
        }
        if self.shortfall is not None:
            out["shortfall_left_ha"] = self.summary()["shortfall_left_ha"].round(2).tolist()
        return out


def select(scenario, budget, by_area, targets=None, lock_in=(), lock_out=(), species=(), weights=None, bonus=None,
           crs=None):  # fmt: skip
    """The best subset of a scenario's candidates within ``budget`` (HiGHS MILP), and greedy's.

    ``targets`` (species → share 0–1): minimise the weighted shortfall left instead of maximising the gain.
    ``lock_in``/``lock_out``: parts of candidate labels. ``species``/``weights``: see planning.species_weights.
    ``bonus``: (weight, distance in m) adds the weight per new link a candidate makes (connectivity_gain).
    ``scenario``: a file or a loaded Scenario, computed in ``crs`` (default: chosen from the data).
    """
    if budget < 0:
        raise PacovError(f"the budget must not be negative (got {budget:g})")
    prep = prepare(scenario, crs)
    units = planning_units(prep)
    w = species_weights(units, species, weights)
    shortfall = target_shortfall(prep, units, targets) if targets else None
    ins, outs = candidate_indices(units, lock_in, "--lock-in"), candidate_indices(units, lock_out, "--lock-out")
    links = None
    if bonus is not None:
        from pacov.analyses.connectivity import check_distances
        from pacov.scenarios.connectivity_gain import new_links

        links = new_links(units, check_distances([bonus[1]])[0])
    best = optimize(units, w, budget, ins, outs, shortfall, by_area, None if links is None else bonus[0] * links)
    heuristic = greedy(units, w, budget, ins, outs, shortfall, by_area)
    return Selection(units, w, budget, by_area, best, heuristic, shortfall, links)


def target_shortfall(prep, units, targets):
    """Hectares each species still needs to reach its target share, after the scenario's removals."""
    for name, share in targets.items():
        if not 0 <= share <= 1:
            raise PacovError(f"--target {name}={share:g}: a share is between 0 and 1 (0.8 for 80%)")
    weights_for(units, targets)  # an unknown species is an error
    situation, _ = state_coverage(RangeOverlay(prep.parts), units.sites)
    base = situation.set_index("species")
    return [
        max(0.0, targets[s] * base.at[s, "range_ha"] - base.at[s, "protected_ha"]) if s in targets else 0.0
        for s in units.species
    ]


def candidate_indices(units, names, option):
    """The index of the one candidate each of ``names`` (part of a label, any case) matches."""
    found = []
    for name in names:
        matches = [i for i, label in enumerate(units.labels) if name.lower() in label.lower()]
        if len(matches) != 1:
            raise PacovError(
                f"{option} {name}: matches {len(matches)} candidates; candidates: {', '.join(units.labels)}"
            )
        found.append(matches[0])
    return found
