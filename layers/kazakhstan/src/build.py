"""Build the embedded Kazakhstan GeoJSON layers from the hand-written TOML tables beside this file.

Each row gives a real area's published figures and a centre, long-axis length and bearing; this
script draws an irregular ellipse there whose equal-area size matches the published figure. The
shapes are reconstructions, never official boundaries (see ../PROVENANCE.md). Range parts are then
cut to Kazakhstan's full-detail outline (../basemap/kazakhstan_adm0.geojson, from geokz, built by
build_basemap.py), so that a share of "the range" is a share of the Kazakh range; the hectares cut
away are listed in PROVENANCE.md. The output is deterministic: the same tables always give the same
bytes.

    python layers/kazakhstan/src/build.py [OUT_DIR]   # default: rewrites ../*.geojson
"""

import json
import math
import sys
import tomllib
import zlib
from pathlib import Path

import numpy as np
import pyproj
import shapely
import shapely.geometry

HERE = Path(__file__).resolve().parent
OUT = HERE.parent
OUTLINE = OUT / "basemap" / "kazakhstan_adm0.geojson"
GEOD = pyproj.Geod(ellps="WGS84")
VERTICES = 96
DECIMALS = 5
GEOMETRY_KEYS = {"lon", "lat", "length_km", "bearing", "geometry", "area_km2", "components", "around", "buffer_km"}


def local_laea(lon, lat):
    return pyproj.Transformer.from_crs(
        pyproj.CRS.from_proj4(f"+proj=laea +lat_0={lat} +lon_0={lon} +datum=WGS84 +units=m"),
        "EPSG:4326",
        always_xy=True,
    )


def ring_area(x, y):
    return 0.5 * abs(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))


def shape(name, lon, lat, length_km, bearing, area_km2):
    """An irregular ellipse of ``area_km2`` centred on (lon, lat), long axis ``length_km`` at ``bearing``."""
    rng = np.random.default_rng(zlib.crc32(name.encode("utf-8")))
    a = length_km * 500.0
    b = area_km2 * 1e6 / (math.pi * a)
    t = np.linspace(0, 2 * math.pi, VERTICES, endpoint=False)
    wobble = 1 + sum(
        amp * np.sin(k * t + rng.uniform(0, 2 * math.pi)) for k, amp in ((2, 0.06), (3, 0.05), (5, 0.03), (7, 0.02))
    )
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


def from_shapely(geom):
    geom = shapely.set_precision(geom, 10**-DECIMALS)
    return json.loads(json.dumps(shapely.geometry.mapping(geom)))


def buffered(geometry, km):
    """``geometry`` (lon/lat) grown by ``km`` in a local equal-area plane."""
    geom = shapely.geometry.shape(geometry)
    centre = geom.centroid
    to_geo = local_laea(centre.x, centre.y)
    to_plane = shapely.transform(geom, lambda x, y: to_geo.transform(x, y, direction="INVERSE"), interleaved=False)
    return shapely.transform(to_plane.buffer(km * 1000, quad_segs=8), to_geo.transform, interleaved=False)


def geometry_of(row, label, sites):
    """A row's geometry: a point, an irregular ellipse, the union of ``components`` (site ids), and/or
    the listed sites (``around``) grown by ``buffer_km``, joined to the row's own ellipse."""
    if "components" in row:
        return from_shapely(shapely.union_all([shapely.geometry.shape(sites[i]) for i in row["components"]]))
    if row.get("geometry") == "point":
        return {"type": "Point", "coordinates": [row["lon"], row["lat"]]}
    own = shape(
        label, row["lon"], row["lat"], row["length_km"], row["bearing"], row.get("REP_AREA", row.get("area_km2"))
    )
    if "around" not in row:
        return own
    grown = [buffered(sites[i], row["buffer_km"]) for i in row["around"]]
    return from_shapely(shapely.union_all([shapely.geometry.shape(own), *grown]))


def geodesic_ha(geom):
    return abs(GEOD.geometry_area_perimeter(geom)[0]) / 1e4


def clipped(geometry, country):
    """``geometry`` cut to ``country``, and the hectares (geodesic) cut away."""
    drawn = shapely.geometry.shape(geometry)
    inside = shapely.make_valid(shapely.set_precision(shapely.intersection(drawn, country), 10**-DECIMALS))
    inside = shapely.union_all([g for g in shapely.get_parts(inside) if g.geom_type == "Polygon"])
    return from_shapely(inside), geodesic_ha(drawn) - geodesic_ha(inside)


def collection(name, rows, sites, country=None):
    """Features of ``rows``; with ``country``, each geometry is cut to it (``cut_ha`` set on the row)."""
    features = []
    for row in rows:
        props = {k: v for k, v in row.items() if k not in GEOMETRY_KEYS}
        label = "|".join(str(props.get(k, "")) for k in ("NAME", "sci_name", "landscape", "PROPOSAL_ID"))
        geometry = geometry_of(row, label, sites)
        if country is not None:
            geometry, row["cut_ha"] = clipped(geometry, country)
        features.append({"type": "Feature", "properties": props, "geometry": geometry})
    return {
        "type": "FeatureCollection",
        "name": name,
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}},
        "features": features,
    }


def write(data, out_dir):
    text = json.dumps(data, ensure_ascii=False, indent=None, separators=(",", ":"))
    text = text.replace('{"type":"Feature"', '\n{"type":"Feature"')
    (out_dir / f"{data['name']}.geojson").write_text(text + "\n", encoding="utf-8")


MARKER = "<!-- generated by src/build.py from the TOML tables; do not edit below -->"


def cell(value):
    return str(value).replace("|", "\\|")


def figures_tables(sites, proposed, parts):
    """The 'Figures per layer' tables of PROVENANCE.md, so that file never goes stale."""
    out = [
        "### Protected areas\n",
        "| WDPAID | name | REP_AREA (km²) | year | IUCN | designation | drawn as | source |",
        "|---:|---|---:|---:|---|---|---|---|",
    ]
    for r in sites:
        drawn = (
            "point"
            if r.get("geometry") == "point"
            else "union of " + ", ".join(map(str, r["components"]))
            if "components" in r
            else "ellipse"
        )
        out.append(
            "| "
            + " | ".join(
                cell(v)
                for v in (
                    r["WDPAID"],
                    r["NAME"],
                    r["REP_AREA"],
                    r["STATUS_YR"],
                    r["IUCN_CAT"],
                    r["DESIG_ENG"],
                    drawn,
                    r["source"],
                )
            )
            + " |"
        )
    out += ["", "### Proposed areas\n", "| id | kind | name | REP_AREA (km²) | source |", "|---|---|---|---:|---|"]
    out += [
        "| " + " | ".join(cell(r[k]) for k in ("PROPOSAL_ID", "kind", "NAME", "REP_AREA", "source")) + " |"
        for r in proposed
    ]
    out += [
        "",
        "### Species range parts\n",
        "Each part as drawn, then cut to Kazakhstan's outline (geokz adm0): the last two columns say how much",
        "was cut away (geodesic area on WGS 84, of the part as drawn).\n",
        "| species | landscape | presence/origin/seasonal | ellipse (km²) | plus sites grown by | source "
        "| cut away (ha) | cut away (%) |",
        "|---|---|---|---:|---|---|---:|---:|",
    ]
    for r in parts:
        around = f"{', '.join(map(str, r['around']))} (+{r['buffer_km']:g} km)" if "around" in r else ""
        codes = f"{r['presence']}/{r['origin']}/{r['seasonal']}"
        values = (r["sci_name"], r["landscape"], codes, r["area_km2"], around, r["source"])
        cut = f"{r['cut_ha']:,.0f} | {100 * r['cut_ha'] / r['drawn_ha']:.1f}"
        out.append("| " + " | ".join(cell(v) for v in values) + f" | {cut} |")
    out += ["", "Cut away per species (parts of every presence, origin and season):\n"]
    out += ["| species | drawn (ha) | cut away (ha) | cut away (%) |", "|---|---:|---:|---:|"]
    for name in dict.fromkeys(r["sci_name"] for r in parts):
        drawn = sum(r["drawn_ha"] for r in parts if r["sci_name"] == name)
        cut = sum(r["cut_ha"] for r in parts if r["sci_name"] == name)
        out.append(f"| {cell(name)} | {drawn:,.0f} | {cut:,.0f} | {100 * cut / drawn:.1f} |")
    return "\n".join(out) + "\n"


def write_provenance(path, tables):
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index(MARKER) + len(MARKER)] + "\n\n" + tables, encoding="utf-8")


def main(out_dir=OUT):
    out_dir = Path(out_dir)
    load = lambda f: tomllib.loads((HERE / f).read_text(encoding="utf-8"))  # noqa: E731
    site_rows = load("protected_areas.toml")["site"]
    own = [r for r in site_rows if "components" not in r]
    sites = {f["properties"]["WDPAID"]: f["geometry"] for f in collection("own", own, {})["features"]}
    proposed, parts = load("proposed_areas.toml")["site"], load("species_ranges.toml")["part"]
    write(collection("protected_areas", site_rows, sites), out_dir)
    write(collection("proposed_areas", proposed, sites), out_dir)
    country = shapely.geometry.shape(json.loads(OUTLINE.read_text(encoding="utf-8"))["features"][0]["geometry"])
    ranges = collection("species_ranges", parts, sites, country)
    for row, feature in zip(parts, ranges["features"]):
        row["drawn_ha"] = geodesic_ha(shapely.geometry.shape(feature["geometry"])) + row["cut_ha"]
    write(ranges, out_dir)
    provenance = out_dir / "PROVENANCE.md"
    if not provenance.exists():
        provenance.write_text((OUT / "PROVENANCE.md").read_text(encoding="utf-8"), encoding="utf-8")
    write_provenance(provenance, figures_tables(site_rows, proposed, parts))
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
