"""A GeoParquet workload big enough to interrupt (the fault and resume tests), and the means to interrupt it."""

import glob
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import shapely

from conftest import KM, ranges, sites


def blob(rng, x, y, radius, vertices):
    """A wobbly disc of about ``radius`` metres drawn with ``vertices`` points."""
    t = np.sort(rng.uniform(0, 2 * np.pi, vertices))
    r = radius * (1 + 0.2 * np.sin(3 * t + rng.uniform(0, 6)) + rng.normal(0, 0.01, vertices))
    return shapely.Polygon(np.c_[x + r * np.cos(t), y + r * np.sin(t)]).buffer(0)


def write_layers(folder, count=160, species=12):
    """Sites and ranges as GeoParquet in many row groups (many tasks); the coverage command's arguments."""
    rng = np.random.default_rng(1)
    protected = sites(
        [
            {"WDPAID": i + 1, "geometry": blob(rng, *rng.uniform(0, 800 * KM, 2), rng.uniform(5, 30) * KM, 300)}
            for i in range(count)
        ]
    )
    species = ranges(
        [
            {
                "sci_name": f"Species {k}",
                "geometry": blob(rng, *rng.uniform(0, 800 * KM, 2), rng.uniform(80, 300) * KM, 1500),
            }
            for k in range(species)
        ]
    )
    protected.to_parquet(folder / "sites.parquet", row_group_size=10)
    species.to_parquet(folder / "ranges.parquet", row_group_size=2)
    return [
        "coverage",
        "--protected",
        folder / "sites.parquet",
        "--ranges",
        folder / "ranges.parquet",
        "--format",
        "csv",
    ]


def start_pacov(*args):
    """The real ``pacov`` console script, started and left running (stdout and stderr piped)."""
    exe = Path(sys.executable).with_name("pacov")
    return subprocess.Popen([str(exe), *map(str, args)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for(pattern, process, timeout=120):
    """The files matching ``pattern`` once there is at least one (the run got that far), while ``process`` runs."""
    end = time.monotonic() + timeout
    while time.monotonic() < end and process.poll() is None:
        found = glob.glob(str(pattern), recursive=True)
        if found:
            return found
        time.sleep(0.02)
    raise AssertionError(f"{pattern} never appeared while the run was going (exit {process.poll()})")
