"""Build the reconstructed snow leopard density raster (animals per km²) from the range layer.

Only the national total is published (152–189 animals, UNDP 2019–2024; about 189, Ministry of
Ecology, September 2025). The animals per landscape below are pacov's allocation (174 in all), with
8 animals in the Western Tien Shan part that holds Merke park (the figure quoted in the project's
issue). Within a range part the density per km² is uniform, and every cell the part touches carries
it, so integrating the surface over the part (value × covered fraction × cell area, as
``pacov raster-coverage --per-area`` does) gives back its animals exactly. A reconstruction for
demonstrations and tests, not a population estimate.

    python layers/kazakhstan/src/build_density.py [OUT_DIR]   # default: ../snow_leopard_density.tif
"""

import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyproj
import rasterio
import rasterio.windows
import shapely
from affine import Affine

from pacov.analyses.fractions import cell_areas_km2, fractions

HERE = Path(__file__).resolve().parent
LAYERS = HERE.parent
ANIMALS = {
    "Altai": 30,
    "Saur-Tarbagatai": 12,
    "Zhetysu Alatau": 45,
    "Northern Tien Shan": 55,
    "Western Tien Shan": 30,
    "Karatau": 2,
}
MERKE_ANIMALS, MERKE_ID = 8, 990000001
WEST, NORTH, STEP, WIDTH, HEIGHT = 68.0, 51.0, 1 / 30, 600, 285
NODATA = -9999.0


def allocation(parts, merke):
    """(geometry, animals) per range part: a landscape's animals shared by area, Merke's part fixed."""
    out = []
    for landscape, animals in ANIMALS.items():
        group = parts[parts["landscape"] == landscape]
        holds_merke = group.geometry.intersects(merke).to_numpy()
        fixed = MERKE_ANIMALS if holds_merke.any() else 0
        rest = group[~holds_merke]
        area = rest.to_crs("+proj=laea +lat_0=45 +lon_0=78 +datum=WGS84").area
        out += [(g, (animals - fixed) * a / area.sum()) for g, a in zip(rest.geometry, area)]
        out += [(g, MERKE_ANIMALS) for g in group[holds_merke].geometry]
    return out


def main(out_dir=LAYERS):
    parts = gpd.read_file(LAYERS / "species_ranges.geojson")
    parts = parts[(parts["sci_name"] == "Panthera uncia") & (parts["presence"] <= 2)]
    sites = gpd.read_file(LAYERS / "protected_areas.geojson")
    merke = sites[sites["WDPAID"] == MERKE_ID].geometry.iloc[0]
    transform = Affine(STEP, 0, WEST, 0, -STEP, NORTH)
    window = rasterio.windows.Window(0, 0, WIDTH, HEIGHT)
    cell_km2 = cell_areas_km2(pyproj.CRS("EPSG:4326"), transform, window)
    density = np.zeros((HEIGHT, WIDTH))
    for geom, animals in allocation(parts, merke):
        covered = fractions(shapely.segmentize(geom, 0.01), transform, window)
        density += np.where(covered > 0, animals / (covered * cell_km2).sum(), 0.0)
    profile = {
        "driver": "GTiff",
        "width": WIDTH,
        "height": HEIGHT,
        "count": 1,
        "dtype": "float32",
        "crs": "EPSG:4326",
        "transform": transform,
        "nodata": NODATA,
        "compress": "deflate",
        "tiled": True,
        "blockxsize": 256,
        "blockysize": 256,
    }
    with rasterio.open(Path(out_dir) / "snow_leopard_density.tif", "w", **profile) as dst:
        dst.write(density.astype("float32"), 1)
        dst.update_tags(
            CONTENT="snow leopards per km2 (reconstruction; see PROVENANCE.md)", ANIMALS=str(sum(ANIMALS.values()))
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
