"""Time ProtConn on a synthetic workload (generate.py; default "continental", 50,000 sites) in one region
at three distances, against the goal of issue 28: under 120 s and 4 GB.

The sites are generated, cleaned and flattened first (not timed with ProtConn; cached under
benchmarks/data). ProtConn is then measured in a fresh process, so that its peak resident memory
is its own: links found once at the largest distance's cutoff, on the ground, pruned to those a
shortest path can use unless ``--exact``; then ECA and ProtConn of the whole extent at every
distance in one bounded Dijkstra pass. The load average is printed beside the figures: on a shared
machine they are slower than on a quiet one.

    python benchmarks/connectivity.py [SIZE] [--distance METRES ...] [--exact]
"""

import argparse
import logging
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyproj
import shapely

from generate import CENTRE, generate
from pacov.analyses.connectivity import Links, eca_areas, link_cutoff
from pacov.cleaning.clean import clean_protected_areas

DISTANCES = (10_000.0, 30_000.0, 100_000.0)
GOAL_S, GOAL_GB = 120.0, 4.0
DATA = Path(__file__).resolve().parent / "data"


def cleaned(size):
    """The workload's sites cleaned and flattened (EPSG:4326 in, an equal-area LAEA out), cached."""
    path = DATA / f"{size}_clean.parquet"
    if not path.exists():
        protected, _ = generate(size)
        crs = pyproj.CRS.from_proj4(f"+proj=laea +lat_0={CENTRE[1]} +lon_0={CENTRE[0]} +datum=WGS84 +units=m")
        start = time.perf_counter()
        sites, _ = clean_protected_areas(protected, crs)
        print(f"{len(sites):,} sites cleaned and flattened in {time.perf_counter() - start:.1f} s")
        DATA.mkdir(exist_ok=True)
        sites.to_parquet(path)
    return path


def measure(path, distances, exact):
    """ProtConn of the sites at ``path`` in their bounding box: links, ECA, peak memory (this process)."""
    logging.basicConfig(level=logging.INFO, format="%(message)s")  # pacov's stages, with their times
    sites = gpd.read_parquet(path, columns=["geometry"])  # the cache also holds the unflattened sites
    geoms = sites.geometry.to_numpy()
    read_gb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    areas = shapely.area(geoms)
    region_m2 = shapely.area(shapely.box(*shapely.total_bounds(geoms)))
    cutoff = link_cutoff(max(distances))
    start = time.perf_counter()
    links = Links.within(geoms, cutoff, sites.crs, prune=not exact)
    found = time.perf_counter() - start
    print(f"{len(geoms):,} sites; {len(links.d):,} links within {cutoff / 1000:,.0f} km (ground), {found:.1f} s")
    start = time.perf_counter()
    ecas = eca_areas(areas, links, distances)
    took = time.perf_counter() - start
    print(f"ECA at {len(distances)} distances in one pass: {took:.1f} s")
    print(f"{'distance_m':>10} {'protconn':>9}")
    for median_m, eca in zip(distances, ecas):
        print(f"{median_m:>10,.0f} {100 * eca / region_m2:>9.4f}")
    usage = resource.getrusage(resource.RUSAGE_SELF)
    peak_gb, cpu = usage.ru_maxrss / 2**20, usage.ru_utime + usage.ru_stime
    total = found + took
    verdict = "met" if total < GOAL_S and peak_gb < GOAL_GB else "MISSED"
    print(f"ProtConn total {total:.1f} s, peak {peak_gb:.2f} GB (goal < {GOAL_S:.0f} s, < {GOAL_GB:.0f} GB): {verdict}")
    print(f"of which the sites as read: {read_gb:.2f} GB")
    print(f"CPU time of this process (reading included): {cpu:.0f} s")
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"machine: {os.cpu_count()} cores, load average {load} (other work on it slows these figures)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("size", nargs="?", default="continental")
    parser.add_argument("--distance", type=float, action="append", help="metres (repeatable)")
    parser.add_argument("--exact", action="store_true", help="every pair within the cutoff, unpruned")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)  # the child process: cleaned sites
    args = parser.parse_args()
    distances = args.distance or DISTANCES
    if args.measure:
        return measure(args.measure, distances, args.exact)
    child = [sys.executable, __file__, args.size, "--measure", str(cleaned(args.size))]
    child += [f"--distance={d}" for d in distances] + (["--exact"] if args.exact else [])
    subprocess.run(child, check=True)


if __name__ == "__main__":
    np.seterr(invalid="ignore")
    main()
