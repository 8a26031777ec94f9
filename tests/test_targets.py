import numpy as np
import pytest

from pacov.analyses.targets import rodrigues_target_ha, species_protection_score


def test_rodrigues_breakpoints_and_cap():
    km2 = np.array([500, 1_000, 250_000, 1_000_000, 20_000_000])
    fraction = rodrigues_target_ha(km2 * 100) / (km2 * 100)
    assert fraction[:4] == pytest.approx([1.0, 1.0, 0.10, 0.10])
    assert rodrigues_target_ha(20_000_000 * 100) == pytest.approx(1_000_000 * 100)  # capped at 1e6 km²
    # log-linear: at the geometric midpoint of 1,000 and 250,000 km² the target is 55%
    mid = np.sqrt(1_000 * 250_000)
    assert rodrigues_target_ha(mid * 100) / (mid * 100) == pytest.approx(0.55)


def test_species_protection_score():
    assert species_protection_score(5_000 * 100, 5_000 * 100) == pytest.approx(100)
    assert species_protection_score(5_000 * 100, 2_500 * 100) == pytest.approx(50)
    assert species_protection_score(300_000 * 100, 45_000 * 100) == pytest.approx(100)  # T = 15%
    assert species_protection_score(300_000 * 100, 22_500 * 100) == pytest.approx(50)
    mid = np.sqrt(10_000 * 250_000)  # T = 57.5% at the geometric midpoint
    assert species_protection_score(mid * 100, 0.575 * mid * 100) == pytest.approx(100)
    assert species_protection_score(0, 0) == 0


def test_targets_exactly_at_the_breakpoints_and_caps():
    """Hand values at the breakpoints, to 1e-12 (mutation testing: constants off by one survived 1e-6)."""
    from pacov.analyses.targets import sps_target_share

    assert rodrigues_target_ha(20_000_000 * 100) == pytest.approx(1e8, rel=1e-12)  # 1,000,000 km² cap
    assert rodrigues_target_ha([250_000 * 100, 1_000 * 100]) == pytest.approx([2.5e6, 1e5], rel=1e-12)
    assert sps_target_share([250_000 * 100, 10_000 * 100, 1e9]) == pytest.approx([0.15, 1.0, 0.15], rel=1e-12)
    assert species_protection_score([5_000 * 100, 300_000 * 100], [6_000 * 100, 90_000 * 100]).tolist() == [100, 100]
    assert species_protection_score(300_000 * 100, 4_500 * 100) == pytest.approx(10, rel=1e-12)
