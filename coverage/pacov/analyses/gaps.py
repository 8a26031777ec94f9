"""Gap analysis: each species' protected area against a target scaled by its range size."""

import numpy as np

from pacov.analyses.targets import rodrigues_target_ha, species_protection_score

SHORTFALL_TOLERANCE = 1e-6  # relative to the target: intersection and reprojection noise, not a shortfall


def gap_table(species):
    """Add targets, shortfall and a status (gap / partial gap / target met) to a species coverage table."""
    out = species[["species", "range_ha", "protected_ha", "protected_share"]].copy()
    out["target_ha"] = rodrigues_target_ha(out["range_ha"])
    out["target_share"] = np.where(out["range_ha"] > 0, out["target_ha"] / out["range_ha"], 0.0)
    shortfall = out["target_ha"] - out["protected_ha"]
    out["shortfall_ha"] = np.where(shortfall > SHORTFALL_TOLERANCE * out["target_ha"], shortfall, 0.0)
    out["sps"] = species_protection_score(out["range_ha"], out["protected_ha"]).round(2)
    out["status"] = np.select(
        [out["protected_ha"] <= 0, out["shortfall_ha"] > 0], ["gap species", "partial gap"], "target met"
    )
    return out
