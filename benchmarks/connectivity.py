"""Time ProtConn on the synthetic 5,000-site workload (generate.py "regional") at three distances.

Links are found once, at the largest distance's cutoff (as ``protconn`` does), pruned to those a
shortest path can use unless ``--exact``; then, per median dispersal distance, the time for ECA and
ProtConn of the whole synthetic extent. Sites are cleaned and flattened first
(timed apart). The workload's sites are 100-1,000-vertex polygons about 22 km apart.

    python benchmarks/connectivity.py [SIZE] [--distance METRES ...]
"""

import argparse
import time

import numpy as np
import pyproj
import shapely

from generate import CENTRE, generate
from pacov.analyses.connectivity import Links, eca_squared, link_cutoff
from pacov.cleaning.clean import clean_protected_areas

DISTANCES = (10_000.0, 30_000.0, 100_000.0)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("size", nargs="?", default="regional")
    parser.add_argument("--distance", type=float, action="append", help="metres (repeatable)")
    parser.add_argument("--exact", action="store_true", help="every pair within the cutoff, unpruned (the old way)")
    args = parser.parse_args()
    distances = args.distance or DISTANCES
    protected, _ = generate(args.size)
    crs = pyproj.CRS.from_proj4(f"+proj=laea +lat_0={CENTRE[1]} +lon_0={CENTRE[0]} +datum=WGS84 +units=m")
    start = time.perf_counter()
    sites, _ = clean_protected_areas(protected, crs)
    geoms = sites.geometry.to_numpy()
    areas = shapely.area(geoms)
    region_m2 = shapely.area(shapely.box(*shapely.total_bounds(geoms)))
    print(f"{len(geoms):,} sites cleaned and flattened in {time.perf_counter() - start:.1f} s")
    start = time.perf_counter()
    links = Links.within(geoms, link_cutoff(max(distances)), prune=not args.exact)
    found = time.perf_counter() - start
    print(
        f"{len(links.d):,} links within {link_cutoff(max(distances)) / 1000:,.0f} km found and measured in {found:.1f} s"
    )
    print(f"{'distance_m':>10} {'eca_s':>6} {'protconn':>9}")
    total = found
    for median_m in distances:
        start = time.perf_counter()
        eca = np.sqrt(eca_squared(links.costs(median_m), areas))
        took = time.perf_counter() - start
        total += took
        print(f"{median_m:>10,.0f} {took:>6.1f} {100 * eca / region_m2:>9.3f}")
    print(f"all {len(distances)} distances: {total:.1f} s")


if __name__ == "__main__":
    main()
