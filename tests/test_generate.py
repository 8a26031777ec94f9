"""The benchmark workloads' generator: the deep pattern lays the same sites under ranges 25 times the area."""

import sys

import pytest
import shapely
from pyproj import Geod

from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import generate, parse  # noqa: E402


def geodesic_area(gdf):
    geod = Geod(ellps="WGS84")
    return sum(abs(geod.geometry_area_perimeter(g)[0]) for g in gdf.geometry)


def test_deep_ranges_lie_over_the_same_sites_five_times_as_wide():
    sites, ranges = generate("national")
    deep_sites, deep_ranges = generate("national-deep")
    assert shapely.equals_exact(sites.geometry.to_numpy(), deep_sites.geometry.to_numpy(), 0).all()
    assert deep_ranges["sci_name"].tolist() == ranges["sci_name"].tolist()
    # radii × 5: each part 25 times the area; parts of one range that now overlap count once, so a little less
    ratio = geodesic_area(deep_ranges) / geodesic_area(ranges)
    assert 15 < ratio <= 25 * 1.01


def test_workload_names():
    assert parse("regional-deep@6933") == ("regional", "deep", "EPSG:6933")
    with pytest.raises(SystemExit, match=r"SIZE\[-wdpa\|-deep\]"):
        parse("regional-shallow")
