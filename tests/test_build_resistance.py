"""The snow-leopard resistance raster: band values by hand, and the shipped file is what the DEM builds."""

import importlib.util
import math

import numpy as np
import pytest
import rasterio
from affine import Affine
from pyproj import Geod

from conftest import ROOT

LAYERS = ROOT / "layers" / "kazakhstan"
STEP = 1 / 120  # 30 arc-seconds


def load():
    spec = importlib.util.spec_from_file_location("build_resistance", LAYERS / "src" / "build_resistance.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def tilted(base_m, degrees, lat=45.0):
    """A 5 × 5 lon/lat DEM rising east at ``degrees``, its cell width measured with pyproj.Geod."""
    transform = Affine(STEP, 0, 78.0, 0, -STEP, lat + 2.5 * STEP)
    width_m = Geod(ellps="WGS84").inv(78.0, lat, 78.0 + STEP, lat)[2]
    dem = base_m + np.tile(np.arange(5) * width_m * math.tan(math.radians(degrees)), (5, 1))
    return dem, transform


@pytest.mark.parametrize(
    "base_m, degrees, expected",
    [
        (2_000, 0, 1 * 2),  # good band, flat
        (2_000, 30, 1 * 1),  # good band, steep
        (2_000, 10, 1 * 1.5),
        (500, 0, 50 * 2),  # lowland, flat: the near-barrier
        (1_200, 0, 10 * 2),
        (5_000, 0, 3 * 2),
    ],
)
def test_bands_by_hand(base_m, degrees, expected):
    dem, transform = tilted(base_m, degrees)
    inner = load().resistance(dem, transform)[1:-1, 1:-1]  # away from the edges (one-sided gradients)
    assert np.all(inner == expected)


def test_shipped_raster_is_what_the_dem_builds(tmp_path, shared_data):
    load().main(tmp_path, shared_data)
    shipped = LAYERS / "snow_leopard_resistance.tif"
    assert (tmp_path / shipped.name).read_bytes() == shipped.read_bytes()
    assert shipped.stat().st_size < 1_000_000
    with rasterio.open(shipped) as src:
        assert src.crs.to_epsg() == 4326 and src.bounds == pytest.approx((67.0, 40.5, 87.5, 50.0))
        values = src.read(1)
    assert values.min() >= 1 and values.max() <= 100
