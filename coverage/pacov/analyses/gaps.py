"""Gap analysis: each species' protected area against a target scaled by its range size."""

import numpy as np

from pacov.analyses.targets import rodrigues_target_ha, species_protection_score, sps_target_share

SHORTFALL_TOLERANCE = 1e-6  # relative to the target: intersection and reprojection noise, not a shortfall


def gap_table(species):
    """Add targets, shortfall and a status (gap / partial gap / target met) to a species coverage table
    (one row per species, or per species and zone: then each zone's part of the range has its own target)."""
    keys = [c for c in species.columns if c not in ("range_ha", "protected_ha", "protected_share")]
    out = species[[*keys, "range_ha", "protected_ha", "protected_share"]].copy()
    out["target_ha"] = rodrigues_target_ha(out["range_ha"])
    out["target_share"] = np.where(out["range_ha"] > 0, out["target_ha"] / out["range_ha"], 0.0)
    shortfall = out["target_ha"] - out["protected_ha"]
    out["shortfall_ha"] = np.where(shortfall > SHORTFALL_TOLERANCE * out["target_ha"], shortfall, 0.0)
    # Map of Life's target, not Rodrigues', set by the global range size when ranges were clipped (--clip)
    global_ha = out["range_ha"] + out["range_outside_ha"].fillna(0.0) if "range_outside_ha" in out else None
    out["sps_target_share"] = sps_target_share(out["range_ha"] if global_ha is None else global_ha)
    out["sps"] = species_protection_score(out["range_ha"], out["protected_ha"], global_ha).round(2)
    out["status"] = np.select(
        [out["protected_ha"] <= 0, out["shortfall_ha"] > 0], ["gap species", "partial gap"], "target met"
    )
    return out
