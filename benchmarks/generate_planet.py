"""The planet tier: a WDPA-sized synthetic workload, generated and written in bounded memory.

300,000 sites (5% points with REP_AREA) with about 200 M vertices in all: polygon vertex counts
are lognormal (median 200, sigma 1.6; the largest single polygons have ~100,000 vertices) and four
multipart sites have 1.2 M vertices each. The WDPA overlap patterns of generate.py are kept: 25%
near-duplicate re-designations (redrawn by up to 30 m), 15% sites nested in a recent site (nested
in turn: chains), 10% long thin river sites. 5,000 ranges of ~9,000 vertices (main parts of
3,000–12,000 vertices with five holes, and extra parts as extra rows), about 45 M in all.

Sites are drawn in batches of 10,000, each filling one cell of a grid over the extent, cells in a
random order, so the file is spatially coherent batch by batch but not sorted overall (as WDPA is
ordered by country). Geometries are star-shaped around their centre with increasing angles, so
valid by construction (no buffer(0) pass); the extent is a LAEA square on (70°E, 0°), ±55° of
latitude: no pole, no antimeridian. Each batch is written as a row group of one GeoParquet file in
EPSG:4326; ``planet-sample`` files hold the sites and ranges centred in a sub-square of 10% of the
area (PostGIS's time on it is extrapolated x10 by run.py, and marked as such).

    python benchmarks/generate_planet.py [OUT_DIR] [SCALE]     # SCALE 0.01: a quick small version
"""

import json
import resource
import sys
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pyproj
import shapely

from generate import river

SITES, RANGES, BATCH = 300_000, 5_000, 10_000
KM2_PER_SITE = 500.0
LAEA = "+proj=laea +lat_0=0 +lon_0=70 +datum=WGS84 +units=m"
CATEGORIES = ["Ia", "Ib", "II", "III", "IV", "V", "VI", "Not Reported"]


def star(rng, x, y, radius, counts, scale=1.0):
    """Valid star-shaped polygons (one per centre): (polygons, radii per vertex, owner per vertex)."""
    if len(counts) == 0:
        return np.zeros(0, dtype=object), np.zeros(0), np.zeros(0, dtype=int)
    owner = np.repeat(np.arange(len(counts)), counts)
    t = np.sort(rng.uniform(0, 2 * np.pi, owner.size) + 2 * np.pi * owner) - 2 * np.pi * owner
    r = (
        radius[owner]
        * scale
        * (1 + 0.25 * np.sin(3 * t + owner) + 0.1 * np.sin(7 * t) + rng.normal(0, 0.02, owner.size))
    )
    coords = np.c_[x[owner] + r * np.cos(t), y[owner] + r * np.sin(t)]
    return rings_to_polygons(coords, owner), r, owner


def rings_to_polygons(coords, owner):
    """Polygons from open rings given vertex by vertex (closed here)."""
    first = np.r_[0, np.flatnonzero(np.diff(owner)) + 1]
    closed = np.insert(coords, np.r_[first[1:], len(coords)], coords[first], axis=0)
    closed_owner = np.insert(owner, np.r_[first[1:], len(owner)], owner[first])
    return shapely.polygons(shapely.linearrings(closed, indices=closed_owner))


def site_batch(rng, cell, n):
    """One batch of sites inside ``cell`` (xmin, ymin, xmax, ymax): (geometries, is point, REP_AREA km²)."""
    x, y = rng.uniform(cell[0], cell[2], n), rng.uniform(cell[1], cell[3], n)
    kind = rng.random(n)
    counts = np.clip(rng.lognormal(np.log(200), 1.6, n), 8, 100_000).astype(int)
    radius = np.clip(rng.lognormal(np.log(4_000), 0.8, n), 500, 60_000)
    geoms, r, owner = star(rng, x, y, radius, counts)
    rmin = np.minimum.reduceat(r, np.r_[0, np.flatnonzero(np.diff(owner)) + 1])
    nested = np.flatnonzero((kind >= 0.25) & (kind < 0.40))
    hosts = np.maximum(nested - rng.integers(1, 20, nested.size), 0)  # a recent site: chains form
    hosts = hosts[hosts < nested]
    nested = nested[: hosts.size] if hosts.size < nested.size else nested
    if nested.size:  # inside the host's smallest radius, around its centre: contained by construction
        inner, _, _ = star(
            rng, x[hosts], y[hosts], rmin[hosts] * rng.uniform(0.3, 0.6, hosts.size) / 1.4, counts[nested]
        )
        geoms[nested], x[nested], y[nested] = inner, x[hosts], y[hosts]
    duplicate = np.flatnonzero(kind < 0.25)[1:]
    source = (duplicate * rng.random(duplicate.size)).astype(int)
    phase = rng.uniform(0, 2 * np.pi, 2)
    geoms[duplicate] = shapely.transform(geoms[source], lambda xy: xy + 30 * np.sin(xy[:, ::-1] / 3_000 + phase))
    x[duplicate], y[duplicate] = x[source], y[source]
    rivers = np.flatnonzero((kind >= 0.40) & (kind < 0.50))
    geoms[rivers] = [river(rng, x[k], y[k]) for k in rivers]
    points = (kind >= 0.50) & (kind < 0.55)
    geoms[points] = shapely.points(x[points], y[points])
    rep_area = shapely.area(geoms) / 1e6
    rep_area[points] = rng.lognormal(np.log(5), 1, points.sum())
    return geoms, points, rep_area, x, y


def huge(rng, x, y):
    """A site of 400 disjoint parts of 3,000 vertices (1.2 M), on a 20 × 20 grid 12 km apart."""
    gx, gy = np.meshgrid(np.arange(20) * 12_000.0, np.arange(20) * 12_000.0)
    parts, _, _ = star(rng, x + gx.ravel(), y + gy.ravel(), rng.uniform(2_000, 4_000, 400), np.full(400, 3_000))
    return shapely.multipolygons(parts)


def a_range(rng, x, y):
    """A main part with five holes (valid by construction), and 0–2 extra parts (written as extra rows)."""
    radius = rng.uniform(50_000, 150_000)
    shell, r, _ = star(rng, np.array([x]), np.array([y]), np.array([radius]), [int(rng.integers(3_000, 12_000))])
    angles = np.arange(5) * 2 * np.pi / 5
    hx, hy = x + 0.5 * r.min() * np.cos(angles), y + 0.5 * r.min() * np.sin(angles)
    holes, _, _ = star(rng, hx, hy, np.full(5, 0.08 * r.min()), np.full(5, 200))
    main = shapely.Polygon(shell[0].exterior.coords, [h.exterior.coords for h in holes])
    extra = int(rng.integers(0, 3))
    parts, _, _ = star(
        rng,
        x + rng.uniform(-3, 3, extra) * radius,
        y + rng.uniform(-3, 3, extra) * radius,
        rng.uniform(10_000, 40_000, extra),
        np.full(extra, 500),
    )
    return [main, *parts]


class Writer:
    """One GeoParquet file written a row group at a time (geo metadata for EPSG:4326, WKB)."""

    def __init__(self, path, fields):
        geo = {
            "version": "1.0.0",
            "primary_column": "geometry",
            "columns": {
                "geometry": {
                    "encoding": "WKB",
                    "geometry_types": [],
                    "crs": json.loads(pyproj.CRS("EPSG:4326").to_json()),
                }
            },
        }
        schema = pa.schema([*fields, ("geometry", pa.binary())], metadata={b"geo": json.dumps(geo).encode()})
        self.writer, self.schema, self.rows = pq.ParquetWriter(path, schema), schema, 0

    def write(self, columns, geoms):
        table = pa.table({**columns, "geometry": shapely.to_wkb(geoms)}, schema=self.schema)
        self.writer.write_table(table)
        self.rows += len(geoms)

    def close(self):
        self.writer.close()


SITE_FIELDS = [
    ("WDPAID", pa.int64()),
    ("WDPA_PID", pa.string()),
    ("NAME", pa.string()),
    ("DESIG_ENG", pa.string()),
    ("DESIG_TYPE", pa.string()),
    ("IUCN_CAT", pa.string()),
    ("STATUS", pa.string()),
    ("STATUS_YR", pa.int64()),
    ("REP_AREA", pa.float64()),
    ("ISO3", pa.string()),
    ("MARINE", pa.int64()),
    ("PA_DEF", pa.int64()),
]
RANGE_FIELDS = [("sci_name", pa.string()), ("presence", pa.int64()), ("origin", pa.int64()), ("seasonal", pa.int64())]


def main(out_dir="benchmarks/data", scale="1"):
    start = time.perf_counter()
    scale = float(scale)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(2026)
    n_sites, n_ranges = int(SITES * scale), max(1, int(RANGES * scale))
    half = np.sqrt(n_sites * KM2_PER_SITE) * 1000 / 2
    corner = -half + 2 * half * np.sqrt(0.1)  # the sample: [-half, corner]², 10% of the area
    to_wgs84 = pyproj.Transformer.from_crs(LAEA, "EPSG:4326", always_xy=True)
    lonlat = lambda g: shapely.transform(g, lambda xy: np.c_[to_wgs84.transform(xy[:, 0], xy[:, 1])])  # noqa: E731
    writers = {name: Writer(out / f"{name}_protected.parquet", SITE_FIELDS) for name in ("planet", "planet-sample")}
    batches = max(1, -(-n_sites // BATCH))
    side = int(np.ceil(np.sqrt(batches)))
    cells = rng.permutation(side * side)[:batches]
    step = 2 * half / side
    vertices = points_total = 0
    largest = 0
    for b, cell in enumerate(cells):
        n = min(BATCH, n_sites - b * BATCH)
        cx, cy = -half + (cell % side) * step, -half + (cell // side) * step
        geoms, points, rep_area, x, y = site_batch(rng, (cx, cy, cx + step, cy + step), n)
        if b < 4 and scale >= 0.5:
            geoms[0] = huge(rng, cx, cy)
            rep_area[0], points[0] = shapely.area(geoms[0]) / 1e6, False
        ids = np.arange(b * BATCH + 1, b * BATCH + n + 1)
        columns = {
            "WDPAID": ids,
            "WDPA_PID": ids.astype(str),
            "NAME": np.char.add("Site ", ids.astype(str)),
            "DESIG_ENG": np.full(n, "National Park"),
            "DESIG_TYPE": np.full(n, "National"),
            "IUCN_CAT": rng.choice(CATEGORIES, n),
            "STATUS": np.where(rng.random(n) < 0.95, "Designated", "Proposed"),
            "STATUS_YR": rng.integers(1950, 2025, n),
            "REP_AREA": rep_area,
            "ISO3": np.full(n, "XXX"),
            "MARINE": np.zeros(n, int),
            "PA_DEF": np.ones(n, int),
        }
        counts = shapely.get_num_coordinates(geoms)
        vertices, points_total, largest = (
            vertices + counts.sum(),
            points_total + points.sum(),
            max(largest, counts.max()),
        )
        geoms = lonlat(geoms)
        writers["planet"].write(columns, geoms)
        inside = (x < corner) & (y < corner)
        writers["planet-sample"].write({k: v[inside] for k, v in columns.items()}, geoms[inside])
        print(f"batch {b + 1}/{batches}: {vertices:,} vertices so far, {time.perf_counter() - start:.0f} s", flush=True)
    for w in writers.values():
        w.close()
    range_writers = {name: Writer(out / f"{name}_ranges.parquet", RANGE_FIELDS) for name in ("planet", "planet-sample")}
    range_vertices = 0
    for first in range(0, n_ranges, 500):
        rows, names = [], []
        for s in range(first, min(first + 500, n_ranges)):
            x, y = rng.uniform(-half, half, 2)
            parts = a_range(rng, x, y)
            rows += parts
            names += [(f"Species {s:05d}", x < corner and y < corner)] * len(parts)
        geoms = np.array(rows, dtype=object)
        range_vertices += shapely.get_num_coordinates(geoms).sum()
        geoms = lonlat(geoms)
        sample = np.array([inside for _, inside in names])
        columns = {
            "sci_name": np.array([n for n, _ in names]),
            "presence": np.ones(len(names), int),
            "origin": np.ones(len(names), int),
            "seasonal": np.ones(len(names), int),
        }
        range_writers["planet"].write(columns, geoms)
        range_writers["planet-sample"].write({k: v[sample] for k, v in columns.items()}, geoms[sample])
    for w in range_writers.values():
        w.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    sizes = {p.name: p.stat().st_size / 1e9 for p in sorted(out.glob("planet*.parquet"))}
    print(
        f"planet: {n_sites:,} sites ({points_total:,} points, {vertices:,} vertices, largest {largest:,}), "
        f"{n_ranges:,} ranges ({range_vertices:,} vertices); sample {writers['planet-sample'].rows:,} sites, "
        f"{range_writers['planet-sample'].rows:,} range rows; files (GB) {sizes}; "
        f"{time.perf_counter() - start:.0f} s, peak {peak:.0f} MB"
    )


if __name__ == "__main__":
    main(*sys.argv[1:])
