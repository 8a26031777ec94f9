"""Build the embedded Kazakhstan GeoJSON layers from the hand-written TOML tables beside this file.

Each row gives a real area's published figures and a centre, long-axis length and bearing; this
script draws an irregular ellipse there whose equal-area size matches the published figure. The
shapes are reconstructions, never official boundaries (see ../PROVENANCE.md). The output is
deterministic: the same tables always give the same bytes.

    python layers/kazakhstan/src/build.py        # rewrites ../*.geojson
"""

import json
import math
import sys
import tomllib
import zlib
from pathlib import Path

import numpy as np
import pyproj

HERE = Path(__file__).resolve().parent
OUT = HERE.parent
VERTICES = 96
DECIMALS = 5
GEOMETRY_KEYS = {"lon", "lat", "length_km", "bearing", "geometry", "area_km2"}


def local_laea(lon, lat):
    return pyproj.Transformer.from_crs(
        pyproj.CRS.from_proj4(f"+proj=laea +lat_0={lat} +lon_0={lon} +datum=WGS84 +units=m"),
        "EPSG:4326", always_xy=True)


def ring_area(x, y):
    return 0.5 * abs(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))


def shape(name, lon, lat, length_km, bearing, area_km2):
    """An irregular ellipse of ``area_km2`` centred on (lon, lat), long axis ``length_km`` at ``bearing``."""
    rng = np.random.default_rng(zlib.crc32(name.encode("utf-8")))
    a = length_km * 500.0
    b = area_km2 * 1e6 / (math.pi * a)
    t = np.linspace(0, 2 * math.pi, VERTICES, endpoint=False)
    wobble = 1 + sum(amp * np.sin(k * t + rng.uniform(0, 2 * math.pi))
                     for k, amp in ((2, 0.06), (3, 0.05), (5, 0.03), (7, 0.02)))
    u, v = a * np.cos(t) * wobble, b * np.sin(t) * wobble
    theta = math.radians(bearing)
    x = u * math.sin(theta) + v * math.cos(theta)
    y = u * math.cos(theta) - v * math.sin(theta)
    scale = math.sqrt(area_km2 * 1e6 / ring_area(x, y))
    lons, lats = local_laea(lon, lat).transform(x * scale, y * scale)
    ring = [[round(float(p), DECIMALS), round(float(q), DECIMALS)] for p, q in zip(lons, lats)]
    if ring_signed(ring) < 0:
        ring.reverse()
    return {"type": "Polygon", "coordinates": [ring + [ring[0]]]}


def ring_signed(ring):
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]))


def feature(row, area_field, name_field):
    props = {k: v for k, v in row.items() if k not in GEOMETRY_KEYS}
    if row.get("geometry") == "point":
        geometry = {"type": "Point", "coordinates": [row["lon"], row["lat"]]}
    else:
        geometry = shape(f"{props[name_field]}|{props.get('landscape', '')}|{props.get('PROPOSAL_ID', '')}",
                         row["lon"], row["lat"], row["length_km"], row["bearing"], row[area_field])
    return {"type": "Feature", "properties": props, "geometry": geometry}


def write(name, rows, area_field, name_field):
    collection = {"type": "FeatureCollection", "name": name,
                  "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}},
                  "features": [feature(r, area_field, name_field) for r in rows]}
    text = json.dumps(collection, ensure_ascii=False, indent=None, separators=(",", ":"))
    text = text.replace('{"type":"Feature"', '\n{"type":"Feature"')
    (OUT / f"{name}.geojson").write_text(text + "\n", encoding="utf-8")


def main():
    load = lambda f: tomllib.loads((HERE / f).read_text(encoding="utf-8"))  # noqa: E731
    write("protected_areas", load("protected_areas.toml")["site"], "REP_AREA", "NAME")
    write("proposed_areas", load("proposed_areas.toml")["site"], "REP_AREA", "NAME")
    write("species_ranges", load("species_ranges.toml")["part"], "area_km2", "sci_name")
    return 0


if __name__ == "__main__":
    sys.exit(main())
