"""The national Species Protection Index (Map of Life): species' protection scores weighted by stewardship.

SPI = Σ_s w_s · SPS_s / Σ_s w_s, with SPS_s the national Species Protection Score (0–100, capped at
100: the share of the species' national range protected against the target share set by its
*global* range size, analyses/targets.py) and w_s the country's stewardship of the species, the
share of its global range inside the country (country endemics weigh most). pacov knows both areas
when global ranges are clipped to the study's outline (``--clip``: ``range_outside_ha``); with
national ranges only, stewardship is unknown and only the unweighted mean is given. docs/gbf.md
cites the definitions.
"""

import numpy as np

from pacov.analyses.targets import species_protection_score


def species_scores(species):
    """Per species: range_ha (national), global_range_ha, stewardship (NaN when unknown) and national sps.

    ``species``: a coverage table (species, range_ha, protected_ha; range_outside_ha when clipped).
    """
    out = species[["species", "range_ha", "protected_ha"]].copy()
    known = "range_outside_ha" in species.columns
    out["global_range_ha"] = out["range_ha"] + species["range_outside_ha"].fillna(0.0) if known else np.nan
    out["stewardship"] = out["range_ha"] / out["global_range_ha"] if known else np.nan
    out["sps"] = species_protection_score(
        out["range_ha"], out["protected_ha"], out["global_range_ha"] if known else None
    )
    return out


def species_protection_index(species):
    """{spi (stewardship-weighted, NaN when unknown), spi_unweighted, n_species, stewardship}."""
    scores = species_scores(species)
    weights = scores["stewardship"]
    known = weights.notna().all() and weights.sum() > 0
    return {
        "spi": float((weights * scores["sps"]).sum() / weights.sum()) if known else np.nan,
        "spi_unweighted": float(scores["sps"].mean()) if len(scores) else np.nan,
        "n_species": len(scores),
        "stewardship": stewardship_note(weights) if known else "unknown (national ranges)",
    }


def stewardship_note(weights):
    """What the weights rest on. Ranges that all lie inside the study area weigh 1 each: right for
    endemics, but a national range layer looks the same, so the note says so rather than 'known'."""
    if (weights >= 1 - 1e-9).all():
        return "1 for every species: every range lies inside the study area (endemics, or national ranges)"
    return "known (global ranges clipped to the study area)"
