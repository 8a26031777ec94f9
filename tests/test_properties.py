"""Properties that must hold for any layers (hypothesis): shares, monotonicity, invariances."""

import geopandas as gpd
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import box

from conftest import ranges, sites
from pacov.engine.analysis import analyse

CRS = "+proj=laea +lat_0=45 +lon_0=70 +datum=WGS84 +units=m"
rect = st.builds(
    lambda x, y, w, h: box(x * 1000, y * 1000, (x + w) * 1000, (y + h) * 1000),
    st.integers(-50, 50),
    st.integers(-50, 50),
    st.integers(1, 40),
    st.integers(1, 40),
)
site_rows = st.lists(
    st.tuples(rect, st.sampled_from(["Ia", "II", "IV", "VI", "Not Reported"]), st.integers(1950, 2024)),
    min_size=1,
    max_size=6,
)
range_rows = st.lists(st.tuples(rect, st.sampled_from(["A", "B"])), min_size=1, max_size=4)
SETTINGS = settings(max_examples=40, deadline=None)


def layers(site_list, range_list):
    protected = sites(
        [{"WDPAID": i + 1, "IUCN_CAT": c, "STATUS_YR": y, "geometry": g} for i, (g, c, y) in enumerate(site_list)],
        crs=CRS,
    )
    rng = ranges([{"sci_name": s, "geometry": g} for g, s in range_list], crs=CRS)
    return protected, rng


def table(protected, rng, crs=CRS):
    return analyse(protected, rng, crs=crs).species.set_index("species")


@SETTINGS
@given(site_rows, range_rows)
def test_share_is_a_fraction_and_parts_add_up(site_list, range_list):
    protected, rng = layers(site_list, range_list)
    result = analyse(protected, rng, crs=CRS)
    for row in result.species.itertuples():
        assert 0 <= row.protected_share <= 1 + 1e-12
        assert row.protected_ha <= row.range_ha * (1 + 1e-12)
    by_site = result.by_site.groupby("species")["unique_ha"].sum()
    for row in result.species.itertuples():
        assert by_site.get(row.species, 0.0) == pytest.approx(row.protected_ha, abs=1e-6)


@SETTINGS
@given(site_rows, range_rows, rect)
def test_adding_an_area_never_lowers_coverage(site_list, range_list, extra):
    protected, rng = layers(site_list, range_list)
    before = table(protected, rng)
    more, _ = layers(site_list + [(extra, "VI", 2024)], range_list)
    after = table(more, rng)
    assert (after["protected_ha"] >= before["protected_ha"] - 1e-6).all()


@SETTINGS
@given(site_rows, range_rows, st.randoms(use_true_random=False))
def test_duplicates_and_feature_order_change_nothing(site_list, range_list, random):
    protected, rng = layers(site_list, range_list)
    expected = table(protected, rng)
    doubled = gpd.GeoDataFrame(pd.concat([protected, protected.assign(WDPAID=protected["WDPAID"] + 1000)]), crs=CRS)
    shuffled = protected.sample(frac=1, random_state=random.randint(0, 2**31))
    for variant in (doubled, shuffled):
        got = table(variant, rng.sample(frac=1, random_state=random.randint(0, 2**31)))
        assert got["protected_ha"].to_numpy() == pytest.approx(expected["protected_ha"].to_numpy(), abs=1e-6)


@settings(max_examples=15, deadline=None)
@given(site_rows, range_rows)
def test_choice_of_equal_area_crs_changes_shares_by_less_than_a_tenth_of_a_percent(site_list, range_list):
    protected, rng = layers(site_list, range_list)
    laea = table(protected, rng)
    for other in ("EPSG:6933", "ESRI:54009", "+proj=aea +lat_1=40 +lat_2=50 +lat_0=45 +lon_0=70 +datum=WGS84"):
        got = table(protected, rng, other)
        assert (got["protected_share"] - laea["protected_share"]).abs().max() < 1e-3


@SETTINGS
@given(site_rows, range_rows)
def test_protected_area_equals_shapely_on_the_raw_layers(site_list, range_list):
    """Issue 16: a reference, not an invariant: per species, area(union_all(raw sites) ∩ union_all(its raw
    range parts)) in the LAEA the layers are drawn in (equal-area: plane m² are ground m²), computed here."""
    import shapely

    protected, rng = layers(site_list, range_list)
    got = table(protected, rng)
    union = shapely.union_all(protected.geometry.to_numpy())
    for name, parts in rng.groupby("sci_name"):
        whole = shapely.union_all(parts.geometry.to_numpy())
        assert got.loc[name, "range_ha"] == pytest.approx(whole.area / 1e4, rel=1e-6)
        assert got.loc[name, "protected_ha"] == pytest.approx(whole.intersection(union).area / 1e4, rel=1e-6, abs=1e-4)
