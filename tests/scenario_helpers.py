"""A small hand-computable world on disk for scenario tests.

Drawn in a Lambert azimuthal equal-area CRS centred on the world, where a 10 km square is a
10 km square on the ground too (unlike EASE-Grid at the equator, which stretches x by 1/cos 30°),
so buffers in metres have hand-computable areas.
"""

import geopandas as gpd
from shapely.geometry import box

from conftest import ranges, sites, square

CRS = "+proj=laea +lat_0=0.4 +lon_0=0.6 +datum=WGS84 +units=m"


def write_world(folder):
    """Sites 1 (Ia, x 0–10 km), 2 (II, x 30–40), 3 (IV, x 41–46); range A = x 0–50, y 0–10 (50,000 ha)."""
    sites(
        [
            {"WDPAID": 1, "IUCN_CAT": "Ia", "geometry": square(0, 0, 10)},
            {"WDPAID": 2, "IUCN_CAT": "II", "geometry": square(30, 0, 10)},
            {"WDPAID": 3, "IUCN_CAT": "IV", "geometry": square(41, 0, 5)},
        ],
        crs=CRS,
    ).to_file(folder / "pa.gpkg")
    ranges(
        [{"sci_name": "A", "geometry": box(0, 0, 50_000, 10_000)}, {"sci_name": "B", "geometry": square(100, 100, 10)}],
        crs=CRS,
    ).to_file(folder / "ranges.gpkg")
    proposals = sites(
        [
            {"WDPAID": 901, "PROPOSAL_ID": "p1", "STATUS": "Proposed", "geometry": square(5, 0, 10)},
            {"WDPAID": 902, "PROPOSAL_ID": "p2", "STATUS": "Proposed", "geometry": square(10, 0, 10)},
            {"WDPAID": 903, "PROPOSAL_ID": "x2", "STATUS": "Proposed", "geometry": square(38, 0, 4)},
        ],
        crs=CRS,
    )
    proposals.to_file(folder / "proposed.gpkg")
    gpd.GeoDataFrame({"name": ["cut"]}, geometry=[square(0, 0, 2)], crs=CRS).to_file(folder / "cut.gpkg")


def scenario(folder, name, operations="", baseline_extra=""):
    path = folder / f"{name}.toml"
    path.write_text(
        f'''name = "{name}"
[baseline]
protected = "pa.gpkg"
ranges = "ranges.gpkg"
{baseline_extra}
[proposals]
layer = "proposed.gpkg"
{operations}''',
        encoding="utf-8",
    )
    return path
