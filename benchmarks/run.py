"""Benchmark pacov against the naive geopandas approach (and PostGIS when one is reachable).

For each size it generates the workload (if missing), times each method as a whole process with its
peak memory, checks that every method's shares agree with pacov's to 1e-6, and prints a table.

    python benchmarks/run.py [national regional continental] [--workers N]
    PACOV_BENCH_SKIP=naive python benchmarks/run.py continental   # leave out a slow reference
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


WRAPPER = ("import resource, subprocess, sys; done = subprocess.run(sys.argv[1:]); "
           "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); sys.exit(done.returncode)")


def timed(command):
    """(seconds, peak MB of that process and its children, stdout), each method in a fresh wrapper."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", WRAPPER, *command], capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode:
        raise SystemExit(f"{' '.join(map(str, command))} failed:\n{done.stderr}")
    lines = done.stderr.strip().splitlines()
    query = next((float(line.split()[1]) for line in lines if line.startswith("query_seconds")), None)
    return seconds, int(lines[-1]) / 1024, done.stdout, query


def shares(stdout):
    return {r["species"]: r["protected_share"] for r in json.loads(stdout)}


def methods(size, extra):
    protected, ranges = DATA / f"{size}_protected.parquet", DATA / f"{size}_ranges.parquet"
    if not protected.exists():
        subprocess.run([sys.executable, HERE / "generate.py", size, DATA], check=True)
    crs = "+proj=laea +lat_0=45 +lon_0=70 +datum=WGS84 +units=m"
    pacov = [BIN / "pacov", "coverage", "--protected", protected, "--ranges", ranges, "--crs", crs, "--format",
             "json", *extra]
    yield "pacov", pacov
    skip = os.environ.get("PACOV_BENCH_SKIP", "").split(",")
    if "naive" not in skip:
        yield "naive overlay+dissolve", [sys.executable, HERE / "naive.py", protected, ranges, crs]
    postgis = [sys.executable, HERE / "postgis.py"]
    if "postgis" not in skip and subprocess.run([*postgis, "--check"], capture_output=True).returncode == 0:
        yield "PostGIS per-range union", [*postgis, protected, ranges, crs]


def embedded():
    """The national targets on the embedded Kazakhstan layers: coverage < 2 s, all scenarios < 5 s."""
    layers = HERE.parent / "layers" / "kazakhstan"
    coverage = [BIN / "pacov", "-q", "coverage", "--protected", layers / "protected_areas.geojson",
                "--ranges", layers / "species_ranges.geojson", "--format", "json"]
    compare = [BIN / "pacov", "-q", "scenario", "compare", *sorted((layers / "scenarios").glob("*.toml")),
               "--no-write", "--format", "json"]
    for name, command, target in (("pacov coverage", coverage, 2.0), ("scenario compare (all)", compare, 5.0)):
        seconds, peak, _, _ = timed([str(c) for c in command])
        print(f"{'embedded':12s} {name:26s} {seconds:8.1f} s {peak:8.0f} MB  target < {target:.0f} s: "
              f"{'met' if seconds < target else 'MISSED'}", flush=True)


def main(argv):
    extra = []
    if "--workers" in argv:
        at = argv.index("--workers")
        extra, argv = ["--workers", argv[at + 1]], argv[:at] + argv[at + 2:]
    sizes = argv or ["national", "regional"]
    if "embedded" in sizes:
        embedded()
        sizes = [s for s in sizes if s != "embedded"]
    rows = []
    for size in sizes:
        reference = None
        for name, command in methods(size, extra):
            seconds, peak, out, query = timed([str(c) for c in command])
            got = shares(out)
            reference = reference or got
            worst = max(abs(got[s] - reference[s]) for s in reference)
            rows.append((size, name, seconds, peak, worst, query))
            print(f"{size:12s} {name:26s} {seconds:8.1f} s {peak:8.0f} MB  max |Δshare| {worst:.1e}", flush=True)
    if rows:
        print("\nsize         method                      time (s)   peak MB   time / pacov   agree to 1e-6")
    for size, name, seconds, peak, worst, query in rows:
        base = next(r[2] for r in rows if r[0] == size and r[1] == "pacov")
        print(f"{size:12s} {name:26s} {seconds:8.1f} {peak:9.0f} {seconds / base:10.2f}x   {'yes' if worst <= 1e-6 else 'NO'}")
        if query is not None:
            print(f"{size:12s} {'  (PostGIS query alone)':26s} {query:8.1f} {'':9s} {query / base:10.2f}x")


if __name__ == "__main__":
    main(sys.argv[1:])
