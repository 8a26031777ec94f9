"""Benchmark pacov against the naive geopandas approach, DuckDB spatial, and PostGIS when one is reachable.

For each size it generates the workload (if missing), times each method as a whole process with its
peak memory, checks that every method's shares agree with pacov's to 1e-6, and prints a table.

    python benchmarks/run.py [embedded] [SIZE[-wdpa|-deep][@6933] …] [planet] [--workers N]

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


SAMPLE_NOTE = "10% sample x10 (extrapolated)"
POSTGIS, DUCKDB = "PostGIS per-range union", "DuckDB spatial ST_Union_Agg"
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
    parts = {}  # the SQL query alone; pacov's flattening stage (from -v)
    for line in lines:
        if line.startswith("query_seconds"):
            parts["query"] = float(line.split()[1])
        elif "flatten overlaps" in line:
            parts["flatten"] = float(line.split()[-2])
    return seconds, int(lines[-1]) / 1024, done.stdout, parts


def shares(stdout):
    return {r["species"]: r["protected_share"] for r in json.loads(stdout)}


def workload_files(size):
    """The workload's two files, generated when missing."""
    protected, ranges = DATA / f"{size}_protected.parquet", DATA / f"{size}_ranges.parquet"
    if not protected.exists():
        subprocess.run([sys.executable, HERE / "generate.py", size, DATA], check=True)
    return protected, ranges


def methods(size):
    protected, ranges = workload_files(size)
    # The same equal-area CRS for every method: the input's own when it is equal-area (used in place).
    crs = (
        "EPSG:6933"  # the input's own (used in place), or at planet size a world-wide equal-area CRS
        if size.endswith("@6933") or size.startswith("planet")
        else "+proj=laea +lat_0=45 +lon_0=70 +datum=WGS84 +units=m"
    )
    pacov = [BIN / "pacov", "-v", "coverage", "--protected", protected, "--ranges", ranges, "--crs", crs]
    pacov += ["--format", "json"]
    planet = size.startswith("planet")
    yield "pacov", pacov  # no flag for size: pacov picks the path (at planet size, out of core)
    if size.startswith("continental"):  # must give the in-memory answer where that one fits
        yield "pacov --out-of-core", [*pacov, "--out-of-core"]
    skip = set(os.environ.get("PACOV_BENCH_SKIP", "").split(","))
    if not {"naive", f"naive:{size}"} & skip and not planet:
        yield "naive overlay+dissolve", [sys.executable, HERE / "naive.py", protected, ranges, crs]
    postgis = [sys.executable, HERE / "postgis.py"]
    reachable = subprocess.run([*postgis, "--check"], capture_output=True).returncode == 0
    if not {"postgis", f"postgis:{size}"} & skip and reachable:
        if planet:  # a 10% spatial sample, its time extrapolated x10 (marked as such in the table)
            yield f"PostGIS {SAMPLE_NOTE}", [*postgis, *workload_files(size.replace("planet", "planet-sample")), crs]
        else:
            yield POSTGIS, [*postgis, protected, ranges, crs]
    duckdb = [sys.executable, HERE / "duckdb_spatial.py"]
    if not planet and not {"duckdb", f"duckdb:{size}"} & skip:
        if subprocess.run([*duckdb, "--check"], capture_output=True).returncode == 0:
            yield DUCKDB, [*duckdb, protected, ranges, crs]
        else:
            print("note: DuckDB spatial is not installed (pip install '.[bench]'); left out", file=sys.stderr)


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
    """pacov on a local Dask cluster of 1 and of ``workers`` workers (the same chunks or partitions).

    Out of core, the workers are processes that read their own partitions; in memory, threads.
    """
    runs = [m for m in methods(size) if m[0].startswith("pacov")]
    name, base = runs[-1]  # the out-of-core plan where it runs: worker processes on their own partitions
    yield f"{name} --workers 1", [*base, "--workers", "1"]
    yield f"{name} --workers {workers}", [*base, "--workers", str(workers)]


# Per tier: pacov's time as a share of each SQL reference's at most (issue 28; whole processes, reading
# included), naive / pacov at least (issue 17), peak MB below, seconds below (issues 17 and 28).
TIERS = {
    "regional": (0.25, 3, 1024, None),
    "continental": (0.2, None, 4096, 180),
    "planet": (None, None, 8 * 1024, 600),
}


def tier(size):
    return size.split("@")[0].split("-")[0]


def check_targets(rows, workers):
    """The issue's targets, each with the figure measured in this run (rows: see main)."""

    def row(size, name):
        return next((r for r in rows if r[0] == size and r[1] == name), None)

    checks = []
    for size in dict.fromkeys(r[0] for r in rows):
        share, naive_x, peak_mb, limit_s = TIERS.get(tier(size), (None, None, None, None))
        main = row(size, "pacov") or row(size, "pacov --out-of-core")
        if main is None:
            continue
        name, seconds, peak = main[1], main[2], main[3]
        for reference in (POSTGIS, DUCKDB):
            other = row(size, reference)
            if share and other:
                ratio = seconds / other[2]
                checks.append((f"{size}: pacov / {reference.split()[0]}", f"<= {share}", ratio, ratio <= share))
        naive = row(size, "naive overlay+dissolve")
        if naive_x and naive:
            checks.append(
                (f"{size}: naive / pacov", f">= {naive_x}x", naive[2] / seconds, naive[2] / seconds >= naive_x)
            )
        if peak_mb:
            checks.append((f"{size}: {name} peak MB (a process)", f"< {peak_mb}", peak, peak < peak_mb))
        if limit_s:
            checks.append((f"{size}: {name} time (s)", f"< {limit_s}", seconds, seconds < limit_s))
        partitioned = row(size, "pacov --out-of-core")
        if partitioned and name == "pacov":
            same = partitioned[6] == main[6]
            checks.append((f"{size}: out-of-core output = in-memory", "identical", partitioned[4], same))
        plan = [r[1] for r in rows if r[0] == size and r[1].startswith("pacov") and "--workers" not in r[1]][-1]
        one, many = row(size, f"{plan} --workers 1"), row(size, f"{plan} --workers {workers}")
        if one and many:
            checks.append(
                (f"{size}: {workers} Dask workers vs 1", ">= 1.6x", one[2] / many[2], one[2] / many[2] >= 1.6)
            )
    return checks


def side_by_side(rows):
    """pacov, PostGIS and DuckDB per workload: seconds, pacov's share of each reference's time, the goal."""
    lines = []
    for size in dict.fromkeys(r[0] for r in rows):
        found = {r[1]: r[2] for r in rows if r[0] == size}
        pacov = found.get("pacov") or found.get("pacov --out-of-core")
        share = TIERS.get(tier(size), (None,))[0]
        cells = []
        for reference in (POSTGIS, DUCKDB):
            other = found.get(reference)
            if other is None:
                cells.append(f"{'-':>9s} {'':6s} {'':7s}")
                continue
            verdict = "" if share is None else "met" if pacov / other <= share else "MISSED"
            cells.append(f"{other:9.1f} {pacov / other:6.2f} {verdict:7s}")
        lines.append(f"{size:18s} {pacov:8.1f}   {'   '.join(cells)}   {'' if share is None else f'<= {share}'}")
    if lines:
        print(
            f"\n{'workload':18s} {'pacov s':>8s}   {'PostGIS s':>9s} {'ratio':>6s} {'':7s}   "
            f"{'DuckDB s':>9s} {'ratio':>6s} {'':7s}   goal (pacov / each)"
        )
        print("\n".join(lines))


def main(argv):
    workers = None
    if "--workers" in argv:
        at = argv.index("--workers")
        workers, argv = int(argv[at + 1]), argv[:at] + argv[at + 2 :]
    sizes = argv or ["national", "regional"]
    if "embedded" in sizes:
        embedded()
        sizes = [s for s in sizes if s != "embedded"]
    rows = []  # (workload, method, seconds, peak MB, max |Δshare| against the first method, parts, stdout)
    for size in sizes:
        reference = None
        runs = list(methods(size))
        if workers:
            runs += list(dask_runs(size, workers))
        for name, command in runs:
            seconds, peak, out, parts = timed([str(c) for c in command])
            got = shares(out)
            if SAMPLE_NOTE in name:  # another (smaller) workload: its time stands for the whole, no answer to compare
                seconds, parts, worst = seconds * 10, {k: v * 10 for k, v in parts.items()}, float("nan")
            else:
                reference = reference or got
                worst = max(abs(got[s] - reference[s]) for s in reference)
            rows.append((size, name, seconds, peak, worst, parts, out))
            print(f"{size:18s} {name:34s} {seconds:8.1f} s {peak:8.0f} MB  max |Δshare| {worst:.1e}", flush=True)
    if rows:
        print(f"\n{'workload':18s} {'method':34s} time (s)   peak MB   time / pacov   agree to 1e-6")
    for size, name, seconds, peak, worst, parts, _ in rows:
        base = next(r[2] for r in rows if r[0] == size and r[1].startswith("pacov"))
        agree = "n/a" if worst != worst else "yes" if worst <= 1e-6 else "NO"
        print(f"{size:18s} {name:34s} {seconds:8.1f} {peak:9.0f} {seconds / base:10.2f}x   {agree}")
        if "query" in parts:
            query = parts["query"]
            print(f"{size:18s} {'  (its query alone)':34s} {query:8.1f} {'':9s} {query / base:10.2f}x")
        if "flatten" in parts:
            print(f"{size:18s} {'  (flattening stage)':34s} {parts['flatten']:8.1f}")
    side_by_side(rows)
    checks = check_targets(rows, workers)
    if checks:
        print(f"\n{'target':52s} {'wanted':10s} measured")
        for name, wanted, got, met in checks:
            print(f"{name:52s} {wanted:10s} {got:10.2f}   {'met' if met else 'MISSED'}")


if __name__ == "__main__":
    main(sys.argv[1:])
