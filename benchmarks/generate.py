"""Synthetic but realistic workloads in the WDPA and IUCN schemas, at three sizes and three patterns.

A workload is named ``SIZE[-wdpa|-deep][@6933]``:
- the plain pattern: noisy star-shaped sites of 100–1,000 vertices with log-normal sizes, 10% nested
  in another, most overlapping a neighbour or two; ranges multipart noisy polygons with a hole;
- ``-wdpa``, the overlap patterns of real WDPA data, which flatter pacov less: nested chains
  (reserve ⊂ park ⊂ WHS), 25% near-duplicate re-designations of another site, long thin sites
  along rivers, a few huge multipart sites of 100,000+ vertices, 5% point sites; sites of
  200–2,000 vertices; range main parts of 2,000–10,000 vertices with up to five holes;
- ``-deep``: the plain sites, with ranges five times as wide (25 times the area), so that some 25
  ranges lie over each place, as tens of species do in real Red List data (the plain ranges hardly
  overlap one another, which flatters a per-range method);
- ``@6933``: written in EASE-Grid 2.0 (equal-area, used in place) instead of EPSG:4326 (as WDPA and
  the Red List ship).
Site and range density per km² is the same at every size, so the extent grows with the workload.
Written as GeoParquet, deterministic.

    python benchmarks/generate.py national|regional|continental[-wdpa|-deep][@6933] [OUT_DIR]
    python benchmarks/generate.py planet [OUT_DIR]      # generate_planet.py: planet and planet-sample
"""

import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyproj
import shapely

SIZES = {"national": (200, 4), "regional": (5_000, 50), "continental": (50_000, 500)}
KM2_PER_SITE = 500.0
DEEP_WIDTH = 5.0  # -deep: ranges this many times as wide as the plain pattern's
CENTRE = (70.0, 45.0)
CATEGORIES = ["Ia", "Ib", "II", "III", "IV", "V", "VI", "Not Reported"]


def noisy_polygon(rng, x, y, radius, vertices, roughness=0.25):
    t = np.sort(rng.uniform(0, 2 * np.pi, vertices))
    harmonics = sum(rng.uniform(0, roughness / k) * np.sin(k * t + rng.uniform(0, 2 * np.pi)) for k in range(1, 7))
    r = radius * (1 + harmonics + rng.normal(0, 0.02, vertices))
    return shapely.Polygon(np.c_[x + r * np.cos(t), y + r * np.sin(t)]).buffer(0)


def parse(workload):
    """(size, pattern, output CRS) of a workload name such as ``regional-wdpa@6933``."""
    name, _, epsg = workload.partition("@")
    size, _, pattern = name.partition("-")
    if size not in SIZES or pattern not in ("", "wdpa", "deep") or epsg not in ("", "6933"):
        raise SystemExit(f"unknown workload {workload!r}: SIZE[-wdpa|-deep][@6933] with SIZE one of {', '.join(SIZES)}")
    return size, pattern or "plain", f"EPSG:{epsg or 4326}"


def river(rng, x, y):
    """A long thin site along a meandering river: 20–100 km long, 200–800 m wide."""
    steps = int(rng.integers(50, 200))
    heading = rng.uniform(0, 2 * np.pi) + np.cumsum(rng.normal(0, 0.25, steps))
    step = rng.uniform(20_000, 100_000) / steps
    line = shapely.LineString(np.c_[x + np.cumsum(step * np.cos(heading)), y + np.cumsum(step * np.sin(heading))])
    return line.buffer(rng.uniform(100, 400), quad_segs=2)


def near_duplicate(rng, site):
    """A re-designation of ``site``: the same ground, redrawn (vertices moved by up to 30 m, smoothly,
    so rings stay closed)."""
    px, py = rng.uniform(0, 2 * np.pi, 2)
    shift = lambda xy: xy + 30 * np.sin(xy[:, ::-1] / 3_000 + [px, py])  # noqa: E731
    return shapely.transform(site, shift).buffer(0) if site.geom_type != "Point" else shapely.transform(site, shift)


def huge_multipart(rng, x, y):
    """A site of 60 parts × ~2,000 vertices (100,000+ in all), like a large archipelago or a forest estate."""
    parts = [
        noisy_polygon(rng, x + dx, y + dy, rng.uniform(1_000, 5_000), int(rng.integers(1_500, 2_500)))
        for dx, dy in rng.uniform(-80_000, 80_000, (60, 2))
    ]
    return shapely.union_all(parts)


def wdpa_sites(rng, n_sites, half):
    """Sites with the overlap patterns of real WDPA data, and which of them are points."""
    sites, points = [], []
    n_huge = max(1, n_sites // 2000)
    for i in range(n_sites):
        x, y = rng.uniform(-half, half, 2)
        kind = rng.random()
        if i < n_huge:
            geom = huge_multipart(rng, x, y)
        elif sites and kind < 0.25:
            geom = near_duplicate(rng, sites[rng.integers(len(sites))])
        elif sites and kind < 0.40 and sites[-1].area > 0:  # nested in an earlier site, itself maybe nested: chains
            host = sites[-1 - int(rng.integers(min(len(sites), 20)))]
            host = host if host.area > 0 else sites[-1]
            centre = host.representative_point()
            radius = np.sqrt(host.area / np.pi) * rng.uniform(0.3, 0.7)
            geom = noisy_polygon(rng, centre.x, centre.y, radius, int(rng.integers(200, 2_000))).intersection(host)
        elif kind < 0.50:
            geom = river(rng, x, y)
        elif kind < 0.55:
            geom = shapely.Point(x, y)
        else:
            radius = float(np.clip(rng.lognormal(np.log(4_000), 0.8), 500, 60_000))
            geom = noisy_polygon(rng, x, y, radius, int(rng.integers(200, 2_000)))
        points.append(geom.geom_type == "Point")
        sites.append(geom if geom.geom_type == "Point" or not geom.is_empty else shapely.Point(x, y))
    return sites, np.array(points)


def wdpa_range(rng, half):
    """A range whose main part has 2,000–10,000 vertices and up to five holes, plus smaller parts."""
    x, y = rng.uniform(-half, half, 2)
    main = noisy_polygon(rng, x, y, rng.uniform(50_000, 150_000), int(rng.integers(2_000, 10_000)), 0.4)
    for _ in range(int(rng.integers(0, 6))):
        hx, hy = np.array([x, y]) + rng.uniform(-0.5, 0.5, 2) * main.area**0.5
        main = main.difference(noisy_polygon(rng, hx, hy, main.area**0.5 * 0.05, 300))
    extra = [
        noisy_polygon(rng, *rng.uniform(-half, half, 2), rng.uniform(10_000, 40_000), 500)
        for _ in range(int(rng.integers(0, 3)))
    ]
    return shapely.union_all([main, *extra])


def generate(workload, seed=0):
    size, pattern, out_crs = parse(workload)
    if pattern == "wdpa":
        return generate_wdpa(size, out_crs, seed)
    n_sites, n_ranges = SIZES[size]
    rng = np.random.default_rng(seed)
    wide = DEEP_WIDTH if pattern == "deep" else 1.0
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
            outer = noisy_polygon(rng, x, y, wide * rng.uniform(30_000, 150_000), int(rng.integers(300, 3_000)), 0.4)
            if rng.random() < 0.5:
                outer = outer.difference(noisy_polygon(rng, x, y, outer.area**0.5 * 0.15, 200))
            parts.append(outer)
        ranges.append(shapely.union_all(parts))
        names.append(f"Species {s:04d}")
    return frames(rng, sites, np.zeros(len(sites), bool), ranges, names, out_crs)


def generate_wdpa(size, out_crs, seed):
    n_sites, n_ranges = SIZES[size]
    rng = np.random.default_rng(seed)
    half = np.sqrt(n_sites * KM2_PER_SITE) * 1000 / 2
    sites, points = wdpa_sites(rng, n_sites, half)
    ranges = [wdpa_range(rng, half) for _ in range(n_ranges)]
    return frames(rng, sites, points, ranges, [f"Species {s:04d}" for s in range(n_ranges)], out_crs)


def frames(rng, sites, points, ranges, names, out_crs):
    """The WDPA- and IUCN-schema frames, drawn in a LAEA on the centre and written in ``out_crs``."""
    laea = pyproj.CRS.from_proj4(f"+proj=laea +lat_0={CENTRE[1]} +lon_0={CENTRE[0]} +datum=WGS84 +units=m")
    n = len(sites)
    area_km2 = shapely.area(np.array(sites)) / 1e6
    area_km2[points] = rng.lognormal(np.log(5), 1, points.sum())  # point sites: REP_AREA only
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
            "REP_AREA": area_km2,
            "ISO3": "XXX",
            "MARINE": 0,
            "PA_DEF": 1,
        },
        geometry=sites,
        crs=laea,
    ).to_crs(out_crs)
    species = gpd.GeoDataFrame(
        {"sci_name": names, "presence": 1, "origin": 1, "seasonal": 1}, geometry=ranges, crs=laea
    ).to_crs(out_crs)
    return protected, species


def main(workload, out_dir="benchmarks/data"):
    if workload.startswith("planet"):  # its own generator: it never holds the whole layer
        from generate_planet import main as planet

        return planet(out_dir)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    protected, species = generate(workload)
    protected.to_parquet(out / f"{workload}_protected.parquet")
    species.to_parquet(out / f"{workload}_ranges.parquet")
    vertices = shapely.get_num_coordinates(protected.geometry.to_numpy()).sum()
    range_vertices = shapely.get_num_coordinates(species.geometry.to_numpy()).sum()
    print(
        f"{workload}: {len(protected)} sites ({vertices:,} vertices), {len(species)} ranges "
        f"({range_vertices:,} vertices) in {protected.crs.name} -> {out}"
    )


if __name__ == "__main__":
    main(*sys.argv[1:])
