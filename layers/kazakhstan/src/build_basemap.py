"""Build the real-context layers of layers/kazakhstan/basemap/ from the public data in ../shared/data.

Unlike the reconstructed layers, these are real geography, derived (never traced by hand) from:

* geokz (A. Rodionov, CC BY 4.0): Kazakhstan's outline (adm0) and the 2024 oblasts (adm1);
* Natural Earth 1:10m geography regions (public domain): the mountain ranges that touch Kazakhstan;
* NOAA GLOBE 30" DEM (GLOBE Task Team 1999): a hillshade image of south-east Kazakhstan;
* Natural Earth 1:110m countries and capitals (public domain, "Made with Natural Earth"): the
  neighbouring countries and their capitals, as context around the map.

What is written, and why each is shaped so:

* ``kazakhstan_adm0.geojson``: the outline at full detail (coordinates rounded to 1e-5°, about 1 m),
  for arithmetic (clipping the ranges, the national indicator);
* ``kazakhstan_adm0_map.geojson``: the outline simplified for maps;
* ``oblasts_2024.geojson``: the 20 first-level units, simplified as one coverage (shared borders stay
  shared, so no slivers or overlaps appear between oblasts);
* ``mountain_ranges.geojson``: the Natural Earth ranges unchanged;
* ``basemap.json``: which file is what, the names the map shows and the credit (pacov's basemap reads
  it, so the package names no country);
* ``hillshade.png`` and ``hillshade.json``: the hillshade's shadows only (black, more opaque where
  darker; transparent on flat and sunlit ground), so the land fill under it shows through, in Web
  Mercator (what Leaflet draws), transparent outside Kazakhstan, with its lon/lat bounds;
* ``countries.geojson``: Natural Earth's countries clipped to a frame around Kazakhstan (Kazakhstan
  itself included, so its coarse outline fills the gaps under the detailed geokz one), context only;
* ``places.geojson``: Natural Earth's capitals in the frame, Kazakhstan's under its name since
  September 2022, Astana (the file still says Nur-Sultan).

The output is deterministic. The WDPA extract in ../shared is validation-only and is not read here.

    python layers/kazakhstan/src/build_basemap.py [OUT_DIR] [SHARED_DATA]
"""

import json
import math
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import rasterio
import rasterio.features
import rasterio.warp
import shapely
from affine import Affine
from PIL import Image

HERE = Path(__file__).resolve().parent
OUT = HERE.parent / "basemap"
SHARED = HERE.parents[2].parent / "shared" / "data"
GEOKZ = "kz-admin-boundaries-geokz"
RANGES = "central-asia-mountain-ranges-ne10m/ne_10m_mountain_ranges_central_asia.geojson"
DEM = "se-kz-dem-globe-30arcsec/se_kz_globe_dem_30arcsec.tif"
DECIMALS = 5
MAP_TOLERANCE = 0.01  # degrees, about 1 km: invisible at country scale
OBLAST_TOLERANCE = 0.002  # degrees, about 200 m
HILLSHADE_WIDTH = 1100  # pixels
AZIMUTH, ALTITUDE = 315.0, 45.0
LEVELS = 16  # shadow levels kept in the PNG: a smaller file, no visible banding
FLAT = math.sin(math.radians(ALTITUDE))  # the shade of flat ground: darker is shadow, lighter is sunlit
SHADOW_START, SHADOW_RANGE = 0.93, 0.4  # shades below 93% of FLAT are shadow, opaque 40% of FLAT further down
NE110 = "world-countries-ne110m"
FRAME = (20.0, 25.0, 120.0, 70.0)  # west, south, east, north: what a map fitted to Kazakhstan shows around it
RENAMED = {"Nur-Sultan": "Astana"}  # renamed in September 2022


def rounded(geoms):
    return shapely.make_valid(shapely.set_precision(geoms, 10**-DECIMALS), method="structure", keep_collapsed=False)


def write_geojson(frame, path):
    """GeoJSON with one feature per line (stable bytes, readable diffs)."""
    data = json.loads(frame.to_json(drop_id=True, to_wgs84=True))
    data = {"type": "FeatureCollection", "name": path.stem, **{k: v for k, v in data.items() if k != "type"}}
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    path.write_text(text.replace('{"type":"Feature"', '\n{"type":"Feature"') + "\n", encoding="utf-8")


def outline(shared):
    adm0 = gpd.read_file(shared / GEOKZ / "kaz_admbnda_adm0_2018.shp").to_crs("EPSG:4326")
    return adm0[["ADM0_EN", "ADM0_PCODE", "geometry"]].assign(geometry=rounded(adm0.geometry.to_numpy()))


def oblasts(shared):
    adm1 = gpd.read_file(shared / GEOKZ / "kaz_admbnda_adm1_2024.shp").to_crs("EPSG:4326")
    keep = ["ADM1_EN", "ADM1_KK", "ADM1_RU", "ADM1_PCODE", "ISO_3166_2"]
    simple = shapely.coverage_simplify(shapely.make_valid(adm1.geometry.to_numpy()), OBLAST_TOLERANCE)
    return adm1[keep].assign(geometry=rounded(simple)).set_geometry("geometry", crs="EPSG:4326")


def mountain_ranges(shared, country):
    ranges = gpd.read_file(shared / RANGES).to_crs("EPSG:4326")
    touching = ranges[ranges.intersects(country)].sort_values("name")
    return touching[["name", "scalerank", "min_label", "max_label", "geometry"]].reset_index(drop=True)


def hillshade(dem, transform):
    """Lambertian hillshade (azimuth 315°, altitude 45°) of a lon/lat DEM, cell sizes in metres."""
    lat = transform.f + transform.e * (np.arange(dem.shape[0]) + 0.5)
    dy = abs(transform.e) * 110_574.0
    dx = transform.a * 111_320.0 * np.cos(np.radians(lat))[:, None]
    z = dem.astype("float64")
    gy, gx = np.gradient(z)
    slope = np.arctan(np.hypot(gx / dx, gy / dy))
    aspect = np.arctan2(-gx / dx, gy / dy)
    az, alt = math.radians(360.0 - AZIMUTH + 90.0), math.radians(ALTITUDE)
    shade = np.sin(alt) * np.cos(slope) + np.cos(alt) * np.sin(slope) * np.cos(az - aspect)
    return np.clip(shade, 0, 1)


def hillshade_image(shared, out_dir, country):
    with rasterio.open(shared / DEM) as src:
        shade, transform, bounds = hillshade(src.read(1), src.transform), src.transform, src.bounds
    west, south, east, north = bounds
    (x0, x1), (y0, y1) = rasterio.warp.transform("EPSG:4326", "EPSG:3857", [west, east], [south, north])
    step = (x1 - x0) / HILLSHADE_WIDTH
    height = round((y1 - y0) / step)
    target = np.zeros((height, HILLSHADE_WIDTH), dtype="float64")
    rasterio.warp.reproject(
        shade,
        target,
        src_transform=transform,
        src_crs="EPSG:4326",
        dst_transform=Affine(step, 0, x0, 0, -(y1 - y0) / height, y1),
        dst_crs="EPSG:3857",
        resampling=rasterio.warp.Resampling.average,
    )
    # 0 on flat or sunlit ground and in the DEM's noise on the plains, 1 in deep shadow
    shadow = np.clip((FLAT * SHADOW_START - target) / (FLAT * SHADOW_RANGE), 0, 1) ** 0.7
    dark = (np.round(shadow * (LEVELS - 1)) * (255 / (LEVELS - 1))).astype("uint8")
    inside = rasterio.features.geometry_mask(
        [shapely.geometry.mapping(shapely.transform(country, to_mercator, interleaved=False))],
        target.shape,
        Affine(step, 0, x0, 0, -(y1 - y0) / height, y1),
        invert=True,
    )
    alpha = np.where(inside, dark, 0).astype("uint8")  # terrain inside Kazakhstan only: the map's subject
    black = np.zeros_like(alpha)
    Image.fromarray(np.dstack([black, alpha]), mode="LA").save(out_dir / "hillshade.png", optimize=True)
    meta = {
        "bounds": [[south, west], [north, east]],
        "crs": "EPSG:3857 image, bounds in EPSG:4326",
        "source": "NOAA GLOBE 30-arc-second DEM (GLOBE Task Team 1999), hillshade azimuth 315°, altitude 45°",
    }
    (out_dir / "hillshade.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def countries(shared):
    """Natural Earth's countries meeting FRAME, clipped to it (fields: name, iso_a3)."""
    world = gpd.read_file(shared / NE110 / "naturalearth_lowres.shp").to_crs("EPSG:4326")
    frame = shapely.box(*FRAME)
    near = world[world.intersects(frame)].sort_values("name")
    clipped = shapely.intersection(near.geometry.to_numpy(), frame)
    kept = near[["name", "iso_a3"]].reset_index(drop=True)
    return gpd.GeoDataFrame(kept, geometry=rounded(clipped), crs="EPSG:4326")


def places(shared):
    """Natural Earth's capitals in FRAME, with today's names (field: name)."""
    cities = gpd.read_file(shared / NE110 / "naturalearth_cities.shp").to_crs("EPSG:4326")
    inside = cities[cities.within(shapely.box(*FRAME))].sort_values("name")
    names = [RENAMED.get(n, n) for n in inside["name"]]
    return gpd.GeoDataFrame({"name": names}, geometry=rounded(inside.geometry.to_numpy()), crs="EPSG:4326")


MANIFEST = {
    "outline": "kazakhstan_adm0_map.geojson",
    "outline_name": "Kazakhstan",
    "zones": "oblasts_2024.geojson",
    "zone_field": "ADM1_EN",
    "zones_name": "oblasts (2024)",
    "ranges": "mountain_ranges.geojson",
    "hillshade": "hillshade.png",
    "countries": "countries.geojson",
    "places": "places.geojson",
    "capital": "Astana",
    "credit": "Basemap: Kazakhstan outline and 2024 oblasts from geokz (A. Rodionov, CC BY 4.0); mountain ranges, "
    "neighbouring countries and capitals made with Natural Earth (public domain); hillshade from the NOAA GLOBE DEM "
    "(GLOBE Task Team 1999).",
}


def to_mercator(x, y):
    return rasterio.warp.transform("EPSG:4326", "EPSG:3857", x, y)


def main(out_dir=OUT, shared=SHARED):
    out_dir, shared = Path(out_dir), Path(shared)
    if not (shared / GEOKZ).is_dir():
        print(f"build_basemap: {shared} not found; keeping the committed basemap layers", file=sys.stderr)
        return 0
    out_dir.mkdir(parents=True, exist_ok=True)
    country = outline(shared)
    write_geojson(country, out_dir / "kazakhstan_adm0.geojson")
    simple = shapely.simplify(country.geometry.to_numpy(), MAP_TOLERANCE, preserve_topology=True)
    write_geojson(country.assign(geometry=rounded(simple)), out_dir / "kazakhstan_adm0_map.geojson")
    write_geojson(oblasts(shared), out_dir / "oblasts_2024.geojson")
    write_geojson(mountain_ranges(shared, country.geometry.iloc[0]), out_dir / "mountain_ranges.geojson")
    hillshade_image(shared, out_dir, simple[0])
    if (shared / NE110).is_dir():
        write_geojson(countries(shared), out_dir / "countries.geojson")
        write_geojson(places(shared), out_dir / "places.geojson")
    (out_dir / "basemap.json").write_text(json.dumps(MANIFEST, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
