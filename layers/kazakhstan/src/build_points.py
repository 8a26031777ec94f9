"""Build the clearly synthetic point examples: camera traps and collar fixes.

The seed material says 294 camera traps work across 14 protected areas and that 11 snow leopards
were collared in the Northern and Central Tien Shan in 2021–2023. Neither the trap positions nor
the tracks are public; these points are random (seeded) and exist only to exercise ``pacov points``.

    python layers/kazakhstan/src/build_points.py [OUT_DIR]   # default: ../examples/
"""

import json
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

HERE = Path(__file__).resolve().parent
LAYERS = HERE.parent
TRAP_SITES = [
    100018,
    1669,
    555705863,
    555705859,
    100017,
    555705864,
    62611,
    62622,
    555705861,
    62569,
    1672,
    555705866,
    555705862,
    1671,
]  # 14 protected areas in the snow leopard's landscapes
TRAPS_PER_SITE = 21  # 14 × 21 = 294
COLLARS = {"SL-01": (77.05, 43.05), "SL-02": (77.45, 43.02), "SL-03": (78.3, 42.98), "SL-04": (79.9, 42.45)}
FIXES = 120
STEP_DEG = 0.012


def random_inside(geom, count, rng):
    """``count`` points inside ``geom`` by rejection sampling (deterministic for a seeded ``rng``)."""
    west, south, east, north = geom.bounds
    found = []
    while len(found) < count:
        xy = rng.uniform([west, south], [east, north], size=(count * 4, 2))
        keep = shapely.contains_xy(geom, xy[:, 0], xy[:, 1])
        found += xy[keep].tolist()
    return found[:count]


def feature(props, lon, lat):
    return {
        "type": "Feature",
        "properties": props,
        "geometry": {"type": "Point", "coordinates": [round(float(lon), 5), round(float(lat), 5)]},
    }


def write(path, name, features):
    data = {
        "type": "FeatureCollection",
        "name": name,
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}},
        "features": features,
    }
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace(
        '{"type":"Feature"', '\n{"type":"Feature"'
    )
    path.write_text(text + "\n", encoding="utf-8")


def main(out_dir=LAYERS / "examples"):
    out_dir = Path(out_dir)
    rng = np.random.default_rng(2025)
    sites = gpd.read_file(LAYERS / "protected_areas.geojson").set_index("WDPAID")
    traps = []
    for wdpaid in TRAP_SITES:
        geom = sites.at[wdpaid, "geometry"]
        zone = geom.buffer(0.03)  # about 3 km: a few traps stand in corridors just outside
        for i, (lon, lat) in enumerate(random_inside(zone, TRAPS_PER_SITE, rng)):
            traps.append(
                feature(
                    {"trap_id": f"{wdpaid}-{i + 1:02d}", "survey_area": sites.at[wdpaid, "NAME"], "synthetic": True},
                    lon,
                    lat,
                )
            )
    fixes = []
    for animal, (lon, lat) in COLLARS.items():
        steps = rng.normal(0, STEP_DEG, size=(FIXES, 2)).cumsum(axis=0)
        for i, (dx, dy) in enumerate(steps):
            fixes.append(feature({"animal_id": animal, "fix": i + 1, "synthetic": True}, lon + dx, lat + dy))
    write(out_dir / "camera_traps.geojson", "camera_traps", traps)
    write(out_dir / "collar_fixes.geojson", "collar_fixes", fixes)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
