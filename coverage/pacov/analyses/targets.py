"""Representation targets scaled by range size.

Rodrigues et al. (2004): 100% of ranges under 1,000 km², 10% of ranges over 250,000 km², log-linear
in between, target area capped at 1,000,000 km². Map of Life's Species Protection Score:
SPS = min(100, 100·P / (T·R)) with T 100% under 10,000 km², 15% over 250,000 km², log-linear between.
"""

import numpy as np

HA_PER_KM2 = 100.0


def log_linear(range_km2, small_km2, small_pct, large_km2, large_pct):
    """Target fraction: ``small_pct`` below ``small_km2``, ``large_pct`` above ``large_km2``, log-linear between."""
    r = np.clip(np.asarray(range_km2, dtype=float), small_km2, large_km2)
    t = (np.log10(r) - np.log10(small_km2)) / (np.log10(large_km2) - np.log10(small_km2))
    return (small_pct + t * (large_pct - small_pct)) / 100.0


def rodrigues_target_ha(range_ha):
    """Target area in hectares (Rodrigues et al. 2004), capped at 1,000,000 km²."""
    range_km2 = np.asarray(range_ha, dtype=float) / HA_PER_KM2
    fraction = log_linear(range_km2, 1_000, 100, 250_000, 10)
    return np.minimum(fraction * range_km2, 1_000_000) * HA_PER_KM2


def sps_target_share(range_ha):
    """Map of Life's target share for the SPS (100% under 10,000 km², 15% over 250,000 km²)."""
    return log_linear(np.asarray(range_ha, dtype=float) / HA_PER_KM2, 10_000, 100, 250_000, 15)


def species_protection_score(range_ha, protected_ha, global_range_ha=None):
    """Map of Life's SPS (0–100) of ``protected_ha`` out of ``range_ha``.

    The target share follows the species' *global* range size when given (a national SPS: the share
    of the global target a country reaches on its part of the range), else ``range_ha``'s own.
    """
    range_km2 = np.asarray(range_ha, dtype=float) / HA_PER_KM2
    target = sps_target_share(range_ha if global_range_ha is None else global_range_ha)
    with np.errstate(divide="ignore", invalid="ignore"):
        score = 100 * (np.asarray(protected_ha, dtype=float) / HA_PER_KM2) / (target * range_km2)
    return np.minimum(100.0, np.nan_to_num(score))
