"""Shared builders for known-answer layers: squares in an equal-area CRS whose areas are obvious."""

import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import box

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
EQUAL_AREA = "EPSG:6933"  # EASE-Grid 2.0: equal-area, metres
KM = 1000.0


def square(x0, y0, size_km):
    """A square of ``size_km`` × ``size_km`` (size² × 100 ha) with lower-left corner at (x0, y0) km."""
    return box(x0 * KM, y0 * KM, (x0 + size_km) * KM, (y0 + size_km) * KM)


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


@pytest.fixture(scope="session")
def report_gpkg(tmp_path_factory):
    """``pacov report --gpkg`` on the embedded study, run once for the tests that read its GIS files:
    (the GeoPackage's path, the tables' folder)."""
    out = tmp_path_factory.mktemp("report")
    done = run_pacov("report", "--out-dir", out / "tables", "--gpkg", out / "gis" / "kazakhstan.gpkg")
    assert done.returncode == 0, done.stderr
    return out / "gis" / "kazakhstan.gpkg", out / "tables"


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
