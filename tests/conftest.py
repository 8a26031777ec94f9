"""Shared builders for known-answer layers: squares in an equal-area CRS whose areas are obvious."""

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyproj
import pytest
import shapely
from shapely.geometry import box

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
EMBEDDED = ROOT / "layers" / "kazakhstan"
EQUAL_AREA = "EPSG:6933"  # EASE-Grid 2.0: equal-area, metres
KM = 1000.0


def square(x0, y0, size_km):
    """A square of ``size_km`` × ``size_km`` (size² × 100 ha) with lower-left corner at (x0, y0) km."""
    return box(x0 * KM, y0 * KM, (x0 + size_km) * KM, (y0 + size_km) * KM)


def ground_gap(a, b, crs=EQUAL_AREA, step_m=100.0):
    """Edge-to-edge distance on the ground (m) of polygons ``a`` and ``b`` (in ``crs``), by brute force:
    the least pyproj.Geod distance between their boundaries sampled every ``step_m``, vertices included,
    so exact where the nearest points are corners (squares side by side: their corners nearest the pole)."""
    to_lonlat = pyproj.Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    ends = [to_lonlat.transform(*shapely.get_coordinates(shapely.segmentize(g.boundary, step_m)).T) for g in (a, b)]
    (lon_a, lat_a), (lon_b, lat_b) = ends
    n = len(lon_b)
    _, _, d = pyproj.Geod(ellps="WGS84").inv(
        np.repeat(lon_a, n), np.repeat(lat_a, n), np.tile(lon_b, len(lon_a)), np.tile(lat_b, len(lon_a))
    )
    return float(d.min())


def sites(rows, crs=EQUAL_AREA):
    """A WDPA-schema frame from dicts holding at least WDPAID and geometry."""
    defaults = {
        "NAME": "",
        "DESIG_ENG": "National Park",
        "IUCN_CAT": "II",
        "STATUS": "Designated",
        "STATUS_YR": 2000,
        "REP_AREA": 1.0,
        "ISO3": "KAZ",
    }
    records = [{**defaults, "NAME": f"Site {r['WDPAID']}", **r} for r in rows]
    return gpd.GeoDataFrame(records, geometry="geometry", crs=crs)


def ranges(rows, crs=EQUAL_AREA):
    """An IUCN-schema frame from dicts holding at least sci_name and geometry."""
    defaults = {"presence": 1, "origin": 1, "seasonal": 1}
    return gpd.GeoDataFrame([{**defaults, **r} for r in rows], geometry="geometry", crs=crs)


def run_pacov(*args, cwd=None):
    """Run the real ``pacov`` console script as a subprocess."""
    exe = Path(sys.executable).with_name("pacov")
    return subprocess.run([str(exe), *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=300)


def fingerprint(paths):
    """Each file's checksum and modification time: a file read-only to pacov keeps both."""
    return {str(p): [hashlib.sha256(p.read_bytes()).hexdigest(), os.stat(p).st_mtime_ns] for p in paths}


@pytest.fixture(scope="session")
def embedded_report(tmp_path_factory, worker_id):
    """``pacov report --format json --gpkg --html`` on the embedded study, run once per test session and shared by
    every xdist worker (a file lock in the session's base folder): ``folder`` holds ``tables/``,
    ``gis/kazakhstan.gpkg``, ``report.html``, ``report.json`` (its stdout) and ``inputs_before.json`` (the
    embedded layers' fingerprints taken just before it ran). Tests only read it."""
    from filelock import FileLock

    root = tmp_path_factory.getbasetemp()
    root = root.parent if worker_id != "master" else root
    folder = root / "embedded-report"
    with FileLock(str(root / "embedded-report.lock")):
        if not (folder / "report.json").is_file():
            folder.mkdir(exist_ok=True)
            inputs = sorted(p for p in EMBEDDED.rglob("*") if p.is_file())
            (folder / "inputs_before.json").write_text(json.dumps(fingerprint(inputs)))
            done = run_pacov(
                "report", "--out-dir", folder / "tables", "--gpkg", folder / "gis" / "kazakhstan.gpkg",
                "--html", folder / "report.html", "--format", "json",
            )  # fmt: skip
            assert done.returncode == 0, done.stderr
            (folder / "report.json").write_text(done.stdout, encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def report_gpkg(embedded_report):
    """The embedded report's GIS files: (the GeoPackage's path, the tables' folder)."""
    return embedded_report / "gis" / "kazakhstan.gpkg", embedded_report / "tables"


@pytest.fixture
def shared_data():
    if not SHARED.is_dir():
        pytest.skip("../shared/data is not present beside the checkout")
    return SHARED


SCHEMAS = ("legacy", "nov2025", "wdpca")


def in_schema(layer, schema):
    """A ``sites`` frame holding SITE_TYPE ('PA'/'OECM') written in the legacy (PA_DEF), November 2025
    (SITE_ID, SITE_TYPE) or WDPCA (also NAME_ENG, with NAME the original name) WDPA schema."""
    if schema == "legacy":
        return layer.assign(PA_DEF=(layer["SITE_TYPE"] == "PA").astype(int)).drop(columns="SITE_TYPE")
    layer = layer.rename(columns={"WDPAID": "SITE_ID"}).assign(REALM="Terrestrial")
    if schema == "wdpca":
        layer = layer.rename(columns={"NAME": "NAME_ENG"}).assign(NAME="(original name)")
    return layer


def pytest_collection_modifyitems(items):
    """The QGIS tests last: on a fresh machine make test-deps is still installing QGIS in the background."""
    items.sort(key=lambda item: item.path.name == "test_qgis_project.py")  # stable: the rest keep their order
