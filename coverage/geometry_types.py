"""Check geometry types before any arithmetic: polygons count, points are placeholders, lines are errors."""

import shapely

from . import cleanlog
from .errors import PacovError

POINTS = ("Point", "MultiPoint")
POLYGONS = ("Polygon", "MultiPolygon")


def check_types(gdf, label, allow_points=True, id_field=None):
    """Return (gdf without empty geometries, log); a line or other non-areal feature is an error."""
    gdf = gdf.copy()
    gdf.geometry = shapely.force_2d(gdf.geometry.values)
    empty = gdf.geometry.isna() | gdf.geometry.is_empty
    allowed = POLYGONS + (POINTS if allow_points else ()) + ("GeometryCollection",)
    types = gdf.geometry.geom_type
    bad = ~empty & ~types.isin(allowed)
    if bad.any():
        index = gdf.index[bad][0]
        which = f"{id_field} {gdf.at[index, id_field]}" if id_field else f"feature {index}"
        kinds = "polygons or points" if allow_points else "polygons"
        raise PacovError(f"{label}: {which} is a {types[index]}; only {kinds} can hold area — "
                         "remove it or convert it to a polygon")
    log = cleanlog.entries(gdf[empty], "geometry", "dropped", "empty geometry") if "WDPAID" in gdf else cleanlog.empty()
    return gdf[~empty].copy(), log
