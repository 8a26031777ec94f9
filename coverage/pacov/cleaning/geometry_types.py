"""Check geometry types before any arithmetic: polygons count, points are placeholders, lines are errors."""

import numpy as np
import shapely

from pacov.cleaning import cleanlog
from pacov.errors import PacovError
from pacov.reading.fields import feature

POINTS = ("Point", "MultiPoint")
POLYGONS = ("Polygon", "MultiPolygon")


def unpack_collections(geoms):
    """Geometry collections as what they hold: their polygons (any points or lines beside polygons are
    dropped), else their points as a MultiPoint, else their lines (which the caller refuses)."""
    out = geoms.copy()
    for i in np.flatnonzero(shapely.get_type_id(geoms) == shapely.GeometryType.GEOMETRYCOLLECTION):
        parts = shapely.get_parts(geoms[i])
        kinds = shapely.get_type_id(parts)
        polygons = parts[np.isin(kinds, (shapely.GeometryType.POLYGON, shapely.GeometryType.MULTIPOLYGON))]
        points = parts[np.isin(kinds, (shapely.GeometryType.POINT, shapely.GeometryType.MULTIPOINT))]
        if len(polygons):
            out[i] = shapely.multipolygons(shapely.get_parts(polygons))
        elif len(points):
            out[i] = shapely.multipoints(shapely.get_parts(points))
        elif len(parts):
            out[i] = shapely.multilinestrings(
                shapely.get_parts(
                    parts[np.isin(kinds, (shapely.GeometryType.LINESTRING, shapely.GeometryType.MULTILINESTRING))]
                )
            )
    return out


def check_types(gdf, label, allow_points=True):
    """Return (gdf without empty geometries, log); a line or other non-areal feature is an error."""
    gdf = gdf.copy()
    geoms = gdf.geometry.to_numpy()
    with_z = shapely.has_z(geoms)
    collections = shapely.get_type_id(geoms) == shapely.GeometryType.GEOMETRYCOLLECTION
    if with_z.any() or collections.any():  # only these get new copies: copying all costs gigabytes at scale
        geoms = geoms.copy()
        geoms[with_z] = shapely.force_2d(geoms[with_z])
        geoms[collections] = unpack_collections(geoms[collections])
        gdf.geometry = geoms
    empty = gdf.geometry.isna() | gdf.geometry.is_empty
    allowed = POLYGONS + (POINTS if allow_points else ())
    types = gdf.geometry.geom_type
    bad = ~empty & ~types.isin(allowed)
    if bad.any():
        first = np.flatnonzero(bad)[0]
        kinds = "polygons or points" if allow_points else "polygons"
        raise PacovError(
            f"{label}: {feature(gdf, first)} is a {types.iloc[first]}; only {kinds} can hold area"
            " — remove it or convert it to a polygon"
        )
    log = (
        cleanlog.entries(gdf[empty], "geometry", "dropped", "empty or null geometry")
        if "WDPAID" in gdf
        else cleanlog.empty()
    )
    return gdf[~empty].copy(), log
