"""Benchmark pacov against the naive geopandas approach (and PostGIS when one is reachable).

For each size it generates the workload (if missing), times each method as a whole process with its
peak memory, checks that every method's shares agree with pacov's to 1e-6, and prints a table.

    python benchmarks/run.py [national regional continental] [--workers N]
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
    peak_kb = int(done.stderr.strip().splitlines()[-1])
    return seconds, peak_kb / 1024, done.stdout


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
    if os.environ.get("PACOV_BENCH_PACOV_ONLY") != "1":
        yield "naive overlay+dissolve", [sys.executable, HERE / "naive.py", protected, ranges, crs]
        postgis = HERE / "postgis.py"
        if postgis.exists() and subprocess.run([sys.executable, postgis, "--check"], capture_output=True).returncode == 0:
            yield "PostGIS per-range union", [sys.executable, postgis, protected, ranges, crs]


def main(argv):
    extra = []
    if "--workers" in argv:
        at = argv.index("--workers")
        extra, argv = ["--workers", argv[at + 1]], argv[:at] + argv[at + 2:]
    sizes = argv or ["national", "regional"]
    rows = []
    for size in sizes:
        reference = None
        for name, command in methods(size, extra):
            seconds, peak, out = timed([str(c) for c in command])
            got = shares(out)
            reference = reference or got
            worst = max(abs(got[s] - reference[s]) for s in reference)
            rows.append((size, name, seconds, peak, worst))
            print(f"{size:12s} {name:26s} {seconds:8.1f} s {peak:8.0f} MB  max |Δshare| {worst:.1e}", flush=True)
    print("\nsize         method                        time     peak MB   vs pacov   agree(1e-6)")
    for size, name, seconds, peak, worst in rows:
        base = next(r[2] for r in rows if r[0] == size and r[1] == "pacov")
        print(f"{size:12s} {name:26s} {seconds:7.1f} s {peak:9.0f} {seconds / base:8.2f}x   {'yes' if worst <= 1e-6 else 'NO'}")


if __name__ == "__main__":
    main(sys.argv[1:])
