"""The QGIS project beside the report's GeoPackage: its XML (every layer once, grouped, in a sensible order,
relative paths), and what headless QGIS (Debian's python3-qgis, the system Python) makes of it: every
layer valid and styled as written, labels on, no GeoPackage warnings, and a render that reads."""

import functools
import json
import os
import shutil
import subprocess
import time
import xml.etree.ElementTree as ET
import zipfile

import numpy as np
import pyogrio
import pytest
from PIL import Image

from conftest import ROOT

SYSTEM_PYTHON = "/usr/bin/python3"
CHECK = ROOT / "tests" / "qgis_check.py"
INSTALL = ROOT / "build" / "qgis-install"  # make test-deps' markers: .running, then .done
INSTALL_WAIT_S = 600
SCREEN = ROOT / "outputs" / "screens" / "qgis_render.png"
CATEGORISED = {
    "sites",
    "gbf_sites",
    "range_protected",
    "range_gap",
    "operations",
}  # the styles pacov writes categorised
LABELLED = {"sites": "NAME", "gbf_sites": "NAME", "zones": "name"}


def project_of(qgz):
    with zipfile.ZipFile(qgz) as zf:
        (name,) = zf.namelist()
        assert name == qgz.with_suffix(".qgs").name
        return ET.fromstring(zf.read(name))


def gpkg_layers(path):
    return {name for name in pyogrio.list_layers(path)[:, 0] if name != "layer_styles"}


def test_project_holds_every_layer_once_grouped_in_order(report_gpkg):
    path, _ = report_gpkg
    root = project_of(path.with_suffix(".qgz"))
    tree = [(group.get("name"), leaf) for group in root.find("layer-tree-group") for leaf in group]
    sources = [leaf.get("source") for _, leaf in tree]
    assert sorted(s.split("layername=")[1] for s in sources) == sorted(gpkg_layers(path))
    assert all(s.startswith(f"./{path.name}|layername=") for s in sources)  # relative: the pair can move
    assert root.find("properties/Paths/Absolute").text == "false"
    order = [s.split("layername=")[1] for s in sources]
    # top to bottom: changes over sites, corridors over sites, sites over ranges, the outline last
    assert order[-2:] == ["zones", "outline"]
    assert order.index("operations") < order.index("sites") < order.index("range_protected")
    assert order.index("corridors") < order.index("sites")
    assert dict((s.split("layername=")[1], g) for s, (g, _) in zip(sources, tree))["outline"] == "Context"
    ids = {leaf.get("id") for _, leaf in tree}
    assert ids == {m.findtext("id") for m in root.iter("maplayer")}


def wait_for_the_background_install():
    """On a fresh machine ``make test-deps`` installs QGIS in the background (about 4 minutes) while the other
    tests run; these tests come last (conftest) and wait for it to end, at most INSTALL_WAIT_S."""
    running, done = INSTALL.with_suffix(".running"), INSTALL.with_suffix(".done")
    deadline = time.monotonic() + INSTALL_WAIT_S
    while running.exists() and not done.exists() and time.monotonic() < deadline:
        time.sleep(5)


@functools.cache
def qgis_available():
    wait_for_the_background_install()
    if not os.access(SYSTEM_PYTHON, os.X_OK):
        return "no system Python at /usr/bin/python3"
    done = subprocess.run([SYSTEM_PYTHON, "-c", "import qgis.core"], capture_output=True, text=True)
    return None if done.returncode == 0 else "python3-qgis is not installed (make test-deps installs it as root)"


def open_in_qgis(qgz, png):
    """tests/qgis_check.py's report on ``qgz`` (headless QGIS in the system Python), rendering to ``png``."""
    reason = qgis_available()
    if reason:
        pytest.skip(reason)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_RUNTIME_DIR": str(png.parent)}
    done = subprocess.run(
        [SYSTEM_PYTHON, str(CHECK), str(qgz), str(png)], capture_output=True, text=True, env=env, timeout=180
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_qgis_opens_the_project_styled_and_renders_it(report_gpkg, tmp_path):
    path, _ = report_gpkg
    png = tmp_path / "render.png"
    seen = open_in_qgis(path.with_suffix(".qgz"), png)
    assert seen["read"] and seen["relative"] and not seen["geographic"] and "+proj=laea" in seen["crs"]
    assert set(seen["layers"]) == gpkg_layers(path)
    for name, layer in seen["layers"].items():
        assert layer["valid"] and layer["features"] == pyogrio.read_info(path, layer=name)["features"], name
        kind = "categorizedSymbol" if name in CATEGORISED else "singleSymbol"
        assert layer["renderer"] == kind, name
        assert layer["label_field"] == LABELLED.get(name), name
        # the bare GeoPackage layer loads the same default style from layer_styles
        assert seen["bare"][name] == layer, name
    assert len(seen["layers"]["range_protected"]["fills"]) == 6  # five species and the rest
    # no GDAL warning, no QGIS warning (version, Non-conformant content, …)
    assert seen["gdal_warnings"] == [] and [m for m in seen["log"] if m[1] >= 1] == []
    xmin, ymin, xmax, ymax = seen["view"]
    cx0, cy0, cx1, cy1 = seen["canvas"]  # a desktop canvas opens on the default view
    assert cx0 <= xmin + 1 and cy0 <= ymin + 1 and cx1 >= xmax - 1 and cy1 >= ymax - 1
    assert "outline" in seen["rendered"] and "range_protected" in seen["rendered"]
    pixels = np.asarray(Image.open(png).convert("RGB")).astype(int)
    white = (pixels > 245).all(axis=2).mean()
    land = (np.abs(pixels - [243, 236, 216]) < 8).all(axis=2).mean()  # the outline's fill, #f3ecd8
    # the country fills half of its bounding box; results and labels lie on a good part of it
    assert white < 0.6, f"{white:.0%} of the render is bare background"
    assert land > 0.25 and 1 - white - land > 0.04, (white, land)
    SCREEN.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(png, SCREEN)


def test_the_check_sees_gdal_warnings_on_a_geopackage_1_4(tmp_path):
    """The warnings check is live: GDAL's default GeoPackage (1.4) draws the warning QGIS 3.22 shows."""
    import geopandas as gpd
    from shapely.geometry import box

    from pacov.outputs.qgis_project import write_project

    crs = "+proj=laea +lat_0=46.8 +lon_0=68.4 +datum=WGS84 +units=m"
    frame = gpd.GeoDataFrame({"n": [1]}, geometry=[box(0, 0, 1e4, 1e4)], crs=crs)
    path = tmp_path / "plain.gpkg"
    pyogrio.write_dataframe(frame.to_crs(4326), path, layer="sites", driver="GPKG")
    seen = open_in_qgis(write_project(path, {"sites": frame}, {}, crs), tmp_path / "plain.png")
    assert seen["layers"]["sites"]["valid"]
    assert any("v1.4.0" in w and "partially supported" in w for w in seen["gdal_warnings"]), seen["gdal_warnings"]


def test_the_view_opens_on_the_results_or_the_whole_country():
    import geopandas as gpd
    from shapely.geometry import box

    from pacov.outputs.qgis_project import view_extent

    def frame(*boxes):
        return gpd.GeoDataFrame(geometry=[box(*b) for b in boxes], crs="EPSG:6933")

    country = frame((0, 0, 100, 100))
    regional = {"outline": country, "sites": frame((10, 10, 20, 20), (30, 15, 35, 40))}
    assert list(view_extent(regional)) == [10, 10, 35, 40]  # a region: its own results
    national = {"outline": country, "sites": frame((0, 20, 60, 30))}  # 60 wide: over half the country's 100
    assert list(view_extent(national)) == [0, 0, 100, 100]
    assert list(view_extent({"outline": country, "sites": frame()[:0]})) == [0, 0, 100, 100]
    assert list(view_extent({"sites": frame((1, 2, 3, 4))})) == [1, 2, 3, 4]
