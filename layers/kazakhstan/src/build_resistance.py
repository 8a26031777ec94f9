"""Build the snow-leopard terrain resistance raster (snow_leopard_resistance.tif) from the GLOBE DEM.

Resistance is the cost of one metre of travel, relative to the best terrain (1). It is the product of
an elevation band and a slope band, from the NOAA GLOBE 30" DEM (GLOBE Task Team and others, 1999),
the window 67-87.5 E, 40.5-50 N in ../shared/data:

* elevation: the snow leopard lives in the alpine and subalpine belt, typically 3,000-4,500 m, and
  lower in the north of its range, down to about 900-1,000 m in Mongolia and Russia (McCarthy et al.
  2017, IUCN Red List assessment of Panthera uncia; McCarthy & Chapron 2003, Snow Leopard Survival
  Strategy). Kazakhstan's ranges (Tien Shan, Zhetysu Alatau, Altai) lie at the northern edge, so the
  best band here is 1,500-4,500 m; lowland steppe, desert and farmland below 1,000 m is nearly a barrier.
* slope: the species selects steep, broken terrain (Jackson & Ahlborn 1989; McCarthy 2000). On
  1 km cells slopes are smoothed, so flat ground (< 5 degrees) costs twice as much as steep ground.

The band edges and the resistance values are pacov's choices inspired by those sources, not values
taken from them; they are a demonstration surface, not a fitted habitat model.

The 30" cells are averaged 2 x 2 into 1' cells (about 1.3 x 1.85 km) and stored as uint8 (DEFLATE),
which keeps the file well under 1 MB. The output is deterministic.

    python layers/kazakhstan/src/build_resistance.py [OUT_DIR] [SHARED_DATA]
"""

import sys
from pathlib import Path

import numpy as np
import rasterio
from affine import Affine

HERE = Path(__file__).resolve().parent
LAYERS = HERE.parent
SHARED = HERE.parents[2].parent / "shared" / "data"
DEM = "se-kz-dem-globe-30arcsec/se_kz_globe_dem_30arcsec.tif"
OUT_FILE = "snow_leopard_resistance.tif"
FACTOR = 2  # 30" cells per output cell along each axis
# (lower edge in metres, resistance): the band from each edge up to the next
ELEVATION_BANDS = ((-1e9, 50), (1_000, 10), (1_500, 1), (4_500, 3), (5_500, 10))
# (lower edge in degrees, multiplier)
SLOPE_BANDS = ((0, 2), (5, 1.5), (15, 1))


def slope_degrees(dem, transform):
    """Slope of a lon/lat DEM, cell sizes in metres at each row's latitude."""
    lat = transform.f + transform.e * (np.arange(dem.shape[0]) + 0.5)
    dy = abs(transform.e) * 110_574.0
    dx = transform.a * 111_320.0 * np.cos(np.radians(lat))[:, None]
    gy, gx = np.gradient(dem.astype("float64"))
    return np.degrees(np.arctan(np.hypot(gx / dx, gy / dy)))


def banded(values, bands):
    """The value of the band each cell falls in (bands: ascending lower edges)."""
    edges = np.array([edge for edge, _ in bands])
    return np.array([value for _, value in bands], dtype="float64")[np.searchsorted(edges, values, side="right") - 1]


def resistance(dem, transform):
    return banded(dem, ELEVATION_BANDS) * banded(slope_degrees(dem, transform), SLOPE_BANDS)


def main(out_dir=LAYERS, shared=SHARED):
    with rasterio.open(Path(shared) / DEM) as src:
        dem, transform = src.read(1), src.transform
    cost = resistance(dem, transform)
    rows, cols = (n // FACTOR * FACTOR for n in cost.shape)
    blocks = cost[:rows, :cols].reshape(rows // FACTOR, FACTOR, cols // FACTOR, FACTOR).mean(axis=(1, 3))
    profile = {
        "driver": "GTiff",
        "width": blocks.shape[1],
        "height": blocks.shape[0],
        "count": 1,
        "dtype": "uint8",
        "crs": "EPSG:4326",
        "transform": Affine(transform.a * FACTOR, 0, transform.c, 0, transform.e * FACTOR, transform.f),
        "nodata": 0,
        "compress": "deflate",
        "predictor": 2,
        "tiled": True,
        "blockxsize": 256,
        "blockysize": 256,
    }
    with rasterio.open(Path(out_dir) / OUT_FILE, "w", **profile) as dst:
        dst.write(np.clip(np.round(blocks), 1, 255).astype("uint8"), 1)
        dst.update_tags(CONTENT="snow leopard terrain resistance per metre (1 = best); see PROVENANCE.md")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
