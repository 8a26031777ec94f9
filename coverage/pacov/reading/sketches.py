"""Read polygons a planner sketched or uploaded on the planning page, from bytes, never from a path.

A page on a laptop still answers whatever is posted to it, so everything here is bounded (features,
vertices) and checked before any geometry work: polygons only, non-empty, finite lon/lat. Uploaded
files (GeoJSON, GeoPackage, a zipped shapefile) are told apart by their first bytes and read from a
temporary file this module creates; a name sent by the client is never opened.
"""

import json
import math
import tempfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

from pacov.errors import PacovError
from pacov.reading.read import read_layer

MAX_FEATURES = 200
MAX_VERTICES = 20_000  # per sketch: a hand-drawn polygon has tens to hundreds
POLYGONAL = ("Polygon", "MultiPolygon")
MAGIC = {b"SQLite format 3\x00": ".gpkg", b"PK\x03\x04": ".zip"}


def parse_feature_collection(data, label="sketches"):
    """A GeoDataFrame (EPSG:4326) of a GeoJSON FeatureCollection already parsed from JSON (a dict).

    Each feature keeps ``properties.name`` (or ``id``) as its ``name``; a repaired self-intersection
    is not done here (the evaluator repairs as every pacov input is), but its index is in ``invalid``.
    """
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise PacovError(f"{label}: must be a GeoJSON FeatureCollection")
    features = data.get("features")
    if not isinstance(features, list):
        raise PacovError(f"{label}: 'features' must be a list")
    if len(features) > MAX_FEATURES:
        raise PacovError(f"{label}: {len(features)} features; at most {MAX_FEATURES} at once")
    names, geoms = [], []
    for number, feature in enumerate(features, start=1):
        name, geom = _feature(feature, f"{label}: feature {number}")
        names.append(name or f"sketch-{number}")
        geoms.append(geom)
    if len(set(names)) != len(names):
        raise PacovError(f"{label}: two features share a name; give each sketch its own")
    return gpd.GeoDataFrame({"name": names}, geometry=geoms, crs="EPSG:4326")


def _feature(feature, where):
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise PacovError(f"{where}: not a GeoJSON Feature")
    geometry = feature.get("geometry")
    if not isinstance(geometry, dict) or geometry.get("type") not in POLYGONAL:
        kind = geometry.get("type") if isinstance(geometry, dict) else type(geometry).__name__
        raise PacovError(f"{where}: a {kind}, not a polygon; draw areas as polygons")
    try:
        geom = shapely.geometry.shape(geometry)
    except Exception as exc:  # shapely raises several types for malformed coordinates
        raise PacovError(f"{where}: malformed polygon coordinates ({type(exc).__name__})") from None
    check_polygon(geom, where)
    properties = feature.get("properties") or {}
    name = properties.get("name", feature.get("id")) if isinstance(properties, dict) else None
    return (str(name)[:200] if name not in (None, "") else None), geom


def check_polygon(geom, where):
    """Refuse an empty polygon, too many vertices, or coordinates that are not longitude and latitude."""
    if geom.is_empty or shapely.area(shapely.make_valid(geom)) <= 0:  # a bowtie's signed areas cancel: repair first
        raise PacovError(f"{where}: the polygon is empty (no area); draw at least three corners")
    count = shapely.get_num_coordinates(geom)
    if count > MAX_VERTICES:
        raise PacovError(f"{where}: {count:,} vertices; at most {MAX_VERTICES:,} per sketch (simplify it)")
    coords = shapely.get_coordinates(geom)
    if not np.isfinite(coords).all() or (np.abs(coords[:, 0]) > 180).any() or (np.abs(coords[:, 1]) > 90).any():
        raise PacovError(f"{where}: coordinates must be longitude and latitude (EPSG:4326) in degrees")


def parse_json(body, label="request"):
    """JSON text (bytes) to Python objects; one line on what is wrong otherwise."""
    try:
        return json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise PacovError(f"{label}: not valid JSON ({str(exc).splitlines()[0][:120]})") from None


def read_upload(body, label="upload"):
    """Polygons (EPSG:4326, a ``name`` each) of an uploaded GeoJSON, GeoPackage or zipped shapefile."""
    suffix = next((s for magic, s in MAGIC.items() if body.startswith(magic)), None)
    if suffix is None:
        data = parse_json(body, label)
        if isinstance(data, dict) and data.get("type") in POLYGONAL:
            data = {"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": data}]}
        return parse_feature_collection(data, label)
    with tempfile.TemporaryDirectory(prefix="pacov-upload-") as folder:
        path = Path(folder) / f"upload{suffix}"
        path.write_bytes(body)
        layer = read_layer(str(path), label)
    return _as_sketches(layer, label)


def _as_sketches(layer, label):
    if layer.crs is None:
        raise PacovError(f"{label}: the file has no CRS; save it with one (EPSG:4326 or any other)")
    layer = layer.to_crs("EPSG:4326")
    if len(layer) > MAX_FEATURES:
        raise PacovError(f"{label}: {len(layer)} features; at most {MAX_FEATURES} at once")
    field = next((c for c in layer.columns if c.lower() in ("name", "proposal_id", "id")), None)
    names = []
    for number, (geom, row) in enumerate(zip(layer.geometry, layer.itertuples()), start=1):
        where = f"{label}: feature {number}"
        if geom is None or geom.geom_type not in POLYGONAL:
            raise PacovError(f"{where}: a {getattr(geom, 'geom_type', 'missing geometry')}, not a polygon")
        check_polygon(geom, where)
        value = getattr(row, field) if field else None
        names.append(str(value) if value is not None and not _nan(value) else f"upload-{number}")
    return gpd.GeoDataFrame({"name": names}, geometry=layer.geometry.to_numpy(), crs="EPSG:4326")


def _nan(value):
    return isinstance(value, float) and math.isnan(value)
