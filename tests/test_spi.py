"""The national Species Protection Index (issue 27, item 3), by hand.

A country 100 × 100 km. Species A: a 50 × 50 km range wholly inside (stewardship 1.0), wholly
protected: SPS 100. Species B: a 40 × 40 km range (1,600 km²) of which x 90–100 km, 400 km², is
inside (stewardship 0.25); 160 km² of that is protected: 40% of the national range against a target
of 100% (global range under 10,000 km²), SPS 40. SPI = (1.0·100 + 0.25·40) / (1.0 + 0.25) = 88;
the unweighted mean is 70.
"""

import math

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from conftest import EQUAL_AREA, KM, ranges, sites, square
from pacov.analyses.spi import species_protection_index, species_scores
from pacov.engine.analysis import analyse


def layers():
    protected = sites(
        [
            {"WDPAID": 1, "geometry": square(0, 0, 50)},
            {"WDPAID": 2, "geometry": box(90 * KM, 60 * KM, 100 * KM, 76 * KM)},
        ]
    )
    rng = ranges(
        [
            {"sci_name": "A", "geometry": square(0, 0, 50)},
            {"sci_name": "B", "geometry": box(90 * KM, 60 * KM, 130 * KM, 100 * KM)},
        ]
    )
    country = gpd.GeoDataFrame(geometry=[square(0, 0, 100)], crs=EQUAL_AREA)
    return protected, rng, country


def test_stewardship_weighted_spi_from_clipped_global_ranges():
    protected, rng, country = layers()
    result = analyse(protected, rng, crs=EQUAL_AREA, clip=("country", country))
    scores = species_scores(result.species).set_index("species")
    assert scores["stewardship"].tolist() == pytest.approx([1.0, 0.25])
    assert scores["sps"].tolist() == pytest.approx([100, 40])
    spi = species_protection_index(result.species)
    assert spi["spi"] == pytest.approx((1.0 * 100 + 0.25 * 40) / (1.0 + 0.25))
    assert spi["spi"] == pytest.approx(88) and spi["spi_unweighted"] == pytest.approx(70)
    assert spi["stewardship"].startswith("known") and spi["n_species"] == 2


def test_national_ranges_only_stewardship_unknown_unweighted_mean_beside():
    protected, rng, _ = layers()
    spi = species_protection_index(analyse(protected, rng, crs=EQUAL_AREA).species)
    assert math.isnan(spi["spi"]) and spi["stewardship"].startswith("unknown")
    assert spi["spi_unweighted"] == pytest.approx((100 + 10) / 2)  # B: 160 of 1,600 km² as given


def test_national_sps_target_follows_the_global_range_size():
    """1,000 km² in the country, of a 1,000,000 km² range: target 15% (over 250,000 km²), so 150 km²
    protected is SPS 100; against its national size alone (target 100%) it would be 15."""
    table = pd.DataFrame(
        {"species": ["C"], "range_ha": [100_000.0], "protected_ha": [15_000.0], "range_outside_ha": [99_900_000.0]}
    )
    assert species_scores(table)["sps"].iloc[0] == pytest.approx(100)
    assert species_scores(table.drop(columns="range_outside_ha"))["sps"].iloc[0] == pytest.approx(15)


def test_ranges_wholly_inside_the_study_area_are_not_called_known_stewardship():
    """Clipped ranges that lose nothing weigh 1 each: the note says why, since national ranges look the same."""
    table = pd.DataFrame(
        {"species": ["A", "B"], "range_ha": [100.0, 50.0], "protected_ha": [100.0, 0.0], "range_outside_ha": [0.0, 0.0]}
    )
    spi = species_protection_index(table)
    assert spi["stewardship"].startswith("1 for every species") and spi["spi"] == pytest.approx(spi["spi_unweighted"])
