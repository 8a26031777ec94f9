"""Synthetic but realistic workloads in the WDPA and IUCN schemas, at three sizes.

Protected areas are noisy star-shaped polygons of 100–1,000 vertices with log-normal sizes, some
nested inside others, most overlapping a neighbour or two; ranges are multipart noisy polygons
with holes. Site and range density per km² is the same at every size, so the extent grows with the
workload. Written as GeoParquet in EPSG:4326 (as WDPA and the Red List ship), deterministic.

    python benchmarks/generate.py national|regional|continental [OUT_DIR]
"""

import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyproj
import shapely

SIZES = {"national": (200, 4), "regional": (5_000, 50), "continental": (50_000, 500)}
KM2_PER_SITE = 500.0
CENTRE = (70.0, 45.0)
CATEGORIES = ["Ia", "Ib", "II", "III", "IV", "V", "VI", "Not Reported"]


def noisy_polygon(rng, x, y, radius, vertices, roughness=0.25):
    t = np.sort(rng.uniform(0, 2 * np.pi, vertices))
    harmonics = sum(rng.uniform(0, roughness / k) * np.sin(k * t + rng.uniform(0, 2 * np.pi)) for k in range(1, 7))
    r = radius * (1 + harmonics + rng.normal(0, 0.02, vertices))
    return shapely.Polygon(np.c_[x + r * np.cos(t), y + r * np.sin(t)]).buffer(0)


def generate(size, seed=0):
    n_sites, n_ranges = SIZES[size]
    rng = np.random.default_rng(seed)
    half = np.sqrt(n_sites * KM2_PER_SITE) * 1000 / 2
    sites = []
    for _ in range(n_sites):
        if sites and rng.random() < 0.1:  # nested in an earlier site
            host = sites[rng.integers(len(sites))]
            centre = host.representative_point()
            x, y, radius = centre.x, centre.y, np.sqrt(host.area / np.pi) * rng.uniform(0.2, 0.5)
        else:
            x, y = rng.uniform(-half, half, 2)
            radius = float(np.clip(rng.lognormal(np.log(4_000), 0.8), 500, 60_000))
        sites.append(noisy_polygon(rng, x, y, radius, int(rng.integers(100, 1_000))))
    ranges, names = [], []
    for s in range(n_ranges):
        parts = []
        for _ in range(int(rng.integers(1, 4))):
            x, y = rng.uniform(-half, half, 2)
            outer = noisy_polygon(rng, x, y, rng.uniform(30_000, 150_000), int(rng.integers(300, 3_000)), 0.4)
            if rng.random() < 0.5:
                outer = outer.difference(noisy_polygon(rng, x, y, outer.area**0.5 * 0.15, 200))
            parts.append(outer)
        ranges.append(shapely.union_all(parts))
        names.append(f"Species {s:04d}")
    laea = pyproj.CRS.from_proj4(f"+proj=laea +lat_0={CENTRE[1]} +lon_0={CENTRE[0]} +datum=WGS84 +units=m")
    n = len(sites)
    protected = gpd.GeoDataFrame(
        {
            "WDPAID": np.arange(1, n + 1),
            "WDPA_PID": [str(i) for i in range(1, n + 1)],
            "NAME": [f"Site {i}" for i in range(1, n + 1)],
            "DESIG_ENG": "National Park",
            "DESIG_TYPE": "National",
            "IUCN_CAT": rng.choice(CATEGORIES, n),
            "STATUS": np.where(rng.random(n) < 0.95, "Designated", "Proposed"),
            "STATUS_YR": rng.integers(1950, 2025, n),
            "REP_AREA": shapely.area(np.array(sites)) / 1e6,
            "ISO3": "XXX",
            "MARINE": 0,
            "PA_DEF": 1,
        },
        geometry=sites,
        crs=laea,
    ).to_crs("EPSG:4326")
    species = gpd.GeoDataFrame(
        {"sci_name": names, "presence": 1, "origin": 1, "seasonal": 1}, geometry=ranges, crs=laea
    ).to_crs("EPSG:4326")
    return protected, species


def main(size, out_dir="benchmarks/data"):
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    protected, species = generate(size)
    protected.to_parquet(out / f"{size}_protected.parquet")
    species.to_parquet(out / f"{size}_ranges.parquet")
    vertices = shapely.get_num_coordinates(protected.geometry.to_numpy()).sum()
    print(f"{size}: {len(protected)} sites ({vertices:,} vertices), {len(species)} ranges -> {out}")


if __name__ == "__main__":
    main(*sys.argv[1:])
