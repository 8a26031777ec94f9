"""Benchmark pacov against the naive geopandas approach (and PostGIS when one is reachable).

For each size it generates the workload (if missing), times each method as a whole process with its
peak memory, checks that every method's shares agree with pacov's to 1e-6, and prints a table.

    python benchmarks/run.py [embedded] [SIZE[-wdpa][@6933] …] [--workers N]

A workload is a size (national, regional, continental), optionally with the WDPA overlap pattern
(-wdpa: nested chains, near-duplicates, rivers, huge multipart sites, points) and an equal-area
input CRS (@6933); see generate.py. Each is reported on its own rows.

``--workers N`` also times pacov on a local Dask cluster of 1 and of N workers at each size.
    PACOV_BENCH_SKIP=naive python benchmarks/run.py continental   # leave out a slow reference
    PACOV_BENCH_SKIP=naive:continental make bench                  # … at one size only
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
BIN = Path(sys.executable).parent


WRAPPER = (
    "import resource, subprocess, sys; done = subprocess.run(sys.argv[1:]); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); sys.exit(done.returncode)"
)


def timed(command):
    """(seconds, peak MB of that process and its children, stdout, timed parts), each in a fresh wrapper."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", WRAPPER, *command], capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode:
        raise SystemExit(f"{' '.join(map(str, command))} failed:\n{done.stderr}")
    lines = done.stderr.strip().splitlines()
    parts = {}  # the PostGIS query alone; pacov's flattening stage (from -v)
    for line in lines:
        if line.startswith("query_seconds"):
            parts["query"] = float(line.split()[1])
        elif "flatten overlaps" in line:
            parts["flatten"] = float(line.split()[-2])
    return seconds, int(lines[-1]) / 1024, done.stdout, parts


def shares(stdout):
    return {r["species"]: r["protected_share"] for r in json.loads(stdout)}


def methods(size):
    protected, ranges = DATA / f"{size}_protected.parquet", DATA / f"{size}_ranges.parquet"
    if not protected.exists():
        subprocess.run([sys.executable, HERE / "generate.py", size, DATA], check=True)
    # The same equal-area CRS for every method: the input's own when it is equal-area (used in place).
    crs = "EPSG:6933" if size.endswith("@6933") else "+proj=laea +lat_0=45 +lon_0=70 +datum=WGS84 +units=m"
    pacov = [
        BIN / "pacov",
        "-v",
        "coverage",
        "--protected",
        protected,
        "--ranges",
        ranges,
        "--crs",
        crs,
        "--format",
        "json",
    ]
    yield "pacov", pacov
    skip = set(os.environ.get("PACOV_BENCH_SKIP", "").split(","))
    if not {"naive", f"naive:{size}"} & skip:
        yield "naive overlay+dissolve", [sys.executable, HERE / "naive.py", protected, ranges, crs]
    postgis = [sys.executable, HERE / "postgis.py"]
    reachable = subprocess.run([*postgis, "--check"], capture_output=True).returncode == 0
    if not {"postgis", f"postgis:{size}"} & skip and reachable:
        yield "PostGIS per-range union", [*postgis, protected, ranges, crs]


def embedded():
    """The national targets on the embedded Kazakhstan layers: coverage < 2 s, all scenarios < 5 s."""
    layers = HERE.parent / "layers" / "kazakhstan"
    coverage = [
        BIN / "pacov",
        "-q",
        "coverage",
        "--protected",
        layers / "protected_areas.geojson",
        "--ranges",
        layers / "species_ranges.geojson",
        "--format",
        "json",
    ]
    compare = [
        BIN / "pacov",
        "-q",
        "scenario",
        "compare",
        *sorted((layers / "scenarios").glob("*.toml")),
        "--no-write",
        "--format",
        "json",
    ]
    for name, command, target in (("pacov coverage", coverage, 2.0), ("scenario compare (all)", compare, 5.0)):
        seconds, peak, _, _ = timed([str(c) for c in command])
        print(
            f"{'embedded':12s} {name:26s} {seconds:8.1f} s {peak:8.0f} MB  target < {target:.0f} s: "
            f"{'met' if seconds < target else 'MISSED'}",
            flush=True,
        )


def dask_runs(size, workers):
    """pacov on a local Dask cluster of 1 and of ``workers`` workers (the same spatial chunks)."""
    base = next(command for name, command in methods(size) if name == "pacov")
    yield "pacov --workers 1", [*base, "--workers", "1"]
    yield f"pacov --workers {workers}", [*base, "--workers", str(workers)]


def check_targets(rows, workers):
    """The issue's targets, each with the figure measured in this run."""

    def time_of(size, name, query=False):
        row = next((r for r in rows if r[0] == size and r[1] == name), None)
        return None if row is None else row[5].get("query", row[2]) if query else row[2]

    def peak_of(size):
        return next(r[3] for r in rows if r[0] == size and r[1] == "pacov")

    checks = []
    # Issue 17: on every pattern, regional <= 0.5x PostGIS's per-range union query, continental <= 0.25x.
    wanted = {"regional": (2, 3), "continental": (4, None)}
    workloads = list(dict.fromkeys(r[0] for r in rows))
    for size in workloads:
        postgis_x, naive_x = wanted.get(size.split("@")[0].split("-")[0], (None, None))
        pacov = time_of(size, "pacov")
        if postgis_x is None or pacov is None:
            continue
        postgis = time_of(size, "PostGIS per-range union", query=True)
        if postgis is not None:
            ratio = postgis / pacov
            checks.append((f"{size}: vs PostGIS query", f">= {postgis_x}x", ratio, ratio >= postgis_x))
        naive = time_of(size, "naive overlay+dissolve")
        if naive_x and naive is not None:
            checks.append((f"{size}: vs naive overlay", f">= {naive_x}x", naive / pacov, naive / pacov >= naive_x))
    if time_of("regional", "pacov") is not None:
        checks.append(("regional: peak memory (MB)", "< 1024", peak_of("regional"), peak_of("regional") < 1024))
    continental = time_of("continental", "pacov")
    if continental is not None:
        checks.append(("continental: time (s)", "< 180", continental, continental < 180))
        checks.append(
            ("continental: peak memory (MB)", "< 4096", peak_of("continental"), peak_of("continental") < 4096)
        )
        if time_of("regional", "pacov") is not None:
            growth = continental / time_of("regional", "pacov")
            checks.append(("continental / regional time (10x work)", "<= 12x", growth, growth <= 12))
        one, many = time_of("continental", "pacov --workers 1"), time_of("continental", f"pacov --workers {workers}")
        if one is not None and many is not None:
            checks.append((f"continental: Dask {workers} workers vs 1", ">= 1.6x", one / many, one / many >= 1.6))
    return checks


def main(argv):
    workers = None
    if "--workers" in argv:
        at = argv.index("--workers")
        workers, argv = int(argv[at + 1]), argv[:at] + argv[at + 2 :]
    sizes = argv or ["national", "regional"]
    if "embedded" in sizes:
        embedded()
        sizes = [s for s in sizes if s != "embedded"]
    rows = []
    for size in sizes:
        reference = None
        runs = list(methods(size))
        if workers:
            runs += list(dask_runs(size, workers))
        for name, command in runs:
            seconds, peak, out, parts = timed([str(c) for c in command])
            got = shares(out)
            reference = reference or got
            worst = max(abs(got[s] - reference[s]) for s in reference)
            rows.append((size, name, seconds, peak, worst, parts))
            print(f"{size:12s} {name:26s} {seconds:8.1f} s {peak:8.0f} MB  max |Δshare| {worst:.1e}", flush=True)
    if rows:
        print("\nsize         method                      time (s)   peak MB   time / pacov   agree to 1e-6")
    for size, name, seconds, peak, worst, parts in rows:
        base = next(r[2] for r in rows if r[0] == size and r[1] == "pacov")
        agree = "yes" if worst <= 1e-6 else "NO"
        print(f"{size:12s} {name:26s} {seconds:8.1f} {peak:9.0f} {seconds / base:10.2f}x   {agree}")
        if "query" in parts:
            query = parts["query"]
            print(f"{size:12s} {'  (PostGIS query alone)':26s} {query:8.1f} {'':9s} {query / base:10.2f}x")
        if "flatten" in parts:
            print(f"{size:12s} {'  (flattening stage)':26s} {parts['flatten']:8.1f}")
    checks = check_targets(rows, workers)
    if checks:
        print("\ntarget                                      wanted     measured   ")
        for name, wanted, got, met in checks:
            print(f"{name:43s} {wanted:10s} {got:10.2f}   {'met' if met else 'MISSED'}")


if __name__ == "__main__":
    main(sys.argv[1:])
