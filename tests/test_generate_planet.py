"""The planet generator at a small scale: files readable as WDPA/IUCN GeoParquet, the patterns it promises."""

import subprocess
import sys

import geopandas as gpd
import numpy as np
import pyarrow.parquet as pq
import pyproj
import shapely

from conftest import ROOT


def test_small_planet_reads_back_with_its_patterns(tmp_path):
    script = ROOT / "benchmarks" / "generate_planet.py"
    done = subprocess.run([sys.executable, script, tmp_path, "0.01"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    sites = gpd.read_parquet(tmp_path / "planet_protected.parquet")
    ranges = gpd.read_parquet(tmp_path / "planet_ranges.parquet")
    assert sites.crs.equals(pyproj.CRS("EPSG:4326")) and len(sites) == 3_000
    assert {"WDPAID", "NAME", "IUCN_CAT", "STATUS", "STATUS_YR", "REP_AREA", "DESIG_ENG"} <= set(sites.columns)
    points = (sites.geom_type == "Point").to_numpy()
    assert 0.03 < points.mean() < 0.07 and (sites.loc[points, "REP_AREA"] > 0).all()
    assert sites.geometry[~points].is_valid.mean() > 0.99  # valid by construction, bar redrawn near-duplicates
    vertices = shapely.get_num_coordinates(sites.geometry.to_numpy())
    assert 1.4e6 < vertices.sum() < 2.6e6  # 200 M at full scale, scaled by 0.01
    assert np.median(vertices[~points]) < 400 and vertices.max() > 20_000  # lognormal: median ~200, long tail
    xmin, ymin, xmax, ymax = sites.total_bounds  # no pole, no antimeridian
    assert -180 < xmin < xmax < 180 and -60 < ymin < ymax < 60
    assert ranges["sci_name"].nunique() == 50 and {"presence", "origin", "seasonal"} <= set(ranges.columns)
    assert ranges.is_valid.all()
    sample = gpd.read_parquet(tmp_path / "planet-sample_protected.parquet")
    assert 0 < len(sample) < len(sites) and set(sample["WDPAID"]) <= set(sites["WDPAID"])
    assert pq.ParquetFile(tmp_path / "planet_protected.parquet").metadata.num_rows == len(sites)
